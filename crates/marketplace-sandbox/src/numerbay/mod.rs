//! NumerBay emulation (spec `numerbay-api.md` §1-§4, §6, §9), mounted under `/backend-api/v1`.
//!
//! Error bodies follow FastAPI: `{"detail": "<message>"}` with the exact messages of the spec,
//! pydantic-v1 422 items, 401 `Not authenticated` (with `WWW-Authenticate: Bearer`) for a missing
//! token versus 403 `Could not validate credentials` for a bad or expired one, and a 307 to the
//! canonical path when a trailing slash is added or missing. Numerai itself is simulated: the
//! round is open unless the control API closes it, and Numerai-direct uploads land in the
//! sandbox's own storage under `numerai/` and their validation succeeds unless the
//! `numerai-submission` fault is on.

mod artifacts;
mod http;
mod misc;
pub(crate) mod model;
mod order_artifacts;
mod orders;
mod render;
mod search;
mod seed;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub(crate) use seed::{seed, write_key_file};

/// The seeded selling round.
pub const SEED_ROUND: u64 = 500;
/// Slug of the seeded per-round category.
pub const CATEGORY_SLUG: &str = "numerai-predictions";
/// Full name (sku) of the seeded encrypted product.
pub const ENCRYPTED_PRODUCT: &str = "numerai-predictions-mkt-sealed";
/// Full name (sku) of the seeded unencrypted product.
pub const PLAIN_PRODUCT: &str = "numerai-predictions-mkt-plain";
/// Password of the seeded accounts other than `seller` and `buyer` (a sandbox fixture).
pub const OTHER_PASSWORD: &str = "sandbox-password";
/// Lifetime of signed storage URLs (spec §6: 10 minutes).
pub const URL_TTL: std::time::Duration = std::time::Duration::from_secs(600);
/// Lifetime of access tokens (spec §1.3: 11 520 minutes).
pub const TOKEN_TTL_MINUTES: i64 = 11_520;

/// The NumerBay tables plus the token-signing secret.
pub(crate) struct NumerbayState {
    db: Mutex<model::Db>,
    token_secret: [u8; 32],
    data_dir: PathBuf,
}

impl std::fmt::Debug for NumerbayState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumerbayState")
            .field("data_dir", &self.data_dir)
            .field("token_secret", &"******")
            .finish_non_exhaustive()
    }
}

impl NumerbayState {
    /// Locks the tables (never held across an await).
    pub fn db(&self) -> MutexGuard<'_, model::Db> {
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The data directory (key files of created users go there).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

/// The NumerBay routes, relative to `/backend-api/v1`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(misc::healthz))
        .route("/login/access-token", post(misc::login))
        .route("/login/test-token", post(misc::test_token))
        .route("/users/me", get(misc::me).put(misc::update_me))
        .route("/globals/", get(misc::globals))
        .route("/categories/", get(misc::categories))
        .route("/categories/{id}", get(misc::category))
        .route("/products/search", post(search::products_public))
        .route(
            "/products/search-authenticated",
            post(search::products_authenticated),
        )
        .route("/orders/search", post(search::orders))
        .route("/orders/", post(orders::create))
        .route("/orders/{id}", axum::routing::delete(orders::cancel))
        .route("/products/{pid}/artifacts", get(artifacts::list))
        .route(
            "/products/{pid}/artifacts/generate-upload-url",
            post(artifacts::upload_url),
        )
        .route(
            "/products/{pid}/artifacts/{aid}",
            axum::routing::delete(artifacts::delete),
        )
        .route(
            "/products/{pid}/artifacts/{aid}/validate-upload",
            post(artifacts::validate),
        )
        .route(
            "/products/{pid}/artifacts/{aid}/generate-download-url",
            get(artifacts::download_url),
        )
        .route("/products/{pid}/lock", post(artifacts::lock))
        .route("/artifacts/", get(order_artifacts::list))
        .route(
            "/artifacts/generate-upload-url",
            post(order_artifacts::upload_url),
        )
        .route(
            "/artifacts/{id}",
            get(order_artifacts::get_one).delete(order_artifacts::delete),
        )
        .route("/artifacts/{id}/validate-upload", post(order_artifacts::validate))
        .route(
            "/artifacts/{id}/generate-download-url",
            get(order_artifacts::download_url),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

const PREFIX: &str = "/backend-api/v1";

/// Canonical route shapes (`*` = one path parameter) for the slash redirect.
const CANONICAL: &[&str] = &[
    "/healthz",
    "/login/access-token",
    "/login/test-token",
    "/users/me",
    "/globals/",
    "/categories/",
    "/categories/*",
    "/products/search",
    "/products/search-authenticated",
    "/orders/search",
    "/products/*/artifacts",
    "/products/*/artifacts/generate-upload-url",
    "/products/*/artifacts/*",
    "/products/*/artifacts/*/validate-upload",
    "/products/*/artifacts/*/generate-download-url",
    "/products/*/lock",
    "/artifacts/",
    "/artifacts/*",
    "/artifacts/*/validate-upload",
    "/artifacts/*/generate-download-url",
    "/orders/",
    "/orders/*",
    "/products/",
    "/users/",
    "/stats/",
];

fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| (*a == "*" && !b.is_empty()) || a == b)
}

/// Spec §1.1: a path that only differs from a route by its trailing slash answers 307 (Starlette's
/// slash redirect) with an absolute `Location` and an empty body.
pub(crate) async fn slash_redirect(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return next.run(req).await;
    };
    if rest.is_empty() || CANONICAL.iter().any(|p| matches(p, rest)) {
        return next.run(req).await;
    }
    let toggled = match rest.strip_suffix('/') {
        Some(r) => r.to_string(),
        None => format!("{rest}/"),
    };
    if !CANONICAL.iter().any(|p| matches(p, &toggled)) {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let location = format!("http://{host}{PREFIX}{toggled}{query}");
    let mut resp = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(serde_json::json!({"detail": "Method Not Allowed"})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segments() {
        assert!(matches("/products/*/artifacts", "/products/12/artifacts"));
        assert!(!matches("/products/*/artifacts", "/products/12/artifacts/"));
        assert!(matches("/globals/", "/globals/"));
        assert!(!matches("/globals/", "/globals"));
    }
}
