//! The control API under `/_sandbox` (see the crate docs for the table of routes).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultRule;
use crate::numerbay::model::{Order, User};
use crate::numerbay::write_key_file;
use crate::AppState;

/// The control routes, relative to `/_sandbox`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/info", get(info))
        .route("/round", post(set_round))
        .route("/round/advance", post(advance_round))
        .route("/tick", post(tick))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance_clock))
        .route("/clock/set", post(set_clock))
        .route("/users", post(create_user))
        .route("/orders", post(create_order))
        .route("/orders/{id}/confirm", post(confirm_order))
        .route("/faults", get(faults).post(add_fault).delete(reset_faults))
        .route("/faults/expire-urls", post(expire_urls))
        .route("/faults/numerai-submission", post(numerai_submission))
}

fn fail(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({"error": msg.into()}))).into_response()
}

async fn info(State(st): State<AppState>) -> Response {
    Json((*st.info).clone()).into_response()
}

#[derive(Debug, Deserialize)]
struct RoundBody {
    open: bool,
}

async fn set_round(State(st): State<AppState>, Json(body): Json<RoundBody>) -> Response {
    let mut db = st.numerbay.db();
    let mut g = db.globals();
    g.round_open = body.open;
    db.globals = Some(g.clone());
    Json(json!({"active_round": g.active_round, "selling_round": g.selling_round, "open": g.round_open}))
        .into_response()
}

/// Round rollover (spec §4.1).
async fn advance_round(State(st): State<AppState>) -> Response {
    let mut db = st.numerbay.db();
    let mut g = db.globals();
    g.active_round += 1;
    g.selling_round += 1;
    g.round_open = true;
    let selling = g.selling_round;
    db.globals = Some(g.clone());
    let per_round: Vec<u64> = db
        .products
        .values()
        .filter(|p| db.per_round(p))
        .map(|p| p.id)
        .collect();
    for p in db.products.values_mut() {
        if p.expiration_round.is_some_and(|r| r < selling) {
            p.is_active = false;
        }
        if per_round.contains(&p.id) {
            p.is_ready = false;
        }
    }
    let per_round_orders: Vec<u64> = db
        .orders
        .values()
        .filter(|o| per_round.contains(&o.product_id))
        .map(|o| o.id)
        .collect();
    for a in &mut db.order_artifacts {
        if per_round_orders.contains(&a.order_id) && a.round_tournament < selling && a.state != "pruned" {
            a.state = "marked_for_pruning".into();
        }
    }
    Json(json!({"active_round": g.active_round, "selling_round": g.selling_round})).into_response()
}

/// The scheduler jobs of spec §9, run once against the sandbox clock: pending orders older than
/// 45 minutes expire; product artifacts still pending 10 minutes after their URL was issued become
/// `active` (object present, product ready) or `failed`.
async fn tick(State(st): State<AppState>) -> Response {
    let now = st.clock.now();
    let mut db = st.numerbay.db();
    let mut expired = Vec::new();
    for o in db.orders.values_mut() {
        if o.state == "pending" && now - o.date_order > Duration::minutes(45) {
            o.state = "expired".into();
            expired.push(o.id);
        }
    }
    let (mut activated, mut failed) = (Vec::new(), Vec::new());
    let mut ready = Vec::new();
    for a in db.artifacts.values_mut() {
        if a.state != "pending" || now - a.date < Duration::minutes(10) {
            continue;
        }
        if a.object_name.as_deref().is_some_and(|n| st.storage.exists(n)) {
            a.state = "active".into();
            activated.push(a.id);
            ready.push(a.product_id);
        } else {
            a.state = "failed".into();
            failed.push(a.id);
        }
    }
    for pid in ready {
        if let Some(p) = db.products.get_mut(&pid) {
            p.is_ready = true;
        }
    }
    Json(json!({"expired_orders": expired, "activated_artifacts": activated, "failed_artifacts": failed}))
        .into_response()
}

async fn clock(State(st): State<AppState>) -> Response {
    Json(json!({"now": st.clock.now().to_rfc3339()})).into_response()
}

#[derive(Debug, Deserialize)]
struct AdvanceBody {
    seconds: i64,
}

async fn advance_clock(State(st): State<AppState>, Json(body): Json<AdvanceBody>) -> Response {
    const HUNDRED_YEARS: u64 = 100 * 366 * 24 * 3600;
    if body.seconds.unsigned_abs() > HUNDRED_YEARS {
        return fail(StatusCode::BAD_REQUEST, "seconds must be within ±100 years");
    }
    st.clock.advance(Duration::seconds(body.seconds));
    clock(State(st)).await
}

#[derive(Debug, Deserialize)]
struct SetBody {
    now: DateTime<Utc>,
}

async fn set_clock(State(st): State<AppState>, Json(body): Json<SetBody>) -> Response {
    st.clock.set(body.now);
    clock(State(st)).await
}

#[derive(Debug, Deserialize)]
struct UserBody {
    username: String,
    password: String,
    #[serde(default)]
    with_key: bool,
    #[serde(default)]
    superuser: bool,
}

async fn create_user(State(st): State<AppState>, Json(body): Json<UserBody>) -> Response {
    if body.username.is_empty()
        || !body
            .username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return fail(
            StatusCode::BAD_REQUEST,
            "username must be non-empty ASCII letters, digits, '-', '_' or '.'",
        );
    }
    if st.numerbay.db().user_by_name(&body.username).is_some() {
        return fail(
            StatusCode::BAD_REQUEST,
            format!("user {} already exists", body.username),
        );
    }
    let key = if body.with_key {
        match write_key_file(st.numerbay.data_dir(), &body.username) {
            Ok(k) => Some(k),
            Err(e) => return fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
    } else {
        None
    };
    let mut db = st.numerbay.db();
    let id = db.next_id();
    db.users.insert(
        id,
        User {
            id,
            username: body.username.clone(),
            password: body.password,
            email: Some(format!("{}@sandbox.invalid", body.username)),
            is_active: true,
            is_superuser: body.superuser,
            public_key_v2: key.as_ref().map(|k| k.0.clone()),
            encrypted_private_key_v2: None,
            numerai_wallet_address: Some(format!("0x{id:040x}")),
            models: Vec::new(),
        },
    );
    Json(json!({
        "id": id, "username": body.username,
        "public_key": key.as_ref().map(|k| k.0.clone()),
        "key_file": key.map(|k| k.1),
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct OrderBody {
    buyer: String,
    product: Value,
    option_id: Option<u64>,
    rounds: Option<Vec<u64>>,
    state: Option<String>,
    submit_model_id: Option<String>,
}

async fn create_order(State(st): State<AppState>, Json(body): Json<OrderBody>) -> Response {
    let now = st.clock.now();
    let mut db = st.numerbay.db();
    let Some(buyer) = db.user_by_name(&body.buyer).cloned() else {
        return fail(StatusCode::NOT_FOUND, format!("no user named {}", body.buyer));
    };
    let product = match &body.product {
        Value::Number(n) => n.as_u64().and_then(|id| db.products.get(&id)),
        Value::String(s) => db.products.values().find(|p| db.sku(p) == *s || p.name == *s),
        _ => None,
    }
    .cloned();
    let Some(product) = product else {
        return fail(StatusCode::NOT_FOUND, "no such product (give its id or sku)");
    };
    let option = match body.option_id {
        Some(id) => product.options.iter().find(|o| o.id == id),
        None => product.options.iter().find(|o| o.is_on_platform),
    };
    let Some(option) = option.cloned() else {
        return fail(StatusCode::NOT_FOUND, "no such option on this product");
    };
    let g = db.globals();
    let state = body.state.unwrap_or_else(|| "pending".into());
    let id = db.next_id();
    let order = Order {
        id,
        product_id: product.id,
        buyer_id: buyer.id,
        date_order: now - Duration::minutes(1),
        round_order: g.selling_round,
        rounds: body.rounds.unwrap_or_else(|| vec![g.selling_round]),
        price: option.price,
        mode: option.mode.clone(),
        stake_limit: option.stake_limit,
        submit_model_name: body.submit_model_id.as_ref().map(|_| "buyer_model".to_string()),
        submit_model_id: body.submit_model_id,
        submit_state: None,
        last_submit_round: None,
        transaction_hash: (state == "confirmed").then(|| format!("0x{id:064x}")),
        state,
        buyer_public_key: if product.use_encryption {
            buyer.public_key_v2.clone()
        } else {
            None
        },
        from_address: buyer.numerai_wallet_address.clone(),
        to_address: Some(format!("0x{:040x}", product.owner_id)),
    };
    if order.state == "confirmed" {
        if let Some(p) = db.products.get_mut(&order.product_id) {
            p.total_num_sales += 1;
        }
    }
    db.orders.insert(id, order.clone());
    Json(db.order_json(&order)).into_response()
}

async fn confirm_order(State(st): State<AppState>, Path(id): Path<u64>) -> Response {
    let mut db = st.numerbay.db();
    let Some(order) = db.orders.get_mut(&id) else {
        return fail(StatusCode::NOT_FOUND, format!("no order {id}"));
    };
    if order.state != "pending" {
        return fail(
            StatusCode::BAD_REQUEST,
            format!("order {id} is {}, not pending", order.state),
        );
    }
    order.state = "confirmed".into();
    order.transaction_hash = Some(format!("0x{id:064x}"));
    let order = order.clone();
    if let Some(p) = db.products.get_mut(&order.product_id) {
        p.total_num_sales += 1;
    }
    Json(db.order_json(&order)).into_response()
}

async fn faults(State(st): State<AppState>) -> Response {
    Json(st.faults.snapshot()).into_response()
}

async fn add_fault(State(st): State<AppState>, Json(rule): Json<FaultRule>) -> Response {
    if rule.status.is_some_and(|s| !(100..=599).contains(&s)) {
        return fail(
            StatusCode::BAD_REQUEST,
            "status must be an HTTP status code (100-599)",
        );
    }
    st.faults.add(rule);
    Json(st.faults.snapshot()).into_response()
}

async fn reset_faults(State(st): State<AppState>) -> Response {
    st.faults.reset();
    Json(st.faults.snapshot()).into_response()
}

async fn expire_urls(State(st): State<AppState>) -> Response {
    st.storage.expire_all();
    Json(json!({"expired": true})).into_response()
}

#[derive(Debug, Deserialize)]
struct FailBody {
    fail: bool,
}

async fn numerai_submission(State(st): State<AppState>, Json(body): Json<FailBody>) -> Response {
    st.faults.set_numerai_submission_fails(body.fail);
    Json(st.faults.snapshot()).into_response()
}
