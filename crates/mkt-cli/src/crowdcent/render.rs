//! Rendering of `mkt crowdcent` data results: tables or JSON, download reports, progress bars.

use std::path::Path;
use std::sync::Arc;

use crowdcent_client::{
    period_date, AuthCheck, Challenge, DataFormat, DownloadReport, InferencePeriod, Progress, TrainingDataset,
};
use indicatif::ProgressBar;

use crate::context::OutputFormat;
use crate::output::{print_json, terminal_safe, Table};
use crate::Context;

/// Prints where a download landed: a status line, or `{path, bytes, format, resumed, restarted}`
/// as JSON.
pub(super) fn downloaded(
    what: &str,
    report: &DownloadReport,
    format: DataFormat,
    ctx: &Context,
) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(&serde_json::json!({
            "path": report.path,
            "bytes": report.bytes,
            "format": format.to_string(),
            "resumed": report.resumed,
            "restarted": report.restarted,
        }));
    }
    if report.path.as_os_str() == "-" {
        // The data went to standard output; a path line would corrupt it.
        ctx.info(format!(
            "{what} written to standard output ({} bytes)",
            report.bytes
        ));
        return Ok(());
    }
    println!("{}", terminal_safe(&report.path.display().to_string()));
    ctx.info(format!(
        "{what} downloaded to {} ({} bytes, {format})",
        report.path.display(),
        report.bytes
    ));
    Ok(())
}

pub(super) fn label(dest: &mkt_fs::Destination) -> String {
    dest.path()
        .and_then(Path::file_name)
        .map_or_else(|| "download".to_owned(), |n| n.to_string_lossy().into_owned())
}

pub(super) fn bar_progress(bar: &ProgressBar) -> Arc<dyn Progress> {
    crate::progress::sink(bar)
}

pub(super) fn print_challenges(list: &[Challenge], ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(list);
    }
    let mut t = Table::new(["slug", "name", "active", "start", "end"]);
    for c in list {
        t.row([
            c.slug.clone(),
            c.name.clone(),
            c.is_active.to_string(),
            c.start_date.to_rfc3339(),
            c.end_date.map(|d| d.to_rfc3339()).unwrap_or_default(),
        ]);
    }
    t.print_list("challenges")
}

pub(super) fn print_auth(who: &AuthCheck, ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(who);
    }
    let mut t = Table::new(["username", "allow_trading", "oms_access", "allow_cloud"]);
    t.row([
        who.username.clone(),
        who.allow_trading.to_string(),
        who.oms_access.to_string(),
        who.allow_cloud.map(|b| b.to_string()).unwrap_or_default(),
    ]);
    t.print()
}

pub(super) fn print_training(list: &[TrainingDataset], ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(list);
    }
    let mut t = Table::new(["version", "latest", "uploaded_at"]);
    for d in list {
        t.row([
            d.version.clone(),
            d.is_latest.to_string(),
            d.uploaded_at.to_rfc3339(),
        ]);
    }
    t.print_list("training datasets")
}

pub(super) fn print_periods(list: &[InferencePeriod], ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        return print_json(list);
    }
    let mut t = Table::new([
        "date",
        "release_date",
        "submission_deadline",
        "processed",
        "time_remaining",
    ]);
    for p in list {
        t.row([
            period_date(p).to_string(),
            p.release_date.to_rfc3339(),
            p.submission_deadline.to_rfc3339(),
            p.is_processed.to_string(),
            p.time_remaining.clone().unwrap_or_default(),
        ]);
    }
    t.print_list("inference periods")
}
