//! Interruption: once [`interrupt`] returns, no destination is put in place any more.
//!
//! A signal handler calls [`interrupt`]; blocking loops call [`check`] between pieces of work;
//! [`Output::commit`](crate::Output::commit) checks the flag under the same lock it renames under,
//! so a rename either finished before the interruption was recorded or never happens.
//!
//! A host that runs several operations at once and interrupts one of them (an interpreter whose
//! Ctrl-C belongs to one call) gives each operation a [`Token`]: [`check`] and commits inside
//! [`Token::scope`] fail once that token is cancelled, and only there. Work an operation moves to
//! another task or thread carries the token along through [`inherit`] / [`inherit_blocking`].

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use crate::{Error, Result};

/// 0 = running; otherwise the [`Signal`] code.
static STATE: AtomicU8 = AtomicU8::new(0);
/// Held while a destination is renamed into place and while an interruption is recorded.
static COMMIT: Mutex<()> = Mutex::new(());

/// Why the process is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signal {
    /// Ctrl-C (SIGINT), or `KeyboardInterrupt` in an embedding interpreter.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Signal {
    fn code(self) -> u8 {
        match self {
            Signal::Interrupt => 2,
            Signal::Terminate => 15,
        }
    }
}

/// Records an interruption. After this returns, every later [`check`] fails and no
/// [`Output::commit`](crate::Output::commit) renames anything; a rename already under way has
/// finished.
pub fn interrupt(signal: Signal) {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    // The first signal wins: a SIGTERM after Ctrl-C does not change the exit code.
    let _ = STATE.compare_exchange(0, signal.code(), Ordering::SeqCst, Ordering::SeqCst);
}

/// The interruption recorded so far, if any.
pub fn interrupted() -> Option<Signal> {
    match STATE.load(Ordering::SeqCst) {
        0 => None,
        15 => Some(Signal::Terminate),
        _ => Some(Signal::Interrupt),
    }
}

/// Fails with [`Error::Interrupted`] once [`interrupt`] was called, or the current operation's
/// [`Token`] was cancelled. Cheap: call it per chunk.
///
/// # Errors
/// [`Error::Interrupted`].
pub fn check() -> Result<()> {
    if STATE.load(Ordering::Relaxed) != 0 || current_cancelled() {
        return Err(Error::Interrupted);
    }
    Ok(())
}

/// Clears the process-wide flag, for a host process that goes on after an interruption. A host that
/// interrupts single operations gives each a [`Token`] instead and has nothing to clear.
pub fn reset() {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    STATE.store(0, Ordering::SeqCst);
}

/// Runs `place` (a rename) unless the process was interrupted, under the commit lock.
pub(crate) fn commit_with<T>(place: impl FnOnce() -> Result<T>) -> Result<T> {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    if STATE.load(Ordering::SeqCst) != 0 || current_cancelled() {
        return Err(Error::Interrupted);
    }
    place()
}

thread_local! {
    /// The token of the operation this thread is working for, while it is.
    static CURRENT: RefCell<Option<Token>> = const { RefCell::new(None) };
}

fn current() -> Option<Token> {
    CURRENT.with(|c| c.borrow().clone())
}

fn current_cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(Token::is_cancelled))
}

/// Runs `f` with `token` as this thread's current one, restoring the previous one afterwards.
fn with_current<T>(token: Option<&Token>, f: impl FnOnce() -> T) -> T {
    let Some(token) = token else { return f() };
    struct Restore(Option<Token>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(token.clone())));
    f()
}

/// One operation's cancellation flag (cheap to clone; clones share the flag).
#[derive(Debug, Clone, Default)]
pub struct Token(Arc<AtomicBool>);

impl Token {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the operation. After this returns no commit of the operation renames anything
    /// (a rename already under way has finished) and its [`check`]s fail.
    pub fn cancel(&self) {
        let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Token::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Runs `fut` as this token's operation: every poll sees the token as the current one.
    pub fn scope<F: Future>(&self, fut: F) -> Scoped<F> {
        Scoped {
            token: Some(self.clone()),
            fut: Box::pin(fut),
        }
    }
}

/// A future running under a [`Token`] (from [`Token::scope`] or [`inherit`]).
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Scoped<F> {
    token: Option<Token>,
    fut: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        with_current(this.token.as_ref(), || this.fut.as_mut().poll(cx))
    }
}

/// Wraps a future about to be spawned as a task so that it runs under the current operation's
/// token, if there is one.
pub fn inherit<F: Future>(fut: F) -> Scoped<F> {
    Scoped {
        token: current(),
        fut: Box::pin(fut),
    }
}

/// Wraps a closure about to run on another thread (`spawn_blocking`, a scoped thread) so that it
/// runs under the current operation's token, if there is one.
pub fn inherit_blocking<T>(f: impl FnOnce() -> T) -> impl FnOnce() -> T {
    let token = current();
    move || with_current(token.as_ref(), f)
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// Polls a future that completes without waiting.
    fn ready<T>(fut: impl Future<Output = T>) -> T {
        match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the future waited"),
        }
    }

    #[test]
    fn a_cancelled_token_stops_its_own_operation_only() {
        let mine = Token::new();
        let other = Token::new();
        mine.cancel();
        assert!(ready(mine.scope(async { check() })).is_err());
        assert!(ready(mine.scope(async { commit_with(|| Ok(())) })).is_err());
        assert!(ready(other.scope(async { check() })).is_ok());
        // Outside any scope only the process-wide flag counts.
        assert!(check().is_ok());
    }

    #[test]
    fn spawned_work_inherits_the_token() {
        let token = Token::new();
        let (blocking, task) =
            ready(token.scope(async { (inherit_blocking(check), inherit(async { check() })) }));
        token.cancel();
        // Another thread, as spawn_blocking would run it, sees the operation's token.
        assert!(std::thread::spawn(blocking).join().unwrap().is_err());
        assert!(std::thread::spawn(move || ready(task)).join().unwrap().is_err());
        // Without inheriting, another thread has no token.
        assert!(std::thread::spawn(check).join().unwrap().is_ok());
    }

    #[test]
    fn scopes_nest_and_restore() {
        let outer = Token::new();
        let inner = Token::new();
        inner.cancel();
        let (inside, after) = ready(outer.scope(async {
            let inside = ready(inner.scope(async { check() }));
            (inside, check())
        }));
        assert!(inside.is_err());
        assert!(after.is_ok());
    }
}
