//! `CrowdCentClient`: construction (explicit or from the environment) and account-level calls.

use std::fmt;
use std::path::Path;

use marketplace_core::{Auth, ClientConfig, HttpClient};
use marketplace_types::crowdcent::{AuthCheck, Challenge};
use secrecy::{ExposeSecret, SecretString};

use crate::challenge::ChallengeClient;
use crate::error::{Error, Result};
use crate::params::check_segment;

/// The production API root.
pub const DEFAULT_BASE_URL: &str = "https://crowdcent.com/api";
/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "CROWDCENT_API_KEY";
/// Environment variable overriding the API root.
pub const API_URL_ENV: &str = "CROWDCENT_API_URL";

/// A client for the CrowdCent Challenge API. Cheap to clone.
///
/// Every request carries `Authorization: Api-Key <key>` (except downloads from the storage host,
/// which never see the key). Paths keep their trailing slashes. Challenge-scoped calls go through
/// [`CrowdCentClient::challenge`].
#[derive(Clone)]
pub struct CrowdCentClient {
    pub(crate) http: HttpClient,
}

impl fmt::Debug for CrowdCentClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // HttpClient's Debug redacts the key.
        f.debug_struct("CrowdCentClient")
            .field("http", &self.http)
            .finish()
    }
}

impl CrowdCentClient {
    /// A client for the production API with default timeouts and retries.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] for an empty key.
    pub fn new(api_key: SecretString) -> Result<Self> {
        Self::with_base_url(api_key, DEFAULT_BASE_URL)
    }

    /// A client for another API root (a sandbox, a staging server).
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] for an empty key, [`Error::Http`] for an invalid URL.
    pub fn with_base_url(api_key: SecretString, base_url: &str) -> Result<Self> {
        Self::with_config(api_key, ClientConfig::new(base_url)?)
    }

    /// A client with full control over timeouts and retries.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] for an empty key, [`Error::Http`] for an invalid configuration.
    pub fn with_config(api_key: SecretString, config: ClientConfig) -> Result<Self> {
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::MissingApiKey);
        }
        let http = HttpClient::new(config, Auth::ApiKey(api_key))?;
        Ok(CrowdCentClient { http })
    }

    /// A client configured from the environment, the way the official client documents it:
    /// the key from `CROWDCENT_API_KEY`, else from a `.env` file in the current working directory;
    /// the API root from `CROWDCENT_API_URL` (same lookup), else [`DEFAULT_BASE_URL`].
    ///
    /// The `.env` file is only read, never loaded into the process environment, and a variable
    /// already set in the environment wins over the file.
    ///
    /// # Errors
    /// [`Error::MissingApiKey`] when no non-empty key is found (no request is made),
    /// [`Error::DotEnv`] when it is not in the environment and `.env` has a line that cannot be
    /// parsed.
    pub fn from_env() -> Result<Self> {
        let key = api_key_from_env()?;
        let base = env_or_dotenv(API_URL_ENV).unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Self::with_base_url(key, &base)
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

/// The API key from `CROWDCENT_API_KEY`, else from `./.env`. Empty values count as missing.
///
/// # Errors
/// [`Error::MissingApiKey`] when neither has a non-empty key; [`Error::DotEnv`] (with the line
/// number) when the key is not in the environment and `./.env` has a line that cannot be parsed
/// and no `CROWDCENT_API_KEY` line before or after it.
pub fn api_key_from_env() -> Result<SecretString> {
    if let Some(v) = env_var(API_KEY_ENV) {
        return Ok(SecretString::from(v));
    }
    dotenv_lookup(Path::new(".env"), API_KEY_ENV)?
        .map(SecretString::from)
        .ok_or(Error::MissingApiKey)
}

/// The API root from `CROWDCENT_API_URL`, else from `./.env`, if set and non-empty.
pub fn base_url_from_env() -> Option<String> {
    env_or_dotenv(API_URL_ENV)
}

/// A variable from the process environment, else from `.env` in the working directory.
// Spec §1.3/§8.11: the reference looks for `.env` next to the installed package; the docs promise
// the working directory, which is what we do.
fn env_or_dotenv(name: &str) -> Option<String> {
    env_var(name).or_else(|| dotenv_lookup(Path::new(".env"), name).ok().flatten())
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Reads one variable from a `.env` file without touching the process environment.
///
/// A missing or unreadable file is `Ok(None)`. A statement dotenvy cannot parse is skipped like
/// python-dotenv does, but when `name` is not found anywhere the first such statement is the
/// error, with its line number (dotenvy reports only the statement text and a column).
pub(crate) fn dotenv_lookup(path: &Path, name: &str) -> Result<Option<String>> {
    let Ok(iter) = dotenvy::from_path_iter(path) else {
        return Ok(None);
    };
    let mut first_error = None;
    for item in iter {
        match item {
            Ok((k, v)) if k == name => return Ok(Some(v).filter(|v| !v.trim().is_empty())),
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e @ dotenvy::Error::LineParse(..)) => Err(Error::DotEnv {
            path: path.to_path_buf(),
            line: line_of(path, &e),
            source: e,
        }),
        _ => Ok(None),
    }
}

/// The 1-based line where the statement of a `LineParse` error starts (0 when it cannot be found).
fn line_of(path: &Path, e: &dotenvy::Error) -> usize {
    let dotenvy::Error::LineParse(statement, _) = e else {
        return 0;
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = text.replace("\r\n", "\n");
    let statement = statement.trim_end_matches(['\r', '\n']);
    if statement.is_empty() {
        return 0;
    }
    // The statement may be a line's tail after `export ` or spaces, so match inside lines too.
    text.match_indices(statement)
        .next()
        .map_or(0, |(at, _)| text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let c = CrowdCentClient::new(SecretString::from("sk-very-secret-123")).map(|c| format!("{c:?}"));
        let text = c.unwrap_or_default();
        assert!(text.contains("CrowdCentClient"));
        assert!(!text.contains("sk-very-secret-123"));
    }

    #[test]
    fn empty_key_is_missing() {
        assert!(matches!(
            CrowdCentClient::new(SecretString::from("  ")),
            Err(Error::MissingApiKey)
        ));
    }

    #[test]
    fn dotenv_file_is_read_without_loading() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".env");
        std::fs::write(&path, "OTHER=1\nCROWDCENT_TEST_ONLY_KEY=\"abc def\"\nEMPTY=\n")?;
        assert_eq!(
            dotenv_lookup(&path, "CROWDCENT_TEST_ONLY_KEY")?.as_deref(),
            Some("abc def")
        );
        assert_eq!(dotenv_lookup(&path, "EMPTY")?, None);
        assert_eq!(dotenv_lookup(&path, "MISSING")?, None);
        assert_eq!(dotenv_lookup(&dir.path().join("absent"), "MISSING")?, None);
        assert!(std::env::var("CROWDCENT_TEST_ONLY_KEY").is_err());
        Ok(())
    }

    #[test]
    fn a_malformed_dotenv_line_is_reported_with_its_number() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".env");
        std::fs::write(&path, "# keys\nOTHER=1\n\nCROWDCENT KEY = abc\nLATER=2\n")?;
        match dotenv_lookup(&path, "CROWDCENT_TEST_ONLY_KEY") {
            Err(e @ Error::DotEnv { line: 4, .. }) => {
                assert!(e.to_string().contains("line 4 of"), "{e}");
            }
            other => panic!("expected a line-4 error, got {other:?}"),
        }
        // A key found elsewhere in the file still wins over an unrelated bad line.
        assert_eq!(dotenv_lookup(&path, "LATER")?.as_deref(), Some("2"));
        Ok(())
    }
}
