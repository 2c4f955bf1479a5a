//! The consolidated meta-model download (spec §2.4).

mod util;

use crowdcent_client::DataFormat;
use httpmock::prelude::*;
use util::*;

fn to(path: &std::path::Path) -> mkt_fs::Destination {
    mkt_fs::Destination::user(path).resolve().expect("destination")
}

#[tokio::test]
async fn meta_model_url_and_download() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let bytes = std::fs::read(data("meta_model.parquet"))?;
    let blob = storage
        .mock_async(|when, then| {
            when.method(GET)
                .path("/meta.parquet")
                .header_missing("authorization");
            then.status(200).body(bytes.clone());
        })
        .await;
    let location = format!("{}/meta.parquet?X-Amz-Signature=s", storage.base_url());
    let redirect = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("meta_model/download/"))
                .header("authorization", AUTH);
            then.status(302).header("location", location.as_str());
        })
        .await;
    let ch = client(&api).challenge(SLUG)?;
    assert_eq!(ch.meta_model_url(DataFormat::Parquet).await?.as_str(), location);
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("meta.parquet");
    ch.download_meta_model(DataFormat::Parquet, &to(&dest), None)
        .await?;
    assert_eq!(std::fs::read(&dest)?, bytes);
    redirect.assert_calls_async(2).await;
    blob.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn meta_model_forbidden_is_not_an_auth_error() -> TestResult {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path(cpath("meta_model/download/"));
        then.status(403)
            .json_body(error_json("PERMISSION_DENIED", "Meta-model is not public."));
    })
    .await;
    let err = client(&api)
        .challenge(SLUG)?
        .meta_model_url(DataFormat::Parquet)
        .await
        .err()
        .ok_or("expected 403")?;
    assert_eq!(err.status(), Some(403));
    assert!(!err.is_auth());
    Ok(())
}

#[tokio::test]
async fn csv_asks_the_server_for_its_csv_copy() -> TestResult {
    let api = MockServer::start_async().await;
    let csv = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("meta_model/download/"))
                .query_param("as", "csv");
            then.status(302)
                .header("location", "https://storage.example/meta.csv?sig=s");
        })
        .await;
    let parquet = api
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("meta_model/download/"))
                .query_param_missing("as");
            then.status(302)
                .header("location", "https://storage.example/meta.parquet?sig=s");
        })
        .await;
    let ch = client(&api).challenge(SLUG)?;
    let url = ch.meta_model_url(DataFormat::Csv).await?;
    assert_eq!(url.as_str(), "https://storage.example/meta.csv?sig=s");
    let url = ch.meta_model_url(DataFormat::Parquet).await?;
    assert_eq!(url.as_str(), "https://storage.example/meta.parquet?sig=s");
    csv.assert_async().await;
    parquet.assert_async().await;
    Ok(())
}
