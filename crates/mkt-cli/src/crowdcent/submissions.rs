//! `mkt crowdcent submissions|submit|performance`.

use std::path::PathBuf;

use clap::Subcommand;
use crowdcent_client::{
    ChallengeClient, PerformanceQuery, PerformanceRow, Period, Submission, SubmitKind, SubmitOptions,
    SubmitOutcome,
};

use super::fail;
use crate::context::OutputFormat;
use crate::output::{print_json, Table};
use crate::Context;

/// Arguments of `mkt crowdcent submissions`.
#[derive(Debug, clap::Args)]
pub struct SubmissionsArgs {
    #[command(subcommand)]
    pub(super) command: SubmissionsCommand,
}

#[derive(Debug, Subcommand)]
pub(super) enum SubmissionsCommand {
    /// List your submissions (all slots, all periods unless --period).
    #[command(
        long_about = "List your own submissions for the challenge: every slot and period, experimental ones included, or only one period with --period current or --period YYYY-MM-DD.",
        after_help = "Examples:\n  mkt crowdcent submissions list\n  mkt crowdcent submissions list --period current\n  mkt crowdcent submissions list --period 2025-07-25 --output json"
    )]
    List {
        /// Only this period: `current` or a `YYYY-MM-DD` release date.
        #[arg(long, value_parser = parse_period, value_name = "PERIOD")]
        period: Option<Period>,
    },
    /// Show one submission with its scores and percentiles.
    #[command(
        long_about = "Show one of your submissions by id, with its score and percentile details (percentiles are 0-100). Exits 4 when the id does not exist or is someone else's.",
        after_help = "Examples:\n  mkt crowdcent submissions get 814\n  mkt crowdcent submissions get 814 --output json"
    )]
    Get {
        /// The submission id.
        id: u64,
    },
}

/// Arguments of `mkt crowdcent submit`.
#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// The prediction file (Parquet, or CSV converted in memory).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Slot to submit to (1-based).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    slot: u32,
    /// Do not also queue a copy for the next period.
    #[arg(long, overrides_with = "queue_next")]
    no_queue_next: bool,
    /// Also queue a copy for the next period (the default; the official CLI's spelling).
    #[arg(long, hide = true, overrides_with = "no_queue_next")]
    queue_next: bool,
    /// Mark as experimental (scored, but kept off the leaderboard and the meta-model).
    #[arg(long, overrides_with = "no_experimental")]
    experimental: bool,
    /// Not experimental (the default; the official CLI's spelling).
    #[arg(long, hide = true, overrides_with = "experimental")]
    no_experimental: bool,
    /// Private notes (at most 2000 characters).
    #[arg(long, default_value = "", value_name = "TEXT")]
    notes: String,
    /// Skip local validation and send the file as it is.
    #[arg(long)]
    no_validate: bool,
}

/// Arguments of `mkt crowdcent performance`.
#[derive(Debug, clap::Args)]
pub struct PerformanceArgs {
    /// Only this slot.
    #[arg(long)]
    slot: Option<u32>,
    /// Include submissions that have no scores yet.
    #[arg(long, alias = "include-pending")]
    all: bool,
}

pub(super) fn parse_period(s: &str) -> Result<Period, String> {
    s.parse().map_err(|e: crowdcent_client::Error| e.to_string())
}

pub(super) async fn submissions(
    args: SubmissionsArgs,
    ch: &ChallengeClient,
    ctx: &Context,
) -> anyhow::Result<()> {
    match args.command {
        SubmissionsCommand::List { period } => {
            let list = ch.list_submissions(period).await.map_err(fail)?;
            print_submissions(&list, ctx)
        }
        SubmissionsCommand::Get { id } => {
            let s = ch.submission(id).await.map_err(fail)?;
            if ctx.output == OutputFormat::Json {
                return print_json(&s);
            }
            print_submissions(std::slice::from_ref(&s), ctx)?;
            let row = PerformanceRow::from_submission(&s);
            if !row.metrics.is_empty() {
                let mut t = Table::new(["metric", "value"]);
                for (k, v) in &row.metrics {
                    t.row([k.clone(), v.to_string()]);
                }
                println!();
                t.print()?;
            }
            Ok(())
        }
    }
}

pub(super) async fn submit(args: SubmitArgs, ch: &ChallengeClient, ctx: &Context) -> anyhow::Result<()> {
    let options = SubmitOptions {
        slot: args.slot,
        // The flag pairs override each other, so at most one of each pair is set.
        also_queue_next: args.queue_next || !args.no_queue_next,
        is_experimental: args.experimental && !args.no_experimental,
        notes: args.notes,
        validate: !args.no_validate,
        ..SubmitOptions::default()
    };
    if options.validate {
        ctx.info(format!("validating {}", args.file.display()));
    }
    let experimental = options.is_experimental;
    let outcome = ch.submit(args.file, options).await.map_err(fail)?;
    ctx.info(status_line(&outcome, experimental));
    if ctx.output == OutputFormat::Json {
        return print_json(&outcome);
    }
    let r = &outcome.response;
    let mut t = Table::new([
        "result",
        "id",
        "slot",
        "status",
        "matched_ids",
        "unmatched_ids",
        "queued_for_next",
    ]);
    t.row([
        kind_name(outcome.kind).to_owned(),
        r.id.map(|i| i.to_string()).unwrap_or_default(),
        r.slot.map(|s| s.to_string()).unwrap_or_default(),
        r.status.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        r.match_info
            .as_ref()
            .map(|m| m.matched_ids.to_string())
            .unwrap_or_default(),
        r.match_info
            .as_ref()
            .map(|m| m.unmatched_ids.to_string())
            .unwrap_or_default(),
        outcome.queued_for_next().to_string(),
    ]);
    t.print()
}

fn kind_name(kind: SubmitKind) -> &'static str {
    match kind {
        SubmitKind::Created => "created",
        SubmitKind::Replaced => "replaced",
        SubmitKind::Queued => "queued",
    }
}

fn status_line(outcome: &SubmitOutcome, experimental: bool) -> String {
    let mut line = match outcome.kind {
        SubmitKind::Queued => "Submission queued for the next period.".to_owned(),
        SubmitKind::Created => "Submission created.".to_owned(),
        SubmitKind::Replaced => "Submission replaced this slot's earlier one.".to_owned(),
    };
    if let Some(rej) = outcome.queue_rejection() {
        line.push_str(&format!(
            " Queue copy was rejected ({}): {}",
            rej.code,
            rej.message.unwrap_or_default()
        ));
    } else if outcome.queued_for_next() {
        line.push_str(" Also queued for the next period.");
    }
    if experimental {
        line.push_str(" Marked as experimental.");
    }
    line
}

pub(super) async fn performance(
    args: PerformanceArgs,
    ch: &ChallengeClient,
    ctx: &Context,
) -> anyhow::Result<()> {
    let rows = ch
        .performance(PerformanceQuery {
            scored_only: !args.all,
            slot: args.slot,
        })
        .await
        .map_err(fail)?;
    if ctx.output == OutputFormat::Json {
        return print_json(&rows);
    }
    let mut metric_keys: Vec<&String> = rows.iter().flat_map(|r| r.metrics.keys()).collect();
    metric_keys.sort();
    metric_keys.dedup();
    let headers = ["release_date", "slot", "id", "status"]
        .into_iter()
        .map(str::to_owned)
        .chain(metric_keys.iter().map(|k| (*k).clone()));
    let mut t = Table::new(headers);
    for r in &rows {
        let fixed = [
            r.release_date.clone().unwrap_or_default(),
            r.slot.to_string(),
            r.id.to_string(),
            r.status.to_string(),
        ];
        let metrics = metric_keys.iter().map(|k| match r.metric(k) {
            Some(v) => format!("{v:.4}"),
            None => r.metrics.get(*k).map(|v| v.to_string()).unwrap_or_default(),
        });
        t.row(fixed.into_iter().chain(metrics));
    }
    t.print_list(if args.all {
        "submissions"
    } else {
        "scored submissions"
    })
}

fn print_submissions(list: &[Submission], ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(list);
    }
    let mut t = Table::new([
        "id",
        "release_date",
        "slot",
        "status",
        "experimental",
        "submitted_at",
        "notes",
    ]);
    for s in list {
        t.row([
            s.id.to_string(),
            s.inference_data_release_date
                .map(|d| d.date_naive().to_string())
                .unwrap_or_default(),
            s.slot.to_string(),
            s.status.to_string(),
            s.is_experimental.to_string(),
            s.submitted_at.to_rfc3339(),
            s.notes.clone(),
        ]);
    }
    t.print_list("submissions")
}
