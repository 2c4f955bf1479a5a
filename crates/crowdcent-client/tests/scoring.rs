//! The reference numbers of spec §6.6, reproduced to 1e-12.
#![cfg(feature = "scoring")]

use crowdcent_client::scoring::{
    corr_to_meta, dcg_score, evaluate_hyperliquid_submission, evaluate_hyperliquid_uniqueness,
    neutralize_predictions, ols_coefficients, spearman_correlation, symmetric_ndcg_at_k, unique_ndcg,
    unique_spearman,
};
use crowdcent_client::ScoringError;

type R = Result<(), ScoringError>;

#[track_caller]
fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-12,
        "got {got:?}, want {want:?} (diff {:e})",
        (got - want).abs()
    );
}

const A_TRUE: [f64; 5] = [0.1, 0.2, 0.9, 0.3, 0.7];
const A_PRED: [f64; 5] = [0.2, 0.1, 0.8, 0.4, 0.6];

#[test]
fn vector_a_symmetric_ndcg() -> R {
    close(symmetric_ndcg_at_k(&A_TRUE, &A_PRED, 1)?, 0.9444444444444444);
    close(symmetric_ndcg_at_k(&A_TRUE, &A_PRED, 3)?, 0.9894836429731906);
    close(symmetric_ndcg_at_k(&A_TRUE, &A_PRED, 5)?, 0.9890464157960992);
    close(symmetric_ndcg_at_k(&A_TRUE, &A_PRED, 10)?, 0.9890464157960992);
    Ok(())
}

#[test]
fn vector_a_ties_and_constant() -> R {
    let ties = [0.5, 0.5, 0.9, 0.1, 0.9];
    close(symmetric_ndcg_at_k(&A_TRUE, &ties, 2)?, 0.9262868645030806);
    let constant = [3.0; 5];
    close(symmetric_ndcg_at_k(&A_TRUE, &constant, 2)?, 0.5925195415192699);
    Ok(())
}

#[test]
fn vector_b_tie_heavy() -> R {
    let y_true = [0.0, 0.25, 0.25, 0.5, 0.75, 0.75, 1.0, 1.0];
    let y_pred = [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0];
    close(symmetric_ndcg_at_k(&y_true, &y_pred, 3)?, 0.9537025134172346);
    close(spearman_correlation(&y_true, &y_pred)?, 0.9246929112180866);
    Ok(())
}

#[test]
fn vector_c_spearman_and_dcg_edges() -> R {
    close(
        spearman_correlation(&[1.0, 2.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 2.0, 3.0, 3.0])?,
        0.892217816219194,
    );
    assert_eq!(spearman_correlation(&[1.0, 2.0, 3.0], &[7.0, 7.0, 7.0])?, 0.0);
    close(
        spearman_correlation(&[1.0, 0.5, 0.3, 0.2, 0.1], &[0.9, 0.6, 0.25, 0.22, 0.05])?,
        0.9999999999999999,
    );
    let dcg = dcg_score(&[3.0, 2.0, 1.0], &[1.0, 1.0, 0.0], Some(2))?;
    close(dcg, 4.0773243839286435);
    close(dcg, 2.5 + 2.5 / 3f64.log2());
    Ok(())
}

struct VectorD {
    y_true: Vec<f64>,
    y_pred: Vec<f64>,
    meta: Vec<f64>,
}

fn vector_d() -> VectorD {
    let f = |a: usize, b: usize, i: usize| ((a * i + b) % 50) as f64 / 49.0;
    let y_true: Vec<f64> = (0..50).map(|i| f(37, 0, i)).collect();
    let y_pred: Vec<f64> = (0..50).map(|i| f(11, 7, i)).collect();
    let z: Vec<f64> = (0..50).map(|i| f(13, 5, i)).collect();
    let meta = y_pred
        .iter()
        .zip(&z)
        .map(|(p, z)| 0.6 * p + 0.4 * z * z)
        .collect();
    VectorD { y_true, y_pred, meta }
}

#[test]
fn vector_d_metrics() -> R {
    let d = vector_d();
    close(spearman_correlation(&d.y_true, &d.y_pred)?, 0.09483793517406962);
    close(symmetric_ndcg_at_k(&d.y_true, &d.y_pred, 40)?, 0.72044474502229);
    close(symmetric_ndcg_at_k(&d.y_true, &d.y_pred, 10)?, 0.5108237270906726);
    close(symmetric_ndcg_at_k(&d.y_true, &d.y_true, 40)?, 0.9999999999999999);
    let reversed: Vec<f64> = d.y_true.iter().map(|t| 1.0 - t).collect();
    close(
        symmetric_ndcg_at_k(&d.y_true, &reversed, 40)?,
        0.45295407496429085,
    );
    Ok(())
}

#[test]
fn vector_d_evaluate_hyperliquid_submission() -> R {
    let d = vector_d();
    let t30: Vec<f64> = d.y_true.iter().rev().copied().collect();
    let s = evaluate_hyperliquid_submission(&d.y_true, &d.y_pred, &t30, &d.y_pred)?;
    close(s.spearman_10d, 0.09483793517406962);
    close(s.spearman_30d, -0.2292917166866747);
    close(s.ndcg_at_40_10d, 0.72044474502229);
    close(s.ndcg_at_40_30d, 0.6875507747062427);

    let s = evaluate_hyperliquid_submission(&[], &[], &t30, &d.y_pred)?;
    assert!(s.spearman_10d.is_nan() && s.ndcg_at_40_10d.is_nan());
    close(s.spearman_30d, -0.2292917166866747);
    close(s.ndcg_at_40_30d, 0.6875507747062427);
    let json = serde_json::to_value(s).map_err(|_| ScoringError::Empty)?;
    assert!(json["spearman_10d"].is_null());
    Ok(())
}

#[test]
fn vector_d_uniqueness() -> R {
    let d = vector_d();
    let (b1, b0) = ols_coefficients(&d.y_pred, &d.meta)?;
    close(b1, 1.0844627328639083);
    close(b0, 0.02859068959181136);
    let residual = neutralize_predictions(&d.y_pred, &d.meta)?;
    close(residual[0], 0.01679579197752168);
    close(residual[1], 0.0411952127777252);
    close(residual[2], 0.004528677108457391);
    close(corr_to_meta(&d.y_pred, &d.meta)?, 0.8739975990396157);
    close(
        unique_spearman(&d.y_true, &d.y_pred, &d.meta)?,
        0.47572629051620646,
    );
    close(
        unique_ndcg(&d.y_true, &d.y_pred, &d.meta, 40)?,
        0.8924940166228774,
    );
    close(
        unique_ndcg(&d.y_true, &d.y_pred, &d.meta, 10)?,
        0.8405528277909695,
    );

    let u = evaluate_hyperliquid_uniqueness(&d.y_true, &d.y_pred, &d.meta, &d.y_true, &d.y_pred, &d.meta)?;
    close(u.corr_to_meta_30d, 0.8739975990396157);
    close(u.unique_spearman_10d, 0.47572629051620646);
    close(u.unique_ndcg_at_40_30d, 0.8924940166228774);
    Ok(())
}

#[test]
fn length_mismatch_is_an_error() {
    assert!(matches!(
        evaluate_hyperliquid_submission(&[0.5, 0.5], &[0.1], &[], &[]),
        Err(ScoringError::LengthMismatch { left: 2, right: 1 })
    ));
}
