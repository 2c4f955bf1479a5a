//! The one error enum of the transport, its classification, and the server's description of an
//! HTTP error.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

mod body;
mod status;
mod storage;

use status::StatusKind;

pub use body::parse_error_body;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of a non-JSON error body are kept.
pub const BODY_SNIPPET_CHARS: usize = 512;

/// Everything that can go wrong while talking to a marketplace.
///
/// HTTP status errors are one variant, [`Error::Api`], whose [`ApiError`] keeps the status and the
/// server's message; transport failures carry the method, the URL (query string stripped), the
/// retry count and the elapsed time. Classify with [`is_auth`](Error::is_auth),
/// [`is_not_found`](Error::is_not_found), [`is_retryable`](Error::is_retryable),
/// [`is_rate_limited`](Error::is_rate_limited) and [`retry_after`](Error::retry_after).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (4xx, 5xx, or a 3xx where none was expected).
    /// The text reads per status, e.g. `not found: GET https://host/x returned 404: no such thing`.
    #[error("{}{}{}", .0.kind().prefix(), .0, .0.kind().suffix())]
    Api(Box<ApiError>),
    /// A request sent with [`send_redirect`](crate::RequestBuilder::send_redirect) got no usable
    /// redirect: a 2xx answer, or a 3xx without a valid `Location`.
    #[error("{method} {url} answered {status} but a redirect was expected: {problem}")]
    NoRedirect {
        /// HTTP method.
        method: String,
        /// URL without its query string.
        url: String,
        /// The status received.
        status: u16,
        /// What was wrong with the answer.
        problem: RedirectProblem,
    },
    /// The storage host refused a signed (download or upload) link: it has expired, was revoked,
    /// or its signature is no longer accepted. A fresh link from the marketplace fixes it; this is
    /// never a credentials problem ([`is_auth`](Error::is_auth) is false).
    #[error(
        "the storage link was refused (HTTP {status}{}): it has expired or was revoked; \
         ask the marketplace for a fresh link ({method} {url})",
        reason_suffix(message)
    )]
    LinkRefused {
        /// HTTP status: 401, 403, 410, or 400 with a body naming an expired or invalid signature.
        status: u16,
        /// HTTP method (`GET` for downloads, `PUT` for uploads).
        method: String,
        /// The link without its query string (the signature lives there).
        url: String,
        /// What the storage host said (its error code and message), possibly empty.
        message: String,
    },
    /// The request timed out on every attempt.
    #[error(
        "{method} {url} timed out after {retries} retries ({elapsed:.1?}); check the network or try again"
    )]
    Timeout {
        /// HTTP method.
        method: String,
        /// URL without its query string.
        url: String,
        /// Retries made before giving up.
        retries: u32,
        /// Time spent in total.
        elapsed: Duration,
    },
    /// No connection could be made.
    #[error("cannot connect to {url} after {retries} retries; check the URL and the network")]
    Connect {
        /// URL without its query string.
        url: String,
        /// Retries made before giving up.
        retries: u32,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// Another transport failure (connection reset, broken body, ...).
    #[error("{method} {url} failed after {retries} retries; check the network or try again")]
    Transport {
        /// HTTP method.
        method: String,
        /// URL without its query string.
        url: String,
        /// Retries made before giving up.
        retries: u32,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A 2xx response body passed [`ClientConfig::max_body_bytes`](crate::ClientConfig) (or its
    /// `Content-Length` announced more); reading stopped there. Never retried.
    #[error(
        "{method} {url} sent a response body over the limit of {limit} bytes, so reading stopped; \
         the server may be misbehaving, or if such a large answer is expected, raise \
         ClientConfig::max_body_bytes"
    )]
    BodyTooLarge {
        /// HTTP method.
        method: String,
        /// URL without its query string.
        url: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A local file operation failed.
    #[error("cannot {op} {}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What was being done ("open", "write", "rename", ...).
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A 2xx body did not match the expected shape.
    #[error("cannot decode the response of {url}; the server's API may have changed")]
    Decode {
        /// URL without its query string.
        url: String,
        /// Where in the JSON the mismatch is, and why.
        #[source]
        source: serde_path_to_error::Error<serde_json::Error>,
    },
    /// A request body or query could not be encoded.
    #[error("cannot encode the {what} of the request")]
    Encode {
        /// "json body", "form body" or "query".
        what: &'static str,
        /// The serializer's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The destination could not be written or put in place (including an interruption).
    #[error("the output was not written")]
    Write(#[from] mkt_fs::Error),
    /// A download kept breaking off and ran out of retries.
    #[error("download of {url} stopped at {got} of {expected} bytes after {retries} retries; try again")]
    Incomplete {
        /// URL without its query string.
        url: String,
        /// Announced size (0 when the server announced none).
        expected: u64,
        /// Bytes received.
        got: u64,
        /// Retries made before giving up.
        retries: u32,
    },
    /// A download's size disagrees with the size the server announced.
    #[error("download of {url} has {got} bytes but the server announced {expected}; the file may have changed, try again")]
    SizeMismatch {
        /// URL without its query string.
        url: String,
        /// Announced size.
        expected: u64,
        /// Size seen.
        got: u64,
    },
    /// Invalid client configuration or request construction.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// Logging in failed.
    #[error("authentication failed: {message}")]
    Auth {
        /// What failed and what to check.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Box<Error>>,
    },
}

/// An HTTP error response, as the server described it.
///
/// Build one with [`ApiError::new`] or [`ApiError::from_body`]; more fields may be added.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// HTTP method of the request.
    pub method: String,
    /// Request URL with the query string stripped (signed URLs carry credentials there).
    pub url: String,
    /// CrowdCent `error.code`, or a storage host's XML `<Code>`, when present.
    pub code: Option<String>,
    /// NumerBay `detail` string, 422 items joined as `loc: msg`, CrowdCent `error.message`, or the
    /// first 512 characters of a non-JSON body.
    pub message: String,
    /// The structured detail (`detail` of NumerBay, `error` of CrowdCent), when the body was JSON.
    pub detail: Option<Value>,
    /// Retries made before this response was accepted as final.
    pub retries: u32,
    /// The wait the server asked for in `Retry-After` (429, 503), when it sent one.
    pub retry_after: Option<Duration>,
}

/// What a [`send_redirect`](crate::RequestBuilder::send_redirect) answer lacked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectProblem {
    /// The answer was not a 3xx.
    #[error("the answer is not a redirect")]
    NotARedirect,
    /// A 3xx without a `Location` header (or one that is not text).
    #[error("the redirect has no Location header")]
    MissingLocation,
    /// A `Location` that does not resolve to a URL.
    #[error("the redirect's Location is not a valid URL ({0})")]
    InvalidLocation(url::ParseError),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} returned {}", self.method, self.url, self.status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// An error answer with a plain message (no code, detail, retries or `Retry-After`).
    pub fn new(status: u16, method: &str, url: &url::Url, message: impl Into<String>) -> Self {
        ApiError {
            status,
            method: method.to_owned(),
            url: strip_query(url),
            code: None,
            message: message.into(),
            detail: None,
            retries: 0,
            retry_after: None,
        }
    }

    /// Builds an error from a response's status and body (the body may be anything).
    pub fn from_body(status: u16, method: &str, url: &url::Url, body: &[u8], retries: u32) -> Self {
        let (code, message, detail) = parse_error_body(status, body);
        ApiError {
            code,
            detail,
            retries,
            ..ApiError::new(status, method, url, message)
        }
    }

    /// Sets the wait the server asked for in `Retry-After`.
    #[must_use]
    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// Turns this into [`Error::Api`].
    pub fn into_error(self) -> Error {
        Error::Api(Box::new(self))
    }

    fn kind(&self) -> StatusKind {
        StatusKind::of(self.status)
    }
}

impl Error {
    /// The HTTP status, for API errors, refused storage links, missing redirects and rejected logins.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::LinkRefused { status, .. } | Error::NoRedirect { status, .. } => Some(*status),
            // A rejected login: the status the server answered the login with.
            Error::Auth {
                source: Some(inner), ..
            } => inner.status(),
            _ => self.api().map(|a| a.status),
        }
    }

    /// The server's error description, for API errors.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(a) => Some(a),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: transport failures, cut downloads, and the
    /// statuses 408, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. }
            | Error::Connect { .. }
            | Error::Transport { .. }
            | Error::Incomplete { .. } => true,
            Error::Api(a) => is_retryable_status(a.status),
            _ => false,
        }
    }

    /// Whether the server answered 429 (too many requests); see also
    /// [`retry_after`](Self::retry_after).
    pub fn is_rate_limited(&self) -> bool {
        self.api().is_some_and(|a| a.status == 429)
    }

    /// The wait the server asked for with `Retry-After` on its final answer, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|a| a.retry_after)
    }

    /// Whether a signed storage link was refused ([`Error::LinkRefused`]): asking for a fresh link
    /// and trying once more is the remedy.
    pub fn is_link_refused(&self) -> bool {
        matches!(self, Error::LinkRefused { .. })
    }

    /// Whether this is an authentication or authorization failure of the API (401, 403, failed
    /// login). A refused storage link is not one.
    pub fn is_auth(&self) -> bool {
        match self {
            Error::Api(a) => matches!(a.status, 401 | 403),
            Error::Auth { .. } => true,
            _ => false,
        }
    }

    /// Whether the server answered 404.
    pub fn is_not_found(&self) -> bool {
        self.api().is_some_and(|a| a.status == 404)
    }

    pub(crate) fn io(path: impl Into<PathBuf>, op: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            op,
            source,
        }
    }
}

fn reason_suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

/// Whether a status is worth retrying: 408, 429 and every 5xx.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..=599).contains(&status)
}

/// Renders a URL without query, fragment or user info, so signed-URL credentials never reach an
/// error message or a log line.
pub fn strip_query(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    // Cannot fail for http(s) URLs; for others we keep whatever is allowed.
    let _ = u.set_password(None);
    let _ = u.set_username("");
    u.to_string()
}

/// Like [`strip_query`] for a string; an unparsable URL is cut at the first `?` or `#`.
pub fn strip_query_str(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => strip_query(&u),
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_query_removes_credentials() {
        let u = url::Url::parse("https://user:pw@h.example/a/b?X-Goog-Signature=abc#frag").unwrap();
        assert_eq!(strip_query(&u), "https://h.example/a/b");
        assert_eq!(strip_query_str("not a url?sig=1"), "not a url");
    }

    #[test]
    fn statuses_classify_and_read_naturally() {
        let u = url::Url::parse("http://h/x?sig=s3cr3t").unwrap();
        let cases = [
            (400, "bad request: "),
            (401, "not authenticated: "),
            (403, "forbidden: "),
            (404, "not found: "),
            (409, "conflict: "),
            (422, "validation failed: "),
            (429, "rate limited: "),
            (503, "server error: "),
            (418, "unexpected response: "),
        ];
        for (status, prefix) in cases {
            let e = ApiError::from_body(status, "GET", &u, b"", 0).into_error();
            assert!(matches!(&e, Error::Api(a) if a.status == status), "{e:?}");
            assert_eq!(e.status(), Some(status));
            let text = e.to_string();
            assert!(text.starts_with(prefix), "{status} -> {text}");
            assert!(
                text.contains(&format!("GET http://h/x returned {status}")),
                "{text}"
            );
            assert!(!text.contains("s3cr3t"), "{text}");
            assert_eq!(e.is_auth(), matches!(status, 401 | 403), "{status}");
            assert_eq!(e.is_not_found(), status == 404, "{status}");
            assert_eq!(e.is_rate_limited(), status == 429, "{status}");
            assert_eq!(e.is_retryable(), matches!(status, 429 | 503), "{status}");
        }
        let e = ApiError::new(404, "GET", &u, "no such thing").into_error();
        assert_eq!(
            e.to_string(),
            "not found: GET http://h/x returned 404: no such thing"
        );
    }

    #[test]
    fn retry_after_is_read_from_the_final_answer() {
        let u = url::Url::parse("http://h/x").unwrap();
        let wait = Some(Duration::from_secs(30));
        let e = ApiError::new(429, "GET", &u, "slow down")
            .with_retry_after(wait)
            .into_error();
        assert!(e.is_rate_limited() && e.is_retryable() && !e.is_auth());
        assert_eq!(e.retry_after(), wait);
        assert_eq!(ApiError::new(503, "GET", &u, "").into_error().retry_after(), None);
    }

    #[test]
    fn transport_and_local_errors_classify() {
        let timeout = Error::Timeout {
            method: "GET".into(),
            url: "http://h/x".into(),
            retries: 3,
            elapsed: Duration::from_secs(1),
        };
        assert!(timeout.is_retryable() && !timeout.is_auth() && !timeout.is_not_found());
        assert_eq!(timeout.retry_after(), None);
        let login = Error::Auth {
            message: "bad password".into(),
            source: None,
        };
        assert!(login.is_auth() && !login.is_retryable());
        assert_eq!(login.status(), None);
        let rejected = Error::Auth {
            message: "login refused".into(),
            source: Some(Box::new(
                ApiError::new(
                    400,
                    "POST",
                    &url::Url::parse("http://h/login").unwrap(),
                    "Incorrect username or password",
                )
                .into_error(),
            )),
        };
        assert_eq!(rejected.status(), Some(400), "the login's status");
        let redirect = Error::NoRedirect {
            method: "GET".into(),
            url: "http://h/x".into(),
            status: 200,
            problem: RedirectProblem::NotARedirect,
        };
        assert!(!redirect.is_retryable() && !redirect.is_not_found() && redirect.api().is_none());
        assert_eq!(redirect.status(), Some(200));
        assert_eq!(
            redirect.to_string(),
            "GET http://h/x answered 200 but a redirect was expected: the answer is not a redirect"
        );
    }

    #[test]
    fn the_error_stays_small() {
        // Results carry it on every call: boxing the API error keeps it below clippy's
        // `result_large_err` threshold without any allow.
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
