//! Workspace automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! Keep dependencies minimal: xtask is compiled on every call.

mod bench;
mod bench_frames;
mod docs;
mod release;
mod tidy;
mod wheel;

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "mkt workspace automation")]
struct Xtask {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run what CI runs (`.ci/run`): fmt check, clippy -D warnings, tests.
    Ci,
    /// Regenerate docs/cli.md, man pages (docs/man/) and completions (docs/completions/).
    Docs {
        /// Only check that the committed files are current; exit non-zero when stale.
        #[arg(long)]
        check: bool,
    },
    /// Benchmark mkt against the official Python clients and dataframe libraries; prints a table and
    /// writes docs/benchmarks.md.
    Bench(bench::BenchArgs),
    /// Build the Python package's wheel (crates/mkt-python, abi3, maturin) into target/wheels.
    Wheel,
    /// Run a cargo-fuzz target (needs `cargo install cargo-fuzz` and a nightly toolchain).
    Fuzz {
        /// Target name: csv_read, parquet_read, key_file, sealed_open, dto_decode.
        target: String,
        /// Seconds to run.
        #[arg(long, default_value_t = 600)]
        time: u64,
    },
    /// Bump every crate to VERSION, check the changelog, run the tests, package each crate and
    /// build the Python wheel.
    ///
    /// `--dry-run` changes nothing: it packages and verifies every publishable crate in dependency
    /// order (`.ci/run` calls it so packaging breaks are caught before a release).
    Release {
        /// The new version, e.g. 0.2.0 (not needed with --dry-run).
        #[arg(required_unless_present = "dry_run")]
        version: Option<String>,
        /// Only check that every publishable crate packages and builds from its tarball.
        #[arg(long)]
        dry_run: bool,
        /// Skip `cargo package` (useful offline).
        #[arg(long, conflicts_with = "dry_run")]
        no_package: bool,
    },
}

fn main() -> anyhow::Result<()> {
    let root = workspace_root();
    match Xtask::parse().cmd {
        Cmd::Ci => run(Command::new(root.join(".ci/run")).current_dir(&root)),
        Cmd::Docs { check } => docs::run(&root, check),
        Cmd::Release {
            version,
            dry_run,
            no_package,
        } => match version {
            Some(version) if !dry_run => release::run(&root, &version, no_package),
            _ => release::package(&root),
        },
        Cmd::Bench(args) => bench::run(&root, args),
        Cmd::Wheel => wheel::run(&root).map(drop),
        Cmd::Fuzz { target, time } => run(Command::new("cargo")
            .args(["+nightly", "fuzz", "run", &target, "--"])
            .arg(format!("-max_total_time={time}"))
            .current_dir(&root)),
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command, failing when it exits non-zero.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status()?;
    anyhow::ensure!(status.success(), "{cmd:?} failed with {status}");
    Ok(())
}
