//! Average ranks, numpy-compatible summation and the Pearson/Spearman correlation.

use crate::error::ScoringError;

/// Average ranks (1-based) of `values`: tied values (exact float equality) share the mean of their
/// rank positions, like `scipy.stats.rankdata(method="average")`.
///
/// NaN values must be filtered by the caller; they are ordered last here so the function never
/// panics.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        // `==` (not total_cmp) so that -0.0 and 0.0 tie, as in numpy.
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start+1 ..= end share their mean.
        let avg = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = avg;
        }
        start = end;
    }
    ranks
}

/// Spearman rank correlation: the Pearson correlation of the [`average_ranks`] of both inputs.
///
/// Mirrors the reference client: empty input gives `0.0`; a NaN anywhere, a constant input, or
/// any other undefined result gives `0.0`. The arguments are symmetric.
///
/// # Errors
/// [`ScoringError::LengthMismatch`] when the slices differ in length.
pub fn spearman_correlation(y_true: &[f64], y_pred: &[f64]) -> Result<f64, ScoringError> {
    check_lengths(y_true, y_pred)?;
    if y_true.is_empty() || y_true.iter().chain(y_pred).any(|v| v.is_nan()) {
        return Ok(0.0);
    }
    let r = pearson(&average_ranks(y_pred), &average_ranks(y_true));
    Ok(if r.is_nan() { 0.0 } else { r })
}

/// Pearson correlation computed the way `numpy.corrcoef` does (covariance with `n - 1`, divided
/// by each standard deviation in turn, clipped to `[-1, 1]`). NaN when either input is constant.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return f64::NAN;
    }
    let mx = np_mean(x);
    let my = np_mean(y);
    let dx: Vec<f64> = x.iter().map(|v| v - mx).collect();
    let dy: Vec<f64> = y.iter().map(|v| v - my).collect();
    let ddof = (n - 1) as f64;
    let cxy = dot(&dx, &dy) / ddof;
    let cxx = dot(&dx, &dx) / ddof;
    let cyy = dot(&dy, &dy) / ddof;
    let r = cxy / cxx.sqrt() / cyy.sqrt();
    if r.is_nan() {
        r
    } else {
        r.clamp(-1.0, 1.0)
    }
}

/// Returns an error when two inputs differ in length.
pub(crate) fn check_lengths(a: &[f64], b: &[f64]) -> Result<(), ScoringError> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(ScoringError::LengthMismatch {
            left: a.len(),
            right: b.len(),
        })
    }
}

/// Sequential dot product.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Arithmetic mean with numpy's summation order (NaN for empty input).
pub(crate) fn np_mean(values: &[f64]) -> f64 {
    np_sum(values) / values.len() as f64
}

/// Sum in the order numpy's pairwise summation uses, so results match the reference bit for bit
/// wherever numpy itself is deterministic.
pub(crate) fn np_sum(values: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        // numpy starts from -0.0 so that an all-negative-zero input sums to -0.0.
        values.iter().fold(-0.0, |acc, v| acc + v)
    } else if n <= BLOCK {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&values[..8]);
        let mut i = 8;
        while i + 8 <= n {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += values[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &values[i..] {
            res += v;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        np_sum(&values[..half]) + np_sum(&values[half..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 20.0, 5.0]), vec![2.0, 3.5, 3.5, 1.0]);
        assert_eq!(average_ranks(&[-0.0, 0.0]), vec![1.5, 1.5]);
        assert!(average_ranks(&[]).is_empty());
    }

    #[test]
    fn spearman_edge_cases() {
        assert_eq!(spearman_correlation(&[], &[]).ok(), Some(0.0));
        assert_eq!(
            spearman_correlation(&[1.0, f64::NAN, 3.0], &[1.0, 2.0, 3.0]).ok(),
            Some(0.0)
        );
        assert_eq!(spearman_correlation(&[1.0], &[2.0]).ok(), Some(0.0));
        assert!(matches!(
            spearman_correlation(&[1.0, 2.0], &[1.0]),
            Err(ScoringError::LengthMismatch { left: 2, right: 1 })
        ));
        let r = spearman_correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap_or(0.0);
        assert_eq!(r, -1.0);
    }

    #[test]
    fn np_sum_matches_plain_sum_on_exact_values() {
        let v: Vec<f64> = (0..1000).map(f64::from).collect();
        assert_eq!(np_sum(&v), 499_500.0);
        assert_eq!(np_sum(&v[..13]), 78.0);
        assert_eq!(np_sum(&[]), 0.0);
    }
}
