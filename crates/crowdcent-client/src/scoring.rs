//! Local scoring: a port of the challenge's `scoring.py` (spec §6) on plain `f64` slices.
//!
//! * [`spearman_correlation`]: Pearson correlation of average ranks; `0.0` when undefined.
//! * [`dcg_score`], [`ndcg_score`]: scikit-learn-compatible, tie-aware (McSherry–Najork).
//! * [`symmetric_ndcg_at_k`]: the leaderboard's "NDCG@40".
//! * [`neutralize_predictions`] and the uniqueness metrics ([`unique_spearman`], [`unique_ndcg`],
//!   [`corr_to_meta`]).
//! * [`evaluate_hyperliquid_submission`] and [`evaluate_hyperliquid_uniqueness`]: the metric sets
//!   the server reports, as typed structs whose serde names are the server's keys.
//!
//! Every reference number of spec §6.6 is reproduced by the tests to 1e-12.
//!
//! ```
//! use crowdcent_client::scoring::symmetric_ndcg_at_k;
//! let y_true = [0.1, 0.2, 0.9, 0.3, 0.7];
//! let y_pred = [0.2, 0.1, 0.8, 0.4, 0.6];
//! let score = symmetric_ndcg_at_k(&y_true, &y_pred, 1)?;
//! assert!((score - 0.9444444444444444).abs() < 1e-12);
//! # Ok::<(), crowdcent_client::ScoringError>(())
//! ```

mod ndcg;
mod rank;

use serde::{Deserialize, Serialize};

pub use crate::error::ScoringError;
pub use ndcg::{dcg_score, ndcg_score, symmetric_ndcg_at_k};
pub use rank::{average_ranks, spearman_correlation};

use rank::{check_lengths, np_mean};

/// The `k` of the leaderboard's symmetric NDCG.
pub const LEADERBOARD_K: usize = 40;

/// Ordinary least-squares coefficients of `y_pred` on `[meta, 1]`: `(b1, b0)`.
///
/// With a constant `meta` the minimum-norm solution puts everything in the fit's level, so the
/// result is `(0.0, mean(y_pred))`.
///
/// # Errors
/// [`ScoringError::LengthMismatch`], [`ScoringError::NonFinite`], or
/// [`ScoringError::Empty`] for empty input.
pub fn ols_coefficients(y_pred: &[f64], meta: &[f64]) -> Result<(f64, f64), ScoringError> {
    check_lengths(y_pred, meta)?;
    check_finite("y_pred", y_pred)?;
    check_finite("meta", meta)?;
    if y_pred.is_empty() {
        return Err(ScoringError::Empty);
    }
    let mean_y = np_mean(y_pred);
    let mean_m = np_mean(meta);
    if meta.iter().all(|m| *m == meta[0]) {
        return Ok((0.0, mean_y));
    }
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (m, y) in meta.iter().zip(y_pred) {
        let dm = m - mean_m;
        sxy += dm * (y - mean_y);
        sxx += dm * dm;
    }
    let b1 = sxy / sxx;
    Ok((b1, mean_y - b1 * mean_m))
}

/// The part of `y_pred` the meta-model does not explain: `y_pred − (b1·meta + b0)` with the
/// [`ols_coefficients`]. A constant `meta` gives `y_pred − mean(y_pred)`; empty input gives an
/// empty vector.
///
/// # Errors
/// [`ScoringError::LengthMismatch`] or [`ScoringError::NonFinite`].
pub fn neutralize_predictions(y_pred: &[f64], meta: &[f64]) -> Result<Vec<f64>, ScoringError> {
    check_lengths(y_pred, meta)?;
    if y_pred.is_empty() {
        return Ok(Vec::new());
    }
    let (b1, b0) = ols_coefficients(y_pred, meta)?;
    Ok(y_pred.iter().zip(meta).map(|(y, m)| y - (b1 * m + b0)).collect())
}

/// Spearman correlation of the predictions with the meta-model.
///
/// # Errors
/// [`ScoringError::LengthMismatch`].
pub fn corr_to_meta(y_pred: &[f64], meta: &[f64]) -> Result<f64, ScoringError> {
    spearman_correlation(y_pred, meta)
}

/// Spearman correlation of the targets with the meta-neutralized predictions.
///
/// # Errors
/// As [`neutralize_predictions`], plus a length mismatch between `y_true` and `y_pred`.
pub fn unique_spearman(y_true: &[f64], y_pred: &[f64], meta: &[f64]) -> Result<f64, ScoringError> {
    check_lengths(y_true, y_pred)?;
    spearman_correlation(y_true, &neutralize_predictions(y_pred, meta)?)
}

/// Symmetric NDCG@k of the targets against the meta-neutralized predictions.
///
/// # Errors
/// As [`neutralize_predictions`] and [`symmetric_ndcg_at_k`].
pub fn unique_ndcg(y_true: &[f64], y_pred: &[f64], meta: &[f64], k: usize) -> Result<f64, ScoringError> {
    check_lengths(y_true, y_pred)?;
    symmetric_ndcg_at_k(y_true, &neutralize_predictions(y_pred, meta)?, k)
}

/// The four metrics the server reports for a hyperliquid-ranking submission. Serialized with the
/// server's keys (`spearman_10d`, `spearman_30d`, `ndcg@40_10d`, `ndcg@40_30d`); a horizon with no
/// data is NaN (serialized as `null`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HyperliquidScores {
    /// Spearman correlation, 10-day horizon.
    pub spearman_10d: f64,
    /// Spearman correlation, 30-day horizon.
    pub spearman_30d: f64,
    /// Symmetric NDCG@40, 10-day horizon.
    #[serde(rename = "ndcg@40_10d")]
    pub ndcg_at_40_10d: f64,
    /// Symmetric NDCG@40, 30-day horizon.
    #[serde(rename = "ndcg@40_30d")]
    pub ndcg_at_40_30d: f64,
}

impl HyperliquidScores {
    /// The metrics as `(server key, value)` pairs, in the server's order.
    pub fn entries(&self) -> [(&'static str, f64); 4] {
        [
            ("spearman_10d", self.spearman_10d),
            ("spearman_30d", self.spearman_30d),
            ("ndcg@40_10d", self.ndcg_at_40_10d),
            ("ndcg@40_30d", self.ndcg_at_40_30d),
        ]
    }
}

/// The uniqueness metrics (against the meta-model) for a hyperliquid-ranking submission.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HyperliquidUniqueness {
    /// Spearman(predictions, meta-model), 10-day horizon.
    pub corr_to_meta_10d: f64,
    /// Spearman(predictions, meta-model), 30-day horizon.
    pub corr_to_meta_30d: f64,
    /// Spearman(targets, neutralized predictions), 10-day horizon.
    pub unique_spearman_10d: f64,
    /// Spearman(targets, neutralized predictions), 30-day horizon.
    pub unique_spearman_30d: f64,
    /// Symmetric NDCG@40 of the neutralized predictions, 10-day horizon.
    #[serde(rename = "unique_ndcg@40_10d")]
    pub unique_ndcg_at_40_10d: f64,
    /// Symmetric NDCG@40 of the neutralized predictions, 30-day horizon.
    #[serde(rename = "unique_ndcg@40_30d")]
    pub unique_ndcg_at_40_30d: f64,
}

/// Scores a hyperliquid-ranking submission like the server does: Spearman and symmetric NDCG@40 for
/// each horizon. A horizon whose targets or predictions are empty yields NaN metrics (the
/// reference's `safe_metric`).
///
/// # Errors
/// A [`ScoringError`] from the metrics: mismatched lengths, targets outside `[0, 1]`, NaN values
/// in the NDCG inputs.
pub fn evaluate_hyperliquid_submission(
    y_true_10d: &[f64],
    y_pred_10d: &[f64],
    y_true_30d: &[f64],
    y_pred_30d: &[f64],
) -> Result<HyperliquidScores, ScoringError> {
    let k = LEADERBOARD_K;
    Ok(HyperliquidScores {
        spearman_10d: safe(y_true_10d, y_pred_10d, spearman_correlation)?,
        spearman_30d: safe(y_true_30d, y_pred_30d, spearman_correlation)?,
        ndcg_at_40_10d: safe(y_true_10d, y_pred_10d, |t, p| symmetric_ndcg_at_k(t, p, k))?,
        ndcg_at_40_30d: safe(y_true_30d, y_pred_30d, |t, p| symmetric_ndcg_at_k(t, p, k))?,
    })
}

/// The uniqueness metrics for both horizons (`meta_*` are the meta-model's predictions for the
/// same ids). A horizon with empty targets or predictions yields NaN.
///
/// # Errors
/// As [`evaluate_hyperliquid_submission`] and [`neutralize_predictions`].
pub fn evaluate_hyperliquid_uniqueness(
    y_true_10d: &[f64],
    y_pred_10d: &[f64],
    meta_10d: &[f64],
    y_true_30d: &[f64],
    y_pred_30d: &[f64],
    meta_30d: &[f64],
) -> Result<HyperliquidUniqueness, ScoringError> {
    let k = LEADERBOARD_K;
    Ok(HyperliquidUniqueness {
        corr_to_meta_10d: safe(y_pred_10d, meta_10d, corr_to_meta)?,
        corr_to_meta_30d: safe(y_pred_30d, meta_30d, corr_to_meta)?,
        unique_spearman_10d: safe(y_true_10d, y_pred_10d, |t, p| unique_spearman(t, p, meta_10d))?,
        unique_spearman_30d: safe(y_true_30d, y_pred_30d, |t, p| unique_spearman(t, p, meta_30d))?,
        unique_ndcg_at_40_10d: safe(y_true_10d, y_pred_10d, |t, p| unique_ndcg(t, p, meta_10d, k))?,
        unique_ndcg_at_40_30d: safe(y_true_30d, y_pred_30d, |t, p| unique_ndcg(t, p, meta_30d, k))?,
    })
}

/// The reference's `safe_metric`: NaN when either input is empty, else the metric.
fn safe(
    a: &[f64],
    b: &[f64],
    metric: impl FnOnce(&[f64], &[f64]) -> Result<f64, ScoringError>,
) -> Result<f64, ScoringError> {
    if a.is_empty() || b.is_empty() {
        Ok(f64::NAN)
    } else {
        metric(a, b)
    }
}

fn check_finite(what: &'static str, values: &[f64]) -> Result<(), ScoringError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(ScoringError::NonFinite { what, index }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_meta_neutralizes_to_centered_predictions() {
        let r = neutralize_predictions(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]).unwrap_or_default();
        assert_eq!(r, vec![-1.0, 0.0, 1.0]);
        assert_eq!(neutralize_predictions(&[], &[]).ok(), Some(vec![]));
    }

    #[test]
    fn scores_serialize_with_server_keys() {
        let s = HyperliquidScores {
            spearman_10d: 0.1,
            spearman_30d: f64::NAN,
            ndcg_at_40_10d: 0.5,
            ndcg_at_40_30d: 0.6,
        };
        let json = serde_json::to_value(s).unwrap_or_default();
        assert_eq!(json["ndcg@40_10d"], 0.5);
        assert!(json["spearman_30d"].is_null());
        assert_eq!(s.entries()[3].0, "ndcg@40_30d");
    }
}
