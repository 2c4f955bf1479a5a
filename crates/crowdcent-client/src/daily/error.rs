//! Errors of a daily run: the deadline, the model command, and the client's own errors.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use marketplace_types::crowdcent::InferencePeriod;

use super::LateStage;
use crate::{period_date, Error, ReleaseDate};

/// Why a daily run stopped before submitting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DailyError {
    /// The period's cutoff (deadline minus margin) or deadline would be missed; nothing was submitted.
    #[error(
        "deadline would be missed: the {date} window closes at {deadline} and the margin is {margin:?} \
         ({stage:?}); nothing was submitted"
    )]
    Late {
        /// The period's date.
        date: ReleaseDate,
        /// The submission deadline.
        deadline: DateTime<Utc>,
        /// The margin before the deadline.
        margin: Duration,
        /// Which step was too late.
        stage: LateStage,
    },
    /// The model was still running at the cutoff and was stopped with its process group.
    #[error("the model was still running at the cutoff {cutoff} and was stopped; nothing was submitted")]
    ModelKilled {
        /// The cutoff.
        cutoff: DateTime<Utc>,
        /// The submission deadline.
        deadline: DateTime<Utc>,
        /// The margin before the deadline.
        margin: Duration,
        /// The last lines of its stderr.
        tail: Vec<String>,
    },
    /// The model command exited non-zero (or was ended by a signal: no code).
    #[error("the model command failed ({code:?}); nothing was submitted")]
    ModelFailed {
        /// Its exit code.
        code: Option<i32>,
        /// The last lines of its stderr.
        tail: Vec<String>,
    },
    /// The model command exited 0 without writing its output file.
    #[error("the model command exited 0 but wrote no file at {}; nothing was submitted", path.display())]
    ModelNoOutput {
        /// Where the file was expected.
        path: PathBuf,
    },
    /// The shell for the model command could not be started.
    #[error("cannot start the model command with `sh -c`")]
    ModelSpawn {
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A client call failed (download, validation, submission), or the predictions are invalid
    /// ([`Error::Rejected`]).
    #[error(transparent)]
    Client(#[from] Error),
}

impl DailyError {
    pub(super) fn late(period: &InferencePeriod, margin: Duration, stage: LateStage) -> Self {
        DailyError::Late {
            date: period_date(period),
            deadline: period.submission_deadline,
            margin,
            stage,
        }
    }
}

impl From<mkt_fs::Error> for DailyError {
    fn from(e: mkt_fs::Error) -> Self {
        DailyError::Client(e.into())
    }
}
