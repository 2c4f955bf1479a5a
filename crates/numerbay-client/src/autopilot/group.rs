//! Splitting a round's missing copies into uploads.

use std::collections::BTreeMap;

use marketplace_types::numerbay::OrderId;

use crate::plan::{SkipReason, SkippedOrder, UploadTarget};

/// One `upload_artifact` call (or a single copy) of a tick.
pub(super) struct Group {
    pub order: Option<OrderId>,
    pub targets: Vec<UploadTarget>,
    /// Every copy of the order is missing: `upload_artifact` makes exactly these.
    pub whole: bool,
}

/// Splits the missing copies into uploads: the unencrypted product's one artifact; the product
/// artifact of an encrypted product (through a keyless sale, which is what plans it); each order
/// whose copies are all missing; and, one by one, copies of orders whose other copy exists.
pub(super) fn group(
    planned: &[UploadTarget],
    skipped: &[SkippedOrder],
    missing: Vec<UploadTarget>,
    encrypted: bool,
) -> Vec<Group> {
    if missing.is_empty() {
        return Vec::new();
    }
    if !encrypted {
        return vec![Group {
            order: None,
            targets: missing,
            whole: true,
        }];
    }
    let mut groups = Vec::new();
    let mut per_order: BTreeMap<OrderId, Vec<UploadTarget>> = BTreeMap::new();
    for target in missing {
        match target.order_id() {
            Some(o) => per_order.entry(o).or_default().push(target),
            None => {
                let keyless = skipped
                    .iter()
                    .find(|s| s.reason == SkipReason::NoBuyerKey)
                    .map(|s| s.order_id);
                groups.push(Group {
                    order: keyless,
                    targets: vec![target],
                    whole: keyless.is_some(),
                });
            }
        }
    }
    for (order, targets) in per_order {
        let needed = planned.iter().filter(|t| t.order_id() == Some(order)).count();
        if targets.len() == needed {
            groups.push(Group {
                order: Some(order),
                targets,
                whole: true,
            });
        } else {
            groups.extend(targets.into_iter().map(|t| Group {
                order: Some(order),
                targets: vec![t],
                whole: false,
            }));
        }
    }
    groups
}

/// The state-file key of a copy: `product:7`, `order:12:sealed`, `order:12:direct`.
pub(super) fn target_key(target: &UploadTarget) -> String {
    match target {
        UploadTarget::Product { product_id } => format!("product:{product_id}"),
        UploadTarget::NumeraiDirect { order_id, .. } => format!("order:{order_id}:direct"),
        UploadTarget::Sealed { order_id, .. } => format!("order:{order_id}:sealed"),
    }
}

/// `e` and its sources joined with `: `.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use marketplace_types::numerbay::ProductId;

    use super::*;

    fn direct(id: u64) -> UploadTarget {
        UploadTarget::NumeraiDirect {
            order_id: OrderId(id),
            model_id: "m".into(),
        }
    }

    fn sealed(id: u64) -> UploadTarget {
        UploadTarget::Sealed {
            order_id: OrderId(id),
            buyer_public_key: "k".into(),
        }
    }

    #[test]
    fn whole_orders_go_through_the_fan_out_and_partial_ones_copy_by_copy() {
        let product = UploadTarget::Product {
            product_id: ProductId(7),
        };
        let planned = vec![product.clone(), direct(1), sealed(1), sealed(2)];
        let skipped = vec![SkippedOrder {
            order_id: OrderId(3),
            reason: SkipReason::NoBuyerKey,
        }];
        let missing = vec![product, sealed(1), sealed(2)];
        let groups = group(&planned, &skipped, missing, true);
        let shape: Vec<(Option<OrderId>, usize, bool)> = groups
            .iter()
            .map(|g| (g.order, g.targets.len(), g.whole))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some(OrderId(3)), 1, true),
                (Some(OrderId(1)), 1, false),
                (Some(OrderId(2)), 1, true),
            ]
        );
        assert!(group(&planned, &skipped, Vec::new(), true).is_empty());
    }

    #[test]
    fn unencrypted_products_upload_once_without_an_order() {
        let product = UploadTarget::Product {
            product_id: ProductId(7),
        };
        let groups = group(std::slice::from_ref(&product), &[], vec![product.clone()], false);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].order, None);
        assert!(groups[0].whole);
        assert_eq!(target_key(&sealed(12)), "order:12:sealed");
    }
}
