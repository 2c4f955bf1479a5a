//! `RequestBuilder`: one logical request, sent with retries, re-login and typed errors.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::INVALID_CREDENTIALS_DETAIL;
use crate::client::HttpClient;
use crate::error::{is_retryable_status, strip_query, ApiError, Error, Result};
use crate::retry::{parse_retry_after, RetryState};
use crate::transfer::{Progress, UploadBody};

/// Builds a fresh multipart form for one attempt.
pub type MultipartFactory = Arc<dyn Fn() -> Result<reqwest::multipart::Form> + Send + Sync>;

/// Longest error body read into memory; bigger bodies are cut (only 512 characters are kept anyway).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// One request under construction; consumed by one of the `send*` methods.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    client: HttpClient,
    method: Method,
    url: Result<url::Url>,
    headers: HeaderMap,
    body: Body,
    idempotent: bool,
    retry: bool,
    auth: bool,
    total_timeout: bool,
    error: Option<Error>,
}

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

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match &self.url {
            Ok(u) => strip_query(u),
            Err(_) => "<invalid>".to_owned(),
        };
        f.debug_struct("RequestBuilder")
            .field("method", &self.method.as_str())
            .field("url", &url)
            .field("idempotent", &self.idempotent)
            .field("retry", &self.retry)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl RequestBuilder {
    pub(crate) fn new(client: HttpClient, method: Method, url: Result<url::Url>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        RequestBuilder {
            client,
            method,
            url,
            headers: HeaderMap::new(),
            body: Body::Empty,
            idempotent,
            retry: true,
            auth: true,
            total_timeout: true,
            error: None,
        }
    }

    fn fail(mut self, e: Error) -> Self {
        self.error.get_or_insert(e);
        self
    }

    /// Appends URL query parameters (serde, like `reqwest`'s `query`).
    pub fn query<T: Serialize + ?Sized>(mut self, q: &T) -> Self {
        let encoded = match serde_urlencoded::to_string(q) {
            Ok(s) => s,
            Err(e) => {
                return self.fail(Error::Encode {
                    what: "query",
                    source: Box::new(e),
                })
            }
        };
        if let Ok(url) = &mut self.url {
            if !encoded.is_empty() {
                let joined = match url.query() {
                    Some(old) if !old.is_empty() => format!("{old}&{encoded}"),
                    _ => encoded,
                };
                url.set_query(Some(&joined));
            }
        }
        self
    }

    /// Sends a JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(v) => {
                self.body = Body::Bytes {
                    bytes: v.into(),
                    content_type: "application/json",
                };
                self
            }
            Err(e) => self.fail(Error::Encode {
                what: "json body",
                source: Box::new(e),
            }),
        }
    }

    /// Sends an `application/x-www-form-urlencoded` body.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(s) => {
                self.body = Body::Bytes {
                    bytes: s.into(),
                    content_type: "application/x-www-form-urlencoded",
                };
                self
            }
            Err(e) => self.fail(Error::Encode {
                what: "form body",
                source: Box::new(e),
            }),
        }
    }

    /// Sends a multipart body; `make` is called once per attempt, so a retry re-sends everything.
    pub fn multipart(mut self, make: MultipartFactory) -> Self {
        self.body = Body::Multipart(make);
        self
    }

    pub(crate) fn upload_body(mut self, body: UploadBody, progress: Option<Arc<dyn Progress>>) -> Self {
        self.body = Body::Upload { body, progress };
        self
    }

    /// Transfers have no total timeout, only the read-idle timeout of the client.
    pub(crate) fn without_total_timeout(mut self) -> Self {
        self.total_timeout = false;
        self
    }

    /// Adds a header. An invalid name or value makes `send` fail with [`Error::Config`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .ok()
            .zip(HeaderValue::from_str(value).ok());
        match parsed {
            Some((n, mut v)) => {
                if n == AUTHORIZATION {
                    v.set_sensitive(true);
                }
                self.headers.append(n, v);
                self
            }
            None => self.fail(Error::Config {
                message: format!("invalid header {name:?}"),
            }),
        }
    }

    /// Whether a timed-out or broken attempt may be repeated. Default: true for GET, PUT and
    /// DELETE, false for POST.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// Never retry this request, whatever happens (creating POSTs such as `generate-upload-url`).
    /// A re-login after a rejected token still replays it once: the server refused it unexecuted.
    pub fn no_retry(mut self) -> Self {
        self.retry = false;
        self
    }

    /// Sends no `Authorization` header (public endpoints, signed URLs, the login call itself).
    pub fn no_auth(mut self) -> Self {
        self.auth = false;
        self
    }

    /// Sends the request; a non-2xx status becomes the matching typed [`Error`].
    ///
    /// # Errors
    /// An API error variant for a non-2xx status (after retries), [`Error::Timeout`],
    /// [`Error::Connect`] or [`Error::Transport`] for transport failures, [`Error::Auth`] when
    /// logging in fails, [`Error::Encode`]/[`Error::Config`] for a malformed request.
    pub async fn send(self) -> Result<Response> {
        self.execute(false).await
    }

    /// Sends the request and decodes a JSON response, reporting the failing JSON path.
    ///
    /// # Errors
    /// As [`send`](Self::send), plus [`Error::Decode`] when the body does not match `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T> {
        let method = self.method.to_string();
        let resp = self.send().await?;
        let url = resp.url().clone();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(e, &method, &url, 0, None))?;
        // An empty 2xx body decodes like `null` (so `()` and `Option<T>` work).
        let slice: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        let de = &mut serde_json::Deserializer::from_slice(slice);
        serde_path_to_error::deserialize(de).map_err(|source| Error::Decode {
            url: strip_query(&url),
            source,
        })
    }

    /// Sends the request expecting a redirect, and returns its `Location` (resolved against the
    /// request URL). The redirect is not followed.
    ///
    /// # Errors
    /// As [`send`](Self::send); [`Error::Api`] for a 2xx answer or a 3xx without `Location`.
    pub async fn send_redirect(self) -> Result<url::Url> {
        let method = self.method.to_string();
        let resp = self.execute(true).await?;
        let status = resp.status();
        let url = resp.url().clone();
        let unexpected = |message: String| {
            Error::Api(ApiError {
                status: status.as_u16(),
                method: method.clone(),
                url: strip_query(&url),
                code: None,
                message,
                detail: None,
                retries: 0,
            })
        };
        if !status.is_redirection() {
            return Err(unexpected(format!("expected a redirect, got {status}")));
        }
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| unexpected("redirect without a Location header".to_owned()))?;
        url.join(location)
            .map_err(|e| unexpected(format!("redirect to an invalid Location ({e})")))
    }

    /// The retry loop. Returns a 2xx response (or 3xx when `allow_redirect`).
    async fn execute(self, allow_redirect: bool) -> Result<Response> {
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
        let mut state = RetryState::new(&inner.config.retry, retry);
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
            rb = body.apply(rb, attempt).await?;
            attempt += 1;
            let request = rb
                .build()
                .map_err(|e| transport_error(e, &method_s, &url, state.retries(), None))?;
            match inner.http.execute(request).await {
                Ok(resp) => {
                    let status = resp.status();
                    if status.is_success() || (allow_redirect && status.is_redirection()) {
                        return Ok(resp);
                    }
                    let bearer = credential.and_then(|c| c.bearer);
                    if status == StatusCode::FORBIDDEN && !relogged && bearer.is_some() {
                        let bytes = read_error_body(resp).await;
                        if is_invalid_credentials(&bytes) {
                            if let Some(token) = &bearer {
                                inner.auth.invalidate(token).await;
                            }
                            relogged = true;
                            tracing::debug!(method = %method_s, url = %strip_query(&url), "token rejected; logging in again");
                            continue;
                        }
                        return Err(api_error(status, &method_s, &url, &bytes, state.retries()));
                    }
                    if is_retryable_status(status.as_u16()) {
                        let retry_after = resp
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| parse_retry_after(v, SystemTime::now()));
                        if let Some(delay) = state.next(retry_after) {
                            tracing::warn!(method = %method_s, url = %strip_query(&url), status = status.as_u16(), retry = state.retries(), ?delay, "retrying");
                            drop(resp);
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    let bytes = read_error_body(resp).await;
                    return Err(api_error(status, &method_s, &url, &bytes, state.retries()));
                }
                Err(e) => {
                    if e.is_connect() || idempotent {
                        if let Some(delay) = state.next(None) {
                            tracing::warn!(method = %method_s, url = %strip_query(&url), error = %e.without_url(), retry = state.retries(), ?delay, "retrying");
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return Err(transport_error(
                        e,
                        &method_s,
                        &url,
                        state.retries(),
                        Some(state.elapsed()),
                    ));
                }
            }
        }
    }
}

impl Body {
    async fn apply(&self, rb: reqwest::RequestBuilder, attempt: u32) -> Result<reqwest::RequestBuilder> {
        Ok(match self {
            Body::Empty => rb,
            Body::Bytes { bytes, content_type } => rb.header(CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Multipart(make) => rb.multipart(make()?),
            Body::Upload { body, progress } => {
                crate::transfer::upload::apply(rb, body, progress.clone(), attempt).await?
            }
        })
    }
}

fn api_error(status: StatusCode, method: &str, url: &url::Url, body: &[u8], retries: u32) -> Error {
    ApiError::from_body(status.as_u16(), method, url, body, retries).into_error()
}

fn is_invalid_credentials(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str().map(str::to_owned)))
        .is_some_and(|d| d == INVALID_CREDENTIALS_DETAIL)
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
