//! `mkt numerbay`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt numerbay`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt numerbay`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt numerbay` is not available in this build yet")
}
