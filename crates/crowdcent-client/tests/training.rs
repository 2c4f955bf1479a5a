//! Training datasets: metadata, signed URLs, redirected downloads (spec §2.2, §2.5, §3.1).

mod util;

use crowdcent_client::{DataFormat, Error, TrainingVersion};
use httpmock::prelude::*;
use serde_json::json;
use util::*;

fn to(path: &std::path::Path) -> mkt_fs::Destination {
    mkt_fs::Destination::user(path).resolve().expect("destination")
}

#[tokio::test]
async fn list_latest_and_version() -> TestResult {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("training_data/"))
                .header("authorization", AUTH);
            then.status(200)
                .json_body(json!([training_json("1.0", false), training_json("2.0", true)]));
        })
        .await;
    let latest = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/latest/"));
            then.status(200).json_body(training_json("2.0", true));
        })
        .await;
    let v1 = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/1.0/"));
            then.status(200).json_body(training_json("1.0", false));
        })
        .await;
    let missing = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/9.0/"));
            then.status(404).json_body(error_json("NOT_FOUND", "Not found."));
        })
        .await;
    let ch = client(&server).challenge(SLUG)?;
    let all = ch.list_training_datasets().await?;
    assert_eq!(all.len(), 2);
    assert!(all[1].is_latest);
    assert_eq!(
        ch.training_dataset(&TrainingVersion::Latest).await?.version,
        "2.0"
    );
    assert_eq!(ch.training_dataset(&"1.0".parse()?).await?.version, "1.0");
    let err = ch
        .training_dataset(&"9.0".parse()?)
        .await
        .err()
        .ok_or("expected 404")?;
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("9.0"));
    list.assert_async().await;
    latest.assert_async().await;
    v1.assert_async().await;
    missing.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn url_returns_location_without_following() -> TestResult {
    let server = MockServer::start_async().await;
    let latest = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/latest/"));
            then.status(200).json_body(training_json("2.0", true));
        })
        .await;
    let redirect = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("training_data/2.0/download/"))
                .header("authorization", AUTH);
            then.status(302).header(
                "location",
                "https://storage.example/train.parquet?X-Amz-Signature=s",
            );
        })
        .await;
    let url = client(&server)
        .challenge(SLUG)?
        .training_dataset_url(&TrainingVersion::Latest, DataFormat::Parquet)
        .await?;
    assert_eq!(
        url.as_str(),
        "https://storage.example/train.parquet?X-Amz-Signature=s"
    );
    latest.assert_async().await;
    redirect.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn a_2xx_instead_of_a_redirect_is_an_error() -> TestResult {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("training_data/1.0/download/"));
            then.status(200).body("PAR1");
        })
        .await;
    let err = client(&server)
        .challenge(SLUG)?
        .training_dataset_url(&"1.0".parse()?, DataFormat::Parquet)
        .await
        .err()
        .ok_or("expected an error")?;
    assert_eq!(err.status(), Some(200));
    Ok(())
}

#[tokio::test]
async fn download_follows_redirect_without_sending_the_key_to_storage() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let body = b"PAR1 training bytes PAR1".repeat(100);
    let blob = storage
        .mock_async(|when, then| {
            when.method(GET)
                .path("/bucket/train.parquet")
                .query_param("sig", "abc")
                .header_missing("authorization");
            then.status(200).body(body.clone());
        })
        .await;
    let storage_with_key = storage
        .mock_async(|when, then| {
            when.method(GET).header_exists("authorization");
            then.status(400).body("key leaked to storage");
        })
        .await;
    let location = format!("{}/bucket/train.parquet?sig=abc", storage.base_url());
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("training_data/1.0/download/"))
                .header("authorization", AUTH);
            then.status(302).header("location", location.as_str());
        })
        .await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("train.parquet");
    let report = client(&api)
        .challenge(SLUG)?
        .download_training_dataset(&"1.0".parse()?, DataFormat::Parquet, &to(&dest), None)
        .await?;
    redirect.assert_async().await;
    blob.assert_async().await;
    storage_with_key.assert_calls_async(0).await;
    assert_eq!(report.bytes, body.len() as u64);
    assert_eq!(std::fs::read(&dest)?, body);
    // Nothing but the destination is left in the directory.
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
    Ok(())
}

#[tokio::test]
async fn truncated_download_fails_and_leaves_no_file() -> TestResult {
    let api = MockServer::start_async().await;
    let (location, hits) = truncating_storage(1000, 100).await;
    api.mock_async(|when, then| {
        when.method(GET).path(cpath("training_data/1.0/download/"));
        then.status(302).header("location", location.as_str());
    })
    .await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("train.parquet");
    let err = client(&api)
        .challenge(SLUG)?
        .download_training_dataset(&"1.0".parse()?, DataFormat::Parquet, &to(&dest), None)
        .await
        .err()
        .ok_or("a truncated body must fail")?;
    assert!(!dest.exists(), "no partial file at the destination");
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 0, "temp file removed");
    assert!(
        hits.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "the cut body was retried"
    );
    // The signed query never appears in the error.
    assert!(!format!("{err} {err:?}").contains("sig=secret"), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn invalid_version_fails_without_a_request() {
    assert!(matches!(
        "../../auth/check".parse::<TrainingVersion>(),
        Err(Error::InvalidSegment { what: "version", .. })
    ));
}
