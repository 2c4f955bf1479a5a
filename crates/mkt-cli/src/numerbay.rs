//! `mkt numerbay`: account, orders, sales, listings, search, artifacts, seller uploads, buyer
//! downloads and round locking, on the numerbay-client library.

mod credentials;
mod render;
mod submit;
mod transfer;

use clap::{ArgGroup, Subcommand};
use marketplace_types::numerbay::{ArtifactId, OrderId, ProductFilters, ProductId, ProductSearch};
use numerbay_client::{ArtifactFilter, NumerBay, ProductRef, SalesFilter};

use crate::exit::{self, Failure};
use crate::output::OutputFormat;
use crate::Context;

/// The group's long help, naming the default API root from the client's one constant.
fn long_about() -> String {
    format!(
        "Everything the official NumerBay client does. Credentials come from NUMERBAY_USERNAME and \
NUMERBAY_PASSWORD (also read from ./.env), or a prompt when stdin is a terminal; never from a flag. \
The API root is --base-url, else NUMERBAY_API_URL, else the config file, else {}.",
        numerbay_client::DEFAULT_BASE_URL
    )
}

/// Arguments of `mkt numerbay`.
#[derive(Debug, clap::Args)]
#[command(
    about = "NumerBay: account, listings, orders, seller uploads and buyer downloads",
    long_about = long_about(),
    after_help = "Examples:\n  mkt numerbay account\n  mkt numerbay sales --active\n  mkt numerbay submit preds.csv --product numerai-predictions-mymodel\n  mkt numerbay download --product numerai-predictions-theirmodel --key-file numerbay.json\n  mkt --output json numerbay orders"
)]
pub struct Args {
    #[command(subcommand)]
    command: NumerbayCommand,
}

/// Arguments of `mkt numerbay artifacts`: a product, or an order.
#[derive(Debug, Clone, clap::Args)]
struct ArtifactsArgs {
    #[command(flatten)]
    product: ProductArgs,
    /// List this order's artifacts instead (buyer or seller of the order).
    #[arg(long, value_name = "ID", value_parser = parse_order_id, conflicts_with_all = ["product", "product_id"])]
    order_id: Option<OrderId>,
}

/// Which product a command is about.
#[derive(Debug, Clone, clap::Args)]
#[command(group(ArgGroup::new("product_ref").args(["product", "product_id"]).multiple(false)))]
struct ProductArgs {
    /// Product full name (`<category slug>-<name>`, e.g. numerai-predictions-mymodel).
    #[arg(long, value_name = "NAME")]
    product: Option<String>,
    /// Product id.
    #[arg(long, value_name = "ID")]
    product_id: Option<u64>,
}

impl ProductArgs {
    fn get(&self) -> Option<ProductRef> {
        match (&self.product, self.product_id) {
            (_, Some(id)) => Some(ProductRef::Id(ProductId(id))),
            (Some(name), None) => Some(ProductRef::FullName(name.clone())),
            (None, None) => None,
        }
    }

    fn required(&self) -> anyhow::Result<ProductRef> {
        self.get().ok_or_else(|| {
            Failure::new(exit::USAGE, anyhow::anyhow!("no product given"))
                .hint("pass --product NAME or --product-id ID")
                .into()
        })
    }
}

#[derive(Debug, Subcommand)]
enum NumerbayCommand {
    /// Show the logged-in account.
    #[command(
        long_about = "Show the logged-in account (GET users/me): username, e-mail, Numerai wallet and \
whether an encryption key pair is registered. Also a quick way to check the credentials.",
        after_help = "Examples:\n  mkt numerbay account\n  mkt --output json numerbay account"
    )]
    Account,
    /// List the orders you bought.
    #[command(
        long_about = "List every order you bought (all pages), newest first: product, state, mode, rounds, \
price and whether files are sealed to your key.",
        after_help = "Examples:\n  mkt numerbay orders\n  mkt --output json numerbay orders | jq '.[].id'"
    )]
    Orders,
    /// List the orders of your products.
    #[command(
        long_about = "List the orders of your products (all pages), newest first. With --active only sales \
that are confirmed and cover the current selling round: the ones an upload delivers to.",
        after_help = "Examples:\n  mkt numerbay sales\n  mkt numerbay sales --active"
    )]
    Sales {
        /// Only confirmed sales covering the current selling round.
        #[arg(long)]
        active: bool,
    },
    /// List your own products.
    #[command(
        long_about = "List your own products (active and delisted) with encryption, readiness and lock state.",
        after_help = "Examples:\n  mkt numerbay listings\n  mkt --output json numerbay listings"
    )]
    Listings,
    /// Search products.
    #[command(
        long_about = "Search products by a name substring and/or category slug (all pages). Works without \
credentials (public search); with credentials the authenticated search is used.",
        after_help = "Examples:\n  mkt numerbay search\n  mkt numerbay search alpha --category numerai-predictions\n  mkt numerbay search --active-only"
    )]
    Search {
        /// Case-insensitive substring of the product name.
        term: Option<String>,
        /// Exact category slug (e.g. numerai-predictions, signals-data).
        #[arg(long, value_name = "SLUG")]
        category: Option<String>,
        /// Hide delisted products.
        #[arg(long)]
        active_only: bool,
    },
    /// Show the site globals (selling round, totals).
    #[command(
        long_about = "Show the site globals: the active round, the selling round (the round uploads and \
purchases are for) and site totals. Needs no credentials.",
        after_help = "Examples:\n  mkt numerbay globals\n  mkt --output json numerbay globals | jq .selling_round"
    )]
    Globals,
    /// List a product's or an order's artifacts.
    #[command(
        long_about = "List a product's artifacts (every state, newest first), allowed for the owner and for \
current buyers; or, with --order-id, an order's artifacts (every round the server still keeps), for \
the buyer or the seller of the order.",
        after_help = "Examples:\n  mkt numerbay artifacts --product numerai-predictions-mymodel\n  mkt numerbay artifacts --product-id 42\n  mkt numerbay artifacts --order-id 1001"
    )]
    Artifacts(ArtifactsArgs),
    /// Upload a file to a product (seller).
    #[command(
        long_about = "Validate a predictions file, then upload it for the current selling round. The rules \
follow the product's category (numerai-classic for Numerai predictions, numerai-signals for Signals); \
--rules NAME overrides them, --no-validate skips the check. An empty or invalid file exits 5 and \
nothing is sent. Unencrypted products get one product artifact. Encrypted products get a copy per \
active sale: a plaintext Numerai-direct copy for orders with a submission model and a copy sealed \
to the buyer's key for file-mode orders, plus one product artifact when an active sale has no key. \
Submitting is idempotent within a round: copies the server already holds for the round (active, or \
pending for less than 15 minutes: in flight) are skipped and reported; --replace sends a fresh copy to every target. Copies \
go out concurrently (8 at a time); one failing copy does not stop the others (exit 1). Ctrl-C \
starts no new copy, lets those in flight finish, prints each target's status and exits 130 \
(143 on SIGTERM). --order-id naming no active sale of the product exits 4.",
        after_help = "Examples:\n  mkt numerbay submit preds.csv --product numerai-predictions-mymodel\n  mkt numerbay submit preds.parquet --product-id 42 --order-id 1001\n  mkt numerbay submit preds.csv --product numerai-predictions-mymodel --replace\n  mkt numerbay submit signals.csv --product signals-predictions-mymodel --rules numerai-signals --concurrency 4"
    )]
    Submit(submit::SubmitArgs),
    /// Download a purchased file (buyer).
    #[command(
        long_about = "Download the file of your current order (confirmed, covering the selling round) for a \
product; of any confirmed order of yours with --order-id (past rounds too, as long as the server still \
serves its files); or an exact artifact id (an integer is a product artifact, 32 hex characters an \
order artifact). Files sealed to your key are opened with your private key, after checking it matches \
the order's key. The key comes from --key-file, else NUMERBAY_KEY_PATH, else NUMERBAY_KEY_BASE64 (the \
base64 private key, for CI secret stores), else the config's numerbay.key_file, else ./numerbay.json. \
The file lands atomically; on failure nothing is left behind.",
        after_help = "Examples:\n  mkt numerbay download --product numerai-predictions-theirmodel\n  mkt numerbay download --order-id 1001 --key-file numerbay.json --out preds.csv\n  NUMERBAY_KEY_PATH=numerbay.json mkt numerbay download --artifact-id 3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a"
    )]
    Download(transfer::DownloadArgs),
    /// Upload for every new sale of a product, all round, unattended (seller).
    Autopilot(crate::autopilot::Args),
    /// Lock a product for a round so it can no longer be bought.
    #[command(
        long_about = "Lock a product for a round (default: the selling round): orders for that round or \
earlier are refused. Locks only move forward; locking a round that is already locked succeeds and \
says so.",
        after_help = "Examples:\n  mkt numerbay lock --product numerai-predictions-mymodel\n  mkt numerbay lock --product-id 42 --round 512"
    )]
    Lock {
        #[command(flatten)]
        product: ProductArgs,
        /// Round to lock (default: the selling round).
        #[arg(long, value_name = "N")]
        round: Option<u32>,
    },
}

/// Runs `mkt numerbay`.
///
/// # Errors
/// Missing or rejected credentials (exit 3), not found (exit 4), other failures (exit 1).
pub async fn run(args: Args, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        NumerbayCommand::Account => {
            let nb = logged_in(ctx)?;
            let me = nb.me().await.map_err(fail)?;
            render::account(&me, ctx)
        }
        NumerbayCommand::Orders => {
            let nb = logged_in(ctx)?;
            let orders = nb.my_orders().await.map_err(fail)?;
            render::orders(&orders, ctx, false)
        }
        NumerbayCommand::Sales { active } => {
            let nb = logged_in(ctx)?;
            let filter = if active {
                SalesFilter::ActiveThisRound
            } else {
                SalesFilter::All
            };
            let sales = nb.my_sales(filter).await.map_err(fail)?;
            render::orders(&sales, ctx, true)
        }
        NumerbayCommand::Listings => {
            let nb = logged_in(ctx)?;
            let products = nb.my_listings().await.map_err(fail)?;
            render::products(&products, ctx)
        }
        NumerbayCommand::Search {
            term,
            category,
            active_only,
        } => {
            let nb = optional_login(ctx)?;
            let body = ProductSearch {
                term: term.filter(|t| !t.is_empty()),
                category_slug: category.filter(|c| !c.is_empty()),
                filters: active_only.then(|| ProductFilters {
                    status: Some(marketplace_types::numerbay::InFilter::new(["active"])),
                    ..ProductFilters::default()
                }),
                ..ProductSearch::default()
            };
            let products = nb.search_all_products(&body).await.map_err(fail)?;
            render::products(&products, ctx)
        }
        NumerbayCommand::Globals => {
            let nb = public(ctx)?;
            let globals = nb.globals().await.map_err(fail)?;
            render::globals(&globals, ctx)
        }
        NumerbayCommand::Artifacts(args) => {
            let nb = logged_in(ctx)?;
            if let Some(order) = args.order_id {
                let page = nb
                    .order_artifacts(order, ArtifactFilter::All)
                    .await
                    .map_err(fail)?;
                return render::order_artifacts(page.data, ctx);
            }
            let product = args.product.required()?;
            let p = nb.product(&product).await.map_err(fail)?;
            let page = nb.product_artifacts(p.id).await.map_err(fail)?;
            render::artifacts(page.data, ctx)
        }
        NumerbayCommand::Submit(args) => {
            args.product.required()?;
            let nb = logged_in(ctx)?;
            submit::submit(&nb, args, ctx).await
        }
        NumerbayCommand::Download(args) => {
            let request = transfer::request(&args)?;
            let nb = logged_in(ctx)?;
            transfer::download(&nb, request, args, ctx).await
        }
        NumerbayCommand::Autopilot(args) => crate::autopilot::run(args, ctx, logged_in).await,
        NumerbayCommand::Lock { product, round } => {
            let product = product.required()?;
            let nb = logged_in(ctx)?;
            lock(&nb, &product, round, ctx).await
        }
    }
}

/// `mkt numerbay lock`: a round that is already locked is success ("already locked for round N").
async fn lock(nb: &NumerBay, product: &ProductRef, round: Option<u32>, ctx: &Context) -> anyhow::Result<()> {
    let p = nb.product(product).await.map_err(fail)?;
    let wanted = match round {
        Some(r) => r,
        None => nb.globals().await.map_err(fail)?.selling_round,
    };
    let sku = crate::output::terminal_safe(&p.sku);
    let already = |locked: u32| -> anyhow::Result<()> {
        if ctx.output == OutputFormat::Json {
            return crate::output::print_json(&serde_json::json!({
                "id": p.id, "sku": p.sku, "round_lock": locked, "already_locked": true
            }));
        }
        println!("{sku} is already locked for round {locked}");
        Ok(())
    };
    if let Some(locked) = p.round_lock.filter(|l| *l >= wanted) {
        return already(locked);
    }
    let row = match nb.lock_product(p.id, Some(wanted)).await {
        Ok(row) => row,
        // Locked in between (another run): the server refuses a lock that does not move forward.
        Err(e) if e.to_string().contains("already locked") => {
            let now = nb.product(&ProductRef::Id(p.id)).await.map_err(fail)?;
            return already(now.round_lock.unwrap_or(wanted));
        }
        Err(e) => return Err(fail(e)),
    };
    if ctx.output == OutputFormat::Json {
        crate::output::print_json(&row)
    } else {
        println!("locked {sku} for round {}", row.round_lock.unwrap_or(wanted));
        Ok(())
    }
}

/// A client with credentials (from the environment, ./.env or a TTY prompt); exit 3 before any
/// request when there are none.
fn logged_in(ctx: &Context) -> anyhow::Result<NumerBay> {
    let creds = credentials::require()?;
    build(ctx, Some(creds))
}

/// A client with credentials when they are available without prompting, else a public one.
fn optional_login(ctx: &Context) -> anyhow::Result<NumerBay> {
    build(ctx, credentials::from_env())
}

fn public(ctx: &Context) -> anyhow::Result<NumerBay> {
    build(ctx, None)
}

fn build(ctx: &Context, creds: Option<numerbay_client::Credentials>) -> anyhow::Result<NumerBay> {
    let base = base_url(ctx)?;
    let mut builder = NumerBay::builder().base_url(base);
    if let Some(c) = creds {
        builder = builder.credentials(c);
    }
    builder.build().map_err(|e| {
        Failure::new(exit::USAGE, e)
            .hint(format!(
                "use an http(s) URL such as {}",
                numerbay_client::DEFAULT_BASE_URL
            ))
            .into()
    })
}

/// `--base-url`, else `NUMERBAY_API_URL` (environment or ./.env), else the config, else production.
fn base_url(ctx: &Context) -> anyhow::Result<String> {
    if let Some(b) = ctx.base_url.clone().filter(|b| !b.is_empty()) {
        return Ok(b);
    }
    if let Some(b) = std::env::var(numerbay_client::ENV_API_URL)
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        return Ok(b);
    }
    Ok(crate::config::Config::load()?
        .get("numerbay.base_url")
        .map(str::to_owned)
        .unwrap_or_else(|| numerbay_client::DEFAULT_BASE_URL.to_owned()))
}

/// Attaches the exit code (and a hint) that fits a client error.
pub(crate) fn fail(e: numerbay_client::Error) -> anyhow::Error {
    use numerbay_client::Error as E;
    let code = exit::code_of(&e);
    let key_problem = matches!(
        &e,
        E::KeyFileRequired { .. }
            | E::Crypto(artifact_crypto::Error::KeyMismatch { .. })
            | E::Crypto(artifact_crypto::Error::Authentication { .. })
    );
    let hint = if key_problem {
        Some("use the key file exported from NumerBay for the account that placed the order (--key-file or NUMERBAY_KEY_PATH)")
    } else if e.is_auth() {
        Some("check NUMERBAY_USERNAME and NUMERBAY_PASSWORD (or ./.env); `mkt numerbay account` tests them")
    } else if e.is_retryable() {
        Some("the server or network may be busy; try again later")
    } else {
        None
    };
    let f = Failure::new(code, e);
    match hint {
        Some(h) => f.hint(h).into(),
        None => f.into(),
    }
}

fn parse_artifact_id(s: &str) -> Result<ArtifactId, String> {
    s.parse::<ArtifactId>().map_err(|e| {
        format!("{e} (an artifact id is an integer for product artifacts or 32 hex characters for order artifacts)")
    })
}

fn parse_order_id(s: &str) -> Result<OrderId, String> {
    s.parse::<OrderId>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(argv: &[&str]) -> Result<crate::Cli, clap::Error> {
        crate::Cli::try_parse_from(argv)
    }

    #[test]
    fn product_and_product_id_conflict() {
        assert!(parse(&[
            "mkt",
            "numerbay",
            "artifacts",
            "--product",
            "a",
            "--product-id",
            "1"
        ])
        .is_err());
        assert!(parse(&["mkt", "numerbay", "artifacts", "--product-id", "1"]).is_ok());
    }

    #[test]
    fn artifact_ids_are_routed_by_format() {
        let ok = parse(&[
            "mkt",
            "numerbay",
            "download",
            "--artifact-id",
            "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a",
        ]);
        assert!(ok.is_ok());
        let bad = parse(&["mkt", "numerbay", "download", "--artifact-id", "12ab"]);
        assert!(bad.is_err());
        assert_eq!(parse_artifact_id("744"), Ok(ArtifactId::Product(744.into())));
    }

    #[test]
    fn there_is_no_password_flag() {
        assert!(parse(&["mkt", "numerbay", "account", "--password", "x"]).is_err());
    }

    #[test]
    fn error_codes() {
        use numerbay_client::Error;
        let code = |e: Error| exit::code_for(&fail(e));
        assert_eq!(code(Error::CredentialsRequired { call: "x" }), exit::AUTH);
        assert_eq!(
            code(Error::ProductNotFound {
                query: "x".into(),
                near: vec![]
            }),
            exit::NOT_FOUND
        );
        assert_eq!(code(Error::KeyFileRequired { order_id: OrderId(1) }), exit::AUTH);
        assert_eq!(code(Error::UploadFailed { failed: 1, total: 2 }), exit::FAILED);
    }
}
