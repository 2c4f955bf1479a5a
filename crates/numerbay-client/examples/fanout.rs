//! Measures a 50-order seller fan-out against a local mock: wall time and peak RSS.
//!
//! ```text
//! cargo run --release -p numerbay-client --example fanout -- [MiB per file] [orders] [concurrency]
//! ```
//!
//! The API (login, globals, product, sales, upload URLs, validation) is an httpmock server; the
//! signed-URL PUTs go to a tiny loopback sink that reads and discards the bodies, so the peak RSS
//! (`VmHWM` from /proc/self/status, Linux only) is the client's, not the mock's request history.

use std::time::Instant;

use artifact_crypto::KeyPair;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use numerbay_client::{ArtifactSource, Credentials, NumerBay, ProductRef, UploadOptions};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const ROUND: u32 = 500;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A minimal HTTP/1.1 sink: answers 200 to every request after discarding its body.
async fn sink() -> std::io::Result<u16> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                loop {
                    let mut len = 0u64;
                    let mut line = String::new();
                    // Request line, then headers until the blank line.
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() {
                            break;
                        }
                        if let Some((k, v)) = l.split_once(':') {
                            if k.eq_ignore_ascii_case("content-length") {
                                len = v.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = (&mut reader).take(len);
                    if tokio::io::copy(&mut body, &mut tokio::io::sink()).await.is_err() {
                        return;
                    }
                    if write
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    Ok(port)
}

fn product() -> serde_json::Value {
    json!({"id": 7, "name": "Alpha", "sku": "numerai-predictions-alpha", "use_encryption": true,
           "is_active": true, "optionIdx": "0"})
}

fn order(id: u64, key: Option<String>, model: Option<String>) -> serde_json::Value {
    json!({"date_order": "2026-01-02T10:00:00", "round_order": ROUND, "rounds": [ROUND], "price": 9,
           "currency": "NMR", "mode": "file", "submit_model_id": model, "state": "confirmed",
           "buyer_public_key": key, "id": id, "product": product(), "chain": "ethereum"})
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let mib: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let orders: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(50);
    let concurrency: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(4);

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("preds.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let row = b"id_0000000000,0.512345\n";
        for _ in 0..(mib * 1024 * 1024 / row.len() as u64) {
            f.write_all(row)?;
        }
    }
    let size = std::fs::metadata(&path)?.len();

    let storage_port = sink().await?;
    let server = MockServer::start_async().await;
    let api = "/backend-api/v1";
    server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{api}/login/access-token"));
            then.status(200)
                .json_body(json!({"access_token": "t", "token_type": "bearer"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{api}/globals/"));
            then.status(200)
                .json_body(json!({"active_round": ROUND, "selling_round": ROUND}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{api}/products/search-authenticated"));
            then.status(200)
                .json_body(json!({"total": 1, "data": [product()], "aggregations": []}));
        })
        .await;
    // Every order has a key; every fifth also names a model (direct copy); one has no key.
    let keys: Vec<KeyPair> = (0..orders).map(|_| KeyPair::generate()).collect();
    let list: Vec<serde_json::Value> = (0..orders)
        .map(|i| {
            let id = i + 1;
            let key = (id != orders).then(|| keys[i as usize].public().to_base64());
            let model = (id % 5 == 0).then(|| format!("model-{id}"));
            order(id, key, model)
        })
        .collect();
    server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{api}/orders/search"));
            then.status(200)
                .json_body(json!({"total": list.len(), "data": list}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{api}/artifacts/generate-upload-url"));
            then.respond_with(move |req: &HttpMockRequest| {
                let form: std::collections::HashMap<String, String> =
                    url::form_urlencoded::parse(req.body_ref()).into_owned().collect();
                let order = form.get("order_id").cloned().unwrap_or_default();
                let direct = form.contains_key("is_numerai_direct");
                let id = format!("{:0>31}{}", order, if direct { "d" } else { "e" });
                let body = json!({"id": id, "url": format!("http://127.0.0.1:{storage_port}/{id}"),
                                  "buyer_public_key": null});
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .build()
            });
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{api}/products/7/artifacts/generate-upload-url"));
            then.status(200)
                .json_body(json!({"id": 1, "url": format!("http://127.0.0.1:{storage_port}/p1")}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path_includes("/validate-upload");
            then.status(200).json_body(json!({}));
        })
        .await;

    let nb = NumerBay::builder()
        .base_url(server.url(api))
        .credentials(Credentials::new("seller", "pw"))
        .build()?;
    let before = peak_rss_kib();
    let start = Instant::now();
    let report = nb
        .upload_artifact(
            &ProductRef::Id(7.into()),
            ArtifactSource::path(&path),
            UploadOptions {
                concurrency,
                ..UploadOptions::default()
            },
        )
        .await?;
    let elapsed = start.elapsed();
    let after = peak_rss_kib();
    report.ensure_success()?;
    let sent: u64 = report.succeeded().map(|(_, a)| a.bytes).sum();
    println!(
        "fan-out: {} orders, {} targets ({} sealed), file {:.1} MiB, concurrency {}",
        orders,
        report.results.len(),
        report.succeeded().filter(|(_, a)| a.sealed_to.is_some()).count(),
        size as f64 / 1048576.0,
        concurrency
    );
    println!(
        "wall time {:.2} s, {:.1} MiB sent ({:.0} MiB/s)",
        elapsed.as_secs_f64(),
        sent as f64 / 1048576.0,
        sent as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
    println!(
        "peak RSS (VmHWM): before {} KiB, after {} KiB",
        before.map_or("n/a".into(), |v| v.to_string()),
        after.map_or("n/a".into(), |v| v.to_string())
    );
    Ok(())
}
