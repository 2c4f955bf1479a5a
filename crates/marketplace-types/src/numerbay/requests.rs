//! JSON request bodies the NumerBay clients send (spec §2.2, §2.3, §2.12, §4.2, §4.3).
//!
//! `None` fields are omitted on the wire. The types also deserialize (the sandbox parses them) and
//! accept whatever the server accepts: unknown keys are ignored, filter values stay raw JSON because
//! the server takes both numbers and numeric strings.

use serde::{Deserialize, Deserializer, Serialize};

use super::ids::{OrderId, ProductId};

string_enum! {
    /// `role` of an order search; any other value means "either side".
    pub enum OrderRole {
        /// Orders I bought.
        Buyer => "buyer",
        /// Orders of products I own.
        Seller => "seller",
    }
}

/// A filter of the form `{"in": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InFilter {
    /// The accepted values (numbers or strings; range filters use `[from, to]` or `"from,to"`).
    #[serde(rename = "in", default)]
    pub values: Vec<serde_json::Value>,
}

impl InFilter {
    /// A filter accepting any of `values`.
    pub fn new<I, V>(values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<serde_json::Value>,
    {
        Self {
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

/// Body of `POST /orders/search`; every key optional (an empty body is allowed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderSearch {
    /// Which side of the order the caller is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<OrderRole>,
    /// Exact order id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<OrderId>,
    /// Offset (negative → 400 `Skip must be positive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<i64>,
    /// Page size; absent = unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `latest` (date desc); anything else → id desc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<OrderFilters>,
}

/// `filters` of an order search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderFilters {
    /// Product ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<InFilter>,
    /// Only the first element is used; matches orders whose `rounds` contain it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_order: Option<InFilter>,
    /// Order states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<InFilter>,
    /// Presence alone (any value, even `false` or `null`) selects active sales: confirmed and the
    /// selling round in `rounds`. `Some(Value::Null)` therefore still means "active".
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub active: Option<serde_json::Value>,
}

/// Body of `POST /products/search-authenticated` and `POST /products/search`; every key optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductSearch {
    /// Exact product id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ProductId>,
    /// Category and all descendants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<u64>,
    /// Exact category slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_slug: Option<String>,
    /// Case-insensitive substring of the product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Exact, case-sensitive product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Offset (negative → 400 `Skip must be positive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<i64>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Sort key, e.g. `latest`, `stake-down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<ProductFilters>,
    /// Coupon code to price options with (authenticated search only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// Only the length matters: the quantity option prices are scaled to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<u32>>,
}

/// `filters` of a product search (each `{"in": [...]}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductFilters {
    /// Product ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<InFilter>,
    /// Owner ids (the official client sends strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<InFilter>,
    /// `on-platform` / `off-platform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<InFilter>,
    /// `active` / `inactive`; without it delisted products are returned too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InFilter>,
    /// `yes` / `no`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<InFilter>,
    /// `yes` / `no`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<InFilter>,
    /// Range `[from, to]` or `"from,to"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_tc: Option<InFilter>,
    /// Range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_v2_corr20: Option<InFilter>,
    /// Range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_fnc: Option<InFilter>,
    /// Range (widened by ±1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stake: Option<InFilter>,
    /// Range (widened by ±0.01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return3m: Option<InFilter>,
    /// Range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_sales: Option<InFilter>,
}

/// Body of `POST /products/{id}/lock`: `{"round_number": n}`; `None` locks the selling round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRequest {
    /// Round to lock up to (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_number: Option<u32>,
}

/// Body of `POST /orders/` (spec §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOrder {
    /// The product to buy.
    pub id: ProductId,
    /// The pricing option.
    pub option_id: u64,
    /// Tournament rounds to buy.
    pub rounds: Vec<u32>,
    /// Buyer's Numerai model for auto-submission (required for stake modes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_model_id: Option<String>,
    /// Coupon code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
}

/// Body of `POST /orders/{id}/submission-model`: `{"model_id": str|null}` (null clears it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionModelRequest {
    /// New submission model, or `None` to clear (sent as `null`).
    #[serde(default)]
    pub model_id: Option<String>,
}

/// Body of `PUT /users/me` (spec §7). `Debug` redacts `password` and `numerai_api_key_secret`.
///
/// Spec quirk: the four `social_*` fields are overwritten with null when omitted, so send the
/// current values back (e.g. from [`super::User`]) unless clearing them is intended.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdate {
    /// New login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// New password (a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// New e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Default receiving wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_receiving_wallet_address: Option<String>,
    /// Discord handle (null when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_discord: Option<String>,
    /// LinkedIn profile (null when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_linkedin: Option<String>,
    /// Twitter handle (null when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_twitter: Option<String>,
    /// Website (null when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_website: Option<String>,
    /// Wallet to link (with `signature`; `""` unlinks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_address: Option<String>,
    /// EIP-191 signature proving ownership of `public_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Numerai API key public id (validated live against Numerai).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerai_api_key_public_id: Option<String>,
    /// Numerai API key secret (a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerai_api_key_secret: Option<String>,
    /// New NaCl public key, base64 (stored as `public_key_v2`; needs `encrypted_private_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// Wrapped private key blob (stored as `encrypted_private_key_v2`; spec §5.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_private_key: Option<String>,
    /// Price factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<serde_json::Value>,
}

impl std::fmt::Debug for UserUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            username,
            password,
            email,
            default_receiving_wallet_address,
            social_discord,
            social_linkedin,
            social_twitter,
            social_website,
            public_address,
            signature,
            numerai_api_key_public_id,
            numerai_api_key_secret,
            public_key,
            encrypted_private_key,
            factor,
        } = self;
        let redact = |secret: &Option<String>| secret.as_ref().map(|_| "******");
        f.debug_struct("UserUpdate")
            .field("username", username)
            .field("password", &redact(password))
            .field("email", email)
            .field(
                "default_receiving_wallet_address",
                default_receiving_wallet_address,
            )
            .field("social_discord", social_discord)
            .field("social_linkedin", social_linkedin)
            .field("social_twitter", social_twitter)
            .field("social_website", social_website)
            .field("public_address", public_address)
            .field("signature", signature)
            .field("numerai_api_key_public_id", numerai_api_key_public_id)
            .field("numerai_api_key_secret", &redact(numerai_api_key_secret))
            .field("public_key", public_key)
            .field("encrypted_private_key", encrypted_private_key)
            .field("factor", factor)
            .finish()
    }
}

/// `deserialize_with` that records presence: any value, even null, becomes `Some`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_update_debug_hides_secrets_and_omits_unset_fields() {
        let update = UserUpdate {
            password: Some("hunter2".into()),
            numerai_api_key_secret: Some("NUMERAI-SECRET".into()),
            public_key: Some("CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY=".into()),
            ..UserUpdate::default()
        };
        let debug = format!("{update:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("NUMERAI-SECRET"),
            "{debug}"
        );
        assert!(debug.contains("CCWYG"));
        let json = serde_json::to_value(&update).unwrap();
        assert_eq!(json.as_object().map(|o| o.len()), Some(3));
    }

    #[test]
    fn in_filter_accepts_ids_and_strings() {
        let f = InFilter::new([ProductId(2), ProductId(3)]);
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"in":[2,3]}"#);
        let s = InFilter::new(["active"]);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"in":["active"]}"#);
    }
}
