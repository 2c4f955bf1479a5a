//! Redirects to signed storage links that the storage host refuses (expired, revoked): one fresh
//! redirect is requested and followed; a second refusal is `is_link_refused()`, never an API-key
//! error.

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};

use crowdcent_client::{DataFormat, InferenceRef, TrainingVersion};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock};
use serde_json::json;
use util::*;

fn to(path: &std::path::Path) -> crowdcent_client::mkt_fs::Destination {
    crowdcent_client::mkt_fs::Destination::user(path)
        .resolve()
        .expect("destination")
}

/// S3's answer to an expired presigned URL.
const S3_EXPIRED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
<Message>Request has expired</Message></Error>";
const BODY: &[u8] = b"PAR1 not really parquet";

/// A 302 to `<storage>/<object>?sig=N`, N = 1, 2, … per call.
fn redirects(
    storage: &MockServer,
    object: &str,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let base = format!("{}/{object}", storage.base_url());
    let n = AtomicUsize::new(0);
    move |_| {
        let sig = n.fetch_add(1, Ordering::SeqCst) + 1;
        HttpMockResponse::builder()
            .status(302)
            .header("location", format!("{base}?sig={sig}"))
            .build()
    }
}

/// The object under signature `sig`: served when `ok`, else refused with `status`.
async fn blob<'a>(storage: &'a MockServer, object: &str, sig: &str, answer: Result<(), u16>) -> Mock<'a> {
    storage
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/{object}"))
                .query_param("sig", sig)
                .header_missing("authorization");
            match answer {
                Ok(()) => {
                    then.status(200).body(BODY);
                }
                Err(status) => {
                    then.status(status).body(S3_EXPIRED);
                }
            }
        })
        .await
}

#[tokio::test]
async fn a_refused_meta_model_link_is_replaced_once() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("meta_model/download/"))
                .header("authorization", AUTH);
            then.respond_with(redirects(&storage, "meta.parquet"));
        })
        .await;
    let first = blob(&storage, "meta.parquet", "1", Err(403)).await;
    let second = blob(&storage, "meta.parquet", "2", Ok(())).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("meta.parquet");
    client(&api)
        .challenge(SLUG)?
        .download_meta_model(DataFormat::Parquet, &to(&dest), None)
        .await?;
    assert_eq!(std::fs::read(&dest)?, BODY);
    redirect.assert_calls_async(2).await;
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn a_link_refused_twice_is_link_refused_not_an_api_key_error() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET).path(cpath("meta_model/download/"));
            then.respond_with(redirects(&storage, "meta.parquet"));
        })
        .await;
    // A 401 from the storage host used to read as a rejected API key.
    let first = blob(&storage, "meta.parquet", "1", Err(401)).await;
    let second = blob(&storage, "meta.parquet", "2", Err(403)).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("meta.parquet");
    let err = client(&api)
        .challenge(SLUG)?
        .download_meta_model(DataFormat::Parquet, &to(&dest), None)
        .await
        .err()
        .ok_or("expected a refusal")?;
    assert!(err.is_link_refused(), "{err:?}");
    assert!(!err.is_auth() && !err.is_not_found() && !err.is_retryable());
    assert_eq!(err.status(), Some(403));
    let text = err.to_string();
    assert!(text.contains("expired or was revoked"), "{text}");
    assert!(text.contains("Request has expired"), "{text}");
    assert!(
        !text.contains("CROWDCENT_API_KEY") && !text.contains("sig="),
        "{text}"
    );
    redirect.assert_calls_async(2).await;
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    assert!(!dest.exists());
    Ok(())
}

#[tokio::test]
async fn training_latest_is_resolved_once_across_the_fresh_link() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let latest = api
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/latest/"));
            then.status(200).json_body(training_json("2.0", true));
        })
        .await;
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/2.0/download/"));
            then.respond_with(redirects(&storage, "train.parquet"));
        })
        .await;
    blob(&storage, "train.parquet", "1", Err(403)).await;
    blob(&storage, "train.parquet", "2", Ok(())).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("train.parquet");
    client(&api)
        .challenge(SLUG)?
        .download_training_dataset(&TrainingVersion::Latest, DataFormat::Parquet, &to(&dest), None)
        .await?;
    assert_eq!(std::fs::read(&dest)?, BODY);
    latest.assert_calls_async(1).await;
    redirect.assert_calls_async(2).await;
    Ok(())
}

#[tokio::test]
async fn inference_latest_keeps_its_date_across_the_fresh_link() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let periods = api
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/"));
            then.status(200).json_body(json!([
                period_json(1, "2025-06-09"),
                period_json(2, "2025-06-10")
            ]));
        })
        .await;
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("inference_data/2025-06-10/download/"));
            then.respond_with(redirects(&storage, "inference.parquet"));
        })
        .await;
    blob(&storage, "inference.parquet", "1", Err(410)).await;
    blob(&storage, "inference.parquet", "2", Ok(())).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("inference.parquet");
    client(&api)
        .challenge(SLUG)?
        .download_inference(InferenceRef::Latest, DataFormat::Parquet, &to(&dest), None)
        .await?;
    assert_eq!(std::fs::read(&dest)?, BODY);
    periods.assert_calls_async(1).await;
    redirect.assert_calls_async(2).await;
    Ok(())
}

fn assert_send<T: Send>(_: T) {}

#[test]
fn download_futures_stay_send() -> TestResult {
    let ch = client_at("http://127.0.0.1:9/api").challenge(SLUG)?;
    let dest = to(std::path::Path::new("x.parquet"));
    assert_send(ch.download_meta_model(DataFormat::Parquet, &dest, None));
    assert_send(ch.download_training_dataset(&TrainingVersion::Latest, DataFormat::Parquet, &dest, None));
    assert_send(ch.download_inference(InferenceRef::Latest, DataFormat::Parquet, &dest, None));
    Ok(())
}
