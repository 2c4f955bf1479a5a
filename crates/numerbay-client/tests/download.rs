//! Buyer downloads: resolution through the current-round order, sealed copies opened with the key
//! file, plaintext product artifacts, and failures that leave no output file.

mod common;

use artifact_crypto::KeyPair;
use common::*;
use httpmock::prelude::*;
use marketplace_types::numerbay::{ArtifactId, OrderId};
use numerbay_client::resolve::NoOrderReason;
use numerbay_client::{DownloadOptions, DownloadRequest, Error, ProductRef};
use serde_json::json;

const ROUND: u32 = 500;
const PLAIN: &[u8] = b"id,prediction\nabc,0.5\n";
const CHOSEN: &str = "cccccccccccccccccccccccccccccccc";

fn product_ref() -> ProductRef {
    ProductRef::FullName("numerai-predictions-alpha".into())
}

/// Mocks a buyer of product 7 (`encrypted`) whose current order is 11 (`key`), plus noise orders.
async fn buyer(server: &MockServer, encrypted: bool, key: Option<String>, sealed_body: Vec<u8>) {
    login_mock(server).await;
    globals_mock(server, ROUND).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("categories/"))
                .header_missing("authorization");
            then.status(200).json_body(categories_json());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search-authenticated"))
                .json_body_includes(r#"{"category_slug": "numerai-predictions", "term": "alpha"}"#);
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", encrypted)]));
        })
        .await;
    let product = product_json(7, "Alpha", encrypted);
    let orders = vec![
        // A newer order for future rounds only: must not be picked (spec §8.14).
        OrderSpec {
            key: key.clone(),
            rounds: vec![ROUND + 1],
            date: "2026-01-05T00:00:00",
            ..OrderSpec::new(10, product.clone(), 0)
        },
        OrderSpec {
            key: key.clone(),
            date: "2026-01-01T00:00:00",
            ..OrderSpec::new(11, product.clone(), ROUND)
        },
        OrderSpec {
            key: key.clone(),
            state: "expired",
            date: "2026-01-03T00:00:00",
            ..OrderSpec::new(12, product.clone(), ROUND)
        },
    ];
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"role": "buyer"}"#)
                .json_body_includes(r#"{"filters": {"product": {"in": [7]}}}"#);
            then.status(200).json_body(orders_page(&orders));
        })
        .await;
    let art = |id: &str, state: &str, date: &str, direct: bool| {
        json!({"date": date, "round_tournament": ROUND, "object_name": format!("numerai-predictions-alpha_500_{id}.csv"),
               "object_size": 70, "state": state, "is_numerai_direct": direct, "id": id, "order_id": 11})
    };
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("artifacts/"))
                .query_param("order_id", "11")
                .query_param("active_only", "true");
            then.status(200).json_body(json!({"total": 4, "data": [
                art("dddddddddddddddddddddddddddddddd", "active", "2026-01-04T09:00:00", true),
                art("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "pending", "2026-01-04T08:00:00", false),
                art(CHOSEN, "active", "2026-01-03T12:00:00", false),
                art("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "active", "2026-01-02T12:00:00", false),
            ]}));
        })
        .await;
    let part = |id: u64, state: &str, date: &str| {
        json!({"date": date, "round_tournament": ROUND, "object_name": format!("numerai-predictions-alpha_500_p{id}.csv"),
               "object_size": 22, "state": state, "id": id, "product_id": 7})
    };
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("products/7/artifacts"));
            then.status(200).json_body(json!({"total": 3, "data": [
                part(3, "failed", "2026-01-04T00:00:00"),
                part(2, "active", "2026-01-03T00:00:00"),
                part(1, "active", "2026-01-02T00:00:00"),
            ]}));
        })
        .await;
    let url = server.url(format!(
        "/storage/numerai-predictions-alpha_500_{CHOSEN}.csv?X-Goog-Signature=s"
    ));
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p(&format!("artifacts/{CHOSEN}/generate-download-url")));
            then.status(200).json_body(json!(url));
        })
        .await;
    let purl = server.url("/storage/numerai-predictions-alpha_500_p2.csv?X-Goog-Signature=s");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("products/7/artifacts/2/generate-download-url"));
            then.status(200).json_body(json!(purl));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/storage/numerai-predictions-alpha_500_{CHOSEN}.csv"))
                .header_missing("authorization");
            then.status(200).body(sealed_body);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/storage/numerai-predictions-alpha_500_p2.csv");
            then.status(200).body(PLAIN);
        })
        .await;
}

fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn sealed_copy_of_the_current_round_order_is_downloaded_and_opened() {
    let server = MockServer::start_async().await;
    let pair = KeyPair::generate();
    let sealed = artifact_crypto::seal(pair.public(), PLAIN).expect("seal");
    buyer(&server, true, Some(pair.public().to_base64()), sealed).await;
    let out = tempfile::tempdir().expect("tempdir");
    let outcome = client(&server)
        .download(
            &DownloadRequest::Product(product_ref()),
            DownloadOptions {
                key_pair: Some(pair),
                dest: Some(out.path().to_path_buf()),
                overwrite: false,
                progress: None,
            },
        )
        .await
        .expect("download");
    assert_eq!(outcome.order_id, Some(OrderId(11)));
    assert_eq!(
        outcome.artifact_id,
        ArtifactId::Order(CHOSEN.parse().expect("id"))
    );
    assert!(outcome.decrypted);
    assert_eq!(outcome.bytes, PLAIN.len() as u64);
    let name = format!("numerai-predictions-alpha_500_{CHOSEN}.csv");
    assert_eq!(outcome.path, out.path().join(&name));
    assert_eq!(std::fs::read(&outcome.path).expect("read"), PLAIN);
    // The ciphertext temp file is gone: only the opened file remains.
    assert_eq!(dir_entries(out.path()), vec![name]);
}

#[tokio::test]
async fn wrong_key_file_is_a_clear_error_and_leaves_no_file() {
    let server = MockServer::start_async().await;
    let buyer_pair = KeyPair::generate();
    let sealed = artifact_crypto::seal(buyer_pair.public(), PLAIN).expect("seal");
    buyer(&server, true, Some(buyer_pair.public().to_base64()), sealed).await;
    let out = tempfile::tempdir().expect("tempdir");
    let err = client(&server)
        .download(
            &DownloadRequest::Product(product_ref()),
            DownloadOptions {
                key_pair: Some(KeyPair::generate()),
                dest: Some(out.path().to_path_buf()),
                overwrite: false,
                progress: None,
            },
        )
        .await
        .expect_err("wrong key");
    assert!(
        matches!(err, Error::Crypto(artifact_crypto::Error::KeyMismatch { .. })),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("differs from the order's buyer public key"),
        "{err}"
    );
    assert!(dir_entries(out.path()).is_empty());
}

#[tokio::test]
async fn tampered_or_foreign_ciphertext_fails_and_leaves_no_file() {
    let server = MockServer::start_async().await;
    let pair = KeyPair::generate();
    // The order says `pair`, but the stored object was sealed to someone else.
    let sealed = artifact_crypto::seal(KeyPair::generate().public(), PLAIN).expect("seal");
    buyer(&server, true, Some(pair.public().to_base64()), sealed).await;
    let out = tempfile::tempdir().expect("tempdir");
    let err = client(&server)
        .download(
            &DownloadRequest::Product(product_ref()),
            DownloadOptions {
                key_pair: Some(pair),
                dest: Some(out.path().to_path_buf()),
                overwrite: false,
                progress: None,
            },
        )
        .await
        .expect_err("cannot open");
    assert!(
        matches!(&err, Error::Crypto(e) if e.is_authentication()),
        "{err:?}"
    );
    assert!(
        dir_entries(out.path()).is_empty(),
        "{:?}",
        dir_entries(out.path())
    );
}

#[tokio::test]
async fn sealed_copy_without_a_key_file_is_refused_before_downloading() {
    let server = MockServer::start_async().await;
    let pair = KeyPair::generate();
    buyer(&server, true, Some(pair.public().to_base64()), Vec::new()).await;
    let err = client(&server)
        .download(
            &DownloadRequest::Product(product_ref()),
            DownloadOptions::default(),
        )
        .await
        .expect_err("key needed");
    assert!(
        matches!(
            err,
            Error::KeyFileRequired {
                order_id: OrderId(11)
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn keyless_order_gets_the_newest_active_product_artifact_without_a_key() {
    let server = MockServer::start_async().await;
    buyer(&server, true, None, Vec::new()).await;
    let out = tempfile::tempdir().expect("tempdir");
    let dest = out.path().join("mine.csv");
    let outcome = client(&server)
        .download(
            &DownloadRequest::Product(product_ref()),
            DownloadOptions {
                dest: Some(dest.clone()),
                ..DownloadOptions::default()
            },
        )
        .await
        .expect("download");
    assert_eq!(outcome.artifact_id, ArtifactId::Product(2.into()));
    assert!(!outcome.decrypted);
    assert_eq!(std::fs::read(&dest).expect("read"), PLAIN);
    assert_eq!(dir_entries(out.path()), vec!["mine.csv".to_owned()]);
}

#[tokio::test]
async fn no_order_for_the_selling_round_explains_which_rounds_are_covered() {
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
    let old = OrderSpec {
        rounds: vec![498, 499],
        ..OrderSpec::new(3, product_json(7, "Alpha", false), 0)
    };
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search"));
            then.status(200).json_body(orders_page(&[old]));
        })
        .await;
    let err = client(&server)
        .download(
            &DownloadRequest::Product(ProductRef::Id(7.into())),
            DownloadOptions::default(),
        )
        .await
        .expect_err("no current order");
    assert!(err.is_not_found());
    match err {
        Error::NoCurrentOrder { round, reason, .. } => {
            assert_eq!(round, ROUND);
            assert_eq!(
                reason,
                NoOrderReason::NotCurrentRound {
                    rounds: vec![498, 499]
                }
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn order_artifact_id_downloads_that_exact_copy() {
    let server = MockServer::start_async().await;
    let pair = KeyPair::generate();
    let sealed = artifact_crypto::seal(pair.public(), PLAIN).expect("seal");
    buyer(&server, true, Some(pair.public().to_base64()), sealed).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p(&format!("artifacts/{CHOSEN}")));
            then.status(200)
                .json_body(json!({"date": "2026-01-03T12:00:00", "round_tournament": ROUND,
                "object_name": "copy.csv", "object_size": 70, "state": "active",
                "is_numerai_direct": false, "id": CHOSEN, "order_id": 11}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body(json!({"id": 11}));
            then.status(200).json_body(orders_page(&[OrderSpec {
                key: Some(pair.public().to_base64()),
                ..OrderSpec::new(11, product_json(7, "Alpha", true), ROUND)
            }]));
        })
        .await;
    let out = tempfile::tempdir().expect("tempdir");
    let outcome = client(&server)
        .download(
            &DownloadRequest::artifact(CHOSEN.parse().expect("id")),
            DownloadOptions {
                key_pair: Some(pair),
                dest: Some(out.path().to_path_buf()),
                overwrite: false,
                progress: None,
            },
        )
        .await
        .expect("download");
    assert_eq!(outcome.path, out.path().join("copy.csv"));
    assert_eq!(std::fs::read(&outcome.path).expect("read"), PLAIN);
}
