//! `mkt crypto`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt crypto`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt crypto`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt crypto` is not available in this build yet")
}
