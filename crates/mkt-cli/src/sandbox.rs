//! `mkt sandbox`: placeholder until its issue lands.

use crate::Context;

/// Arguments of `mkt sandbox`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mkt sandbox`.
///
/// # Errors
/// Always, until the command group is implemented.
pub async fn run(_args: Args, _ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("`mkt sandbox` is not available in this build yet")
}
