//! Buying: `POST /orders/` with the §4.2 rules in their check order, and `DELETE /orders/{id}`.
//!
//! Payment is not simulated: a new order stays `pending` until the control API confirms it
//! (`POST /_sandbox/orders/{id}/confirm`) or `POST /_sandbox/tick` expires it after 45 minutes.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;

use super::http::{authenticate, body_int, body_str, check, coerce_int, json_object, missing, path_int};
use super::http::{ApiError, ApiResult};
use super::model::Order;
use crate::AppState;

const FIELDS: &[&str] = &["id", "option_id", "rounds", "submit_model_id", "coupon"];

/// Spec §4.2: rounds past 339 are sold only every fifth round unless the product `is_daily`.
fn is_weekday(round: u64) -> bool {
    round > 339 && !(round - 339).is_multiple_of(5)
}

/// `POST /orders/` (JSON `{"id", "option_id", "rounds", "submit_model_id"?, "coupon"?}`).
pub async fn create(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let now = st.clock.now();
    let uid = authenticate(&st.numerbay, &headers, now)?;
    let obj = json_object(&headers, &body, FIELDS)?;
    let mut errors = Vec::new();
    let product_id = body_int(&obj, "id", &mut errors);
    let option_id = body_int(&obj, "option_id", &mut errors);
    for (field, value) in [("id", product_id), ("option_id", option_id)] {
        if value.is_none() && !obj.contains_key(field) {
            errors.push(missing("body", field));
        }
    }
    let rounds: Vec<u64> = match obj.get("rounds") {
        None | Some(Value::Null) => {
            errors.push(missing("body", "rounds"));
            Vec::new()
        }
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, v) in items.iter().enumerate() {
                match coerce_int(v).and_then(|n| u64::try_from(n).ok()) {
                    Some(n) => out.push(n),
                    None => errors.push(serde_json::json!({"loc": ["body", "rounds", i],
                        "msg": "value is not a valid integer", "type": "type_error.integer"})),
                }
            }
            out
        }
        Some(_) => {
            errors.push(
                serde_json::json!({"loc": ["body", "rounds"], "msg": "value is not a valid list",
                "type": "type_error.list"}),
            );
            Vec::new()
        }
    };
    check(errors)?;
    let submit_model_id = body_str(&obj, "submit_model_id").filter(|s| !s.is_empty());
    let coupon = body_str(&obj, "coupon").filter(|s| !s.is_empty());
    let (product_id, option_id) = (
        product_id.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        option_id.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
    );

    let mut db = st.numerbay.db();
    let g = db.globals();
    let buyer = db
        .users
        .get(&uid)
        .cloned()
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    let product = db
        .products
        .get(&product_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Product not found"))?;
    let option = match product.options.iter().find(|o| o.id == option_id) {
        Some(o) => o.clone(),
        None if db
            .products
            .values()
            .any(|p| p.options.iter().any(|o| o.id == option_id)) =>
        {
            return Err(ApiError::bad_request("Invalid product option"))
        }
        None => return Err(ApiError::not_found("Product option not found")),
    };
    if !option.is_active {
        return Err(ApiError::bad_request("Invalid product option"));
    }
    if product.use_encryption && buyer.public_key_v2.is_none() {
        return Err(ApiError::bad_request("This product requires encryption key"));
    }
    if !option.is_on_platform {
        return Err(ApiError::bad_request("This product option is not on-platform"));
    }
    if rounds.is_empty() {
        return Err(ApiError::bad_request("Order quantity must be positive"));
    }
    if !db.per_round(&product) && rounds.len() != 1 {
        return Err(ApiError::bad_request(
            "This product is not per-round, order quantity must be 1",
        ));
    }
    if !product.is_active {
        return Err(ApiError::bad_request("This product is not available for sale"));
    }
    if !product.is_daily && rounds.iter().any(|r| is_weekday(*r)) {
        return Err(ApiError::bad_request(
            "This product is not available for weekday sale",
        ));
    }
    let lock = product.round_lock.unwrap_or(0);
    let in_window = |r: &u64| *r >= g.selling_round && *r <= g.selling_round + 50 && *r > lock;
    if !buyer.is_superuser && !rounds.iter().all(in_window) {
        return Err(ApiError::bad_request("Invalid tournament round(s)"));
    }
    if product.owner_id == uid {
        return Err(ApiError::bad_request("You cannot buy your own product"));
    }
    if buyer.numerai_wallet_address.is_none() {
        return Err(ApiError::bad_request("Invalid buyer / seller address"));
    }
    if db
        .orders
        .values()
        .any(|o| o.buyer_id == uid && o.state == "pending")
    {
        return Err(ApiError::bad_request(
            "Please pay for or cancel your pending order before making a new order",
        ));
    }
    let overlaps = db.orders.values().any(|o| {
        o.buyer_id == uid
            && o.product_id == product_id
            && o.state == "confirmed"
            && o.rounds.iter().any(|r| rounds.contains(r))
    });
    if overlaps {
        return Err(ApiError::bad_request(
            "Order for this product this round already exists",
        ));
    }
    if option.mode != "file" && submit_model_id.is_none() {
        return Err(ApiError::bad_request(
            "Specifying Numerai model ID for submission is required for this product option",
        ));
    }
    let tournament = product.model.as_ref().map(|m| m.tournament);
    let model = match &submit_model_id {
        Some(id) => match buyer
            .models
            .iter()
            .find(|m| &m.id == id && Some(m.tournament) == tournament)
        {
            Some(m) => Some(m.clone()),
            None => return Err(ApiError::forbidden("Invalid Numerai model ID for submission")),
        },
        None => None,
    };
    if coupon.is_some() {
        // The sandbox issues no coupons.
        return Err(ApiError::bad_request("Coupon not found"));
    }
    let quantity = usize::try_from(option.quantity.max(1)).unwrap_or(1);
    #[allow(clippy::cast_precision_loss)]
    let price = option.price * rounds.len().div_ceil(quantity) as f64;
    if price < 1.0 {
        return Err(ApiError::bad_request(
            "Total amounts paid must be greater than 1 NMR",
        ));
    }
    let mut rounds = rounds;
    rounds.sort_unstable();
    rounds.dedup();
    let id = db.next_id();
    let order = Order {
        id,
        product_id,
        buyer_id: uid,
        date_order: now - chrono::Duration::minutes(1),
        round_order: g.selling_round,
        rounds,
        price,
        mode: option.mode.clone(),
        stake_limit: option.stake_limit,
        submit_model_id: model.as_ref().map(|m| m.id.clone()),
        submit_model_name: model.map(|m| m.name),
        submit_state: None,
        last_submit_round: None,
        state: "pending".into(),
        buyer_public_key: if product.use_encryption {
            buyer.public_key_v2.clone()
        } else {
            None
        },
        from_address: buyer.numerai_wallet_address.clone(),
        to_address: Some(format!("0x{:040x}", product.owner_id)),
        transaction_hash: None,
    };
    db.orders.insert(id, order.clone());
    Ok(Json(db.order_json(&order)).into_response())
}

/// `DELETE /orders/{id}`: the buyer cancels a pending order (→ `expired`).
pub async fn cancel(State(st): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let mut errors = Vec::new();
    let id = path_int(&id, "order_id", &mut errors);
    check(errors)?;
    let mut db = st.numerbay.db();
    let order = db
        .orders
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    if order.buyer_id != uid {
        return Err(ApiError::forbidden("Not enough permissions"));
    }
    if order.state != "pending" {
        // Sandbox wording (the real message is not in the spec).
        return Err(ApiError::bad_request("Order is not pending"));
    }
    order.state = "expired".into();
    let order = order.clone();
    Ok(Json(db.order_json(&order)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_rounds_follow_the_five_round_cycle() {
        assert!(!is_weekday(339));
        assert!(!is_weekday(344));
        assert!(is_weekday(345));
        assert!(is_weekday(500));
        assert!(!is_weekday(504));
    }
}
