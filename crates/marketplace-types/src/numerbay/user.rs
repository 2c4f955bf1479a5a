//! NumerBay users, their coupons, and Numerai model summaries (spec §3.2, §3.3, §3.10).

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ids::{ProductId, UserId};

/// The caller's account (`GET/PUT /users/me`, login, `POST /users/sync-numerai`, `POST /users/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Validated e-mail address.
    pub email: Option<String>,
    /// Whether the account is active.
    pub is_active: Option<bool>,
    /// Whether the account is a superuser.
    #[serde(default)]
    pub is_superuser: bool,
    /// Login name (never null in the database).
    pub username: Option<String>,
    /// MetaMask wallet address.
    pub public_address: Option<String>,
    /// Default address sales are paid to (lower-cased).
    pub default_receiving_wallet_address: Option<String>,
    /// Last synchronisation with Numerai.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub date_last_numerai_sync: Option<NaiveDateTime>,
    /// Discord handle.
    pub social_discord: Option<String>,
    /// LinkedIn profile.
    pub social_linkedin: Option<String>,
    /// Twitter handle.
    pub social_twitter: Option<String>,
    /// Website.
    pub social_website: Option<String>,
    /// Free-form properties, e.g. `{"factor": 1.2}`.
    pub props: Option<serde_json::Value>,
    /// User id.
    pub id: UserId,
    /// Public id of the stored Numerai API key (the secret is never returned).
    pub numerai_api_key_public_id: Option<String>,
    /// Scope of the stored Numerai key: upload submissions.
    pub numerai_api_key_can_upload_submission: Option<bool>,
    /// Scope of the stored Numerai key: stake.
    pub numerai_api_key_can_stake: Option<bool>,
    /// Scope of the stored Numerai key: read submission info.
    pub numerai_api_key_can_read_submission_info: Option<bool>,
    /// Scope of the stored Numerai key: read user info.
    pub numerai_api_key_can_read_user_info: Option<bool>,
    /// The buyer's paying Numerai wallet address.
    pub numerai_wallet_address: Option<String>,
    /// Legacy (v1) NaCl public key, base64.
    pub public_key: Option<String>,
    /// Legacy v1 wrapped private key blob (spec §5.5).
    pub encrypted_private_key: Option<String>,
    /// Current NaCl public key, base64.
    pub public_key_v2: Option<String>,
    /// v2 wrapped private key blob (spec §5.5); only the user's wallet can unwrap it.
    pub encrypted_private_key_v2: Option<String>,
    /// The user's Numerai models.
    #[serde(default)]
    pub models: Vec<ModelMinimal>,
    /// Coupons the user owns (received).
    #[serde(default)]
    pub coupons: Vec<Coupon>,
    /// Coupons the user issued.
    #[serde(default)]
    pub created_coupons: Vec<Coupon>,
}

/// A minimal reference to a user: `{id, username}` (order buyer, coupon owner/creator, reviewer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    /// User id.
    pub id: Option<UserId>,
    /// Login name.
    pub username: Option<String>,
}

/// A Numerai model as listed inside [`User::models`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelMinimal {
    /// Numerai model id (UUID with dashes).
    pub id: String,
    /// Model name.
    pub name: Option<String>,
    /// Tournament: 8 classic, 11 signals, 12 crypto.
    pub tournament: Option<u32>,
    /// When the model started.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub start_date: Option<NaiveDateTime>,
}

/// The Numerai model embedded in [`super::Product::model`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// Numerai model id (UUID with dashes).
    pub id: String,
    /// Model name.
    pub name: Option<String>,
    /// Tournament: 8 classic, 11 signals, 12 crypto.
    pub tournament: Option<u32>,
    /// NMR staked on the model.
    #[serde(default, with = "crate::decimal::option")]
    pub nmr_staked: Option<Decimal>,
    /// Numerai stake information (Numerai-defined keys).
    pub stake_info: Option<serde_json::Value>,
    /// Latest ranks (keys such as `corr`, `mmc`, `tc`, `v2_corr20`).
    pub latest_ranks: Option<serde_json::Value>,
    /// Latest reputation scores.
    pub latest_reps: Option<serde_json::Value>,
    /// Latest returns (`oneDay`, `threeMonths`, `oneYear`, `allTime`).
    pub latest_returns: Option<serde_json::Value>,
    /// When the model started.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub start_date: Option<NaiveDateTime>,
}

/// The full Numerai model schema (not returned by the client's endpoints; for the sandbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumeraiModel {
    /// Model name.
    pub name: String,
    /// Tournament: 8 classic, 11 signals, 12 crypto.
    pub tournament: u32,
    /// NMR staked on the model.
    #[serde(default, with = "crate::decimal::option")]
    pub nmr_staked: Option<Decimal>,
    /// Numerai stake information.
    pub stake_info: Option<serde_json::Value>,
    /// Latest ranks.
    pub latest_ranks: Option<serde_json::Value>,
    /// Latest reputation scores.
    pub latest_reps: Option<serde_json::Value>,
    /// Latest returns.
    pub latest_returns: Option<serde_json::Value>,
    /// Per-round performances.
    pub round_model_performances: Option<Vec<serde_json::Value>>,
    /// When the model started.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub start_date: Option<NaiveDateTime>,
    /// When NumerBay last refreshed the model.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub last_updated: Option<NaiveDateTime>,
    /// Numerai model id (UUID with dashes).
    pub id: String,
    /// NumerBay owner.
    pub owner_id: UserId,
}

/// One of the caller's models as returned by `GET /numerai/` (straight from Numerai).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumeraiAccountModel {
    /// Numerai model id.
    pub id: String,
    /// Model name.
    pub name: Option<String>,
    /// Tournament number.
    pub tournament: Option<u32>,
    /// Public profile URL (camelCase on the wire).
    #[serde(rename = "profileUrl", default)]
    pub profile_url: Option<String>,
}

/// A coupon, as found in [`User::coupons`] and [`User::created_coupons`] (spec §3.10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coupon {
    /// Last valid day (a date, not a datetime).
    pub date_expiration: Option<NaiveDate>,
    /// Applicability mode, e.g. `specific_products`.
    pub applicability: Option<String>,
    /// Products the coupon applies to.
    pub applicable_product_ids: Option<Vec<ProductId>>,
    /// Minimum spend in NMR.
    #[serde(default, with = "crate::decimal::option")]
    pub min_spend: Option<Decimal>,
    /// Maximum discount in NMR.
    #[serde(default, with = "crate::decimal::option")]
    pub max_discount: Option<Decimal>,
    /// Discount mode, e.g. `percent`.
    pub discount_mode: Option<String>,
    /// Discount in percent (0–100).
    pub discount_percent: Option<u32>,
    /// Total number of redemptions allowed.
    pub quantity_total: Option<u32>,
    /// Coupon id.
    pub id: u64,
    /// When the coupon was issued.
    #[serde(with = "crate::datetime::naive")]
    pub date_creation: NaiveDateTime,
    /// Coupon code (upper-cased; 8 chars `[0-9A-Z]` when generated).
    pub code: String,
    /// Coupon state.
    pub state: Option<String>,
    /// Whether the seller owns the coupon.
    #[serde(default)]
    pub is_owned_by_seller: bool,
    /// Who owns (received) the coupon.
    pub owner: Option<UserRef>,
    /// Who issued the coupon.
    pub creator: Option<UserRef>,
    /// `quantity_total` minus non-expired redemptions; null when `quantity_total` is null.
    pub quantity_remaining: Option<i64>,
}
