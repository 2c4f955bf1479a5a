//! Authentication strategies: none, API key, and bearer tokens from a login callback.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// The NumerBay `detail` that means "log in again" (an expired or invalid token is 403, not 401).
pub const INVALID_CREDENTIALS_DETAIL: &str = "Could not validate credentials";

/// Seconds before `exp` at which a token already counts as expired (clock skew, request time).
const EXP_SKEW_SECS: i64 = 30;

/// Obtains a bearer token, e.g. by posting a username and password to a login endpoint.
///
/// Called lazily before the first authenticated request, again when the cached token's JWT `exp`
/// has passed, and at most once more per request when the server rejects the token.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Logs in and returns a fresh token.
    ///
    /// # Errors
    /// Whatever the login request fails with; an API error (wrong password, inactive user) is
    /// reported to callers as [`Error::Auth`].
    fn login(&self) -> BoxFuture<'_, Result<SecretString>>;
}

/// How requests authenticate.
#[derive(Clone)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// `Authorization: Api-Key <key>` (CrowdCent).
    ApiKey(SecretString),
    /// `Authorization: Bearer <token>` with the token from a login callback (NumerBay).
    Bearer(Arc<dyn TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::ApiKey(_) => f.write_str("Auth::ApiKey(******)"),
            Auth::Bearer(source) => f.debug_tuple("Auth::Bearer").field(source).finish(),
        }
    }
}

/// Reads the `exp` claim of a JWT without verifying it. `None` for opaque tokens.
pub fn jwt_expiry(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))
}

/// The auth strategy plus the cached bearer token.
pub(crate) struct AuthState {
    auth: Auth,
    token: tokio::sync::Mutex<Option<SecretString>>,
}

impl fmt::Debug for AuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let AuthState { auth, token: _ } = self;
        f.debug_struct("AuthState")
            .field("auth", auth)
            .finish_non_exhaustive()
    }
}

/// The header value sent, plus the bearer token it came from (to invalidate exactly that one).
pub(crate) struct Credential {
    pub(crate) header: HeaderValue,
    pub(crate) bearer: Option<SecretString>,
}

impl AuthState {
    pub(crate) fn new(auth: Auth) -> Self {
        AuthState {
            auth,
            token: tokio::sync::Mutex::new(None),
        }
    }

    /// The `Authorization` header for the next attempt, logging in if needed.
    pub(crate) async fn credential(&self) -> Result<Option<Credential>> {
        match &self.auth {
            Auth::None => Ok(None),
            Auth::ApiKey(key) => Ok(Some(Credential {
                header: sensitive(&format!("Api-Key {}", key.expose_secret()))?,
                bearer: None,
            })),
            Auth::Bearer(source) => {
                let mut guard = self.token.lock().await;
                let usable = guard.as_ref().filter(|t| !is_expired(t.expose_secret()));
                let token = match usable {
                    Some(t) => t.clone(),
                    None => {
                        if guard.is_some() {
                            tracing::debug!("bearer token expired; logging in again");
                        }
                        let fresh = login(source.as_ref()).await?;
                        *guard = Some(fresh.clone());
                        fresh
                    }
                };
                Ok(Some(Credential {
                    header: sensitive(&format!("Bearer {}", token.expose_secret()))?,
                    bearer: Some(token),
                }))
            }
        }
    }

    /// Forgets `used` (if it is still the cached token) so the next request logs in again.
    pub(crate) async fn invalidate(&self, used: &SecretString) {
        let mut guard = self.token.lock().await;
        if guard
            .as_ref()
            .is_some_and(|t| t.expose_secret() == used.expose_secret())
        {
            *guard = None;
        }
    }
}

async fn login(source: &dyn TokenSource) -> Result<SecretString> {
    match source.login().await {
        Ok(token) if token.expose_secret().is_empty() => Err(Error::Auth {
            message: "login returned an empty token".to_owned(),
            source: None,
        }),
        Ok(token) => Ok(token),
        // The server refused (wrong credentials, inactive user): an auth problem. Transport and
        // 5xx failures stay what they are, so callers can retry them.
        Err(e) if e.status().is_some_and(|s| (400..500).contains(&s)) => Err(Error::Auth {
            message: "login was rejected; check the username and password".to_owned(),
            source: Some(Box::new(e)),
        }),
        Err(e) => Err(e),
    }
}

fn is_expired(token: &str) -> bool {
    jwt_expiry(token).is_some_and(|exp| exp - EXP_SKEW_SECS <= chrono::Utc::now().timestamp())
}

fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| Error::Auth {
        message: "the credential contains characters not allowed in an HTTP header".to_owned(),
        source: None,
    })?;
    v.set_sensitive(true);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(exp: i64) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
            e.encode(format!(r#"{{"exp":{exp},"sub":"1"}}"#))
        )
    }

    #[test]
    fn reads_exp() {
        assert_eq!(jwt_expiry(&jwt(1_700_000_000)), Some(1_700_000_000));
        assert_eq!(jwt_expiry("opaque-token"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
        assert!(is_expired(&jwt(1)));
        assert!(!is_expired(&jwt(chrono::Utc::now().timestamp() + 3600)));
        assert!(!is_expired("opaque"));
    }

    #[test]
    fn debug_hides_key() {
        let a = Auth::ApiKey(SecretString::from("sekrit-key"));
        assert!(!format!("{a:?}").contains("sekrit"));
    }

    #[test]
    fn header_is_sensitive() {
        let h = sensitive("Bearer x").unwrap();
        assert!(h.is_sensitive());
    }
}
