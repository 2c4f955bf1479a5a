//! NumerBay rows held in memory (renderings live in `render.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// A Numerai model owned by a user.
#[derive(Debug, Clone)]
pub struct NumeraiModel {
    /// Numerai model UUID (with dashes).
    pub id: String,
    /// Model name.
    pub name: String,
    /// Tournament number (8 classic).
    pub tournament: u32,
}

/// A NumerBay account.
#[derive(Clone)]
pub struct User {
    /// User id.
    pub id: u64,
    /// Login name.
    pub username: String,
    /// Plain password (sandbox only).
    pub password: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Inactive users cannot log in.
    pub is_active: bool,
    /// Superusers skip the round-open checks.
    pub is_superuser: bool,
    /// Current NaCl public key (base64).
    pub public_key_v2: Option<String>,
    /// Wrapped private key blob, stored as given.
    pub encrypted_private_key_v2: Option<String>,
    /// Numerai wallet.
    pub numerai_wallet_address: Option<String>,
    /// Numerai models.
    pub models: Vec<NumeraiModel>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password", &"******")
            .finish_non_exhaustive()
    }
}

/// A product category.
#[derive(Debug, Clone)]
pub struct Category {
    /// Category id.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// Slug, the sku prefix.
    pub slug: String,
    /// Numerai tournament.
    pub tournament: Option<u32>,
    /// Artifacts are tied to rounds.
    pub is_per_round: bool,
    /// Submission category.
    pub is_submission: bool,
    /// Per-model category.
    pub is_per_model: bool,
    /// Parent category.
    pub parent_id: Option<u64>,
}

/// A pricing option of a product.
#[derive(Debug, Clone)]
pub struct ProductOption {
    /// Option id.
    pub id: u64,
    /// Sold through NumerBay.
    pub is_on_platform: bool,
    /// Rounds bundled.
    pub quantity: u64,
    /// Price.
    pub price: f64,
    /// `NMR` or `USD`.
    pub currency: String,
    /// `file`, `stake` or `stake_with_limit`.
    pub mode: String,
    /// Stake limit for `stake_with_limit`.
    pub stake_limit: Option<f64>,
    /// Whether the option is offered.
    pub is_active: bool,
    /// Owning product.
    pub product_id: u64,
}

/// A listing.
#[derive(Debug, Clone)]
pub struct Product {
    /// Product id.
    pub id: u64,
    /// Name (the sku suffix).
    pub name: String,
    /// Category.
    pub category_id: u64,
    /// Seller.
    pub owner_id: u64,
    /// Description.
    pub description: Option<String>,
    /// False = delisted.
    pub is_active: bool,
    /// Per-order encrypted delivery.
    pub use_encryption: bool,
    /// Has an active upload this round.
    pub is_ready: bool,
    /// Sold for weekday rounds.
    pub is_daily: bool,
    /// Auto-delist after this round.
    pub expiration_round: Option<u64>,
    /// Rounds up to this one cannot be bought.
    pub round_lock: Option<u64>,
    /// Webhook URL (owner only).
    pub webhook: Option<String>,
    /// The seller's Numerai model.
    pub model: Option<NumeraiModel>,
    /// Pricing options.
    pub options: Vec<ProductOption>,
    /// Number of confirmed sales.
    pub total_num_sales: u64,
}

/// An order.
#[derive(Debug, Clone)]
pub struct Order {
    /// Order id.
    pub id: u64,
    /// Product bought.
    pub product_id: u64,
    /// Buyer.
    pub buyer_id: u64,
    /// Creation time.
    pub date_order: DateTime<Utc>,
    /// Selling round at creation.
    pub round_order: u64,
    /// Rounds bought.
    pub rounds: Vec<u64>,
    /// Total price.
    pub price: f64,
    /// `file`, `stake`, `stake_with_limit`.
    pub mode: String,
    /// Stake limit.
    pub stake_limit: Option<f64>,
    /// Buyer's Numerai model for submissions.
    pub submit_model_id: Option<String>,
    /// Its name.
    pub submit_model_name: Option<String>,
    /// `queued`, `completed`, `failed`.
    pub submit_state: Option<String>,
    /// Last round submitted.
    pub last_submit_round: Option<u64>,
    /// `pending`, `confirmed`, `expired`.
    pub state: String,
    /// Key snapshot for encrypted delivery.
    pub buyer_public_key: Option<String>,
    /// Buyer wallet.
    pub from_address: Option<String>,
    /// Seller wallet.
    pub to_address: Option<String>,
    /// Payment transaction.
    pub transaction_hash: Option<String>,
}

impl Order {
    /// Confirmed and covering `round`.
    pub fn is_current(&self, round: u64) -> bool {
        self.state == "confirmed" && self.rounds.contains(&round)
    }
}

/// A product artifact.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Integer id.
    pub id: u64,
    /// Product.
    pub product_id: u64,
    /// Creation time.
    pub date: DateTime<Utc>,
    /// Round.
    pub round_tournament: u64,
    /// Storage key.
    pub object_name: Option<String>,
    /// Declared size.
    pub object_size: Option<u64>,
    /// `pending`, `active`, `failed`, `pruned`.
    pub state: String,
}

/// A per-order artifact.
#[derive(Debug, Clone)]
pub struct OrderArtifact {
    /// 32 lowercase hex chars.
    pub id: String,
    /// Order.
    pub order_id: u64,
    /// Creation time.
    pub date: DateTime<Utc>,
    /// Round.
    pub round_tournament: u64,
    /// Storage key.
    pub object_name: Option<String>,
    /// Declared size.
    pub object_size: Option<u64>,
    /// `pending`, `active`, `failed`, `marked_for_pruning`, `pruned`.
    pub state: String,
    /// Uploaded to Numerai instead of storage.
    pub is_numerai_direct: bool,
}

/// Site globals.
#[derive(Debug, Clone)]
pub struct Globals {
    /// Numerai's current round.
    pub active_round: u64,
    /// The round being sold.
    pub selling_round: u64,
    /// Whether Numerai's round is open for staking (uploads allowed).
    pub round_open: bool,
    /// Rollover flag.
    pub is_doing_round_rollover: bool,
}

/// Every NumerBay table.
#[derive(Debug, Default)]
pub struct Db {
    /// Users by id.
    pub users: BTreeMap<u64, User>,
    /// Categories by id.
    pub categories: BTreeMap<u64, Category>,
    /// Products by id.
    pub products: BTreeMap<u64, Product>,
    /// Orders by id.
    pub orders: BTreeMap<u64, Order>,
    /// Product artifacts by id.
    pub artifacts: BTreeMap<u64, Artifact>,
    /// Order artifacts in creation order.
    pub order_artifacts: Vec<OrderArtifact>,
    /// Globals.
    pub globals: Option<Globals>,
    /// Last id handed out (shared by all integer tables, which keeps ids unique and ascending).
    pub last_id: u64,
}

impl Db {
    /// A fresh id.
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Globals (seeded, so always present).
    pub fn globals(&self) -> Globals {
        self.globals.clone().unwrap_or(Globals {
            active_round: super::SEED_ROUND,
            selling_round: super::SEED_ROUND,
            round_open: true,
            is_doing_round_rollover: false,
        })
    }

    /// The product's sku: `<category slug>-<lower(name)>`.
    pub fn sku(&self, p: &Product) -> String {
        let slug = self
            .categories
            .get(&p.category_id)
            .map_or("", |c| c.slug.as_str());
        format!("{slug}-{}", p.name.to_lowercase())
    }

    /// Whether the product's category is per-round.
    pub fn per_round(&self, p: &Product) -> bool {
        self.categories
            .get(&p.category_id)
            .is_some_and(|c| c.is_per_round)
    }

    /// The first current order of `user` for `product` (the "validate_buyer" rule).
    pub fn current_order(&self, user: u64, product: u64) -> Option<&Order> {
        let round = self.globals().selling_round;
        self.orders
            .values()
            .find(|o| o.buyer_id == user && o.product_id == product && o.is_current(round))
    }

    /// Finds a user by name.
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        self.users.values().find(|u| u.username == name)
    }
}

pub use super::render::{artifact_json, number, order_artifact_json};
