//! NumerBay orders and their state/mode enums (spec §3.9, §4.2–§4.4).

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::artifact::OrderArtifact;
use super::ids::OrderId;
use super::product::Product;
use super::user::UserRef;

string_enum! {
    /// Payment state of an order.
    pub enum OrderState {
        /// Awaiting payment (expires after 45 minutes).
        Pending => "pending",
        /// Paid; together with a round in `rounds` this is an active sale.
        Confirmed => "confirmed",
        /// Not paid in time, or cancelled by the buyer.
        Expired => "expired",
        /// Paid in a currency other than NMR.
        InvalidCurrency => "invalid_currency",
    }
}

string_enum! {
    /// Delivery mode of an order or pricing option.
    pub enum OrderMode {
        /// The buyer gets files.
        File => "file",
        /// NumerBay submits to the buyer's model; no file access.
        Stake => "stake",
        /// As `stake`, plus the target stake is capped at `stake_limit`.
        StakeWithLimit => "stake_with_limit",
    }
}

string_enum! {
    /// Auto-submission state of an order with `submit_model_id`.
    pub enum SubmitState {
        /// Submission queued.
        Queued => "queued",
        /// Submitted to Numerai this round.
        Completed => "completed",
        /// Submission failed.
        Failed => "failed",
    }
}

/// An order (`POST /orders/search`, `POST /orders/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Creation time minus one minute (UTC).
    #[serde(with = "crate::datetime::naive")]
    pub date_order: NaiveDateTime,
    /// Selling round at creation (not necessarily the first of `rounds`).
    pub round_order: u32,
    /// Tournament rounds bought (sorted).
    pub rounds: Option<Vec<u32>>,
    /// Free-form properties.
    pub props: Option<serde_json::Value>,
    /// Total paid, after coupon.
    #[serde(with = "crate::decimal")]
    pub price: Decimal,
    /// Currency, `NMR`.
    pub currency: String,
    /// Delivery mode, copied from the option.
    pub mode: Option<OrderMode>,
    /// Stake limit for `stake_with_limit`.
    #[serde(default, with = "crate::decimal::option")]
    pub stake_limit: Option<Decimal>,
    /// Buyer's Numerai model to auto-submit to.
    pub submit_model_id: Option<String>,
    /// Name of that model.
    pub submit_model_name: Option<String>,
    /// Auto-submission state.
    pub submit_state: Option<SubmitState>,
    /// Last round auto-submitted.
    pub last_submit_round: Option<u32>,
    /// Chain, `ethereum`.
    #[serde(default)]
    pub chain: String,
    /// Buyer's Numerai wallet.
    pub from_address: Option<String>,
    /// Seller's receiving wallet.
    pub to_address: Option<String>,
    /// Payment transaction, null until confirmed.
    pub transaction_hash: Option<String>,
    /// Payment state.
    pub state: Option<OrderState>,
    /// Coupon applied to this order.
    pub applied_coupon_id: Option<u64>,
    /// The option rewards a coupon.
    pub coupon: Option<bool>,
    /// Reward coupon specification.
    pub coupon_specs: Option<serde_json::Value>,
    /// Base64 NaCl key the seller must seal files to; set iff the product used encryption at order time.
    pub buyer_public_key: Option<String>,
    /// Last upload reminder sent to the seller.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub last_reminder_date: Option<NaiveDateTime>,
    /// Order id.
    pub id: OrderId,
    /// The full product (options unscaled, webhook visible).
    pub product: Product,
    /// The buyer.
    #[serde(default)]
    pub buyer: UserRef,
    /// `len(rounds)`.
    #[serde(default)]
    pub quantity: u32,
    /// Order artifacts (raw rows, pruned ones removed, unspecified order).
    #[serde(default)]
    pub artifacts: Vec<OrderArtifact>,
}

impl Order {
    /// Whether this is an active sale for `selling_round`: confirmed and the round is among `rounds`.
    pub fn is_active_for(&self, selling_round: u32) -> bool {
        self.state == Some(OrderState::Confirmed)
            && self.rounds.as_deref().is_some_and(|r| r.contains(&selling_round))
    }
}
