//! Streamed uploads and resumable, atomic downloads: shared types.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::BoxStream;

use crate::error::Result;

pub(crate) mod download;
pub(crate) mod upload;

/// Receives transfer progress. Libraries report through this; only the CLI draws bars.
pub trait Progress: Send + Sync {
    /// The total size, when known (called at the start of every attempt).
    fn set_total(&self, total: Option<u64>);
    /// `bytes` more were transferred.
    fn advance(&self, bytes: u64);
    /// The transfer starts again from zero (a retried upload, a download the server would not resume).
    fn restart(&self) {}
}

/// Opens a fresh byte stream for one upload attempt.
pub type StreamOpener = Arc<dyn Fn() -> Result<BoxStream<'static, std::io::Result<Bytes>>> + Send + Sync>;

/// What to upload. Every variant can be replayed, so a retried upload re-sends everything.
#[derive(Clone)]
pub enum UploadBody {
    /// A file, re-opened for every attempt and streamed from disk.
    File(PathBuf),
    /// Bytes in memory (cheap to clone).
    Bytes(Bytes),
    /// A replayable stream: `open` is called once per attempt and must yield exactly `len` bytes.
    Stream {
        /// Exact length in bytes (sent as `Content-Length`).
        len: u64,
        /// Opens the stream for one attempt.
        open: StreamOpener,
    },
}

impl fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadBody::File(p) => f.debug_tuple("File").field(p).finish(),
            UploadBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            UploadBody::Stream { len, .. } => write!(f, "Stream({len} bytes)"),
        }
    }
}

/// What a finished download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadReport {
    /// Where the file is now.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// How often a cut body was resumed with `Range` (206).
    pub resumed: u32,
    /// How often the download started again from zero.
    pub restarted: u32,
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn set_total(&self, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
}
