//! `mkt crowdcent training|inference|meta-model`: arguments, lists and single items.

use clap::Subcommand;
use crowdcent_client::{ChallengeClient, InferenceRef, TrainingVersion};

use super::download::{self, InferenceOptions, OutArgs};
use super::fail;
use super::render::{print_periods, print_training};
use crate::Context;

/// Arguments of `mkt crowdcent training`.
#[derive(Debug, clap::Args)]
pub struct TrainingArgs {
    #[command(subcommand)]
    pub(super) command: TrainingCommand,
}

#[derive(Debug, Subcommand)]
pub(super) enum TrainingCommand {
    /// List the training dataset versions.
    #[command(
        long_about = "List every training dataset version of the challenge: version, whether it is the latest, and when it was uploaded.",
        after_help = "Examples:\n  mkt crowdcent training list\n  mkt crowdcent training list --output json"
    )]
    List,
    /// Show one training dataset (default: latest).
    #[command(
        long_about = "Show one training dataset version (latest is resolved by the server): version, descriptions, upload time and the API download URL.",
        after_help = "Examples:\n  mkt crowdcent training get\n  mkt crowdcent training get 2.0 --output json"
    )]
    Get {
        /// A version such as `2.0`, or `latest`.
        #[arg(default_value = "latest", value_parser = parse_version)]
        version: TrainingVersion,
    },
    /// Download one training dataset (default: latest).
    #[command(
        long_about = "Download one training dataset version. latest is first resolved to its version, which also names the default output file, <slug>_training_v<version>.parquet (.csv with --format csv). A destination ending in .csv gets the server's CSV copy (?as=csv, as the official client asks for it); --format csv|parquet forces either, and standard output (-) gets Parquet unless --format csv. The file comes from the signed storage URL without the API key, is resumed if the connection breaks, and is renamed into place only when complete.",
        after_help = "Examples:\n  mkt crowdcent training download\n  mkt crowdcent training download 2.0 --out train.parquet\n  mkt crowdcent training download --out train.csv\n  mkt crowdcent training download --format csv -o - | head"
    )]
    Download(TrainingDownload),
}

/// `training download [VERSION] [-o PATH] [--format F] [--force]` (also `download-training-data`).
#[derive(Debug, clap::Args)]
pub struct TrainingDownload {
    /// A version such as `2.0`, or `latest`.
    #[arg(default_value = "latest", value_parser = parse_version)]
    pub(super) version: TrainingVersion,
    #[command(flatten)]
    pub(super) out: OutArgs,
}

/// Arguments of `mkt crowdcent inference`.
#[derive(Debug, clap::Args)]
pub struct InferenceArgs {
    #[command(subcommand)]
    pub(super) command: InferenceCommand,
}

#[derive(Debug, Subcommand)]
pub(super) enum InferenceCommand {
    /// List the inference periods.
    #[command(
        long_about = "List every inference period of the challenge: release date, release time, submission deadline, whether it is processed, and the time remaining.",
        after_help = "Examples:\n  mkt crowdcent inference list\n  mkt crowdcent inference list --output json"
    )]
    List,
    /// Show one inference period.
    #[command(
        long_about = "Show one inference period: current (the open one; exit 4 when none is open), latest (the most recently published) or a YYYY-MM-DD release date (checked locally, zero-padded).",
        after_help = "Examples:\n  mkt crowdcent inference get current\n  mkt crowdcent inference get 2025-06-09 --output json"
    )]
    Get {
        /// `current`, `latest` or a `YYYY-MM-DD` release date.
        #[arg(value_parser = parse_which)]
        which: InferenceRef,
    },
    /// Download an inference file (default: the current period's, waiting for it).
    #[command(
        long_about = "Download an inference file: current (the default), latest or a YYYY-MM-DD release date. current waits until the file is published (around 14:00 UTC), retrying every --interval (jittered) until --timeout passes (0 = forever); the challenge is checked first so a wrong slug fails at once, and server errors while waiting are retried. --no-wait fails at once with exit 4 when no period is open. The default output name carries the resolved release date, <slug>_inference_<date>.parquet (.csv with --format csv); a destination ending in .csv gets the server's CSV copy, and standard output (-) gets Parquet unless --format csv. The official CLI's --no-poll and --poll-interval are accepted too.",
        after_help = "Examples:\n  mkt crowdcent inference download\n  mkt crowdcent inference download latest\n  mkt crowdcent inference download 2025-06-09 --out inf.parquet\n  mkt crowdcent inference download --out inf.csv\n  mkt crowdcent inference download --timeout 15m --interval 30s\n  mkt crowdcent inference download --no-wait"
    )]
    Download(InferenceDownload),
}

/// `inference download [WHICH] ...` (WHICH defaults to `current`).
#[derive(Debug, clap::Args)]
pub struct InferenceDownload {
    /// `current`, `latest` or a `YYYY-MM-DD` release date.
    #[arg(default_value = "current", value_parser = parse_which)]
    pub(super) which: InferenceRef,
    #[command(flatten)]
    pub(super) options: InferenceOptions,
}

/// Arguments of `mkt crowdcent meta-model`.
#[derive(Debug, clap::Args)]
pub struct MetaModelArgs {
    #[command(subcommand)]
    pub(super) command: MetaModelCommand,
}

#[derive(Debug, Subcommand)]
pub(super) enum MetaModelCommand {
    /// Download the consolidated meta-model file.
    #[command(
        long_about = "Download the consolidated meta-model file (all releases so far) from its signed storage URL, atomically and resumably, to <slug>_meta_model.parquet by default. A destination ending in .csv gets the server's CSV copy; --format csv|parquet forces either; standard output (-) gets Parquet unless --format csv.",
        after_help = "Examples:\n  mkt crowdcent meta-model download\n  mkt crowdcent meta-model download --out meta.parquet\n  mkt crowdcent meta-model download --out meta.csv"
    )]
    Download(OutArgs),
}

pub(super) fn parse_version(s: &str) -> Result<TrainingVersion, String> {
    s.parse().map_err(|e: crowdcent_client::Error| e.to_string())
}

pub(super) fn parse_which(s: &str) -> Result<InferenceRef, String> {
    s.parse().map_err(|e: crowdcent_client::Error| e.to_string())
}

pub(super) async fn training(args: TrainingArgs, ch: &ChallengeClient, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        TrainingCommand::List => {
            let list = ch.list_training_datasets().await.map_err(fail)?;
            print_training(&list, ctx)
        }
        TrainingCommand::Get { version } => {
            let ds = ch.training_dataset(&version).await.map_err(fail)?;
            if ctx.output == crate::context::OutputFormat::Json {
                return crate::output::print_json(&ds);
            }
            print_training(std::slice::from_ref(&ds), ctx)
        }
        TrainingCommand::Download(d) => download::training(ch, d.version, &d.out, ctx).await,
    }
}

pub(super) async fn inference(
    args: InferenceArgs,
    ch: &ChallengeClient,
    ctx: &Context,
) -> anyhow::Result<()> {
    match args.command {
        InferenceCommand::List => {
            let list = ch.list_inference_periods().await.map_err(fail)?;
            print_periods(&list, ctx)
        }
        InferenceCommand::Get { which } => {
            let p = ch.inference_period(which).await.map_err(fail)?;
            if ctx.output == crate::context::OutputFormat::Json {
                return crate::output::print_json(&p);
            }
            print_periods(std::slice::from_ref(&p), ctx)
        }
        InferenceCommand::Download(d) => download::inference(ch, d.which, &d.options, ctx).await,
    }
}

pub(super) async fn meta_model(
    args: MetaModelArgs,
    ch: &ChallengeClient,
    ctx: &Context,
) -> anyhow::Result<()> {
    let MetaModelCommand::Download(out) = args.command;
    download::meta_model(ch, &out, ctx).await
}
