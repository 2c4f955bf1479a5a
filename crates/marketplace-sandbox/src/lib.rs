//! A local server speaking the NumerBay and CrowdCent APIs plus signed-URL storage, for offline runs.
//!
//! [`Sandbox::start`] binds `127.0.0.1` on an ephemeral port, seeds accounts, products, orders and a
//! CrowdCent challenge into a temporary data directory and serves until [`Sandbox::shutdown`];
//! [`SandboxInfo`] carries the base URLs and the seeded credentials. The emulation follows the wire
//! specs (NumerBay §9, CrowdCent §9) independently of the mkt clients, so a shared mistake cannot hide.
//!
//! ```no_run
//! # async fn demo() -> marketplace_sandbox::Result<()> {
//! let sandbox = marketplace_sandbox::Sandbox::start().await?;
//! let info = sandbox.info();
//! println!("NumerBay at {}, log in as {}", info.numerbay_url, info.seller.username);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Mounted APIs
//!
//! | prefix | what |
//! |---|---|
//! | `/backend-api/v1` | NumerBay (login, users/me, globals, categories, products and orders search, buying and cancelling orders, product and order artifacts, lock) |
//! | `/api` | CrowdCent Challenge |
//! | `/storage/{key}` | signed-URL object storage (`GET` with `Range`/206 + `ETag`, `PUT` with `Content-Type: application/octet-stream`) |
//! | `/_sandbox` | the control API below |
//!
//! # Seeded NumerBay data
//!
//! Selling round [`numerbay::SEED_ROUND`], category `numerai-predictions` (per-round). The `seller`
//! owns two products: [`numerbay::ENCRYPTED_PRODUCT`] (`use_encryption`) and [`numerbay::PLAIN_PRODUCT`].
//! The `buyer` (key file in the data directory) holds exactly one confirmed, current, file-mode order
//! on each, without `submit_model_id`. On the encrypted product, more buyers cover the seller's
//! fan-out: `direct-buyer` (file mode with a Numerai model → Numerai-direct upload), `stake-buyer`
//! (stake mode with a model), `keyless-buyer` (no public key → unencrypted product artifact),
//! `lapsed-buyer` (an `expired` order and a past-round order), `future-buyer` (next round only) and
//! `pending-buyer` (a `pending` order the control API can confirm). Extra accounts use the password
//! [`numerbay::OTHER_PASSWORD`].
//!
//! # Control API (`/_sandbox`, JSON in and out)
//!
//! | method & path | body | effect |
//! |---|---|---|
//! | `GET /_sandbox/info` | – | the [`SandboxInfo`] |
//! | `POST /_sandbox/round/advance` | – | round rollover: active and selling round +1, round open, per-round products not ready, older order artifacts `marked_for_pruning` → `{"active_round","selling_round"}` |
//! | `POST /_sandbox/tick` | – | run the scheduler once on the sandbox clock: pending orders older than 45 min expire, product artifacts pending for 10 min become `active` (object present) or `failed` → `{"expired_orders","activated_artifacts","failed_artifacts"}` |
//! | `POST /_sandbox/round` | `{"open": bool}` | open/close the round (closed → uploads get `Tournament round is not open`) |
//! | `GET /_sandbox/clock` | – | `{"now": rfc3339}` |
//! | `POST /_sandbox/clock/advance` | `{"seconds": i64}` | move the sandbox clock (token and URL expiry, CrowdCent periods) |
//! | `POST /_sandbox/clock/set` | `{"now": rfc3339}` | set the sandbox clock |
//! | `POST /_sandbox/users` | `{"username", "password", "with_key"?: bool}` | create a NumerBay user (with a key file written to the data dir) → `{"id","username","public_key","key_file"}` |
//! | `POST /_sandbox/orders` | `{"buyer", "product" (id or sku), "option_id"?, "rounds"?, "state"?, "submit_model_id"?}` | create an order (default: first on-platform option, selling round, `pending`) → Order |
//! | `POST /_sandbox/orders/{id}/confirm` | – | confirm a pending order → Order |
//! | `GET /_sandbox/faults` | – | the current [`faults::FaultConfig`] |
//! | `POST /_sandbox/faults` | a [`faults::FaultRule`] | add a rule: `{"prefix":"/storage/","status":503,"count":1}`, `{"prefix":"/backend-api/v1/orders","latency_ms":200}`, `{"prefix":"/storage/","cut_after_bytes":1000,"count":1}` |
//! | `POST /_sandbox/faults/expire-urls` | – | every storage URL issued so far is rejected (403 `ExpiredToken`) |
//! | `POST /_sandbox/faults/numerai-submission` | `{"fail": bool}` | Numerai-direct validation fails with 404 `Submission failed` |
//! | `DELETE /_sandbox/faults` | – | remove every fault |
//!
//! Control API errors are `{"error": "<message>"}` with status 400 or 404.
//!
//! Payment is not simulated: an order bought through `POST /backend-api/v1/orders/` stays
//! `pending` until `POST /_sandbox/orders/{id}/confirm`. A data directory given to
//! [`SandboxOptions::data_dir`] keeps its objects across restarts, but the NumerBay tables and key
//! files are re-seeded on every start.
#![deny(missing_docs)]

mod clock;
mod control;
pub mod crowdcent;
mod error;
pub mod faults;
pub mod numerbay;
mod server;
mod storage;

use std::sync::Arc;

pub use error::{Error, Result};
pub use server::{Credentials, Sandbox, SandboxInfo, SandboxOptions};

/// State shared by every route (cheap to clone).
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    /// The signed-URL object store.
    pub storage: Arc<storage::Storage>,
    /// The adjustable sandbox clock.
    pub clock: clock::Clock,
    /// Fault switches.
    pub faults: faults::Faults,
    /// NumerBay data.
    pub numerbay: Arc<numerbay::NumerbayState>,
    /// CrowdCent data.
    pub crowdcent: crowdcent::CrowdcentState,
    /// What `GET /_sandbox/info` returns.
    pub info: Arc<SandboxInfo>,
}

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
