//! `mkt`: one command line for NumerBay sellers and buyers and CrowdCent Challenge participants.
//!
//! The binary is a thin shell over this library: [`Cli`] is the clap definition (used by xtask to
//! generate `docs/cli.md`, man pages and completions), [`main_entry`] parses, runs and maps errors
//! to the exit codes documented in `docs/cli.md` ("Exit codes"). Everything else is private: the
//! libraries to embed are `numerbay-client` and `crowdcent-client`.
//!
//! ```
//! use clap::CommandFactory;
//! let cmd = mkt_cli::Cli::command();
//! assert_eq!(cmd.get_name(), "mkt");
//! ```
#![deny(missing_docs)]

mod autopilot;
mod config;
mod context;
mod demo;
mod dest;
pub mod docs;
mod dotenv;
mod duration;
mod exit;
mod output;
mod progress;

mod crowdcent;
mod crypto;
mod frame;
mod keys;
mod numerbay;
mod run_daily;
mod sandbox;
mod stop;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use context::{Context, GlobalArgs};

/// Top-level command line of `mkt`.
#[derive(Debug, Parser)]
#[command(
    name = "mkt",
    version,
    about = "Trade and submit predictions on NumerBay and the CrowdCent Challenge",
    long_about = "mkt does everything the official NumerBay and CrowdCent Python clients do, with typed \
errors, constant memory on huge files, concurrent per-order uploads, atomic resumable downloads, local \
validation before submission and an offline sandbox to rehearse the whole pipeline.",
    after_help = "Examples:\n  mkt sandbox demo                      # rehearse the whole pipeline offline\n  mkt numerbay download --product numerai-predictions-mymodel --key-file numerbay.json\n  mkt crowdcent submit preds.parquet --slot 1\n  mkt frame validate preds.csv --rules numerai-classic"
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    command: Command,
}

/// The command groups of `mkt`.
#[derive(Debug, Subcommand)]
enum Command {
    /// NumerBay: account, listings, orders, seller uploads and buyer downloads.
    Numerbay(numerbay::Args),
    /// CrowdCent Challenge: data downloads, submissions and local scoring.
    Crowdcent(crowdcent::Args),
    /// CSV and Parquet frames: convert, validate predictions, inspect.
    Frame(frame::Args),
    /// NumerBay key pairs: generate and show key files.
    Keys(keys::Args),
    /// Seal and open files with libsodium-compatible sealed boxes.
    Crypto(crypto::Args),
    /// A local NumerBay + CrowdCent server for offline rehearsals.
    Sandbox(sandbox::Args),
    /// Read and write defaults in the mkt config file.
    Config(config::Args),
    /// Print a shell completion script.
    #[command(
        long_about = "Print a completion script for your shell on stdout.",
        after_help = "Examples:\n  mkt completions bash > ~/.local/share/bash-completion/completions/mkt\n  mkt completions zsh > \"${fpath[1]}/_mkt\"\n  mkt completions fish > ~/.config/fish/completions/mkt.fish"
    )]
    Completions {
        /// The shell to generate for.
        shell: clap_complete::Shell,
    },
}

/// Parses the process arguments, runs the command and returns the process exit code.
pub fn main_entry() -> ExitCode {
    ExitCode::from(run_from(std::env::args_os()))
}

/// Runs `mkt` with `args` (the first item is the program name) and returns the exit code; what
/// [`main_entry`] does with the process arguments, for hosts that own the process (the Python
/// package's `mkt` console script).
pub fn run_from<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    exit::exit_quietly_on_broken_pipe();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return if err.use_stderr() { exit::USAGE } else { exit::OK };
        }
    };
    let ctx = Context::from_global(&cli.global);
    ctx.init_tracing();
    // Before the runtime's threads exist: loading sets environment variables.
    dotenv::load();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => return report(&anyhow::Error::new(err).context("could not start the async runtime")),
    };
    // The signal handlers are installed before any work starts, and they run as their own task:
    // a command stuck in a blocking call on this thread (opening a FIFO no one reads) still has
    // the interruption recorded, which is what makes the writer give way.
    let stopped = {
        let _entered = runtime.enter();
        let signals = StopSignals::install();
        runtime.spawn(signals.record())
    };
    let result = runtime.block_on(async {
        let command = run(cli.command, &ctx);
        tokio::pin!(command);
        tokio::select! {
            res = &mut command => res,
            _ = stopped => {
                // From here on no output file is put in place (mkt_fs::cancel), blocking work
                // stops at its next chunk, and dropping the command's future removes its temp files.
                if stop::is_graceful() {
                    // The command starts no new work and reports what it did (e.g. submit's
                    // table); a second signal ends the process at once (StopSignals::record).
                    command.await.and_then(|()| Err(anyhow::anyhow!("interrupted")))
                } else {
                    Err(anyhow::anyhow!("interrupted"))
                }
            }
        }
    });
    // Give blocking work (sealing, decrypting, converting) the moment it needs to see the flag
    // and remove its temp file, without letting a stuck task hold the process.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    match result {
        Ok(()) => exit::OK,
        Err(err) => report(&err),
    }
}

/// Prints `err` ([`exit::report`]) and returns its exit code.
fn report(err: &anyhow::Error) -> u8 {
    let _ = exit::report(err);
    exit::code_for(err)
}

/// SIGINT and SIGTERM handlers, installed (so the default "die at once" action is replaced)
/// when this is built.
struct StopSignals {
    #[cfg(unix)]
    handlers: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    /// Installs the handlers; must run inside the runtime.
    fn install() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let handlers = signal(SignalKind::interrupt())
                .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                .ok();
            StopSignals { handlers }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Waits for the first signal and records it ([`mkt_fs::cancel::interrupt`]). A second
    /// signal ends the process at once, for a user who does not want to wait for cleanup (the
    /// next run removes what is left).
    async fn record(self) {
        use mkt_fs::cancel::Signal;
        #[cfg(unix)]
        if let Some((mut int, mut term)) = self.handlers {
            let first = tokio::select! {
                _ = int.recv() => Signal::Interrupt,
                _ = term.recv() => Signal::Terminate,
            };
            mkt_fs::cancel::interrupt(first);
            tokio::spawn(async move {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
                std::process::exit(i32::from(exit::interrupted_code().unwrap_or(exit::INTERRUPTED)));
            });
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
        mkt_fs::cancel::interrupt(Signal::Interrupt);
    }
}

/// Runs one parsed command.
///
/// # Errors
/// Any failure of the command; [`exit::report`] turns it into a message and an exit code.
pub(crate) async fn run(command: Command, ctx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Numerbay(args) => numerbay::run(args, ctx).await,
        Command::Crowdcent(args) => crowdcent::run(args, ctx).await,
        Command::Frame(args) => frame::run(args, ctx).await,
        Command::Keys(args) => keys::run(args, ctx).await,
        Command::Crypto(args) => crypto::run(args, ctx).await,
        Command::Sandbox(args) => sandbox::run(args, ctx).await,
        Command::Config(args) => config::run(args, ctx).await,
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "mkt", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            Ok(())
        }
    }
}

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
