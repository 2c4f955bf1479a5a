//! The named rule sets: what a valid submission looks like, as plain data.

use serde::Serialize;

use crate::{Error, Result};

/// What a valid prediction file must satisfy. A new challenge is one more constant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleSet {
    /// Name used on the command line, e.g. `numerai-classic`.
    pub name: &'static str,
    /// Other accepted names (e.g. the platform's challenge slug).
    pub aliases: &'static [&'static str],
    /// One line for `--help` and reports.
    pub description: &'static str,
    /// Accepted names of the id column; the first one present in the file is used.
    pub id_columns: &'static [&'static str],
    /// Optional columns that, when present, join the id in the uniqueness key
    /// (a Signals ticker may repeat across `friday_date`s).
    pub key_columns: &'static [&'static str],
    /// Required prediction columns: numeric, no nulls, no NaN.
    pub value_columns: &'static [&'static str],
    /// Inclusive range every prediction must lie in.
    pub range: Option<(f64, f64)>,
    /// Minimum number of distinct ids (ids matching the inference file, when one is given).
    pub min_ids: u64,
}

/// Numerai Classic: `id` + `prediction` in [0, 1].
pub const NUMERAI_CLASSIC: RuleSet = RuleSet {
    name: "numerai-classic",
    aliases: &["numerai"],
    description: "Numerai Classic: unique non-null `id`s, numeric `prediction` in [0, 1], no nulls",
    id_columns: &["id"],
    key_columns: &[],
    value_columns: &["prediction"],
    range: Some((0.0, 1.0)),
    min_ids: 1,
};

/// Numerai Signals: a ticker column + `signal` in [0, 1].
pub const NUMERAI_SIGNALS: RuleSet = RuleSet {
    name: "numerai-signals",
    aliases: &["signals"],
    description: "Numerai Signals: a ticker column (numerai_ticker, bloomberg_ticker, composite_figi, \
ticker, ...) unique per date, numeric `signal` in [0, 1], no nulls",
    // Numerai accepts these ticker identifiers; the first one present is the id.
    id_columns: &[
        "numerai_ticker",
        "bloomberg_ticker",
        "composite_figi",
        "ticker",
        "signals_ticker",
        "cusip",
        "sedol",
    ],
    key_columns: &["friday_date", "date", "data_type"],
    value_columns: &["signal"],
    range: Some((0.0, 1.0)),
    min_ids: 1,
};

/// CrowdCent hyperliquid-ranking: `id`, `pred_10d`, `pred_30d` in [0, 1], at least 80 ids.
pub const CROWDCENT_HYPERLIQUID: RuleSet = RuleSet {
    name: "crowdcent-hyperliquid",
    aliases: &["hyperliquid-ranking", "crowdcent"],
    description: "CrowdCent hyperliquid-ranking: unique `id`s (at least 80 from the inference data), \
float `pred_10d` and `pred_30d` in [0, 1], no nulls or NaN",
    id_columns: &["id"],
    key_columns: &[],
    value_columns: &["pred_10d", "pred_30d"],
    range: Some((0.0, 1.0)),
    min_ids: 80,
};

/// Every known rule set.
pub const ALL: &[RuleSet] = &[NUMERAI_CLASSIC, NUMERAI_SIGNALS, CROWDCENT_HYPERLIQUID];

impl RuleSet {
    /// Looks a rule set up by name or alias.
    ///
    /// # Errors
    /// [`Error::UnknownRuleSet`] listing the known names.
    pub fn by_name(name: &str) -> Result<&'static RuleSet> {
        ALL.iter()
            .find(|r| r.name == name || r.aliases.contains(&name))
            .ok_or_else(|| Error::UnknownRuleSet {
                name: name.to_owned(),
                known: ALL.iter().map(|r| r.name).collect(),
            })
    }

    /// Names of all known rule sets.
    pub fn names() -> Vec<&'static str> {
        ALL.iter().map(|r| r.name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_name_and_alias() {
        assert_eq!(
            RuleSet::by_name("numerai-classic").unwrap().name,
            "numerai-classic"
        );
        assert_eq!(
            RuleSet::by_name("hyperliquid-ranking").unwrap().name,
            "crowdcent-hyperliquid"
        );
        let err = RuleSet::by_name("nope").unwrap_err().to_string();
        assert!(err.contains("numerai-signals"), "{err}");
    }
}
