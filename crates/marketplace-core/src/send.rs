//! The retry loop behind every `send*`: attempts, backoff, Retry-After, re-login, error mapping.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Response, StatusCode};

use crate::auth::INVALID_CREDENTIALS_DETAIL;
use crate::error::{is_retryable_status, strip_query, ApiError, Error, Result};
use crate::request::{MultipartFactory, RequestBuilder};
use crate::retry::{parse_retry_after, Retrier};
use crate::transfer::{Progress, UploadBody};

/// Longest error body read into memory; bigger bodies are cut (only 512 characters are kept anyway).
const MAX_ERROR_BODY: usize = 64 * 1024;

pub(crate) enum Body {
    Empty,
    Bytes {
        bytes: Bytes,
        content_type: &'static str,
    },
    Multipart(MultipartFactory),
    Upload {
        body: UploadBody,
        progress: Option<Arc<dyn Progress>>,
    },
}

/// What the caller of the retry loop wants back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// The 2xx response, body unread.
    Response,
    /// The 2xx response or a 3xx (never followed), body unread.
    Redirect,
    /// The whole 2xx body; a body that breaks off counts as a failed attempt.
    Body,
}

/// Why an attempt got no response.
enum Failure {
    Http(reqwest::Error),
    /// An upload made no progress for the idle timeout.
    Stalled,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Without the URL: it may carry a signed query.
            Failure::Http(e) => write!(f, "{}", DisplayNoUrl(e)),
            Failure::Stalled => f.write_str("upload stalled"),
        }
    }
}

struct DisplayNoUrl<'a>(&'a reqwest::Error);

impl std::fmt::Display for DisplayNoUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut msg = self.0.to_string();
        if let Some(url) = self.0.url() {
            msg = msg.replace(url.as_str(), &strip_query(url));
        }
        f.write_str(&msg)
    }
}

/// The result of a successful logical request.
pub(crate) enum Outcome {
    Response(Response),
    Body { url: url::Url, bytes: Bytes },
}

impl RequestBuilder {
    /// The retry loop.
    pub(crate) async fn execute(self, want: Want) -> Result<Outcome> {
        let RequestBuilder {
            client,
            method,
            url,
            headers,
            body,
            idempotent,
            retry,
            auth,
            total_timeout,
            error,
        } = self;
        if let Some(e) = error {
            return Err(e);
        }
        let url = url?;
        let inner = &client.inner;
        let method_s = method.to_string();
        let shown = strip_query(&url);
        let mut state = Retrier::new(&inner.config.retry, retry);
        let mut relogged = false;
        let mut attempt = 0u32;
        loop {
            let credential = if auth {
                inner.auth.credential().await?
            } else {
                None
            };
            let mut rb = inner
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(c) = &credential {
                rb = rb.header(AUTHORIZATION, c.header.clone());
            }
            if total_timeout {
                rb = rb.timeout(inner.config.request_timeout);
            }
            let activity = crate::transfer::upload::Activity::new();
            rb = body.apply(rb, attempt, &activity).await?;
            attempt += 1;
            let request = rb
                .build()
                .map_err(|e| transport_error(e, &method_s, &url, state.retries(), None))?;
            let started = tokio::time::Instant::now();
            let sent = match &body {
                // Uploads: no read timeout (it would fire mid-body), a progress watchdog instead.
                Body::Upload { .. } => tokio::select! {
                    r = inner.upload_http.execute(request) => r.map_err(Failure::Http),
                    () = activity.stalled(inner.config.request_timeout) => Err(Failure::Stalled),
                },
                _ => inner.http.execute(request).await.map_err(Failure::Http),
            };
            let failure = match sent {
                Ok(resp) => {
                    let status = resp.status();
                    // The path only: a signed link's query is a credential.
                    tracing::info!(
                        "{method_s} {} -> {} ({} ms)",
                        url.path(),
                        status.as_u16(),
                        started.elapsed().as_millis()
                    );
                    if status.is_success() || (want == Want::Redirect && status.is_redirection()) {
                        if want != Want::Body {
                            return Ok(Outcome::Response(resp));
                        }
                        let final_url = resp.url().clone();
                        match read_capped(resp, inner.config.max_body_bytes).await {
                            Ok(bytes) => {
                                return Ok(Outcome::Body {
                                    url: final_url,
                                    bytes,
                                })
                            }
                            // Asking again would get the same oversized answer: never retried.
                            Err(ReadFailure::TooLarge) => {
                                return Err(too_large(&method_s, &final_url, inner.config.max_body_bytes))
                            }
                            Err(ReadFailure::Http(e)) => Failure::Http(e),
                        }
                    } else {
                        let bearer = credential.and_then(|c| c.bearer);
                        if status == StatusCode::FORBIDDEN && !relogged && bearer.is_some() {
                            let bytes = read_error_body(resp).await;
                            if is_invalid_credentials(&bytes) {
                                if let Some(token) = &bearer {
                                    inner.auth.invalidate(token).await;
                                }
                                relogged = true;
                                tracing::debug!(method = %method_s, url = %shown, "token rejected; logging in again");
                                continue;
                            }
                            return Err(api_error(status, &method_s, &url, &bytes, state.retries()));
                        }
                        if is_retryable_status(status.as_u16()) {
                            let retry_after = retry_after_of(&resp);
                            if let Some(delay) = state.next(retry_after) {
                                drop(resp);
                                state.wait(delay, &method_s, &shown, status).await;
                                continue;
                            }
                        }
                        let retry_after = retry_after_of(&resp);
                        let bytes = read_error_body(resp).await;
                        return Err(ApiError::from_body(
                            status.as_u16(),
                            &method_s,
                            &url,
                            &bytes,
                            state.retries(),
                        )
                        .with_retry_after(retry_after)
                        .into_error());
                    }
                }
                Err(f) => f,
            };
            // Transport failure: connect errors never reached the server, so they are always safe
            // to repeat; anything else (timeout, reset, broken body) only when idempotent.
            let is_connect = matches!(&failure, Failure::Http(e) if e.is_connect());
            if (is_connect || idempotent) && state.pause(None, &method_s, &shown, &failure).await {
                continue;
            }
            return Err(match failure {
                Failure::Http(e) => {
                    transport_error(e, &method_s, &url, state.retries(), Some(state.elapsed()))
                }
                Failure::Stalled => Error::Timeout {
                    method: method_s,
                    url: shown,
                    retries: state.retries(),
                    elapsed: state.elapsed(),
                },
            });
        }
    }
}

impl Body {
    async fn apply(
        &self,
        rb: reqwest::RequestBuilder,
        attempt: u32,
        activity: &Arc<crate::transfer::upload::Activity>,
    ) -> Result<reqwest::RequestBuilder> {
        Ok(match self {
            Body::Empty => rb,
            Body::Bytes { bytes, content_type } => rb.header(CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Multipart(make) => rb.multipart(make()?),
            Body::Upload { body, progress } => {
                crate::transfer::upload::apply(rb, body, progress.clone(), attempt, activity).await?
            }
        })
    }
}

fn api_error(status: StatusCode, method: &str, url: &url::Url, body: &[u8], retries: u32) -> Error {
    ApiError::from_body(status.as_u16(), method, url, body, retries).into_error()
}

/// The `Retry-After` of an answer (delta seconds or an HTTP date), when present and readable.
pub(crate) fn retry_after_of(resp: &Response) -> Option<std::time::Duration> {
    resp.headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

fn is_invalid_credentials(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str().map(str::to_owned)))
        .is_some_and(|d| d == INVALID_CREDENTIALS_DETAIL)
}

/// Why a capped body read stopped.
pub(crate) enum ReadFailure {
    /// The body (or its announced `Content-Length`) passed the limit.
    TooLarge,
    /// The body broke off or timed out.
    Http(reqwest::Error),
}

/// Reads a whole body chunk by chunk, failing as soon as it would pass `limit` bytes, or before
/// reading anything when `Content-Length` already announces more. Memory stays below `limit` plus
/// one chunk whatever the server sends (an endless chunked body included).
pub(crate) async fn read_capped(mut resp: Response, limit: u64) -> Result<Bytes, ReadFailure> {
    let announced = resp.content_length();
    if announced.is_some_and(|n| n > limit) {
        return Err(ReadFailure::TooLarge);
    }
    // Pre-size from the announced length, but modestly: the announcement may be a lie.
    let capacity = announced.unwrap_or(0).min(limit).min(1 << 20);
    let mut out = bytes::BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(ReadFailure::Http)? {
        if out.len() as u64 + chunk.len() as u64 > limit {
            return Err(ReadFailure::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

/// The [`Error::BodyTooLarge`] for a request.
pub(crate) fn too_large(method: &str, url: &url::Url, limit: u64) -> Error {
    Error::BodyTooLarge {
        method: method.to_owned(),
        url: strip_query(url),
        limit,
    }
}

/// Reads at most [`MAX_ERROR_BODY`] bytes of an error response; a broken body gives what arrived.
pub(crate) async fn read_error_body(mut resp: Response) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = MAX_ERROR_BODY - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    out
}

/// Maps a reqwest failure (its URL removed: it may carry a signed query) to a typed error.
pub(crate) fn transport_error(
    e: reqwest::Error,
    method: &str,
    url: &url::Url,
    retries: u32,
    elapsed: Option<std::time::Duration>,
) -> Error {
    let e = e.without_url();
    let url = strip_query(url);
    if e.is_timeout() {
        Error::Timeout {
            method: method.to_owned(),
            url,
            retries,
            elapsed: elapsed.unwrap_or_default(),
        }
    } else if e.is_connect() {
        Error::Connect {
            url,
            retries,
            source: e,
        }
    } else {
        Error::Transport {
            method: method.to_owned(),
            url,
            retries,
            source: e,
        }
    }
}
