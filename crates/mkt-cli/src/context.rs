//! Global options and the per-run context handed to every command.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::FormatFields;

use crate::output::terminal_safe;

/// How commands print their results on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// Aligned human-readable columns.
    #[default]
    Table,
    /// Stable machine-readable JSON (lists are JSON arrays of items).
    Json,
}

/// The help heading under which every subcommand lists the options of [`GlobalArgs`].
pub const GLOBAL_HEADING: &str = "Global options";

/// Options accepted by every command (before or after the subcommand).
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Output format on stdout.
    // Not a file path: that is a command's -o/--out, which the parser's error points at.
    #[arg(long, global = true, value_parser = OutputFormatParser, default_value = "table", help_heading = GLOBAL_HEADING)]
    pub output: OutputFormat,
    /// Override the platform API base URL (e.g. a sandbox URL).
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL_HEADING)]
    pub base_url: Option<String>,
    /// Print only results and errors.
    #[arg(short, long, global = true, help_heading = GLOBAL_HEADING)]
    pub quiet: bool,
    /// Log to stderr: -v each request (method, path, status, time), -vv mkt's debug detail, -vvv
    /// also dependency internals (hyper, reqwest).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL_HEADING)]
    pub verbose: u8,
    /// Never draw progress bars.
    #[arg(long, global = true, help_heading = GLOBAL_HEADING)]
    pub no_progress: bool,
}

/// Parses `--output table|json`; any other value (typically a path, the official CrowdCent CLI's
/// `--output PATH`) is a usage error that points at `--out`.
#[derive(Debug, Clone, Copy)]
struct OutputFormatParser;

impl clap::builder::TypedValueParser for OutputFormatParser {
    type Value = OutputFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<OutputFormat, clap::Error> {
        let inner = clap::builder::EnumValueParser::<OutputFormat>::new();
        inner.parse_ref(cmd, arg, value).map_err(|_| {
            let value = terminal_safe(&value.to_string_lossy()).into_owned();
            let message = format!(
                "invalid value '{value}' for '--output <OUTPUT>': --output picks the output format \
(table or json)\n\n  tip: did you mean --out {value}? (to write a file: -o/--out PATH)\n"
            );
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, message).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            OutputFormat::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
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

    /// Installs a tracing subscriber on stderr when `-v` was given (`RUST_LOG` then overrides the
    /// levels).
    ///
    /// `-v` logs mkt's own steps (each HTTP request's method, path, status and duration), `-vv`
    /// adds mkt's debug detail, `-vvv` also the internals of dependencies (hyper, reqwest). Colour
    /// only when stderr is a terminal.
    pub fn init_tracing(&self) {
        if self.verbose == 0 {
            return;
        }
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(log_filter(self.verbose)));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .fmt_fields(SafeFields::default())
            // tracing-subscriber colours by default even into a pipe or a log file.
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .try_init();
    }

    /// Prints an informational line on stderr unless `--quiet`, made [`terminal_safe`].
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{}", terminal_safe(&msg.to_string()));
        }
    }
}

/// The crates of this workspace, whose logs `-v` and `-vv` show.
const OWN_CRATES: &[&str] = &[
    "mkt_cli",
    "mkt_fs",
    "marketplace_core",
    "marketplace_types",
    "numerbay_client",
    "crowdcent_client",
    "artifact_crypto",
    "frame_io",
];

/// The `EnvFilter` directives for `-v` repeated `verbose` times: dependencies stay at `warn`
/// until `-vvv`.
fn log_filter(verbose: u8) -> String {
    let (deps, own) = match verbose {
        0 => return "off".to_owned(),
        1 => ("warn", "info"),
        2 => ("warn", "debug"),
        _ => ("debug", "trace"),
    };
    let mut directives = vec![deps.to_owned()];
    directives.extend(OWN_CRATES.iter().map(|c| format!("{c}={own}")));
    directives.join(",")
}

/// Log fields made [`terminal_safe`].
///
/// tracing-subscriber 0.3.23 escapes ESC, BEL, BS, FF, DEL and C1 controls only in the `message`
/// field and in `error`-typed fields; a `%display` field such as `error = %e` or `sku = %p.sku`
/// (both may hold server text) is written raw, and no field has CR, LF or bidi overrides escaped.
#[derive(Debug, Default)]
struct SafeFields(DefaultFields);

impl<'writer> FormatFields<'writer> for SafeFields {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'writer>, fields: R) -> std::fmt::Result {
        let mut plain = String::new();
        self.0.format_fields(Writer::new(&mut plain), fields)?;
        writer.write_str(&terminal_safe(&plain))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use clap::Parser;

    use super::*;

    #[test]
    fn output_takes_a_format_and_points_a_path_at_out() {
        let parse = |v: &str| crate::Cli::try_parse_from(["mkt", "--output", v, "config", "path"]);
        assert!(parse("json").is_ok());
        assert!(parse("table").is_ok());
        for path in ["out.csv", "dir/x", "predictions", "-"] {
            let err = parse(path).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                err.contains(&format!("did you mean --out {path}?")),
                "{path}: {err}"
            );
        }
    }

    #[test]
    fn verbosity_keeps_dependencies_quiet_until_three() {
        assert!(log_filter(1).starts_with("warn,") && log_filter(1).contains("marketplace_core=info"));
        assert!(log_filter(2).starts_with("warn,") && log_filter(2).contains("mkt_cli=debug"));
        assert!(log_filter(3).starts_with("debug,"));
        for v in 1..=3 {
            assert!(tracing_subscriber::EnvFilter::try_new(log_filter(v)).is_ok());
        }
    }

    #[test]
    fn log_fields_are_terminal_safe() {
        let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = Arc::clone(&buf);
        let subscriber = tracing_subscriber::fmt()
            .fmt_fields(SafeFields::default())
            .without_time()
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        let detail = "bad \u{1b}[2J\r\n\u{202e}";
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(error = %detail, sku = detail, "retrying {detail}");
        });
        let text = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
        assert!(!text.contains(['\u{1b}', '\r', '\u{202e}']), "{text:?}");
        assert_eq!(text.matches('\n').count(), 1, "one line: {text:?}");
        assert!(text.contains(r"error=bad \x1b[2J\r\n\u{202e}"), "{text:?}");
    }

    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
