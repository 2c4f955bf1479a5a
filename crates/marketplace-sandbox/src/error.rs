//! The sandbox's error type.

use std::path::PathBuf;

/// Everything that can go wrong while starting or running a sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("could not listen on {addr}: choose another --port or free that one")]
    Bind {
        /// The address that was tried.
        addr: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A file or directory operation failed.
    #[error("could not {op} {}: check the --data-dir permissions and free space", path.display())]
    Io {
        /// What was being done ("create", "write", ...).
        op: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Seed data could not be generated.
    #[error("could not generate the {what} seed data")]
    Seed {
        /// Which part of the seed failed.
        what: &'static str,
        /// The underlying failure.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server task ended abnormally.
    #[error("the sandbox server stopped unexpectedly")]
    Serve(#[source] std::io::Error),
}

/// Result alias for sandbox operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
