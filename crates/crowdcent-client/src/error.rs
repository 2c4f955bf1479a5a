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

/// Errors of [`create_ranking_targets`](crate::targets::create_ranking_targets): options or price
/// frames it cannot turn into targets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TargetsError {
    /// No horizon, a zero horizon, or the same horizon twice.
    #[error("invalid horizons {horizons:?}: give distinct whole numbers of days, 1 or more, e.g. 10,30")]
    InvalidHorizons {
        /// The horizons given.
        horizons: Vec<u32>,
    },
    /// A column the options name is not in the frame.
    #[error(
        "the prices have no `{column}` column (columns: {available}); name the right one in the options"
    )]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The frame's columns, comma-separated.
        available: String,
    },
    /// A column the targets would add is already in the frame.
    #[error("the prices already have a `{column}` column; drop or rename it first")]
    ColumnExists {
        /// The column name.
        column: String,
    },
    /// The price column is not numeric.
    #[error("price column `{column}` cannot be read as numbers; pick a numeric column")]
    PriceNotNumeric {
        /// The column.
        column: String,
        /// Why the conversion failed.
        #[source]
        source: arrow::error::ArrowError,
    },
    /// A row has no ticker or no date.
    #[error("row {row} has no `{column}` value; fill or drop such rows first")]
    NullKey {
        /// The key column.
        column: String,
        /// 1-based data row.
        row: usize,
    },
    /// Two rows share a ticker and a date, so "the next row of this ticker" is ambiguous.
    #[error("ticker {ticker} has two rows dated {date}; keep one row per ticker and date")]
    DuplicateRow {
        /// The ticker.
        ticker: String,
        /// The date.
        date: String,
    },
    /// An arrow kernel (concatenation, sorting, grouping) failed.
    #[error("cannot {op} the price frame")]
    Arrow {
        /// What was being done.
        op: &'static str,
        /// The arrow error.
        #[source]
        source: arrow::error::ArrowError,
    },
}

/// Errors of the CrowdCent client.
///
/// Classify with [`Error::is_auth`], [`Error::is_not_found`] and [`Error::is_validation`] (the CLI
/// maps those to exit codes 3, 4 and 5).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No API key was given (or it was empty); no request was made.
    #[error("no CrowdCent API key: the client needs a non-empty API key")]
    MissingApiKey,
    /// A data format other than `parquet` or `csv` was asked for.
    #[error("unknown data format {value:?}: use parquet or csv")]
    InvalidFormat {
        /// What was given.
        value: String,
    },
    /// The server rejected the API key (401, or 403 with code `NOT_AUTHENTICATED` or
    /// `KEY_NOT_CLOUD_ENABLED`).
    #[error("the CrowdCent API key was rejected; check that it is current and allowed this call")]
    Auth(#[source] Box<marketplace_core::Error>),
    /// The challenge slug does not exist.
    #[error("challenge {slug:?} does not exist; list the challenges to see the valid slugs")]
    ChallengeNotFound {
        /// The slug asked for.
        slug: String,
        /// The 404 from the server.
        #[source]
        source: Box<marketplace_core::Error>,
    },
    /// The server answered 404 for something else (version, date, submission, no open period).
    #[error("{what} was not found")]
    NotFound {
        /// What was looked up, e.g. `training dataset version 9.0`.
        what: String,
        /// The 404 from the server.
        #[source]
        source: Box<marketplace_core::Error>,
    },
    /// The challenge has no inference periods, so `latest` means nothing.
    #[error("challenge {slug:?} has no inference data periods yet")]
    NoInferencePeriods {
        /// The challenge slug.
        slug: String,
    },
    /// Any other HTTP, transport or file error of the transport layer.
    #[error(transparent)]
    Http(Box<marketplace_core::Error>),
    /// A date argument was not a canonical `YYYY-MM-DD` calendar date.
    #[error("invalid date {value:?}: use the YYYY-MM-DD form, e.g. 2025-06-09")]
    InvalidDate {
        /// The text given.
        value: String,
    },
    /// A slug, version or other path segment contains characters that cannot go in a URL path.
    #[error("invalid {what} {value:?}: use letters, digits, '.', '_' or '-'")]
    InvalidSegment {
        /// What the value is (`challenge slug`, `version`).
        what: &'static str,
        /// The text given.
        value: String,
    },
    /// The submission notes are longer than the server accepts.
    #[error("notes have {chars} characters; the limit is {max}, shorten them")]
    NotesTooLong {
        /// Characters given.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Slot numbers start at 1.
    #[error("slot must be 1 or more (got {slot})")]
    InvalidSlot {
        /// The slot given.
        slot: u32,
    },
    /// Local validation rejected the submission; nothing was sent.
    #[error("the submission was rejected locally, nothing was sent:\n{report}")]
    Rejected {
        /// Every rule the file violates.
        report: Box<frame_io::ValidationReport>,
    },
    /// Reading, encoding or decoding a frame failed.
    #[error(transparent)]
    Frame(Box<frame_io::Error>),
    /// The destination could not be chosen, written or put in place (or the process was
    /// interrupted).
    #[error("the output was not written")]
    Write(#[from] mkt_fs::Error),
    /// A local file operation failed.
    #[error("cannot {op} {}", path.display())]
    Io {
        /// The file concerned.
        path: std::path::PathBuf,
        /// What was being done.
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The inference file did not appear within the timeout.
    #[error(
        "the inference data of {slug:?} was not published within {waited:?}; try again later or wait longer"
    )]
    WaitTimeout {
        /// The challenge slug.
        slug: String,
        /// How long we waited.
        waited: std::time::Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The submit response had an unexpected status or body.
    #[error("unexpected submit response {status}: {message}")]
    UnexpectedResponse {
        /// HTTP status.
        status: u16,
        /// What was wrong.
        message: String,
    },
    /// Local scoring failed.
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    /// Building targets from prices failed.
    #[error(transparent)]
    Targets(#[from] TargetsError),
}

impl Error {
    /// Whether the API key is missing or was rejected (CLI exit 3): 401, or 403 with an
    /// authentication code (see [`AUTH_ERROR_CODES`]); every such transport error becomes
    /// [`Error::Auth`]. A 403 without such a code (a tier without access) is not one.
    pub fn is_auth(&self) -> bool {
        matches!(self, Error::MissingApiKey | Error::Auth(_))
    }

    /// Whether the storage host refused a signed download link (expired or revoked) even after
    /// a fresh link was requested: not a problem with the API key; running again is the remedy.
    pub fn is_link_refused(&self) -> bool {
        self.http().is_some_and(marketplace_core::Error::is_link_refused)
    }

    /// Whether something asked for does not exist (CLI exit 4): an unknown challenge, version,
    /// date or submission, no inference period, or any other 404 of the server
    /// ([`marketplace_core::Error::is_not_found`]).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Error::ChallengeNotFound { .. } | Error::NotFound { .. } | Error::NoInferencePeriods { .. }
        ) || self.http().is_some_and(marketplace_core::Error::is_not_found)
    }

    /// Whether local validation rejected the input before anything was sent (CLI exit 5).
    pub fn is_validation(&self) -> bool {
        matches!(
            self,
            Error::Rejected { .. }
                | Error::NotesTooLong { .. }
                | Error::InvalidSlot { .. }
                | Error::InvalidDate { .. }
                | Error::InvalidSegment { .. }
                | Error::InvalidFormat { .. }
        )
    }

    /// Whether trying again later may succeed: what
    /// [`marketplace_core::Error::is_retryable`] says of the transport error, and a wait for
    /// inference data that timed out.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::WaitTimeout { .. } => true,
            _ => self.http().is_some_and(marketplace_core::Error::is_retryable),
        }
    }

    /// Whether the server answered 429 (too many requests).
    pub fn is_rate_limited(&self) -> bool {
        self.http().is_some_and(marketplace_core::Error::is_rate_limited)
    }

    /// The wait the server asked for with `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.http().and_then(marketplace_core::Error::retry_after)
    }

    /// The underlying transport error, if any.
    pub fn http(&self) -> Option<&marketplace_core::Error> {
        match self {
            Error::Auth(e) | Error::Http(e) => Some(e),
            Error::ChallengeNotFound { source, .. } | Error::NotFound { source, .. } => Some(source),
            _ => None,
        }
    }

    /// The HTTP status, for errors the server answered.
    pub fn status(&self) -> Option<u16> {
        self.http().and_then(marketplace_core::Error::status)
    }

    /// Classifies a transport error: 401 and 403 `NOT_AUTHENTICATED`/`KEY_NOT_CLOUD_ENABLED` are
    /// authentication failures; a 404 becomes [`Error::NotFound`] naming `what`.
    pub(crate) fn from_http(err: marketplace_core::Error, what: impl FnOnce() -> String) -> Self {
        if is_auth_error(&err) {
            return Error::Auth(Box::new(err));
        }
        if err.is_not_found() {
            return Error::NotFound {
                what: what(),
                source: Box::new(err),
            };
        }
        Error::Http(Box::new(err))
    }
}

impl From<marketplace_core::Error> for Error {
    fn from(err: marketplace_core::Error) -> Self {
        if is_auth_error(&err) {
            Error::Auth(Box::new(err))
        } else {
            Error::Http(Box::new(err))
        }
    }
}

impl From<frame_io::Error> for Error {
    fn from(err: frame_io::Error) -> Self {
        Error::Frame(Box::new(err))
    }
}

/// Error codes that mean "this key may not do that" when they come with a 403.
pub const AUTH_ERROR_CODES: &[&str] = &["NOT_AUTHENTICATED", "KEY_NOT_CLOUD_ENABLED"];

// Spec §8.10: the 0.2.0 client maps every 403 to a client error; the server uses 403 +
// NOT_AUTHENTICATED for a bad key, so that case is an authentication failure here.
fn is_auth_error(err: &marketplace_core::Error) -> bool {
    match err.api() {
        Some(api) if api.status == 401 => true,
        Some(api) if api.status == 403 => api.code.as_deref().is_some_and(|c| AUTH_ERROR_CODES.contains(&c)),
        _ => false,
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The classification of the transport's errors, as both clients must give it.
    fn transport_cases() -> Vec<(marketplace_core::Error, [bool; 4], Option<std::time::Duration>)> {
        use marketplace_core::ApiError;
        let url = url::Url::parse("http://127.0.0.1/api/x?sig=1").unwrap();
        let api = |status| ApiError::new(status, "GET", &url, "msg");
        let wait = Some(std::time::Duration::from_secs(7));
        // [is_auth, is_not_found, is_retryable, is_rate_limited]
        vec![
            (api(404).into_error(), [false, true, false, false], None),
            (api(401).into_error(), [true, false, false, false], None),
            (
                api(429).with_retry_after(wait).into_error(),
                [false, false, true, true],
                wait,
            ),
            (api(503).into_error(), [false, false, true, false], None),
            (api(400).into_error(), [false, false, false, false], None),
        ]
    }

    #[test]
    fn transport_errors_classify_as_in_the_core() {
        for (core, [auth, not_found, retryable, limited], wait) in transport_cases() {
            let shown = core.to_string();
            let e = Error::from(core);
            assert_eq!(
                [
                    e.is_auth(),
                    e.is_not_found(),
                    e.is_retryable(),
                    e.is_rate_limited()
                ],
                [auth, not_found, retryable, limited],
                "{shown}"
            );
            assert_eq!(e.retry_after(), wait, "{shown}");
        }
        // A 404 of a listing (no name to give) is "not found" too, not a plain failure.
        let url = url::Url::parse("http://127.0.0.1/api/challenges/").unwrap();
        let e = Error::from(marketplace_core::ApiError::new(404, "GET", &url, "").into_error());
        assert!(matches!(e, Error::Http(_)) && e.is_not_found());
    }

    #[test]
    fn a_403_without_an_auth_code_is_not_an_auth_failure() {
        let url = url::Url::parse("http://127.0.0.1/api/x").unwrap();
        let e = Error::from(marketplace_core::ApiError::new(403, "GET", &url, "tier").into_error());
        assert!(!e.is_auth() && !e.is_not_found());
    }
}
