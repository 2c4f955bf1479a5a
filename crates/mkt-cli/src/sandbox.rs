//! `mkt sandbox`: run a local NumerBay + CrowdCent + storage server for offline rehearsals.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args as ClapArgs, Subcommand};
use marketplace_sandbox::{Sandbox, SandboxInfo, SandboxOptions};

use crate::context::OutputFormat;
use crate::output::Table;
use crate::Context;

/// Arguments of `mkt sandbox`.
#[derive(Debug, ClapArgs)]
#[command(
    about = "A local NumerBay + CrowdCent server for offline rehearsals",
    long_about = "The sandbox speaks the NumerBay and CrowdCent APIs and their signed-URL storage on \
127.0.0.1, with seeded accounts, products, orders and a CrowdCent challenge, a control API under \
/_sandbox and switchable faults. Point mkt (or the official Python clients) at its URLs.",
    after_help = "Examples:\n  mkt sandbox serve\n  mkt sandbox serve --port 8700 --data-dir ./sandbox-data\n  mkt --output json sandbox serve | head -n1"
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: SandboxCommand,
}

/// Subcommands of `mkt sandbox`.
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Start a sandbox and serve until Ctrl-C.
    #[command(
        long_about = "Starts the sandbox on 127.0.0.1 and prints its URLs and seeded credentials: a table on \
stdout, or with --output json exactly one JSON object on the first stdout line (numerbay_url, \
crowdcent_url, control_url, storage_url, seller, buyer, buyer_key_file, crowdcent_api_key, \
encrypted_product, plain_product, challenge, data_dir). Then serves until interrupted. Objects and \
key files go to --data-dir (a temporary directory removed on exit when omitted).",
        after_help = "Examples:\n  mkt sandbox serve\n  mkt sandbox serve --port 8700\n  mkt --output json sandbox serve --data-dir /tmp/sbx"
    )]
    Serve(ServeArgs),
    /// Run the whole seller, buyer and CrowdCent story against an in-process sandbox.
    #[command(
        long_about = "Starts a sandbox in-process and runs the whole story with the real mkt client code: \
the seller validates and uploads a predictions CSV to the encrypted product (one sealed copy per active \
order), the buyer downloads and decrypts it and the bytes are compared, then the CrowdCent inference file \
is downloaded, a submission built from its ids is validated and submitted, and the submissions are \
listed. Prints each step; exits 0 when every step succeeded. Needs no network and no credentials.",
        after_help = "Examples:\n  mkt sandbox demo\n  mkt --output json sandbox demo   # one JSON summary object"
    )]
    Demo,
}

/// Arguments of `mkt sandbox serve`.
#[derive(Debug, ClapArgs)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (an ephemeral one when omitted).
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Directory for objects and key files (kept after exit).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Runs `mkt sandbox`.
///
/// # Errors
/// The sandbox cannot bind its port or write its data directory.
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        SandboxCommand::Serve(serve) => run_serve(serve, ctx).await,
        SandboxCommand::Demo => crate::demo::run(ctx).await,
    }
}

async fn run_serve(args: ServeArgs, ctx: &Context) -> anyhow::Result<()> {
    let sandbox = Sandbox::start_with(SandboxOptions {
        port: args.port,
        data_dir: args.data_dir,
    })
    .await
    .context("could not start the sandbox")?;
    print_info(sandbox.info(), ctx)?;
    if !ctx.quiet {
        eprintln!("sandbox: serving until Ctrl-C");
    }
    // Ctrl-C and SIGTERM belong to main's one handler: it drops this future (the sandbox and its
    // temporary data directory go with it) and exits 130/143, whichever signal came.
    sandbox
        .serve_until(std::future::pending())
        .await
        .context("the sandbox stopped")?;
    Ok(())
}

fn print_info(info: &SandboxInfo, ctx: &Context) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match ctx.output {
        OutputFormat::Json => {
            // One line, flushed at once, so scripts can read it while the server keeps running.
            serde_json::to_writer(&mut out, info)?;
            writeln!(out)?;
        }
        OutputFormat::Table => {
            let mut t = Table::new(["what", "value"]);
            t.row(["numerbay_url", info.numerbay_url.as_str()]);
            t.row(["crowdcent_url", info.crowdcent_url.as_str()]);
            t.row(["control_url", info.control_url.as_str()]);
            t.row([
                "seller",
                &format!("{} / {}", info.seller.username, info.seller.password),
            ]);
            t.row([
                "buyer",
                &format!("{} / {}", info.buyer.username, info.buyer.password),
            ]);
            t.row(["buyer_key_file", &info.buyer_key_file.display().to_string()]);
            t.row(["crowdcent_api_key", info.crowdcent_api_key.as_str()]);
            t.row(["encrypted_product", info.encrypted_product.as_str()]);
            t.row(["plain_product", info.plain_product.as_str()]);
            t.row(["challenge", info.challenge.as_str()]);
            t.row(["data_dir", &info.data_dir.display().to_string()]);
            out.write_all(t.render().as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}
