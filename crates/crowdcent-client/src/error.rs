//! Errors of the CrowdCent client, local validation and scoring.

/// Errors of the [`scoring`](crate::scoring) functions: bad input shapes or values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoringError {
    /// Two inputs that must be aligned have different lengths.
    #[error("inputs differ in length ({left} vs {right}): align targets and predictions by id first")]
    LengthMismatch {
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// `k` was zero.
    #[error("k must be a positive integer")]
    InvalidK,
    /// A target of the symmetric NDCG lies outside `[0, 1]`.
    #[error("target {value} at position {index} is outside [0, 1]: symmetric NDCG needs rank targets")]
    TargetOutOfRange {
        /// Position of the offending value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// NDCG relevance (`y_true`) was negative.
    #[error("relevance {value} at position {index} is negative: NDCG needs non-negative targets")]
    NegativeRelevance {
        /// Position of the offending value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A NaN or infinite value where a finite number is required.
    #[error("{what} has a NaN or infinite value at position {index}: drop or fill missing values first")]
    NonFinite {
        /// Which input (`y_true`, `y_score`, `y_pred`, `meta`).
        what: &'static str,
        /// Position of the offending value.
        index: usize,
    },
    /// A fit was asked of empty input.
    #[error("no data to fit: the inputs are empty")]
    Empty,
}

/// Errors of the CrowdCent client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Local scoring failed.
    #[error(transparent)]
    Scoring(#[from] ScoringError),
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
