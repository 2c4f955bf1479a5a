//! `mkt crowdcent`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt crowdcent`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt crowdcent`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt crowdcent` is not available in this build yet")
}
