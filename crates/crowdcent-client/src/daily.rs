//! The unattended daily run and its helpers: the period's cutoff and validation against a local inference file.
//!
//! A daily runner waits for the inference file ([`ChallengeClient::wait_for_inference`]), runs a
//! model, then must submit before the period's `submission_deadline` (spec §2.3, §4.5): a late
//! file is not refused but queued for the *next* period (202), which silently skips the day. These
//! helpers compute how long is left and validate the model's output against the ids of the
//! inference file already on disk (no second download).
//!
//! ```
//! use std::time::Duration;
//! use crowdcent_client::daily;
//! let deadline = "2025-06-09T18:01:01Z".parse().unwrap();
//! let cutoff = daily::cutoff(deadline, Duration::from_secs(600));
//! assert_eq!(cutoff.to_rfc3339(), "2025-06-09T17:51:01+00:00");
//! let now = "2025-06-09T17:50:01Z".parse().unwrap();
//! assert_eq!(daily::time_left(cutoff, now), Some(Duration::from_secs(60)));
//! ```
//!
//! [`run`] is the whole unattended run (the CLI's `mkt crowdcent run-daily` is argument parsing and
//! printing around it): wait for the period's inference file, run the model command (shell
//! placeholders quoted with `shlex`, its own process group stopped at the cutoff), validate its
//! output against the inference ids, submit.
//!
//! [`ChallengeClient::wait_for_inference`]: crate::ChallengeClient::wait_for_inference

mod error;
mod run;

pub use error::DailyError;
pub use marketplace_core::command::{LineSink, Stream};
pub use run::{run, stamp, DailyEvent, DailyOptions, DailyReport, EventSink, LateStage, Mode};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use frame_io::validate::{self, RuleSet};
use frame_io::ValidationReport;

use crate::error::{Error, Result};

/// The last moment a run should still be working on a period: `deadline` minus `margin`
/// (the margin leaves room for validation and the upload). Saturates at the earliest
/// representable time for absurd margins.
pub fn cutoff(deadline: DateTime<Utc>, margin: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(margin)
        .ok()
        .and_then(|m| deadline.checked_sub_signed(m))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Time left until `cutoff` at `now`, or `None` once it has been reached.
pub fn time_left(cutoff: DateTime<Utc>, now: DateTime<Utc>) -> Option<Duration> {
    let left = cutoff.signed_duration_since(now);
    if left <= TimeDelta::zero() {
        return None;
    }
    left.to_std().ok()
}

/// Validates `predictions` against `rules`, matching its ids with those of the inference file at
/// `inference` (like the server's `match_info`; only matching ids count towards the minimum).
///
/// A bad prediction file is not an error: it yields a report whose
/// [`is_valid`](ValidationReport::is_valid) is false.
///
/// # Errors
/// [`Error::Frame`] when the inference file cannot be read or has no id column, [`Error::Io`]
/// when the validation task cannot run.
pub async fn validate_against_inference(
    predictions: &Path,
    inference: &Path,
    rules: RuleSet,
) -> Result<ValidationReport> {
    let predictions = predictions.to_owned();
    let inference = inference.to_owned();
    let task_path = predictions.clone();
    tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
        let ids = validate::load_ids(&inference, &rules)?;
        Ok(validate::validate_path(&predictions, &rules, Some(&ids)))
    }))
    .await
    .map_err(|e| Error::Io {
        path: task_path,
        op: "validate",
        source: std::io::Error::other(e),
    })?
}

/// Where a prediction file for `date` goes by default: `<dir>/predictions_<date>.parquet`.
pub fn default_predictions_path(dir: &Path, date: crate::ReleaseDate) -> PathBuf {
    dir.join(format!("predictions_{date}.parquet"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("valid time")
    }

    #[test]
    fn cutoff_subtracts_the_margin_and_saturates() {
        let deadline = t("2025-06-09T18:01:01.161998Z");
        assert_eq!(cutoff(deadline, Duration::ZERO), deadline);
        assert_eq!(
            cutoff(deadline, Duration::from_secs(3600)),
            t("2025-06-09T17:01:01.161998Z")
        );
        assert_eq!(cutoff(deadline, Duration::MAX), DateTime::<Utc>::MIN_UTC);
    }

    #[test]
    fn time_left_is_none_at_and_after_the_cutoff() {
        let c = t("2025-06-09T17:51:01Z");
        assert_eq!(
            time_left(c, t("2025-06-09T17:50:00Z")),
            Some(Duration::from_secs(61))
        );
        assert_eq!(time_left(c, c), None);
        assert_eq!(time_left(c, t("2025-06-09T19:00:00Z")), None);
    }

    #[test]
    fn default_path_carries_the_date() {
        let date: crate::ReleaseDate = "2025-06-09".parse().expect("date");
        assert_eq!(
            default_predictions_path(Path::new("out"), date),
            Path::new("out/predictions_2025-06-09.parquet")
        );
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[tokio::test]
    async fn validates_against_the_local_inference_ids() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ids: Vec<String> = (0..100).map(|i| format!("A{i}")).collect();
        let inference = write(
            dir.path(),
            "inf.csv",
            &format!(
                "id,f\n{}",
                ids.iter().map(|i| format!("{i},1\n")).collect::<String>()
            ),
        );
        let good = write(
            dir.path(),
            "good.csv",
            &format!(
                "id,pred_10d,pred_30d\n{}",
                ids.iter().map(|i| format!("{i},0.5,0.25\n")).collect::<String>()
            ),
        );
        let report = validate_against_inference(&good, &inference, validate::CROWDCENT_HYPERLIQUID)
            .await
            .expect("validated");
        assert!(report.is_valid(), "{report}");
        assert_eq!(report.match_info.as_ref().map(|m| m.matched_ids), Some(100));

        // Out-of-range values and ids from another universe are both reported.
        let bad = write(
            dir.path(),
            "bad.csv",
            &format!(
                "id,pred_10d,pred_30d\n{}",
                (0..100).map(|i| format!("Z{i},1.5,0.5\n")).collect::<String>()
            ),
        );
        let report = validate_against_inference(&bad, &inference, validate::CROWDCENT_HYPERLIQUID)
            .await
            .expect("validated");
        assert!(!report.is_valid());
        assert_eq!(report.match_info.as_ref().map(|m| m.unmatched_ids), Some(100));
    }

    #[tokio::test]
    async fn an_unreadable_inference_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let preds = write(dir.path(), "p.csv", "id,pred_10d,pred_30d\nA,0.5,0.5\n");
        let err = validate_against_inference(
            &preds,
            &dir.path().join("missing.parquet"),
            validate::CROWDCENT_HYPERLIQUID,
        )
        .await
        .expect_err("missing inference file");
        assert!(matches!(err, Error::Frame(_)), "{err:?}");
    }
}
