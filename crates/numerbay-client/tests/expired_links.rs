//! Signed storage links refused on use (expired, revoked): one fresh link is requested and used;
//! a second refusal is `is_link_refused()`, never an auth error.

mod common;

use common::*;
use httpmock::prelude::*;
use marketplace_types::numerbay::{ArtifactId, ProductId};
use numerbay_client::{
    ArtifactSource, DownloadOptions, DownloadRequest, ProductRef, UploadOptions, UploadStage,
};
use serde_json::json;

const ROUND: u32 = 500;
const PLAIN: &[u8] = b"id,prediction\nabc,0.5\n";
const EXPIRED: &str = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>\
<Message>Invalid argument: the signed URL has expired.</Message></Error>";

/// Mocks a seller of product 7 (unencrypted) with one active product artifact, 2.
async fn shop(server: &MockServer) {
    login_mock(server).await;
    globals_mock(server, ROUND).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("products/7/artifacts"));
            then.status(200).json_body(json!({"total": 1, "data": [
                {"date": "2026-01-03T00:00:00", "round_tournament": ROUND, "object_name": "alpha_500_p2.csv",
                 "object_size": 22, "state": "active", "id": 2, "product_id": 7}
            ]}));
        })
        .await;
}

/// `generate-download-url` answering `…/alpha_500_p2.csv?sig=N` with N = 1, 2, …
async fn download_urls(server: &MockServer) -> httpmock::Mock<'_> {
    let base = server.url("/storage/alpha_500_p2.csv");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("products/7/artifacts/2/generate-download-url"));
            then.respond_with(sequence(move |i| (200, json!(format!("{base}?sig={}", i + 1)))));
        })
        .await
}

/// The storage object under signature `sig`: served when `ok`, else refused (403 `ExpiredToken`).
async fn storage<'a>(server: &'a MockServer, sig: &str, ok: bool) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/storage/alpha_500_p2.csv")
                .query_param("sig", sig)
                .header_missing("authorization");
            if ok {
                then.status(200).body(PLAIN);
            } else {
                then.status(403)
                    .header("content-type", "application/xml; charset=UTF-8")
                    .body(EXPIRED);
            }
        })
        .await
}

fn request() -> DownloadRequest {
    DownloadRequest::Artifact {
        artifact_id: ArtifactId::Product(2.into()),
        product: Some(ProductRef::Id(ProductId(7))),
    }
}

#[tokio::test]
async fn a_refused_download_link_is_replaced_once() {
    let server = MockServer::start_async().await;
    shop(&server).await;
    let issue = download_urls(&server).await;
    let first = storage(&server, "1", false).await;
    let second = storage(&server, "2", true).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let dest = dir.path().join("mine.csv");
    let outcome = client(&server)
        .download(
            &request(),
            DownloadOptions {
                dest: Some(dest.clone()),
                ..DownloadOptions::default()
            },
        )
        .await
        .expect("the fresh link works");
    assert_eq!(outcome.path, dest);
    assert_eq!(std::fs::read(&dest).expect("read"), PLAIN);
    issue.assert_calls_async(2).await;
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_download_link_refused_twice_is_link_refused_not_auth() {
    let server = MockServer::start_async().await;
    shop(&server).await;
    let issue = download_urls(&server).await;
    let first = storage(&server, "1", false).await;
    let second = storage(&server, "2", false).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let dest = dir.path().join("mine.csv");
    let err = client(&server)
        .download(
            &request(),
            DownloadOptions {
                dest: Some(dest.clone()),
                ..DownloadOptions::default()
            },
        )
        .await
        .expect_err("refused twice");
    assert!(err.is_link_refused(), "{err:?}");
    assert!(!err.is_auth() && !err.is_retryable() && !err.is_not_found());
    let text = err.to_string();
    assert!(text.contains("expired or was revoked"), "{text}");
    assert!(!text.contains("NUMERBAY_") && !text.contains("sig=2"), "{text}");
    issue.assert_calls_async(2).await;
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    assert!(!dest.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

/// `generate-upload-url` handing out artifacts 5, 6, … at `/storage/up_<id>.csv?sig=<id>`, the
/// PUTs (refused for the ids in `refused`) and validation of every artifact.
async fn upload_shop<'a>(
    server: &'a MockServer,
    refused: &[u64],
) -> (httpmock::Mock<'a>, Vec<httpmock::Mock<'a>>) {
    shop(server).await;
    let base = server.url("/storage");
    let issue = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/generate-upload-url"));
            then.respond_with(sequence(move |i| {
                let id = 5 + i as u64;
                (
                    200,
                    json!({"id": id, "url": format!("{base}/up_{id}.csv?sig={id}")}),
                )
            }));
        })
        .await;
    let mut validations = Vec::new();
    for id in [5u64, 6] {
        let refuse = refused.contains(&id);
        server
            .mock_async(|when, then| {
                when.method(PUT)
                    .path(format!("/storage/up_{id}.csv"))
                    .query_param("sig", id.to_string())
                    .header("content-type", "application/octet-stream")
                    .body(String::from_utf8_lossy(PLAIN));
                if refuse {
                    then.status(403).body(EXPIRED);
                } else {
                    then.status(200);
                }
            })
            .await;
        validations.push(
            server
                .mock_async(|when, then| {
                    when.method(POST)
                        .path(p(&format!("products/7/artifacts/{id}/validate-upload")));
                    then.status(200).json_body(json!({"id": id, "state": "active"}));
                })
                .await,
        );
    }
    (issue, validations)
}

async fn upload(server: &MockServer) -> numerbay_client::UploadReport {
    client(server)
        .upload_artifact(
            &ProductRef::Id(ProductId(7)),
            ArtifactSource::bytes(PLAIN, "p.csv"),
            UploadOptions::default(),
        )
        .await
        .expect("the fan-out runs")
}

#[tokio::test]
async fn a_refused_upload_link_is_replaced_once() {
    let server = MockServer::start_async().await;
    let (issue, validations) = upload_shop(&server, &[5]).await;
    let report = upload(&server).await;
    report.ensure_success().expect("the fresh link works");
    let uploaded = report.succeeded().next().expect("one copy").1;
    assert_eq!(uploaded.artifact_id, ArtifactId::Product(6.into()));
    issue.assert_calls_async(2).await;
    validations[0].assert_calls_async(0).await;
    validations[1].assert_calls_async(1).await;
}

#[tokio::test]
async fn an_upload_link_refused_twice_fails_the_put_stage() {
    let server = MockServer::start_async().await;
    let (issue, validations) = upload_shop(&server, &[5, 6]).await;
    let report = upload(&server).await;
    let (_, err) = report.failed().next().expect("failed");
    assert_eq!(err.stage, UploadStage::Put);
    assert_eq!(err.artifact_id, Some(ArtifactId::Product(6.into())));
    assert!(err.source.is_link_refused(), "{err:?}");
    assert!(!err.source.is_auth());
    issue.assert_calls_async(2).await;
    validations[0].assert_calls_async(0).await;
    validations[1].assert_calls_async(0).await;
}

fn assert_send<T: Send>(_: T) {}

#[test]
fn transfer_futures_stay_send() {
    let config = marketplace_core::ClientConfig::new("http://127.0.0.1:9/api").expect("config");
    let nb = numerbay_client::NumerBay::new(config, None).expect("client");
    assert_send(nb.download(&request(), DownloadOptions::default()));
    assert_send(nb.upload_artifact(
        &ProductRef::Id(ProductId(7)),
        ArtifactSource::bytes(PLAIN, "p.csv"),
        UploadOptions::default(),
    ));
}
