//! The official `crowdcent` CLI's command names (client 0.2.16), hidden, so scripts port one for one.
//!
//! Each one runs the mkt command with the same behaviour; `list-challenges`, `get-challenge` and
//! `whoami` are plain aliases on [`super::CrowdcentCommand`]. Where an official flag clashes with
//! mkt's global `--output table|json`, the path flag is `-o`/`--out` (`--dest` works too).

use clap::Subcommand;
use crowdcent_client::{ChallengeClient, InferenceRef, Period, TrainingVersion};

use super::data::{
    self, parse_version, parse_which, InferenceArgs, InferenceCommand, InferenceDownload, TrainingArgs,
    TrainingCommand, TrainingDownload,
};
use super::download::{self, InferenceOptions, OutArgs};
use super::submissions::{self, SubmissionsArgs, SubmissionsCommand};
use crate::Context;

/// The official command names, hidden from help and completions.
#[derive(Debug, Subcommand)]
pub enum OfficialCommand {
    /// Official name of `mkt crowdcent training list`.
    #[command(
        name = "list-training-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent list-training-data"
    )]
    ListTrainingData,
    /// Official name of `mkt crowdcent training get`.
    #[command(
        name = "get-training-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent get-training-data 2.0"
    )]
    GetTrainingData {
        /// A version such as `2.0`, or `latest`.
        #[arg(default_value = "latest", value_parser = parse_version)]
        version: TrainingVersion,
    },
    /// Official name of `mkt crowdcent training download`.
    #[command(
        name = "download-training-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent download-training-data latest -o train.parquet\n  mkt crowdcent download-training-data 2.0 --dest train.csv"
    )]
    DownloadTrainingData(TrainingDownload),
    /// Official name of `mkt crowdcent inference list`.
    #[command(
        name = "list-inference-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent list-inference-data"
    )]
    ListInferenceData,
    /// Official name of `mkt crowdcent inference get`.
    #[command(
        name = "get-inference-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent get-inference-data current"
    )]
    GetInferenceData {
        /// `current`, `latest` or a `YYYY-MM-DD` release date.
        #[arg(value_parser = parse_which)]
        which: InferenceRef,
    },
    /// Official name of `mkt crowdcent inference download` (RELEASE_DATE defaults to latest, as there).
    #[command(
        name = "download-inference-data",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent download-inference-data current -o inference.parquet\n  mkt crowdcent download-inference-data current --no-poll\n  mkt crowdcent download-inference-data current --poll-interval 10 --timeout 600"
    )]
    DownloadInferenceData {
        /// `current`, `latest` (the default here, as in the official CLI) or `YYYY-MM-DD`.
        #[arg(default_value = "latest", value_parser = parse_which)]
        which: InferenceRef,
        #[command(flatten)]
        options: InferenceOptions,
    },
    /// Official name of `mkt crowdcent meta-model download`.
    #[command(
        name = "download-meta-model",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent download-meta-model -o meta.parquet"
    )]
    DownloadMetaModel(OutArgs),
    /// Official name of `mkt crowdcent submissions list`.
    #[command(
        name = "list-submissions",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent list-submissions --period current"
    )]
    ListSubmissions {
        /// Only this period: `current` or a `YYYY-MM-DD` release date.
        #[arg(long, value_parser = submissions::parse_period, value_name = "PERIOD")]
        period: Option<Period>,
    },
    /// Official name of `mkt crowdcent submissions get`.
    #[command(
        name = "get-submission",
        hide = true,
        after_help = "Examples:\n  mkt crowdcent get-submission 814"
    )]
    GetSubmission {
        /// The submission id.
        id: u64,
    },
}

/// Runs an official command as its mkt counterpart.
///
/// # Errors
/// As the mkt command.
pub(super) async fn run(cmd: OfficialCommand, ch: &ChallengeClient, ctx: &Context) -> anyhow::Result<()> {
    let training = |command| data::training(TrainingArgs { command }, ch, ctx);
    let inference = |command| data::inference(InferenceArgs { command }, ch, ctx);
    let subs = |command| submissions::submissions(SubmissionsArgs { command }, ch, ctx);
    match cmd {
        OfficialCommand::ListTrainingData => training(TrainingCommand::List).await,
        OfficialCommand::GetTrainingData { version } => training(TrainingCommand::Get { version }).await,
        OfficialCommand::DownloadTrainingData(d) => training(TrainingCommand::Download(d)).await,
        OfficialCommand::ListInferenceData => inference(InferenceCommand::List).await,
        OfficialCommand::GetInferenceData { which } => inference(InferenceCommand::Get { which }).await,
        OfficialCommand::DownloadInferenceData { which, options } => {
            inference(InferenceCommand::Download(InferenceDownload { which, options })).await
        }
        OfficialCommand::DownloadMetaModel(out) => download::meta_model(ch, &out, ctx).await,
        OfficialCommand::ListSubmissions { period } => subs(SubmissionsCommand::List { period }).await,
        OfficialCommand::GetSubmission { id } => subs(SubmissionsCommand::Get { id }).await,
    }
}
