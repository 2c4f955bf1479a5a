//! Streamed uploads to signed URLs: `Content-Length`, progress, a fresh body per attempt.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;
use tokio::time::Instant;
use tokio_util::io::ReaderStream;

use crate::client::HttpClient;
use crate::error::{Error, Result};
use crate::transfer::{Progress, UploadBody};

/// Read and send buffer size for file uploads.
const CHUNK: usize = 64 * 1024;

impl HttpClient {
    /// PUTs a body to an absolute (signed) URL: no auth header,
    /// `Content-Type: application/octet-stream`, `Content-Length` set, streamed without reading it
    /// into memory, retried per policy with a freshly opened body. No total timeout applies, only
    /// the read-idle timeout.
    ///
    /// # Errors
    /// [`Error::LinkRefused`] when the storage host refuses the link (expired or revoked),
    /// [`Error::Io`] when a file cannot be opened, [`Error::Config`] for a bad URL, and the API or
    /// transport errors of [`RequestBuilder::send`](crate::RequestBuilder::send).
    pub async fn upload(
        &self,
        url: &str,
        body: UploadBody,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<()> {
        let url = parse_absolute(url)?;
        self.request_url(Method::PUT, url)
            .no_auth()
            .idempotent(true)
            .without_total_timeout()
            .header(CONTENT_TYPE.as_str(), "application/octet-stream")
            .upload_body(body, progress)
            .send()
            .await
            .map(drop)
            // A refused signed link (expired, revoked) is `LinkRefused`, never an auth error.
            .map_err(Error::into_storage_error)
    }
}

/// When an upload last made progress. reqwest has no write timeout, and its read timeout fires
/// during long uploads (it runs while the body is still being written), so uploads use a client
/// without one and this watchdog instead: an attempt fails once nothing moved for the idle timeout.
#[derive(Debug)]
pub(crate) struct Activity {
    last: std::sync::Mutex<Instant>,
}

impl Activity {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Activity {
            last: std::sync::Mutex::new(Instant::now()),
        })
    }

    fn touch(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = Instant::now();
        }
    }

    fn last(&self) -> Instant {
        self.last.lock().map(|l| *l).unwrap_or_else(|_| Instant::now())
    }

    /// Resolves once nothing happened for `idle` (body chunks sent, or waiting for the response).
    pub(crate) async fn stalled(&self, idle: Duration) {
        loop {
            let deadline = self.last() + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// Parses an absolute http(s) URL.
pub(crate) fn parse_absolute(url: &str) -> Result<url::Url> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
        _ => Err(Error::Config {
            message: format!(
                "{:?} is not an absolute http(s) URL",
                crate::error::strip_query_str(url)
            ),
        }),
    }
}

/// Opens `body` for one attempt and attaches it with its `Content-Length`.
pub(crate) async fn apply(
    rb: reqwest::RequestBuilder,
    body: &UploadBody,
    progress: Option<Arc<dyn Progress>>,
    attempt: u32,
    activity: &Arc<Activity>,
) -> Result<reqwest::RequestBuilder> {
    let (len, stream): (u64, BoxStream<'static, std::io::Result<Bytes>>) = match body {
        UploadBody::File(path) => {
            let file = tokio::fs::File::open(path)
                .await
                .map_err(|e| Error::io(path, "open", e))?;
            let len = file
                .metadata()
                .await
                .map_err(|e| Error::io(path, "read metadata of", e))?
                .len();
            (len, ReaderStream::with_capacity(file, CHUNK).boxed())
        }
        UploadBody::Bytes(bytes) => {
            let bytes = bytes.clone();
            let len = bytes.len();
            let chunks = (0..len)
                .step_by(CHUNK)
                .map(move |start| Ok(bytes.slice(start..(start + CHUNK).min(len))));
            (len as u64, stream::iter(chunks.collect::<Vec<_>>()).boxed())
        }
        UploadBody::Stream { len, open } => (*len, open()?),
    };
    activity.touch();
    let tracker = activity.clone();
    let stream = stream.inspect(move |_| tracker.touch()).boxed();
    let stream = match progress {
        Some(p) => {
            if attempt > 0 {
                p.restart();
            }
            p.set_total(Some(len));
            stream
                .inspect(move |chunk| {
                    if let Ok(c) = chunk {
                        p.advance(c.len() as u64);
                    }
                })
                .boxed()
        }
        None => stream,
    };
    Ok(rb
        .header(CONTENT_LENGTH, len)
        .body(reqwest::Body::wrap_stream(stream)))
}
