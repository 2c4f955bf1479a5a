//! `mkt crowdcent run-daily`: wait for the inference file, run a model, validate, submit before the deadline.

mod deploy;
mod model;
mod report;

use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use crowdcent_client::daily::{self, cutoff, time_left};
use crowdcent_client::{
    period_date, ChallengeClient, DataFormat, InferencePeriod, InferenceRef, MatchInfo, ReleaseDate,
    SubmitKind, SubmitOptions, WaitOptions, MAX_NOTES_CHARS,
};
use frame_io::validate::CROWDCENT_HYPERLIQUID;

use crate::context::OutputFormat;
use crate::crowdcent::fail;
use crate::duration::parse_duration;
use crate::exit::{self, Failure};
use crate::output::print_json;
use crate::Context;
use report::{check_model, human, kind_name, late, match_message, render, stamp, DailyResult};

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
    let mut args = args;
    args.out_dir = std::path::absolute(&args.out_dir)
        .map_err(|e| anyhow::anyhow!(e).context(format!("cannot resolve {}", args.out_dir.display())))?;
    tokio::fs::create_dir_all(&args.out_dir)
        .await
        .map_err(|e| anyhow::anyhow!(e).context(format!("cannot create {}", args.out_dir.display())))?;
    let (period, inference) = fetch_inference(&ch, &args, ctx).await?;
    let date = period_date(&period);
    let cut = cutoff(period.submission_deadline, args.deadline_margin);
    let Some(left) = time_left(cut, now()) else {
        return Err(late(&period, &args, "there is no time left to run the model"));
    };
    let out = daily::default_predictions_path(&args.out_dir, date);
    if tokio::fs::try_exists(&out).await.unwrap_or(false) {
        ctx.info(format!("removing the stale {}", out.display()));
        tokio::fs::remove_file(&out)
            .await
            .map_err(|e| anyhow::anyhow!(e).context(format!("cannot remove {}", out.display())))?;
    }
    let script = model::fill(&model_cmd, &inference, &out);
    ctx.info(format!(
        "running the model ({} until the cutoff {}): {script}",
        human(left),
        stamp(&cut)
    ));
    let env = model_env(&ch, &inference, &out, date, &period);
    let ended = model::run(&script, &env, tokio::time::Instant::now() + left, !ctx.quiet).await?;
    check_model(ended, &out, &period, &args)?;
    if time_left(cut, now()).is_none() {
        return Err(late(&period, &args, "the model finished after the cutoff"));
    }
    ctx.info(format!(
        "validating {} against {}",
        out.display(),
        inference.display()
    ));
    let report = daily::validate_against_inference(&out, &inference, CROWDCENT_HYPERLIQUID)
        .await
        .map_err(fail)?;
    if !report.is_valid() {
        return Err(fail(crowdcent_client::Error::Rejected {
            report: Box::new(report),
        }));
    }
    let local_match = report.match_info.as_ref().map(|m| MatchInfo {
        matched_ids: m.matched_ids,
        unmatched_ids: m.unmatched_ids,
        message: Some(m.message.clone()),
    });
    let mut result = DailyResult {
        challenge: ch.slug().to_owned(),
        date: date.to_string(),
        inference,
        path: out.clone(),
        deadline: stamp(&period.submission_deadline),
        slot: args.slot,
        dry_run: args.dry_run,
        submitted: false,
        kind: None,
        submission_id: None,
        queued_for_next: false,
        queue_error_code: None,
        match_info: local_match,
    };
    if args.dry_run {
        ctx.info(format!(
            "dry run: {} is valid ({}); nothing was submitted",
            out.display(),
            match_message(&result.match_info)
        ));
        return render(&result, ctx);
    }
    if time_left(period.submission_deadline, now()).is_none() {
        return Err(late(&period, &args, "the window closed before the upload"));
    }
    let options = SubmitOptions {
        slot: args.slot,
        also_queue_next: !args.no_queue_next,
        is_experimental: args.experimental,
        notes: args.notes.clone(),
        // Validated above against the inference file on disk.
        validate: false,
        check_inference_ids: false,
        ..SubmitOptions::default()
    };
    let outcome = ch.submit(out.as_path(), &options).await.map_err(fail)?;
    result.submitted = true;
    result.kind = Some(outcome.kind);
    result.submission_id = outcome.response.id;
    result.queued_for_next = outcome.queued_for_next();
    result.queue_error_code = outcome.response.queue_error_code.clone();
    if let Some(m) = outcome.response.match_info.clone() {
        result.match_info = Some(m);
    }
    ctx.info(format!(
        "submitted {} to slot {} ({}): {}",
        out.display(),
        args.slot,
        kind_name(outcome.kind),
        match_message(&result.match_info)
    ));
    if let Some(rej) = outcome.queue_rejection() {
        ctx.info(format!(
            "the copy for the next period was refused ({}): {}",
            rej.code,
            rej.message.unwrap_or_default()
        ));
    }
    render(&result, ctx)?;
    if outcome.kind == SubmitKind::Queued {
        // Spec §2.6: a 202 means the window had closed; the file waits for the next period.
        return Err(Failure::new(
            exit::FAILED,
            anyhow::anyhow!("the {date} window had closed: the server queued the file for the next period"),
        )
        .hint("start earlier or raise --deadline-margin")
        .into());
    }
    Ok(())
}

/// Waits for (or finds) the current period's file and names it after the period's date.
async fn fetch_inference(
    ch: &ChallengeClient,
    args: &Args,
    ctx: &Context,
) -> anyhow::Result<(InferencePeriod, PathBuf)> {
    let options = WaitOptions {
        interval: args.interval,
        timeout: (!args.timeout.is_zero()).then_some(args.timeout),
        ..WaitOptions::default()
    };
    let name = |d: ReleaseDate| args.out_dir.join(format!("{}_inference_{d}.parquet", ch.slug()));
    // The working directory is run-daily's own: a re-run of the day replaces its files.
    let own = |path: PathBuf| mkt_fs::Destination::chosen(path).force(true).resolve();
    match ch.inference_period(InferenceRef::Current).await {
        Ok(period) => {
            // Known already: fail before downloading when it is too late anyway.
            let cut = cutoff(period.submission_deadline, args.deadline_margin);
            if time_left(cut, now()).is_none() {
                return Err(late(&period, args, "there is no time left to run the model"));
            }
            let dest = name(period_date(&period));
            ctx.info(format!("downloading the {} inference file", period_date(&period)));
            ch.wait_for_inference(&own(dest.clone())?, DataFormat::Parquet, options, None)
                .await
                .map_err(fail)?;
            Ok((period, dest))
        }
        Err(e) if e.is_not_found() => {
            ctx.info(format!(
                "waiting for the {} inference file (every {}, timeout {})",
                ch.slug(),
                deploy::duration(args.interval),
                if args.timeout.is_zero() {
                    "none".to_owned()
                } else {
                    deploy::duration(args.timeout)
                }
            ));
            let provisional = args
                .out_dir
                .join(format!("{}_inference_pending.parquet", ch.slug()));
            ch.wait_for_inference(&own(provisional.clone())?, DataFormat::Parquet, options, None)
                .await
                .map_err(fail)?;
            let period = ch.inference_period(InferenceRef::Current).await.map_err(fail)?;
            let dest = name(period_date(&period));
            own(dest.clone())?.place(&provisional)?;
            ctx.info(format!("the {} inference file is out", period_date(&period)));
            Ok((period, dest))
        }
        Err(e) => Err(fail(e)),
    }
}

fn model_env(
    ch: &ChallengeClient,
    inference: &Path,
    out: &Path,
    date: ReleaseDate,
    period: &InferencePeriod,
) -> Vec<(&'static str, OsString)> {
    vec![
        ("MKT_INFERENCE", inference.as_os_str().to_owned()),
        ("MKT_OUT", out.as_os_str().to_owned()),
        ("MKT_DATE", date.to_string().into()),
        ("MKT_DEADLINE", stamp(&period.submission_deadline).into()),
        ("MKT_CHALLENGE", ch.slug().into()),
    ]
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

/// Now on the local UTC clock, which the period's timestamps are compared with (keep it NTP-synced).
fn now() -> DateTime<Utc> {
    Utc::now()
}
