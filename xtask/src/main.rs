//! Workspace automation, run as `cargo xtask <command>`.
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "mkt workspace automation")]
struct Xtask {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run what CI runs: fmt check, clippy -D warnings, tests.
    Ci,
}

fn main() -> anyhow::Result<()> {
    match Xtask::parse().cmd {
        Cmd::Ci => {
            let status = std::process::Command::new(".ci/run").status()?;
            anyhow::ensure!(status.success(), ".ci/run failed");
            Ok(())
        }
    }
}
