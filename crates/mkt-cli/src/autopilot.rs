//! `mkt numerbay autopilot`: the seller's round autopilot on a schedule, with webhook-triggered ticks.

mod deploy;
mod log;
mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{ArgGroup, ValueEnum};
use numerbay_client::autopilot::StopHandle;
use numerbay_client::{Autopilot, AutopilotConfig, AutopilotError, NumerBay, PredictionsSource, ProductRef};
use secrecy::SecretString;
use tokio::time::Instant;

use crate::exit::{self, Failure};
use crate::output::OutputFormat;
use crate::Context;
use log::{chain, summary, Log};

/// Longest wait between ticks after repeated failures (unless the interval is longer).
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Arguments of `mkt numerbay autopilot`.
#[derive(Debug, Clone, clap::Args)]
#[command(about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
#[command(group(ArgGroup::new("source").args(["predictions", "predictions_cmd"]).required(true)))]
#[command(group(ArgGroup::new("print").args(["print_systemd", "print_cron"]).multiple(false)))]
pub struct Args {
    /// Product full name (`<category slug>-<name>`) or id.
    #[arg(long, value_name = "NAME")]
    product: String,
    /// The predictions file (re-validated whenever it changes).
    #[arg(long, value_name = "PATH")]
    predictions: Option<PathBuf>,
    /// A command run once per round that writes the predictions to `{out}` (`{round}` is the round).
    #[arg(long, value_name = "CMD")]
    predictions_cmd: Option<String>,
    /// Validation rules the predictions must pass before any upload.
    #[arg(long, value_name = "NAME", default_value = "numerai-classic")]
    rules: String,
    /// Time between ticks (e.g. 30, 60s, 15m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = crate::duration::parse_duration)]
    interval: Duration,
    /// Stop after one tick, or when the selling round advances (default: run until stopped).
    #[arg(long, value_enum, value_name = "WHEN")]
    until: Option<Until>,
    /// Lock the product for the round once every copy of the round is delivered.
    #[arg(long)]
    lock_after_upload: bool,
    /// Listen for NumerBay webhook POSTs on PORT (bound to 127.0.0.1) or ADDR:PORT; each one asks for a
    /// tick. Any address but loopback needs --webhook-secret.
    #[arg(long, value_name = "[ADDR:]PORT", value_parser = webhook::parse_listen)]
    webhook_listen: Option<SocketAddr>,
    /// Accept only webhooks carrying this secret, as `?token=SECRET` in the URL registered on NumerBay
    /// or as `Authorization: Bearer SECRET` (letters, digits, `-_.~`; e.g. `openssl rand -hex 32`).
    #[arg(
        long,
        value_name = "SECRET",
        env = "MKT_WEBHOOK_SECRET",
        hide_env_values = true,
        value_parser = webhook::parse_secret
    )]
    webhook_secret: Option<SecretString>,
    /// Webhook-triggered ticks start at most once per this time; requests meanwhile are merged.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::duration::parse_duration)]
    min_tick_interval: Duration,
    /// State file (default: `$XDG_STATE_HOME/mkt/autopilot-PRODUCT.json`).
    #[arg(long, value_name = "FILE")]
    state_file: Option<PathBuf>,
    /// Print a systemd unit for this command line and exit (no credentials, no network).
    #[arg(long)]
    print_systemd: bool,
    /// Print a crontab line for this command line and exit (no credentials, no network).
    #[arg(long)]
    print_cron: bool,
}

/// When the autopilot stops by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Until {
    /// After one tick (for timers and cron); exit 1 if a copy failed, 5 if predictions are invalid.
    Once,
    /// When the selling round advances or uploads are refused because the round closed.
    RoundClose,
}

/// Help text of the subcommand (used by `mkt numerbay`).
pub const ABOUT: &str = "Upload for every new sale of a product, all round, unattended (seller)";
/// Long help of the subcommand.
pub const LONG_ABOUT: &str = "Keep a product delivered all round. Every tick reads the selling round, lists the \
product's active sales and uploads exactly what `mkt numerbay submit` would, but only for the copies that have no \
active artifact for the round yet (derived from the server, so a second tick or a restart uploads nothing twice). \
Predictions come from a file or a command run once per round and are validated before anything is uploaded. \
With --webhook-listen, NumerBay's product webhook (round open, confirmed order) triggers a tick at once (at most \
one per --min-tick-interval; requests in between are merged); ticks still run every --interval. The listener \
binds 127.0.0.1 unless given an address; any other address needs a secret (MKT_WEBHOOK_SECRET or \
--webhook-secret), which every request must then carry. A copy with a recent pending artifact (an upload \
in progress, e.g. by another machine) is not sent again until it fails or is 15 minutes old. Logs one \
timestamped line per action on stderr. Transient errors are retried on later ticks with backoff; it exits \
non-zero only for what needs you: another autopilot on the same state file (1, naming its PID), \
credentials (3), unknown product (4), invalid predictions with --until once (5). Ctrl-C stops after the \
upload in flight (twice: at once).";
/// Examples of the subcommand.
pub const EXAMPLES: &str = "Examples:\n  mkt numerbay autopilot --product numerai-predictions-mymodel --predictions preds.csv\n  mkt numerbay autopilot --product numerai-predictions-mymodel --predictions-cmd \"python predict.py {out}\" --until round-close --lock-after-upload\n  # webhooks via a reverse proxy: MKT_WEBHOOK_SECRET=... in ./.env, product webhook https://HOST/?token=SECRET\n  mkt numerbay autopilot --product numerai-predictions-mymodel --predictions preds.csv --webhook-listen 127.0.0.1:8787 --interval 15m\n  mkt numerbay autopilot --product numerai-predictions-mymodel --predictions preds.csv --until once --print-cron\n  mkt numerbay autopilot --product numerai-predictions-mymodel --predictions-cmd \"python predict.py {out}\" --print-systemd";

/// Runs `mkt numerbay autopilot`; `login` builds the logged-in client (exit 3 without credentials)
/// and is only called after the print flags are handled.
///
/// # Errors
/// Credentials (exit 3), unknown product (4), invalid predictions with `--until once` (5),
/// failed copies with `--until once` (1), Ctrl-C (130).
pub async fn run(
    args: Args,
    ctx: &Context,
    login: impl FnOnce(&Context) -> anyhow::Result<NumerBay>,
) -> anyhow::Result<()> {
    let rules = frame_io::RuleSet::by_name(&args.rules).map_err(|e| Failure::new(exit::USAGE, e))?;
    let listen = webhook::config(&args)?;
    if args.print_systemd || args.print_cron {
        let job = deploy::job(&args, ctx)?;
        print!(
            "{}",
            if args.print_systemd {
                deploy::systemd(&job)
            } else {
                deploy::cron(&job)
            }
        );
        return Ok(());
    }
    let nb = login(ctx)?;
    let product = match args.product.trim().parse::<u64>() {
        Ok(id) => ProductRef::Id(id.into()),
        Err(_) => ProductRef::FullName(args.product.trim().to_owned()),
    };
    let source = match (&args.predictions, &args.predictions_cmd) {
        (Some(p), _) => PredictionsSource::File(p.clone()),
        (None, Some(c)) => PredictionsSource::Command(c.clone()),
        (None, None) => return Err(Failure::new(exit::USAGE, anyhow::anyhow!("no predictions given")).into()),
    };
    let state_file = args
        .state_file
        .clone()
        .or_else(|| default_state_file(&args.product));
    let mut config = AutopilotConfig::new(product, source);
    config.rules = *rules;
    config.lock_after_upload = args.lock_after_upload;
    if let Some(dir) = state_file
        .as_ref()
        .and_then(|p| p.parent())
        .filter(|d| !d.as_os_str().is_empty())
    {
        config.work_dir = dir.join("autopilot-predictions");
    }
    config.state_file = state_file;
    let log = Log { quiet: ctx.quiet };
    // Takes the state file's lock: a second autopilot stops here, before any upload.
    let mut pilot = Autopilot::new(nb.clone(), config)
        .map_err(classify)?
        .with_observer(Arc::new(log));
    let stop = pilot.stop_handle();
    let interrupted = Arc::new(tokio::sync::Notify::new());
    spawn_signal_handler(stop.clone(), Arc::clone(&interrupted), log);

    let product_id = Arc::new(AtomicU64::new(0));
    let hooks = match listen {
        Some(config) => {
            let addr = config.addr;
            let secured = config.secret.is_some();
            let l = webhook::listen(config, Arc::clone(&product_id))
                .await
                .map_err(|e| {
                    Failure::new(
                        exit::FAILED,
                        anyhow::Error::new(e).context(format!("cannot listen on {addr}")),
                    )
                    .hint("pick a free port, e.g. --webhook-listen 8787")
                })?;
            log.line(format!(
                "webhook listening on http://{}/ ({})",
                l.addr,
                if secured {
                    "requests must carry the secret"
                } else {
                    "loopback, no secret"
                }
            ));
            Some(l.trigger)
        }
        None => None,
    };

    let mut first_round: Option<u32> = None;
    let mut failures: u32 = 0;
    loop {
        if stop.is_stopped() {
            return stopped();
        }
        if let (Some(Until::RoundClose), Some(start)) = (args.until, first_round) {
            match nb.globals().await {
                Ok(g) if g.selling_round != start => {
                    log.line(format!(
                        "round {start} is over (selling round {}); done",
                        g.selling_round
                    ));
                    return Ok(());
                }
                Ok(_) => {}
                Err(e) => log.line(format!("cannot read the selling round: {}", chain(&e))),
            }
        }
        // This tick serves every webhook received so far.
        if let Some(t) = &hooks {
            t.take();
        }
        let started = Instant::now();
        match pilot.tick().await {
            Ok(report) => {
                product_id.store(report.product_id.get(), Ordering::SeqCst);
                first_round.get_or_insert(report.selling_round);
                log.line(summary(&report));
                if ctx.output == OutputFormat::Json {
                    println!("{}", serde_json::to_string(&report)?);
                }
                failures = if report.failed.is_empty() { 0 } else { failures + 1 };
                if report.stopped {
                    return stopped();
                }
                match args.until {
                    Some(Until::Once) if !report.failed.is_empty() => {
                        return Err(Failure::new(
                            exit::FAILED,
                            anyhow::anyhow!("{} of the round's uploads failed", report.failed.len()),
                        )
                        .hint("run again: delivered copies are not uploaded twice")
                        .into());
                    }
                    Some(Until::Once) => return Ok(()),
                    Some(Until::RoundClose) if report.round_closed => {
                        log.line(format!(
                            "round {} is closed for uploads; done",
                            report.selling_round
                        ));
                        return Ok(());
                    }
                    _ => {}
                }
            }
            Err(e) => {
                if let AutopilotError::InvalidPredictions { report } = &e {
                    Log::error(format!("{report}").trim_end());
                }
                if args.until == Some(Until::Once) || e.is_fatal() {
                    return Err(classify(e));
                }
                failures += 1;
                Log::error(format!("tick failed (retrying later): {}", chain(&e)));
            }
        }
        let wait = backoff(args.interval, failures);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            merged = webhook::next_hook(hooks.as_deref(), started + args.min_tick_interval) => {
                log.line(webhook::line(&merged));
            }
            () = interrupted.notified() => return stopped(),
        }
    }
}

fn stopped() -> anyhow::Result<()> {
    Err(Failure::new(
        exit::INTERRUPTED,
        anyhow::anyhow!("stopped; uploads not made yet are made by the next run"),
    )
    .into())
}

/// The wait before the next tick: the interval, doubled per consecutive failure up to
/// `max(interval, MAX_BACKOFF)`.
fn backoff(interval: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let cap = interval.max(MAX_BACKOFF);
    interval
        .max(Duration::from_secs(1))
        .saturating_mul(1u32 << (failures - 1).min(16))
        .min(cap)
}

/// First Ctrl-C (or SIGTERM): stop after the upload in flight. Second Ctrl-C: exit at once
/// (an upload cut short stays `pending`; it is redone once 15 minutes old).
fn spawn_signal_handler(stop: StopHandle, interrupted: Arc<tokio::sync::Notify>, log: Log) {
    tokio::spawn(async move {
        wait_for_signal().await;
        stop.stop();
        interrupted.notify_one();
        log.line("stopping after the upload in flight (Ctrl-C again to abort now)");
        wait_for_signal().await;
        log.line("aborted");
        std::process::exit(i32::from(exit::INTERRUPTED));
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The exit code and hint for a tick error.
fn classify(e: AutopilotError) -> anyhow::Error {
    let code = exit::code_of(&e);
    let hint = if e.is_auth() {
        Some("check NUMERBAY_USERNAME and NUMERBAY_PASSWORD (or ./.env)")
    } else if e.is_not_found() {
        Some("check the name with `mkt numerbay listings`")
    } else if e.is_validation() {
        Some("`mkt frame validate FILE --rules numerai-classic` shows every violation")
    } else if let AutopilotError::StateLocked { pid, .. } = &e {
        let hint = match pid {
            Some(pid) => {
                format!("one autopilot per product: stop process {pid} first (nothing was uploaded)")
            }
            None => "one autopilot per product: stop the other one first (nothing was uploaded)".to_owned(),
        };
        return Failure::new(code, e).hint(hint).into();
    } else if e.is_fatal() && !matches!(e, AutopilotError::StateParse { .. }) {
        Some("only the product's owner can upload to it")
    } else {
        None
    };
    let f = Failure::new(code, e);
    match hint {
        Some(h) => f.hint(h).into(),
        None => f.into(),
    }
}

fn default_state_file(product: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(
        base.join("mkt")
            .join(format!("autopilot-{}.json", deploy::unit_name(product))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use secrecy::ExposeSecret;

    #[derive(Debug, Parser)]
    struct Cmd {
        #[command(flatten)]
        args: Args,
    }

    fn args(extra: &[&str]) -> Args {
        let base = ["autopilot", "--product", "p", "--predictions", "x.csv"];
        Cmd::try_parse_from(base.iter().chain(extra))
            .expect("parses")
            .args
    }

    fn usage_error(args: &Args) -> String {
        let err = webhook::config(args).expect_err("refused");
        let failure = err.downcast_ref::<Failure>().expect("a Failure");
        assert_eq!(failure.code, exit::USAGE);
        format!("{err} / {}", failure.hint.clone().unwrap_or_default())
    }

    #[test]
    fn webhook_binds_loopback_unless_told_and_public_addresses_need_a_secret() {
        let a = args(&["--webhook-listen", "8787"]);
        let config = webhook::config(&a).expect("ok").expect("listening");
        assert_eq!(config.addr, "127.0.0.1:8787".parse().expect("addr"));
        assert!(config.secret.is_none());
        assert_eq!(a.min_tick_interval, Duration::from_secs(10));
        assert!(webhook::config(&args(&["--webhook-listen", "[::1]:8787"])).is_ok());
        assert!(webhook::config(&args(&[])).expect("ok").is_none());

        for addr in ["0.0.0.0:8787", "[::]:8787", "192.0.2.7:8787"] {
            let text = usage_error(&args(&["--webhook-listen", addr]));
            assert!(text.contains("without a secret"), "{text}");
            assert!(
                text.contains("MKT_WEBHOOK_SECRET") && text.contains("?token="),
                "{text}"
            );
        }
        let secret = "0123456789abcdef-_.~";
        let a = args(&[
            "--webhook-listen",
            "0.0.0.0:8787",
            "--webhook-secret",
            secret,
            "--min-tick-interval",
            "2s",
        ]);
        let config = webhook::config(&a).expect("ok").expect("listening");
        assert_eq!(
            config.secret.as_ref().map(|s| s.expose_secret().to_owned()),
            Some(secret.to_owned())
        );
        assert_eq!(a.min_tick_interval, Duration::from_secs(2));
        assert!(
            !format!("{a:?}").contains(secret),
            "the secret never shows in Debug"
        );
    }

    #[test]
    fn bad_secrets_are_refused_without_echoing_them() {
        for bad in ["", "has space", "a&b", "per%cent", "plus+"] {
            let text = usage_error(&args(&["--webhook-listen", "8787", "--webhook-secret", bad]));
            assert!(text.contains("letters, digits"), "{text}");
            if !bad.is_empty() {
                assert!(!text.contains(bad), "{text}");
            }
        }
        assert!(webhook::parse_listen("localhost:80").is_err());
        assert!(webhook::parse_listen("99999").is_err());
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let i = Duration::from_secs(60);
        assert_eq!(backoff(i, 0), i);
        assert_eq!(backoff(i, 1), i);
        assert_eq!(backoff(i, 2), Duration::from_secs(120));
        assert_eq!(backoff(i, 20), MAX_BACKOFF);
        let long = Duration::from_secs(3600);
        assert_eq!(backoff(long, 5), long);
    }
}
