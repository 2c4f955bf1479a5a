//! CrowdCent error bodies (`{"error": {"code", "message", "fields"?}}`) and response helpers.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An error answered with the CrowdCent error body of spec §1.4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// HTTP status.
    pub(crate) status: StatusCode,
    /// Machine-readable `error.code`.
    pub(crate) code: &'static str,
    /// Human-readable `error.message`.
    pub(crate) message: String,
    /// Optional per-field detail (`error.fields`).
    pub(crate) fields: BTreeMap<String, Vec<String>>,
}

impl ApiError {
    /// A new error without field detail.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    /// A 400 error carrying one field message.
    pub(crate) fn field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut error = Self::new(StatusCode::BAD_REQUEST, code, message.clone());
        error.fields.insert(field.to_owned(), vec![message]);
        error
    }

    /// 404 `NOT_FOUND`.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    /// 500 `INTERNAL_ERROR`, logged with its cause.
    pub(crate) fn internal(what: &str, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "crowdcent sandbox: {what}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            format!("The sandbox failed to {what}; see the server log."),
        )
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: &'a BTreeMap<String, Vec<String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                fields: &self.fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// Handler result: a response or a CrowdCent error body.
pub(crate) type Reply<T = Response> = Result<T, ApiError>;

/// 302 with `Location`, as the download endpoints answer (spec §2.5).
pub(crate) fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(axum::http::header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Fallback for any unknown path under the API root.
pub(crate) async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("No API endpoint at {}.", uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn error_body_has_spec_shape() {
        let response = ApiError::field("NOTES_TOO_LONG", "notes", "too long").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(
            value,
            serde_json::json!({"error": {"code": "NOTES_TOO_LONG", "message": "too long",
                "fields": {"notes": ["too long"]}}})
        );
        let plain = ApiError::not_found("nope").into_response();
        let bytes = axum::body::to_bytes(plain.into_body(), 1 << 16)
            .await
            .expect("body");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(
            value,
            serde_json::json!({"error": {"code": "NOT_FOUND", "message": "nope"}})
        );
    }
}
