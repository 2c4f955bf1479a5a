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
//! ```no_run
//! use crowdcent_client::{CrowdCent, DataFormat, InferenceRef, SubmitOptions};
//! # async fn demo() -> crowdcent_client::Result<()> {
//! // CROWDCENT_API_KEY (or ./.env); CROWDCENT_API_URL may point at a sandbox.
//! let client = CrowdCent::from_env()?;
//! let challenge = client.challenge("hyperliquid-ranking")?;
//! let dest = crowdcent_client::mkt_fs::Destination::user("inference.parquet").resolve()?;
//! challenge.download_inference(InferenceRef::Latest, DataFormat::Parquet, &dest, None).await?;
//! // The server's CSV copy (`?as=csv`), as the official client fetches for a `.csv` path.
//! let dest = crowdcent_client::mkt_fs::Destination::user("inference.csv").resolve()?;
//! challenge.download_inference(InferenceRef::Latest, DataFormat::Csv, &dest, None).await?;
//! let outcome = challenge
//!     .submit(std::path::Path::new("preds.parquet"), SubmitOptions::default())
//!     .await?;
//! println!("{:?}", outcome.kind);
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
