//! What a run reports: the result object and table, and the one-line failures.

use std::time::Duration;

use crowdcent_client::daily::{stamp, DailyError, DailyReport, LateStage};
use crowdcent_client::{MatchInfo, SubmitKind};

use super::deploy;
use crate::context::OutputFormat;
use crate::crowdcent::fail;
use crate::exit::{self, Failure};
use crate::output::{print_json, Table};
use crate::Context;

/// What one run did (`--output json` prints exactly this object).
pub(super) type DailyResult = DailyReport;

/// The failure (exit code, one-line message naming the flags, hint) for a run's error.
pub(super) fn failure(e: DailyError) -> anyhow::Error {
    let with_tail = |msg: String, tail: &[String]| {
        if tail.is_empty() {
            anyhow::anyhow!(msg)
        } else {
            anyhow::anyhow!("{msg}\n  last lines of its stderr:\n    {}", tail.join("\n    "))
        }
    };
    match e {
        DailyError::Late {
            date,
            deadline,
            margin,
            stage,
        } => {
            let what = match stage {
                LateStage::BeforeModel => "there is no time left to run the model",
                LateStage::AfterModel => "the model finished after the cutoff",
                _ => "the window closed before the upload",
            };
            Failure::new(
                exit::FAILED,
                anyhow::anyhow!(
                    "deadline would be missed: the {date} window closes at {} and --deadline-margin is {}, so {what}; nothing was submitted",
                    stamp(&deadline),
                    deploy::duration(margin),
                ),
            )
            .hint("lower --deadline-margin or run earlier (inference is published around 14:00 UTC and the window lasts about 4 h)")
            .into()
        }
        DailyError::ModelKilled {
            cutoff,
            deadline,
            margin,
            tail,
        } => Failure::new(
            exit::FAILED,
            with_tail(
                format!(
                    "the model was still running at the cutoff {} (submission deadline {} minus --deadline-margin {}) and was stopped; nothing was submitted",
                    stamp(&cutoff),
                    stamp(&deadline),
                    deploy::duration(margin)
                ),
                &tail,
            ),
        )
        .hint("make the model faster, start earlier, or lower --deadline-margin")
        .into(),
        DailyError::ModelFailed { code, tail } => {
            let how = match code {
                Some(code) => format!("exit code {code}"),
                None => "a signal".to_owned(),
            };
            Failure::new(
                exit::FAILED,
                with_tail(format!("the model command failed with {how}; nothing was submitted"), &tail),
            )
            .into()
        }
        DailyError::ModelNoOutput { path } => Failure::new(
            exit::FAILED,
            anyhow::anyhow!(
                "the model command exited 0 but wrote no file at {}; nothing was submitted",
                path.display()
            ),
        )
        .hint("write the predictions to the {out} path (also in $MKT_OUT)")
        .into(),
        DailyError::Client(e) => fail(e),
        other => anyhow::Error::new(other),
    }
}

pub(super) fn render(result: &DailyResult, ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(result);
    }
    let mut t = Table::new([
        "date",
        "slot",
        "result",
        "id",
        "matched_ids",
        "unmatched_ids",
        "path",
    ]);
    let m = result.match_info.as_ref();
    t.row([
        result.date.clone(),
        result.slot.to_string(),
        result.kind.map_or("dry-run", kind_name).to_owned(),
        result.submission_id.map(|i| i.to_string()).unwrap_or_default(),
        m.map(|m| m.matched_ids.to_string()).unwrap_or_default(),
        m.map(|m| m.unmatched_ids.to_string()).unwrap_or_default(),
        result.path.display().to_string(),
    ]);
    t.print()
}

pub(super) fn kind_name(kind: SubmitKind) -> &'static str {
    match kind {
        SubmitKind::Created => "created",
        SubmitKind::Replaced => "replaced",
        SubmitKind::Queued => "queued",
    }
}

pub(super) fn match_message(m: &Option<MatchInfo>) -> String {
    match m {
        Some(MatchInfo {
            message: Some(msg), ..
        }) => msg.clone(),
        Some(m) => format!("{} IDs matched inference data", m.matched_ids),
        None => "no match information".to_owned(),
    }
}

/// `3h 49m 53s`, `12m 5s`, `40s`.
pub(super) fn human(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, sec) => format!("{m}m {sec}s"),
        (h, m, sec) => format!("{h}h {m}m {sec}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_model_names_the_cutoff_the_flag_and_its_stderr() {
        let deadline: chrono::DateTime<chrono::Utc> = "2025-06-09T18:01:01Z".parse().expect("time");
        let err = failure(DailyError::ModelKilled {
            cutoff: crowdcent_client::daily::cutoff(deadline, Duration::from_secs(600)),
            deadline,
            margin: Duration::from_secs(600),
            tail: vec!["thinking".to_owned()],
        });
        let failure = err.downcast_ref::<Failure>().expect("a failure");
        assert_eq!(failure.code, exit::FAILED);
        let text = format!("{err:#}");
        assert!(
            text.contains("still running at the cutoff 2025-06-09T17:51:01Z (submission deadline 2025-06-09T18:01:01Z minus --deadline-margin 10m)"),
            "{text}"
        );
        assert!(text.contains("thinking"), "{text}");
    }
}
