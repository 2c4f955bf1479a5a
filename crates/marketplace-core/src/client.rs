//! `HttpClient`: a cheaply cloneable reqwest client with config, auth and path joining.

use std::fmt;
use std::sync::Arc;

use reqwest::Method;

use crate::auth::{Auth, AuthState};
use crate::config::{normalize_base, ClientConfig};
use crate::error::{Error, Result};
use crate::request::RequestBuilder;
use crate::send::{too_large, transport_error, ReadFailure};

/// The transport every marketplace client sits on. Clone it freely: clones share the connection
/// pool and the cached bearer token.
///
/// Redirects are never followed; use [`RequestBuilder::send_redirect`] to read a `Location`.
#[derive(Clone)]
pub struct HttpClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Same settings but without the read timeout (it fires while a large body is being written).
    pub(crate) upload_http: reqwest::Client,
    pub(crate) config: ClientConfig,
    pub(crate) auth: AuthState,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner {
            http: _,
            upload_http: _,
            config,
            auth,
        } = &*self.inner;
        f.debug_struct("HttpClient")
            .field("base_url", &config.base_url.as_str())
            .field("user_agent", &config.user_agent)
            .field("auth", auth)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds a client. No request is made (a bearer login happens on first use).
    ///
    /// # Errors
    /// [`Error::Config`] for a non-http(s) base URL, zero timeouts or body limit, an invalid user agent, or when
    /// the TLS backend cannot be initialised.
    pub fn new(mut config: ClientConfig, auth: Auth) -> Result<Self> {
        config.base_url = normalize_base(config.base_url)?;
        if config.connect_timeout.is_zero() || config.request_timeout.is_zero() {
            return Err(Error::Config {
                message: "timeouts must be greater than zero".to_owned(),
            });
        }
        if config.max_body_bytes == 0 {
            return Err(Error::Config {
                message: "max_body_bytes must be greater than zero".to_owned(),
            });
        }
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .user_agent(config.user_agent.clone())
                .redirect(reqwest::redirect::Policy::none())
        };
        let build_error = |e: reqwest::Error| Error::Config {
            message: format!("cannot build the HTTP client: {}", e.without_url()),
        };
        // Idle timeout between reads; API requests additionally get a total timeout per request.
        let http = builder()
            .read_timeout(config.request_timeout)
            .build()
            .map_err(build_error)?;
        let upload_http = builder().build().map_err(build_error)?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http,
                upload_http,
                config,
                auth: AuthState::new(auth),
            }),
        })
    }

    /// The API root (always ending in `/`).
    pub fn base_url(&self) -> &url::Url {
        &self.inner.config.base_url
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Reads the whole body of a response got from [`RequestBuilder::send`], chunk by chunk, up to
    /// [`ClientConfig::max_body_bytes`]. Use it instead of `Response::bytes`, which has no bound.
    /// `method` is the request's, for the error message. A body that breaks off is not retried.
    ///
    /// # Errors
    /// [`Error::BodyTooLarge`] as soon as the body, or its announced `Content-Length`, passes the
    /// limit; [`Error::Timeout`] or [`Error::Transport`] when it breaks off.
    pub async fn read_body(&self, method: &Method, resp: reqwest::Response) -> Result<bytes::Bytes> {
        let limit = self.inner.config.max_body_bytes;
        let url = resp.url().clone();
        let method = method.as_str();
        crate::send::read_capped(resp, limit).await.map_err(|f| match f {
            ReadFailure::TooLarge => too_large(method, &url, limit),
            ReadFailure::Http(e) => transport_error(e, method, &url, 0, None),
        })
    }

    /// Resolves a path (e.g. `users/me`, `challenges/x/submissions/`) against the base URL.
    /// A leading `/` is ignored so the base path is kept; trailing slashes are kept.
    ///
    /// # Errors
    /// [`Error::Config`] when the result is not a valid URL.
    pub fn url(&self, path: &str) -> Result<url::Url> {
        self.base_url()
            .join(path.trim_start_matches('/'))
            .map_err(|e| Error::Config {
                message: format!("cannot join path {path:?} to the base URL: {e}"),
            })
    }

    /// `GET <base>/<path>`.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    /// `POST <base>/<path>` (not idempotent by default).
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
    }

    /// `PUT <base>/<path>`.
    pub fn put(&self, path: &str) -> RequestBuilder {
        self.request(Method::PUT, path)
    }

    /// `DELETE <base>/<path>`.
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.request(Method::DELETE, path)
    }

    /// Any method on a path relative to the base URL.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, self.url(path))
    }

    /// Any method on an absolute URL (auth is still added unless [`RequestBuilder::no_auth`]).
    pub fn request_url(&self, method: Method, url: url::Url) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, Ok(url))
    }
}
