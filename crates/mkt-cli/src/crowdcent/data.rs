//! `mkt crowdcent training|inference|meta-model` and the challenge/auth renderers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Subcommand;
use crowdcent_client::{
    period_date, ChallengeClient, DownloadReport, InferenceRef, ReleaseDate, TrainingVersion, WaitOptions,
};

use super::fail;
use super::render::{bar_progress, downloaded, label, print_periods, print_training};
use crate::dest::out_or_default;
use crate::duration::parse_duration;
use crate::{exit, progress, Context};

/// Arguments of `mkt crowdcent training`.
#[derive(Debug, clap::Args)]
pub struct TrainingArgs {
    #[command(subcommand)]
    command: TrainingCommand,
}

#[derive(Debug, Subcommand)]
enum TrainingCommand {
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
        long_about = "Download one training dataset version. latest is first resolved to its version, which also names the default output file. The file comes from the signed storage URL without the API key, is resumed if the connection breaks, and is renamed into place only when complete.",
        after_help = "Examples:\n  mkt crowdcent training download\n  mkt crowdcent training download 2.0 --out train.parquet"
    )]
    Download {
        /// A version such as `2.0`, or `latest`.
        #[arg(default_value = "latest", value_parser = parse_version)]
        version: TrainingVersion,
        /// Destination file, directory or - for standard output (default:
        /// `<slug>_training_v<version>.parquet`).
        #[arg(short = 'o', long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Let the default file name replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// Arguments of `mkt crowdcent inference`.
#[derive(Debug, clap::Args)]
pub struct InferenceArgs {
    #[command(subcommand)]
    command: InferenceCommand,
}

#[derive(Debug, Subcommand)]
enum InferenceCommand {
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
    /// Download an inference file (default: the current period's).
    #[command(
        long_about = "Download an inference file: current (the default), latest or a YYYY-MM-DD release date. The default output name carries the resolved release date. With --wait (current only) the download is retried every --interval (jittered) until the file is published or --timeout passes (0 = forever); the challenge is checked first so a wrong slug fails at once, and server errors while waiting are retried.",
        after_help = "Examples:\n  mkt crowdcent inference download\n  mkt crowdcent inference download latest\n  mkt crowdcent inference download 2025-06-09 --out inf.parquet\n  mkt crowdcent inference download --wait --timeout 15m --interval 30s"
    )]
    Download {
        /// `current`, `latest` or a `YYYY-MM-DD` release date.
        #[arg(default_value = "current", value_parser = parse_which)]
        which: InferenceRef,
        /// Destination file, directory or - for standard output (default:
        /// `<slug>_inference_<date>.parquet`).
        #[arg(short = 'o', long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Let the default file name replace an existing file.
        #[arg(long)]
        force: bool,
        /// Wait until the current file is published (only with `current`).
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this long (`30`, `30s`, `15m`, `1h`; `0` waits forever).
        #[arg(long, default_value = "15m", value_parser = parse_duration, value_name = "DURATION")]
        timeout: Duration,
        /// Pause between attempts while waiting (jittered by ±10 %).
        #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
        interval: Duration,
    },
}

/// Arguments of `mkt crowdcent meta-model`.
#[derive(Debug, clap::Args)]
pub struct MetaModelArgs {
    #[command(subcommand)]
    command: MetaModelCommand,
}

#[derive(Debug, Subcommand)]
enum MetaModelCommand {
    /// Download the consolidated meta-model file.
    #[command(
        long_about = "Download the consolidated meta-model file (all releases so far) from its signed storage URL, atomically and resumably.",
        after_help = "Examples:\n  mkt crowdcent meta-model download\n  mkt crowdcent meta-model download --out meta.parquet"
    )]
    Download {
        /// Destination file, directory or - for standard output (default:
        /// `<slug>_meta_model.parquet`).
        #[arg(short = 'o', long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Let the default file name replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

fn parse_version(s: &str) -> Result<TrainingVersion, String> {
    s.parse().map_err(|e: crowdcent_client::Error| e.to_string())
}

fn parse_which(s: &str) -> Result<InferenceRef, String> {
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
        TrainingCommand::Download { version, out, force } => {
            // The default name carries the resolved version, never the word `latest`.
            let version = ch.resolve_training_version(&version).await.map_err(fail)?;
            let default = format!("{}_training_v{version}.parquet", ch.slug());
            let dest = out_or_default(out.as_deref(), &default, force)?;
            let bar = progress::bytes_bar(ctx, None, &label(&dest));
            let report = ch
                .download_training_dataset(
                    &TrainingVersion::Version(version),
                    &dest,
                    Some(bar_progress(&bar)),
                )
                .await
                .map_err(fail)?;
            bar.finish_and_clear();
            downloaded("training data", &report, ctx)
        }
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
        InferenceCommand::Download {
            which,
            out,
            force,
            wait,
            timeout,
            interval,
        } => {
            if wait && which != InferenceRef::Current {
                return Err(exit::Failure::new(
                    exit::USAGE,
                    anyhow::anyhow!("--wait only applies to the current period"),
                )
                .hint("drop --wait, or download `current`")
                .into());
            }
            let options = WaitOptions {
                interval,
                timeout: (!timeout.is_zero()).then_some(timeout),
                ..WaitOptions::default()
            };
            download_inference(ch, which, out, force, wait.then_some(options), ctx).await
        }
    }
}

async fn download_inference(
    ch: &ChallengeClient,
    which: InferenceRef,
    out: Option<PathBuf>,
    force: bool,
    wait: Option<WaitOptions>,
    ctx: &Context,
) -> anyhow::Result<()> {
    let name = |date: ReleaseDate| format!("{}_inference_{date}.parquet", ch.slug());
    let date = match (&out, which) {
        (Some(_), _) => None,
        (None, InferenceRef::Date(d)) => Some(d),
        (None, InferenceRef::Latest) => Some(ch.resolve_inference_date(which).await.map_err(fail)?),
        (None, InferenceRef::Current) => match ch.inference_period(which).await {
            Ok(p) => Some(period_date(&p)),
            // Not open yet: wait under a provisional name, then name it after the period.
            Err(e) if e.is_not_found() && wait.is_some() => {
                return wait_then_name(ch, wait.unwrap_or_default(), name, force, ctx).await;
            }
            Err(e) => return Err(not_open_hint(e)),
        },
    };
    let default = date.map_or_else(|| format!("{}_inference.parquet", ch.slug()), name);
    let dest = out_or_default(out.as_deref(), &default, force)?;
    let bar = progress::bytes_bar(ctx, None, &label(&dest));
    let report = match (wait, which) {
        (Some(options), InferenceRef::Current) => {
            let spinner_note = format!("waiting for the {} inference file", ch.slug());
            ctx.info(&spinner_note);
            ch.wait_for_inference(&dest, options, Some(bar_progress(&bar)))
                .await
                .map_err(fail)?
                .download
        }
        _ => ch
            .download_inference(which, &dest, Some(bar_progress(&bar)))
            .await
            .map_err(|e| {
                if which == InferenceRef::Current {
                    not_open_hint(e)
                } else {
                    fail(e)
                }
            })?,
    };
    bar.finish_and_clear();
    downloaded("inference data", &report, ctx)
}

async fn wait_then_name(
    ch: &ChallengeClient,
    options: WaitOptions,
    name: impl Fn(ReleaseDate) -> String,
    force: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    // The release date names the file, and it is known only once the file is out.
    let provisional = out_or_default(None, &format!("{}_inference_pending.parquet", ch.slug()), force)?;
    ctx.info(format!("waiting for the {} inference file", ch.slug()));
    let bar = progress::bytes_bar(ctx, None, "inference");
    let report = ch
        .wait_for_inference(&provisional, options, Some(bar_progress(&bar)))
        .await
        .map_err(fail)?;
    bar.finish_and_clear();
    let date = ch
        .resolve_inference_date(InferenceRef::Current)
        .await
        .map_err(fail)?;
    let dest = out_or_default(None, &name(date), force)?;
    dest.place(&report.download.path)?;
    let report = DownloadReport {
        path: dest.path().map(Path::to_path_buf).unwrap_or_default(),
        ..report.download
    };
    downloaded("inference data", &report, ctx)
}

fn not_open_hint(e: crowdcent_client::Error) -> anyhow::Error {
    let not_found = e.is_not_found();
    let err = fail(e);
    if not_found {
        exit::Failure::new(exit::NOT_FOUND, err)
            .hint("no inference period is open now: add --wait, or download `latest`")
            .into()
    } else {
        err
    }
}

pub(super) async fn meta_model(
    args: MetaModelArgs,
    ch: &ChallengeClient,
    ctx: &Context,
) -> anyhow::Result<()> {
    let MetaModelCommand::Download { out, force } = args.command;
    let dest = out_or_default(
        out.as_deref(),
        &format!("{}_meta_model.parquet", ch.slug()),
        force,
    )?;
    let bar = progress::bytes_bar(ctx, None, &label(&dest));
    let report = ch
        .download_meta_model(&dest, Some(bar_progress(&bar)))
        .await
        .map_err(fail)?;
    bar.finish_and_clear();
    downloaded("meta-model", &report, ctx)
}
