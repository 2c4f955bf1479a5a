//! The error type of the writer.

use std::path::PathBuf;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while choosing, writing or placing a destination file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file-system call failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What was being done, as a verb phrase ("create a temporary file in").
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The destination exists and the rules say it is not replaced.
    #[error("{} already exists and was not replaced", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// The destination is a directory but no file name is known to put inside it.
    #[error("{} is a directory; a file path is needed", path.display())]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The destination is the same file as one of the inputs.
    #[error("{} is also an input; writing it would destroy the input", path.display())]
    SameAsInput {
        /// The file named twice.
        path: PathBuf,
    },
    /// The destination is a kind of file that cannot be written (a socket).
    #[error("{} is a {kind}, which cannot be written", path.display())]
    Unsupported {
        /// The path.
        path: PathBuf,
        /// The kind of file found there.
        kind: &'static str,
    },
    /// A chain of symbolic links did not end.
    #[error("{} is a chain of more than 40 symbolic links", path.display())]
    TooManyLinks {
        /// Where the chain starts.
        path: PathBuf,
    },
    /// A name chosen by a server has nothing usable in it.
    #[error("the server-chosen file name {name:?} cannot be used safely")]
    UnsafeName {
        /// The name as the server sent it (escaped by `Debug` formatting).
        name: String,
    },
    /// `-` (standard output) was given where a file is needed (a key file, a state file).
    #[error("{what} cannot go to standard output (-); give a file path")]
    NotStdout {
        /// What was to be written ("a key file").
        what: &'static str,
    },
    /// The process was interrupted; nothing was put in place.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }

    /// True for [`Error::Interrupted`].
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Error::Interrupted)
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Io { source, .. } => source.kind(),
            Error::Exists { .. } => std::io::ErrorKind::AlreadyExists,
            Error::Interrupted => std::io::ErrorKind::Interrupted,
            _ => std::io::ErrorKind::InvalidInput,
        };
        std::io::Error::new(kind, e)
    }
}
