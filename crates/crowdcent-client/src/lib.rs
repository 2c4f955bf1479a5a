//! CrowdCent Challenge client: data downloads, validated submissions and local scoring.
//!
//! * [`scoring`]: the challenge's metrics (Spearman, symmetric NDCG@k, uniqueness) on `f64` slices.
//!
//! ```
//! let r = crowdcent_client::scoring::spearman_correlation(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.5])?;
//! assert_eq!(r, 1.0);
//! # Ok::<(), crowdcent_client::ScoringError>(())
//! ```
#![deny(missing_docs)]

mod error;
pub mod scoring;

pub use error::{Error, Result, ScoringError};
