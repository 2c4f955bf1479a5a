//! Server-side submission validation with frame-io's `crowdcent-hyperliquid` rules (spec §4.4, §9).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use frame_io::validate::{validate_path, Rule, ValidationReport, CROWDCENT_HYPERLIQUID};

use super::reply::{ApiError, Reply};
use super::wire::MatchInfo;

/// Validates the uploaded file at `path` (sent as `file_name`) against `universe` (the inference ids it
/// will be scored on).
///
/// Returns the `match_info`, or a 400 `INVALID_FILE` (not readable Parquet or CSV) / `INVALID_SUBMISSION`
/// (a rule is broken; every violation is listed in `message` and per column in `fields`). Messages name
/// the uploaded file, never the server-side path.
pub(crate) async fn validate_submission(
    path: &Path,
    file_name: &str,
    universe: &[String],
) -> Reply<MatchInfo> {
    let ids: HashSet<String> = universe.iter().cloned().collect();
    let owned: PathBuf = path.to_owned();
    let report =
        tokio::task::spawn_blocking(move || validate_path(&owned, &CROWDCENT_HYPERLIQUID, Some(&ids)))
            .await
            .map_err(|e| ApiError::internal("validate the prediction file", &e))?;
    judge(&report).map_err(|mut e| {
        let hidden = path.display().to_string();
        e.message = e.message.replace(&hidden, file_name);
        for messages in e.fields.values_mut() {
            for m in messages.iter_mut() {
                *m = m.replace(&hidden, file_name);
            }
        }
        e
    })
}

/// Turns a frame-io report into the `match_info` or the error answered to the client.
fn judge(report: &ValidationReport) -> Reply<MatchInfo> {
    if report.violations.iter().any(|v| v.rule == Rule::Readable) {
        let why = report
            .violations
            .iter()
            .map(|v| v.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::field(
            "INVALID_FILE",
            "prediction_file",
            format!("prediction_file is not a readable Parquet or CSV file: {why}"),
        ));
    }
    if !report.is_valid() {
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut parts = Vec::new();
        for v in &report.violations {
            let text = format!("{}: {}", v.rule, v.message);
            let field = v.column.clone().unwrap_or_else(|| "prediction_file".to_owned());
            fields.entry(field).or_default().push(text.clone());
            parts.push(text);
        }
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_SUBMISSION",
            format!(
                "The submission breaks the hyperliquid-ranking rules (id, pred_10d, pred_30d; floats in [0, 1]; \
                 no nulls; unique ids; at least {} ids from the inference data): {}",
                super::MIN_MATCHED_IDS,
                parts.join("; ")
            ),
        );
        error.fields = fields;
        return Err(error);
    }
    let (matched, unmatched) = report
        .match_info
        .as_ref()
        .map_or((report.unique_ids, 0), |m| (m.matched_ids, m.unmatched_ids));
    let matched = usize::try_from(matched).unwrap_or(usize::MAX);
    Ok(MatchInfo {
        matched_ids: matched,
        unmatched_ids: usize::try_from(unmatched).unwrap_or(usize::MAX),
        message: format!("{matched} IDs matched inference data"),
    })
}
