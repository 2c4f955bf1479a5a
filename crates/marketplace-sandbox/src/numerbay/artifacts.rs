//! Product artifacts and lock (§2.4-§2.7, §2.12).
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
/// Placeholder.
pub async fn list() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn upload_url() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn delete() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn validate() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn download_url() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn lock() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
