//! Product artifacts and lock (§2.4-§2.7, §2.12).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::http::{
    authenticate, body_int, check, form_fields, json_object, missing, not_int, path_int, ApiError, ApiResult,
};
use super::model::{artifact_json, Artifact, Db, Product};
use super::URL_TTL;
use crate::storage::SignedMethod;
use crate::AppState;

/// Form fields shared by both generate-upload-url endpoints (§2.5).
pub(super) struct UploadForm {
    pub filename: String,
    pub filesize: Option<u64>,
    pub action: String,
    pub filename_suffix: Option<String>,
}

/// Parses `filename` (required), `filesize`, `action`, `filename_suffix`.
pub(super) fn upload_form(
    form: &std::collections::HashMap<String, String>,
    errors: &mut Vec<Value>,
) -> Option<UploadForm> {
    let filename = form.get("filename").cloned();
    if filename.is_none() {
        errors.push(missing("body", "filename"));
    }
    let filesize = form.get("filesize").and_then(|s| {
        s.trim().parse::<u64>().ok().or_else(|| {
            errors.push(not_int("body", "filesize"));
            None
        })
    });
    Some(UploadForm {
        filename: filename?,
        filesize,
        action: form.get("action").cloned().unwrap_or_else(|| "PUT".to_string()),
        filename_suffix: form.get("filename_suffix").cloned().filter(|s| !s.is_empty()),
    })
}

/// The round-related upload guards shared by both upload endpoints (§2.5 steps 2-4).
pub(super) fn upload_guards(db: &Db, p: &Product, uid: u64, action: &str) -> ApiResult<()> {
    let g = db.globals();
    if g.is_doing_round_rollover {
        return Err(ApiError::bad_request(
            "Round rollover in progress, please try again after the round submission deadline",
        ));
    }
    let superuser = db.users.get(&uid).is_some_and(|u| u.is_superuser);
    if db.per_round(p) && !superuser && !g.round_open {
        return Err(ApiError::bad_request("Tournament round is not open"));
    }
    if !matches!(action.to_ascii_uppercase().as_str(), "PUT" | "POST") {
        return Err(ApiError::bad_request(
            "Action type must be either PUT or POST for uploads",
        ));
    }
    Ok(())
}

/// `<sku>_<round>_<uuid hex>[_<suffix>]<ext>` (§2.5).
pub(super) fn object_name(sku: &str, round: u64, form: &UploadForm) -> String {
    let ext = std::path::Path::new(&form.filename)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let suffix = form
        .filename_suffix
        .as_ref()
        .map(|s| format!("_{s}"))
        .unwrap_or_default();
    format!("{sku}_{round}_{}{suffix}{ext}", random_hex())
}

/// 32 lowercase hex chars, like `uuid4().hex`.
pub(super) fn random_hex() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// §2.5 step 1: product exists, caller owns it, it has an on-platform option.
fn owned_product(db: &Db, pid: u64, uid: u64) -> ApiResult<Product> {
    let p = db
        .products
        .get(&pid)
        .ok_or_else(|| ApiError::not_found("Product not found"))?;
    if p.owner_id != uid {
        return Err(ApiError::forbidden("Not enough permissions"));
    }
    if !p.options.iter().any(|o| o.is_on_platform) {
        return Err(ApiError::bad_request(
            "At least one on-platform pricing option is required",
        ));
    }
    Ok(p.clone())
}

fn ids(pid: &str, aid: Option<&str>) -> ApiResult<(u64, u64)> {
    let mut errors = Vec::new();
    let pid = path_int(pid, "product_id", &mut errors);
    let aid = aid.map_or(0, |a| path_int(a, "artifact_id", &mut errors));
    check(errors)?;
    Ok((pid, aid))
}

/// `GET /products/{pid}/artifacts` (§2.4).
pub async fn list(State(st): State<AppState>, headers: HeaderMap, Path(pid): Path<String>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let (pid, _) = ids(&pid, None)?;
    let db = st.numerbay.db();
    let p = db
        .products
        .get(&pid)
        .ok_or_else(|| ApiError::not_found("Product not found"))?;
    if p.owner_id != uid && db.current_order(uid, pid).is_none() {
        return Err(ApiError::forbidden("Not enough permissions"));
    }
    let selling = db.globals().selling_round;
    let per_round = db.per_round(p);
    // All states are listed; ascending ids so the official client's `[-1]` is the newest.
    let data: Vec<Value> = db
        .artifacts
        .values()
        .filter(|a| a.product_id == pid && (!per_round || a.round_tournament == selling))
        .map(artifact_json)
        .collect();
    Ok(Json(json!({"total": data.len(), "data": data})).into_response())
}

/// `POST /products/{pid}/artifacts/generate-upload-url` (form, §2.5).
pub async fn upload_url(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let mut errors = Vec::new();
    let pid = path_int(&pid, "product_id", &mut errors);
    let form = upload_form(&form_fields(&headers, body).await, &mut errors);
    check(errors)?;
    let Some(form) = form else {
        return Err(ApiError::Internal);
    };
    let now = st.clock.now();
    let mut db = st.numerbay.db();
    let p = owned_product(&db, pid, uid)?;
    upload_guards(&db, &p, uid, &form.action)?;
    let round = db.globals().selling_round;
    let name = object_name(&db.sku(&p), round, &form);
    let id = db.next_id();
    db.artifacts.insert(
        id,
        Artifact {
            id,
            product_id: pid,
            date: now,
            round_tournament: round,
            object_name: Some(name.clone()),
            object_size: form.filesize,
            state: "pending".into(),
        },
    );
    // `action=POST` would sign a resumable-session URL on GCS; the sandbox signs a PUT either way.
    let url = st.storage.signed_url(&name, SignedMethod::Put, URL_TTL, now);
    Ok(Json(json!({"id": id, "url": url})).into_response())
}

/// `POST /products/{pid}/artifacts/{aid}/validate-upload` (§2.6).
pub async fn validate(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((pid, aid)): Path<(String, String)>,
) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let (pid, aid) = ids(&pid, Some(&aid))?;
    let mut db = st.numerbay.db();
    let a = db
        .artifacts
        .get(&aid)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Artifact not found"))?;
    if a.product_id != pid {
        return Err(ApiError::bad_request("Invalid artifact ID for product"));
    }
    let selling = db.globals().selling_round;
    let per_round = db.products.get(&pid).is_some_and(|p| db.per_round(p));
    if per_round && a.round_tournament < selling {
        return Err(ApiError::bad_request("Artifact expired"));
    }
    owned_product(&db, pid, uid)?;
    let Some(name) = a.object_name.as_deref() else {
        return Err(ApiError::bad_request("Artifact not an upload object"));
    };
    if !st.storage.exists(name) {
        return Err(ApiError::not_found("Artifact file not uploaded"));
    }
    let row = match db.artifacts.get_mut(&aid) {
        Some(a) => {
            a.state = "active".into();
            artifact_json(a)
        }
        None => return Err(ApiError::not_found("Artifact not found")),
    };
    if let Some(p) = db.products.get_mut(&pid) {
        p.is_ready = true;
    }
    Ok(Json(row).into_response())
}

/// `GET /products/{pid}/artifacts/{aid}/generate-download-url` (§2.7): a bare JSON string.
pub async fn download_url(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((pid, aid)): Path<(String, String)>,
) -> ApiResult {
    let now = st.clock.now();
    let uid = authenticate(&st.numerbay, &headers, now)?;
    let (pid, aid) = ids(&pid, Some(&aid))?;
    let db = st.numerbay.db();
    let p = db
        .products
        .get(&pid)
        .ok_or_else(|| ApiError::not_found("Product not found"))?;
    if p.owner_id != uid {
        let order = db
            .current_order(uid, pid)
            .ok_or_else(|| ApiError::forbidden("Not enough permissions"))?;
        if order.mode != "file" {
            return Err(ApiError::forbidden("Download not allowed for this artifact"));
        }
    }
    // Spec §9: the artifact is not checked to belong to the product.
    let a = db
        .artifacts
        .get(&aid)
        .ok_or_else(|| ApiError::not_found("Artifact not found"))?;
    let Some(name) = a.object_name.as_deref() else {
        return Err(ApiError::bad_request("Artifact not an upload"));
    };
    Ok(Json(Value::String(st.storage.signed_url(
        name,
        SignedMethod::Get,
        URL_TTL,
        now,
    )))
    .into_response())
}

/// `DELETE /products/{pid}/artifacts/{aid}` (§2.13).
pub async fn delete(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((pid, aid)): Path<(String, String)>,
) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let (pid, aid) = ids(&pid, Some(&aid))?;
    let removed = {
        let mut db = st.numerbay.db();
        let p = db
            .products
            .get(&pid)
            .ok_or_else(|| ApiError::not_found("Product not found"))?;
        if p.owner_id != uid {
            return Err(ApiError::forbidden("Not enough permissions"));
        }
        let per_round = db.per_round(p);
        let selling = db.globals().selling_round;
        let a = db
            .artifacts
            .get(&aid)
            .ok_or_else(|| ApiError::not_found("Artifact not found"))?;
        if a.product_id != pid {
            return Err(ApiError::bad_request("Invalid artifact ID for product"));
        }
        if per_round && a.round_tournament < selling {
            return Err(ApiError::bad_request("Artifact expired"));
        }
        db.artifacts
            .remove(&aid)
            .ok_or_else(|| ApiError::not_found("Artifact not found"))?
    };
    if let Some(name) = removed.object_name.as_deref() {
        if let Err(e) = st.storage.delete(name).await {
            tracing::warn!(error = %e, "could not delete artifact object");
        }
    }
    Ok(Json(artifact_json(&removed)).into_response())
}

/// `POST /products/{pid}/lock` (§2.12).
pub async fn lock(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let mut errors = Vec::new();
    let pid = path_int(&pid, "product_id", &mut errors);
    let obj = json_object(&headers, &body, &["round_number"])?;
    let round = body_int(&obj, "round_number", &mut errors);
    check(errors)?;
    let mut db = st.numerbay.db();
    let selling = db.globals().selling_round;
    let p = db
        .products
        .get(&pid)
        .ok_or_else(|| ApiError::not_found("Product not found"))?;
    if p.owner_id != uid {
        return Err(ApiError::forbidden("Not enough permissions"));
    }
    let round = round.map_or(selling, |r| u64::try_from(r).unwrap_or(0));
    if round < selling {
        return Err(ApiError::bad_request("Cannot lock for a past round"));
    }
    if p.round_lock.is_some_and(|l| l >= round) {
        return Err(ApiError::bad_request("Product is already locked for this round"));
    }
    let row = match db.products.get_mut(&pid) {
        Some(p) => {
            p.round_lock = Some(round);
            p.clone()
        }
        None => return Err(ApiError::not_found("Product not found")),
    };
    Ok(Json(db.product_row(&row)).into_response())
}
