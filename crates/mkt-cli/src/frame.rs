//! `mkt frame`: convert CSV ↔ Parquet, validate prediction files, inspect frames.

mod render;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use frame_io::arrow::datatypes::DataType;
use frame_io::{
    validate, Compression, ConvertOptions, CsvOptions, Format, ParquetOptions, ReadOptions, RuleSet,
};

use crate::context::OutputFormat;
use crate::{exit, output, progress, Context};

/// Arguments of `mkt frame`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Work with prediction and dataset frames locally, without any network access: convert \
between CSV (as pandas writes it) and Parquet in constant memory, validate a prediction file against a \
tournament's rules before submitting it, and inspect a file's schema and contents.",
    after_help = "Examples:\n  mkt frame convert preds.csv preds.parquet\n  mkt frame validate preds.csv --rules numerai-classic\n  mkt frame validate sub.parquet --rules crowdcent-hyperliquid --inference inference.parquet\n  mkt frame inspect train.parquet"
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: FrameCommand,
}

/// The `mkt frame` subcommands.
#[derive(Debug, Subcommand)]
pub enum FrameCommand {
    /// Convert CSV ↔ Parquet, streaming, in bounded memory.
    #[command(
        long_about = "Convert a CSV file to Parquet or back, batch by batch, so memory stays bounded (well \
under 64 MiB) whatever the file size. The output format comes from OUT's extension (.csv, .parquet) unless \
--format is given. CSV output is byte-for-byte what pandas `to_csv(index=False)` writes (floats in shortest \
round-trip form, empty cells for nulls); pandas' generated `__index_level_N__` columns are dropped. The output \
is written to a temporary file next to OUT and renamed over it only on success.",
        after_help = "Examples:\n  mkt frame convert preds.csv preds.parquet\n  mkt frame convert preds.parquet preds.csv\n  mkt frame convert big.csv big.parquet --compression zstd\n  mkt frame convert data.bin out.pq --input-format csv --format parquet\n  mkt frame convert ids.csv ids.parquet --schema id:string"
    )]
    Convert(ConvertArgs),
    /// Check a prediction file against a tournament's submission rules.
    #[command(
        long_about = "Validate a CSV or Parquet prediction file against a named rule set and report every \
violation (rule, column, count and the first offending rows), not just the first. Rule sets: \
numerai-classic (id + prediction in [0, 1]), numerai-signals (a ticker column such as numerai_ticker or \
bloomberg_ticker + signal in [0, 1]), crowdcent-hyperliquid (id + pred_10d + pred_30d in [0, 1], at least 80 \
ids). With --inference, ids are matched against the inference file like the server's match_info, and only \
matching ids count towards the minimum. Exits 0 when valid and 5 when not.",
        after_help = "Examples:\n  mkt frame validate preds.csv --rules numerai-classic\n  mkt frame validate signals.csv --rules numerai-signals\n  mkt frame validate sub.parquet --rules crowdcent-hyperliquid --inference inference.parquet\n  mkt frame validate sub.parquet --rules crowdcent-hyperliquid --output json"
    )]
    Validate(ValidateArgs),
    /// Show a frame's schema, row count, nulls, numeric ranges and first rows.
    #[command(
        long_about = "Read a CSV or Parquet file once, streaming, and summarise it: the column types, the \
number of rows, null (and NaN) counts, min and max of every numeric column, pandas index columns, and the \
first rows.",
        after_help = "Examples:\n  mkt frame inspect preds.csv\n  mkt frame inspect train.parquet --head 10\n  mkt frame inspect train.parquet --output json"
    )]
    Inspect(InspectArgs),
}

/// A file format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Parquet => Format::Parquet,
        }
    }
}

/// A Parquet codec on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompressionArg {
    /// Zstandard level 1: about a third smaller files, a little slower.
    Zstd,
    /// Snappy (the default, like pandas and pyarrow): fastest.
    Snappy,
    /// Uncompressed.
    None,
}

impl From<CompressionArg> for Compression {
    fn from(c: CompressionArg) -> Self {
        match c {
            CompressionArg::Zstd => Compression::Zstd,
            CompressionArg::Snappy => Compression::Snappy,
            CompressionArg::None => Compression::None,
        }
    }
}

/// Options of CSV input shared by the subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Read the input as this format instead of going by its extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<FormatArg>,
    /// Force a CSV column's type, e.g. `id:string` or `prediction:float64` (repeatable).
    /// Types: string, float64, float32, int64, bool, date.
    #[arg(long = "schema", value_name = "COLUMN:TYPE", value_parser = parse_override)]
    pub overrides: Vec<(String, DataType)>,
}

impl InputArgs {
    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format.map(Into::into),
            csv: CsvOptions {
                overrides: self.overrides.clone(),
                ..CsvOptions::default()
            },
            ..ReadOptions::default()
        }
    }
}

/// Arguments of `mkt frame convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Input file (.csv or .parquet).
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Output file; replaced atomically.
    #[arg(value_name = "OUT")]
    pub dest: PathBuf,
    /// Output format (default: from OUT's extension).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Parquet compression codec.
    #[arg(long, value_enum, default_value_t = CompressionArg::Snappy)]
    pub compression: CompressionArg,
    /// Input options.
    #[command(flatten)]
    pub input_args: InputArgs,
}

/// Arguments of `mkt frame validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The prediction file (.csv or .parquet).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The rule set: numerai-classic, numerai-signals or crowdcent-hyperliquid.
    #[arg(long, value_name = "RULES", value_parser = clap::builder::PossibleValuesParser::new(RuleSet::names()))]
    pub rules: String,
    /// An inference file whose ids the submission is matched against.
    #[arg(long, value_name = "FILE")]
    pub inference: Option<PathBuf>,
    /// Input options.
    #[command(flatten)]
    pub input_args: InputArgs,
}

/// Arguments of `mkt frame inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// The file (.csv or .parquet).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How many first rows to show.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub head: usize,
    /// Input options.
    #[command(flatten)]
    pub input_args: InputArgs,
}

fn parse_override(s: &str) -> Result<(String, DataType), String> {
    let (name, ty) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("expected COLUMN:TYPE, got {s:?}"))?;
    let ty = match ty.to_ascii_lowercase().as_str() {
        "string" | "str" | "utf8" => DataType::Utf8,
        "float64" | "double" | "float" => DataType::Float64,
        "float32" => DataType::Float32,
        "int64" | "int" => DataType::Int64,
        "bool" | "boolean" => DataType::Boolean,
        "date" | "date32" => DataType::Date32,
        other => {
            return Err(format!(
                "unknown type {other:?}; use string, float64, float32, int64, bool or date"
            ))
        }
    };
    if name.is_empty() {
        return Err("the column name is empty".into());
    }
    Ok((name.to_owned(), ty))
}

/// Runs `mkt frame`.
///
/// # Errors
/// Read/convert failures (exit 1) and invalid predictions (exit 5).
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        FrameCommand::Convert(a) => convert(a, ctx).await,
        FrameCommand::Validate(a) => validate_cmd(a, ctx).await,
        FrameCommand::Inspect(a) => inspect(a, ctx).await,
    }
}

async fn convert(args: ConvertArgs, ctx: &Context) -> anyhow::Result<()> {
    let options = ConvertOptions {
        output_format: args.format.map(Into::into),
        read: args.input_args.read_options(),
        parquet: ParquetOptions {
            compression: args.compression.into(),
            ..ParquetOptions::default()
        },
        chunk_bytes: None,
    };
    let total = std::fs::metadata(&args.input).map(|m| m.len()).ok();
    let bar = progress::bytes_bar(ctx, total, "converting");
    let started = Instant::now();
    let (input, output) = (args.input.clone(), args.dest.clone());
    let cb_bar = bar.clone();
    let report = tokio::task::spawn_blocking(move || {
        let cb = move |done: u64, _total: u64| cb_bar.set_position(done);
        frame_io::convert(&input, &output, &options, Some(&cb))
    })
    .await
    .context("the conversion task stopped")?;
    bar.finish_and_clear();
    let report = report.with_context(|| format!("could not convert {}", args.input.display()))?;
    if args.dest.as_os_str() == "-" {
        // The data went to standard output; a summary there would corrupt it.
        ctx.info(format!(
            "{} written to standard output",
            crate::output::count(report.rows, "row", "rows")
        ));
        return Ok(());
    }
    match ctx.output {
        OutputFormat::Json => output::print_json(&report),
        OutputFormat::Table => render::convert_report(&report, started.elapsed()).print(),
    }
}

async fn validate_cmd(args: ValidateArgs, ctx: &Context) -> anyhow::Result<()> {
    // An unreadable file is an error (1), not a verdict on its contents (5).
    crate::exit::input_file(&args.file)?;
    let rules = RuleSet::by_name(&args.rules)?;
    let read = args.input_args.read_options();
    let file = args.file.clone();
    let inference = args.inference.clone();
    let report = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let ids =
            match &inference {
                Some(path) => Some(validate::load_ids(path, rules).with_context(|| {
                    format!("could not read the ids of inference file {}", path.display())
                })?),
                None => None,
            };
        Ok(validate::validate_path_with(&file, &read, rules, ids.as_ref()))
    })
    .await
    .context("the validation task stopped")??;
    match ctx.output {
        OutputFormat::Json => output::print_json(&report)?,
        OutputFormat::Table => render::print(&render::validation_report(&report))?,
    }
    if report.is_valid() {
        return Ok(());
    }
    let n = report.violations.len();
    let first = report
        .violations
        .first()
        .map(|v| format!(" (first: {}/{})", report.rule_set, v.rule));
    Err(exit::Failure::new(
        exit::VALIDATION,
        anyhow::anyhow!(
            "{} does not satisfy {}: {}{}",
            args.file.display(),
            report.rule_set,
            crate::output::count(n, "violation", "violations"),
            first.unwrap_or_default()
        ),
    )
    .hint("fix the listed rows and validate again; nothing was submitted")
    .into())
}

async fn inspect(args: InspectArgs, ctx: &Context) -> anyhow::Result<()> {
    let read = args.input_args.read_options();
    let file = args.file.clone();
    let head = args.head;
    let summary = tokio::task::spawn_blocking(move || frame_io::inspect(&file, &read, head))
        .await
        .context("the inspect task stopped")?
        .with_context(|| format!("could not inspect {}", args.file.display()))?;
    match ctx.output {
        OutputFormat::Json => output::print_json(&summary),
        OutputFormat::Table => render::inspection(&summary),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn ctx() -> Context {
        Context {
            output: OutputFormat::Json,
            base_url: None,
            quiet: true,
            verbose: 0,
            progress: false,
        }
    }

    fn frame_args(argv: &[&str]) -> Args {
        let cli = crate::Cli::try_parse_from(argv).unwrap();
        match cli.command {
            crate::Command::Frame(args) => args,
            other => panic!("parsed as {other:?}"),
        }
    }

    fn scratch(name: &str, body: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mkt-frame-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        path
    }

    #[test]
    fn convert_flags_parse() {
        let args = frame_args(&[
            "mkt",
            "frame",
            "convert",
            "a.csv",
            "b.out",
            "--format",
            "parquet",
            "--compression",
            "zstd",
            "--schema",
            "id:string",
            "--output",
            "json",
        ]);
        let FrameCommand::Convert(c) = args.command else {
            panic!("not convert")
        };
        assert_eq!(c.format, Some(FormatArg::Parquet));
        assert_eq!(c.compression, CompressionArg::Zstd);
        assert_eq!(c.input_args.overrides, [("id".to_owned(), DataType::Utf8)]);
        assert!(
            crate::Cli::try_parse_from(["mkt", "frame", "validate", "x.csv", "--rules", "bogus"]).is_err()
        );
    }

    #[tokio::test]
    async fn invalid_predictions_exit_with_validation_code() {
        let bad = scratch("bad.csv", "id,prediction\nn1,0.5\nn1,2\n");
        let argv = [
            "mkt",
            "frame",
            "validate",
            bad.to_str().unwrap(),
            "--rules",
            "numerai-classic",
        ];
        let err = run(frame_args(&argv), &ctx()).await.unwrap_err();
        assert_eq!(exit::code_for(&err), exit::VALIDATION);
        let text = err.to_string();
        assert!(
            text.contains("bad.csv") && text.contains("numerai-classic"),
            "{text}"
        );

        let good = scratch("good.csv", "id,prediction\nn1,0.5\nn2,0.25\n");
        let argv = [
            "mkt",
            "frame",
            "validate",
            good.to_str().unwrap(),
            "--rules",
            "numerai-classic",
        ];
        run(frame_args(&argv), &ctx()).await.unwrap();
    }

    #[tokio::test]
    async fn convert_and_inspect_run() {
        let csv = scratch("conv.csv", "id,prediction\nn1,0.5\nn2,1e-05\n");
        let pq = csv.with_extension("parquet");
        let back = csv.with_file_name("back.csv");
        for (from, to) in [(&csv, &pq), (&pq, &back)] {
            let argv = [
                "mkt",
                "frame",
                "convert",
                from.to_str().unwrap(),
                to.to_str().unwrap(),
            ];
            run(frame_args(&argv), &ctx()).await.unwrap();
        }
        assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&csv).unwrap());
        let argv = ["mkt", "frame", "inspect", pq.to_str().unwrap(), "--head", "1"];
        run(frame_args(&argv), &ctx()).await.unwrap();
        let missing = csv.with_file_name("missing.csv");
        let argv = ["mkt", "frame", "inspect", missing.to_str().unwrap()];
        let err = run(frame_args(&argv), &ctx()).await.unwrap_err();
        assert_eq!(exit::code_for(&err), exit::FAILED);
        assert!(format!("{err:#}").contains("missing.csv"));
    }

    #[test]
    fn schema_overrides_parse() {
        assert_eq!(
            parse_override("id:string").unwrap(),
            ("id".into(), DataType::Utf8)
        );
        assert_eq!(parse_override("a:b:float32").unwrap().0, "a:b");
        assert!(parse_override("id").is_err());
        assert!(parse_override("id:blob").unwrap_err().contains("unknown type"));
        assert!(parse_override(":int").is_err());
    }
}
