//! `mkt keys`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt keys`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt keys`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt keys` is not available in this build yet")
}
