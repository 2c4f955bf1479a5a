//! Errors of the autopilot: the client's errors plus predictions and state-file failures.

use std::path::{Path, PathBuf};

use frame_io::ValidationReport;

/// Why a tick failed as a whole (per-target upload failures are in the
/// [`TickReport`](super::TickReport) instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AutopilotError {
    /// A NumerBay call failed.
    #[error(transparent)]
    Client(#[from] crate::Error),
    /// The predictions broke the validation rules; nothing was uploaded.
    #[error(
        "predictions {} are invalid for {} ({} violation(s)); nothing was uploaded: fix the file or the command",
        report.file.display(), report.rule_set, report.violations.len()
    )]
    InvalidPredictions {
        /// Every violation.
        report: Box<ValidationReport>,
    },
    /// The predictions file is missing or unreadable.
    #[error("cannot read predictions {}; check the predictions path", path.display())]
    PredictionsMissing {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The predictions command could not be started.
    #[error("cannot run the predictions command {command:?}; check that the shell and program exist")]
    CommandSpawn {
        /// The command as given.
        command: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The predictions command exited unsuccessfully.
    #[error(
        "the predictions command {command:?} failed ({}){}",
        code.map_or_else(|| "killed by a signal".to_owned(), |c| format!("exit code {c}")),
        if stderr_tail.is_empty() { String::new() } else { format!(": {stderr_tail}") }
    )]
    CommandFailed {
        /// The command as given.
        command: String,
        /// Its exit code (`None` when killed by a signal).
        code: Option<i32>,
        /// The end of what it wrote on stderr.
        stderr_tail: String,
    },
    /// The predictions command succeeded but wrote no file at `{out}`.
    #[error("the predictions command {command:?} wrote nothing to {}; write the file to the {{out}} path", path.display())]
    CommandNoOutput {
        /// The command as given.
        command: String,
        /// Where the file was expected.
        path: PathBuf,
    },
    /// The state file (or the working directory) could not be read or written.
    #[error("cannot {op} {}; check the state file path and its directory", path.display())]
    State {
        /// The file or directory.
        path: PathBuf,
        /// What was being done.
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Another autopilot holds the state file's lock (see [`StateLock`](super::StateLock)).
    #[error(
        "another autopilot{} is already running on {}; two would deliver the same copies twice: \
         stop it or wait for it to end (lock file {})",
        pid.map_or_else(String::new, |p| format!(" (PID {p})")), state.display(), lock.display()
    )]
    StateLocked {
        /// The state file.
        state: PathBuf,
        /// Its lock file.
        lock: PathBuf,
        /// The holder's process id, when it could be read from the lock file.
        pid: Option<u32>,
    },
    /// The state file is not an autopilot state file.
    #[error("{} is not an autopilot state file; delete it or use another state file", path.display())]
    StateParse {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
}

impl AutopilotError {
    pub(crate) fn state(path: impl AsRef<Path>, op: &'static str, source: std::io::Error) -> Self {
        Self::State {
            path: path.as_ref().to_owned(),
            op,
            source,
        }
    }

    /// The client error inside, if this is one.
    pub fn client(&self) -> Option<&crate::Error> {
        match self {
            Self::Client(e) => Some(e),
            _ => None,
        }
    }

    /// Whether credentials are missing or were rejected.
    pub fn is_auth(&self) -> bool {
        self.client().is_some_and(crate::Error::is_auth)
    }

    /// Whether the product (or another named thing) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.client().is_some_and(crate::Error::is_not_found)
    }

    /// Whether trying again later may succeed on its own (network, 5xx, 429).
    pub fn is_retryable(&self) -> bool {
        self.client().is_some_and(crate::Error::is_retryable)
    }

    /// Whether the predictions failed validation.
    pub fn is_validation(&self) -> bool {
        matches!(self, Self::InvalidPredictions { .. })
    }

    /// Whether another autopilot holds the state file's lock.
    pub fn is_locked(&self) -> bool {
        matches!(self, Self::StateLocked { .. })
    }

    /// Whether no later tick can succeed without the user's help: rejected credentials, an
    /// unknown product, a product the caller does not own, an unusable or locked state file.
    pub fn is_fatal(&self) -> bool {
        if self.is_auth() || self.is_not_found() {
            return true;
        }
        if matches!(self, Self::StateParse { .. } | Self::StateLocked { .. }) {
            return true;
        }
        // Spec §2.5: a product of someone else → 403 `Not enough permissions` (from the API; a
        // 403 from the storage host is a refused link, which running again fixes).
        self.client()
            .and_then(crate::Error::http)
            .is_some_and(|e| e.status() == Some(403) && !e.is_link_refused())
    }
}

/// Whether `e` says uploads are refused because the round closed (spec §2.5 step 3, §2.8).
pub(crate) fn is_round_closed(e: &crate::Error) -> bool {
    e.http()
        .and_then(|h| h.api())
        .is_some_and(|api| api.message.contains("Tournament round is not open"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        let e = AutopilotError::CommandFailed {
            command: "python p.py".into(),
            code: Some(2),
            stderr_tail: "no module".into(),
        };
        assert_eq!(
            e.to_string(),
            "the predictions command \"python p.py\" failed (exit code 2): no module"
        );
        assert!(!e.is_fatal());
        let e = AutopilotError::from(crate::Error::CredentialsRequired { call: "x" });
        assert!(e.is_auth() && e.is_fatal());
        let e = AutopilotError::from(crate::Error::ProductNotFound {
            query: "p".into(),
            near: vec![],
        });
        assert!(e.is_not_found() && e.is_fatal());
    }
}
