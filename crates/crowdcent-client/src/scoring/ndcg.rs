//! Tie-aware, scikit-learn-compatible DCG/NDCG and the leaderboard's symmetric NDCG@k.

use super::rank::{check_lengths, np_sum};
use crate::error::ScoringError;

/// Discounted cumulative gain of `y_true` ranked by `y_score` (linear gain, `1/log2(r+1)` discount,
/// only the first `k` positions when `k` is given).
///
/// Ties in `y_score` (exact float equality) are averaged over all their permutations
/// (McSherry–Najork), exactly like `sklearn.metrics.dcg_score(..., ignore_ties=False)`.
///
/// # Errors
/// [`ScoringError::LengthMismatch`], [`ScoringError::InvalidK`] for `k == Some(0)`,
/// [`ScoringError::NonFinite`] for a NaN or infinite input.
pub fn dcg_score(y_true: &[f64], y_score: &[f64], k: Option<usize>) -> Result<f64, ScoringError> {
    check_inputs(y_true, y_score, k)?;
    if y_true.is_empty() {
        return Ok(0.0);
    }
    Ok(tie_averaged_dcg(
        y_true,
        y_score,
        &discount_cumsum(y_true.len(), k),
    ))
}

/// Normalized DCG: [`dcg_score`] divided by the DCG of the ideal ordering, `0.0` when the ideal
/// DCG is not positive. The two sums are rounded separately, so (as with scikit-learn) a perfect
/// ranking can give a value a few ulp above `1.0`.
///
/// # Errors
/// As [`dcg_score`], plus [`ScoringError::NegativeRelevance`] when `y_true` has a negative value
/// (scikit-learn refuses those too).
pub fn ndcg_score(y_true: &[f64], y_score: &[f64], k: Option<usize>) -> Result<f64, ScoringError> {
    check_inputs(y_true, y_score, k)?;
    if let Some((index, &value)) = y_true.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(ScoringError::NegativeRelevance { index, value });
    }
    if y_true.is_empty() {
        return Ok(0.0);
    }
    Ok(ndcg_unchecked(y_true, y_score, k))
}

/// Symmetric NDCG@k, the leaderboard's "NDCG@40": the mean of NDCG@k of the top (`y_true` by the
/// min–max scaled predictions `s`) and of the bottom (`1 − y_true` by `1 − s`).
///
/// Constant predictions become one tie group at `0.5`. Empty input gives `0.0`.
///
/// # Errors
/// [`ScoringError::LengthMismatch`], [`ScoringError::InvalidK`] for `k == 0`,
/// [`ScoringError::TargetOutOfRange`] when a `y_true` value lies outside `[0, 1]`,
/// [`ScoringError::NonFinite`] for a NaN or infinite input.
pub fn symmetric_ndcg_at_k(y_true: &[f64], y_pred: &[f64], k: usize) -> Result<f64, ScoringError> {
    check_inputs(y_true, y_pred, Some(k))?;
    if y_true.is_empty() {
        return Ok(0.0);
    }
    if let Some((index, &value)) = y_true.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
        return Err(ScoringError::TargetOutOfRange { index, value });
    }
    let min = y_pred.iter().copied().fold(f64::INFINITY, f64::min);
    let max = y_pred.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let scaled: Vec<f64> = if min == max {
        vec![0.5; y_pred.len()]
    } else {
        y_pred.iter().map(|p| (p - min) / (max - min)).collect()
    };
    // Spec §6.3: compute `s` first, then `1 − s`; the subtraction may merge near-equal values into
    // a tie on the bottom side only, exactly as the reference does.
    let top = ndcg_unchecked(y_true, &scaled, Some(k));
    let inv_true: Vec<f64> = y_true.iter().map(|t| 1.0 - t).collect();
    let inv_pred: Vec<f64> = scaled.iter().map(|s| 1.0 - s).collect();
    let bottom = ndcg_unchecked(&inv_true, &inv_pred, Some(k));
    Ok((top + bottom) / 2.0)
}

fn check_inputs(y_true: &[f64], y_score: &[f64], k: Option<usize>) -> Result<(), ScoringError> {
    check_lengths(y_true, y_score)?;
    if k == Some(0) {
        return Err(ScoringError::InvalidK);
    }
    for (what, values) in [("y_true", y_true), ("y_score", y_score)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(ScoringError::NonFinite { what, index });
        }
    }
    Ok(())
}

fn ndcg_unchecked(y_true: &[f64], y_score: &[f64], k: Option<usize>) -> f64 {
    let cumsum = discount_cumsum(y_true.len(), k);
    let gain = tie_averaged_dcg(y_true, y_score, &cumsum);
    let ideal = ideal_dcg(y_true, &discounts(y_true.len(), k));
    if ideal > 0.0 {
        gain / ideal
    } else {
        0.0
    }
}

/// `d_r = 1 / (ln(r + 1) / ln 2)` for 1-based r, zero beyond `k` (scikit-learn's formula).
fn discounts(n: usize, k: Option<usize>) -> Vec<f64> {
    let ln2 = 2f64.ln();
    (0..n)
        .map(|i| {
            if k.is_some_and(|k| i >= k) {
                0.0
            } else {
                1.0 / ((i as f64 + 2.0).ln() / ln2)
            }
        })
        .collect()
}

fn discount_cumsum(n: usize, k: Option<usize>) -> Vec<f64> {
    let mut acc = 0.0;
    discounts(n, k)
        .into_iter()
        .map(|d| {
            acc += d;
            acc
        })
        .collect()
}

/// DCG with `y_true` sorted descending (ties there do not change the value).
fn ideal_dcg(y_true: &[f64], discount: &[f64]) -> f64 {
    let mut sorted = y_true.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.iter().zip(discount).map(|(t, d)| t * d).sum()
}

/// scikit-learn's `_tie_averaged_dcg`: groups of equal scores, in descending score order, each
/// contribute `mean(y_true of the group) × Σ discounts over the group's positions`.
fn tie_averaged_dcg(y_true: &[f64], y_score: &[f64], discount_cumsum: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..y_score.len()).collect();
    // Stable: inside a group the gains are summed in input order, as numpy's `add.at` does.
    order.sort_by(|&a, &b| y_score[b].total_cmp(&y_score[a]));
    let mut products = Vec::new();
    let mut prev_cum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && y_score[order[end]] == y_score[order[start]] {
            end += 1;
        }
        let mut group_sum = 0.0;
        for &i in &order[start..end] {
            group_sum += y_true[i];
        }
        let mean = group_sum / (end - start) as f64;
        let cum = discount_cumsum[end - 1];
        let discount_sum = if start == 0 { cum } else { cum - prev_cum };
        prev_cum = cum;
        products.push(mean * discount_sum);
        start = end;
    }
    np_sum(&products)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_rejects_bad_input() {
        assert!(matches!(
            ndcg_score(&[-1.0, 1.0], &[0.0, 1.0], None),
            Err(ScoringError::NegativeRelevance { index: 0, .. })
        ));
        assert!(matches!(
            symmetric_ndcg_at_k(&[0.5, 1.5], &[0.0, 1.0], 2),
            Err(ScoringError::TargetOutOfRange { index: 1, .. })
        ));
        assert!(matches!(
            symmetric_ndcg_at_k(&[0.5, 0.5], &[0.0, 1.0], 0),
            Err(ScoringError::InvalidK)
        ));
        assert!(matches!(
            symmetric_ndcg_at_k(&[0.5, 0.5], &[f64::NAN, 1.0], 2),
            Err(ScoringError::NonFinite {
                what: "y_score",
                index: 0
            })
        ));
        assert_eq!(symmetric_ndcg_at_k(&[], &[], 3).ok(), Some(0.0));
    }

    #[test]
    fn ndcg_zero_when_nothing_relevant() {
        assert_eq!(ndcg_score(&[0.0, 0.0], &[1.0, 2.0], None).ok(), Some(0.0));
        assert_eq!(ndcg_score(&[1.0, 0.0], &[1.0, 0.0], None).ok(), Some(1.0));
    }
}
