//! HTTP transport shared by the mkt clients: timeouts, retries, typed errors, auth, streaming.
//!
//! The main type is [`HttpClient`], built from a plain-data [`ClientConfig`] (with its
//! [`RetryConfig`]) and an [`Auth`] strategy. Requests are built with [`RequestBuilder`] and end in
//! [`send`](RequestBuilder::send), [`send_json`](RequestBuilder::send_json) or
//! [`send_redirect`](RequestBuilder::send_redirect); every failure is one [`Error`]. Transfers use
//! [`HttpClient::upload`] (streamed, [`UploadBody`]) and [`HttpClient::download`] (atomic and
//! resumable, [`DownloadReport`]), reporting through a [`Progress`] callback.
//!
//! This crate knows no platform endpoint; see `ARCHITECTURE.md` at the repository root.
//!
//! ```no_run
//! use std::sync::Arc;
//! use marketplace_core::{Auth, ClientConfig, HttpClient};
//! use secrecy::SecretString;
//!
//! # async fn demo() -> marketplace_core::Result<()> {
//! let config = ClientConfig::new("http://127.0.0.1:8080/api")?;
//! let client = HttpClient::new(config, Auth::ApiKey(SecretString::from("key")))?;
//! let challenges: serde_json::Value = client.get("challenges/").send_json().await?;
//! println!("{challenges}");
//! let signed = client.get("challenges/x/training_data/latest/download/").send_redirect().await?;
//! let dest = marketplace_core::mkt_fs::Destination::user("train.parquet").resolve()?;
//! let report = client.download(signed.as_str(), &dest, None).await?;
//! println!("{} bytes, resumed {} times", report.bytes, report.resumed);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod auth;
mod client;
#[cfg(feature = "command")]
pub mod command;
mod config;
pub mod env;
mod error;
mod request;
mod retry;
mod send;
mod transfer;

pub use auth::{jwt_expiry, Auth, TokenSource, INVALID_CREDENTIALS_DETAIL};
pub use client::HttpClient;
pub use config::{ClientConfig, RetryConfig, DEFAULT_MAX_BODY_BYTES, USER_AGENT};
pub use error::{
    is_retryable_status, parse_error_body, strip_query, strip_query_str, ApiError, Error, RedirectProblem,
    Result, BODY_SNIPPET_CHARS,
};
pub use request::{MultipartFactory, RequestBuilder};
pub use retry::{parse_retry_after, Backoff, Jitter};
pub use transfer::{DownloadReport, NoProgress, Progress, StreamOpener, UploadBody};

/// The destination writer downloads go through ([`HttpClient::download`] takes a
/// [`mkt_fs::Destination`]).
pub use mkt_fs;
/// The reqwest version whose types appear in this API ([`reqwest::Response`] from
/// [`RequestBuilder::send`], [`reqwest::Method`], [`reqwest::multipart::Form`], the
/// [`reqwest::Error`] source of transport errors); name them through this path rather than a
/// second copy of the crate.
pub use reqwest;

/// The crate's name, as Cargo knows it.
pub const CRATE_NAME: &str = env!("CARGO_PKG_NAME");

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
