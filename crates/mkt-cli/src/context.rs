//! Global options and the per-run context handed to every command.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};

/// How commands print their results on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// Aligned human-readable columns.
    #[default]
    Table,
    /// Stable machine-readable JSON (lists are JSON arrays of items).
    Json,
}

/// Options accepted by every command (before or after the subcommand).
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Output format on stdout.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Override the platform API base URL (e.g. a sandbox URL).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print only results and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Log what happens to stderr (repeat for more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never draw progress bars.
    #[arg(long, global = true)]
    pub no_progress: bool,
}

/// Resolved global settings for one run.
#[derive(Debug, Clone)]
pub struct Context {
    /// Output format on stdout.
    pub output: OutputFormat,
    /// API base URL override.
    pub base_url: Option<String>,
    /// Suppress informational messages.
    pub quiet: bool,
    /// Verbosity level for tracing.
    pub verbose: u8,
    /// Whether progress bars may be drawn (stderr is a TTY, not quiet, not JSON, not disabled).
    pub progress: bool,
}

impl Context {
    /// Builds the context from parsed global options.
    pub fn from_global(global: &GlobalArgs) -> Self {
        let progress = !global.no_progress
            && !global.quiet
            && global.output == OutputFormat::Table
            && std::io::stderr().is_terminal();
        Self {
            output: global.output,
            base_url: global.base_url.clone(),
            quiet: global.quiet,
            verbose: global.verbose,
            progress,
        }
    }

    /// Installs a tracing subscriber on stderr when `-v` was given.
    pub fn init_tracing(&self) {
        if self.verbose == 0 {
            return;
        }
        let level = match self.verbose {
            1 => "info",
            2 => "debug",
            _ => "trace",
        };
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }

    /// Prints an informational line on stderr unless `--quiet`.
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }
}
