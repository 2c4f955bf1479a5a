//! NumerBay products, categories, pricing options, reviews and search responses (spec §2.3, §3.4–§3.6, §3.11).

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ids::{ProductId, UserId};
use super::order::OrderMode;
use super::user::{ModelSummary, UserRef};
use crate::JsonObject;

/// A listing (search results; embedded in orders and favorites).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Avatar image URL.
    pub avatar: Option<String>,
    /// Listing description.
    pub description: Option<String>,
    /// `false` once delisted.
    pub is_active: Option<bool>,
    /// Per-order encrypted delivery (spec §4.5).
    pub use_encryption: Option<bool>,
    /// At least one active upload this round.
    pub is_ready: Option<bool>,
    /// May be sold for weekday rounds.
    pub is_daily: Option<bool>,
    /// Auto-delist after this round.
    pub expiration_round: Option<u32>,
    /// Sales statistic: quantity sold.
    pub total_qty_sales: Option<u64>,
    /// Sales statistic: quantity sold (filtered).
    pub total_qty_sales_filtered: Option<u64>,
    /// Sales statistic: quantity delivered.
    pub total_qty_delivered: Option<u64>,
    /// Sales statistic: number of sales.
    pub total_num_sales: Option<u64>,
    /// Price of the last sale.
    #[serde(default, with = "crate::decimal::option")]
    pub last_sale_price: Option<Decimal>,
    /// Change of the last sale price.
    #[serde(default, with = "crate::decimal::option")]
    pub last_sale_price_delta: Option<Decimal>,
    /// Seller webhook URL (nulled for non-owners in product search).
    pub webhook: Option<String>,
    /// Featured product ids.
    pub featured_products: Option<Vec<ProductId>>,
    /// Rounds up to this one can no longer be bought (spec §4.7).
    pub round_lock: Option<u32>,
    /// Product id.
    pub id: ProductId,
    /// Product name.
    pub name: String,
    /// `<category slug>-<lower(name)>`, unique.
    pub sku: String,
    /// The product's category.
    pub category: Option<Category>,
    /// The seller.
    pub owner: Option<GenericOwner>,
    /// The Numerai model behind the product.
    pub model: Option<ModelSummary>,
    /// All reviews, inline.
    pub reviews: Option<Vec<Review>>,
    /// All pricing options (active and inactive).
    pub options: Option<Vec<ProductOption>>,
    /// Always `"0"` (a UI artefact; camelCase on the wire).
    #[serde(rename = "optionIdx", default)]
    pub option_idx: Option<String>,
}

/// A product category; children in `items` have the same shape without `parent_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Display name.
    pub name: String,
    /// Unique slug, e.g. `numerai-predictions`.
    pub slug: String,
    /// Numerai tournament number.
    pub tournament: Option<u32>,
    /// Artifacts are tied to rounds.
    pub is_per_round: Option<bool>,
    /// Products are tournament submissions.
    pub is_submission: Option<bool>,
    /// Products are tied to a model.
    pub is_per_model: Option<bool>,
    /// Category id.
    pub id: u64,
    /// Child categories.
    #[serde(default)]
    pub items: Option<Vec<Category>>,
    /// Parent category id.
    #[serde(default)]
    pub parent_id: Option<u64>,
}

/// The seller as embedded in a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenericOwner {
    /// User id.
    pub id: UserId,
    /// Login name.
    pub username: Option<String>,
    /// Default receiving wallet.
    pub default_receiving_wallet_address: Option<String>,
    /// Discord handle.
    pub social_discord: Option<String>,
    /// LinkedIn profile.
    pub social_linkedin: Option<String>,
    /// Twitter handle.
    pub social_twitter: Option<String>,
    /// Website.
    pub social_website: Option<String>,
}

/// A pricing option of a product (spec §3.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductOption {
    /// Option id.
    pub id: u64,
    /// `false` = a link to an external shop.
    pub is_on_platform: bool,
    /// External shop URL.
    pub third_party_url: Option<String>,
    /// Option description.
    pub description: Option<String>,
    /// Rounds bundled in this option (scaled in search results).
    pub quantity: Option<u32>,
    /// Total option price (scaled in search results).
    #[serde(with = "crate::decimal")]
    pub price: Decimal,
    /// `NMR` on-platform, `USD` off-platform.
    pub currency: String,
    /// Seller receiving address override (lower-case).
    pub wallet: Option<String>,
    /// Chain (null for new options).
    pub chain: Option<String>,
    /// Stake limit, required for `stake_with_limit`.
    #[serde(default, with = "crate::decimal::option")]
    pub stake_limit: Option<Decimal>,
    /// Delivery mode.
    pub mode: Option<OrderMode>,
    /// Whether the option can be bought.
    pub is_active: Option<bool>,
    /// Buying this option rewards a coupon.
    pub coupon: Option<bool>,
    /// Reward coupon specification (free-form; values may be numbers or strings).
    pub coupon_specs: Option<serde_json::Value>,
    /// Computed: price after the coupon of the search request.
    #[serde(default, with = "crate::decimal::option")]
    pub special_price: Option<Decimal>,
    /// Computed: coupon code applied.
    pub applied_coupon: Option<String>,
    /// Computed: coupon error, e.g. `Coupon expired`.
    pub error: Option<String>,
    /// Owning product.
    pub product_id: Option<ProductId>,
}

/// A review (inside [`Product::reviews`]; `POST /reviews/search`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// When the review was written.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub created_at: Option<NaiveDateTime>,
    /// Round the review is about.
    pub round_tournament: Option<u32>,
    /// Rating.
    pub rating: Option<u32>,
    /// Review text.
    pub text: Option<String>,
    /// Written by a buyer with a verified order.
    pub is_verified_order: Option<bool>,
    /// Review id.
    pub id: u64,
    /// Who wrote it.
    #[serde(default)]
    pub reviewer: UserRef,
    /// Reviewed product.
    pub product_id: ProductId,
}

/// Response of `POST /products/search[-authenticated]`: a page plus facet descriptors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSearchResponse {
    /// Number of matches before `skip`/`limit`.
    pub total: u64,
    /// The products of this page.
    pub data: Vec<Product>,
    /// Facet descriptors (a fixed list).
    #[serde(default)]
    pub aggregations: Vec<Aggregation>,
}

/// A search facet descriptor, e.g. `{"attribute_code":"status","count":null,"label":"Status","options":[…]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregation {
    /// Facet key, e.g. `status`, `stake`.
    pub attribute_code: String,
    /// Count (null in practice).
    #[serde(default)]
    pub count: Option<serde_json::Value>,
    /// Display label.
    #[serde(default)]
    pub label: Option<String>,
    /// Choices (or range `from`/`to`/`step`/`decimals` descriptors).
    #[serde(default)]
    pub options: Vec<AggregationOption>,
    /// Any further keys, kept as sent.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// One facet option, e.g. `{"label":"active","value":true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregationOption {
    /// Display label.
    #[serde(default)]
    pub label: Option<serde_json::Value>,
    /// Filter value.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// Any further keys (`from`, `to`, `step`, `decimals`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// The raw product row returned by `POST /products/{id}/lock` (not schema-validated; every field optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductRow {
    /// Product id.
    pub id: Option<ProductId>,
    /// Product name.
    pub name: Option<String>,
    /// Product sku.
    pub sku: Option<String>,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Listed or delisted.
    pub is_active: Option<bool>,
    /// Encrypted per-order delivery.
    pub use_encryption: Option<bool>,
    /// Ready this round.
    pub is_ready: Option<bool>,
    /// Sold for weekday rounds.
    pub is_daily: Option<bool>,
    /// Auto-delist round.
    pub expiration_round: Option<u32>,
    /// Sales statistic.
    pub total_qty_sales: Option<u64>,
    /// Sales statistic.
    pub total_qty_sales_filtered: Option<u64>,
    /// Sales statistic.
    pub total_qty_delivered: Option<u64>,
    /// Sales statistic.
    pub total_num_sales: Option<u64>,
    /// Last sale price.
    #[serde(default, with = "crate::decimal::option")]
    pub last_sale_price: Option<Decimal>,
    /// Last sale price change.
    #[serde(default, with = "crate::decimal::option")]
    pub last_sale_price_delta: Option<Decimal>,
    /// Webhook URL.
    pub webhook: Option<String>,
    /// Featured products.
    pub featured_products: Option<Vec<ProductId>>,
    /// The locked round.
    pub round_lock: Option<u32>,
    /// Seller id.
    pub owner_id: Option<UserId>,
    /// Category id.
    pub category_id: Option<u64>,
    /// Numerai model id.
    pub model_id: Option<String>,
    /// Nested raw category, when loaded.
    pub category: Option<serde_json::Value>,
}
