//! NumerBay domain API for sellers and buyers, on the marketplace-core transport.
//!
//! [`NumerBay`] is the client (build it with [`NumerBay::builder`], [`NumerBay::new`] or
//! [`NumerBay::from_env`]). It covers the account, orders and sales, product search and
//! resolution by full name ([`ProductRef`]), artifact listing and deletion, product locking, the
//! seller fan-out [`NumerBay::upload_artifact`] (planned by [`plan::plan_upload`], reported in an
//! [`UploadReport`]) and the buyer [`NumerBay::download`] (resolved by the rules in [`resolve`]).
//! Errors are one [`Error`] enum; server messages are kept verbatim inside.
//!
//! Features: `frames` (default; uploads of arrow record batches, frame-io with arrow and parquet)
//! and `autopilot` (default; the round autopilot and its predictions-command runner). With
//! `default-features = false` the crate is the API client with the sealed-copy fan-out and the
//! buyer download, without arrow, parquet or a command runner. The DTOs are re-exported as
//! [`types`].
//!
//! A seller uploads, a buyer downloads (this runs against the bundled sandbox server):
//!
//! ```
//! use numerbay_client::{
//!     ArtifactSource, Credentials, DownloadOptions, DownloadRequest, NumerBay, ProductRef, UploadOptions,
//! };
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = marketplace_sandbox::Sandbox::start().await?;
//! # let info = sandbox.info();
//! # let dir = tempfile::tempdir()?;
//! let seller = NumerBay::builder()
//!     .base_url(&info.numerbay_url)
//!     .credentials(Credentials::new(&info.seller.username, info.seller.password.clone()))
//!     .build()?;
//! let product = ProductRef::FullName(info.plain_product.clone());
//! let csv = "id,prediction\nn1,0.5\nn2,0.25\n";
//! let report = seller
//!     .upload_artifact(&product, ArtifactSource::bytes(csv, "preds.csv"), UploadOptions::default())
//!     .await?;
//! for (target, artifact) in report.succeeded() {
//!     println!("{}: {}", target.label(), artifact.artifact_id);
//! }
//! report.ensure_success()?;
//!
//! let buyer = NumerBay::builder()
//!     .base_url(&info.numerbay_url)
//!     .credentials(Credentials::new(&info.buyer.username, info.buyer.password.clone()))
//!     .build()?;
//! let options = DownloadOptions {
//!     dest: Some(dir.path().join("bought.csv")),
//!     ..DownloadOptions::default()
//! };
//! let outcome = buyer.download(&DownloadRequest::Product(product), options).await?;
//! assert_eq!(std::fs::read_to_string(&outcome.path)?, csv);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod account;
mod artifacts;
#[cfg(feature = "autopilot")]
pub mod autopilot;
mod client;
mod delivered;
mod download;
mod error;
mod link;
mod orders;
mod paging;
pub mod plan;
mod products;
mod report;
pub mod resolve;
mod submit;
mod upload;

pub use artifacts::ArtifactFilter;
#[cfg(feature = "autopilot")]
pub use autopilot::{Autopilot, AutopilotConfig, AutopilotError, PredictionsSource, TickReport};
pub use client::{
    Credentials, NumerBay, NumerBayBuilder, DEFAULT_BASE_URL, ENV_API_URL, ENV_PASSWORD, ENV_USERNAME,
};
pub use download::{DownloadOptions, DownloadRequest};
pub use error::{Error, Result};
/// The destination writer downloads go through (`Destination`, `SafeName`, cancellation).
pub use mkt_fs;
pub use orders::{OrderQuery, SalesFilter};
pub use paging::{MAX_LISTING_ITEMS, MAX_LISTING_PAGES};
pub use products::ProductRef;
pub use report::{DownloadOutcome, TargetError, TargetResult, UploadReport, UploadStage, UploadedArtifact};
pub use submit::{StopCheck, SubmitOptions};
pub use upload::{ArtifactSource, UploadOptions, UploadProgress, DEFAULT_CONCURRENCY};

/// NumerBay's wire types (DTOs), as `marketplace-types` defines them.
pub mod types {
    pub use marketplace_types::numerbay::*;
}

/// The crate's name, as Cargo knows it.
pub const CRATE_NAME: &str = env!("CARGO_PKG_NAME");
