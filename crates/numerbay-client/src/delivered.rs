//! Which planned copies already have an artifact for the round (pure, derived from server state).
//!
//! Spec §3.7/§3.8: product artifacts and order artifacts carry `round_tournament` (the selling round
//! when the upload URL was issued), `date` (when it was issued, naive UTC) and `state`; only
//! `active` ones were validated. Order artifacts also say whether they went to Numerai directly
//! (`is_numerai_direct`), which tells the two per-order copies apart.
//!
//! A `pending` artifact of the round is an upload some run has started and not validated yet,
//! perhaps another autopilot's upload in progress right now: it counts as in flight and the copy is
//! not sent again, until it fails (`failed`), or it is older than the pending timeout (its upload
//! URL has long expired, so that upload was abandoned), or this autopilot saw that very upload fail.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use marketplace_types::numerbay::{Artifact, ArtifactId, ArtifactState, OrderArtifact, OrderId};

use crate::plan::UploadTarget;

/// Where one planned copy stands on the server this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CopyStatus {
    /// An active artifact delivers it.
    Delivered(ArtifactId),
    /// A recent pending artifact may still become active: do not send it again yet.
    InFlight(ArtifactId),
    /// Nothing delivers it: upload it.
    Missing,
}

/// What the server says was delivered this round.
#[derive(Debug, Default, Clone)]
pub(crate) struct ServerState {
    /// The product's artifacts (any round, any state).
    pub product_artifacts: Vec<Artifact>,
    /// Order artifacts per order (any round, any state).
    pub order_artifacts: HashMap<OrderId, Vec<OrderArtifact>>,
    /// Pending artifacts issued at or after this time (naive UTC, the wire's clock) are in flight;
    /// `None` counts no pending artifact as in flight.
    pub pending_after: Option<NaiveDateTime>,
    /// Pending artifacts known to be dead (uploads this autopilot saw fail), by id.
    pub abandoned: BTreeSet<String>,
}

impl ServerState {
    /// Where `target` stands in `round`: an active artifact wins, then a recent pending one.
    pub(crate) fn status(&self, target: &UploadTarget, round: u32) -> CopyStatus {
        match target {
            UploadTarget::Product { product_id } => {
                let of_round = || {
                    self.product_artifacts
                        .iter()
                        .filter(|a| a.product_id == *product_id && a.round_tournament == Some(round))
                };
                let id = |a: &Artifact| ArtifactId::Product(a.id);
                if let Some(a) = of_round()
                    .filter(|a| is(a.state.as_ref(), &ArtifactState::Active))
                    .max_by_key(|a| a.id)
                {
                    return CopyStatus::Delivered(id(a));
                }
                of_round()
                    .filter(|a| self.in_flight(a.state.as_ref(), a.date, &id(a)))
                    .max_by_key(|a| a.id)
                    .map_or(CopyStatus::Missing, |a| CopyStatus::InFlight(id(a)))
            }
            UploadTarget::NumeraiDirect { order_id, .. } => self.order_copy(*order_id, round, true),
            UploadTarget::Sealed { order_id, .. } => self.order_copy(*order_id, round, false),
        }
    }

    fn order_copy(&self, order: OrderId, round: u32, direct: bool) -> CopyStatus {
        let Some(artifacts) = self.order_artifacts.get(&order) else {
            return CopyStatus::Missing;
        };
        let of_copy = || {
            artifacts.iter().filter(move |a| {
                a.order_id == order
                    && a.round_tournament == Some(round)
                    && a.is_numerai_direct.unwrap_or(false) == direct
            })
        };
        let id = |a: &OrderArtifact| ArtifactId::Order(a.id.clone());
        if let Some(a) = of_copy().find(|a| is(a.state.as_ref(), &ArtifactState::Active)) {
            return CopyStatus::Delivered(id(a));
        }
        of_copy()
            .find(|a| self.in_flight(a.state.as_ref(), a.date, &id(a)))
            .map_or(CopyStatus::Missing, |a| CopyStatus::InFlight(id(a)))
    }

    /// Whether an artifact is a pending upload that may still complete.
    fn in_flight(&self, state: Option<&ArtifactState>, date: Option<NaiveDateTime>, id: &ArtifactId) -> bool {
        // An artifact without a date cannot be aged; counting it in flight could block the copy
        // for the whole round, so it is treated as abandoned.
        is(state, &ArtifactState::Pending)
            && matches!((self.pending_after, date), (Some(after), Some(d)) if d >= after)
            && !self.abandoned.contains(&id.to_string())
    }
}

fn is(state: Option<&ArtifactState>, wanted: &ArtifactState) -> bool {
    state == Some(wanted)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use marketplace_types::numerbay::{OrderArtifactId, ProductArtifactId, ProductId};

    use super::*;

    const ROUND: u32 = 500;

    /// Minutes after a fixed origin, as the wire's naive UTC.
    fn at(minutes: i64) -> NaiveDateTime {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0)
            .expect("valid time")
            .naive_utc()
    }

    fn product_artifact(id: u64, round: u32, state: ArtifactState, minute: i64) -> Artifact {
        Artifact {
            date: Some(at(minute)),
            round_tournament: Some(round),
            object_name: None,
            object_size: None,
            state: Some(state),
            id: ProductArtifactId(id),
            product_id: ProductId(7),
        }
    }

    fn order_artifact(
        hex: char,
        order: u64,
        round: u32,
        state: ArtifactState,
        direct: bool,
    ) -> OrderArtifact {
        OrderArtifact {
            date: Some(at(0)),
            round_tournament: Some(round),
            object_name: None,
            object_size: None,
            state: Some(state),
            is_numerai_direct: Some(direct),
            id: OrderArtifactId(std::iter::repeat_n(hex, 32).collect()),
            order_id: OrderId(order),
        }
    }

    fn product() -> UploadTarget {
        UploadTarget::Product {
            product_id: ProductId(7),
        }
    }

    #[test]
    fn active_artifacts_of_the_round_are_delivered_and_failed_ones_missing() {
        let mut state = ServerState {
            product_artifacts: vec![
                product_artifact(1, ROUND - 1, ArtifactState::Active, 0),
                product_artifact(3, ROUND, ArtifactState::Failed, 0),
            ],
            pending_after: Some(at(-15)),
            ..ServerState::default()
        };
        assert_eq!(state.status(&product(), ROUND), CopyStatus::Missing);
        state
            .product_artifacts
            .push(product_artifact(4, ROUND, ArtifactState::Active, 0));
        assert_eq!(
            state.status(&product(), ROUND),
            CopyStatus::Delivered(ArtifactId::Product(ProductArtifactId(4)))
        );
    }

    #[test]
    fn a_recent_pending_artifact_is_in_flight_until_it_is_old_or_abandoned() {
        let mut state = ServerState {
            product_artifacts: vec![
                product_artifact(2, ROUND, ArtifactState::Pending, 0),
                product_artifact(3, ROUND - 1, ArtifactState::Pending, 0),
            ],
            pending_after: Some(at(-15)),
            ..ServerState::default()
        };
        let pending = ArtifactId::Product(ProductArtifactId(2));
        assert_eq!(
            state.status(&product(), ROUND),
            CopyStatus::InFlight(pending.clone())
        );
        // Older than the pending timeout: its URL expired long ago, the upload was abandoned.
        state.pending_after = Some(at(1));
        assert_eq!(state.status(&product(), ROUND), CopyStatus::Missing);
        state.pending_after = Some(at(-15));
        state.abandoned.insert(pending.to_string());
        assert_eq!(state.status(&product(), ROUND), CopyStatus::Missing);
        // Without a date a pending artifact cannot be aged and does not block the copy.
        state.abandoned.clear();
        state.product_artifacts[0].date = None;
        assert_eq!(state.status(&product(), ROUND), CopyStatus::Missing);
        // An active artifact wins over a pending one.
        state.product_artifacts[0].date = Some(at(0));
        state
            .product_artifacts
            .push(product_artifact(1, ROUND, ArtifactState::Active, -30));
        assert_eq!(
            state.status(&product(), ROUND),
            CopyStatus::Delivered(ArtifactId::Product(ProductArtifactId(1)))
        );
    }

    #[test]
    fn direct_and_sealed_copies_are_told_apart() {
        let mut order_artifacts = HashMap::new();
        order_artifacts.insert(
            OrderId(12),
            vec![
                order_artifact('a', 12, ROUND, ArtifactState::Active, true),
                order_artifact('b', 12, ROUND, ArtifactState::Pending, false),
                order_artifact('c', 12, ROUND, ArtifactState::Failed, false),
            ],
        );
        let state = ServerState {
            order_artifacts,
            pending_after: Some(at(-15)),
            ..ServerState::default()
        };
        let direct = UploadTarget::NumeraiDirect {
            order_id: OrderId(12),
            model_id: "m".into(),
        };
        let sealed = UploadTarget::Sealed {
            order_id: OrderId(12),
            buyer_public_key: "k".into(),
        };
        assert!(matches!(
            state.status(&direct, ROUND),
            CopyStatus::Delivered(ArtifactId::Order(_))
        ));
        assert_eq!(
            state.status(&sealed, ROUND),
            CopyStatus::InFlight(ArtifactId::Order(OrderArtifactId("b".repeat(32))))
        );
        assert_eq!(state.status(&direct, ROUND + 1), CopyStatus::Missing);
        let other = UploadTarget::Sealed {
            order_id: OrderId(13),
            buyer_public_key: "k".into(),
        };
        assert_eq!(state.status(&other, ROUND), CopyStatus::Missing);
        let no_pending = ServerState {
            pending_after: None,
            ..state
        };
        assert_eq!(no_pending.status(&sealed, ROUND), CopyStatus::Missing);
    }
}
