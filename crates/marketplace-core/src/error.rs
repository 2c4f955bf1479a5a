//! The one error enum of the transport, and parsing of the platforms' error bodies.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

mod storage;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of a non-JSON error body are kept.
pub const BODY_SNIPPET_CHARS: usize = 512;

/// Everything that can go wrong while talking to a marketplace.
///
/// HTTP status errors carry an [`ApiError`] with the server's message; transport failures carry the
/// method, the URL (query string stripped), the retry count and the elapsed time.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: the server rejected the request.
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// 401: credentials missing or not accepted.
    #[error("not authenticated: {0}; check the credentials")]
    Unauthorized(ApiError),
    /// 403: credentials not valid or not allowed to do this.
    #[error("forbidden: {0}; check the credentials and permissions")]
    Forbidden(ApiError),
    /// 404: no such resource.
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// 409: the resource is in a conflicting state.
    #[error("conflict: {0}")]
    Conflict(ApiError),
    /// 422: request validation failed (FastAPI lists every bad field).
    #[error("validation failed: {0}")]
    Validation(ApiError),
    /// 429: too many requests, retries exhausted.
    #[error("rate limited: {0}; wait and try again")]
    RateLimited(ApiError),
    /// 5xx: the server failed, retries exhausted.
    #[error("server error: {0}; try again later")]
    Server(ApiError),
    /// Any other unexpected status (including a 2xx where a redirect was expected).
    #[error("unexpected response: {0}")]
    Api(ApiError),
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
#[derive(Debug, Clone, PartialEq)]
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
    /// Builds an error from a response's status and body (the body may be anything).
    pub fn from_body(status: u16, method: &str, url: &url::Url, body: &[u8], retries: u32) -> Self {
        let (code, message, detail) = parse_error_body(status, body);
        ApiError {
            status,
            method: method.to_owned(),
            url: strip_query(url),
            code,
            message,
            detail,
            retries,
        }
    }

    /// Turns this into the [`Error`] variant that matches its status.
    pub fn into_error(self) -> Error {
        match self.status {
            400 => Error::BadRequest(self),
            401 => Error::Unauthorized(self),
            403 => Error::Forbidden(self),
            404 => Error::NotFound(self),
            409 => Error::Conflict(self),
            422 => Error::Validation(self),
            429 => Error::RateLimited(self),
            500..=599 => Error::Server(self),
            _ => Error::Api(self),
        }
    }
}

impl Error {
    /// The HTTP status, for API errors and refused storage links.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::LinkRefused { status, .. } => Some(*status),
            _ => self.api().map(|a| a.status),
        }
    }

    /// The server's error description, for API errors.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(a)
            | Error::Unauthorized(a)
            | Error::Forbidden(a)
            | Error::NotFound(a)
            | Error::Conflict(a)
            | Error::Validation(a)
            | Error::RateLimited(a)
            | Error::Server(a)
            | Error::Api(a) => Some(a),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (transport failures, 408, 429, 5xx, cut downloads).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. }
            | Error::Connect { .. }
            | Error::Transport { .. }
            | Error::Incomplete { .. } => true,
            _ => self.status().is_some_and(is_retryable_status),
        }
    }

    /// Whether a signed storage link was refused ([`Error::LinkRefused`]): asking for a fresh link
    /// and trying once more is the remedy.
    pub fn is_link_refused(&self) -> bool {
        matches!(self, Error::LinkRefused { .. })
    }

    /// Whether this is an authentication or authorization failure of the API (401, 403, failed
    /// login). A refused storage link is not one.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Error::Unauthorized(_) | Error::Forbidden(_) | Error::Auth { .. }
        )
    }

    /// Whether the server answered 404.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_))
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

/// Parses an error body into `(code, message, detail)`.
///
/// NumerBay: `{"detail": "text"}` or `{"detail": [{"loc": [...], "msg": "..."}]}`.
/// CrowdCent: `{"error": {"code", "message", "fields"?}}`. Storage hosts (GCS, S3):
/// `<Error><Code>…</Code><Message>…</Message></Error>`. Anything else: the body's first
/// [`BODY_SNIPPET_CHARS`] characters, or the status's reason phrase when empty.
pub fn parse_error_body(status: u16, body: &[u8]) -> (Option<String>, String, Option<Value>) {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        if let Some(detail) = json.get("detail") {
            let message = match detail {
                Value::String(s) => s.clone(),
                Value::Array(items) => items.iter().map(validation_item).collect::<Vec<_>>().join("; "),
                other => other.to_string(),
            };
            return (None, message, Some(detail.clone()));
        }
        if let Some(err) = json.get("error").filter(|e| e.is_object()) {
            let code = err.get("code").and_then(Value::as_str).map(str::to_owned);
            let mut message = err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| snippet(body));
            if let Some(fields) = err.get("fields").and_then(Value::as_object) {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", field_messages(v)))
                    .collect();
                if !parts.is_empty() {
                    message = format!("{message} ({})", parts.join("; "));
                }
            }
            return (code, message, Some(err.clone()));
        }
    }
    if let Some((code, message)) = storage::parse_xml_error(body) {
        return (code, message, None);
    }
    let text = snippet(body);
    if text.is_empty() {
        let reason = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no response body");
        return (None, reason.to_owned(), None);
    }
    (None, text, None)
}

fn validation_item(item: &Value) -> String {
    let msg = item
        .get("msg")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| item.to_string());
    match item.get("loc").and_then(Value::as_array) {
        Some(loc) if !loc.is_empty() => {
            let loc: Vec<String> = loc
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            format!("{}: {msg}", loc.join("."))
        }
        _ => msg,
    }
}

fn field_messages(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.trim().chars().take(BODY_SNIPPET_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerbay_string_detail() {
        let (code, msg, detail) = parse_error_body(403, br#"{"detail":"Could not validate credentials"}"#);
        assert_eq!(code, None);
        assert_eq!(msg, "Could not validate credentials");
        assert_eq!(detail, Some(Value::String(msg.clone())));
    }

    #[test]
    fn numerbay_validation_list() {
        let body = br#"{"detail":[{"loc":["body","skip"],"msg":"value is not a valid integer","type":"type_error.integer"},{"type":"json_invalid","loc":["body",0],"msg":"JSON decode error"}]}"#;
        let (_, msg, detail) = parse_error_body(422, body);
        assert_eq!(
            msg,
            "body.skip: value is not a valid integer; body.0: JSON decode error"
        );
        assert!(detail.is_some_and(|d| d.is_array()));
    }

    #[test]
    fn crowdcent_error_with_fields() {
        let body =
            br#"{"error":{"code":"BAD","message":"nope","fields":{"slot":["must be 1-5"],"x":"bad"}}}"#;
        let (code, msg, _) = parse_error_body(400, body);
        assert_eq!(code.as_deref(), Some("BAD"));
        assert_eq!(msg, "nope (slot: must be 1-5; x: bad)");
    }

    #[test]
    fn text_and_empty_bodies() {
        assert_eq!(
            parse_error_body(500, b"Internal Server Error").1,
            "Internal Server Error"
        );
        assert_eq!(parse_error_body(503, b"").1, "Service Unavailable");
        let long = "x".repeat(2000);
        assert_eq!(parse_error_body(500, long.as_bytes()).1.len(), 512);
        // Multi-byte characters are never split.
        let wide = "é".repeat(600);
        assert_eq!(parse_error_body(500, wide.as_bytes()).1.chars().count(), 512);
    }

    #[test]
    fn strip_query_removes_credentials() {
        let u = url::Url::parse("https://user:pw@h.example/a/b?X-Goog-Signature=abc#frag").unwrap();
        assert_eq!(strip_query(&u), "https://h.example/a/b");
        assert_eq!(strip_query_str("not a url?sig=1"), "not a url");
    }

    #[test]
    fn status_mapping() {
        let u = url::Url::parse("http://h/x").unwrap();
        let cases = [
            (400, "BadRequest"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "NotFound"),
            (409, "Conflict"),
            (422, "Validation"),
            (429, "RateLimited"),
            (503, "Server"),
            (418, "Api"),
        ];
        for (status, name) in cases {
            let e = ApiError::from_body(status, "GET", &u, b"", 0).into_error();
            assert!(format!("{e:?}").starts_with(name), "{status} -> {e:?}");
            assert_eq!(e.status(), Some(status));
        }
    }
}
