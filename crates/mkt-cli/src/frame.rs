//! `mkt frame`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt frame`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt frame`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt frame` is not available in this build yet")
}
