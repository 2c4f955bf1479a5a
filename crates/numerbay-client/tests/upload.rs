//! Seller fan-out: exactly the right uploads with the right bodies, partial failures, no retries
//! of generate-upload-url, and the "nothing to upload" outcome.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use artifact_crypto::KeyPair;
use common::*;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use marketplace_types::numerbay::{ArtifactId, OrderId, ProductId};
use numerbay_client::plan::{NothingReason, SkipReason, UploadTarget};
use numerbay_client::{ArtifactSource, ProductRef, UploadOptions, UploadStage};
use serde_json::json;

const ROUND: u32 = 500;
const PLAIN: &[u8] = b"id,prediction\nabc,0.5\ndef,0.25\n";

/// Received PUTs: path → (content type, body).
type Puts = Arc<Mutex<BTreeMap<String, (String, Vec<u8>)>>>;

fn form(req: &HttpMockRequest) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(req.body_ref())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Order artifact ids are 32 hex: derive one from the order id and the copy kind.
fn order_artifact_id(order: &str, direct: bool) -> String {
    format!("{:0>31}{}", order, if direct { "d" } else { "e" })
}

struct Shop {
    keys: BTreeMap<u64, KeyPair>,
    fresh_key_for_2: KeyPair,
    puts: Puts,
}

/// Mocks a seller's shop: product 7 (encrypted), the sales below, storage and validation.
async fn shop(server: &MockServer, failing_put: Option<&'static str>) -> Shop {
    login_mock(server).await;
    globals_mock(server, ROUND).await;
    let keys: BTreeMap<u64, KeyPair> = [1, 2, 4, 6]
        .into_iter()
        .map(|i| (i, KeyPair::generate()))
        .collect();
    let fresh_key_for_2 = KeyPair::generate();
    let product = product_json(7, "Alpha", true);
    let other = product_json(8, "Beta", true);
    let key = |i: u64| Some(keys[&i].public().to_base64());
    let orders = vec![
        // 1: file mode with a submission model → direct copy + sealed copy.
        OrderSpec {
            key: key(1),
            model: Some("model-uuid-1"),
            ..OrderSpec::new(1, product.clone(), ROUND)
        },
        // 2: file mode with a key → sealed copy (server hands out a fresher key).
        OrderSpec {
            key: key(2),
            ..OrderSpec::new(2, product.clone(), ROUND)
        },
        // 3: no key → served by the product artifact.
        OrderSpec::new(3, product.clone(), ROUND),
        // 4: stake with a key and a model → direct copy only.
        OrderSpec {
            key: key(4),
            model: Some("model-uuid-4"),
            mode: "stake",
            ..OrderSpec::new(4, product.clone(), ROUND)
        },
        // 5: pending → skipped.
        OrderSpec {
            state: "pending",
            key: key(1),
            ..OrderSpec::new(5, product.clone(), ROUND)
        },
        // 6: an earlier round → skipped.
        OrderSpec {
            key: key(6),
            ..OrderSpec::new(6, product.clone(), ROUND - 1)
        },
        // 9: another product → skipped.
        OrderSpec {
            key: key(1),
            ..OrderSpec::new(9, other, ROUND)
        },
    ];
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search-authenticated"))
                .header("authorization", bearer())
                .json_body(json!({"id": 7}));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", true)]));
        })
        .await;
    let page = orders_page(&orders);
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .header("content-type", "application/json")
                .json_body_includes(r#"{"role": "seller"}"#)
                .json_body_includes(
                    r#"{"filters": {"product": {"in": [7]}, "state": {"in": ["confirmed"]}, "round_order": {"in": [500]}}}"#,
                );
            then.status(200).json_body(page);
        })
        .await;
    let storage = server.url("/storage");
    let fresh = fresh_key_for_2.public().to_base64();
    let listed_keys: BTreeMap<String, String> = keys
        .iter()
        .map(|(i, k)| (i.to_string(), k.public().to_base64()))
        .collect();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("artifacts/generate-upload-url"))
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple_exists("order_id")
                .form_urlencoded_tuple("filename", "preds.csv");
            then.respond_with(move |req: &HttpMockRequest| {
                let f = form(req);
                let order = f.get("order_id").cloned().unwrap_or_default();
                let direct = f.get("is_numerai_direct").map(String::as_str) == Some("true");
                let id = order_artifact_id(&order, direct);
                let key = if order == "2" { Some(fresh.clone()) } else { listed_keys.get(&order).cloned() };
                let body = json!({"id": id, "url": format!("{storage}/{id}?X-Goog-Signature=abc"), "buyer_public_key": key});
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .build()
            });
        })
        .await;
    let storage = server.url("/storage");
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/generate-upload-url"))
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("filename", "preds.csv")
                .form_urlencoded_tuple("filesize", PLAIN.len().to_string());
            then.status(200)
                .json_body(json!({"id": 744, "url": format!("{storage}/p744?X-Goog-Signature=abc")}));
        })
        .await;
    let puts: Puts = Arc::default();
    let store = Arc::clone(&puts);
    server
        .mock_async(|when, then| {
            when.method(PUT)
                .path_prefix("/storage/")
                .header_missing("authorization")
                .header("content-type", "application/octet-stream");
            then.respond_with(move |req: &HttpMockRequest| {
                let path = req.uri().path().trim_start_matches("/storage/").to_owned();
                let ct = req
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let fail = failing_put.is_some_and(|f| path == f);
                if !fail {
                    store
                        .lock()
                        .expect("lock")
                        .insert(path, (ct, req.body_ref().to_vec()));
                }
                HttpMockResponse::builder()
                    .status(if fail { 500 } else { 200 })
                    .build()
            });
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path_matches(r"^/backend-api/v1/artifacts/[0-9a-f]{31}[de]/validate-upload$");
            // Spec §2.10: literally `{}` when the product's is_ready flips.
            then.status(200).json_body(json!({}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/744/validate-upload"));
            then.status(200)
                .json_body(json!({"id": 744, "product_id": 7, "state": "active", "round_tournament": ROUND}));
        })
        .await;
    Shop {
        keys,
        fresh_key_for_2,
        puts,
    }
}

fn source() -> ArtifactSource {
    ArtifactSource::bytes(PLAIN, "preds.csv")
}

#[tokio::test]
async fn fan_out_uploads_exactly_the_right_copies_with_the_right_bodies() {
    let server = MockServer::start_async().await;
    let shop = shop(&server, None).await;
    let nb = client(&server);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("preds.csv");
    std::fs::write(&path, PLAIN).expect("write");
    let report = nb
        .upload_artifact(
            &ProductRef::Id(ProductId(7)),
            ArtifactSource::path(&path),
            UploadOptions::default(),
        )
        .await
        .expect("upload");
    report.ensure_success().expect("all copies succeed");
    assert_eq!(report.selling_round, ROUND);
    let targets: Vec<String> = report.results.iter().map(|r| r.target.label()).collect();
    assert_eq!(
        targets,
        [
            "product 7",
            "order 1 (numerai direct)",
            "order 4 (numerai direct)",
            "order 1 (sealed)",
            "order 2 (sealed)"
        ]
    );
    let skipped: Vec<(u64, SkipReason)> = report
        .plan
        .skipped
        .iter()
        .map(|s| (s.order_id.get(), s.reason.clone()))
        .collect();
    // Pending, past-round and other-product orders are dropped before planning (the server's
    // filters are re-checked client-side); the keyless order is served by the product artifact.
    assert_eq!(skipped, [(3, SkipReason::NoBuyerKey)]);

    let puts = shop.puts.lock().expect("lock").clone();
    let d1 = order_artifact_id("1", true);
    let d4 = order_artifact_id("4", true);
    let e1 = order_artifact_id("1", false);
    let e2 = order_artifact_id("2", false);
    let names: Vec<&str> = puts.keys().map(String::as_str).collect();
    let mut expected = vec![d1.as_str(), d4.as_str(), e1.as_str(), e2.as_str(), "p744"];
    expected.sort_unstable();
    assert_eq!(names, expected);
    for (ct, _) in puts.values() {
        assert_eq!(ct, "application/octet-stream");
    }
    // Plaintext for the product artifact and the Numerai-direct copies.
    assert_eq!(puts["p744"].1, PLAIN);
    assert_eq!(puts[&d1].1, PLAIN);
    assert_eq!(puts[&d4].1, PLAIN);
    // Sealed copies open with the buyer's key; order 2 with the fresher key from the URL answer.
    let sealed1 = &puts[&e1].1;
    assert_eq!(sealed1.len(), PLAIN.len() + 48);
    assert_eq!(
        artifact_crypto::open(&shop.keys[&1], sealed1).expect("opens"),
        PLAIN
    );
    let sealed2 = &puts[&e2].1;
    assert_eq!(
        artifact_crypto::open(&shop.fresh_key_for_2, sealed2).expect("opens"),
        PLAIN
    );
    assert!(
        artifact_crypto::open(&shop.keys[&2], sealed2).is_err(),
        "old key must not open it"
    );
    let sealed_to = report
        .results
        .iter()
        .find(|r| r.target.order_id() == Some(OrderId(2)) && matches!(r.target, UploadTarget::Sealed { .. }))
        .and_then(|r| r.outcome.as_ref().ok())
        .and_then(|a| a.sealed_to.clone());
    assert_eq!(sealed_to, Some(shop.fresh_key_for_2.public().to_base64()));
}

#[tokio::test]
async fn one_failing_put_does_not_lose_the_other_copies() {
    let server = MockServer::start_async().await;
    let failing = Box::leak(order_artifact_id("2", false).into_boxed_str());
    let shop = shop(&server, Some(failing)).await;
    let nb = client(&server);
    let report = nb
        .upload_artifact(
            &ProductRef::Id(ProductId(7)),
            source(),
            UploadOptions {
                concurrency: 2,
                ..UploadOptions::default()
            },
        )
        .await
        .expect("upload runs");
    let failed: Vec<_> = report.failed().collect();
    assert_eq!(failed.len(), 1);
    let (target, err) = failed[0];
    assert_eq!(target.order_id(), Some(OrderId(2)));
    assert_eq!(err.stage, UploadStage::Put);
    assert_eq!(
        err.artifact_id,
        Some(ArtifactId::Order(
            order_artifact_id("2", false).parse().expect("id")
        ))
    );
    assert_eq!(err.source.http().and_then(|e| e.status()), Some(500));
    assert_eq!(report.succeeded().count(), 4);
    assert_eq!(report.failed_orders(), vec![OrderId(2)]);
    let err = report.ensure_success().expect_err("one failed");
    assert_eq!(err.to_string(), "1 of 5 uploads failed");
    assert_eq!(shop.puts.lock().expect("lock").len(), 4);
}

#[tokio::test]
async fn generate_upload_url_is_never_retried() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    globals_mock(&server, ROUND).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let issue = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/generate-upload-url"));
            then.status(500)
                .header("content-type", "text/plain")
                .body("Internal Server Error");
        })
        .await;
    let report = client(&server)
        .upload_artifact(&ProductRef::Id(ProductId(7)), source(), UploadOptions::default())
        .await
        .expect("runs");
    issue.assert_calls_async(1).await;
    let (_, err) = report.failed().next().expect("failed");
    assert_eq!(err.stage, UploadStage::RequestUrl);
    assert_eq!(err.artifact_id, None);
    let api = err.source.http().and_then(|e| e.api()).expect("api error");
    assert_eq!(api.message, "Internal Server Error");
}

#[tokio::test]
async fn round_closed_and_validation_failures_are_typed_with_the_server_text() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    globals_mock(&server, ROUND).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let storage = server.url("/storage/p1");
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/generate-upload-url"));
            then.status(200).json_body(json!({"id": 1, "url": storage}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/storage/p1");
            then.status(200);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/1/validate-upload"));
            then.status(404)
                .json_body(json!({"detail": "Artifact file not uploaded"}));
        })
        .await;
    let report = client(&server)
        .upload_artifact(&ProductRef::Id(ProductId(7)), source(), UploadOptions::default())
        .await
        .expect("runs");
    let (_, err) = report.failed().next().expect("validate failed");
    assert_eq!(err.stage, UploadStage::Validate);
    assert!(err.source.is_not_found());
    assert_eq!(
        err.source
            .http()
            .and_then(|e| e.api())
            .map(|a| a.message.as_str()),
        Some("Artifact file not uploaded")
    );
}

#[tokio::test]
async fn encrypted_product_without_active_sales_has_nothing_to_upload() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    globals_mock(&server, ROUND).await;
    let product = product_json(7, "Alpha", true);
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200).json_body(search_response(vec![product.clone()]));
        })
        .await;
    let stale = OrderSpec {
        key: Some(KeyPair::generate().public().to_base64()),
        ..OrderSpec::new(1, product_json(7, "Alpha", true), ROUND - 1)
    };
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search"));
            then.status(200).json_body(orders_page(&[stale]));
        })
        .await;
    let issue = server
        .mock_async(|when, then| {
            when.method(POST).path_includes("generate-upload-url");
            then.status(500);
        })
        .await;
    let report = client(&server)
        .upload_artifact(&ProductRef::Id(ProductId(7)), source(), UploadOptions::default())
        .await
        .expect("not an error");
    assert!(report.is_nothing_to_upload());
    assert_eq!(report.plan.nothing, Some(NothingReason::NoActiveSale));
    assert!(report.results.is_empty());
    report.ensure_success().expect("nothing failed");
    issue.assert_calls_async(0).await;
}

#[cfg(feature = "frames")]
#[tokio::test]
async fn record_batch_is_uploaded_as_csv_to_an_unencrypted_product() {
    use arrow::array::{Float64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;

    let server = MockServer::start_async().await;
    login_mock(&server).await;
    globals_mock(&server, ROUND).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let storage = server.url("/storage/p5");
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/generate-upload-url"))
                .form_urlencoded_tuple("filename", "frame.csv");
            then.status(200).json_body(json!({"id": 5, "url": storage}));
        })
        .await;
    let captured = Captured::default();
    server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/storage/p5")
                .header("content-type", "application/octet-stream");
            then.respond_with(capture(&captured, 200));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/artifacts/5/validate-upload"));
            then.status(200).json_body(json!({"id": 5, "state": "active"}));
        })
        .await;
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("prediction", DataType::Float64, false),
    ]));
    let batch = RecordBatch::try_new(
        schema,
        vec![
            Arc::new(StringArray::from(vec!["a", "b"])),
            Arc::new(Float64Array::from(vec![0.5, 0.25])),
        ],
    )
    .expect("batch");
    let report = client(&server)
        .upload_artifact(
            &ProductRef::Id(ProductId(7)),
            ArtifactSource::record_batch(&batch, "frame.csv").expect("csv"),
            UploadOptions::default(),
        )
        .await
        .expect("upload");
    report.ensure_success().expect("ok");
    let bodies = captured.bodies();
    assert_eq!(bodies.len(), 1);
    let text = String::from_utf8(bodies[0].clone()).expect("utf8");
    assert!(text.starts_with("id,prediction\n"), "{text}");
    assert!(text.contains("a,0.5"), "{text}");
}

/// Uploads to product 7 restricted to `order`, expecting the upload to be refused.
async fn upload_for_order(server: &MockServer, order: OrderId) -> numerbay_client::Error {
    client(server)
        .upload_artifact(
            &ProductRef::Id(ProductId(7)),
            source(),
            UploadOptions {
                order_id: Some(order),
                ..UploadOptions::default()
            },
        )
        .await
        .expect_err("an upload restricted to this order is refused")
}

#[tokio::test]
async fn order_id_on_an_unencrypted_product_is_refused() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search-authenticated"));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let err = upload_for_order(&server, OrderId(3)).await;
    assert!(
        matches!(err, numerbay_client::Error::OrderNotApplicable { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_order_id_that_is_no_active_sale_is_an_error_not_an_empty_upload() {
    let server = MockServer::start_async().await;
    let shop = shop(&server, None).await;
    let err = upload_for_order(&server, OrderId(12345)).await;
    assert!(
        matches!(
            err,
            numerbay_client::Error::OrderNotActive {
                order_id: OrderId(12345),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_not_found(), "{err}");
    assert!(shop.puts.lock().expect("lock").is_empty(), "nothing was uploaded");
}
