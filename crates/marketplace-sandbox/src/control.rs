//! The control API under `/_sandbox` (documented in the crate docs).
use crate::{AppState, SandboxInfo};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

/// The control routes, relative to `/_sandbox`.
pub fn router() -> Router<AppState> {
    Router::new().route("/info", get(info))
}

async fn info(State(st): State<AppState>) -> Json<SandboxInfo> {
    Json((*st.info).clone())
}
