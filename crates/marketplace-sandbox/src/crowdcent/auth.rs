//! `Authorization: Api-Key <key>` authentication (spec §1.2, §9) as an axum extractor.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, HOST};
use axum::http::request::Parts;

use super::reply::ApiError;
use super::state::Account;
use super::MOUNT;
use crate::AppState;

/// The authenticated caller of a CrowdCent endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) account: Account,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let cc = &state.crowdcent;
        let reject =
            |message: &str| ApiError::new(axum::http::StatusCode::UNAUTHORIZED, "NOT_AUTHENTICATED", message);
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            return Err(reject("Authentication credentials were not provided."));
        };
        let Some(key) = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Api-Key "))
            .filter(|k| !k.is_empty())
        else {
            return Err(reject(
                "Malformed Authorization header; send `Authorization: Api-Key <key>`.",
            ));
        };
        match cc.account(key) {
            Some(account) => Ok(Caller { account }),
            None => Err(reject("Invalid API key.")),
        }
    }
}

/// The absolute API root as the client reached it (`http://<Host>/api`), for `download_url` fields.
#[derive(Debug, Clone)]
pub(crate) struct ApiRoot(pub(crate) String);

impl FromRequestParts<AppState> for ApiRoot {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Ok(ApiRoot(format!("http://{host}{MOUNT}")))
    }
}
