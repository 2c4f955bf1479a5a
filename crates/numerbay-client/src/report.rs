//! Typed results of uploads and downloads.

use std::fmt;
use std::path::PathBuf;

use marketplace_types::numerbay::{ArtifactId, OrderId, ProductId};
use serde::Serialize;

use crate::error::Error;
use crate::plan::{UploadPlan, UploadTarget};

/// The step of one target's upload that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadStage {
    /// Preparing the body (reading or sealing the file, parsing the buyer key).
    Prepare,
    /// `generate-upload-url`.
    RequestUrl,
    /// The `PUT` to the signed URL.
    Put,
    /// `validate-upload`.
    Validate,
}

impl fmt::Display for UploadStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Prepare => "preparing the body",
            Self::RequestUrl => "requesting an upload url",
            Self::Put => "uploading",
            Self::Validate => "validating the upload",
        })
    }
}

/// Why one target failed. A `pending` artifact may exist when the URL was issued (`artifact_id`).
#[derive(Debug, thiserror::Error)]
#[error("{stage} failed{}", artifact_suffix(artifact_id))]
pub struct TargetError {
    /// The step that failed.
    pub stage: UploadStage,
    /// The artifact created before the failure, if any (left `pending` on the server).
    pub artifact_id: Option<ArtifactId>,
    /// The cause.
    #[source]
    pub source: Error,
}

fn artifact_suffix(id: &Option<ArtifactId>) -> String {
    id.as_ref()
        .map(|id| format!(" (artifact {id} stays pending)"))
        .unwrap_or_default()
}

/// A target that was uploaded and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedArtifact {
    /// The new artifact.
    pub artifact_id: ArtifactId,
    /// Bytes sent (ciphertext size for sealed copies).
    pub bytes: u64,
    /// The base64 public key a sealed copy was sealed to (the freshest the server gave).
    pub sealed_to: Option<String>,
}

/// The outcome for one target.
#[derive(Debug)]
pub struct TargetResult {
    /// What was uploaded.
    pub target: UploadTarget,
    /// The artifact, or why it failed.
    pub outcome: Result<UploadedArtifact, TargetError>,
}

/// Everything one [`upload_artifact`](crate::NumerBay::upload_artifact) call did.
#[derive(Debug)]
pub struct UploadReport {
    /// The product uploaded to.
    pub product_id: ProductId,
    /// Its full name.
    pub sku: String,
    /// The selling round the copies are for.
    pub selling_round: u32,
    /// The plan: targets, skipped orders, and why nothing was uploaded when that is the case.
    pub plan: UploadPlan,
    /// One result per target that was attempted, in plan order.
    pub results: Vec<TargetResult>,
    /// Targets never started because a stop was requested (see
    /// [`SubmitOptions::stop`](crate::SubmitOptions::stop)).
    pub not_sent: Vec<UploadTarget>,
}

impl UploadReport {
    /// Whether there was nothing to upload (no active sale of an encrypted product, or every
    /// copy already delivered).
    pub fn is_nothing_to_upload(&self) -> bool {
        self.plan.targets.is_empty()
    }

    /// Whether a stop request left targets unsent.
    pub fn is_stopped(&self) -> bool {
        !self.not_sent.is_empty()
    }

    /// The targets that failed.
    pub fn failed(&self) -> impl Iterator<Item = (&UploadTarget, &TargetError)> {
        self.results
            .iter()
            .filter_map(|r| r.outcome.as_ref().err().map(|e| (&r.target, e)))
    }

    /// The targets that succeeded.
    pub fn succeeded(&self) -> impl Iterator<Item = (&UploadTarget, &UploadedArtifact)> {
        self.results
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok().map(|a| (&r.target, a)))
    }

    /// The ids of orders whose copy failed.
    pub fn failed_orders(&self) -> Vec<OrderId> {
        self.failed().filter_map(|(t, _)| t.order_id()).collect()
    }

    /// `Ok` when every target succeeded (or there was nothing to do).
    ///
    /// # Errors
    /// [`Error::UploadFailed`] with the counts when any target failed.
    pub fn ensure_success(&self) -> Result<(), Error> {
        let failed = self.failed().count();
        if failed == 0 {
            Ok(())
        } else {
            Err(Error::UploadFailed {
                failed,
                total: self.results.len(),
            })
        }
    }
}

/// What a buyer download did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownloadOutcome {
    /// The artifact downloaded.
    pub artifact_id: ArtifactId,
    /// The order that gave access, when resolved through one.
    pub order_id: Option<OrderId>,
    /// The product.
    pub product_id: Option<ProductId>,
    /// Where the (opened) file is.
    pub path: PathBuf,
    /// Size of the file at `path`.
    pub bytes: u64,
    /// Whether the download was sealed and opened with the key file.
    pub decrypted: bool,
    /// How often a cut download was resumed.
    pub resumed: u32,
    /// The server's file name, when it was not safe to use as is and `path` has a rewritten one.
    pub renamed_from: Option<String>,
}
