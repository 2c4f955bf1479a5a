//! Fault suites against the sandbox's fault controls: retries, resumes, timeouts, expired URLs,
//! interrupted uploads and permission errors, through the real client libraries.

use std::path::Path;
use std::time::Duration;

use marketplace_core::{ClientConfig, HttpClient, RetryConfig};
use marketplace_types::numerbay::{ArtifactId, ArtifactState};
use numerbay_client::{
    ArtifactSource, Credentials, DownloadOptions, DownloadRequest, NumerBay, ProductRef, UploadOptions,
};
use serde_json::json;

use crate::util::{assert_no_partial_files, Env};

fn fast_retry() -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(1500),
        retry_timeout: Duration::from_secs(30),
        ..RetryConfig::default()
    }
}

fn client(env: &Env, user: &str, password: &str, tweak: impl FnOnce(&mut ClientConfig)) -> NumerBay {
    let mut config = ClientConfig::new(&env.info.numerbay_url).expect("config");
    config.retry = fast_retry();
    tweak(&mut config);
    NumerBay::builder()
        .config(config)
        .credentials(Credentials::new(user.to_owned(), password.to_owned()))
        .build()
        .expect("client")
}

fn seller(env: &Env) -> NumerBay {
    client(env, &env.info.seller.username, &env.info.seller.password, |_| {})
}

fn buyer(env: &Env) -> NumerBay {
    client(env, &env.info.buyer.username, &env.info.buyer.password, |_| {})
}

/// Uploads `bytes` as this round's file of `product` and returns the seller's report size.
fn upload(env: &Env, product: &str, bytes: &[u8]) {
    let report = env
        .runtime
        .block_on(seller(env).upload_artifact(
            &ProductRef::FullName(product.to_owned()),
            ArtifactSource::bytes(bytes.to_vec(), "predictions.csv"),
            UploadOptions::default(),
        ))
        .expect("upload");
    report.ensure_success().expect("every copy uploaded");
}

fn csv_bytes(rows: usize) -> Vec<u8> {
    let mut text = String::from("id,prediction\n");
    for i in 0..rows {
        text.push_str(&format!("n{i:06x},{}\n", ((i * 7919) % 1000) as f64 / 1000.0));
    }
    text.into_bytes()
}

fn download(
    env: &Env,
    product: &str,
    dest: &Path,
) -> numerbay_client::Result<numerbay_client::DownloadOutcome> {
    let key = artifact_crypto::load_key_file(&env.info.buyer_key_file).expect("key file");
    env.runtime.block_on(buyer(env).download(
        &DownloadRequest::Product(ProductRef::FullName(product.to_owned())),
        DownloadOptions {
            key_pair: Some(key.key_pair),
            dest: Some(dest.to_owned()),
            overwrite: false,
            progress: None,
        },
    ))
}

#[test]
fn server_503_burst_within_the_policy_is_retried() {
    let env = Env::start();
    env.fault(json!({"prefix": "/backend-api/v1/users/me", "status": 503, "count": 2}));
    let me = env
        .runtime
        .block_on(seller(&env).me())
        .expect("retried through two 503s");
    assert_eq!(me.username.as_deref(), Some(env.info.seller.username.as_str()));
}

#[test]
fn rate_limit_429_with_retry_after_is_retried() {
    let env = Env::start();
    env.fault(json!({"prefix": "/backend-api/v1/globals/", "status": 429, "count": 1}));
    let globals = env
        .runtime
        .block_on(seller(&env).globals())
        .expect("retried after Retry-After");
    assert!(globals.selling_round > 0);
}

#[test]
fn a_burst_longer_than_the_policy_fails_with_the_server_error() {
    let env = Env::start();
    env.fault(json!({"prefix": "/backend-api/v1/globals/", "status": 500, "count": 20}));
    let err = env
        .runtime
        .block_on(seller(&env).globals())
        .expect_err("policy exhausted");
    let http = err.http().expect("a transport error");
    assert_eq!(http.status(), Some(500));
    assert!(http.api().expect("api error").retries >= 3, "{http:?}");
    assert!(err.to_string().contains("500"), "{err}");
}

#[test]
fn a_hung_server_hits_the_timeout() {
    let env = Env::start();
    env.fault(json!({"prefix": "/backend-api/v1/globals/", "latency_ms": 5000}));
    let nb = client(&env, &env.info.seller.username, &env.info.seller.password, |c| {
        c.request_timeout = Duration::from_millis(300);
        c.retry.max_retries = 1;
    });
    let err = env.runtime.block_on(nb.globals()).expect_err("timed out");
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Timeout { .. })),
        "expected a timeout, got {err:?}"
    );
}

#[test]
fn download_cut_at_many_offsets_resumes_or_fails_cleanly() {
    let env = Env::start();
    let content = csv_bytes(4000);
    upload(&env, &env.info.plain_product, &content);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("plain.csv");
    // Deterministic pseudo-random offsets over the whole body, plus the edges.
    let mut offsets = vec![1u64, 2, 100, content.len() as u64 - 1];
    let mut x = 0x9E37_79B9u64;
    while offsets.len() < 24 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        offsets.push(1 + (x >> 33) % (content.len() as u64 - 1));
    }
    for cut in offsets {
        env.fault(json!({"prefix": "/storage/", "method": "GET", "cut_after_bytes": cut, "count": 1}));
        let _ = std::fs::remove_file(&dest);
        match download(&env, &env.info.plain_product, &dest) {
            Ok(outcome) => {
                assert_eq!(
                    std::fs::read(&dest).unwrap(),
                    content,
                    "wrong bytes after a cut at {cut}"
                );
                assert_eq!(outcome.bytes, content.len() as u64);
            }
            Err(err) => {
                assert!(
                    !dest.exists(),
                    "a failed download at cut {cut} left {}: {err}",
                    dest.display()
                );
            }
        }
        assert_no_partial_files(dir.path(), &["plain.csv"]);
        env.clear_faults();
    }
}

#[test]
fn a_download_cut_every_time_fails_and_leaves_nothing() {
    let env = Env::start();
    upload(&env, &env.info.encrypted_product, &csv_bytes(3000));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("sealed.csv");
    env.fault(json!({"prefix": "/storage/", "method": "GET", "cut_after_bytes": 500}));
    let err = download(&env, &env.info.encrypted_product, &dest).expect_err("never completes");
    assert!(
        !dest.exists(),
        "partial or plaintext file left behind after: {err}"
    );
    assert_no_partial_files(dir.path(), &[]);
    env.clear_faults();
    download(&env, &env.info.encrypted_product, &dest).expect("completes once the fault is gone");
    assert_eq!(std::fs::read(&dest).unwrap(), csv_bytes(3000));
}

#[test]
fn encrypted_download_cut_once_resumes_and_decrypts() {
    let env = Env::start();
    let content = csv_bytes(3000);
    upload(&env, &env.info.encrypted_product, &content);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("sealed.csv");
    for cut in [1u64, 32, 48, 1000, 20_000] {
        let _ = std::fs::remove_file(&dest);
        env.fault(json!({"prefix": "/storage/", "method": "GET", "cut_after_bytes": cut, "count": 1}));
        let outcome = download(&env, &env.info.encrypted_product, &dest).expect("resumed");
        assert!(outcome.decrypted);
        assert_eq!(std::fs::read(&dest).unwrap(), content, "cut at {cut}");
        env.clear_faults();
    }
    assert_no_partial_files(dir.path(), &["sealed.csv"]);
}

#[test]
fn an_expired_signed_url_fails_clearly() {
    let env = Env::start();
    upload(&env, &env.info.plain_product, &csv_bytes(100));
    let nb = buyer(&env);
    let (url, _) = env.runtime.block_on(async {
        let product = nb
            .product(&ProductRef::FullName(env.info.plain_product.clone()))
            .await
            .unwrap();
        let listed = nb.product_artifacts(product.id).await.unwrap();
        let artifact = listed
            .data
            .iter()
            .find(|a| a.state == Some(ArtifactState::Active))
            .expect("active");
        (
            nb.product_artifact_download_url(product.id, artifact.id)
                .await
                .unwrap(),
            artifact.id,
        )
    });
    env.control("/clock/advance", json!({"seconds": 700}));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("late.csv");
    let http = HttpClient::new(
        ClientConfig::new(&env.info.numerbay_url).unwrap(),
        marketplace_core::Auth::None,
    )
    .unwrap();
    let err = env
        .runtime
        .block_on(http.download(&url, &mkt_fs::Destination::user(&dest).resolve().unwrap(), None))
        .expect_err("expired");
    assert_eq!(err.status(), Some(403), "{err:?}");
    let text = err.to_string();
    assert!(
        !text.contains("sig="),
        "signed query leaked into the error: {text}"
    );
    assert!(!dest.exists());
}

#[test]
fn an_upload_put_that_fails_once_is_retried_from_the_start() {
    let env = Env::start();
    let content = csv_bytes(2000);
    env.fault(json!({"prefix": "/storage/", "method": "PUT", "status": 503, "count": 1}));
    upload(&env, &env.info.plain_product, &content);
    env.clear_faults();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("plain.csv");
    download(&env, &env.info.plain_product, &dest).expect("download");
    assert_eq!(
        std::fs::read(&dest).unwrap(),
        content,
        "the retried PUT stored different bytes"
    );
}

#[test]
fn permission_errors_keep_the_server_message() {
    let env = Env::start();
    // The buyer does not own the product: generate-upload-url answers 403 `Not enough permissions`.
    let report = env
        .runtime
        .block_on(buyer(&env).upload_artifact(
            &ProductRef::FullName(env.info.plain_product.clone()),
            ArtifactSource::bytes(csv_bytes(10), "p.csv"),
            UploadOptions::default(),
        ))
        .expect("the fan-out reports per target");
    assert!(report.ensure_success().is_err());
    let (_, failure) = report.failed().next().expect("one failed target");
    let err = error_chain(failure);
    assert!(err.contains("Not enough permissions"), "{err}");
}

#[test]
fn a_wrong_password_is_an_auth_error_at_login() {
    let env = Env::start();
    let nb = client(&env, &env.info.seller.username, "wrong-password", |_| {});
    let err = env.runtime.block_on(nb.me()).expect_err("bad credentials");
    assert!(err.is_auth(), "{err:?}");
    let chain = error_chain(&err);
    assert!(chain.contains("Incorrect username or password"), "{chain}");
}

#[test]
fn artifact_ids_route_by_type_not_by_digits() {
    assert!(matches!("744".parse::<ArtifactId>(), Ok(ArtifactId::Product(_))));
    assert!(matches!(
        "3f0c1e2d3c4b5a69788796a5b4c3d2e1".parse::<ArtifactId>(),
        Ok(ArtifactId::Order(_))
    ));
    assert!("12ab".parse::<ArtifactId>().is_err());
}

/// The error and all its sources, joined: what the CLI prints as its cause chain.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
