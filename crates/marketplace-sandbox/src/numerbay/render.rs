//! Wire renderings of the NumerBay rows (spec §3): field names, null handling and encodings.

use chrono::{DateTime, Timelike, Utc};
use serde_json::{json, Value};

use super::model::{Artifact, Category, Db, Order, OrderArtifact, Product, ProductOption, User};

impl Db {
    /// User JSON (§3.2).
    pub fn user_json(&self, u: &User) -> Value {
        json!({
            "email": u.email, "is_active": u.is_active, "is_superuser": u.is_superuser,
            "username": u.username, "public_address": null, "default_receiving_wallet_address": null,
            "date_last_numerai_sync": null, "social_discord": null, "social_linkedin": null,
            "social_twitter": null, "social_website": null, "props": null, "id": u.id,
            "numerai_api_key_public_id": null, "numerai_api_key_can_upload_submission": null,
            "numerai_api_key_can_stake": null, "numerai_api_key_can_read_submission_info": null,
            "numerai_api_key_can_read_user_info": null, "numerai_wallet_address": u.numerai_wallet_address,
            "public_key": null, "encrypted_private_key": null,
            "public_key_v2": u.public_key_v2, "encrypted_private_key_v2": u.encrypted_private_key_v2,
            "models": u.models.iter().map(|m| json!({"id": m.id, "name": m.name, "tournament": m.tournament, "start_date": null})).collect::<Vec<_>>(),
            "coupons": [], "created_coupons": [],
        })
    }

    /// Category JSON (§3.5) with its children.
    pub fn category_json(&self, c: &Category) -> Value {
        let items: Vec<Value> = self
            .categories
            .values()
            .filter(|k| k.parent_id == Some(c.id))
            .map(|k| {
                let mut v = self.category_json(k);
                if let Some(o) = v.as_object_mut() {
                    o.remove("parent_id");
                }
                v
            })
            .collect();
        json!({
            "name": c.name, "slug": c.slug, "tournament": c.tournament, "is_per_round": c.is_per_round,
            "is_submission": c.is_submission, "is_per_model": c.is_per_model, "id": c.id,
            "items": items, "parent_id": c.parent_id,
        })
    }

    /// Product JSON (§3.4). `show_webhook`: the caller owns it (or it is embedded in an order).
    pub fn product_json(&self, p: &Product, show_webhook: bool) -> Value {
        let owner = self.users.get(&p.owner_id).map(|u| {
            json!({"id": u.id, "username": u.username, "default_receiving_wallet_address": null,
                   "social_discord": null, "social_linkedin": null, "social_twitter": null, "social_website": null})
        });
        json!({
            "avatar": null, "description": p.description, "is_active": p.is_active,
            "use_encryption": p.use_encryption, "is_ready": p.is_ready, "is_daily": p.is_daily,
            "expiration_round": p.expiration_round, "total_qty_sales": p.total_num_sales,
            "total_qty_sales_filtered": p.total_num_sales, "total_qty_delivered": 0,
            "total_num_sales": p.total_num_sales, "last_sale_price": null, "last_sale_price_delta": null,
            "webhook": if show_webhook { p.webhook.clone() } else { None },
            "featured_products": null, "round_lock": p.round_lock, "id": p.id, "name": p.name,
            "sku": self.sku(p),
            "category": self.categories.get(&p.category_id).map(|c| self.category_json(c)),
            "owner": owner,
            "model": p.model.as_ref().map(|m| json!({
                "id": m.id, "name": m.name, "tournament": m.tournament, "nmr_staked": 12.5,
                "stake_info": null, "latest_ranks": {"corr": 120, "mmc": 300, "tc": 250},
                "latest_reps": {"corr": 0.01, "mmc": 0.002}, "latest_returns": {"oneDay": 0.1, "threeMonths": 2.5, "oneYear": null},
                "start_date": null,
            })),
            "reviews": [],
            "options": p.options.iter().map(option_json).collect::<Vec<_>>(),
            "optionIdx": "0",
        })
    }

    /// Raw product row (lock response).
    pub fn product_row(&self, p: &Product) -> Value {
        json!({
            "id": p.id, "name": p.name, "sku": self.sku(p), "description": p.description, "avatar": null,
            "is_active": p.is_active, "use_encryption": p.use_encryption, "is_ready": p.is_ready,
            "is_daily": p.is_daily, "expiration_round": p.expiration_round, "round_lock": p.round_lock,
            "webhook": p.webhook, "owner_id": p.owner_id, "category_id": p.category_id,
            "model_id": p.model.as_ref().map(|m| m.id.clone()), "total_num_sales": p.total_num_sales,
            "total_qty_sales": p.total_num_sales, "last_sale_price": null, "featured_products": null,
        })
    }

    /// Order JSON (§3.9).
    pub fn order_json(&self, o: &Order) -> Value {
        let product = self
            .products
            .get(&o.product_id)
            .map(|p| self.product_json(p, true));
        let buyer = self.users.get(&o.buyer_id).map(|u| u.username.clone());
        let artifacts: Vec<Value> = self
            .order_artifacts
            .iter()
            .filter(|a| a.order_id == o.id && a.state != "marked_for_pruning" && a.state != "pruned")
            .map(order_artifact_json)
            .collect();
        json!({
            "date_order": naive(o.date_order), "round_order": o.round_order, "rounds": o.rounds,
            "props": null, "price": number(o.price), "currency": "NMR", "mode": o.mode,
            "stake_limit": o.stake_limit.map(number), "submit_model_id": o.submit_model_id,
            "submit_model_name": o.submit_model_name, "submit_state": o.submit_state,
            "last_submit_round": o.last_submit_round, "chain": "ethereum",
            "from_address": o.from_address, "to_address": o.to_address,
            "transaction_hash": o.transaction_hash, "state": o.state, "applied_coupon_id": null,
            "coupon": false, "coupon_specs": null, "buyer_public_key": o.buyer_public_key,
            "last_reminder_date": null, "id": o.id, "product": product,
            "buyer": {"id": o.buyer_id, "username": buyer}, "quantity": o.rounds.len(),
            "artifacts": artifacts,
        })
    }
}

/// ProductOption JSON (§3.6).
pub fn option_json(o: &ProductOption) -> Value {
    json!({
        "id": o.id, "is_on_platform": o.is_on_platform,
        "third_party_url": if o.is_on_platform { None } else { Some("https://example.invalid/shop") },
        "description": null, "quantity": o.quantity, "price": number(o.price), "currency": o.currency,
        "wallet": null, "chain": null, "stake_limit": o.stake_limit.map(number), "mode": o.mode,
        "is_active": o.is_active, "coupon": null, "coupon_specs": null, "special_price": null,
        "applied_coupon": null, "error": null, "product_id": o.product_id,
    })
}

/// Artifact JSON (§3.7); also the raw row dump of validate-upload.
pub fn artifact_json(a: &Artifact) -> Value {
    json!({
        "date": naive(a.date), "round_tournament": a.round_tournament, "object_name": a.object_name,
        "object_size": a.object_size, "state": a.state, "id": a.id, "product_id": a.product_id,
    })
}

/// OrderArtifact JSON (§3.8).
pub fn order_artifact_json(a: &OrderArtifact) -> Value {
    json!({
        "date": naive(a.date), "round_tournament": a.round_tournament, "object_name": a.object_name,
        "object_size": a.object_size, "state": a.state, "is_numerai_direct": a.is_numerai_direct,
        "id": a.id, "order_id": a.order_id,
    })
}

/// Spec §3.0: naive ISO-8601, microseconds, fraction omitted when zero.
pub fn naive(t: DateTime<Utc>) -> String {
    let micros = t.nanosecond() / 1000;
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

/// Spec §3.0: decimals as JSON numbers, integers when integral.
pub fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        // Exact: integral and well inside i64.
        #[allow(clippy::cast_possible_truncation)]
        let i = f as i64;
        json!(i)
    } else {
        json!(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_naive_and_drop_zero_micros() {
        let t = DateTime::parse_from_rfc3339("2021-03-22T17:44:50Z")
            .expect("t")
            .with_timezone(&Utc);
        assert_eq!(naive(t), "2021-03-22T17:44:50");
        let t = DateTime::parse_from_rfc3339("2021-12-25T06:34:58.047278Z")
            .expect("t")
            .with_timezone(&Utc);
        assert_eq!(naive(t), "2021-12-25T06:34:58.047278");
    }

    #[test]
    fn decimals_render_as_numbers() {
        assert_eq!(number(9.0).to_string(), "9");
        assert_eq!(number(9.5).to_string(), "9.5");
    }
}
