//! Seller uploads: plan the copies, then upload them concurrently, each streamed in constant memory.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use artifact_crypto::{PublicKey, SealedStream};
use bytes::Bytes;
use futures::stream::{self, StreamExt, TryStreamExt};
use marketplace_core::{Progress, StreamOpener, UploadBody};
use marketplace_types::numerbay::{
    ArtifactId, OrderId, OrderRole, OrderUploadUrl, OrderUploadUrlForm, Product, UploadUrl, UploadUrlForm,
};
use tempfile::NamedTempFile;

use crate::client::NumerBay;
use crate::error::{Error, Result};
use crate::link::with_fresh_link;
use crate::orders::OrderQuery;
use crate::plan::{self, UploadTarget};
use crate::products::ProductRef;
use crate::report::{TargetError, TargetResult, UploadReport, UploadStage, UploadedArtifact};
use crate::submit::SubmitOptions;

/// Default number of copies uploaded at the same time.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Bytes read per step when streaming a sealed copy.
const STREAM_CHUNK: usize = 256 * 1024;

/// The file to upload.
#[derive(Debug, Clone)]
pub enum ArtifactSource {
    /// A file on disk, streamed (never read into memory).
    Path(PathBuf),
    /// Bytes in memory, uploaded under `filename`.
    Bytes {
        /// The content.
        bytes: Bytes,
        /// The file name the server derives the object's extension from (e.g. `preds.csv`).
        filename: String,
    },
}

impl ArtifactSource {
    /// A file on disk.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self::Path(path.into())
    }

    /// Bytes in memory, named `filename`.
    pub fn bytes(bytes: impl Into<Bytes>, filename: impl Into<String>) -> Self {
        Self::Bytes {
            bytes: bytes.into(),
            filename: filename.into(),
        }
    }

    /// An arrow record batch encoded as CSV (header row, no index column), named `filename`.
    ///
    /// # Errors
    /// [`Error::Frame`] when a column cannot be written as CSV.
    #[cfg(feature = "frames")]
    pub fn record_batch(batch: &frame_io::RecordBatch, filename: impl Into<String>) -> Result<Self> {
        let csv = frame_io::to_csv_bytes(std::slice::from_ref(batch)).map_err(Error::Frame)?;
        Ok(Self::bytes(csv, filename))
    }

    fn filename(&self) -> String {
        match self {
            Self::Path(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "artifact".to_owned()),
            Self::Bytes { filename, .. } => filename.clone(),
        }
    }
}

/// Creates a progress sink for each target of an upload (e.g. one bar per order).
pub trait UploadProgress: Send + Sync {
    /// The sink for `target`, or `None` for no reporting.
    fn target(&self, target: &UploadTarget) -> Option<Arc<dyn Progress>>;
}

/// Options of [`NumerBay::upload_artifact`].
#[derive(Clone)]
pub struct UploadOptions {
    /// How many copies go out at the same time (at least 1; default [`DEFAULT_CONCURRENCY`]).
    pub concurrency: usize,
    /// Only upload the copy for this order (encrypted products only).
    pub order_id: Option<OrderId>,
    /// Progress reporting per target.
    pub progress: Option<Arc<dyn UploadProgress>>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            order_id: None,
            progress: None,
        }
    }
}

impl std::fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadOptions")
            .field("concurrency", &self.concurrency)
            .field("order_id", &self.order_id)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// The plaintext, ready to be sent any number of times.
struct Prepared {
    filename: String,
    len: u64,
    /// Bytes in memory, when the source was bytes (plaintext copies send these directly).
    bytes: Option<Bytes>,
    /// A file holding the plaintext (the source path, or a temporary copy of the bytes, made
    /// only when a sealed copy needs a file to stream from).
    path: Option<PathBuf>,
    _temp: Option<NamedTempFile>,
}

impl Prepared {
    fn plain_body(&self) -> UploadBody {
        match (&self.bytes, &self.path) {
            (Some(b), _) => UploadBody::Bytes(b.clone()),
            (None, Some(p)) => UploadBody::File(p.clone()),
            (None, None) => UploadBody::Bytes(Bytes::new()),
        }
    }
}

impl NumerBay {
    /// Uploads `source` to `product` for the current selling round.
    ///
    /// Unencrypted products get one product artifact. Encrypted products get, for each active
    /// sale (confirmed, covering the selling round; optionally only `options.order_id`) with a
    /// buyer key, a plaintext Numerai-direct copy when the order names a submission model and a
    /// sealed copy when its mode is `file`; plus one product artifact when any active sale has no
    /// key. Copies go out `options.concurrency` at a time; each is `generate-upload-url` (never
    /// retried) → `PUT` (`Content-Type: application/octet-stream`, status checked) →
    /// `validate-upload` (any 2xx, even `{}`, is success). A `PUT` the storage host refuses
    /// (expired or revoked link) gets one fresh URL (a new artifact; the refused one stays
    /// `pending`, as after any failed `PUT`).
    ///
    /// A failing copy does not stop the others: the report has one result per target. No active
    /// sale is not an error: the report says there was nothing to upload.
    ///
    /// # Errors
    /// Errors before any copy is attempted: product resolution, globals, listing sales, reading
    /// the source, [`Error::OrderNotApplicable`] for an order id on an unencrypted product.
    /// Per-target failures are in the report (see [`UploadReport::ensure_success`]).
    pub async fn upload_artifact(
        &self,
        product: &ProductRef,
        source: ArtifactSource,
        options: UploadOptions,
    ) -> Result<UploadReport> {
        let submit = SubmitOptions {
            upload: options,
            replace: true,
            stop: None,
        };
        self.upload_planned(product, source, submit).await
    }

    /// [`upload_artifact`](Self::upload_artifact) with the idempotency and stop controls of
    /// [`SubmitOptions`].
    pub(crate) async fn upload_planned(
        &self,
        product: &ProductRef,
        source: ArtifactSource,
        submit: SubmitOptions,
    ) -> Result<UploadReport> {
        let options = submit.upload;
        self.require_login("upload")?;
        let product = self.product(product).await?;
        let use_encryption = product.use_encryption.unwrap_or(false);
        if options.order_id.is_some() && !use_encryption {
            // Spec §8.21: the official client silently ignores it.
            return Err(Error::OrderNotApplicable {
                product_id: product.id,
            });
        }
        let selling_round = self.globals().await?.selling_round;
        let sales = if use_encryption {
            self.list_orders(&OrderQuery {
                role: Some(OrderRole::Seller),
                product: Some(product.id),
                active_in_round: Some(selling_round),
            })
            .await?
        } else {
            Vec::new()
        };
        if let Some(order_id) = options.order_id {
            if !sales.iter().any(|sale| sale.id == order_id) {
                return Err(Error::OrderNotActive {
                    order_id,
                    product: product.sku.clone(),
                    round: selling_round,
                });
            }
        }
        let mut plan = plan::plan_upload(&product, selling_round, &sales, options.order_id);
        if !submit.replace && !plan.targets.is_empty() {
            let server = self.server_state(&plan.targets, product.id, &sales).await?;
            plan::skip_delivered(
                &mut plan,
                &server,
                selling_round,
                false,
                chrono::Utc::now().naive_utc(),
            );
        }
        let mut report = UploadReport {
            product_id: product.id,
            sku: product.sku.clone(),
            selling_round,
            plan,
            results: Vec::new(),
            not_sent: Vec::new(),
        };
        if report.plan.targets.is_empty() {
            tracing::info!(product = %product.sku, "nothing to upload");
            return Ok(report);
        }
        let needs_file = report
            .plan
            .targets
            .iter()
            .any(|t| matches!(t, UploadTarget::Sealed { .. }));
        let prepared = Arc::new(prepare_source(source, needs_file).await?);
        let concurrency = options.concurrency.max(1);
        let targets = report.plan.targets.clone();
        let stop = submit.stop.clone();
        let mut results: Vec<(usize, Option<TargetResult>, UploadTarget)> =
            stream::iter(targets.into_iter().enumerate())
                .map(|(i, target)| {
                    let prepared = Arc::clone(&prepared);
                    let progress = options.progress.clone();
                    let product = &product;
                    let stop = stop.clone();
                    async move {
                        // Checked when the copy would start: in-flight copies finish, no new
                        // one begins once a stop was requested.
                        if stop.as_ref().is_some_and(|s| s()) {
                            return (i, None, target);
                        }
                        let progress = progress.as_ref().and_then(|p| p.target(&target));
                        let outcome = self.upload_target(product, &target, &prepared, progress).await;
                        if let Err(e) = &outcome {
                            tracing::warn!(target = %target.label(), error = %e, "upload failed");
                        }
                        (
                            i,
                            Some(TargetResult {
                                target: target.clone(),
                                outcome,
                            }),
                            target,
                        )
                    }
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
        results.sort_by_key(|(i, _, _)| *i);
        for (_, result, target) in results {
            match result {
                Some(r) => report.results.push(r),
                None => report.not_sent.push(target),
            }
        }
        Ok(report)
    }

    async fn upload_target(
        &self,
        product: &Product,
        target: &UploadTarget,
        prepared: &Prepared,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<UploadedArtifact, TargetError> {
        let fail = |stage, artifact_id: Option<ArtifactId>| {
            move |source: Error| TargetError {
                stage,
                artifact_id,
                source,
            }
        };
        match target {
            UploadTarget::Product { .. } => {
                let form = UploadUrlForm {
                    filename: prepared.filename.clone(),
                    filesize: Some(prepared.len),
                    ..UploadUrlForm::default()
                };
                let (issued, ()) = with_fresh_link(
                    "upload",
                    progress.as_deref(),
                    || async {
                        self.product_upload_url(product.id, &form)
                            .await
                            .map_err(fail(UploadStage::RequestUrl, None))
                    },
                    |issued: UploadUrl| {
                        let progress = progress.clone();
                        async move {
                            let id = ArtifactId::Product(issued.id);
                            self.http
                                .upload(&issued.url, prepared.plain_body(), progress)
                                .await
                                .map_err(|e| fail(UploadStage::Put, Some(id))(e.into()))
                        }
                    },
                )
                .await?;
                let id = ArtifactId::Product(issued.id);
                self.validate_product_upload(product.id, issued.id)
                    .await
                    .map_err(fail(UploadStage::Validate, Some(id.clone())))?;
                Ok(UploadedArtifact {
                    artifact_id: id,
                    bytes: prepared.len,
                    sealed_to: None,
                })
            }
            UploadTarget::NumeraiDirect { order_id, .. } => {
                let form = OrderUploadUrlForm {
                    order_id: *order_id,
                    filename: prepared.filename.clone(),
                    // Spec §2.8: only "true"/"True" mean true.
                    is_numerai_direct: Some("true".to_owned()),
                    filesize: Some(prepared.len),
                    action: None,
                    filename_suffix: None,
                };
                let (issued, ()) = with_fresh_link(
                    "upload",
                    progress.as_deref(),
                    || async {
                        self.order_upload_url(&form)
                            .await
                            .map_err(fail(UploadStage::RequestUrl, None))
                    },
                    |issued: OrderUploadUrl| {
                        let progress = progress.clone();
                        async move {
                            let id = ArtifactId::Order(issued.id.clone());
                            self.http
                                .upload(&issued.url, prepared.plain_body(), progress)
                                .await
                                .map_err(|e| fail(UploadStage::Put, Some(id))(e.into()))
                        }
                    },
                )
                .await?;
                let id = ArtifactId::Order(issued.id.clone());
                self.validate_order_upload(&issued.id)
                    .await
                    .map_err(fail(UploadStage::Validate, Some(id.clone())))?;
                Ok(UploadedArtifact {
                    artifact_id: id,
                    bytes: prepared.len,
                    sealed_to: None,
                })
            }
            UploadTarget::Sealed {
                order_id,
                buyer_public_key,
            } => {
                let form = OrderUploadUrlForm {
                    order_id: *order_id,
                    filename: prepared.filename.clone(),
                    is_numerai_direct: None,
                    filesize: Some(artifact_crypto::sealed_len(prepared.len)),
                    action: None,
                    filename_suffix: None,
                };
                let (issued, (key_text, len)) = with_fresh_link(
                    "upload",
                    progress.as_deref(),
                    || async {
                        self.order_upload_url(&form)
                            .await
                            .map_err(fail(UploadStage::RequestUrl, None))
                    },
                    |issued: OrderUploadUrl| {
                        let progress = progress.clone();
                        async move {
                            let id = ArtifactId::Order(issued.id.clone());
                            // Spec §8.20: the key returned with the URL is the order's current one
                            // (the buyer may have rotated it since the order was listed).
                            let key_text = issued
                                .buyer_public_key
                                .clone()
                                .filter(|k| !k.trim().is_empty())
                                .unwrap_or_else(|| buyer_public_key.clone());
                            let body = sealed_body(prepared, &key_text)
                                .await
                                .map_err(fail(UploadStage::Prepare, Some(id.clone())))?;
                            let len = match &body {
                                UploadBody::Stream { len, .. } => *len,
                                _ => 0,
                            };
                            self.http
                                .upload(&issued.url, body, progress)
                                .await
                                .map_err(|e| fail(UploadStage::Put, Some(id))(e.into()))?;
                            Ok((key_text, len))
                        }
                    },
                )
                .await?;
                let id = ArtifactId::Order(issued.id.clone());
                self.validate_order_upload(&issued.id)
                    .await
                    .map_err(fail(UploadStage::Validate, Some(id.clone())))?;
                Ok(UploadedArtifact {
                    artifact_id: id,
                    bytes: len,
                    sealed_to: Some(key_text),
                })
            }
        }
    }
}

/// Reads the source's size, and spills in-memory bytes to a temporary file when a sealed copy
/// needs a file to stream from.
async fn prepare_source(source: ArtifactSource, needs_file: bool) -> Result<Prepared> {
    let filename = source.filename();
    match source {
        ArtifactSource::Path(path) => {
            let meta = tokio::fs::metadata(&path)
                .await
                .map_err(|e| Error::io(&path, "read", e))?;
            if !meta.is_file() {
                return Err(Error::io(
                    &path,
                    "upload",
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
                ));
            }
            Ok(Prepared {
                filename,
                len: meta.len(),
                bytes: None,
                path: Some(path),
                _temp: None,
            })
        }
        ArtifactSource::Bytes { bytes, .. } => {
            let len = bytes.len() as u64;
            let temp = if needs_file {
                let bytes = bytes.clone();
                let temp =
                    tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || spill(&bytes)))
                        .await
                        .map_err(|e| Error::io(std::env::temp_dir(), "write", std::io::Error::other(e)))??;
                Some(temp)
            } else {
                None
            };
            Ok(Prepared {
                filename,
                len,
                path: temp.as_ref().map(|t| t.path().to_path_buf()),
                bytes: Some(bytes),
                _temp: temp,
            })
        }
    }
}

fn spill(bytes: &[u8]) -> Result<NamedTempFile> {
    use std::io::Write as _;
    let dir = std::env::temp_dir();
    let mut temp = tempfile::Builder::new()
        .prefix(".mkt-upload.")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.flush())
        .map_err(|e| Error::io(temp.path(), "write", e))?;
    Ok(temp)
}

/// A replayable body streaming `epk ‖ tag ‖ ciphertext` of the plaintext file.
///
/// Pass one (the tag) runs once here, off the async threads; every attempt re-opens the file and
/// streams the sealed bytes in `STREAM_CHUNK` steps, so memory stays constant whatever the size.
async fn sealed_body(prepared: &Prepared, key_text: &str) -> Result<UploadBody> {
    let key = PublicKey::from_base64(key_text)?;
    let path = prepared
        .path
        .clone()
        .ok_or_else(|| Error::io("<upload>", "seal", std::io::Error::other("no file to seal")))?;
    let sealed = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
        SealedStream::prepare(&key, &path)
    }))
    .await
    .map_err(|e| Error::io("<upload>", "seal", std::io::Error::other(e)))??;
    let len = sealed.sealed_len();
    let open: StreamOpener = Arc::new(move || {
        let reader = sealed.reader().map_err(|e| marketplace_core::Error::Io {
            path: sealed.path().to_path_buf(),
            op: "open",
            source: std::io::Error::other(e),
        })?;
        Ok(blocking_stream(reader).boxed())
    });
    Ok(UploadBody::Stream { len, open })
}

/// Turns a blocking reader into a byte stream, reading each chunk on the blocking thread pool.
fn blocking_stream<R: Read + Send + 'static>(
    reader: R,
) -> impl futures::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    stream::try_unfold(Some(reader), |state| async move {
        let Some(mut reader) = state else {
            return Ok(None);
        };
        let (reader, chunk) = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
            let mut buf = vec![0u8; STREAM_CHUNK];
            let mut filled = 0;
            while filled < buf.len() {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            buf.truncate(filled);
            Ok((reader, buf))
        }))
        .await
        .map_err(std::io::Error::other)??;
        if chunk.is_empty() {
            Ok(None)
        } else {
            Ok(Some((Bytes::from(chunk), Some(reader))))
        }
    })
    .into_stream()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blocking_stream_yields_all_bytes_in_chunks() {
        let data: Vec<u8> = (0..(STREAM_CHUNK * 2 + 17)).map(|i| (i % 251) as u8).collect();
        let chunks: Vec<Bytes> = blocking_stream(std::io::Cursor::new(data.clone()))
            .try_collect()
            .await
            .expect("stream");
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks.concat(), data);
    }

    #[tokio::test]
    async fn sealed_body_streams_an_openable_box() {
        let pair = artifact_crypto::KeyPair::generate();
        let prepared = prepare_source(
            ArtifactSource::bytes(&b"id,prediction\nabc,0.5\n"[..], "p.csv"),
            true,
        )
        .await
        .expect("prepare");
        let body = sealed_body(&prepared, &pair.public().to_base64())
            .await
            .expect("sealed");
        let UploadBody::Stream { len, open } = body else {
            panic!("expected a stream body");
        };
        assert_eq!(len, 22 + 48);
        for _attempt in 0..2 {
            let chunks: Vec<Bytes> = open().expect("open").try_collect().await.expect("read");
            let sealed = chunks.concat();
            assert_eq!(sealed.len() as u64, len);
            let plain = artifact_crypto::open(&pair, &sealed).expect("opens");
            assert_eq!(plain, b"id,prediction\nabc,0.5\n");
        }
    }
}
