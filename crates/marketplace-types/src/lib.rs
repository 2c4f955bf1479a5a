//! Typed serde DTOs and ids for the NumerBay and CrowdCent REST wire formats.
//!
//! The two platform modules mirror the wire one type per schema: [`numerbay`] (e.g.
//! [`numerbay::User`], [`numerbay::Product`], [`numerbay::Order`], [`numerbay::Artifact`],
//! [`numerbay::OrderArtifact`], [`numerbay::Page`], typed ids such as [`numerbay::ArtifactId`]) and
//! [`crowdcent`] (e.g. [`crowdcent::Challenge`], [`crowdcent::Submission`],
//! [`crowdcent::SubmitResponse`]). Money is [`rust_decimal::Decimal`] (see [`decimal`] for the wire
//! forms accepted), time is chrono (see [`datetime`]). Every DTO tolerates unknown extra fields, and
//! state/mode enums decode unknown values into an `Unknown(String)` variant.
//!
//! This crate does no I/O: no HTTP, no files, no environment variables.
//!
//! ```
//! use marketplace_types::numerbay::{Artifact, ArtifactId, ArtifactState, Page};
//! use rust_decimal::Decimal;
//!
//! let page: Page<Artifact> = serde_json::from_str(
//!     r#"{"total": 1, "data": [{"date": "2023-05-29T10:00:00", "round_tournament": 460,
//!         "object_name": "x_460.csv", "object_size": null, "state": "active", "id": 744,
//!         "product_id": 2}]}"#,
//! )?;
//! assert_eq!(page.data[0].state, Some(ArtifactState::Active));
//!
//! // Ids are routed by format, never by guessing.
//! assert!(matches!("744".parse::<ArtifactId>()?, ArtifactId::Product(_)));
//! assert!(matches!("3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a".parse::<ArtifactId>()?, ArtifactId::Order(_)));
//!
//! // Money accepts every numeric wire form.
//! assert_eq!(marketplace_types::decimal::parse("1e-05")?, Decimal::new(1, 5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

#[macro_use]
mod macros;

pub mod crowdcent;
pub mod datetime;
pub mod decimal;
mod error;
pub mod numerbay;

pub use error::{Error, Result};

/// A free-form JSON object (score dicts, `props`, ...), kept as sent.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
