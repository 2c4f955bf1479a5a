//! CSV and Parquet frames on arrow: read, write, convert and validate predictions.
//!
//! This crate is part of the mkt workspace; see `ARCHITECTURE.md` at the repository root.
//!
//! ```
//! // Placeholder example: the crate compiles and links.
//! let _ = frame_io::CRATE_NAME;
//! ```
#![deny(missing_docs)]

/// The crate's name, as Cargo knows it.
pub const CRATE_NAME: &str = env!("CARGO_PKG_NAME");
