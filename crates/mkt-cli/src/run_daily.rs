//! `mkt crowdcent run-daily`: wait for the inference file, run a model, validate, submit before the deadline.

mod deploy;
mod report;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crowdcent_client::daily::{self, stamp, DailyEvent, DailyOptions, Mode};
use crowdcent_client::{ChallengeClient, SubmitKind, SubmitOptions, WaitOptions, MAX_NOTES_CHARS};

use crate::context::OutputFormat;
use crate::duration::parse_duration;
use crate::exit::{self, Failure};
use crate::output::print_json;
use crate::Context;
use report::{human, kind_name, match_message, render};

/// The long help of `mkt crowdcent run-daily`.
pub const LONG_ABOUT: &str = "One unattended daily CrowdCent submission. Waits for the current inference file (polling \
every --interval, up to --timeout), downloads it to <out-dir>/<slug>_inference_<date>.parquet, then runs \
--model-cmd with `sh -c`, {inference} and {out} replaced by the quoted paths (also in $MKT_INFERENCE and \
$MKT_OUT; $MKT_DATE and $MKT_DEADLINE too). The output defaults to <out-dir>/predictions_<date>.parquet; a \
stale file there is removed first. The model must finish --deadline-margin before the period's \
submission_deadline, or it is stopped (its whole process group) and the run fails; a run that starts too late \
fails at once. The output is validated against the crowdcent-hyperliquid rules and the inference ids (exit 5, \
nothing submitted, when invalid), then submitted, and the server's match_info is printed. --dry-run does \
everything but submit. Fails loudly with exit 1 and one line when the deadline would be missed, the model \
exits non-zero (its exit code and the tail of its stderr are shown) or writes no file, and exits 1 after \
printing the result if the server queued the file for the next period because the window had closed. \
--print-systemd and \
--print-cron print a ready systemd unit + timer (14:05 UTC daily) or crontab line for this exact command, \
without needing a key or the network; they need --model-cmd like a real run (exit 2 without it).";

/// Arguments of `mkt crowdcent run-daily`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mkt crowdcent run-daily --model-cmd \"python predict.py {inference} {out}\"\n  mkt crowdcent run-daily --model-cmd \"./predict.sh {inference} {out}\" --slot 2 --deadline-margin 20m\n  mkt crowdcent run-daily --model-cmd \"python predict.py {inference} {out}\" --dry-run --out-dir runs\n  mkt crowdcent run-daily --model-cmd \"python predict.py {inference} {out}\" --output json\n  mkt crowdcent run-daily --model-cmd \"python predict.py {inference} {out}\" --print-systemd\n  mkt crowdcent run-daily --model-cmd \"python predict.py {inference} {out}\" --print-cron"
)]
pub struct Args {
    /// The model command, run with `sh -c`; `{inference}` and `{out}` become the quoted paths
    /// (required, also with --print-systemd and --print-cron).
    #[arg(long, value_name = "COMMAND")]
    pub model_cmd: Option<String>,
    /// Slot to submit to (1-based).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub slot: u32,
    /// Stop the model this long before the submission deadline (room for validation and upload).
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub deadline_margin: Duration,
    /// Give up waiting for the inference file after this long (`0` waits forever).
    #[arg(long, default_value = "1h", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    /// Pause between attempts while waiting (jittered by ±10 %).
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub interval: Duration,
    /// Do everything but submit.
    #[arg(long)]
    pub dry_run: bool,
    /// Where the inference file and the predictions go.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Private notes for the submission (at most 2000 characters).
    #[arg(long, default_value = "", value_name = "TEXT")]
    pub notes: String,
    /// Mark the submission as experimental.
    #[arg(long)]
    pub experimental: bool,
    /// Do not also queue a copy for the next period.
    #[arg(long)]
    pub no_queue_next: bool,
    /// Print a systemd service + timer for this command and exit (no key, no network).
    #[arg(long, conflicts_with = "print_cron")]
    pub print_systemd: bool,
    /// Print a crontab line for this command and exit (no key, no network).
    #[arg(long)]
    pub print_cron: bool,
}

/// Runs `mkt crowdcent run-daily`; `resolve` turns the `-c` slug into a client (only called after
/// the `--print-*` helpers, so those never need a key).
///
/// # Errors
/// Exit 1 for a missed deadline, a failing model or no output, 5 for invalid predictions, and the
/// usual client codes (3 auth, 4 not found).
pub async fn run<F, Fut>(args: Args, slug: Option<String>, ctx: &Context, resolve: F) -> anyhow::Result<()>
where
    F: FnOnce(Option<String>) -> Fut,
    Fut: Future<Output = anyhow::Result<ChallengeClient>>,
{
    let printing = if args.print_systemd {
        Some("--print-systemd")
    } else if args.print_cron {
        Some("--print-cron")
    } else {
        None
    };
    let Some(model_cmd) = args.model_cmd.clone() else {
        let msg = match printing {
            Some(flag) => format!("{flag} needs --model-cmd: the printed job runs that exact command"),
            None => "--model-cmd is required".to_owned(),
        };
        return Err(Failure::new(exit::USAGE, anyhow::anyhow!(msg))
            .hint("add --model-cmd \"python predict.py {inference} {out}\" (your own command)")
            .into());
    };
    if printing.is_some() {
        return print_deployment(&args, &model_cmd, slug.as_deref(), ctx);
    }
    let chars = args.notes.chars().count();
    if chars > MAX_NOTES_CHARS {
        return Err(usage(format!(
            "--notes has {chars} characters; the limit is {MAX_NOTES_CHARS}"
        )));
    }
    let ch = resolve(slug).await?;
    // Absolute paths in the model command, the environment and the JSON result.
    let out_dir = std::path::absolute(&args.out_dir)
        .map_err(|e| anyhow::anyhow!(e).context(format!("cannot resolve {}", args.out_dir.display())))?;
    let mut options = DailyOptions::new(model_cmd, out_dir);
    options.deadline_margin = args.deadline_margin;
    options.wait = WaitOptions {
        interval: args.interval,
        timeout: (!args.timeout.is_zero()).then_some(args.timeout),
        ..WaitOptions::default()
    };
    options.submit = SubmitOptions {
        slot: args.slot,
        also_queue_next: !args.no_queue_next,
        is_experimental: args.experimental,
        notes: args.notes.clone(),
        ..SubmitOptions::default()
    };
    options.mode = if args.dry_run { Mode::DryRun } else { Mode::Submit };
    if !ctx.quiet {
        options.on_model_line = Some(Arc::new(|_, line: &str| eprintln!("[model] {line}")));
    }
    let info_ctx = ctx.clone();
    let slug_name = ch.slug().to_owned();
    options.on_event = Some(Arc::new(move |event: &DailyEvent<'_>| {
        if let Some(line) = event_line(event, &slug_name) {
            info_ctx.info(line);
        }
    }));
    let result = daily::run(&ch, options).await.map_err(report::failure)?;
    if args.dry_run {
        ctx.info(format!(
            "dry run: {} is valid ({}); nothing was submitted",
            result.path.display(),
            match_message(&result.match_info)
        ));
        return render(&result, ctx);
    }
    ctx.info(format!(
        "submitted {} to slot {} ({}): {}",
        result.path.display(),
        args.slot,
        result.kind.map_or("-", kind_name),
        match_message(&result.match_info)
    ));
    if let Some(code) = &result.queue_error_code {
        ctx.info(format!(
            "the copy for the next period was refused ({code}): {}",
            result.queue_error.clone().unwrap_or_default()
        ));
    }
    render(&result, ctx)?;
    if result.kind == Some(SubmitKind::Queued) {
        // Spec §2.6: a 202 means the window had closed; the file waits for the next period.
        return Err(Failure::new(
            exit::FAILED,
            anyhow::anyhow!(
                "the {} window had closed: the server queued the file for the next period",
                result.date
            ),
        )
        .hint("start earlier or raise --deadline-margin")
        .into());
    }
    Ok(())
}

/// The info line for a run's progress event.
fn event_line(event: &DailyEvent<'_>, slug: &str) -> Option<String> {
    Some(match event {
        DailyEvent::Downloading { date } => format!("downloading the {date} inference file"),
        DailyEvent::Waiting { wait } => format!(
            "waiting for the {slug} inference file (every {}, timeout {})",
            deploy::duration(wait.interval),
            wait.timeout.map_or_else(|| "none".to_owned(), deploy::duration)
        ),
        DailyEvent::InferenceOut { date } => format!("the {date} inference file is out"),
        DailyEvent::RemovingStale { path } => format!("removing the stale {}", path.display()),
        DailyEvent::RunningModel { script, left, cutoff } => format!(
            "running the model ({} until the cutoff {}): {script}",
            human(*left),
            stamp(cutoff)
        ),
        DailyEvent::Validating {
            predictions,
            inference,
        } => format!(
            "validating {} against {}",
            predictions.display(),
            inference.display()
        ),
        _ => return None,
    })
}

fn print_deployment(args: &Args, model: &str, slug: Option<&str>, ctx: &Context) -> anyhow::Result<()> {
    let d = deploy::Deployment::new(args, model, slug, ctx.base_url.as_deref())?;
    if ctx.output == OutputFormat::Json {
        return if args.print_systemd {
            print_json(&serde_json::json!({
                "service_name": format!("{}.service", deploy::UNIT),
                "service": d.service(),
                "timer_name": format!("{}.timer", deploy::UNIT),
                "timer": d.timer(),
            }))
        } else {
            print_json(&serde_json::json!({ "crontab": d.crontab() }))
        };
    }
    if args.print_systemd {
        print!("{}\n{}", d.service(), d.timer());
    } else {
        print!("{}", d.crontab());
    }
    Ok(())
}

fn usage(msg: impl std::fmt::Display + Send + Sync + 'static) -> anyhow::Error {
    Failure::new(exit::USAGE, anyhow::anyhow!("{msg}")).into()
}
