//! NumerBay domain API: account, products, orders, artifact upload and download.
//!
//! This crate is part of the mkt workspace; see `ARCHITECTURE.md` at the repository root.
//!
//! ```
//! // Placeholder example: the crate compiles and links.
//! let _ = numerbay_client::CRATE_NAME;
//! ```
#![deny(missing_docs)]

mod client;
mod error;
pub mod plan;
pub mod resolve;

pub use client::{
    Credentials, NumerBay, NumerBayBuilder, DEFAULT_BASE_URL, ENV_API_URL, ENV_PASSWORD, ENV_USERNAME,
};
pub use error::{Error, Result};

/// The crate's name, as Cargo knows it.
pub const CRATE_NAME: &str = env!("CARGO_PKG_NAME");
