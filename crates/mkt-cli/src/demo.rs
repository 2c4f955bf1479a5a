//! `mkt sandbox demo`: the whole story against an in-process sandbox with the real client code.
//!
//! Seller uploads a predictions CSV to the encrypted product (one sealed copy per active order), the
//! buyer downloads and decrypts it and the bytes are compared, then the CrowdCent inference file is
//! downloaded, a submission is built from its ids, validated locally, submitted, and listed.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use frame_io::arrow::array::{Array, ArrayRef, Float64Array, StringArray};
use frame_io::arrow::datatypes::{DataType, Field, Schema};
use frame_io::RecordBatch;
use marketplace_sandbox::Sandbox;
use secrecy::SecretString;
use serde::Serialize;

use crate::context::OutputFormat;
use crate::Context;

/// What the demo did, printed as JSON under `--output json`.
#[derive(Debug, Default, Serialize)]
pub struct DemoSummary {
    /// NumerBay base URL of the sandbox that ran the demo.
    pub numerbay_url: String,
    /// CrowdCent base URL of the sandbox.
    pub crowdcent_url: String,
    /// Copies uploaded by the seller (target label → artifact id).
    pub uploads: Vec<(String, String)>,
    /// Orders the seller's upload skipped, with the reason.
    pub skipped: Vec<String>,
    /// Bytes the buyer downloaded and decrypted.
    pub downloaded_bytes: u64,
    /// Whether the buyer's bytes equal the seller's.
    pub bytes_match: bool,
    /// The inference period date submitted against.
    pub inference_date: String,
    /// `created`, `replaced` or `queued`.
    pub submission: String,
    /// Submissions listed afterwards.
    pub submissions_listed: usize,
}

/// Runs the demo end to end; any failed step is an error (exit 1).
///
/// # Errors
/// The first step that failed, with its cause.
pub async fn run(ctx: &Context) -> anyhow::Result<()> {
    let sandbox = Sandbox::start().await.context("could not start the sandbox")?;
    let result = story(ctx, &sandbox).await;
    sandbox.shutdown().await;
    let summary = result?;
    if ctx.output == OutputFormat::Json {
        crate::output::print_json(&summary)?;
    } else {
        println!("demo finished: every step succeeded");
    }
    Ok(())
}

fn step(ctx: &Context, n: u32, msg: impl std::fmt::Display) {
    if ctx.output == OutputFormat::Table && !ctx.quiet {
        println!("[{n}] {}", crate::output::terminal_safe(&msg.to_string()));
    }
}

async fn story(ctx: &Context, sandbox: &Sandbox) -> anyhow::Result<DemoSummary> {
    let info = sandbox.info().clone();
    let work = tempfile::tempdir().context("could not create a scratch directory")?;
    let mut summary = DemoSummary {
        numerbay_url: info.numerbay_url.clone(),
        crowdcent_url: info.crowdcent_url.clone(),
        ..DemoSummary::default()
    };
    step(
        ctx,
        1,
        format!(
            "sandbox up: NumerBay {} · CrowdCent {}",
            info.numerbay_url, info.crowdcent_url
        ),
    );

    // Seller: validate and upload this round's predictions to the encrypted product.
    let predictions = work.path().join("predictions.csv");
    write_predictions(&predictions, 500)?;
    let rules = frame_io::RuleSet::by_name("numerai-classic")?;
    let report = frame_io::validate_path(&predictions, rules, None);
    anyhow::ensure!(
        report.is_valid(),
        "generated predictions failed validation: {report:?}"
    );
    step(
        ctx,
        2,
        format!(
            "seller wrote {} and it passed numerai-classic validation",
            predictions.display()
        ),
    );

    let seller = numerbay_client::NumerBay::builder()
        .base_url(info.numerbay_url.clone())
        .credentials(numerbay_client::Credentials::new(
            info.seller.username.clone(),
            info.seller.password.clone(),
        ))
        .build()?;
    let product = numerbay_client::ProductRef::FullName(info.encrypted_product.clone());
    let upload = seller
        .upload_artifact(
            &product,
            numerbay_client::ArtifactSource::path(&predictions),
            numerbay_client::UploadOptions::default(),
        )
        .await
        .context("seller upload failed")?;
    for result in &upload.results {
        match &result.outcome {
            Ok(artifact) => summary
                .uploads
                .push((result.target.label(), artifact.artifact_id.to_string())),
            Err(err) => anyhow::bail!("upload to {} failed: {err}", result.target.label()),
        }
    }
    for skipped in &upload.plan.skipped {
        summary.skipped.push(format!("{skipped:?}"));
    }
    anyhow::ensure!(!upload.results.is_empty(), "the seller's upload had no target");
    step(
        ctx,
        3,
        format!(
            "seller uploaded {} cop{} to {} for round {} ({} orders skipped by the rules)",
            upload.results.len(),
            if upload.results.len() == 1 { "y" } else { "ies" },
            upload.sku,
            upload.selling_round,
            upload.plan.skipped.len()
        ),
    );
    for (target, id) in &summary.uploads {
        step(ctx, 3, format!("    {target} → artifact {id}"));
    }

    // Buyer: download and decrypt with the key file; the bytes must match.
    let buyer = numerbay_client::NumerBay::builder()
        .base_url(info.numerbay_url.clone())
        .credentials(numerbay_client::Credentials::new(
            info.buyer.username.clone(),
            info.buyer.password.clone(),
        ))
        .build()?;
    let key = artifact_crypto::load_key_file(&info.buyer_key_file)?;
    let dest = work.path().join("bought.csv");
    let outcome = buyer
        .download(
            &numerbay_client::DownloadRequest::Product(product.clone()),
            numerbay_client::DownloadOptions {
                key_pair: Some(key.key_pair.clone()),
                dest: Some(dest.clone()),
                overwrite: false,
                progress: None,
            },
        )
        .await
        .context("buyer download failed")?;
    let original = std::fs::read(&predictions)?;
    let bought = std::fs::read(&outcome.path)?;
    summary.downloaded_bytes = outcome.bytes;
    summary.bytes_match = original == bought;
    anyhow::ensure!(
        summary.bytes_match,
        "the buyer's decrypted file differs from the seller's upload"
    );
    step(
        ctx,
        4,
        format!(
            "buyer downloaded {} bytes ({}), decrypted with {} — identical to the seller's file",
            outcome.bytes,
            if outcome.decrypted {
                "sealed copy"
            } else {
                "plain copy"
            },
            info.buyer_key_file.display()
        ),
    );

    // CrowdCent: inference → submission built from its ids → validated → submitted → listed.
    let cc = crowdcent_client::CrowdCent::builder()
        .base_url(&info.crowdcent_url)
        .api_key(SecretString::from(info.crowdcent_api_key.clone()))
        .build()?;
    let challenge = cc.challenge(&info.challenge)?;
    let inference = work.path().join("inference.parquet");
    challenge
        .download_inference(
            crowdcent_client::InferenceRef::Current,
            crowdcent_client::DataFormat::Parquet,
            &mkt_fs::Destination::user(&inference).resolve()?,
            None,
        )
        .await
        .context("inference download failed")?;
    let date = challenge
        .resolve_inference_date(crowdcent_client::InferenceRef::Current)
        .await?;
    summary.inference_date = date.to_string();
    step(
        ctx,
        5,
        format!(
            "downloaded the {} inference file of {}",
            summary.inference_date, info.challenge
        ),
    );

    let batch = submission_from_inference(&inference)?;
    let rows = batch.num_rows();
    let outcome = challenge
        .submit(batch, crowdcent_client::SubmitOptions::default())
        .await
        .context("submission failed")?;
    summary.submission = format!("{:?}", outcome.kind).to_lowercase();
    step(
        ctx,
        6,
        format!(
            "validated and submitted {rows} predictions: {} (HTTP {})",
            summary.submission, outcome.http_status
        ),
    );

    let listed = challenge.list_submissions(None).await?;
    summary.submissions_listed = listed.len();
    anyhow::ensure!(!listed.is_empty(), "the submission does not appear in the list");
    step(
        ctx,
        7,
        format!(
            "listed {} for {}",
            crate::output::count(listed.len(), "submission", "submissions"),
            info.challenge
        ),
    );
    Ok(summary)
}

/// Writes an `id,prediction` CSV the way pandas' `to_csv(index=False)` would.
fn write_predictions(path: &Path, rows: usize) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "id,prediction")?;
    for i in 0..rows {
        let p = ((i * 7919) % 1000) as f64 / 1000.0;
        writeln!(out, "n{i:06x},{p}")?;
    }
    out.flush()?;
    Ok(())
}

/// A `id,pred_10d,pred_30d` batch covering every id of the inference file.
fn submission_from_inference(path: &Path) -> anyhow::Result<RecordBatch> {
    let frame = frame_io::read_frame(path)?;
    let ids = frame
        .column("id")?
        .context("the inference file has no `id` column")?;
    let ids = frame_io::arrow::compute::cast(&ids, &DataType::Utf8)?;
    let ids = ids
        .as_any()
        .downcast_ref::<StringArray>()
        .context("ids are not strings")?
        .clone();
    let n = ids.len();
    let rank = |salt: usize| -> Float64Array {
        (0..n)
            .map(|i| Some(((i * salt) % n) as f64 / n.max(1) as f64))
            .collect()
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("pred_10d", DataType::Float64, false),
        Field::new("pred_30d", DataType::Float64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![Arc::new(ids), Arc::new(rank(7)), Arc::new(rank(13))];
    Ok(RecordBatch::try_new(schema, columns)?)
}
