//! `mkt numerbay submit`: validate, then upload the copies the round still needs, with one
//! progress bar per copy; stoppable with Ctrl-C (the table still prints).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use frame_io::RuleSet;
use marketplace_core::Progress;
use marketplace_types::numerbay::{OrderId, Product};
use numerbay_client::plan::{DeliveredCopy, NothingReason, SkippedOrder, UploadTarget};
use numerbay_client::{
    ArtifactSource, NumerBay, ProductRef, SubmitOptions, UploadOptions, UploadProgress, UploadReport,
    DEFAULT_CONCURRENCY,
};
use serde::Serialize;

use super::{fail, parse_order_id, ProductArgs};
use crate::exit::{self, Failure};
use crate::output::{print_json, OutputFormat, Table};
use crate::Context;

/// Arguments of `mkt numerbay submit`.
#[derive(Debug, clap::Args)]
pub(super) struct SubmitArgs {
    /// The file to upload (CSV or Parquet predictions; any file with --no-validate).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    #[command(flatten)]
    pub(super) product: ProductArgs,
    /// Only upload the copy for this order (encrypted products); it must be an active sale.
    #[arg(long, value_name = "ID", value_parser = parse_order_id)]
    order_id: Option<OrderId>,
    /// How many copies to upload at the same time (default 8, or numerbay.concurrency).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: Option<u16>,
    /// Validation rules (default: from the product's category: numerai-classic for Numerai
    /// predictions, numerai-signals for Signals).
    #[arg(long, value_name = "NAME", conflicts_with = "no_validate")]
    rules: Option<String>,
    /// Upload without validating the file first.
    #[arg(long)]
    no_validate: bool,
    /// Send a fresh copy to every target, even those that already hold one for this round.
    #[arg(long)]
    replace: bool,
}

/// One line per upload target (the shared multi-transfer group: aligned, cleared at the end,
/// hidden when stderr is not a terminal).
struct Bars(crate::progress::Transfers);

impl UploadProgress for Bars {
    fn target(&self, target: &UploadTarget) -> Option<Arc<dyn Progress>> {
        Some(crate::progress::sink(&self.0.add(&target.label())))
    }
}

/// The rule set a product's uploads are checked with, from its category slug; `None` for
/// categories without a prediction format (data products), which are only checked for content.
fn rules_for(product: &Product) -> Option<&'static RuleSet> {
    let slug = product.category.as_ref().map(|c| c.slug.as_str())?;
    if !slug.ends_with("predictions") {
        return None;
    }
    let name = if slug.contains("signals") {
        "numerai-signals"
    } else {
        "numerai-classic"
    };
    RuleSet::by_name(name).ok()
}

/// Exit 5 (nothing sent) when the file is empty or breaks `rules`.
async fn validate(path: &Path, rules: Option<&'static RuleSet>, ctx: &Context) -> anyhow::Result<()> {
    let empty = std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(false);
    if empty {
        return Err(Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!("{} is empty; nothing was uploaded", path.display()),
        )
        .hint("write the predictions first")
        .into());
    }
    let Some(rules) = rules else {
        return Ok(());
    };
    ctx.info(format!("validating {} ({})", path.display(), rules.name));
    let p = path.to_owned();
    let report = tokio::task::spawn_blocking(move || frame_io::validate_path(&p, rules, None)).await?;
    if report.is_valid() {
        return Ok(());
    }
    // The report goes line by line to stderr (each line escaped); the error itself is one line.
    for line in report.to_string().lines().skip(1) {
        ctx.info(line);
    }
    Err(Failure::new(
        exit::VALIDATION,
        anyhow::anyhow!(
            "{} is invalid for {} ({}); nothing was uploaded",
            path.display(),
            rules.name,
            crate::output::count(report.violations.len(), "violation", "violations")
        ),
    )
    .hint("fix the file; --rules NAME picks other rules, --no-validate skips the check")
    .into())
}

pub(super) async fn submit(nb: &NumerBay, args: SubmitArgs, ctx: &Context) -> anyhow::Result<()> {
    let product = args.product.required()?;
    exit::input_file(&args.path)?;
    let explicit_rules = match (&args.rules, args.no_validate) {
        (Some(name), _) => Some(RuleSet::by_name(name).map_err(|e| Failure::new(exit::USAGE, e))?),
        _ => None,
    };
    let concurrency = match args.concurrency {
        Some(n) => usize::from(n),
        None => crate::config::Config::load()?
            .get("numerbay.concurrency")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| (1..=64).contains(n))
            .unwrap_or(DEFAULT_CONCURRENCY),
    };
    let product = nb.product(&product).await.map_err(fail)?;
    if !args.no_validate {
        validate(&args.path, explicit_rules.or_else(|| rules_for(&product)), ctx).await?;
    }
    let bars = Arc::new(Bars(crate::progress::Transfers::new(ctx)));
    let options = SubmitOptions {
        upload: UploadOptions {
            concurrency,
            order_id: args.order_id,
            progress: Some(bars.clone()),
        },
        replace: args.replace,
        stop: Some(Arc::new(crate::stop::requested) as numerbay_client::StopCheck),
    };
    // Ctrl-C stops new copies; the ones in flight finish and the table below still prints.
    let _graceful = crate::stop::graceful();
    let result = nb
        .submit(
            &ProductRef::Id(product.id),
            ArtifactSource::path(&args.path),
            options,
        )
        .await;
    bars.0.finish();
    let report = result.map_err(fail)?;
    if report.plan.nothing == Some(NothingReason::OrderNotActive) {
        let order = args.order_id.map_or_else(String::new, |o| o.to_string());
        return Err(Failure::new(
            exit::NOT_FOUND,
            anyhow::anyhow!(
                "order {order} is not an active sale of {} (confirmed, covering round {}); nothing was uploaded",
                report.sku,
                report.selling_round
            ),
        )
        .hint("`mkt numerbay sales --active` lists the orders an upload delivers to")
        .into());
    }
    print_report(&report, ctx)?;
    if report.is_stopped() {
        // `main` prints the bare "error: interrupted" line; the counts go before it.
        let delivered = report.succeeded().count();
        ctx.info(format!(
            "interrupted: {delivered} cop{} delivered, {} not sent; run the same command again to send \
only what is missing",
            if delivered == 1 { "y" } else { "ies" },
            report.not_sent.len()
        ));
        return Err(Failure::new(
            exit::interrupted_code().unwrap_or(exit::INTERRUPTED),
            anyhow::anyhow!("interrupted"),
        )
        .into());
    }
    let failed = report.failed().count();
    if failed > 0 {
        let orders: Vec<String> = report.failed_orders().iter().map(ToString::to_string).collect();
        let which = if orders.is_empty() {
            String::new()
        } else {
            format!(" (orders {})", orders.join(", "))
        };
        return Err(Failure::new(
            exit::FAILED,
            anyhow::anyhow!("{failed} of {} uploads failed{which}", report.results.len()),
        )
        .hint(
            "run the same command again to send the missing copies; a failed copy's pending artifact \
counts as in flight for 15 minutes, so to resend one order's copy now use --order-id ID --replace",
        )
        .into());
    }
    Ok(())
}

/// JSON form of an upload report.
#[derive(Serialize)]
struct ReportJson<'a> {
    product_id: u64,
    product: &'a str,
    selling_round: u32,
    nothing_to_upload: Option<&'a NothingReason>,
    skipped: &'a [SkippedOrder],
    already_delivered: &'a [DeliveredCopy],
    results: Vec<ResultJson<'a>>,
    not_sent: &'a [UploadTarget],
    interrupted: bool,
}

#[derive(Serialize)]
struct ResultJson<'a> {
    target: &'a UploadTarget,
    ok: bool,
    artifact_id: Option<String>,
    bytes: Option<u64>,
    sealed_to: Option<&'a str>,
    error: Option<ErrorJson>,
}

#[derive(Serialize)]
struct ErrorJson {
    stage: numerbay_client::UploadStage,
    message: String,
    status: Option<u16>,
}

fn print_report(report: &UploadReport, ctx: &Context) -> anyhow::Result<()> {
    if ctx.output == OutputFormat::Json {
        let results = report
            .results
            .iter()
            .map(|r| match &r.outcome {
                Ok(a) => ResultJson {
                    target: &r.target,
                    ok: true,
                    artifact_id: Some(a.artifact_id.to_string()),
                    bytes: Some(a.bytes),
                    sealed_to: a.sealed_to.as_deref(),
                    error: None,
                },
                Err(e) => ResultJson {
                    target: &r.target,
                    ok: false,
                    artifact_id: e.artifact_id.as_ref().map(ToString::to_string),
                    bytes: None,
                    sealed_to: None,
                    error: Some(ErrorJson {
                        stage: e.stage,
                        message: e.source.to_string(),
                        status: e.source.http().and_then(|h| h.status()),
                    }),
                },
            })
            .collect();
        return print_json(&ReportJson {
            product_id: report.product_id.get(),
            product: &report.sku,
            selling_round: report.selling_round,
            nothing_to_upload: report.plan.nothing.as_ref(),
            skipped: &report.plan.skipped,
            already_delivered: &report.plan.delivered,
            results,
            not_sent: &report.not_sent,
            interrupted: report.is_stopped(),
        });
    }
    let delivered = report.plan.delivered.len();
    if report.is_nothing_to_upload() && delivered == 0 {
        ctx.info(format!(
            "nothing to upload to {} for round {}: the product is encrypted and has no active sale \
(confirmed, covering the selling round)",
            report.sku, report.selling_round
        ));
        return Ok(());
    }
    let mut t = Table::new(["target", "status", "artifact", "bytes"]);
    for d in &report.plan.delivered {
        t.row([
            d.target.label(),
            "already delivered".to_owned(),
            d.artifact_id.to_string(),
            "-".to_owned(),
        ]);
    }
    for r in &report.results {
        match &r.outcome {
            Ok(a) => t.row([
                r.target.label(),
                "delivered".to_owned(),
                a.artifact_id.to_string(),
                a.bytes.to_string(),
            ]),
            Err(e) => t.row([
                r.target.label(),
                format!("FAILED: {e}: {}", e.source),
                e.artifact_id
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
                "-".to_owned(),
            ]),
        }
    }
    for target in &report.not_sent {
        t.row([
            target.label(),
            "not sent".to_owned(),
            "-".to_owned(),
            "-".to_owned(),
        ]);
    }
    t.print()?;
    let mut summary = format!(
        "{}: {} of {} uploaded for round {}",
        report.sku,
        report.succeeded().count(),
        crate::output::count(report.results.len() + report.not_sent.len(), "copy", "copies"),
        report.selling_round
    );
    if delivered > 0 {
        summary.push_str(&format!(
            "; {delivered} already delivered; --replace sends this file again"
        ));
    }
    ctx.info(summary);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(slug: &str) -> Product {
        let json = serde_json::json!({
            "id": 1, "name": "m", "sku": format!("{slug}-m"),
            "category": {"name": "c", "slug": slug, "id": 2}
        });
        serde_json::from_value(json).expect("a product")
    }

    #[test]
    fn rules_follow_the_category() {
        let name = |slug: &str| rules_for(&product(slug)).map(|r| r.name);
        assert_eq!(name("numerai-predictions"), Some("numerai-classic"));
        assert_eq!(name("signals-predictions"), Some("numerai-signals"));
        assert_eq!(name("signals-data"), None);
    }
}
