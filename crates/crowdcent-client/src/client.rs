//! [`CrowdCent`]: construction (builder or from the environment) and account-level calls.

use std::fmt;

use marketplace_core::{Auth, ClientConfig, HttpClient};
use marketplace_types::crowdcent::{AuthCheck, Challenge};
use secrecy::{ExposeSecret, SecretString};

use crate::challenge::ChallengeClient;
use crate::error::{Error, Result};
use crate::params::check_segment;

/// The production API root.
pub const DEFAULT_BASE_URL: &str = "https://crowdcent.com/api";
/// Environment variable holding the API key (read only by the `from_env` constructors).
pub const ENV_API_KEY: &str = "CROWDCENT_API_KEY";
/// Environment variable overriding the API root (read only by the `from_env` constructors).
pub const ENV_API_URL: &str = "CROWDCENT_API_URL";

/// A client for the CrowdCent Challenge API. Cheap to clone.
///
/// Every request carries `Authorization: Api-Key <key>` (except downloads from the storage host,
/// which never see the key). Paths keep their trailing slashes. Challenge-scoped calls go through
/// [`CrowdCent::challenge`].
#[derive(Clone)]
pub struct CrowdCent {
    pub(crate) http: HttpClient,
}

impl fmt::Debug for CrowdCent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // HttpClient's Debug redacts the key.
        f.debug_struct("CrowdCent").field("http", &self.http).finish()
    }
}

impl CrowdCent {
    /// A client for `config` (see [`ClientConfig::new`]) with `api_key`.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] for an empty key, [`Error::Http`] for an invalid configuration.
    pub fn new(config: ClientConfig, api_key: SecretString) -> Result<Self> {
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::MissingApiKey);
        }
        let http = HttpClient::new(config, Auth::ApiKey(api_key))?;
        Ok(CrowdCent { http })
    }

    /// A builder: base URL, transport settings and the API key.
    pub fn builder() -> CrowdCentBuilder {
        CrowdCentBuilder::default()
    }

    /// A client from `CROWDCENT_API_KEY` and, optionally, `CROWDCENT_API_URL`
    /// (else [`DEFAULT_BASE_URL`]).
    ///
    /// This and [`CrowdCentBuilder::from_env`] are the only places the library reads the
    /// environment; neither loads `.env` files (an application does that before it starts threads).
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] when the key is missing or empty (no request is made),
    /// [`Error::Http`] for an invalid URL.
    pub fn from_env() -> Result<Self> {
        Self::builder().from_env()?.build()
    }

    /// The API root this client talks to.
    pub fn base_url(&self) -> &url::Url {
        self.http.base_url()
    }

    /// The underlying transport.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Calls scoped to one challenge. The slug is checked locally for characters that cannot be
    /// a path segment; whether it exists is only known after a request.
    ///
    /// # Errors
    /// [`Error::InvalidSegment`] for an empty slug or one with `/`, `?`, spaces, ...
    pub fn challenge(&self, slug: &str) -> Result<ChallengeClient> {
        check_segment("challenge slug", slug)?;
        Ok(ChallengeClient::new(self.clone(), slug.to_owned()))
    }

    /// `GET /challenges/`: every active challenge.
    ///
    /// # Errors
    /// [`Error::Auth`] when the key is rejected, [`Error::Http`] for other failures.
    pub async fn list_challenges(&self) -> Result<Vec<Challenge>> {
        Ok(self.http.get("challenges/").send_json().await?)
    }

    /// `GET /auth/check/`: who the key belongs to and what it may do.
    ///
    /// # Errors
    /// [`Error::Auth`] when the key is rejected, [`Error::Http`] for other failures.
    pub async fn auth_check(&self) -> Result<AuthCheck> {
        Ok(self.http.get("auth/check/").send_json().await?)
    }
}

/// Builds a [`CrowdCent`] client; the same methods as `numerbay_client::NumerBayBuilder`.
#[derive(Default)]
pub struct CrowdCentBuilder {
    base_url: Option<String>,
    config: Option<ClientConfig>,
    api_key: Option<SecretString>,
}

impl fmt::Debug for CrowdCentBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            base_url,
            config,
            api_key,
        } = self;
        f.debug_struct("CrowdCentBuilder")
            .field("base_url", base_url)
            .field("config", config)
            .field("api_key", &api_key.as_ref().map(|_| "******"))
            .finish()
    }
}

impl CrowdCentBuilder {
    /// The API root (default [`DEFAULT_BASE_URL`]); ignored when [`Self::config`] is given.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Full transport configuration (timeouts, retries, user agent, base URL).
    #[must_use]
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// The API key sent with every API request.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Takes the key from `CROWDCENT_API_KEY` and, when set, the API root from
    /// `CROWDCENT_API_URL`. Does not load `.env` files.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] when the key is missing or empty.
    pub fn from_env(mut self) -> Result<Self> {
        self.api_key = Some(api_key_from_env()?);
        if let Some(url) = base_url_from_env() {
            self.base_url = Some(url);
        }
        Ok(self)
    }

    /// Builds the client. No request is made.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] without a non-empty key, [`Error::Http`] for a bad base URL.
    pub fn build(self) -> Result<CrowdCent> {
        let key = self.api_key.ok_or(Error::MissingApiKey)?;
        let config = match self.config {
            Some(c) => c,
            None => ClientConfig::new(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?,
        };
        CrowdCent::new(config, key)
    }
}

/// The API key from `CROWDCENT_API_KEY`. Empty values count as missing; `.env` is not read.
///
/// # Errors
/// [`Error::MissingApiKey`] when it is not set or empty.
pub fn api_key_from_env() -> Result<SecretString> {
    env_var(ENV_API_KEY)
        .map(SecretString::from)
        .ok_or(Error::MissingApiKey)
}

/// The API root from `CROWDCENT_API_URL`, if set and non-empty (`.env` is not read).
pub fn base_url_from_env() -> Option<String> {
    env_var(ENV_API_URL)
}

use marketplace_core::env::non_empty as env_var;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let client = CrowdCent::builder().api_key("sk-very-secret-123");
        assert!(!format!("{client:?}").contains("sk-very-secret-123"));
        let text = client.build().map(|c| format!("{c:?}")).unwrap_or_default();
        assert!(text.contains("CrowdCent"));
        assert!(!text.contains("sk-very-secret-123"));
    }

    #[test]
    fn empty_or_absent_key_is_missing() {
        assert!(matches!(
            CrowdCent::builder().api_key("  ").build(),
            Err(Error::MissingApiKey)
        ));
        assert!(matches!(CrowdCent::builder().build(), Err(Error::MissingApiKey)));
    }

    #[test]
    fn builder_sets_the_base_url() {
        let c = CrowdCent::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9/api")
            .build()
            .expect("client");
        assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9/api/");
        let c = CrowdCent::builder().api_key("k").build().expect("client");
        assert_eq!(c.base_url().as_str(), "https://crowdcent.com/api/");
    }
}
