//! Which planned copies already have an active artifact for the round (pure, derived from server state).
//!
//! Spec §3.7/§3.8: product artifacts and order artifacts carry `round_tournament` (the selling round
//! when the upload URL was issued) and `state`; only `active` ones were validated. Order artifacts
//! also say whether they went to Numerai directly (`is_numerai_direct`), which tells the two per-order
//! copies apart. A `pending` or `failed` artifact does not count: its upload never completed, so the
//! copy is redone.

use std::collections::HashMap;

use marketplace_types::numerbay::{Artifact, ArtifactId, ArtifactState, OrderArtifact, OrderId};

use crate::plan::UploadTarget;

/// What the server says was delivered this round.
#[derive(Debug, Default, Clone)]
pub(crate) struct ServerState {
    /// The product's artifacts (any round, any state).
    pub product_artifacts: Vec<Artifact>,
    /// Order artifacts per order (any round, any state).
    pub order_artifacts: HashMap<OrderId, Vec<OrderArtifact>>,
}

impl ServerState {
    /// The active artifact of `round` that delivers `target`, if any.
    pub(crate) fn delivered(&self, target: &UploadTarget, round: u32) -> Option<ArtifactId> {
        match target {
            UploadTarget::Product { product_id } => self
                .product_artifacts
                .iter()
                .filter(|a| a.product_id == *product_id)
                .filter(|a| is_active(a.state.as_ref()) && a.round_tournament == Some(round))
                .max_by_key(|a| a.id)
                .map(|a| ArtifactId::Product(a.id)),
            UploadTarget::NumeraiDirect { order_id, .. } => self.order_copy(*order_id, round, true),
            UploadTarget::Sealed { order_id, .. } => self.order_copy(*order_id, round, false),
        }
    }

    fn order_copy(&self, order: OrderId, round: u32, direct: bool) -> Option<ArtifactId> {
        self.order_artifacts
            .get(&order)?
            .iter()
            .filter(|a| a.order_id == order)
            .filter(|a| is_active(a.state.as_ref()) && a.round_tournament == Some(round))
            .find(|a| a.is_numerai_direct.unwrap_or(false) == direct)
            .map(|a| ArtifactId::Order(a.id.clone()))
    }
}

fn is_active(state: Option<&ArtifactState>) -> bool {
    state == Some(&ArtifactState::Active)
}

#[cfg(test)]
mod tests {
    use marketplace_types::numerbay::{OrderArtifactId, ProductArtifactId, ProductId};

    use super::*;

    const ROUND: u32 = 500;

    fn product_artifact(id: u64, round: u32, state: ArtifactState) -> Artifact {
        Artifact {
            date: None,
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
            date: None,
            round_tournament: Some(round),
            object_name: None,
            object_size: None,
            state: Some(state),
            is_numerai_direct: Some(direct),
            id: OrderArtifactId(std::iter::repeat_n(hex, 32).collect()),
            order_id: OrderId(order),
        }
    }

    #[test]
    fn only_active_artifacts_of_the_round_count() {
        let state = ServerState {
            product_artifacts: vec![
                product_artifact(1, ROUND - 1, ArtifactState::Active),
                product_artifact(2, ROUND, ArtifactState::Pending),
                product_artifact(3, ROUND, ArtifactState::Failed),
            ],
            order_artifacts: HashMap::new(),
        };
        let product = UploadTarget::Product {
            product_id: ProductId(7),
        };
        assert_eq!(state.delivered(&product, ROUND), None);
        let mut state = state;
        state
            .product_artifacts
            .push(product_artifact(4, ROUND, ArtifactState::Active));
        assert_eq!(
            state.delivered(&product, ROUND),
            Some(ArtifactId::Product(ProductArtifactId(4)))
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
            ],
        );
        let state = ServerState {
            product_artifacts: Vec::new(),
            order_artifacts,
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
            state.delivered(&direct, ROUND),
            Some(ArtifactId::Order(_))
        ));
        assert_eq!(state.delivered(&sealed, ROUND), None);
        assert_eq!(state.delivered(&direct, ROUND + 1), None);
        let other = UploadTarget::Sealed {
            order_id: OrderId(13),
            buyer_public_key: "k".into(),
        };
        assert_eq!(state.delivered(&other, ROUND), None);
    }
}
