//! CrowdCent Challenge client: data downloads, validated submissions and local scoring.
//!
//! * [`CrowdCent`]: the API key (explicit, or [`CrowdCent::from_env`]), the API root,
//!   and account-level calls ([`list_challenges`](CrowdCent::list_challenges),
//!   [`auth_check`](CrowdCent::auth_check)).
//! * [`ChallengeClient`] (from [`CrowdCent::challenge`]): the challenge, training datasets,
//!   inference periods (with [`wait_for_inference`](ChallengeClient::wait_for_inference)), the
//!   meta-model, submissions ([`submit`](ChallengeClient::submit) validates locally first) and the
//!   [`performance`](ChallengeClient::performance) table.
//! * [`scoring`]: the challenge's metrics (Spearman, symmetric NDCG@k, uniqueness) on `f64` slices.
//! * [`targets`]: `create_ranking_targets`, the challenge's ranking targets built from a price frame.
//!
//! Downloads follow the API's redirect to the storage host **without** the API key, resume a cut
//! body where storage allows, and land atomically (never a partial file at the destination).
//! Errors are typed ([`Error`]); [`Error::is_auth`], [`Error::is_not_found`] and
//! [`Error::is_validation`] classify them.
//!
//! Features: `scoring` (default; [`scoring`] and [`targets`]) and `daily` (default; the
//! unattended [`daily::run`] with its model-command runner). The DTOs are re-exported as
//! [`types`]. Local validation before a submission (frame-io) is part of the client itself.
//!
//! Download the inference file, predict, submit (this runs against the bundled sandbox server):
//!
//! ```
//! use crowdcent_client::{CrowdCent, DataFormat, InferenceRef, SubmitOptions};
//! use frame_io::validate::{load_ids, CROWDCENT_HYPERLIQUID};
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sandbox = marketplace_sandbox::Sandbox::start().await?;
//! # let info = sandbox.info();
//! # let dir = tempfile::tempdir()?;
//! // `CrowdCent::from_env()` reads CROWDCENT_API_KEY (and CROWDCENT_API_URL) instead.
//! let client = CrowdCent::builder()
//!     .base_url(&info.crowdcent_url)
//!     .api_key(info.crowdcent_api_key.clone())
//!     .build()?;
//! let challenge = client.challenge(&info.challenge)?;
//! let inference = dir.path().join("inference.parquet");
//! let dest = crowdcent_client::mkt_fs::Destination::user(&inference).resolve()?;
//! challenge
//!     .download_inference(InferenceRef::Current, DataFormat::Parquet, &dest, None)
//!     .await?;
//! let mut csv = String::from("id,pred_10d,pred_30d\n");
//! for id in load_ids(&inference, &CROWDCENT_HYPERLIQUID)? {
//!     csv.push_str(&format!("{id},0.5,0.5\n"));
//! }
//! let predictions = dir.path().join("preds.csv");
//! std::fs::write(&predictions, csv)?;
//! // Validated locally (rules and inference ids) before anything is sent.
//! let outcome = challenge.submit(predictions.as_path(), SubmitOptions::default()).await?;
//! println!("{:?}: {:?}", outcome.kind, outcome.response.match_info);
//! # Ok(())
//! # }
//! ```
//!
//! ```
//! let r = crowdcent_client::scoring::spearman_correlation(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.5])?;
//! assert_eq!(r, 1.0);
//! # Ok::<(), crowdcent_client::ScoringError>(())
//! ```
#![deny(missing_docs)]

mod challenge;
mod client;
#[cfg(feature = "daily")]
pub mod daily;
mod error;
mod format;
mod inference;
mod params;
mod performance;
#[cfg(feature = "scoring")]
pub mod scoring;
mod submit;
#[cfg(feature = "scoring")]
pub mod targets;

pub use challenge::ChallengeClient;
pub use client::{
    api_key_from_env, base_url_from_env, CrowdCent, CrowdCentBuilder, DEFAULT_BASE_URL, ENV_API_KEY,
    ENV_API_URL,
};
pub use error::{Error, Result, ScoringError, TargetsError, AUTH_ERROR_CODES};
pub use format::DataFormat;
pub use inference::{period_date, WaitOptions, WaitReport};
/// The destination writer downloads go through (`Destination`, `SafeName`, cancellation).
pub use mkt_fs;
pub use params::{InferenceRef, Period, ReleaseDate, TrainingVersion};
pub use performance::{performance_rows, PerformanceQuery, PerformanceRow};
pub use submit::{
    Predictions, QueueRejection, SubmitKind, SubmitOptions, SubmitOutcome, DEFAULT_FILE_NAME, MAX_NOTES_CHARS,
};

pub use marketplace_core::{DownloadReport, Progress};
/// CrowdCent's wire types (DTOs), as `marketplace-types` defines them.
pub mod types {
    pub use marketplace_types::crowdcent::*;
}

pub use marketplace_types::crowdcent::{
    AuthCheck, Challenge, InferencePeriod, MatchInfo, Submission, SubmissionStatus, SubmitResponse,
    TrainingDataset,
};
