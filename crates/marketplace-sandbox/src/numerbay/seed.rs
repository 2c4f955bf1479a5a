//! The seeded NumerBay world: categories, seller, buyers with key pairs, two products, orders.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Duration;

use super::model::{Category, Db, Globals, NumeraiModel, Order, Product, ProductOption, User};
use super::{NumerbayState, OTHER_PASSWORD, SEED_ROUND};
use crate::clock::Clock;
use crate::server::Credentials;
use crate::{Error, Result};

/// What the seed produced that [`crate::SandboxInfo`] reports.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The seller's credentials.
    pub seller: Credentials,
    /// The buyer's credentials.
    pub buyer: Credentials,
    /// The buyer's key file.
    pub buyer_key_file: PathBuf,
    /// Encrypted product sku.
    pub encrypted_product: String,
    /// Unencrypted product sku.
    pub plain_product: String,
}

const SELLER_PASSWORD: &str = "seller-sandbox-password";
const BUYER_PASSWORD: &str = "buyer-sandbox-password";

/// Generates an X25519 key pair and writes `<data_dir>/<username>-numerbay.json` (mode 0600) in
/// the browser export format (§5.4). Returns the base64 public key and the file path.
///
/// # Errors
/// [`Error::Io`] when the file cannot be written.
pub fn write_key_file(data_dir: &Path, username: &str) -> Result<(String, PathBuf)> {
    let secret_bytes: [u8; 32] = rand::random();
    let secret = x25519_dalek::StaticSecret::from(secret_bytes);
    let public = x25519_dalek::PublicKey::from(&secret);
    let public_b64 = STANDARD.encode(public.as_bytes());
    let private_b64 = STANDARD.encode(secret.to_bytes());
    let path = data_dir.join(format!("{username}-numerbay.json"));
    let body = format!(r#"{{"public_key":"{public_b64}","private_key":"{private_b64}"}}"#);
    write_private(&path, body.as_bytes()).map_err(|source| Error::Io {
        op: "write the key file",
        path: path.clone(),
        source,
    })?;
    Ok((public_b64, path))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn model(id: &str, name: &str) -> NumeraiModel {
    NumeraiModel {
        id: id.to_string(),
        name: name.to_string(),
        tournament: 8,
    }
}

fn user(id: u64, username: &str, password: &str, key: Option<String>, models: Vec<NumeraiModel>) -> User {
    User {
        id,
        username: username.to_string(),
        password: password.to_string(),
        email: Some(format!("{username}@sandbox.invalid")),
        is_active: true,
        is_superuser: false,
        public_key_v2: key,
        encrypted_private_key_v2: None,
        numerai_wallet_address: Some(format!("0x{:040x}", id)),
        models,
    }
}

/// Builds the NumerBay state and writes the key files into `data_dir`.
///
/// # Errors
/// [`Error::Io`] when a key file cannot be written.
pub fn seed(data_dir: &Path, clock: &Clock) -> Result<(NumerbayState, Seeded)> {
    let now = clock.now();
    let mut db = Db {
        globals: Some(Globals {
            active_round: SEED_ROUND,
            selling_round: SEED_ROUND,
            round_open: true,
            is_doing_round_rollover: false,
        }),
        ..Db::default()
    };
    type CategorySeed<'a> = (&'a str, &'a str, Option<u32>, bool, bool, Option<u64>);
    let cats: [CategorySeed<'_>; 7] = [
        ("Numerai", "numerai", None, false, false, None),
        (
            "Numerai Predictions",
            "numerai-predictions",
            Some(8),
            true,
            true,
            Some(1),
        ),
        ("Numerai Models", "numerai-models", Some(8), false, false, Some(1)),
        ("Signals", "signals", None, false, false, None),
        (
            "Signals Predictions",
            "signals-predictions",
            Some(11),
            true,
            true,
            Some(4),
        ),
        ("Signals Data", "signals-data", Some(11), true, false, Some(4)),
        ("All", "all", None, false, false, None),
    ];
    for (name, slug, tournament, per_round, submission, parent_id) in cats {
        let id = db.next_id();
        db.categories.insert(
            id,
            Category {
                id,
                name: name.to_string(),
                slug: slug.to_string(),
                tournament,
                is_per_round: per_round,
                is_submission: submission,
                is_per_model: false,
                parent_id,
            },
        );
    }
    let predictions = 2; // id of `numerai-predictions`

    // Users.
    let seller_id = db.next_id();
    db.users.insert(
        seller_id,
        user(
            seller_id,
            "seller",
            SELLER_PASSWORD,
            None,
            vec![model("5e1c0a52-0000-4000-8000-00000000a001", "mkt_sealed")],
        ),
    );
    let (buyer_key, buyer_key_file) = write_key_file(data_dir, "buyer")?;
    let buyer_id = db.next_id();
    db.users.insert(
        buyer_id,
        user(buyer_id, "buyer", BUYER_PASSWORD, Some(buyer_key.clone()), vec![]),
    );
    let mut others = Vec::new();
    for (name, with_key, model_id) in [
        ("direct-buyer", true, Some("d1ec7000-0000-4000-8000-00000000b001")),
        ("stake-buyer", true, Some("57a4e000-0000-4000-8000-00000000b002")),
        ("keyless-buyer", false, None),
        ("lapsed-buyer", true, None),
        ("future-buyer", true, None),
        ("pending-buyer", true, None),
    ] {
        let key = if with_key {
            Some(write_key_file(data_dir, name)?.0)
        } else {
            None
        };
        let models = model_id
            .map(|m| vec![model(m, &name.replace('-', "_"))])
            .unwrap_or_default();
        let id = db.next_id();
        db.users
            .insert(id, user(id, name, OTHER_PASSWORD, key.clone(), models));
        others.push((id, key, model_id));
    }

    // Products and options.
    let add_product = |db: &mut Db, name: &str, encrypted: bool, opts: &[(&str, f64, bool)]| {
        let id = db.next_id();
        let options = opts
            .iter()
            .map(|(mode, price, on_platform)| ProductOption {
                id: db.next_id(),
                is_on_platform: *on_platform,
                quantity: 1,
                price: *price,
                currency: if *on_platform { "NMR" } else { "USD" }.to_string(),
                mode: (*mode).to_string(),
                stake_limit: None,
                is_active: true,
                product_id: id,
            })
            .collect();
        db.products.insert(
            id,
            Product {
                id,
                name: name.to_string(),
                category_id: predictions,
                owner_id: seller_id,
                description: Some(format!("Sandbox {name} predictions")),
                is_active: true,
                use_encryption: encrypted,
                is_ready: false,
                // Daily, so the seeded round (a "weekday" round under §4.2) can be bought.
                is_daily: true,
                expiration_round: None,
                round_lock: None,
                webhook: Some("https://example.invalid/webhook".to_string()),
                model: Some(model("5e1c0a52-0000-4000-8000-00000000a001", "mkt_sealed")),
                options,
                total_num_sales: 0,
            },
        );
        id
    };
    let sealed = add_product(
        &mut db,
        "mkt-sealed",
        true,
        &[("file", 5.0, true), ("stake", 8.0, true)],
    );
    let plain = add_product(
        &mut db,
        "mkt-plain",
        false,
        &[("file", 3.0, true), ("file", 10.0, false)],
    );
    let option_of = |db: &Db, product: u64, mode: &str| {
        db.products
            .get(&product)
            .and_then(|p| p.options.iter().find(|o| o.mode == mode && o.is_on_platform))
            .map_or(0.0, |o| o.price)
    };

    // Orders, ascending ids.
    let add_order = |db: &mut Db,
                     buyer: u64,
                     product: u64,
                     mode: &str,
                     rounds: Vec<u64>,
                     state: &str,
                     key: Option<String>,
                     submit: Option<&str>| {
        let id = db.next_id();
        let price = option_of(db, product, mode);
        db.orders.insert(
            id,
            Order {
                id,
                product_id: product,
                buyer_id: buyer,
                date_order: now - Duration::minutes(1),
                round_order: SEED_ROUND,
                rounds,
                price,
                mode: mode.to_string(),
                stake_limit: None,
                submit_model_id: submit.map(str::to_string),
                submit_model_name: submit.map(|_| "buyer_model".to_string()),
                submit_state: None,
                last_submit_round: None,
                state: state.to_string(),
                buyer_public_key: key,
                from_address: Some(format!("0x{buyer:040x}")),
                to_address: Some(format!("0x{seller_id:040x}")),
                transaction_hash: (state == "confirmed").then(|| format!("0x{id:064x}")),
            },
        );
        if state == "confirmed" {
            if let Some(p) = db.products.get_mut(&product) {
                p.total_num_sales += 1;
            }
        }
    };
    let r = SEED_ROUND;
    add_order(
        &mut db,
        buyer_id,
        sealed,
        "file",
        vec![r],
        "confirmed",
        Some(buyer_key),
        None,
    );
    add_order(&mut db, buyer_id, plain, "file", vec![r], "confirmed", None, None);
    let [direct, stake, keyless, lapsed, future, pending] = [0, 1, 2, 3, 4, 5].map(|i| others[i].clone());
    add_order(
        &mut db,
        direct.0,
        sealed,
        "file",
        vec![r],
        "confirmed",
        direct.1,
        direct.2,
    );
    add_order(
        &mut db,
        stake.0,
        sealed,
        "stake",
        vec![r],
        "confirmed",
        stake.1,
        stake.2,
    );
    add_order(
        &mut db,
        keyless.0,
        sealed,
        "file",
        vec![r],
        "confirmed",
        None,
        None,
    );
    add_order(
        &mut db,
        lapsed.0,
        sealed,
        "file",
        vec![r],
        "expired",
        lapsed.1.clone(),
        None,
    );
    add_order(
        &mut db,
        lapsed.0,
        sealed,
        "file",
        vec![r - 1],
        "confirmed",
        lapsed.1,
        None,
    );
    add_order(
        &mut db,
        future.0,
        sealed,
        "file",
        vec![r + 1],
        "confirmed",
        future.1,
        None,
    );
    add_order(
        &mut db,
        pending.0,
        sealed,
        "file",
        vec![r],
        "pending",
        pending.1,
        None,
    );

    let skus = (
        db.products.get(&sealed).map(|p| db.sku(p)).unwrap_or_default(),
        db.products.get(&plain).map(|p| db.sku(p)).unwrap_or_default(),
    );
    let state = NumerbayState {
        db: Mutex::new(db),
        token_secret: rand::random(),
        data_dir: data_dir.to_path_buf(),
    };
    let seeded = Seeded {
        seller: Credentials {
            username: "seller".into(),
            password: SELLER_PASSWORD.into(),
        },
        buyer: Credentials {
            username: "buyer".into(),
            password: BUYER_PASSWORD.into(),
        },
        buyer_key_file,
        encrypted_product: skus.0,
        plain_product: skus.1,
    };
    Ok((state, seeded))
}
