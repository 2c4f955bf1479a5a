//! Buyer-side and product resolution rules (pure, no I/O).
//!
//! Spec §8.13/§8.14: the server lists artifacts without ORDER BY and the official client picks list
//! positions blindly; every choice here sorts explicitly and filters on state and round.

use chrono::NaiveDateTime;
use marketplace_types::numerbay::{OrderId, ProductId};

/// `sku` as the server computes it: `<category slug>-<lower-cased product name>`.
pub fn sku(category_slug: &str, name: &str) -> String {
    format!("{category_slug}-{}", name.to_lowercase())
}

/// Ways to split a full product name into `(category slug, name part)`, given the known slugs.
///
/// Both slugs and names may contain `-`, so every known slug that prefixes `full` followed by `-` is a
/// candidate; longest slug first (the most specific category).
pub fn split_full_name<'a, I>(full: &str, slugs: I) -> Vec<(String, String)>
where
    I: IntoIterator<Item = &'a str>,
{
    let full_lower = full.to_lowercase();
    let mut out: Vec<(String, String)> = slugs
        .into_iter()
        .filter_map(|slug| {
            let rest = full_lower.strip_prefix(slug)?.strip_prefix('-')?;
            (!rest.is_empty()).then(|| (slug.to_owned(), rest.to_owned()))
        })
        .collect();
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    out.dedup();
    out
}

/// The search term used when no category slug matches: the last `-`-separated token.
pub fn fallback_term(full: &str) -> &str {
    full.rsplit('-').next().unwrap_or(full)
}

/// Up to `n` of `candidates` closest to `query` (case-insensitive edit distance), closest first.
pub fn near_matches<'a, I>(query: &str, candidates: I, n: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let q = query.to_lowercase();
    let mut scored: Vec<(usize, String)> = candidates
        .into_iter()
        .map(|c| (edit_distance(&q, &c.to_lowercase()), c.to_owned()))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What buyer resolution needs to know about one of the caller's orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderFacts {
    pub id: OrderId,
    pub product_id: ProductId,
    pub confirmed: bool,
    pub rounds: Vec<u32>,
    pub file_mode: bool,
    pub date: Option<NaiveDateTime>,
}

impl OrderFacts {
    pub(crate) fn of(order: &marketplace_types::numerbay::Order) -> Self {
        use marketplace_types::numerbay::{OrderMode, OrderState};
        Self {
            id: order.id,
            product_id: order.product.id,
            confirmed: order.state == Some(OrderState::Confirmed),
            rounds: order.rounds.clone().unwrap_or_default(),
            file_mode: order.mode == Some(OrderMode::File),
            date: Some(order.date_order),
        }
    }
}

/// Why the caller has no current order for a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoOrderReason {
    /// The caller never ordered this product.
    NeverOrdered,
    /// Orders exist but none is confirmed.
    NotConfirmed,
    /// Confirmed orders exist but none covers the selling round; the rounds they cover are listed.
    NotCurrentRound {
        /// Rounds covered by the caller's confirmed orders, ascending.
        rounds: Vec<u32>,
    },
    /// Current orders exist but none is in `file` mode (stake orders get no files).
    NotFileMode,
}

impl std::fmt::Display for NoOrderReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NeverOrdered => write!(f, "you have no order for it"),
            Self::NotConfirmed => write!(f, "none of your orders for it is confirmed yet"),
            Self::NotCurrentRound { rounds } => {
                let list: Vec<String> = rounds.iter().map(u32::to_string).collect();
                write!(f, "your confirmed orders cover round(s) {} only", list.join(", "))
            }
            Self::NotFileMode => write!(f, "your current orders are stake orders, which get no files"),
        }
    }
}

/// The caller's current order for `product_id`: confirmed, covering `round`, mode `file`; the newest
/// (by order date, then id) when there are several.
pub(crate) fn current_order(
    orders: &[OrderFacts],
    product_id: ProductId,
    round: u32,
) -> Result<&OrderFacts, NoOrderReason> {
    let mine: Vec<&OrderFacts> = orders.iter().filter(|o| o.product_id == product_id).collect();
    if mine.is_empty() {
        return Err(NoOrderReason::NeverOrdered);
    }
    let confirmed: Vec<&OrderFacts> = mine.into_iter().filter(|o| o.confirmed).collect();
    if confirmed.is_empty() {
        return Err(NoOrderReason::NotConfirmed);
    }
    let current: Vec<&OrderFacts> = confirmed
        .iter()
        .copied()
        .filter(|o| o.rounds.contains(&round))
        .collect();
    if current.is_empty() {
        let mut rounds: Vec<u32> = confirmed.iter().flat_map(|o| o.rounds.clone()).collect();
        rounds.sort_unstable();
        rounds.dedup();
        return Err(NoOrderReason::NotCurrentRound { rounds });
    }
    current
        .into_iter()
        .filter(|o| o.file_mode)
        .max_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)))
        .ok_or(NoOrderReason::NotFileMode)
}

/// What artifact selection needs to know about one listed artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArtifactFacts<Id> {
    pub id: Id,
    pub active: bool,
    pub numerai_direct: bool,
    pub round: Option<u32>,
    pub date: Option<NaiveDateTime>,
}

/// The newest active, downloadable (not Numerai-direct) artifact: highest round, then newest date,
/// then highest id. Never the list position.
pub(crate) fn newest_active<Id: Ord>(items: &[ArtifactFacts<Id>]) -> Option<&ArtifactFacts<Id>> {
    items
        .iter()
        .filter(|a| a.active && !a.numerai_direct)
        .max_by(|a, b| {
            a.round
                .cmp(&b.round)
                .then(a.date.cmp(&b.date))
                .then(a.id.cmp(&b.id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(2026, 1, day).and_then(|d| d.and_hms_opt(12, 0, 0))
    }

    #[test]
    fn sku_lowercases_the_name_only() {
        assert_eq!(
            sku("numerai-predictions", "My-Model"),
            "numerai-predictions-my-model"
        );
    }

    #[test]
    fn split_prefers_the_longest_matching_slug() {
        let slugs = ["numerai", "numerai-predictions", "signals", "all"];
        let got = split_full_name("numerai-predictions-my-model", slugs);
        assert_eq!(
            got,
            vec![
                ("numerai-predictions".to_owned(), "my-model".to_owned()),
                ("numerai".to_owned(), "predictions-my-model".to_owned()),
            ]
        );
        assert!(split_full_name("numerai-predictions", ["numerai-predictions"]).is_empty());
        assert!(split_full_name("crypto-x", slugs).is_empty());
    }

    #[test]
    fn fallback_term_is_last_token() {
        assert_eq!(fallback_term("numerai-predictions-my-model"), "model");
        assert_eq!(fallback_term("plain"), "plain");
    }

    #[test]
    fn near_matches_rank_by_distance() {
        let skus = [
            "numerai-predictions-alpha",
            "numerai-predictions-alpah",
            "signals-data-zeta",
        ];
        let got = near_matches("numerai-predictions-alpa", skus, 2);
        assert_eq!(
            got,
            vec![
                "numerai-predictions-alpah".to_owned(),
                "numerai-predictions-alpha".to_owned()
            ]
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    fn order(id: u64) -> OrderFacts {
        OrderFacts {
            id: OrderId(id),
            product_id: ProductId(1),
            confirmed: true,
            rounds: vec![10],
            file_mode: true,
            date: at(id as u32),
        }
    }

    #[test]
    fn current_order_ignores_list_position_and_other_rounds() {
        let future = OrderFacts {
            rounds: vec![11, 12],
            date: at(20),
            ..order(9)
        };
        let orders = [order(2), future, order(5), order(3)];
        assert_eq!(
            current_order(&orders, ProductId(1), 10).map(|o| o.id),
            Ok(OrderId(5))
        );
        assert_eq!(
            current_order(&orders, ProductId(1), 11).map(|o| o.id),
            Ok(OrderId(9))
        );
    }

    #[test]
    fn current_order_explains_why_nothing_matches() {
        assert_eq!(
            current_order(&[], ProductId(1), 10),
            Err(NoOrderReason::NeverOrdered)
        );
        let pending = OrderFacts {
            confirmed: false,
            ..order(1)
        };
        assert_eq!(
            current_order(&[pending], ProductId(1), 10),
            Err(NoOrderReason::NotConfirmed)
        );
        let old = OrderFacts {
            rounds: vec![8, 9],
            ..order(1)
        };
        assert_eq!(
            current_order(&[old], ProductId(1), 10),
            Err(NoOrderReason::NotCurrentRound { rounds: vec![8, 9] })
        );
        let stake = OrderFacts {
            file_mode: false,
            ..order(1)
        };
        assert_eq!(
            current_order(&[stake], ProductId(1), 10),
            Err(NoOrderReason::NotFileMode)
        );
        let other = OrderFacts {
            product_id: ProductId(2),
            ..order(1)
        };
        assert_eq!(
            current_order(&[other], ProductId(1), 10),
            Err(NoOrderReason::NeverOrdered)
        );
    }

    fn art(id: u64, day: u32) -> ArtifactFacts<u64> {
        ArtifactFacts {
            id,
            active: true,
            numerai_direct: false,
            round: Some(10),
            date: at(day),
        }
    }

    #[test]
    fn newest_active_skips_pending_failed_and_direct() {
        let pending = ArtifactFacts {
            active: false,
            ..art(9, 28)
        };
        let direct = ArtifactFacts {
            numerai_direct: true,
            ..art(8, 27)
        };
        let items = [art(3, 5), pending, art(1, 6), direct, art(2, 4)];
        assert_eq!(newest_active(&items).map(|a| a.id), Some(1));
        assert_eq!(newest_active::<u64>(&[]), None);
    }

    #[test]
    fn newest_active_prefers_later_round_then_id() {
        let older_round = ArtifactFacts {
            round: Some(9),
            ..art(50, 28)
        };
        let items = [older_round, art(4, 5), art(6, 5)];
        assert_eq!(newest_active(&items).map(|a| a.id), Some(6));
    }
}
