//! What a run reports: the result object and table, and the one-line failures.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use crowdcent_client::daily::cutoff;
use crowdcent_client::{period_date, InferencePeriod, MatchInfo, SubmitKind};
use serde::Serialize;

use super::{deploy, model, Args};
use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::output::{print_json, Table};
use crate::Context;

/// What one run did (`--output json` prints exactly this object).
#[derive(Debug, Serialize)]
pub(super) struct DailyResult {
    pub(super) challenge: String,
    pub(super) date: String,
    pub(super) inference: PathBuf,
    pub(super) path: PathBuf,
    pub(super) deadline: String,
    pub(super) slot: u32,
    pub(super) dry_run: bool,
    pub(super) submitted: bool,
    pub(super) kind: Option<SubmitKind>,
    pub(super) submission_id: Option<u64>,
    pub(super) queued_for_next: bool,
    pub(super) queue_error_code: Option<String>,
    pub(super) match_info: Option<MatchInfo>,
}

/// Turns the model's end into an error unless it exited 0 and wrote `out`.
pub(super) fn check_model(
    ended: model::Ended,
    out: &Path,
    period: &InferencePeriod,
    args: &Args,
) -> anyhow::Result<()> {
    let with_tail = |msg: String, tail: &[String]| {
        if tail.is_empty() {
            anyhow::anyhow!(msg)
        } else {
            anyhow::anyhow!("{msg}\n  last lines of its stderr:\n    {}", tail.join("\n    "))
        }
    };
    match ended {
        model::Ended::Killed { tail } => Err(Failure::new(
            exit::FAILED,
            with_tail(
                format!(
                    "the model was still running at the cutoff {} (submission deadline {} minus --deadline-margin {}) and was stopped; nothing was submitted",
                    stamp(&cutoff(period.submission_deadline, args.deadline_margin)),
                    stamp(&period.submission_deadline),
                    deploy::duration(args.deadline_margin)
                ),
                &tail,
            ),
        )
        .hint("make the model faster, start earlier, or lower --deadline-margin")
        .into()),
        model::Ended::Exited { status, tail } if !status.success() => {
            let how = match status.code() {
                Some(code) => format!("exit code {code}"),
                None => "a signal".to_owned(),
            };
            Err(Failure::new(
                exit::FAILED,
                with_tail(format!("the model command failed with {how}; nothing was submitted"), &tail),
            )
            .into())
        }
        model::Ended::Exited { .. } => {
            if out.is_file() {
                Ok(())
            } else {
                Err(Failure::new(
                    exit::FAILED,
                    anyhow::anyhow!(
                        "the model command exited 0 but wrote no file at {}; nothing was submitted",
                        out.display()
                    ),
                )
                .hint("write the predictions to the {out} path (also in $MKT_OUT)")
                .into())
            }
        }
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

/// The deadline-missed failure: one line naming the deadline, the margin and the cutoff.
pub(super) fn late(period: &InferencePeriod, args: &Args, what: &str) -> anyhow::Error {
    Failure::new(
        exit::FAILED,
        anyhow::anyhow!(
            "deadline would be missed: the {} window closes at {} and --deadline-margin is {}, so {what}; nothing was submitted",
            period_date(period),
            stamp(&period.submission_deadline),
            deploy::duration(args.deadline_margin),
        ),
    )
    .hint("lower --deadline-margin or run earlier (inference is published around 14:00 UTC and the window lasts about 4 h)")
    .into()
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

/// `2025-06-09T18:01:01Z`: whole seconds, UTC.
pub(super) fn stamp(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
