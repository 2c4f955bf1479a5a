//! NumerBay domain API for sellers and buyers, on the marketplace-core transport.
//!
//! [`NumerBay`] is the client (build it with [`NumerBay::builder`], [`NumerBay::new`] or
//! [`NumerBay::from_env`]). It covers the account, orders and sales, product search and
//! resolution by full name ([`ProductRef`]), artifact listing and deletion, product locking, the
//! seller fan-out [`NumerBay::upload_artifact`] (planned by [`plan::plan_upload`], reported in an
//! [`UploadReport`]) and the buyer [`NumerBay::download`] (resolved by the rules in [`resolve`]).
//! Errors are one [`Error`] enum; server messages are kept verbatim inside.
//!
//! ```no_run
//! use numerbay_client::{ArtifactSource, Credentials, NumerBay, ProductRef, UploadOptions};
//!
//! # async fn run() -> numerbay_client::Result<()> {
//! let nb = NumerBay::builder()
//!     .base_url("http://127.0.0.1:8000/backend-api/v1")
//!     .credentials(Credentials::new("seller", "password"))
//!     .build()?;
//! let product = ProductRef::FullName("numerai-predictions-mymodel".into());
//! let report = nb
//!     .upload_artifact(&product, ArtifactSource::path("preds.csv"), UploadOptions::default())
//!     .await?;
//! for (target, artifact) in report.succeeded() {
//!     println!("{}: {}", target.label(), artifact.artifact_id);
//! }
//! report.ensure_success()?;
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

#[cfg(feature = "autopilot")]
pub use autopilot::{Autopilot, AutopilotConfig, AutopilotError, PredictionsSource, TickReport};
pub use client::{
    Credentials, NumerBay, NumerBayBuilder, DEFAULT_BASE_URL, ENV_API_URL, ENV_PASSWORD, ENV_USERNAME,
};
pub use download::{DownloadOptions, DownloadRequest};
pub use error::{Error, Result};
/// The destination writer downloads go through (`Destination`, `SafeName`, cancellation).
pub use mkt_fs;
pub use artifacts::ArtifactFilter;
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
