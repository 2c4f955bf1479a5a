//! Every call into the client crates, in small functions: the one place to re-target when their
//! APIs change. The Python classes only convert arguments and results around these.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crowdcent_client as cc;
use numerbay_client as nb;
use secrecy::SecretString;

use crate::errors::{chain, Failure, Kind};

pub use cc::ChallengeClient as CrowdCent;
pub use cc::Progress;
pub use nb::NumerBay;

/// Which product an argument pair (`product_id`, `product_full_name`) names.
pub fn product_ref(id: Option<u64>, full_name: Option<String>) -> Option<nb::ProductRef> {
    match (id, full_name) {
        (Some(id), _) => Some(nb::ProductRef::Id(marketplace_types::numerbay::ProductId(id))),
        (None, Some(name)) => Some(nb::ProductRef::FullName(name)),
        (None, None) => None,
    }
}

// ---- NumerBay ----

/// A NumerBay client; credentials and URL already resolved by the caller.
pub fn numerbay(base_url: Option<String>, credentials: Option<(String, String)>) -> nb::Result<NumerBay> {
    let mut builder = NumerBay::builder();
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    if let Some((user, password)) = credentials {
        builder = builder.credentials(nb::Credentials::new(user, SecretString::from(password)));
    }
    builder.build()
}

/// The NumerBay environment variables (username, password, API URL), as the official client reads them.
pub fn numerbay_env() -> (&'static str, &'static str, &'static str) {
    (nb::ENV_USERNAME, nb::ENV_PASSWORD, nb::ENV_API_URL)
}

/// `users/me`.
pub async fn nb_account(c: &NumerBay) -> nb::Result<marketplace_types::numerbay::User> {
    c.me().await
}

/// Your orders as a buyer.
pub async fn nb_orders(c: &NumerBay) -> nb::Result<Vec<marketplace_types::numerbay::Order>> {
    c.my_orders().await
}

/// Your sales.
pub async fn nb_sales(
    c: &NumerBay,
    active_only: bool,
) -> nb::Result<Vec<marketplace_types::numerbay::Order>> {
    let filter = if active_only {
        nb::SalesFilter::ActiveThisRound
    } else {
        nb::SalesFilter::All
    };
    c.my_sales(filter).await
}

/// Your listings.
pub async fn nb_listings(c: &NumerBay) -> nb::Result<Vec<marketplace_types::numerbay::Product>> {
    c.my_listings().await
}

/// What to upload: a file, or a frame already encoded as CSV.
#[derive(Debug)]
pub enum Upload {
    /// A file on disk.
    Path(PathBuf),
    /// A frame, uploaded as CSV named `filename`.
    Frame(frame_io::RecordBatch, String),
}

/// One uploaded copy, in the shape the Python result dicts take.
#[derive(Debug, serde::Serialize)]
pub struct Uploaded {
    /// The artifact id (integer for product artifacts, 32 hex for order artifacts).
    pub id: marketplace_types::numerbay::ArtifactId,
    /// The product.
    pub product_id: u64,
    /// The order, for per-order copies.
    pub order_id: Option<u64>,
    /// Bytes sent.
    pub object_size: u64,
    /// Whether it was submitted to the buyer's Numerai model.
    pub is_numerai_direct: bool,
    /// The buyer key a sealed copy was sealed to.
    pub buyer_public_key: Option<String>,
    /// `active`: the upload was validated.
    pub state: &'static str,
}

/// The seller fan-out: returns whether the product is encrypted and one entry per copy.
///
/// # Errors
/// The client's error, classified; when copies failed (mkt raises where the official client
/// logs), the class and status of the first failure's cause, and its message after the counts.
pub async fn nb_upload(
    c: &NumerBay,
    product: &nb::ProductRef,
    source: Upload,
    order_id: Option<u64>,
) -> Result<(bool, Vec<Uploaded>), Failure> {
    let failed = |e: nb::Error| nb_failure(&e);
    let resolved = c.product(product).await.map_err(failed)?;
    let encrypted = resolved.use_encryption.unwrap_or(false);
    let source = match source {
        Upload::Path(p) => nb::ArtifactSource::path(p),
        Upload::Frame(batch, name) => nb::ArtifactSource::record_batch(&batch, name).map_err(failed)?,
    };
    let options = nb::UploadOptions {
        order_id: order_id.map(marketplace_types::numerbay::OrderId),
        ..nb::UploadOptions::default()
    };
    let report = c
        .upload_artifact(&nb::ProductRef::Id(resolved.id), source, options)
        .await
        .map_err(failed)?;
    if let Err(e) = report.ensure_success() {
        let counts = nb_failure(&e);
        return Err(match report.failed().next() {
            Some((target, first)) => Failure {
                message: format!("{}; {}: {}", counts.message, target.label(), chain(first)),
                ..nb_failure(&first.source)
            },
            None => counts,
        });
    }
    let product_id = report.product_id.0;
    let uploaded = report
        .succeeded()
        .map(|(target, a)| Uploaded {
            id: a.artifact_id.clone(),
            product_id,
            order_id: target.order_id().map(|o| o.0),
            object_size: a.bytes,
            is_numerai_direct: matches!(target, nb::plan::UploadTarget::NumeraiDirect { .. }),
            buyer_public_key: match target {
                nb::plan::UploadTarget::Sealed { buyer_public_key, .. } => {
                    Some(a.sealed_to.clone().unwrap_or_else(|| buyer_public_key.clone()))
                }
                _ => None,
            },
            state: "active",
        })
        .collect();
    Ok((encrypted, uploaded))
}

/// The buyer's key: a key file, or a base64 private key.
#[derive(Debug)]
pub enum Key {
    /// A `numerbay.json` key file.
    File(PathBuf),
    /// A base64 private key.
    Base64(SecretString),
}

/// The buyer download, into `dest` (a file or a directory; `None`: the server's name here).
///
/// # Errors
/// The client's error (resolution, key, crypto, transfer).
#[allow(clippy::too_many_arguments)]
pub async fn nb_download(
    c: &NumerBay,
    product: Option<nb::ProductRef>,
    order_id: Option<u64>,
    artifact_id: Option<String>,
    key: Option<Key>,
    dest: Option<PathBuf>,
    progress: Option<Arc<dyn Progress>>,
) -> nb::Result<nb::DownloadOutcome> {
    let artifact_id = match artifact_id {
        Some(a) => Some(a.parse().map_err(|source| nb::Error::InvalidRequest {
            message: format!("invalid artifact_id {a:?}: {source}"),
        })?),
        None => None,
    };
    let key_pair = match key {
        Some(Key::File(path)) => Some(artifact_crypto::load_key_file(path)?.key_pair),
        Some(Key::Base64(b64)) => {
            use secrecy::ExposeSecret;
            let secret = artifact_crypto::SecretKey::from_base64(b64.expose_secret())?;
            Some(artifact_crypto::KeyPair::from_secret(secret))
        }
        None => None,
    };
    let request = match (artifact_id, order_id, product) {
        (Some(artifact_id), _, product) => nb::DownloadRequest::Artifact { artifact_id, product },
        (None, Some(order_id), product) => nb::DownloadRequest::Order {
            order_id: marketplace_types::numerbay::OrderId(order_id),
            product,
        },
        (None, None, Some(product)) => nb::DownloadRequest::Product(product),
        (None, None, None) => {
            return Err(nb::Error::InvalidRequest {
                message: "name the file to download: a product, an order id or an artifact id".into(),
            })
        }
    };
    let options = nb::DownloadOptions {
        key_pair,
        dest,
        overwrite: true,
        progress,
    };
    c.download(&request, options).await
}

/// Locks the product for a round (default: the selling round).
pub async fn nb_lock(
    c: &NumerBay,
    product: &nb::ProductRef,
    round: Option<u32>,
) -> nb::Result<marketplace_types::numerbay::ProductRow> {
    let p = c.product(product).await?;
    c.lock_product(p.id, round).await
}

/// Whether `e` or one of its causes satisfies `is`.
fn caused_by(
    e: &(dyn std::error::Error + 'static),
    is: impl Fn(&(dyn std::error::Error + 'static)) -> bool,
) -> bool {
    std::iter::successors(Some(e), |err| err.source()).any(is)
}

/// Whether `e` comes from an interrupted destination writer (a cancelled call).
fn interrupted(e: &(dyn std::error::Error + 'static)) -> bool {
    caused_by(e, |err| {
        matches!(
            err.downcast_ref::<mkt_fs::Error>(),
            Some(mkt_fs::Error::Interrupted)
        )
    })
}

/// Whether `e` comes from a file or directory that does not exist (Python's `FileNotFoundError`).
fn missing_file(e: &(dyn std::error::Error + 'static)) -> bool {
    caused_by(e, |err| {
        err.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    })
}

/// A NumerBay error, classified.
pub fn nb_failure(e: &nb::Error) -> Failure {
    let status = e.http().and_then(|h| h.status());
    let kind = if interrupted(e) {
        Kind::Interrupted
    } else if missing_file(e) {
        Kind::MissingFile
    } else if e.is_auth() {
        Kind::Auth
    } else if e.is_not_found() {
        Kind::NotFound
    } else if matches!(status, Some(s) if (400..500).contains(&s))
        || matches!(e, nb::Error::InvalidRequest { .. })
    {
        Kind::Validation
    } else if matches!(status, Some(s) if s >= 500) {
        Kind::Server
    } else {
        Kind::Other
    };
    Failure {
        kind,
        message: chain(e),
        status,
    }
}

// ---- CrowdCent ----

/// A challenge client. `api_key`/`base_url` fall back to `CROWDCENT_API_KEY`/`CROWDCENT_API_URL`.
pub fn crowdcent(slug: &str, api_key: Option<String>, base_url: Option<String>) -> cc::Result<CrowdCent> {
    crowdcent_root(api_key, base_url)?.challenge(slug)
}

fn crowdcent_root(api_key: Option<String>, base_url: Option<String>) -> cc::Result<cc::CrowdCent> {
    let key = match api_key.filter(|k| !k.is_empty()) {
        Some(k) => SecretString::from(k),
        None => cc::api_key_from_env()?,
    };
    let url = base_url
        .or_else(cc::base_url_from_env)
        .unwrap_or_else(|| cc::DEFAULT_BASE_URL.to_owned());
    cc::CrowdCent::builder().api_key(key).base_url(url).build()
}

/// Every challenge.
pub async fn cc_challenges(
    api_key: Option<String>,
    base_url: Option<String>,
) -> cc::Result<Vec<cc::Challenge>> {
    crowdcent_root(api_key, base_url)?.list_challenges().await
}

/// `auth/check`.
pub async fn cc_auth(api_key: Option<String>, base_url: Option<String>) -> cc::Result<cc::AuthCheck> {
    crowdcent_root(api_key, base_url)?.auth_check().await
}

/// The challenge.
pub async fn cc_challenge(c: &CrowdCent) -> cc::Result<cc::Challenge> {
    c.get().await
}

/// Training datasets.
pub async fn cc_trainings(c: &CrowdCent) -> cc::Result<Vec<cc::TrainingDataset>> {
    c.list_training_datasets().await
}

/// One training dataset (`latest` or a version).
pub async fn cc_training(c: &CrowdCent, version: &str) -> cc::Result<cc::TrainingDataset> {
    c.training_dataset(&version.parse()?).await
}

fn destination(path: &str) -> cc::Result<cc::mkt_fs::Destination> {
    Ok(cc::mkt_fs::Destination::user(path).resolve()?)
}

/// Downloads a training dataset to `dest` (format from the extension, as the official client).
pub async fn cc_download_training(
    c: &CrowdCent,
    version: &str,
    dest: &str,
    progress: Option<Arc<dyn Progress>>,
) -> cc::Result<()> {
    let format = cc::DataFormat::for_path(std::path::Path::new(dest));
    c.download_training_dataset(&version.parse()?, format, &destination(dest)?, progress)
        .await
        .map(drop)
}

/// Inference periods.
pub async fn cc_inferences(c: &CrowdCent) -> cc::Result<Vec<cc::InferencePeriod>> {
    c.list_inference_periods().await
}

/// One inference period (`current`, `latest` or a date).
pub async fn cc_inference(c: &CrowdCent, which: &str) -> cc::Result<cc::InferencePeriod> {
    c.inference_period(which.parse()?).await
}

/// Downloads inference data; `current` with `poll` waits for it (`timeout` `None`: forever).
pub async fn cc_download_inference(
    c: &CrowdCent,
    which: &str,
    dest: &str,
    poll: Option<(Duration, Option<Duration>)>,
    progress: Option<Arc<dyn Progress>>,
) -> cc::Result<()> {
    let which: cc::InferenceRef = which.parse()?;
    let format = cc::DataFormat::for_path(std::path::Path::new(dest));
    let dest = destination(dest)?;
    match (which, poll) {
        (cc::InferenceRef::Current, Some((interval, timeout))) => {
            let options = cc::WaitOptions {
                interval,
                timeout,
                ..cc::WaitOptions::default()
            };
            c.wait_for_inference(&dest, format, options, progress)
                .await
                .map(drop)
        }
        (which, _) => c
            .download_inference(which, format, &dest, progress)
            .await
            .map(drop),
    }
}

/// Downloads the meta-model.
pub async fn cc_download_meta_model(
    c: &CrowdCent,
    dest: &str,
    progress: Option<Arc<dyn Progress>>,
) -> cc::Result<()> {
    let format = cc::DataFormat::for_path(std::path::Path::new(dest));
    c.download_meta_model(format, &destination(dest)?, progress)
        .await
        .map(drop)
}

/// Your submissions (`period`: `current` or a date).
pub async fn cc_submissions(c: &CrowdCent, period: Option<&str>) -> cc::Result<Vec<cc::Submission>> {
    let period = period.map(str::parse).transpose()?;
    c.list_submissions(period).await
}

/// One submission.
pub async fn cc_submission(c: &CrowdCent, id: u64) -> cc::Result<cc::Submission> {
    c.submission(id).await
}

/// What to submit.
#[derive(Debug)]
pub enum Submit {
    /// A Parquet or CSV file.
    Path(PathBuf),
    /// A frame (encoded to Parquet in memory).
    Frame(frame_io::RecordBatch),
}

/// Validates locally, then submits; the server's response is returned as sent.
pub async fn cc_submit(
    c: &CrowdCent,
    what: Submit,
    slot: u32,
    queue_next: bool,
    is_experimental: bool,
    notes: String,
) -> cc::Result<cc::SubmitResponse> {
    let options = cc::SubmitOptions {
        slot,
        also_queue_next: queue_next,
        is_experimental,
        notes,
        ..cc::SubmitOptions::default()
    };
    let predictions = match what {
        Submit::Path(p) => cc::Predictions::Path(p),
        Submit::Frame(b) => cc::Predictions::Batches(vec![b]),
    };
    Ok(c.submit(predictions, options).await?.response)
}

/// The performance table.
pub async fn cc_performance(
    c: &CrowdCent,
    scored_only: bool,
    slot: Option<u32>,
) -> cc::Result<Vec<cc::PerformanceRow>> {
    c.performance(cc::PerformanceQuery { scored_only, slot }).await
}

/// A CrowdCent error, classified, with the API's error code when there is one.
pub fn cc_failure(e: &cc::Error) -> (Failure, String) {
    let status = e.status();
    let kind = if matches!(e, cc::Error::WaitTimeout { .. }) {
        Kind::Timeout
    } else if missing_file(e) {
        Kind::MissingFile
    } else if interrupted(e) {
        Kind::Interrupted
    } else if e.is_auth() {
        Kind::Auth
    } else if e.is_not_found() {
        Kind::NotFound
    } else if e.is_validation() {
        Kind::Validation
    } else if matches!(status, Some(s) if s >= 500) {
        Kind::Server
    } else {
        Kind::Other
    };
    let code = e
        .http()
        .and_then(|h| h.api())
        .and_then(|a| a.code.clone())
        .unwrap_or_default();
    (
        Failure {
            kind,
            message: chain(e),
            status,
        },
        code,
    )
}
