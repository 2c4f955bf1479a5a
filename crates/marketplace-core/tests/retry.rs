//! Retry policy: counts, Retry-After, no_retry, idempotent timeouts, connect errors.

mod util;

use std::time::Duration;

use httpmock::prelude::*;
use marketplace_core::{Auth, Error, HttpClient};
use util::{fast_config, RawResponse, RawServer};

fn client(base: &str, max_retries: u32) -> HttpClient {
    HttpClient::new(fast_config(base, max_retries), Auth::None).unwrap()
}

#[tokio::test]
async fn server_errors_are_retried_up_to_max_retries() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/flaky");
            then.status(503).body("unavailable");
        })
        .await;
    let err = client(&server.url("/api"), 3)
        .get("flaky")
        .send()
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 4, "1 attempt + 3 retries");
    let api = err.api().unwrap();
    assert!(matches!(&err, Error::Api(a) if a.status >= 500));
    assert_eq!(api.retries, 3);
    assert_eq!(api.message, "unavailable");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn every_retryable_status_is_retried_and_others_are_not() {
    let server = MockServer::start_async().await;
    for (status, retried) in [
        (408, true),
        (429, true),
        (500, true),
        (502, true),
        (400, false),
        (404, false),
        (409, false),
        (422, false),
    ] {
        let path = format!("/s{status}");
        let m = server
            .mock_async(|when, then| {
                when.method(GET).path(path.as_str());
                then.status(status);
            })
            .await;
        let err = client(&server.base_url(), 2).get(&path).send().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        let expected = if retried { 3 } else { 1 };
        assert_eq!(m.calls_async().await, expected, "status {status}");
    }
}

#[tokio::test]
async fn plain_post_is_retried_on_503_but_no_retry_post_is_not() {
    let server = MockServer::start_async().await;
    let plain = server
        .mock_async(|when, then| {
            when.method(POST).path("/orders/search");
            then.status(503);
        })
        .await;
    let creating = server
        .mock_async(|when, then| {
            when.method(POST).path("/artifacts/generate-upload-url");
            then.status(503);
        })
        .await;
    let c = client(&server.base_url(), 2);
    c.post("orders/search")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(plain.calls_async().await, 3);
    let err = c
        .post("artifacts/generate-upload-url")
        .form(&[("filename", "x.csv")])
        .no_retry()
        .send()
        .await
        .unwrap_err();
    assert_eq!(creating.calls_async().await, 1);
    assert_eq!(err.api().unwrap().retries, 0);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/limited");
            then.status(429)
                .header("Retry-After", "0")
                .body(r#"{"detail":"slow down"}"#);
        })
        .await;
    let err = client(&server.base_url(), 2)
        .get("limited")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status == 429));
    assert!(err.is_rate_limited() && err.is_retryable() && !err.is_auth());
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert_eq!(err.api().unwrap().message, "slow down");
    assert_eq!(m.calls_async().await, 3);
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_retries_at_once() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/limited");
            then.status(503)
                .header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        })
        .await;
    client(&server.base_url(), 1)
        .get("limited")
        .send()
        .await
        .unwrap_err();
    assert_eq!(m.calls_async().await, 2);
}

#[tokio::test]
async fn retry_after_beyond_the_retry_timeout_fails_fast() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/limited");
            then.status(429).header("Retry-After", "3600");
        })
        .await;
    let mut cfg = fast_config(&server.base_url(), 5);
    cfg.retry.retry_timeout = Duration::from_secs(30);
    let c = HttpClient::new(cfg, Auth::None).unwrap();
    // If this slept for an hour the test would hang; it must answer at once.
    let err = tokio::time::timeout(Duration::from_secs(20), c.get("limited").send())
        .await
        .expect("must not sleep for Retry-After")
        .unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status == 429));
    assert_eq!(m.calls_async().await, 1);
    assert_eq!(err.api().unwrap().retries, 0);
    // The caller learns how long the server asked to wait.
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn success_after_failures_returns_the_success() {
    let server = RawServer::start(|i, _| {
        if i < 2 {
            RawResponse::new(502, b"Bad Gateway")
        } else {
            RawResponse::new(200, br#"{"ok":true}"#).header("Content-Type", "application/json")
        }
    })
    .await;
    let v: serde_json::Value = client(&server.url("/"), 3).get("x").send_json().await.unwrap();
    assert_eq!(v, serde_json::json!({"ok": true}));
    assert_eq!(server.requests().len(), 3);
}

// The server never answers; the paused clock jumps to each timeout at once, so no test time
// is spent waiting for real.
#[tokio::test(start_paused = true)]
async fn idempotent_timeouts_are_retried_but_post_timeouts_are_not() {
    let server = RawServer::start(|_, _| RawResponse::hang()).await;
    let calls = |method: &str| server.requests().iter().filter(|r| r.method == method).count();
    let mut cfg = fast_config(&server.url("/"), 2);
    // Three timeouts fit in the retry timeout (30 s).
    cfg.request_timeout = Duration::from_secs(5);
    let c = HttpClient::new(cfg, Auth::None).unwrap();

    let start = tokio::time::Instant::now();
    let err = c.get("slow").send().await.unwrap_err();
    match &err {
        Error::Timeout {
            method,
            retries,
            elapsed,
            ..
        } => {
            assert_eq!((method.as_str(), *retries), ("GET", 2));
            // Three full timeouts passed on the (virtual) clock, and the error says so.
            assert!(*elapsed >= Duration::from_secs(15), "{elapsed:?}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(start.elapsed() >= Duration::from_secs(15));
    assert!(err.is_retryable());
    assert_eq!(calls("GET"), 3);

    let err = c.post("slow").send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { retries: 0, .. }), "{err:?}");
    assert_eq!(calls("POST"), 1);

    // An explicitly idempotent POST (a search) may be retried.
    let err = c.post("slow").idempotent(true).send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { retries: 2, .. }), "{err:?}");
    assert_eq!(calls("POST"), 4);
}

#[tokio::test]
async fn connect_errors_are_retried_even_for_post() {
    // Bind and drop a listener to get a port with nobody listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}/api"), 2);
    let err = c.post("x").send().await.unwrap_err();
    match &err {
        Error::Connect { url, retries, .. } => {
            assert_eq!(*retries, 2);
            assert_eq!(url, &format!("http://127.0.0.1:{port}/api/x"));
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn no_retry_also_skips_connect_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = client(&format!("http://127.0.0.1:{port}/"), 3)
        .get("x")
        .no_retry()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { retries: 0, .. }), "{err:?}");
}

#[tokio::test]
async fn a_json_body_that_breaks_off_is_retried_for_get_only() {
    let body = br#"{"items":[1,2,3,4,5,6,7,8,9,10]}"#;
    let server = RawServer::start(move |i, _| {
        let resp = RawResponse::new(200, body).header("Content-Type", "application/json");
        if i == 0 {
            resp.cut_at(10)
        } else {
            resp
        }
    })
    .await;
    let c = client(&server.url("/"), 3);
    let v: serde_json::Value = c.get("list").send_json().await.unwrap();
    assert_eq!(v["items"][9], 10);
    assert_eq!(server.requests().len(), 2);

    let server = RawServer::start(move |_, _| RawResponse::new(200, body).cut_at(10)).await;
    let c = client(&server.url("/"), 3);
    let err = c
        .post("create")
        .send_json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { retries: 0, .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}
