//! The downloads of `mkt crowdcent training|inference|meta-model download`: destination, format, waiting.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crowdcent_client::{
    period_date, ChallengeClient, DataFormat, DownloadReport, InferenceRef, ReleaseDate, TrainingVersion,
    WaitOptions,
};

use super::fail;
use super::render::{bar_progress, downloaded, label};
use crate::dest::out_or_default;
use crate::duration::parse_duration;
use crate::{exit, progress, Context};

/// `--format` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum FormatArg {
    /// Apache Parquet, the stored format.
    Parquet,
    /// The server's CSV copy (`?as=csv`).
    Csv,
}

/// Where a download goes and in which format (shared by every download command).
#[derive(Debug, Clone, clap::Args)]
pub struct OutArgs {
    /// Destination file, directory or - for standard output (default: a name carrying the
    /// challenge and the version or date; see above). A `.csv` path gets CSV.
    #[arg(short = 'o', long, alias = "dest", value_name = "PATH")]
    pub(super) out: Option<PathBuf>,
    /// File format (default: csv for a destination ending in .csv, else parquet; - gets parquet).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(super) format: Option<FormatArg>,
    /// Let the default file name replace an existing file.
    #[arg(long)]
    pub(super) force: bool,
}

impl OutArgs {
    /// `--format`, else CSV for a `.csv` destination (as the official client does), else Parquet.
    /// Standard output (`-`) and directories get Parquet unless `--format csv`.
    pub(super) fn data_format(&self) -> DataFormat {
        match (self.format, &self.out) {
            (Some(FormatArg::Parquet), _) => DataFormat::Parquet,
            (Some(FormatArg::Csv), _) => DataFormat::Csv,
            (None, Some(out)) if out.as_os_str() != "-" && !out.is_dir() => DataFormat::for_path(out),
            (None, _) => DataFormat::Parquet,
        }
    }

    /// The destination: `--out` as typed, else `stem.<ext>` (a name mkt chose).
    fn destination(&self, stem: &str, format: DataFormat) -> anyhow::Result<mkt_fs::Destination> {
        let default = format!("{stem}.{}", format.extension());
        out_or_default(self.out.as_deref(), &default, self.force)
    }
}

/// Options of an inference download after WHICH.
#[derive(Debug, Clone, clap::Args)]
pub struct InferenceOptions {
    #[command(flatten)]
    pub(super) out: OutArgs,
    /// Fail at once (exit 4) when the current file is not published yet, instead of waiting.
    #[arg(long, alias = "no-poll", conflicts_with = "wait")]
    pub(super) no_wait: bool,
    /// Wait for the current file (the default; kept for older scripts).
    #[arg(long, hide = true)]
    pub(super) wait: bool,
    /// Give up waiting after this long (`30`, `30s`, `15m`, `1h`; `0` waits forever).
    #[arg(long, default_value = "15m", value_parser = parse_duration, value_name = "DURATION")]
    pub(super) timeout: Duration,
    /// Pause between attempts while waiting (jittered by ±10 %).
    #[arg(
        long,
        alias = "poll-interval",
        default_value = "30s",
        value_parser = parse_duration,
        value_name = "DURATION"
    )]
    pub(super) interval: Duration,
}

/// Downloads a training dataset (`latest` resolved first: it names the default file).
pub(super) async fn training(
    ch: &ChallengeClient,
    version: TrainingVersion,
    out: &OutArgs,
    ctx: &Context,
) -> anyhow::Result<()> {
    let version = ch.resolve_training_version(&version).await.map_err(fail)?;
    let format = out.data_format();
    let dest = out.destination(&format!("{}_training_v{version}", ch.slug()), format)?;
    let bar = progress::bytes_bar(ctx, None, &label(&dest));
    let report = ch
        .download_training_dataset(
            &TrainingVersion::Version(version),
            format,
            &dest,
            Some(bar_progress(&bar)),
        )
        .await
        .map_err(fail)?;
    bar.finish_and_clear();
    downloaded("training data", &report, format, ctx)
}

/// Downloads the consolidated meta-model file.
pub(super) async fn meta_model(ch: &ChallengeClient, out: &OutArgs, ctx: &Context) -> anyhow::Result<()> {
    let format = out.data_format();
    let dest = out.destination(&format!("{}_meta_model", ch.slug()), format)?;
    let bar = progress::bytes_bar(ctx, None, &label(&dest));
    let report = ch
        .download_meta_model(format, &dest, Some(bar_progress(&bar)))
        .await
        .map_err(fail)?;
    bar.finish_and_clear();
    downloaded("meta-model", &report, format, ctx)
}

/// Downloads an inference file; `current` waits for publication unless `--no-wait`.
pub(super) async fn inference(
    ch: &ChallengeClient,
    which: InferenceRef,
    opts: &InferenceOptions,
    ctx: &Context,
) -> anyhow::Result<()> {
    if opts.wait && which != InferenceRef::Current {
        return Err(exit::Failure::new(
            exit::USAGE,
            anyhow::anyhow!("--wait only applies to the current period"),
        )
        .hint("drop --wait, or download `current`")
        .into());
    }
    let wait = (which == InferenceRef::Current && !opts.no_wait).then_some(WaitOptions {
        interval: opts.interval,
        timeout: (!opts.timeout.is_zero()).then_some(opts.timeout),
        ..WaitOptions::default()
    });
    let format = opts.out.data_format();
    let stem = |date: ReleaseDate| format!("{}_inference_{date}", ch.slug());
    let date = match (&opts.out.out, which) {
        (Some(_), _) => None,
        (None, InferenceRef::Date(d)) => Some(d),
        (None, InferenceRef::Latest) => Some(ch.resolve_inference_date(which).await.map_err(fail)?),
        (None, InferenceRef::Current) => match ch.inference_period(which).await {
            Ok(p) => Some(period_date(&p)),
            // Not open yet: wait under a provisional name, then name it after the period.
            Err(e) if e.is_not_found() => match wait {
                Some(options) => return wait_then_name(ch, options, stem, opts, ctx).await,
                None => return Err(not_open(e)),
            },
            Err(e) => return Err(fail(e)),
        },
    };
    let dest = match date {
        Some(d) => opts.out.destination(&stem(d), format)?,
        None => opts
            .out
            .destination(&format!("{}_inference", ch.slug()), format)?,
    };
    let bar = progress::bytes_bar(ctx, None, &label(&dest));
    let report = match wait {
        Some(options) => {
            if opts.out.out.is_some() {
                waiting_note(ch, &options, ctx);
            }
            ch.wait_for_inference(&dest, format, options, Some(bar_progress(&bar)))
                .await
                .map_err(fail)?
                .download
        }
        None => ch
            .download_inference(which, format, &dest, Some(bar_progress(&bar)))
            .await
            .map_err(|e| {
                if which == InferenceRef::Current && e.is_not_found() {
                    not_open(e)
                } else {
                    fail(e)
                }
            })?,
    };
    bar.finish_and_clear();
    downloaded("inference data", &report, format, ctx)
}

/// Waits under `<slug>_inference_pending.<ext>`, then renames it after the period's date.
async fn wait_then_name(
    ch: &ChallengeClient,
    options: WaitOptions,
    stem: impl Fn(ReleaseDate) -> String,
    opts: &InferenceOptions,
    ctx: &Context,
) -> anyhow::Result<()> {
    let format = opts.out.data_format();
    // The release date names the file, and it is known only once the file is out.
    let provisional = opts
        .out
        .destination(&format!("{}_inference_pending", ch.slug()), format)?;
    waiting_note(ch, &options, ctx);
    let bar = progress::bytes_bar(ctx, None, "inference");
    let report = ch
        .wait_for_inference(&provisional, format, options, Some(bar_progress(&bar)))
        .await
        .map_err(fail)?;
    bar.finish_and_clear();
    let date = ch
        .resolve_inference_date(InferenceRef::Current)
        .await
        .map_err(fail)?;
    let dest = opts.out.destination(&stem(date), format)?;
    dest.place(&report.download.path)?;
    let report = DownloadReport {
        path: dest.path().map(Path::to_path_buf).unwrap_or_default(),
        ..report.download
    };
    downloaded("inference data", &report, format, ctx)
}

fn waiting_note(ch: &ChallengeClient, options: &WaitOptions, ctx: &Context) {
    let limit = options
        .timeout
        .map_or_else(|| "no timeout".to_owned(), |t| format!("up to {}", humantime(t)));
    ctx.info(format!(
        "waiting for the {} inference file (published around 14:00 UTC; {limit}; --no-wait fails at once)",
        ch.slug()
    ));
}

fn humantime(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (h, 0, 0) => format!("{h}h"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// The current file is not published and we were told not to wait: exit 4 with what to do.
fn not_open(e: crowdcent_client::Error) -> anyhow::Error {
    exit::Failure::new(exit::NOT_FOUND, fail(e))
        .hint("no inference period is open now: drop --no-wait to wait for it, or download `latest`")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: Option<&str>, format: Option<FormatArg>) -> OutArgs {
        OutArgs {
            out: path.map(PathBuf::from),
            format,
            force: false,
        }
    }

    #[test]
    fn format_follows_the_destination_unless_forced() {
        assert_eq!(out(Some("t.csv"), None).data_format(), DataFormat::Csv);
        assert_eq!(out(Some("T.CSV"), None).data_format(), DataFormat::Csv);
        assert_eq!(out(Some("t.parquet"), None).data_format(), DataFormat::Parquet);
        assert_eq!(out(Some("-"), None).data_format(), DataFormat::Parquet);
        assert_eq!(out(None, None).data_format(), DataFormat::Parquet);
        assert_eq!(
            out(Some("t.csv"), Some(FormatArg::Parquet)).data_format(),
            DataFormat::Parquet
        );
        assert_eq!(
            out(Some("-"), Some(FormatArg::Csv)).data_format(),
            DataFormat::Csv
        );
        assert_eq!(out(None, Some(FormatArg::Csv)).data_format(), DataFormat::Csv);
    }

    #[test]
    fn durations_read_like_the_flags() {
        assert_eq!(humantime(Duration::from_secs(900)), "15m");
        assert_eq!(humantime(Duration::from_secs(2)), "2s");
        assert_eq!(humantime(Duration::from_secs(3600)), "1h");
        assert_eq!(humantime(Duration::from_secs(90)), "1m30s");
    }
}
