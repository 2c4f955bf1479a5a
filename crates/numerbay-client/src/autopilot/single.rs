//! Uploading one per-order copy on its own, for an order whose other copy is already delivered.
//!
//! [`NumerBay::upload_artifact`] with an `order_id` uploads every copy the order needs; when one of
//! an order's two copies (Numerai-direct and sealed) is already active, that would duplicate it, so
//! the missing one goes through here: the same three calls (spec §6), with the sealed copy written
//! to a temporary file first.

use std::path::Path;

use artifact_crypto::PublicKey;
use marketplace_core::UploadBody;
use marketplace_types::numerbay::{ArtifactId, OrderUploadUrlForm};

use crate::client::NumerBay;
use crate::error::{Error, Result};
use crate::plan::UploadTarget;
use crate::report::{TargetError, UploadStage, UploadedArtifact};

/// Uploads the per-order `target` from the plaintext file at `path`.
pub(crate) async fn upload_order_copy(
    nb: &NumerBay,
    target: &UploadTarget,
    path: &Path,
) -> Result<UploadedArtifact, TargetError> {
    let fail = |stage, artifact_id: Option<ArtifactId>| {
        move |source: Error| TargetError {
            stage,
            artifact_id,
            source,
        }
    };
    let (order_id, direct, planned_key) = match target {
        UploadTarget::NumeraiDirect { order_id, .. } => (*order_id, true, None),
        UploadTarget::Sealed {
            order_id,
            buyer_public_key,
        } => (*order_id, false, Some(buyer_public_key.clone())),
        UploadTarget::Product { .. } => {
            let e = Error::Protocol {
                endpoint: "autopilot".into(),
                message: "a product artifact is not a per-order copy".into(),
            };
            return Err(fail(UploadStage::Prepare, None)(e));
        }
    };
    let len = std::fs::metadata(path)
        .map_err(|e| fail(UploadStage::Prepare, None)(Error::io(path, "read", e)))?
        .len();
    let filename = path.file_name().map_or_else(
        || "predictions.csv".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let form = OrderUploadUrlForm {
        order_id,
        filename,
        // Spec §2.8: only "true"/"True" mean true.
        is_numerai_direct: direct.then(|| "true".to_owned()),
        filesize: Some(if direct {
            len
        } else {
            artifact_crypto::sealed_len(len)
        }),
        action: None,
        filename_suffix: None,
    };
    let issued = nb
        .order_upload_url(&form)
        .await
        .map_err(fail(UploadStage::RequestUrl, None))?;
    let id = ArtifactId::Order(issued.id.clone());
    let mut sealed_to = None;
    let mut _sealed_file = None;
    let body = if direct {
        UploadBody::File(path.to_owned())
    } else {
        // Spec §8.20: the key returned with the URL is the order's freshest.
        let key_text = issued
            .buyer_public_key
            .clone()
            .filter(|k| !k.trim().is_empty())
            .or(planned_key)
            .unwrap_or_default();
        let temp = seal_to_temp(path, &key_text)
            .await
            .map_err(fail(UploadStage::Prepare, Some(id.clone())))?;
        let body = UploadBody::File(temp.path().to_owned());
        _sealed_file = Some(temp);
        sealed_to = Some(key_text);
        body
    };
    let bytes = match &body {
        UploadBody::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(len),
        _ => len,
    };
    nb.http
        .upload(&issued.url, body, None)
        .await
        .map_err(|e| fail(UploadStage::Put, Some(id.clone()))(e.into()))?;
    nb.validate_order_upload(&issued.id)
        .await
        .map_err(fail(UploadStage::Validate, Some(id.clone())))?;
    Ok(UploadedArtifact {
        artifact_id: id,
        bytes,
        sealed_to,
    })
}

async fn seal_to_temp(path: &Path, key_text: &str) -> Result<tempfile::NamedTempFile> {
    let key = PublicKey::from_base64(key_text)?;
    let src = path.to_owned();
    tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
        let dir = std::env::temp_dir();
        let temp = tempfile::Builder::new()
            .prefix(".mkt-autopilot-sealed.")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
        artifact_crypto::seal_file(&key, &src, temp.path())?;
        Ok(temp)
    }))
    .await
    .map_err(|e| Error::io(path, "seal", std::io::Error::other(e)))?
}
