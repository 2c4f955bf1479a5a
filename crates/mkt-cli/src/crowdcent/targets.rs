//! `mkt crowdcent targets`: the challenge's ranking targets from a price file.

use std::path::PathBuf;

use anyhow::Context as _;
use crowdcent_client::targets::{create_ranking_targets, TargetOptions};
use crowdcent_client::TargetsError;
use frame_io::{Format, ParquetOptions};
use serde::Serialize;

use crate::context::OutputFormat;
use crate::exit::{self, Failure};
use crate::frame::FormatArg;
use crate::output::{print_json, Table};
use crate::Context;

/// Arguments of `mkt crowdcent targets`.
#[derive(Debug, clap::Args)]
pub struct TargetsArgs {
    /// Prices (CSV or Parquet): one row per ticker and date.
    #[arg(value_name = "PRICES")]
    prices: PathBuf,
    /// Output file (.csv or .parquet; `-` is standard output, as CSV unless --format says
    /// otherwise); replaced atomically.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    out: PathBuf,
    /// Forward-return horizons in days (rows of each ticker), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10,30", value_parser = clap::value_parser!(u32).range(1..))]
    horizons: Vec<u32>,
    /// The price column.
    #[arg(long, default_value = "close", value_name = "COLUMN")]
    price_col: String,
    /// The date column.
    #[arg(long, default_value = "date", value_name = "COLUMN")]
    date_col: String,
    /// The ticker column.
    #[arg(long, default_value = "ticker", value_name = "COLUMN")]
    ticker_col: String,
    /// Keep rows that lack a forward return for some horizon (their targets are empty).
    #[arg(long)]
    keep_incomplete: bool,
    /// Also write the forward returns (`fwd_return_{h}d`).
    #[arg(long)]
    raw_returns: bool,
    /// Output format (default: from OUT's extension; CSV for `-`).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

/// What `--output json` reports.
#[derive(Serialize)]
struct Report {
    input: PathBuf,
    output: PathBuf,
    format: Format,
    rows: usize,
    columns: Vec<String>,
}

pub(super) fn run(args: TargetsArgs, ctx: &Context) -> anyhow::Result<()> {
    let options = TargetOptions {
        horizons: args.horizons.clone(),
        price_col: args.price_col.clone(),
        date_col: args.date_col.clone(),
        ticker_col: args.ticker_col.clone(),
        drop_incomplete: !args.keep_incomplete,
        raw_returns: args.raw_returns,
    };
    let dest = mkt_fs::Destination::user(&args.out)
        .distinct_from(&args.prices)
        .resolve()?;
    let format = match args.format {
        Some(f) => f.into(),
        None if dest.is_stdout() => Format::Csv,
        None => Format::from_extension(&args.out).ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                anyhow::anyhow!("cannot tell the format of {} from its name", args.out.display()),
            )
            .hint("name it .csv or .parquet, or pass --format csv|parquet")
        })?,
    };
    let prices = frame_io::read_frame(&args.prices)
        .with_context(|| format!("could not read the prices {}", args.prices.display()))?;
    let targets = create_ranking_targets(&prices, &options).map_err(|e| {
        let missing = matches!(e, TargetsError::MissingColumn { .. });
        let failure = Failure::new(exit::VALIDATION, e);
        if missing {
            failure.hint("name the columns with --price-col, --date-col and --ticker-col")
        } else {
            failure
        }
    })?;
    let batches = std::slice::from_ref(&targets);
    let bytes = match format {
        Format::Csv => frame_io::to_csv_bytes(batches),
        Format::Parquet => frame_io::to_parquet_bytes(batches, &ParquetOptions::default()),
    }
    .context("could not encode the targets")?;
    dest.write_all(&bytes)
        .with_context(|| format!("could not write {}", dest.shown().display()))?;
    let report = Report {
        input: args.prices,
        output: dest.shown().to_owned(),
        format,
        rows: targets.num_rows(),
        columns: options.added_columns(),
    };
    if dest.is_stdout() {
        // The data went to standard output; a summary there would corrupt it.
        ctx.info(format!("{} rows written to standard output", report.rows));
        return Ok(());
    }
    match ctx.output {
        OutputFormat::Json => print_json(&report),
        OutputFormat::Table => {
            let mut t = Table::new(["input", "output", "rows", "columns"]);
            t.row([
                report.input.display().to_string(),
                report.output.display().to_string(),
                report.rows.to_string(),
                report.columns.join(", "),
            ]);
            t.print()
        }
    }
}
