//! FastAPI-style plumbing: error bodies (§1.4), bearer tokens (§1.3), form/JSON body parsing with
//! pydantic-v1 422 items, and integer coercion.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use super::NumerbayState;

/// A NumerBay error response.
#[derive(Debug)]
pub enum ApiError {
    /// `{"detail": "<message>"}` with a status.
    Detail(StatusCode, String),
    /// 401 `Not authenticated` with `WWW-Authenticate: Bearer`.
    NotAuthenticated,
    /// 422 with pydantic-v1 items.
    Validation(Vec<Value>),
    /// 500 `text/plain` `Internal Server Error` (Starlette default).
    Internal,
}

impl ApiError {
    /// 400 with a detail message.
    pub fn bad_request(msg: &str) -> Self {
        Self::Detail(StatusCode::BAD_REQUEST, msg.to_string())
    }
    /// 403 with a detail message.
    pub fn forbidden(msg: &str) -> Self {
        Self::Detail(StatusCode::FORBIDDEN, msg.to_string())
    }
    /// 404 with a detail message.
    pub fn not_found(msg: &str) -> Self {
        Self::Detail(StatusCode::NOT_FOUND, msg.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Detail(status, msg) => (status, Json(json!({ "detail": msg }))).into_response(),
            Self::NotAuthenticated => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                Json(json!({"detail": "Not authenticated"})),
            )
                .into_response(),
            Self::Validation(items) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "detail": items }))).into_response()
            }
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Internal Server Error",
            )
                .into_response(),
        }
    }
}

/// Handler result.
pub type ApiResult<T = Response> = Result<T, ApiError>;

/// A `value_error.missing` item.
pub fn missing(loc: &str, field: &str) -> Value {
    json!({"loc": [loc, field], "msg": "field required", "type": "value_error.missing"})
}

/// A `type_error.integer` item.
pub fn not_int(loc: &str, field: &str) -> Value {
    json!({"loc": [loc, field], "msg": "value is not a valid integer", "type": "type_error.integer"})
}

/// Fails with 422 when `errors` is not empty.
pub fn check(errors: Vec<Value>) -> ApiResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Parses an integer path parameter (422 `type_error.integer` on failure).
pub fn path_int(value: &str, field: &str, errors: &mut Vec<Value>) -> u64 {
    value.trim().parse::<u64>().unwrap_or_else(|_| {
        errors.push(not_int("path", field));
        0
    })
}

/// pydantic-v1 `int` coercion of a JSON value: ints, floats (truncated), numeric strings, bools.
pub fn coerce_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64().filter(|f| f.is_finite() && f.abs() < 9.0e18).map(|f| {
                #[allow(clippy::cast_possible_truncation)]
                let i = f.trunc() as i64;
                i
            })
        }),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// An optional integer body field: `None` when absent or null, 422 item when malformed.
pub fn body_int(obj: &Map<String, Value>, field: &str, errors: &mut Vec<Value>) -> Option<i64> {
    match obj.get(field) {
        None | Some(Value::Null) => None,
        Some(v) => coerce_int(v).or_else(|| {
            errors.push(not_int("body", field));
            None
        }),
    }
}

/// An optional string body field (pydantic v1 coerces numbers to strings).
pub fn body_str(obj: &Map<String, Value>, field: &str) -> Option<String> {
    match obj.get(field) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a form body: `application/x-www-form-urlencoded` or `multipart/form-data` (both accepted
/// by FastAPI). Like Starlette, any other content type yields no fields, so required fields then
/// fail as missing; so does an unreadable multipart body.
pub async fn form_fields(headers: &HeaderMap, body: Bytes) -> HashMap<String, String> {
    match content_type(headers).as_str() {
        "application/x-www-form-urlencoded" => url::form_urlencoded::parse(&body).into_owned().collect(),
        "multipart/form-data" => multipart_fields(headers, body).await.unwrap_or_default(),
        _ => HashMap::new(),
    }
}

async fn multipart_fields(headers: &HeaderMap, body: Bytes) -> Option<HashMap<String, String>> {
    let mut req = axum::extract::Request::new(axum::body::Body::from(body));
    *req.headers_mut() = headers.clone();
    let mut multipart = Multipart::from_request(req, &()).await.ok()?;
    let mut out = HashMap::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        // A file part's text is its content, which is what FastAPI hands a `str` form field.
        let value = field.text().await.ok()?;
        out.insert(name, value);
    }
    Some(out)
}

/// Reads a JSON object body. Empty body → empty object; malformed JSON → the `json_invalid` 422;
/// a non-JSON content type or a non-object → `field required` for each of `fields` (FastAPI's
/// embedded-body behaviour).
pub fn json_object(headers: &HeaderMap, body: &[u8], fields: &[&str]) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let ct = content_type(headers);
    let is_json = ct.is_empty() || ct == "application/json" || ct.ends_with("+json");
    if !is_json {
        return Err(ApiError::Validation(
            fields.iter().map(|f| missing("body", f)).collect(),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::Validation(
            fields.iter().map(|f| missing("body", f)).collect(),
        )),
        Err(_) => Err(ApiError::Validation(vec![json!({
            "type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error",
            "input": {}, "ctx": {"error": "Expecting value"},
        })])),
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8; 32]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    <HmacSha256 as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("hmac takes any key length"))
}

/// Issues an HS256 JWT with claims exactly `{"exp", "sub"}` (§1.3).
pub fn issue_token(secret: &[u8; 32], user_id: u64, exp: DateTime<Utc>) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims =
        URL_SAFE_NO_PAD.encode(json!({"exp": exp.timestamp(), "sub": user_id.to_string()}).to_string());
    let signing_input = format!("{header}.{claims}");
    let mut m = mac(secret);
    m.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

/// Verifies a token: signature, `exp` against `now`, integer `sub`.
pub fn verify_token(secret: &[u8; 32], token: &str, now: DateTime<Utc>) -> Option<u64> {
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
    let mut m = mac(secret);
    m.update(format!("{h}.{c}").as_bytes());
    m.verify_slice(&sig).ok()?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    if now.timestamp() >= exp {
        return None;
    }
    claims.get("sub")?.as_str()?.parse().ok()
}

/// The authenticated, active user's id (§1.3 failure modes, in order).
pub fn authenticate(nb: &NumerbayState, headers: &HeaderMap, now: DateTime<Utc>) -> ApiResult<u64> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::NotAuthenticated);
    }
    let Some(user_id) = verify_token(&nb.token_secret, token.trim(), now) else {
        return Err(ApiError::forbidden("Could not validate credentials"));
    };
    let db = nb.db();
    match db.users.get(&user_id) {
        None => Err(ApiError::not_found("User not found")),
        Some(u) if !u.is_active => Err(ApiError::bad_request("Inactive user")),
        Some(_) => Ok(user_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_expire() {
        let secret = [3u8; 32];
        let now = Utc::now();
        let token = issue_token(&secret, 42, now + chrono::Duration::minutes(5));
        assert_eq!(verify_token(&secret, &token, now), Some(42));
        assert_eq!(
            verify_token(&secret, &token, now + chrono::Duration::minutes(6)),
            None
        );
        assert_eq!(verify_token(&[4u8; 32], &token, now), None);
        assert_eq!(verify_token(&secret, "not.a.token", now), None);
    }

    #[test]
    fn ints_coerce_like_pydantic_v1() {
        assert_eq!(coerce_int(&json!(5)), Some(5));
        assert_eq!(coerce_int(&json!("7")), Some(7));
        assert_eq!(coerce_int(&json!(2.9)), Some(2));
        assert_eq!(coerce_int(&json!("x")), None);
        assert_eq!(coerce_int(&json!([1])), None);
    }
}
