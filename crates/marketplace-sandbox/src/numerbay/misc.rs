//! Login, users/me, globals, categories and liveness.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::http::{self, authenticate, check, form_fields, issue_token, missing, ApiError, ApiResult};
use super::TOKEN_TTL_MINUTES;
use crate::AppState;

/// `GET /healthz`.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `POST /login/access-token` (form, §1.2).
pub async fn login(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let form = form_fields(&headers, body).await;
    let mut errors = Vec::new();
    for field in ["username", "password"] {
        if !form.contains_key(field) {
            errors.push(missing("body", field));
        }
    }
    if let Some(gt) = form.get("grant_type") {
        if gt != "password" {
            errors.push(
                json!({"loc": ["body", "grant_type"], "msg": "string does not match regex \"password\"",
                "type": "value_error.str.regex", "ctx": {"pattern": "password"}}),
            );
        }
    }
    check(errors)?;
    let (Some(username), Some(password)) = (form.get("username"), form.get("password")) else {
        return Err(ApiError::Internal);
    };
    let nb = &st.numerbay;
    let db = nb.db();
    let Some(user) = db.user_by_name(username).filter(|u| &u.password == password) else {
        return Err(ApiError::bad_request("Incorrect username or password"));
    };
    if !user.is_active {
        return Err(ApiError::bad_request("Inactive user"));
    }
    let now = st.clock.now();
    let exp = now
        .checked_add_signed(chrono::Duration::minutes(TOKEN_TTL_MINUTES))
        .unwrap_or(now);
    let token = issue_token(&nb.token_secret, user.id, exp);
    Ok(
        Json(json!({"access_token": token, "token_type": "bearer", "user": db.user_json(user)}))
            .into_response(),
    )
}

/// `POST /login/test-token`.
pub async fn test_token(State(st): State<AppState>, headers: HeaderMap) -> ApiResult {
    me(State(st), headers).await
}

/// `GET /users/me`.
pub async fn me(State(st): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let db = st.numerbay.db();
    let user = db
        .users
        .get(&uid)
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    Ok(Json(db.user_json(user)).into_response())
}

/// `PUT /users/me`: password, e-mail and key pair (`public_key` + `encrypted_private_key`, §5.5).
pub async fn update_me(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let fields = [
        "username",
        "password",
        "email",
        "public_key",
        "encrypted_private_key",
    ];
    let obj = http::json_object(&headers, &body, &fields)?;
    let mut db = st.numerbay.db();
    let selling = db.globals().selling_round;
    let new_key = match (
        http::body_str(&obj, "public_key"),
        http::body_str(&obj, "encrypted_private_key"),
    ) {
        (Some(pk), Some(epk)) => Some((pk, epk)),
        _ => None,
    };
    if let Some(user) = db.users.get_mut(&uid) {
        if let Some(p) = http::body_str(&obj, "password") {
            user.password = p;
        }
        if let Some(e) = http::body_str(&obj, "email") {
            user.email = Some(e);
        }
        if let Some((pk, epk)) = &new_key {
            user.public_key_v2 = Some(pk.clone());
            user.encrypted_private_key_v2 = Some(epk.clone());
        }
    }
    // §5.5: a new key is copied onto the buyer's current orders that already had one.
    if let Some((pk, _)) = new_key {
        for o in db.orders.values_mut() {
            if o.buyer_id == uid && o.is_current(selling) && o.buyer_public_key.is_some() {
                o.buyer_public_key = Some(pk.clone());
            }
        }
    }
    let user = db
        .users
        .get(&uid)
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    Ok(Json(db.user_json(user)).into_response())
}

/// `GET /globals/` (raw row, §3.12).
pub async fn globals(State(st): State<AppState>) -> Response {
    let db = st.numerbay.db();
    let g = db.globals();
    let sales: u64 = db.products.values().map(|p| p.total_num_sales).sum();
    Json(json!({
        "id": 0, "active_round": g.active_round, "selling_round": g.selling_round,
        "is_doing_round_rollover": g.is_doing_round_rollover, "last_round_open_processed": g.active_round,
        "total_num_products": db.products.len(), "total_num_sales": sales, "total_qty_sales": sales,
        "total_sales_nmr": 0,
    }))
    .into_response()
}

/// Query of `GET /categories/`.
#[derive(Debug, serde::Deserialize)]
pub struct CategoryQuery {
    slug: Option<String>,
    skip: Option<String>,
    limit: Option<String>,
}

/// `GET /categories/?slug=&skip=&limit=`.
pub async fn categories(State(st): State<AppState>, Query(q): Query<CategoryQuery>) -> ApiResult {
    let mut errors = Vec::new();
    let mut int = |v: &Option<String>, name: &str| {
        v.as_ref().and_then(|s| {
            s.trim().parse::<usize>().ok().or_else(|| {
                errors.push(http::not_int("query", name));
                None
            })
        })
    };
    let skip = int(&q.skip, "skip").unwrap_or(0);
    let limit = int(&q.limit, "limit").unwrap_or(100);
    check(errors)?;
    let db = st.numerbay.db();
    let list: Vec<Value> = db
        .categories
        .values()
        .filter(|c| q.slug.as_ref().is_none_or(|s| &c.slug == s))
        .skip(skip)
        .take(limit)
        .map(|c| db.category_json(c))
        .collect();
    Ok(Json(list).into_response())
}

/// `GET /categories/{id}`.
pub async fn category(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let mut errors = Vec::new();
    let id = http::path_int(&id, "category_id", &mut errors);
    check(errors)?;
    let db = st.numerbay.db();
    let c = db
        .categories
        .get(&id)
        .ok_or_else(|| ApiError::not_found("Category not found"))?;
    Ok(Json(db.category_json(c)).into_response())
}
