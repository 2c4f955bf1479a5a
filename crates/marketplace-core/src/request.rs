//! `RequestBuilder`: one logical request, sent with retries, re-login and typed errors.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, LOCATION};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::HttpClient;
use crate::error::{strip_query, Error, RedirectProblem, Result};
use crate::send::{Body, Outcome, Want};
use crate::transfer::{Progress, UploadBody};

/// Builds a fresh multipart form for one attempt.
pub type MultipartFactory = Arc<dyn Fn() -> Result<reqwest::multipart::Form> + Send + Sync>;

/// One request under construction; consumed by one of the `send*` methods.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    pub(crate) client: HttpClient,
    pub(crate) method: Method,
    pub(crate) url: Result<url::Url>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) idempotent: bool,
    pub(crate) retry: bool,
    pub(crate) auth: bool,
    pub(crate) total_timeout: bool,
    pub(crate) error: Option<Error>,
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

    /// Sends the request; a non-2xx status becomes the matching typed [`Error`]. The body is left
    /// unread: read it with [`HttpClient::read_body`], which keeps the body limit.
    ///
    /// # Errors
    /// An API error variant for a non-2xx status (after retries), [`Error::Timeout`],
    /// [`Error::Connect`] or [`Error::Transport`] for transport failures, [`Error::Auth`] when
    /// logging in fails, [`Error::Encode`]/[`Error::Config`] for a malformed request.
    pub async fn send(self) -> Result<Response> {
        match self.execute(Want::Response).await? {
            Outcome::Response(resp) => Ok(resp),
            Outcome::Body { .. } => unreachable_outcome(),
        }
    }

    /// Sends the request and reads the whole 2xx body, at most
    /// [`ClientConfig::max_body_bytes`](crate::ClientConfig::max_body_bytes). A body that breaks off
    /// is a failed attempt, retried like a timeout (for idempotent requests).
    ///
    /// # Errors
    /// As [`send`](Self::send), plus [`Error::BodyTooLarge`] (never retried) when the body passes
    /// the limit.
    pub async fn send_bytes(self) -> Result<bytes::Bytes> {
        self.send_body().await.map(|(_, bytes)| bytes)
    }

    /// Sends the request and decodes a JSON response, reporting the failing JSON path.
    /// An empty 2xx body decodes like `null` (so `()` and `Option<T>` work).
    ///
    /// The body is read as by [`send_bytes`](Self::send_bytes), so it is bounded too.
    ///
    /// # Errors
    /// As [`send_bytes`](Self::send_bytes), plus [`Error::Decode`] when the body does not match `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T> {
        let (url, bytes) = self.send_body().await?;
        let slice: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        let de = &mut serde_json::Deserializer::from_slice(slice);
        serde_path_to_error::deserialize(de).map_err(|source| Error::Decode {
            url: strip_query(&url),
            source,
        })
    }

    async fn send_body(self) -> Result<(url::Url, bytes::Bytes)> {
        match self.execute(Want::Body).await? {
            Outcome::Body { url, bytes } => Ok((url, bytes)),
            Outcome::Response(_) => unreachable_outcome(),
        }
    }

    /// Sends the request expecting a redirect, and returns its `Location` (resolved against the
    /// request URL). The redirect is not followed.
    ///
    /// # Errors
    /// As [`send`](Self::send); [`Error::NoRedirect`] for a 2xx answer or a 3xx without a valid
    /// `Location`.
    pub async fn send_redirect(self) -> Result<url::Url> {
        let method = self.method.to_string();
        let resp = match self.execute(Want::Redirect).await? {
            Outcome::Response(resp) => resp,
            Outcome::Body { .. } => return unreachable_outcome(),
        };
        let status = resp.status();
        let url = resp.url().clone();
        let unexpected = |problem: RedirectProblem| Error::NoRedirect {
            method: method.clone(),
            url: strip_query(&url),
            status: status.as_u16(),
            problem,
        };
        if !status.is_redirection() {
            return Err(unexpected(RedirectProblem::NotARedirect));
        }
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| unexpected(RedirectProblem::MissingLocation))?;
        url.join(location)
            .map_err(|e| unexpected(RedirectProblem::InvalidLocation(e)))
    }
}

/// `execute` returns the outcome its `Want` asked for; this is the impossible other branch,
/// reported as an error rather than a panic.
fn unreachable_outcome<T>() -> Result<T> {
    Err(Error::Config {
        message: "internal error: unexpected request outcome; please report this bug".to_owned(),
    })
}
