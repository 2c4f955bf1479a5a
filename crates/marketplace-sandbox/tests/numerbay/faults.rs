//! Fault switches: error status for the next N requests, cut bodies, latency rules, reset.

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{json_of, Env};

#[tokio::test]
async fn status_for_the_next_n_requests_then_success() {
    let env = Env::start().await;
    env.control(
        "faults",
        json!({"prefix": "/backend-api/v1/globals", "status": 503, "count": 2}),
    )
    .await;
    for _ in 0..2 {
        let resp = env.http.get(env.url("globals/")).send().await.expect("globals");
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            resp.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()),
            Some("1")
        );
    }
    let resp = env.http.get(env.url("globals/")).send().await.expect("globals");
    assert_eq!(resp.status(), StatusCode::OK);
    // Other paths were never affected, and the rule is gone.
    let faults: Value = env
        .http
        .get(format!("{}/faults", env.ctl))
        .send()
        .await
        .expect("f")
        .json()
        .await
        .expect("j");
    assert_eq!(faults["rules"], json!([]));

    env.control(
        "faults",
        json!({"prefix": "/backend-api/v1/users", "method": "GET", "status": 500}),
    )
    .await;
    let resp = env.http.get(env.url("users/me")).send().await.expect("me");
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(resp.text().await.expect("text"), "Internal Server Error");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn cut_body_aborts_one_download_then_the_retry_completes() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let plain = env.plain().await;
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let (id, _) = env.upload_product_artifact(&seller, plain, &bytes).await;
    let resp = env
        .get(
            &format!("products/{plain}/artifacts/{id}/generate-download-url"),
            &seller,
        )
        .send()
        .await
        .expect("dl");
    let (_, url) = json_of(resp).await;
    let url = url.as_str().expect("url").to_string();

    env.control(
        "faults",
        json!({"prefix": "/storage/", "cut_after_bytes": 1000, "count": 1}),
    )
    .await;
    let resp = env.http.get(&url).send().await.expect("headers arrive");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.content_length(), Some(200_000));
    let body = resp.bytes().await;
    assert!(
        body.is_err(),
        "a cut body must not complete: got {:?} bytes",
        body.map(|b| b.len())
    );

    let resp = env.http.get(&url).send().await.expect("retry");
    assert_eq!(resp.bytes().await.expect("full body").as_ref(), bytes.as_slice());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn latency_rules_are_listed_and_reset() {
    let env = Env::start().await;
    let cfg = env
        .control("faults", json!({"prefix": "/storage/", "latency_ms": 1}))
        .await;
    assert_eq!(cfg["rules"][0]["latency_ms"], 1);
    let resp = env.http.get(env.url("healthz")).send().await.expect("health");
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = env
        .http
        .delete(format!("{}/faults", env.ctl))
        .send()
        .await
        .expect("reset");
    let (status, cfg) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cfg, json!({"rules": [], "numerai_submission_fails": false}));
    let resp = env
        .http
        .post(format!("{}/faults", env.ctl))
        .json(&json!({"prefix": "/", "status": 42}))
        .send()
        .await;
    assert_eq!(resp.expect("bad fault").status(), StatusCode::BAD_REQUEST);
    env.sandbox.shutdown().await;
}
