//! Signed storage links the storage host refuses (expired, revoked): ask NumerBay for a fresh
//! link and try once more, in one place for downloads and uploads.

use std::fmt::Display;
use std::future::Future;

use marketplace_core::Progress;

use crate::error::Error;
use crate::report::TargetError;

/// Errors that can say "the storage host refused the signed link".
pub(crate) trait LinkRefusal: Display {
    /// Whether the link was refused (see [`marketplace_core::Error::LinkRefused`]).
    fn is_link_refused(&self) -> bool;
}

impl LinkRefusal for Error {
    fn is_link_refused(&self) -> bool {
        Error::is_link_refused(self)
    }
}

impl LinkRefusal for TargetError {
    fn is_link_refused(&self) -> bool {
        self.source.is_link_refused()
    }
}

/// Gets a signed link from `issue` and runs `transfer` with it. When the storage host refuses the
/// link (it expired between issue and use, or was revoked), a fresh link is issued and `transfer`
/// runs exactly once more; a second refusal is returned as it is. Returns the link that worked
/// with the transfer's result. `progress` restarts before the second try.
///
/// Plain closures returning futures (not async closures): the futures of async closures taking a
/// reference are not provably `Send`, and callers spawn these transfers.
pub(crate) async fn with_fresh_link<L, T, E, I, IF, X, XF>(
    what: &str,
    progress: Option<&dyn Progress>,
    mut issue: I,
    mut transfer: X,
) -> Result<(L, T), E>
where
    L: Clone,
    E: LinkRefusal,
    I: FnMut() -> IF,
    IF: Future<Output = Result<L, E>>,
    X: FnMut(L) -> XF,
    XF: Future<Output = Result<T, E>>,
{
    let link = issue().await?;
    match transfer(link.clone()).await {
        Err(e) if e.is_link_refused() => {
            tracing::warn!(what, error = %e, "storage link refused; requesting a fresh one");
            if let Some(p) = progress {
                p.restart();
            }
            let link = issue().await?;
            let out = transfer(link.clone()).await?;
            Ok((link, out))
        }
        result => result.map(|out| (link, out)),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
    use std::sync::Mutex;

    use super::*;

    fn refused() -> Error {
        let url = url::Url::parse("http://127.0.0.1/storage/x").unwrap();
        marketplace_core::ApiError::new(403, "GET", &url, "")
            .into_storage_error()
            .into()
    }

    /// Runs the helper with links `0, 1, 2, ...` and transfer answers taken from `answers`.
    async fn run(answers: Vec<Result<u32, Error>>) -> (Result<(u32, u32), Error>, u32, usize) {
        let issued = AtomicU32::new(0);
        let used = AtomicUsize::new(0);
        let answers = Mutex::new(answers.into_iter());
        let result = with_fresh_link(
            "test",
            None,
            || {
                let link = issued.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, Error>(link) }
            },
            |link: u32| {
                used.fetch_add(1, Ordering::SeqCst);
                let answer = answers.lock().unwrap().next().expect("no more answers");
                async move { answer.map(|v| v + link * 100) }
            },
        )
        .await;
        (result, issued.into_inner(), used.into_inner())
    }

    #[tokio::test]
    async fn a_refused_link_is_replaced_once() {
        let (result, issued, used) = run(vec![Err(refused()), Ok(7)]).await;
        assert_eq!(result.expect("second link works"), (1, 107));
        assert_eq!((issued, used), (2, 2));
    }

    #[tokio::test]
    async fn a_second_refusal_is_returned() {
        let (result, issued, used) = run(vec![Err(refused()), Err(refused())]).await;
        assert!(result.expect_err("refused twice").is_link_refused());
        assert_eq!((issued, used), (2, 2));
    }

    #[tokio::test]
    async fn other_failures_and_successes_use_one_link() {
        let (result, issued, _) = run(vec![Ok(1)]).await;
        assert_eq!(result.expect("ok"), (0, 1));
        assert_eq!(issued, 1);
        let other = Error::InvalidRequest { message: "no".into() };
        let (result, issued, _) = run(vec![Err(other)]).await;
        assert!(matches!(result, Err(Error::InvalidRequest { .. })));
        assert_eq!(issued, 1);
    }
}
