//! Plain-data client and retry configuration with documented defaults.

use std::time::Duration;

use crate::error::{Error, Result};

/// The user agent every request carries: `mkt/<version>`.
pub const USER_AGENT: &str = concat!("mkt/", env!("CARGO_PKG_VERSION"));

/// Default for [`ClientConfig::max_body_bytes`]: 64 MiB, far above the JSON answers the supported
/// APIs send (pages of 100 items, lists of submissions), low enough to keep a bad server harmless.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// When and how often to retry.
///
/// Retried: connect errors, 408, 429 (honouring `Retry-After`) and 5xx; timeouts and other transport
/// failures only for idempotent requests; never a request marked `no_retry`.
///
/// Defaults: `max_retries = 3`, `initial_backoff = 200 ms`, `max_backoff = 15 s`,
/// `retry_timeout = 3 min`, `jitter_seed = None`. Delays run on tokio's clock, so a test with a
/// paused runtime (`tokio::time::pause`) sleeps none of them for real.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// Backoff before the first retry; doubles each retry (with jitter).
    pub initial_backoff: Duration,
    /// Upper bound for one backoff, and for an honoured `Retry-After`.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first attempt; a `Retry-After`
    /// that would end beyond it fails at once instead of sleeping.
    pub retry_timeout: Duration,
    /// Seed of the backoff jitter ([`Jitter`](crate::Jitter)); `None` seeds from the operating
    /// system. A fixed seed makes the delays reproducible (tests, simulations).
    pub jitter_seed: Option<u64>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(15),
            retry_timeout: Duration::from_secs(180),
            jitter_seed: None,
        }
    }
}

impl RetryConfig {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
    }
}

/// Everything an [`HttpClient`](crate::HttpClient) needs besides credentials.
///
/// Defaults (from [`ClientConfig::new`]): `connect_timeout = 10 s`, `request_timeout = 60 s`,
/// `user_agent = "mkt/<version>"`, `retry = RetryConfig::default()`,
/// `max_body_bytes = 64 MiB` ([`DEFAULT_MAX_BODY_BYTES`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// API root; paths given to `get`/`post`/... are joined onto it. A trailing `/` is added when
    /// missing so that the last segment is kept.
    pub base_url: url::Url,
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Total time allowed for an API request (including its body). For uploads and downloads,
    /// which may take long, it is the read-idle timeout instead: the longest wait for the next bytes.
    pub request_timeout: Duration,
    /// `User-Agent` header value.
    pub user_agent: String,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Largest 2xx response body read into memory ([`send_json`], [`send_bytes`],
    /// [`HttpClient::read_body`]). The body is read chunk by chunk and the request fails with
    /// [`Error::BodyTooLarge`] as soon as it passes this many bytes, or at once when its
    /// `Content-Length` announces more; so a hostile or broken server cannot make the process
    /// grow without bound. Downloads to a file are not affected. Must be greater than zero.
    ///
    /// [`send_json`]: crate::RequestBuilder::send_json
    /// [`send_bytes`]: crate::RequestBuilder::send_bytes
    /// [`HttpClient::read_body`]: crate::HttpClient::read_body
    pub max_body_bytes: u64,
}

impl ClientConfig {
    /// Default configuration for an API root such as `https://numerbay.ai/backend-api/v1`.
    ///
    /// # Errors
    /// [`Error::Config`] when the URL does not parse or is not `http`/`https`.
    pub fn new(base_url: &str) -> Result<Self> {
        let url = url::Url::parse(base_url).map_err(|e| Error::Config {
            message: format!(
                "base URL {:?} is not a valid URL ({e}); use e.g. https://host/api",
                crate::error::strip_query_str(base_url)
            ),
        })?;
        Ok(ClientConfig {
            base_url: normalize_base(url)?,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: USER_AGENT.to_owned(),
            retry: RetryConfig::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }
}

/// Checks the scheme and makes sure the path ends with `/`, so `Url::join` appends.
pub(crate) fn normalize_base(mut url: url::Url) -> Result<url::Url> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config {
            message: format!(
                "base URL {} must use http or https",
                crate::error::strip_query(&url)
            ),
        });
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_finite_and_documented() {
        let c = ClientConfig::new("https://api.example.invalid/backend-api/v1").unwrap();
        assert_eq!(c.base_url.as_str(), "https://api.example.invalid/backend-api/v1/");
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
        assert_eq!(c.request_timeout, Duration::from_secs(60));
        assert!(c.user_agent.starts_with("mkt/"));
        assert_eq!(c.retry.max_retries, 3);
        assert_eq!(c.max_body_bytes, 64 * 1024 * 1024);
        assert_eq!(
            c.base_url.join("users/me").unwrap().path(),
            "/backend-api/v1/users/me"
        );
    }

    #[test]
    fn rejects_bad_urls() {
        assert!(matches!(ClientConfig::new("nope"), Err(Error::Config { .. })));
        assert!(matches!(ClientConfig::new("ftp://x/"), Err(Error::Config { .. })));
    }
}
