//! Your performance table: submissions flattened into rows of scores and percentiles (spec §7.4).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use marketplace_types::crowdcent::{Submission, SubmissionStatus};
use serde::Serialize;
use serde_json::Value;

use crate::challenge::ChallengeClient;
use crate::error::Result;

/// Which rows [`ChallengeClient::performance`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerformanceQuery {
    /// Drop submissions without scores yet (default true).
    pub scored_only: bool,
    /// Keep only this slot.
    pub slot: Option<u32>,
}

impl Default for PerformanceQuery {
    fn default() -> Self {
        PerformanceQuery {
            scored_only: true,
            slot: None,
        }
    }
}

/// One submission's scores, flattened like the reference `get_performance`: every
/// `score_details` key prefixed `score_` (unless it already contains "score"), every
/// `percentile_details` key prefixed `percentile_` (unless it already contains "percentile").
/// Percentiles are on a 0–100 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerformanceRow {
    /// Submission id.
    pub id: u64,
    /// Slot.
    pub slot: u32,
    /// `YYYY-MM-DD` of the period's release, if known.
    pub release_date: Option<String>,
    /// Upload time.
    pub submitted_at: DateTime<Utc>,
    /// Status.
    pub status: SubmissionStatus,
    /// Experimental submission.
    pub is_experimental: bool,
    /// Private notes.
    pub notes: String,
    /// The prefixed score and percentile columns (e.g. `score_spearman_10d`,
    /// `percentile_ndcg@40_30d`, `composite_percentile`).
    #[serde(flatten)]
    pub metrics: BTreeMap<String, Value>,
}

impl PerformanceRow {
    /// Flattens one submission.
    pub fn from_submission(s: &Submission) -> Self {
        let mut metrics = BTreeMap::new();
        for (key, value) in s.score_details.iter().flatten() {
            metrics.insert(prefixed("score", key), value.clone());
        }
        for (key, value) in s.percentile_details.iter().flatten() {
            metrics.insert(prefixed("percentile", key), value.clone());
        }
        PerformanceRow {
            id: s.id,
            slot: s.slot,
            release_date: s
                .inference_data_release_date
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string()),
            submitted_at: s.submitted_at,
            status: s.status.clone(),
            is_experimental: s.is_experimental,
            notes: s.notes.clone(),
            metrics,
        }
    }

    /// A metric as a number, if present and numeric.
    pub fn metric(&self, key: &str) -> Option<f64> {
        self.metrics.get(key).and_then(Value::as_f64)
    }
}

/// Builds the performance table from a submission list: filtered, then sorted by release date,
/// newest first (rows without a date last).
pub fn performance_rows(submissions: &[Submission], query: PerformanceQuery) -> Vec<PerformanceRow> {
    let mut rows: Vec<PerformanceRow> = submissions
        .iter()
        .filter(|s| !query.scored_only || s.score_details.as_ref().is_some_and(|d| !d.is_empty()))
        .filter(|s| query.slot.is_none_or(|slot| s.slot == slot))
        .map(PerformanceRow::from_submission)
        .collect();
    rows.sort_by(|a, b| match (&a.release_date, &b.release_date) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows
}

impl ChallengeClient {
    /// Your performance table: all your submissions (one request), flattened and filtered.
    ///
    /// # Errors
    /// As [`list_submissions`](Self::list_submissions).
    pub async fn performance(&self, query: PerformanceQuery) -> Result<Vec<PerformanceRow>> {
        let subs = self.list_submissions(None).await?;
        Ok(performance_rows(&subs, query))
    }
}

fn prefixed(prefix: &str, key: &str) -> String {
    if key.contains(prefix) {
        key.to_owned()
    } else {
        format!("{prefix}_{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_rule_matches_reference() {
        assert_eq!(prefixed("score", "spearman_10d"), "score_spearman_10d");
        assert_eq!(prefixed("score", "composite_score"), "composite_score");
        assert_eq!(
            prefixed("percentile", "composite_percentile"),
            "composite_percentile"
        );
        assert_eq!(prefixed("percentile", "ndcg@40_30d"), "percentile_ndcg@40_30d");
    }
}
