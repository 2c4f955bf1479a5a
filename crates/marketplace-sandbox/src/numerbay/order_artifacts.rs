//! Order artifacts (§2.8-§2.11, §2.13): per-order encrypted copies and Numerai-direct uploads.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::artifacts::{object_name, random_hex, upload_form, upload_guards};
use super::http::{authenticate, check, form_fields, missing, not_int, ApiError, ApiResult};
use super::model::{order_artifact_json, Db, OrderArtifact};
use super::URL_TTL;
use crate::storage::SignedMethod;
use crate::AppState;

/// Seller of the product, or a current buyer of it (§2.9, §4.8: not necessarily this order's buyer).
/// Returns the caller's current order when they are a buyer (and not the seller).
fn seller_or_current_buyer(db: &Db, uid: u64, product_id: u64) -> ApiResult<Option<String>> {
    let seller = db.products.get(&product_id).is_some_and(|p| p.owner_id == uid);
    if seller {
        return Ok(None);
    }
    match db.current_order(uid, product_id) {
        Some(o) => Ok(Some(o.mode.clone())),
        None => Err(ApiError::forbidden("Not enough permissions")),
    }
}

fn find(db: &Db, id: &str) -> Option<OrderArtifact> {
    db.order_artifacts.iter().find(|a| a.id == id).cloned()
}

fn product_of(db: &Db, a: &OrderArtifact) -> u64 {
    db.orders.get(&a.order_id).map_or(0, |o| o.product_id)
}

/// `POST /artifacts/generate-upload-url` (form, §2.8).
pub async fn upload_url(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let now = st.clock.now();
    let uid = authenticate(&st.numerbay, &headers, now)?;
    let fields = form_fields(&headers, body).await;
    let mut errors = Vec::new();
    let order_id = match fields.get("order_id") {
        None => {
            errors.push(missing("body", "order_id"));
            None
        }
        Some(s) => s.trim().parse::<u64>().ok().or_else(|| {
            errors.push(not_int("body", "order_id"));
            None
        }),
    };
    let form = upload_form(&fields, &mut errors);
    check(errors)?;
    let (Some(order_id), Some(form)) = (order_id, form) else {
        return Err(ApiError::Internal);
    };
    // Spec §9: only exactly "true" or "True" mean true.
    let direct = matches!(
        fields.get("is_numerai_direct").map(String::as_str),
        Some("true" | "True")
    );
    let mut db = st.numerbay.db();
    let order = db
        .orders
        .get(&order_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    let product = db
        .products
        .get(&order.product_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    if product.owner_id != uid {
        return Err(ApiError::forbidden("Not enough permissions"));
    }
    upload_guards(&db, &product, uid, &form.action)?;
    let round = db.globals().selling_round;
    let name = if direct {
        let Some(model) = order.submit_model_id.as_deref() else {
            return Err(ApiError::bad_request(
                "The order did not designate a Numerai submission slot",
            ));
        };
        // Numerai's presigned URL, simulated on the sandbox's own storage.
        format!("numerai/{model}/{}.csv", random_hex())
    } else {
        if order.mode != "file" {
            return Err(ApiError::bad_request(
                "Uploading for buyer is not allowed for stake mode order",
            ));
        }
        object_name(&db.sku(&product), round, &form)
    };
    let id = random_hex();
    db.order_artifacts.push(OrderArtifact {
        id: id.clone(),
        order_id,
        date: now,
        round_tournament: round,
        object_name: Some(name.clone()),
        object_size: form.filesize,
        state: "pending".into(),
        is_numerai_direct: direct,
    });
    let url = st.storage.signed_url(&name, SignedMethod::Put, URL_TTL, now);
    Ok(Json(json!({"id": id, "url": url, "buyer_public_key": order.buyer_public_key})).into_response())
}

/// `GET /artifacts/{id}` (§2.9).
pub async fn get_one(State(st): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let db = st.numerbay.db();
    let a = find(&db, &id).ok_or_else(|| ApiError::not_found("Artifact not found"))?;
    if a.object_name.is_none() {
        return Err(ApiError::bad_request("Artifact not an upload"));
    }
    seller_or_current_buyer(&db, uid, product_of(&db, &a))?;
    Ok(Json(order_artifact_json(&a)).into_response())
}

/// `POST /artifacts/{id}/validate-upload` (§2.10). No ownership check, like the real server.
pub async fn validate(State(st): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let _ = uid;
    let submission_fails = st.faults.numerai_submission_fails();
    let mut db = st.numerbay.db();
    let a = find(&db, &id).ok_or_else(|| ApiError::not_found("Order artifact not found"))?;
    let pid = product_of(&db, &a);
    let selling = db.globals().selling_round;
    let per_round = db.products.get(&pid).is_some_and(|p| db.per_round(p));
    if per_round && a.round_tournament < selling {
        return Err(ApiError::bad_request("Order artifact expired"));
    }
    let Some(name) = a.object_name.clone() else {
        return Err(ApiError::bad_request("Artifact not an upload object"));
    };
    let uploaded = st.storage.exists(&name);
    let set_state = |db: &mut Db, state: &str| {
        if let Some(x) = db.order_artifacts.iter_mut().find(|x| x.id == id) {
            x.state = state.to_string();
        }
    };
    if a.is_numerai_direct {
        // The simulated Numerai `create_submission` fails when the file never arrived or the
        // `numerai-submission` fault is on.
        let ok = uploaded && !submission_fails;
        if let Some(o) = db.orders.get_mut(&a.order_id) {
            o.submit_state = Some(if ok { "completed" } else { "failed" }.to_string());
            if ok {
                o.last_submit_round = Some(selling);
            }
        }
        if !ok {
            set_state(&mut db, "failed");
            return Err(ApiError::not_found("Submission failed"));
        }
    } else if !uploaded {
        set_state(&mut db, "failed");
        return Err(ApiError::not_found("Artifact file not uploaded"));
    }
    set_state(&mut db, "active");
    let flipped = match db.products.get_mut(&pid) {
        Some(p) if !p.is_ready => {
            p.is_ready = true;
            true
        }
        _ => false,
    };
    // Spec §2.10: the real server answers `{}` when this call flipped the product's `is_ready`.
    if flipped {
        return Ok(Json(json!({})).into_response());
    }
    let row = find(&db, &id).map_or(json!({}), |a| order_artifact_json(&a));
    Ok(Json(row).into_response())
}

/// `GET /artifacts/{id}/generate-download-url` (§2.11): a bare JSON string.
pub async fn download_url(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let now = st.clock.now();
    let uid = authenticate(&st.numerbay, &headers, now)?;
    let db = st.numerbay.db();
    let a = find(&db, &id).ok_or_else(|| ApiError::not_found("Artifact not found"))?;
    let Some(name) = a.object_name.as_deref() else {
        return Err(ApiError::bad_request("Artifact not an upload"));
    };
    if a.is_numerai_direct {
        return Err(ApiError::bad_request(
            "Direct Numerai submission cannot be downloaded",
        ));
    }
    if let Some(mode) = seller_or_current_buyer(&db, uid, product_of(&db, &a))? {
        if mode != "file" {
            return Err(ApiError::forbidden("Download not allowed for this artifact"));
        }
    }
    Ok(Json(Value::String(st.storage.signed_url(
        name,
        SignedMethod::Get,
        URL_TTL,
        now,
    )))
    .into_response())
}

/// Query of `GET /artifacts/`.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    order_id: Option<String>,
    active_only: Option<String>,
}

/// `GET /artifacts/?order_id=&active_only=` (§2.13).
pub async fn list(State(st): State<AppState>, headers: HeaderMap, Query(q): Query<ListQuery>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let mut errors = Vec::new();
    let order_id = match &q.order_id {
        None => {
            errors.push(
                json!({"loc": ["query", "order_id"], "msg": "field required", "type": "value_error.missing"}),
            );
            0
        }
        Some(s) => s.trim().parse::<u64>().unwrap_or_else(|_| {
            errors.push(not_int("query", "order_id"));
            0
        }),
    };
    let active_only = match q.active_only.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0" | "no" | "off" | "f" | "n") => false,
        Some("true" | "1" | "yes" | "on" | "t" | "y") => true,
        Some(_) => {
            errors.push(json!({"loc": ["query", "active_only"], "msg": "value could not be parsed to a boolean", "type": "type_error.bool"}));
            false
        }
    };
    check(errors)?;
    let db = st.numerbay.db();
    let order = db
        .orders
        .get(&order_id)
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    seller_or_current_buyer(&db, uid, order.product_id)?;
    let selling = db.globals().selling_round;
    let per_round = db
        .products
        .get(&order.product_id)
        .is_some_and(|p| db.per_round(p));
    let data: Vec<Value> = db
        .order_artifacts
        .iter()
        .filter(|a| a.order_id == order_id)
        .filter(|a| !per_round || a.round_tournament == selling)
        .filter(|a| !active_only || a.state == "active")
        .map(order_artifact_json)
        .collect();
    Ok(Json(json!({"total": data.len(), "data": data})).into_response())
}

/// `DELETE /artifacts/{id}` (seller only, §2.13).
pub async fn delete(State(st): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let removed = {
        let mut db = st.numerbay.db();
        let a = find(&db, &id).ok_or_else(|| ApiError::not_found("Artifact not found"))?;
        let pid = product_of(&db, &a);
        if db.products.get(&pid).is_none_or(|p| p.owner_id != uid) {
            return Err(ApiError::forbidden("Not enough permissions"));
        }
        if a.is_numerai_direct {
            return Err(ApiError::bad_request(
                "Direct Numerai submission cannot be deleted",
            ));
        }
        db.order_artifacts.retain(|x| x.id != id);
        a
    };
    if let Some(name) = removed.object_name.as_deref() {
        if let Err(e) = st.storage.delete(name).await {
            tracing::warn!(error = %e, "could not delete order artifact object");
        }
    }
    Ok(Json(order_artifact_json(&removed)).into_response())
}
