//! `orders/search` and `products/search[-authenticated]` (§2.2, §2.3).

use std::cmp::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use super::http::{authenticate, body_int, body_str, check, coerce_int, json_object, ApiError, ApiResult};
use super::model::{number, Db, Product};
use crate::AppState;

const ORDER_FIELDS: &[&str] = &["role", "id", "skip", "limit", "sort", "filters"];
const PRODUCT_FIELDS: &[&str] = &[
    "id",
    "category_id",
    "category_slug",
    "term",
    "name",
    "skip",
    "limit",
    "sort",
    "filters",
    "coupon",
    "rounds",
];

fn not_dict(field: &str) -> Value {
    json!({"loc": ["body", field], "msg": "value is not a valid dict", "type": "type_error.dict"})
}

/// The `filters` object, or a 422 item.
fn filters_of(obj: &Map<String, Value>, errors: &mut Vec<Value>) -> Map<String, Value> {
    match obj.get("filters") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            errors.push(not_dict("filters"));
            Map::new()
        }
    }
}

/// `filters.<key>.in` as a list. Spec §2.2: a wrongly shaped value makes the real server fail
/// with a 500 (`text/plain`).
fn in_list(filters: &Map<String, Value>, key: &str) -> ApiResult<Option<Vec<Value>>> {
    match filters.get(key) {
        None => Ok(None),
        Some(Value::Object(m)) => match m.get("in") {
            Some(Value::Array(a)) => Ok(Some(a.clone())),
            _ => Err(ApiError::Internal),
        },
        Some(_) => Err(ApiError::Internal),
    }
}

fn ints(values: &[Value]) -> ApiResult<Vec<i64>> {
    values
        .iter()
        .map(|v| coerce_int(v).ok_or(ApiError::Internal))
        .collect()
}

fn paging(obj: &Map<String, Value>, errors: &mut Vec<Value>) -> (Option<i64>, Option<i64>) {
    (body_int(obj, "skip", errors), body_int(obj, "limit", errors))
}

fn page<T>(items: Vec<T>, skip: Option<i64>, limit: Option<i64>) -> ApiResult<(usize, Vec<T>)> {
    let skip = skip.unwrap_or(0);
    if skip < 0 {
        return Err(ApiError::bad_request("Skip must be positive"));
    }
    let total = items.len();
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l.max(0)).unwrap_or(usize::MAX));
    Ok((total, items.into_iter().skip(skip).take(limit).collect()))
}

/// `POST /orders/search` (§2.2).
pub async fn orders(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    let obj = json_object(&headers, &body, ORDER_FIELDS)?;
    let mut errors = Vec::new();
    let id = body_int(&obj, "id", &mut errors);
    let (skip, limit) = paging(&obj, &mut errors);
    let filters = filters_of(&obj, &mut errors);
    check(errors)?;
    let role = body_str(&obj, "role");
    let db = st.numerbay.db();
    let selling = db.globals().selling_round;
    let product_in = in_list(&filters, "product")?.map(|v| ints(&v)).transpose()?;
    let round = match in_list(&filters, "round_order")? {
        // Spec §2.2: only the first element counts; an empty list breaks the real server.
        Some(v) => Some(v.first().and_then(coerce_int).ok_or(ApiError::Internal)?),
        None => None,
    };
    let states = in_list(&filters, "state")?;
    // Spec §2.2: presence alone activates `active`, whatever its value.
    let active = filters.contains_key("active");
    let owner_of = |pid: u64| db.products.get(&pid).map(|p| p.owner_id);
    let mut list: Vec<_> = db
        .orders
        .values()
        .filter(|o| match role.as_deref() {
            Some("buyer") => o.buyer_id == uid,
            Some("seller") => owner_of(o.product_id) == Some(uid),
            _ => o.buyer_id == uid || owner_of(o.product_id) == Some(uid),
        })
        .filter(|o| id.is_none_or(|i| i64::try_from(o.id).ok() == Some(i)))
        .filter(|o| {
            product_in
                .as_ref()
                .is_none_or(|ps| ps.iter().any(|p| i64::try_from(o.product_id).ok() == Some(*p)))
        })
        .filter(|o| round.is_none_or(|r| o.rounds.iter().any(|x| i64::try_from(*x).ok() == Some(r))))
        .filter(|o| {
            states
                .as_ref()
                .is_none_or(|s| s.iter().any(|v| v.as_str() == Some(o.state.as_str())))
        })
        .filter(|o| !active || o.is_current(selling))
        .collect();
    if body_str(&obj, "sort").as_deref() == Some("latest") {
        list.sort_by(|a, b| b.date_order.cmp(&a.date_order).then(b.id.cmp(&a.id)));
    } else {
        list.sort_by_key(|o| std::cmp::Reverse(o.id));
    }
    let (total, list) = page(list, skip, limit)?;
    let data: Vec<Value> = list.into_iter().map(|o| db.order_json(o)).collect();
    Ok(Json(json!({"total": total, "data": data})).into_response())
}

/// `POST /products/search` (public; webhooks hidden, no coupons).
pub async fn products_public(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    products(&st, None, &headers, &body)
}

/// `POST /products/search-authenticated`.
pub async fn products_authenticated(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let uid = authenticate(&st.numerbay, &headers, st.clock.now())?;
    products(&st, Some(uid), &headers, &body)
}

fn descendants(db: &Db, root: u64) -> Vec<u64> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            db.categories
                .values()
                .filter(|c| c.parent_id == Some(parent))
                .map(|c| c.id),
        );
        i += 1;
    }
    out
}

/// Parses a range filter's `in[0]`: `[from, to]` or `"from,to"`.
fn range(values: &[Value]) -> Option<(f64, f64)> {
    let num = |v: &Value| {
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    };
    match values.first()? {
        Value::Array(a) if a.len() == 2 => Some((num(&a[0])?, num(&a[1])?)),
        Value::String(s) => {
            let (a, b) = s.split_once(',')?;
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        }
        _ => None,
    }
}

fn range_value(p: &Product, key: &str) -> Option<f64> {
    // The seeded model's scores (see `Db::product_json`).
    #[allow(clippy::cast_precision_loss)]
    match key {
        "num_sales" => Some(p.total_num_sales as f64),
        "stake" => p.model.as_ref().map(|_| 12.5),
        "return3m" => p.model.as_ref().map(|_| 2.5),
        "rank_tc" => p.model.as_ref().map(|_| 250.0),
        _ => None,
    }
}

fn yes_no(values: &[Value], flag: bool, yes: &str, no: &str) -> bool {
    values.iter().any(|v| match v.as_str() {
        Some(s) if s == yes => flag,
        Some(s) if s == no => !flag,
        _ => false,
    })
}

fn products(st: &AppState, uid: Option<u64>, headers: &HeaderMap, body: &[u8]) -> ApiResult {
    let obj = json_object(headers, body, PRODUCT_FIELDS)?;
    let mut errors = Vec::new();
    let id = body_int(&obj, "id", &mut errors);
    let category_id = body_int(&obj, "category_id", &mut errors);
    let (skip, limit) = paging(&obj, &mut errors);
    let filters = filters_of(&obj, &mut errors);
    let rounds_len = match obj.get("rounds") {
        None | Some(Value::Null) => 1,
        Some(Value::Array(a)) => a.len().max(1),
        Some(_) => {
            errors.push(json!({"loc": ["body", "rounds"], "msg": "value is not a valid list", "type": "type_error.list"}));
            1
        }
    };
    check(errors)?;
    let db = st.numerbay.db();
    let cats = category_id
        .and_then(|c| u64::try_from(c).ok())
        .map(|c| descendants(&db, c));
    let slug = body_str(&obj, "category_slug");
    let term = body_str(&obj, "term").map(|t| t.to_lowercase());
    let name = body_str(&obj, "name");
    let f_id = in_list(&filters, "id")?.map(|v| ints(&v)).transpose()?;
    let f_user = in_list(&filters, "user")?.map(|v| ints(&v)).transpose()?;
    let f_status = in_list(&filters, "status")?;
    let f_ready = in_list(&filters, "ready")?;
    let f_enc = in_list(&filters, "encryption")?;
    let f_platform = in_list(&filters, "platform")?;
    let mut ranges = Vec::new();
    for key in [
        "rank_tc",
        "rank_v2_corr20",
        "rank_fnc",
        "stake",
        "return3m",
        "num_sales",
    ] {
        if let Some(v) = in_list(&filters, key)? {
            // Spec §2.3: a malformed or empty range matches nothing (SQL `AND NULL`).
            let Some((from, to)) = range(&v) else {
                return Ok(
                    Json(json!({"total": 0, "data": [], "aggregations": aggregations()})).into_response(),
                );
            };
            let widen = match key {
                "stake" => 1.0,
                "return3m" => 0.01,
                _ => 0.0,
            };
            ranges.push((key, from - widen, to + widen));
        }
    }
    let as_i = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut list: Vec<&Product> = db
        .products
        .values()
        .filter(|p| id.is_none_or(|i| as_i(p.id) == i))
        .filter(|p| cats.as_ref().is_none_or(|c| c.contains(&p.category_id)))
        .filter(|p| {
            slug.as_ref()
                .is_none_or(|s| db.categories.get(&p.category_id).is_some_and(|c| &c.slug == s))
        })
        .filter(|p| {
            term.as_ref()
                .is_none_or(|t| p.name.to_lowercase().contains(t.as_str()))
        })
        .filter(|p| name.as_ref().is_none_or(|n| &p.name == n))
        .filter(|p| f_id.as_ref().is_none_or(|ids| ids.contains(&as_i(p.id))))
        .filter(|p| f_user.as_ref().is_none_or(|us| us.contains(&as_i(p.owner_id))))
        .filter(|p| {
            f_status
                .as_ref()
                .is_none_or(|v| yes_no(v, p.is_active, "active", "inactive"))
        })
        .filter(|p| {
            f_ready
                .as_ref()
                .is_none_or(|v| yes_no(v, p.is_ready, "yes", "no"))
        })
        .filter(|p| {
            f_enc
                .as_ref()
                .is_none_or(|v| yes_no(v, p.use_encryption, "yes", "no"))
        })
        .filter(|p| {
            f_platform.as_ref().is_none_or(|v| {
                v.iter().any(|x| match x.as_str() {
                    Some("on-platform") => p.options.iter().any(|o| o.is_on_platform),
                    Some("off-platform") => p.options.iter().any(|o| !o.is_on_platform),
                    _ => false,
                })
            })
        })
        .filter(|p| {
            ranges
                .iter()
                .all(|(k, from, to)| range_value(p, k).is_some_and(|x| x >= *from && x <= *to))
        })
        .collect();
    let sort = body_str(&obj, "sort").unwrap_or_default();
    list.sort_by(|a, b| {
        let primary = match sort.as_str() {
            "name-up" => a.name.cmp(&b.name),
            "name-down" => b.name.cmp(&a.name),
            "sales-down" => b.total_num_sales.cmp(&a.total_num_sales),
            _ => Ordering::Equal,
        };
        primary.then(b.id.cmp(&a.id))
    });
    let (total, list) = page(list, skip, limit)?;
    let coupon = uid.and(body_str(&obj, "coupon"));
    let data: Vec<Value> = list
        .into_iter()
        .map(|p| {
            let mut v = db.product_json(p, uid == Some(p.owner_id));
            scale_options(&mut v, p, rounds_len, coupon.is_some());
            v
        })
        .collect();
    Ok(Json(json!({"total": total, "data": data, "aggregations": aggregations()})).into_response())
}

/// Spec §2.3: price and quantity scaled by `ceil(len(rounds) / quantity)`; a coupon the sandbox
/// does not know yields the option's `error`.
fn scale_options(v: &mut Value, p: &Product, rounds_len: usize, coupon: bool) {
    let Some(opts) = v.get_mut("options").and_then(Value::as_array_mut) else {
        return;
    };
    for (json_opt, opt) in opts.iter_mut().zip(&p.options) {
        let q = usize::try_from(opt.quantity.max(1)).unwrap_or(1);
        let factor = rounds_len.div_ceil(q);
        #[allow(clippy::cast_precision_loss)]
        let f = factor as f64;
        json_opt["price"] = number(opt.price * f);
        json_opt["quantity"] = json!(opt.quantity.saturating_mul(u64::try_from(factor).unwrap_or(1)));
        if coupon {
            json_opt["error"] = json!("Coupon not found");
        }
    }
}

fn aggregations() -> Value {
    let flag = |code: &str, label: &str, yes: &str, no: &str| {
        json!({"attribute_code": code, "count": null, "label": label,
               "options": [{"label": yes, "value": true}, {"label": no, "value": false}]})
    };
    let range = |code: &str, label: &str, from: f64, to: f64, step: f64, decimals: u32| {
        json!({"attribute_code": code, "count": null, "label": label,
               "options": [{"from": from, "to": to, "step": step, "decimals": decimals}]})
    };
    json!([
        flag("status", "Status", "active", "inactive"),
        flag("ready", "Ready", "yes", "no"),
        flag("encryption", "Encryption", "yes", "no"),
        flag("platform", "Platform", "on-platform", "off-platform"),
        range("rank_tc", "TC Rank", 1.0, 10000.0, 1.0, 0),
        range("rank_v2_corr20", "CORR20 Rank", 1.0, 10000.0, 1.0, 0),
        range("rank_fnc", "FNC Rank", 1.0, 10000.0, 1.0, 0),
        range("stake", "Stake", 0.0, 10000.0, 1.0, 0),
        range("return3m", "3M Return", -100.0, 100.0, 0.01, 2),
        range("num_sales", "Number of Sales", 0.0, 1000.0, 1.0, 0),
    ])
}
