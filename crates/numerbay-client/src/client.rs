//! The [`NumerBay`] client: construction, credentials and the password login.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use marketplace_core::{Auth, ClientConfig, HttpClient, TokenSource};
use marketplace_types::numerbay::Token;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// The production API root.
pub const DEFAULT_BASE_URL: &str = "https://numerbay.ai/backend-api/v1";
/// Environment variable holding the NumerBay username (read only by [`NumerBay::from_env`]).
pub const ENV_USERNAME: &str = "NUMERBAY_USERNAME";
/// Environment variable holding the NumerBay password (read only by [`NumerBay::from_env`]).
pub const ENV_PASSWORD: &str = "NUMERBAY_PASSWORD";
/// Environment variable overriding the API root (read only by [`NumerBay::from_env`]).
pub const ENV_API_URL: &str = "NUMERBAY_API_URL";

/// A NumerBay username and password. `Debug` never shows the password.
#[derive(Clone)]
pub struct Credentials {
    username: String,
    password: SecretString,
}

impl Credentials {
    /// Credentials for password login (NumerBay looks users up by username, not e-mail).
    pub fn new(username: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Reads `NUMERBAY_USERNAME` and `NUMERBAY_PASSWORD`; empty values count as missing.
    ///
    /// # Errors
    /// [`Error::MissingEnv`] naming the first missing variable.
    pub fn from_env() -> Result<Self> {
        let username = env_nonempty(ENV_USERNAME).ok_or(Error::MissingEnv { var: ENV_USERNAME })?;
        let password = env_nonempty(ENV_PASSWORD).ok_or(Error::MissingEnv { var: ENV_PASSWORD })?;
        Ok(Self::new(username, password))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            username,
            password: _,
        } = self;
        f.debug_struct("Credentials")
            .field("username", username)
            .field("password", &"******")
            .finish()
    }
}

use marketplace_core::env::non_empty as env_nonempty;

/// Logs in with a username and password (`POST login/access-token`, form-encoded).
struct PasswordLogin {
    http: HttpClient,
    credentials: Credentials,
}

impl fmt::Debug for PasswordLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordLogin")
            .field("username", &self.credentials.username)
            .finish_non_exhaustive()
    }
}

impl TokenSource for PasswordLogin {
    fn login(&self) -> BoxFuture<'_, marketplace_core::Result<SecretString>> {
        Box::pin(async move {
            let form = [
                ("username", self.credentials.username.as_str()),
                ("password", self.credentials.password.expose_secret()),
                ("grant_type", "password"),
            ];
            tracing::debug!(username = %self.credentials.username, "logging in to numerbay");
            // Spec §1.2: form body; 400 `Incorrect username or password` / `Inactive user`.
            // Core turns an API error here into `Error::Auth` with the server's text as source.
            let token: Token = self
                .http
                .post("login/access-token")
                .form(&form)
                .no_auth()
                .idempotent(true)
                .send_json()
                .await?;
            Ok(SecretString::from(token.access_token))
        })
    }
}

/// A NumerBay API client. Cheap to clone (clones share connections and the login token).
///
/// Public calls (globals, categories, public product search) work without credentials; everything
/// else logs in lazily on first use and again once when the token expires.
#[derive(Clone, Debug)]
pub struct NumerBay {
    pub(crate) http: HttpClient,
    pub(crate) logged_in: bool,
    pub(crate) username: Option<String>,
}

impl NumerBay {
    /// A client for `config` (see [`ClientConfig::new`]), with or without credentials.
    ///
    /// # Errors
    /// [`Error::Http`] with a configuration error (bad base URL, zero timeouts).
    pub fn new(config: ClientConfig, credentials: Option<Credentials>) -> Result<Self> {
        let username = credentials.as_ref().map(|c| c.username.clone());
        let auth = match credentials {
            Some(credentials) => {
                let login_http = HttpClient::new(config.clone(), Auth::None)?;
                Auth::Bearer(Arc::new(PasswordLogin {
                    http: login_http,
                    credentials,
                }))
            }
            None => Auth::None,
        };
        Ok(Self {
            http: HttpClient::new(config, auth)?,
            logged_in: username.is_some(),
            username,
        })
    }

    /// A builder: base URL, credentials and transport settings.
    pub fn builder() -> NumerBayBuilder {
        NumerBayBuilder::default()
    }

    /// A client from `NUMERBAY_USERNAME`, `NUMERBAY_PASSWORD` and, optionally, `NUMERBAY_API_URL`.
    ///
    /// This and [`NumerBayBuilder::from_env`] are the only places the library reads the
    /// environment; neither loads `.env` files (an application does that before it starts threads).
    ///
    /// # Errors
    /// [`Error::MissingEnv`] when the username or password is missing; [`Error::Http`] for a bad URL.
    pub fn from_env() -> Result<Self> {
        Self::builder().from_env()?.build()
    }

    /// The API root this client talks to.
    pub fn base_url(&self) -> &url::Url {
        self.http.base_url()
    }

    /// The username this client logs in with, if any.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The underlying transport (for calls this crate does not wrap).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    pub(crate) fn require_login(&self, call: &'static str) -> Result<()> {
        if self.logged_in {
            Ok(())
        } else {
            Err(Error::CredentialsRequired { call })
        }
    }
}

/// Builds a [`NumerBay`] client; the same methods as `crowdcent_client::CrowdCentBuilder`.
#[derive(Debug, Default)]
pub struct NumerBayBuilder {
    base_url: Option<String>,
    config: Option<ClientConfig>,
    credentials: Option<Credentials>,
}

impl NumerBayBuilder {
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

    /// Username and password for the calls that need a login.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Takes the credentials from `NUMERBAY_USERNAME` and `NUMERBAY_PASSWORD` and, when set, the
    /// API root from `NUMERBAY_API_URL`. Does not load `.env` files.
    ///
    /// # Errors
    /// [`Error::MissingEnv`] naming the first missing credential variable.
    pub fn from_env(mut self) -> Result<Self> {
        self.credentials = Some(Credentials::from_env()?);
        if let Some(url) = env_nonempty(ENV_API_URL) {
            self.base_url = Some(url);
        }
        Ok(self)
    }

    /// Builds the client. No request is made.
    ///
    /// # Errors
    /// [`Error::Http`] with a configuration error (bad base URL).
    pub fn build(self) -> Result<NumerBay> {
        let config = match self.config {
            Some(c) => c,
            None => ClientConfig::new(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?,
        };
        NumerBay::new(config, self.credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_password() {
        let c = Credentials::new("alice", "hunter2-secret");
        let shown = format!("{c:?}");
        assert!(shown.contains("alice"));
        assert!(!shown.contains("hunter2"));
        let nb = NumerBay::builder()
            .base_url("http://127.0.0.1:9/api")
            .credentials(c)
            .build()
            .expect("valid config");
        assert!(!format!("{nb:?}").contains("hunter2"));
    }

    #[test]
    fn default_base_url_is_production() {
        let nb = NumerBay::builder().build().expect("valid config");
        assert_eq!(nb.base_url().as_str(), "https://numerbay.ai/backend-api/v1/");
        assert!(nb.require_login("orders").is_err());
    }
}
