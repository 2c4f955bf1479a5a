//! `orders/search` and `products/search[-authenticated]` (§2.2, §2.3).
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
/// Placeholder.
pub async fn products_public() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn products_authenticated() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
/// Placeholder.
pub async fn orders() -> Response {
    StatusCode::NOT_IMPLEMENTED.into_response()
}
