//! Artifact endpoints: lists, detail, deletion, download URLs and their error messages.

mod common;

use common::*;
use httpmock::prelude::*;
use marketplace_types::numerbay::{ArtifactState, OrderArtifactId, OrderId, ProductArtifactId, ProductId};
use numerbay_client::ArtifactFilter;
use serde_json::json;

const OID: &str = "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a";

fn oid() -> OrderArtifactId {
    OID.parse().expect("id")
}

#[tokio::test]
async fn product_artifacts_are_listed_in_every_state() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("products/7/artifacts"))
                .header("authorization", bearer());
            then.status(200).json_body(json!({"total": 2, "data": [
                {"date": "2023-05-29T10:00:00.123456", "round_tournament": 460, "object_name": "x_460_a.csv",
                 "object_size": null, "state": "pending", "id": 745, "product_id": 7},
                {"date": "2023-05-29T09:00:00", "round_tournament": 460, "object_name": "x_460_b.csv",
                 "object_size": 22, "state": "active", "id": 744, "product_id": 7}
            ]}));
        })
        .await;
    let page = client(&server)
        .product_artifacts(ProductId(7))
        .await
        .expect("list");
    m.assert_async().await;
    assert_eq!(page.total, 2);
    assert_eq!(page.data[0].state, Some(ArtifactState::Pending));
    assert_eq!(page.data[1].id, ProductArtifactId(744));
}

#[tokio::test]
async fn order_artifacts_use_query_parameters() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("artifacts/"))
                .query_param("order_id", "12")
                .query_param("active_only", "false");
            then.status(200).json_body(json!({"total": 1, "data": [
                {"date": "2023-05-29T10:00:00", "round_tournament": 460, "object_name": "o.csv",
                 "object_size": 70, "state": "active", "is_numerai_direct": false, "id": OID, "order_id": 12}
            ]}));
        })
        .await;
    let page = client(&server)
        .order_artifacts(OrderId(12), ArtifactFilter::All)
        .await
        .expect("list");
    m.assert_async().await;
    assert_eq!(page.data[0].id, oid());
    assert_eq!(page.data[0].is_numerai_direct, Some(false));
}

#[tokio::test]
async fn detail_and_download_urls() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p(&format!("artifacts/{OID}")));
            then.status(200).json_body(
                json!({"date": null, "round_tournament": 460, "object_name": "o.csv",
                "object_size": 70, "state": "active", "is_numerai_direct": true, "id": OID, "order_id": 12}),
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p(&format!("artifacts/{OID}/generate-download-url")));
            then.status(400)
                .json_body(json!({"detail": "Direct Numerai submission cannot be downloaded"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("products/7/artifacts/744/generate-download-url"));
            then.status(200).json_body(json!(
                "https://storage.numerbay.ai/x_460_b.csv?X-Goog-Signature=abc"
            ));
        })
        .await;
    let nb = client(&server);
    let a = nb.order_artifact(&oid()).await.expect("detail");
    assert_eq!(a.is_numerai_direct, Some(true));
    let err = nb.order_artifact_download_url(&oid()).await.expect_err("direct");
    assert_eq!(
        err.http().and_then(|e| e.api()).map(|a| a.message.as_str()),
        Some("Direct Numerai submission cannot be downloaded")
    );
    let url = nb
        .product_artifact_download_url(ProductId(7), ProductArtifactId(744))
        .await
        .expect("url");
    assert!(url.starts_with("https://storage.numerbay.ai/x_460_b.csv?"));
}

#[tokio::test]
async fn permission_and_missing_errors_keep_the_server_text() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("products/8/artifacts"));
            then.status(403)
                .json_body(json!({"detail": "Not enough permissions"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("products/9/artifacts"));
            then.status(404).json_body(json!({"detail": "Product not found"}));
        })
        .await;
    let nb = client(&server);
    let err = nb.product_artifacts(ProductId(8)).await.expect_err("403");
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 403 && a.message == "Not enough permissions")
    );
    let err = nb.product_artifacts(ProductId(9)).await.expect_err("404");
    assert!(err.is_not_found());
    assert!(err.to_string().contains("Product not found"), "{err}");
}

#[tokio::test]
async fn deleting_both_kinds() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let d1 = server
        .mock_async(|when, then| {
            when.method(DELETE).path(p("products/7/artifacts/744"));
            then.status(200)
                .json_body(json!({"date": "2023-05-29T09:00:00", "round_tournament": 460,
                "object_name": "b.csv", "object_size": 22, "state": "active", "id": 744, "product_id": 7}));
        })
        .await;
    let d2 = server
        .mock_async(|when, then| {
            when.method(DELETE).path(p(&format!("artifacts/{OID}")));
            then.status(400)
                .json_body(json!({"detail": "Direct Numerai submission cannot be deleted"}));
        })
        .await;
    let nb = client(&server);
    let a = nb
        .delete_product_artifact(ProductId(7), ProductArtifactId(744))
        .await
        .expect("deleted");
    assert_eq!(a.id, ProductArtifactId(744));
    let err = nb.delete_order_artifact(&oid()).await.expect_err("refused");
    assert!(err
        .to_string()
        .contains("Direct Numerai submission cannot be deleted"));
    d1.assert_async().await;
    d2.assert_async().await;
}

#[tokio::test]
async fn upload_urls_are_form_encoded_and_validate_accepts_an_empty_object() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let issue = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("artifacts/generate-upload-url"))
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("order_id", "12")
                .form_urlencoded_tuple("filename", "p.csv")
                .form_urlencoded_tuple("is_numerai_direct", "true");
            then.status(200).json_body(
                json!({"id": OID, "url": "https://numerai.example/put", "buyer_public_key": null}),
            );
        })
        .await;
    let validate = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p(&format!("artifacts/{OID}/validate-upload")));
            then.status(200).json_body(json!({}));
        })
        .await;
    let nb = client(&server);
    let form = marketplace_types::numerbay::OrderUploadUrlForm {
        order_id: OrderId(12),
        filename: "p.csv".into(),
        is_numerai_direct: Some("true".into()),
        filesize: None,
        action: None,
        filename_suffix: None,
    };
    let u = nb.order_upload_url(&form).await.expect("url");
    assert_eq!(u.id, oid());
    assert_eq!(u.buyer_public_key, None);
    let row = nb.validate_order_upload(&oid()).await.expect("validated");
    assert_eq!(row.id, None);
    issue.assert_async().await;
    validate.assert_async().await;
}
