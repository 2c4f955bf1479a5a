//! `mkt numerbay submit` and `mkt numerbay download`: transfers with progress bars.

use std::path::PathBuf;
use std::sync::Arc;

use marketplace_core::Progress;
use marketplace_types::numerbay::{ArtifactId, OrderId};
use numerbay_client::plan::{NothingReason, SkippedOrder, UploadTarget};
use numerbay_client::{
    ArtifactSource, DownloadOptions, DownloadRequest, NumerBay, UploadOptions, UploadProgress, UploadReport,
    DEFAULT_CONCURRENCY,
};
use serde::Serialize;

use super::{fail, parse_artifact_id, parse_order_id, ProductArgs};
use crate::exit::{self, Failure};
use crate::output::{count, print_json, OutputFormat, Table};
use crate::Context;

/// Arguments of `mkt numerbay submit`.
#[derive(Debug, clap::Args)]
pub(super) struct SubmitArgs {
    /// The file to upload (any format; CSV or Parquet for Numerai).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    #[command(flatten)]
    pub(super) product: ProductArgs,
    /// Only upload the copy for this order (encrypted products).
    #[arg(long, value_name = "ID", value_parser = parse_order_id)]
    order_id: Option<OrderId>,
    /// How many copies to upload at the same time (default 4, or numerbay.concurrency).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: Option<u16>,
}

/// Arguments of `mkt numerbay download`.
#[derive(Debug, clap::Args)]
pub(super) struct DownloadArgs {
    #[command(flatten)]
    pub(super) product: ProductArgs,
    /// The order whose file to download.
    #[arg(long, value_name = "ID", value_parser = parse_order_id)]
    pub(super) order_id: Option<OrderId>,
    /// An exact artifact: an integer (product artifact) or 32 hex characters (order artifact).
    #[arg(long, value_name = "ID", value_parser = parse_artifact_id)]
    pub(super) artifact_id: Option<ArtifactId>,
    /// Key file exported from NumerBay (numerbay.json), for files sealed to your key.
    #[arg(long, value_name = "FILE", env = "NUMERBAY_KEY_PATH", hide_env_values = true)]
    key_file: Option<PathBuf>,
    /// Destination file, existing directory or - for standard output (default: the artifact's
    /// name, reduced to a safe file name, in the current directory).
    #[arg(long, short = 'o', value_name = "PATH")]
    out: Option<PathBuf>,
    /// Let the artifact's own name replace an existing file (a path given with --out is always
    /// replaced).
    #[arg(long)]
    force: bool,
}

/// One line per upload target.
struct Bars(crate::progress::Transfers);

impl UploadProgress for Bars {
    fn target(&self, target: &UploadTarget) -> Option<Arc<dyn Progress>> {
        Some(crate::progress::sink(&self.0.add(&target.label())))
    }
}

pub(super) async fn submit(nb: &NumerBay, args: SubmitArgs, ctx: &Context) -> anyhow::Result<()> {
    let product = args.product.required()?;
    exit::input_file(&args.path)?;
    let concurrency = match args.concurrency {
        Some(n) => usize::from(n),
        None => crate::config::Config::load()?
            .get("numerbay.concurrency")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| (1..=64).contains(n))
            .unwrap_or(DEFAULT_CONCURRENCY),
    };
    let bars = Arc::new(Bars(crate::progress::Transfers::new(ctx)));
    let options = UploadOptions {
        concurrency,
        order_id: args.order_id,
        progress: Some(bars.clone()),
    };
    let result = nb
        .upload_artifact(&product, ArtifactSource::path(&args.path), options)
        .await;
    bars.0.finish();
    let report = result.map_err(fail)?;
    print_report(&report, ctx)?;
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
            anyhow::anyhow!(
                "{failed} of {} failed{which}",
                count(report.results.len(), "upload", "uploads")
            ),
        )
        .hint("rerun with --order-id ID to retry one order's copy")
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
    results: Vec<ResultJson<'a>>,
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
            results,
        });
    }
    if report.is_nothing_to_upload() {
        let why = match report.plan.nothing {
            Some(NothingReason::OrderNotActive) => "the order is not an active sale of this product",
            _ => "the product is encrypted and has no active sale (confirmed, covering the selling round)",
        };
        ctx.info(format!(
            "nothing to upload to {} for round {}: {why}",
            report.sku, report.selling_round
        ));
        return Ok(());
    }
    let mut t = Table::new(["target", "result", "bytes"]);
    for r in &report.results {
        match &r.outcome {
            Ok(a) => t.row([
                r.target.label(),
                format!("artifact {}", a.artifact_id),
                a.bytes.to_string(),
            ]),
            Err(e) => t.row([
                r.target.label(),
                format!("FAILED: {e}: {}", e.source),
                "-".to_owned(),
            ]),
        }
    }
    t.print()?;
    ctx.info(format!(
        "{}: {} of {} uploaded for round {}",
        report.sku,
        report.succeeded().count(),
        count(report.results.len(), "copy", "copies"),
        report.selling_round
    ));
    Ok(())
}

pub(super) async fn download(nb: &NumerBay, args: DownloadArgs, ctx: &Context) -> anyhow::Result<()> {
    let key_path = match args.key_file {
        Some(p) => Some(p),
        None => crate::config::Config::load()?
            .get("numerbay.key_file")
            .map(PathBuf::from),
    };
    let key_pair = match key_path {
        Some(path) => {
            let loaded = artifact_crypto::load_key_file(&path).map_err(|e| {
                Failure::new(exit::AUTH, e)
                    .hint("export the key file from the NumerBay web app, or run `mkt keys generate`")
            })?;
            for w in &loaded.warnings {
                ctx.info(format!("warning: {w}"));
            }
            Some(loaded.key_pair)
        }
        None => None,
    };
    let bar = crate::progress::bytes_bar(ctx, None, "download");
    let request = DownloadRequest {
        product: args.product.get(),
        order_id: args.order_id,
        artifact_id: args.artifact_id,
    };
    let options = DownloadOptions {
        key_pair,
        dest: args.out,
        overwrite: args.force,
        progress: Some(crate::progress::sink(&bar)),
    };
    let result = nb.download(&request, options).await;
    bar.finish_and_clear();
    let outcome = result.map_err(fail)?;
    if let Some(name) = &outcome.renamed_from {
        ctx.info(format!(
            "the server's file name {name:?} is not a safe file name; saved as {}",
            outcome.path.display()
        ));
    }
    if outcome.path.as_os_str() == "-" {
        // The data went to standard output; a summary there would corrupt it.
        ctx.info(format!(
            "{} written to standard output",
            count(outcome.bytes, "byte", "bytes")
        ));
        return Ok(());
    }
    if ctx.output == OutputFormat::Json {
        return print_json(&outcome);
    }
    let mut t = Table::new(["path", "bytes", "artifact", "order", "decrypted"]);
    t.row([
        outcome.path.display().to_string(),
        outcome.bytes.to_string(),
        outcome.artifact_id.to_string(),
        outcome.order_id.map_or_else(|| "-".to_owned(), |o| o.to_string()),
        if outcome.decrypted { "yes" } else { "no" }.to_owned(),
    ]);
    t.print()
}
