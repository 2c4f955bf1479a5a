//! What a tick reports: delivered, uploaded and failed copies, events as they happen, and the stop handle.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use marketplace_types::numerbay::{ArtifactId, ProductId};
use serde::Serialize;

use super::PredictionsInfo;
use crate::plan::{SkippedOrder, UploadTarget};
use crate::report::{UploadStage, UploadedArtifact};

/// Something the autopilot did (for one log line each).
#[derive(Debug)]
#[non_exhaustive]
pub enum AutopilotEvent<'a> {
    /// New or changed predictions were validated for the round.
    Predictions {
        /// The selling round.
        round: u32,
        /// The file.
        info: &'a PredictionsInfo,
    },
    /// An upload starts.
    Uploading {
        /// The copy.
        target: &'a UploadTarget,
    },
    /// An upload was validated.
    Uploaded {
        /// The copy.
        target: &'a UploadTarget,
        /// The new artifact.
        artifact: &'a UploadedArtifact,
    },
    /// An upload failed (it is retried on the next tick).
    UploadFailed {
        /// The copy.
        target: &'a UploadTarget,
        /// The error chain.
        message: &'a str,
    },
    /// The product was locked for the round.
    Locked {
        /// The round.
        round: u32,
    },
}

/// Receives [`AutopilotEvent`]s as they happen.
pub trait AutopilotObserver: Send + Sync {
    /// Called once per event.
    fn event(&self, event: &AutopilotEvent<'_>);
}

/// Asks a running tick to stop before its next upload (an upload in flight completes).
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// Requests the stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was requested.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// A copy that was already delivered this round (or, in [`TickReport::in_flight`], is being).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveredTarget {
    /// The copy.
    pub target: UploadTarget,
    /// Its active (or, in flight, pending) artifact.
    pub artifact_id: ArtifactId,
}

/// A copy uploaded by the tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TickUpload {
    /// The copy.
    pub target: UploadTarget,
    /// The new artifact.
    pub artifact: UploadedArtifact,
}

/// A copy (or the lock) that failed; the next tick tries again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TickFailure {
    /// The copy, or `None` for the lock.
    pub target: Option<UploadTarget>,
    /// The failed step of an upload.
    pub stage: Option<UploadStage>,
    /// The error chain.
    pub message: String,
    /// Whether the error was transient (network, 5xx, 429).
    pub retryable: bool,
}

/// Everything one tick saw and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TickReport {
    /// The product.
    pub product_id: ProductId,
    /// Its full name.
    pub sku: String,
    /// The selling round of the tick.
    pub selling_round: u32,
    /// The predictions used.
    pub predictions: PredictionsInfo,
    /// Active sales of the product this round.
    pub active_sales: usize,
    /// Copies the round needs (what `mkt numerbay submit` would upload).
    pub planned: Vec<UploadTarget>,
    /// Orders without a copy of their own, and why.
    pub skipped: Vec<SkippedOrder>,
    /// Copies that already had an active artifact.
    pub delivered: Vec<DeliveredTarget>,
    /// Copies with a recent `pending` artifact of the round (an upload in progress, e.g. by another
    /// run): not sent again until it fails or is older than the pending timeout.
    pub in_flight: Vec<DeliveredTarget>,
    /// Copies uploaded now.
    pub uploaded: Vec<TickUpload>,
    /// Copies that failed now.
    pub failed: Vec<TickFailure>,
    /// Copies not attempted because a stop was requested.
    pub not_attempted: Vec<UploadTarget>,
    /// The round the product was locked for during this tick.
    pub locked: Option<u32>,
    /// Uploads were refused because the round is closed (`Tournament round is not open`).
    pub round_closed: bool,
    /// A stop was requested during the tick.
    pub stopped: bool,
}

impl TickReport {
    /// Whether every planned copy has an active artifact now.
    pub fn is_complete(&self) -> bool {
        self.failed.iter().all(|f| f.target.is_none())
            && self.not_attempted.is_empty()
            && self.delivered.len() + self.uploaded.len() >= self.planned.len()
    }
}
