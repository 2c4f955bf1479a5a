//! Seller fan-out planning: which copies an upload must produce (pure, no I/O).
//!
//! Spec §4.5: for an encrypted product every active sale gets its own copy (a plaintext Numerai-direct
//! copy when the order names a submission model, a sealed copy when its mode is `file`), and one
//! unencrypted product artifact is added when any active sale has no buyer key.

use chrono::NaiveDateTime;
use marketplace_types::numerbay::{ArtifactId, Order, OrderId, OrderMode, OrderState, Product, ProductId};
use serde::Serialize;

use crate::delivered::{CopyStatus, ServerState};

/// One copy the seller must upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UploadTarget {
    /// One unencrypted product artifact, downloadable by every current buyer.
    Product {
        /// The product the artifact belongs to.
        product_id: ProductId,
    },
    /// A plaintext copy submitted to the buyer's Numerai model (`is_numerai_direct=true`).
    NumeraiDirect {
        /// The order the copy is for.
        order_id: OrderId,
        /// The buyer's Numerai model the file is submitted to.
        model_id: String,
    },
    /// A copy sealed to the buyer's public key.
    Sealed {
        /// The order the copy is for.
        order_id: OrderId,
        /// The buyer's key (base64) as listed in the order; the fresher key returned when the upload URL
        /// is issued takes precedence.
        buyer_public_key: String,
    },
}

impl UploadTarget {
    /// The order this target delivers to, if it is a per-order copy.
    pub fn order_id(&self) -> Option<OrderId> {
        match self {
            Self::Product { .. } => None,
            Self::NumeraiDirect { order_id, .. } | Self::Sealed { order_id, .. } => Some(*order_id),
        }
    }

    /// A short human label, e.g. `order 12 (sealed)`.
    pub fn label(&self) -> String {
        match self {
            Self::Product { product_id } => format!("product {product_id}"),
            Self::NumeraiDirect { order_id, .. } => format!("order {order_id} (numerai direct)"),
            Self::Sealed { order_id, .. } => format!("order {order_id} (sealed)"),
        }
    }

    fn sort_key(&self) -> (u8, u64) {
        match self {
            Self::Product { product_id } => (0, product_id.get()),
            Self::NumeraiDirect { order_id, .. } => (1, order_id.get()),
            Self::Sealed { order_id, .. } => (2, order_id.get()),
        }
    }
}

/// Why an order of the seller gets no copy of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The order is for another product.
    OtherProduct,
    /// The order is not confirmed.
    NotConfirmed,
    /// The order does not cover the selling round.
    NotCurrentRound,
    /// The order has no buyer key: it is served by the product artifact.
    NoBuyerKey,
    /// The order is keyed but neither names a submission model nor is in `file` mode (e.g. `stake`
    /// without a model): there is nothing the seller can deliver.
    NothingToDeliver,
    /// An `order_id` filter was given and this is another order.
    NotSelected,
}

/// An order that gets no per-order copy, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedOrder {
    /// The order id.
    pub order_id: OrderId,
    /// Why it gets no copy of its own.
    pub reason: SkipReason,
}

/// Why an upload has nothing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NothingReason {
    /// The product is encrypted and has no active sale (confirmed, covering the selling round).
    NoActiveSale,
    /// The requested order is not an active sale of this product.
    OrderNotActive,
    /// Every copy is already on the server for the round (active, or pending: an upload in
    /// flight); `replace` sends them again.
    AlreadyDelivered,
}

/// A planned copy the server already holds for the selling round, so it is not sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveredCopy {
    /// The copy.
    pub target: UploadTarget,
    /// The artifact holding it.
    pub artifact_id: ArtifactId,
}

/// The outcome of planning an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadPlan {
    /// The copies to upload, products first, then orders by id.
    pub targets: Vec<UploadTarget>,
    /// Orders of the seller that get no copy of their own.
    pub skipped: Vec<SkippedOrder>,
    /// Set when `targets` is empty: why there is nothing to upload.
    pub nothing: Option<NothingReason>,
    /// Copies left out because the server already holds them for the round (active, or pending
    /// and younger than 15 minutes).
    pub delivered: Vec<DeliveredCopy>,
}

impl UploadPlan {
    /// Whether the plan has no target.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// What the planner needs to know about the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProductFacts {
    pub id: ProductId,
    pub use_encryption: bool,
}

/// What the planner needs to know about one sale (an order of the seller's product).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SaleFacts {
    pub id: OrderId,
    pub product_id: ProductId,
    pub confirmed: bool,
    pub rounds: Vec<u32>,
    pub file_mode: bool,
    pub buyer_public_key: Option<String>,
    pub submit_model_id: Option<String>,
}

impl ProductFacts {
    pub(crate) fn of(product: &Product) -> Self {
        Self {
            id: product.id,
            use_encryption: product.use_encryption.unwrap_or(false),
        }
    }
}

impl SaleFacts {
    pub(crate) fn of(order: &Order) -> Self {
        Self {
            id: order.id,
            product_id: order.product.id,
            confirmed: order.state == Some(OrderState::Confirmed),
            rounds: order.rounds.clone().unwrap_or_default(),
            file_mode: order.mode == Some(OrderMode::File),
            buyer_public_key: order.buyer_public_key.clone(),
            submit_model_id: order.submit_model_id.clone(),
        }
    }
}

/// Plans the copies of one upload of `product` in `selling_round`, given the seller's `sales`
/// (any orders; inactive ones and other products' are skipped). `only_order` restricts the
/// per-order copies to that order.
pub fn plan_upload(
    product: &Product,
    selling_round: u32,
    sales: &[Order],
    only_order: Option<OrderId>,
) -> UploadPlan {
    let facts: Vec<SaleFacts> = sales.iter().map(SaleFacts::of).collect();
    plan(ProductFacts::of(product), selling_round, &facts, only_order)
}

/// Plans the copies for one upload. `only_order` restricts per-order copies to that order.
pub(crate) fn plan(
    product: ProductFacts,
    selling_round: u32,
    sales: &[SaleFacts],
    only_order: Option<OrderId>,
) -> UploadPlan {
    if !product.use_encryption {
        // Unencrypted products: one product artifact serves every buyer, whether or not anyone has
        // bought yet (later buyers download it too).
        return UploadPlan {
            targets: vec![UploadTarget::Product {
                product_id: product.id,
            }],
            skipped: Vec::new(),
            nothing: None,
            delivered: Vec::new(),
        };
    }
    let mut targets = Vec::new();
    let mut skipped = Vec::new();
    let mut needs_product_artifact = false;
    let mut selected_seen = false;
    let mut sorted: Vec<&SaleFacts> = sales.iter().collect();
    sorted.sort_by_key(|s| s.id);
    sorted.dedup_by_key(|s| s.id);
    for sale in sorted {
        let skip = |reason| SkippedOrder {
            order_id: sale.id,
            reason,
        };
        if sale.product_id != product.id {
            skipped.push(skip(SkipReason::OtherProduct));
            continue;
        }
        if only_order.is_some_and(|o| o != sale.id) {
            skipped.push(skip(SkipReason::NotSelected));
            continue;
        }
        if !sale.confirmed {
            skipped.push(skip(SkipReason::NotConfirmed));
            continue;
        }
        if !sale.rounds.contains(&selling_round) {
            skipped.push(skip(SkipReason::NotCurrentRound));
            continue;
        }
        selected_seen = true;
        let Some(key) = sale.buyer_public_key.as_deref().filter(|k| !k.is_empty()) else {
            // The server auto-submits keyless orders from the product artifact, so they get no
            // direct copy of their own.
            needs_product_artifact = true;
            skipped.push(skip(SkipReason::NoBuyerKey));
            continue;
        };
        let mut delivered = false;
        if let Some(model) = sale.submit_model_id.as_deref().filter(|m| !m.is_empty()) {
            targets.push(UploadTarget::NumeraiDirect {
                order_id: sale.id,
                model_id: model.to_owned(),
            });
            delivered = true;
        }
        if sale.file_mode {
            targets.push(UploadTarget::Sealed {
                order_id: sale.id,
                buyer_public_key: key.to_owned(),
            });
            delivered = true;
        }
        if !delivered {
            skipped.push(skip(SkipReason::NothingToDeliver));
        }
    }
    if needs_product_artifact {
        targets.push(UploadTarget::Product {
            product_id: product.id,
        });
    }
    targets.sort_by_key(UploadTarget::sort_key);
    let nothing = if targets.is_empty() {
        Some(if only_order.is_some() && !selected_seen {
            NothingReason::OrderNotActive
        } else {
            NothingReason::NoActiveSale
        })
    } else {
        None
    };
    UploadPlan {
        targets,
        skipped,
        nothing,
        delivered: Vec::new(),
    }
}

/// Makes a plan idempotent within a round: moves every target the server already holds for
/// `round` from `plan.targets` to `plan.delivered`, unless `replace` (every copy is sent again).
///
/// "Holds" is the autopilot's notion of delivered ([`ServerState::status`]) widened to
/// `pending` artifacts issued within [`IN_FLIGHT`] before `now`: such a copy is an upload in
/// flight (another run, or one whose validation is still under way), and sending a second one
/// would leave two copies. An older pending artifact is a failed attempt (its `PUT` or
/// validation failed), so its copy is sent again.
pub(crate) fn skip_delivered(
    plan: &mut UploadPlan,
    server: &ServerState,
    round: u32,
    replace: bool,
    now: NaiveDateTime,
) {
    if replace {
        return;
    }
    // A pending copy whose link was issued less than IN_FLIGHT ago may still become active
    // (`pending_after` is inclusive; the wire's times have microsecond resolution).
    let held = ServerState {
        pending_after: Some(now - IN_FLIGHT + chrono::TimeDelta::microseconds(1)),
        ..server.clone()
    };
    let mut remaining = Vec::with_capacity(plan.targets.len());
    for target in std::mem::take(&mut plan.targets) {
        match held.status(&target, round) {
            CopyStatus::Delivered(artifact_id) | CopyStatus::InFlight(artifact_id) => {
                plan.delivered.push(DeliveredCopy { target, artifact_id })
            }
            CopyStatus::Missing => remaining.push(target),
        }
    }
    plan.targets = remaining;
    if plan.targets.is_empty() && !plan.delivered.is_empty() {
        plan.nothing = Some(NothingReason::AlreadyDelivered);
    }
}

/// How long after its URL was issued a `pending` artifact counts as an upload in flight (the
/// server's own job settles pending product artifacts after 10 minutes).
pub(crate) const IN_FLIGHT: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// The server state with recent `pending` artifacts counted like `active` ones.
#[cfg(test)]
mod tests {
    use marketplace_types::numerbay::{ArtifactState, OrderArtifact, OrderArtifactId};

    use super::*;

    const ROUND: u32 = 500;
    const P: ProductFacts = ProductFacts {
        id: ProductId(7),
        use_encryption: true,
    };

    fn sale(id: u64) -> SaleFacts {
        SaleFacts {
            id: OrderId(id),
            product_id: ProductId(7),
            confirmed: true,
            rounds: vec![ROUND],
            file_mode: true,
            buyer_public_key: Some(format!("key{id}")),
            submit_model_id: None,
        }
    }

    fn sealed(id: u64) -> UploadTarget {
        UploadTarget::Sealed {
            order_id: OrderId(id),
            buyer_public_key: format!("key{id}"),
        }
    }

    #[test]
    fn unencrypted_product_gets_one_product_artifact_even_without_sales() {
        let p = ProductFacts {
            id: ProductId(3),
            use_encryption: false,
        };
        let plan = plan(p, ROUND, &[], None);
        assert_eq!(
            plan.targets,
            vec![UploadTarget::Product {
                product_id: ProductId(3)
            }]
        );
        assert_eq!(plan.nothing, None);
    }

    #[test]
    fn mixed_sales_produce_exactly_the_right_targets() {
        let direct_file = SaleFacts {
            submit_model_id: Some("model-a".into()),
            ..sale(1)
        };
        let file_keyed = sale(2);
        let keyless = SaleFacts {
            buyer_public_key: None,
            ..sale(3)
        };
        let stake_keyed = SaleFacts {
            file_mode: false,
            submit_model_id: Some("model-b".into()),
            ..sale(4)
        };
        let stake_no_model = SaleFacts {
            file_mode: false,
            ..sale(5)
        };
        let inactive = SaleFacts {
            confirmed: false,
            ..sale(6)
        };
        let old_round = SaleFacts {
            rounds: vec![ROUND - 1],
            ..sale(7)
        };
        let other = SaleFacts {
            product_id: ProductId(99),
            ..sale(8)
        };
        let sales = [
            other,
            old_round,
            inactive,
            stake_no_model,
            stake_keyed,
            keyless,
            file_keyed,
            direct_file,
        ];
        let plan = plan(P, ROUND, &sales, None);
        assert_eq!(
            plan.targets,
            vec![
                UploadTarget::Product {
                    product_id: ProductId(7)
                },
                UploadTarget::NumeraiDirect {
                    order_id: OrderId(1),
                    model_id: "model-a".into()
                },
                UploadTarget::NumeraiDirect {
                    order_id: OrderId(4),
                    model_id: "model-b".into()
                },
                sealed(1),
                sealed(2),
            ]
        );
        let skipped: Vec<(OrderId, SkipReason)> = plan
            .skipped
            .iter()
            .map(|s| (s.order_id, s.reason.clone()))
            .collect();
        assert_eq!(
            skipped,
            vec![
                (OrderId(3), SkipReason::NoBuyerKey),
                (OrderId(5), SkipReason::NothingToDeliver),
                (OrderId(6), SkipReason::NotConfirmed),
                (OrderId(7), SkipReason::NotCurrentRound),
                (OrderId(8), SkipReason::OtherProduct),
            ]
        );
    }

    #[test]
    fn all_keyed_sales_need_no_product_artifact() {
        let plan = plan(P, ROUND, &[sale(2), sale(1)], None);
        assert_eq!(plan.targets, vec![sealed(1), sealed(2)]);
    }

    #[test]
    fn no_active_sale_is_a_nothing_outcome() {
        let stale = SaleFacts {
            rounds: vec![ROUND + 1],
            ..sale(1)
        };
        let plan = plan(P, ROUND, &[stale], None);
        assert!(plan.is_empty());
        assert_eq!(plan.nothing, Some(NothingReason::NoActiveSale));
        let plan = super::plan(P, ROUND, &[], None);
        assert_eq!(plan.nothing, Some(NothingReason::NoActiveSale));
    }

    #[test]
    fn order_filter_limits_per_order_copies() {
        let keyless = SaleFacts {
            buyer_public_key: None,
            ..sale(3)
        };
        let sales = [sale(1), sale(2), keyless];
        let only_two = plan(P, ROUND, &sales, Some(OrderId(2)));
        assert_eq!(only_two.targets, vec![sealed(2)]);
        let only_keyless = plan(P, ROUND, &sales, Some(OrderId(3)));
        assert_eq!(
            only_keyless.targets,
            vec![UploadTarget::Product {
                product_id: ProductId(7)
            }]
        );
        let missing = plan(P, ROUND, &sales, Some(OrderId(42)));
        assert_eq!(missing.nothing, Some(NothingReason::OrderNotActive));
    }

    #[test]
    fn duplicate_orders_are_planned_once() {
        let plan = plan(P, ROUND, &[sale(1), sale(1)], None);
        assert_eq!(plan.targets, vec![sealed(1)]);
    }

    fn now() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("a date")
            .naive_utc()
    }

    fn order_artifact(hex: char, order: u64, round: u32, state: ArtifactState) -> OrderArtifact {
        OrderArtifact {
            date: Some(now() - chrono::TimeDelta::minutes(1)),
            round_tournament: Some(round),
            object_name: None,
            object_size: None,
            state: Some(state),
            is_numerai_direct: Some(false),
            id: OrderArtifactId(std::iter::repeat_n(hex, 32).collect()),
            order_id: OrderId(order),
        }
    }

    #[test]
    fn copies_held_for_the_round_are_skipped_unless_replaced() {
        let mut server = ServerState::default();
        server.order_artifacts.insert(
            OrderId(1),
            vec![order_artifact('a', 1, ROUND, ArtifactState::Active)],
        );
        server.order_artifacts.insert(
            OrderId(2),
            vec![order_artifact('b', 2, ROUND, ArtifactState::Pending)],
        );
        let stale = OrderArtifact {
            date: Some(now() - IN_FLIGHT),
            ..order_artifact('e', 3, ROUND, ArtifactState::Pending)
        };
        server.order_artifacts.insert(
            OrderId(3),
            vec![
                order_artifact('c', 3, ROUND, ArtifactState::Failed),
                order_artifact('d', 3, ROUND - 1, ArtifactState::Active),
                stale,
            ],
        );
        let sales = [sale(1), sale(2), sale(3)];
        let mut idempotent = plan(P, ROUND, &sales, None);
        skip_delivered(&mut idempotent, &server, ROUND, false, now());
        assert_eq!(idempotent.targets, vec![sealed(3)]);
        let held: Vec<UploadTarget> = idempotent.delivered.iter().map(|d| d.target.clone()).collect();
        assert_eq!(held, vec![sealed(1), sealed(2)]);
        assert_eq!(idempotent.nothing, None);

        let mut replaced = plan(P, ROUND, &sales, None);
        skip_delivered(&mut replaced, &server, ROUND, true, now());
        assert_eq!(replaced.targets, vec![sealed(1), sealed(2), sealed(3)]);
        assert!(replaced.delivered.is_empty());

        let mut all_held = plan(P, ROUND, &sales[..2], None);
        skip_delivered(&mut all_held, &server, ROUND, false, now());
        assert!(all_held.is_empty());
        assert_eq!(all_held.nothing, Some(NothingReason::AlreadyDelivered));
    }

    #[test]
    fn empty_key_counts_as_no_key() {
        let s = SaleFacts {
            buyer_public_key: Some(String::new()),
            ..sale(1)
        };
        let plan = plan(P, ROUND, &[s], None);
        assert_eq!(
            plan.targets,
            vec![UploadTarget::Product {
                product_id: ProductId(7)
            }]
        );
    }
}
