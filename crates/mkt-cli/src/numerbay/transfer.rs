//! `mkt numerbay download`: buyer downloads with a progress bar.

use std::path::PathBuf;

use marketplace_types::numerbay::{ArtifactId, OrderId};
use numerbay_client::{DownloadOptions, DownloadRequest, NumerBay};

use super::{fail, parse_artifact_id, parse_order_id, ProductArgs};
use crate::exit::{self, Failure};
use crate::output::{count, print_json, OutputFormat, Table};
use crate::Context;

/// Arguments of `mkt numerbay download`.
#[derive(Debug, clap::Args)]
pub(super) struct DownloadArgs {
    #[command(flatten)]
    pub(super) product: ProductArgs,
    /// The order whose file to download.
    #[arg(long, value_name = "ID", value_parser = parse_order_id)]
    pub(super) order_id: Option<OrderId>,
    /// An exact artifact: an integer (product artifact) or 32 hex characters (order artifact).
    #[arg(long, value_name = "ID", value_parser = parse_artifact_id)]
    pub(super) artifact_id: Option<ArtifactId>,
    /// Key file exported from NumerBay, for files sealed to your key (default: NUMERBAY_KEY_PATH,
    /// NUMERBAY_KEY_BASE64, the config's numerbay.key_file, ./numerbay.json).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Destination file, existing directory or - for standard output (default: the artifact's
    /// name, reduced to a safe file name, in the current directory).
    #[arg(long, short = 'o', value_name = "PATH")]
    out: Option<PathBuf>,
    /// Let the artifact's own name replace an existing file (a path given with --out is always
    /// replaced).
    #[arg(long)]
    force: bool,
}

/// What `args` asks to download; a usage error (exit 2) when it names nothing.
pub(super) fn request(args: &DownloadArgs) -> anyhow::Result<DownloadRequest> {
    // An artifact id names the file exactly (an order id given with it is not needed).
    let request = match (args.artifact_id.clone(), args.order_id, args.product.get()) {
        (Some(artifact_id), _, product) => DownloadRequest::Artifact { artifact_id, product },
        (None, Some(order_id), product) => DownloadRequest::Order { order_id, product },
        (None, None, Some(product)) => DownloadRequest::Product(product),
        (None, None, None) => {
            return Err(Failure::new(exit::USAGE, anyhow::anyhow!("nothing to download"))
                .hint("pass --product NAME, --product-id ID, --order-id ID or --artifact-id ID")
                .into())
        }
    };
    Ok(request)
}

pub(super) async fn download(
    nb: &NumerBay,
    request: DownloadRequest,
    args: DownloadArgs,
    ctx: &Context,
) -> anyhow::Result<()> {
    let key_pair = crate::keys::resolve_key_pair(args.key_file, ctx)?.map(|k| k.key_pair);
    let have_key = key_pair.is_some();
    let bar = crate::progress::bytes_bar(ctx, None, "download");
    let options = DownloadOptions {
        key_pair,
        dest: args.out,
        overwrite: args.force,
        progress: Some(crate::progress::sink(&bar)),
    };
    let result = nb.download(&request, options).await;
    bar.finish_and_clear();
    let outcome = match result {
        Err(numerbay_client::Error::KeyFileRequired { order_id }) if !have_key => {
            return Err(crate::keys::no_key_error(&format!(
                " to open the copy of order {order_id}, which is sealed to your key"
            )))
        }
        other => other.map_err(fail)?,
    };
    if let Some(name) = &outcome.renamed_from {
        ctx.info(format!(
            "the server's file name {name:?} is not a safe file name; saved as {}",
            outcome.path.display()
        ));
    }
    if outcome.path.as_os_str() == "-" {
        // The data went to standard output; a summary there would corrupt it.
        ctx.info(format!(
            "{} written to standard output",
            count(outcome.bytes, "byte", "bytes")
        ));
        return Ok(());
    }
    if ctx.output == OutputFormat::Json {
        return print_json(&outcome);
    }
    let mut t = Table::new(["path", "bytes", "artifact", "order", "decrypted"]);
    t.row([
        outcome.path.display().to_string(),
        outcome.bytes.to_string(),
        outcome.artifact_id.to_string(),
        outcome.order_id.map_or_else(|| "-".to_owned(), |o| o.to_string()),
        if outcome.decrypted { "yes" } else { "no" }.to_owned(),
    ]);
    t.print()
}
