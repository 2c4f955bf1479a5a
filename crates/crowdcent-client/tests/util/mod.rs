//! Shared helpers of the contract tests: a fast-retry client, fixtures, a truncating storage server.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use crowdcent_client::CrowdCent;
use httpmock::MockServer;
use marketplace_core::{ClientConfig, RetryConfig};
use secrecy::SecretString;
use serde_json::{json, Value};

pub const KEY: &str = "test-key-123";
pub const AUTH: &str = "Api-Key test-key-123";
pub const SLUG: &str = "hyperliquid-ranking";

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The API root on a mock server: `<server>/api`.
pub fn base(server: &MockServer) -> String {
    format!("{}/api", server.base_url())
}

/// A client against `server` with millisecond backoffs.
pub fn client(server: &MockServer) -> CrowdCent {
    client_at(&base(server))
}

/// A client against `base` with millisecond backoffs.
pub fn client_at(base: &str) -> CrowdCent {
    let mut config = ClientConfig::new(base).expect("valid test base URL");
    config.retry = RetryConfig {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        retry_timeout: Duration::from_secs(10),
        jitter_seed: Some(1),
    };
    config.request_timeout = Duration::from_secs(10);
    CrowdCent::new(config, SecretString::from(KEY)).expect("client")
}

/// `/api/challenges/<slug>/<rest>`.
pub fn cpath(rest: &str) -> String {
    format!("/api/challenges/{SLUG}/{rest}")
}

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn challenge_json() -> Value {
    json!({
        "id": 5, "name": "Hyperliquid Ranking", "slug": SLUG,
        "description": "Rank assets\r\nby return", "start_date": "2025-06-05T12:34:26Z",
        "end_date": null, "is_active": true
    })
}

pub fn training_json(version: &str, latest: bool) -> Value {
    json!({
        "id": 3, "challenge_slug": SLUG, "version": version, "is_latest": latest,
        "feature_description": "", "target_description": "ranks",
        "uploaded_at": "2025-06-05T12:38:31.402576Z",
        "download_url": format!("https://api.crowdcent.invalid/api/challenges/{SLUG}/training_data/{version}/download/")
    })
}

pub fn period_json(id: u64, date: &str) -> Value {
    json!({
        "id": id, "challenge_slug": SLUG,
        "release_date": format!("{date}T14:01:01.161998Z"),
        "submission_deadline": format!("{date}T18:01:01.161998Z"),
        "is_processed": false,
        "download_url": format!("https://api.crowdcent.invalid/api/challenges/{SLUG}/inference_data/{date}/download/"),
        "time_remaining": "1.7 hours"
    })
}

pub fn submission_json(id: u64, slot: u32, date: &str, scored: bool) -> Value {
    let (scores, pct) = if scored {
        (
            json!({"spearman_10d": 0.1, "spearman_30d": 0.2, "ndcg@40_10d": 0.6, "ndcg@40_30d": 0.7}),
            json!({"spearman_10d": 8.108108, "ndcg@40_30d": 66.666667, "composite_percentile": 50.0}),
        )
    } else {
        (Value::Null, Value::Null)
    };
    json!({
        "id": id, "username": "alice", "challenge_slug": SLUG,
        "inference_data_release_date": format!("{date}T14:00:29.177700Z"),
        "submitted_at": format!("{date}T16:48:45.671926Z"),
        "status": if scored { "evaluated" } else { "pending" }, "slot": slot,
        "score_details": scores, "percentile_details": pct,
        "prediction_file": "https://bucket.s3.amazonaws.com/x.parquet?X-Amz-Signature=abc",
        "is_experimental": false, "notes": ""
    })
}

pub fn error_json(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message}})
}

/// A raw storage server that always announces `announced` bytes but sends only `sent` and closes.
/// Returns its URL and a counter of requests served.
pub async fn truncating_storage(
    announced: usize,
    sent: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hits = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = sock.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&vec![b'x'; sent]).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (format!("http://{addr}/bucket/file.parquet?sig=secret"), hits)
}
