//! Error bodies mapped to variants with the server's message; decoding; redirects; request shape.

mod util;

use httpmock::prelude::*;
use marketplace_core::{Auth, Error, HttpClient, RedirectProblem};
use serde_json::json;
use util::fast_config;

fn client(server: &MockServer) -> HttpClient {
    HttpClient::new(fast_config(&server.url("/backend-api/v1"), 2), Auth::None).unwrap()
}

async fn error_for(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/backend-api/v1/thing");
            then.status(status)
                .header("Content-Type", content_type)
                .body(body);
        })
        .await;
    let mut cfg = fast_config(&server.url("/backend-api/v1"), 0);
    cfg.retry.max_retries = 0;
    HttpClient::new(cfg, Auth::None)
        .unwrap()
        .get("thing")
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn numerbay_statuses_map_to_variants_with_the_detail() {
    let json_ct = "application/json";
    let e = error_for(401, json_ct, r#"{"detail":"Not authenticated"}"#).await;
    assert!(matches!(&e, Error::Api(a) if a.status == 401) && e.is_auth());
    assert_eq!(e.api().unwrap().message, "Not authenticated");

    let e = error_for(403, json_ct, r#"{"detail":"Could not validate credentials"}"#).await;
    assert!(matches!(&e, Error::Api(a) if a.status == 403) && e.is_auth());
    assert_eq!(e.api().unwrap().message, "Could not validate credentials");

    let e = error_for(404, json_ct, r#"{"detail":"Product not found"}"#).await;
    assert!(matches!(&e, Error::Api(a) if a.status == 404) && e.is_not_found() && !e.is_auth());
    assert_eq!(e.api().unwrap().message, "Product not found");
    assert_eq!(e.status(), Some(404));

    let e = error_for(400, json_ct, r#"{"detail":"Incorrect username or password"}"#).await;
    assert!(matches!(&e, Error::Api(a) if a.status == 400));
    assert_eq!(e.api().unwrap().message, "Incorrect username or password");
    assert!(!e.is_retryable());

    let body = r#"{"detail":[{"loc":["body","skip"],"msg":"value is not a valid integer","type":"type_error.integer"},{"loc":["query","limit"],"msg":"field required","type":"value_error.missing"}]}"#;
    let e = error_for(422, json_ct, body).await;
    assert!(matches!(&e, Error::Api(a) if a.status == 422));
    let api = e.api().unwrap();
    assert_eq!(
        api.message,
        "body.skip: value is not a valid integer; query.limit: field required"
    );
    assert_eq!(api.detail.as_ref().unwrap()[1]["type"], "value_error.missing");
    assert!(e.to_string().contains("body.skip: value is not a valid integer"));

    let e = error_for(500, "text/plain; charset=utf-8", "Internal Server Error").await;
    assert!(matches!(&e, Error::Api(a) if a.status >= 500) && e.is_retryable());
    let api = e.api().unwrap();
    assert_eq!(api.message, "Internal Server Error");
    assert_eq!(api.detail, None);
    assert_eq!(api.method, "GET");
    assert!(api.url.ends_with("/backend-api/v1/thing"));
}

#[tokio::test]
async fn crowdcent_error_bodies_keep_code_and_message() {
    let e = error_for(
        409,
        "application/json",
        r#"{"error":{"code":"CONFIRMATION_REQUIRED","message":"plan_hash is missing, stale, or does not match."}}"#,
    )
    .await;
    assert!(matches!(&e, Error::Api(a) if a.status == 409));
    let api = e.api().unwrap();
    assert_eq!(api.code.as_deref(), Some("CONFIRMATION_REQUIRED"));
    assert_eq!(api.message, "plan_hash is missing, stale, or does not match.");
    assert!(e.to_string().contains("[CONFIRMATION_REQUIRED]"));

    let e = error_for(
        403,
        "application/json",
        r#"{"error":{"code":"NOT_AUTHENTICATED","message":"Invalid API key."}}"#,
    )
    .await;
    assert!(e.is_auth());
    assert_eq!(e.api().unwrap().code.as_deref(), Some("NOT_AUTHENTICATED"));

    let e = error_for(
        400,
        "application/json",
        r#"{"error":{"code":"INVALID","message":"bad file","fields":{"pred_10d":["missing column"]}}}"#,
    )
    .await;
    assert_eq!(e.api().unwrap().message, "bad file (pred_10d: missing column)");
}

#[tokio::test]
async fn long_html_bodies_are_truncated_and_odd_statuses_are_api() {
    let html = format!("<html>{}</html>", "x".repeat(5000));
    let e = error_for(418, "text/html", &html).await;
    assert!(matches!(e, Error::Api(_)));
    assert_eq!(e.api().unwrap().message.chars().count(), 512);
    assert!(e.api().unwrap().message.starts_with("<html>xxx"));
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct User {
    id: u64,
    username: String,
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/backend-api/v1/users/me");
            then.status(200)
                .json_body(json!({"id": "seven", "username": "u"}));
        })
        .await;
    let err = client(&server)
        .get("users/me")
        .send_json::<User>()
        .await
        .unwrap_err();
    match &err {
        Error::Decode { url, source } => {
            assert!(url.ends_with("/backend-api/v1/users/me"));
            assert_eq!(source.path().to_string(), "id");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn requests_carry_user_agent_json_form_query_and_keep_trailing_slashes() {
    let server = MockServer::start_async().await;
    let ua = format!("mkt/{}", env!("CARGO_PKG_VERSION"));
    let json_mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/backend-api/v1/orders/search")
                .header("user-agent", ua.as_str())
                .header("content-type", "application/json")
                .header_missing("authorization")
                .json_body(json!({"role": "buyer"}));
            then.status(200).json_body(json!({"total": 0, "data": []}));
        })
        .await;
    let form_mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/backend-api/v1/login/access-token")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("username", "alice")
                .form_urlencoded_tuple("password", "pw");
            then.status(200).json_body(json!({"access_token": "t"}));
        })
        .await;
    let query_mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/backend-api/v1/artifacts/")
                .query_param("order_id", "12")
                .query_param("active_only", "true");
            then.status(200).json_body(json!([]));
        })
        .await;
    let c = client(&server);
    let v: serde_json::Value = c
        .post("orders/search")
        .json(&json!({"role": "buyer"}))
        .send_json()
        .await
        .unwrap();
    assert_eq!(v["total"], 0);
    let _: serde_json::Value = c
        .post("/login/access-token")
        .form(&[("username", "alice"), ("password", "pw")])
        .no_auth()
        .send_json()
        .await
        .unwrap();
    let _: Vec<serde_json::Value> = c
        .get("artifacts/")
        .query(&[("order_id", "12")])
        .query(&[("active_only", true)])
        .send_json()
        .await
        .unwrap();
    json_mock.assert_async().await;
    form_mock.assert_async().await;
    query_mock.assert_async().await;
}

#[tokio::test]
async fn send_json_accepts_empty_bodies_as_unit() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/backend-api/v1/x/1");
            then.status(204);
        })
        .await;
    let () = client(&server).delete("x/1").send_json().await.unwrap();
}

#[tokio::test]
async fn send_redirect_returns_location_without_following() {
    let server = MockServer::start_async().await;
    let target = server
        .mock_async(|when, then| {
            when.method(GET).path("/storage/obj");
            then.status(200).body("should not be fetched");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/backend-api/v1/relative/");
            then.status(302)
                .header("Location", "/storage/obj?X-Amz-Signature=abc");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/backend-api/v1/absolute/");
            then.status(307)
                .header("Location", "https://bucket.example/obj?sig=1");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/backend-api/v1/plain/");
            then.status(200).body("{}");
        })
        .await;
    let c = client(&server);
    let loc = c.get("relative/").send_redirect().await.unwrap();
    assert_eq!(loc.as_str(), server.url("/storage/obj?X-Amz-Signature=abc"));
    let loc = c.get("absolute/").send_redirect().await.unwrap();
    assert_eq!(loc.as_str(), "https://bucket.example/obj?sig=1");
    assert_eq!(target.calls_async().await, 0);

    let err = c.get("plain/").send_redirect().await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::NoRedirect {
                status: 200,
                problem: RedirectProblem::NotARedirect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("a redirect was expected"), "{err}");
    assert!(err.api().is_none() && !err.is_retryable());

    // Plain send() never follows a redirect either: a 3xx is an error there.
    let err = c.get("absolute/").send().await.unwrap_err();
    assert_eq!(err.status(), Some(307));
}

#[tokio::test]
async fn error_messages_never_contain_signed_queries() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/obj");
            then.status(403)
                .body("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        })
        .await;
    let c = client(&server);
    let url = server.url("/obj?X-Goog-Signature=supersecretsig&X-Goog-Credential=credvalue123");
    let url = url::Url::parse(&url).unwrap();
    let err = c
        .request_url(reqwest::Method::GET, url)
        .no_auth()
        .send()
        .await
        .unwrap_err();
    let shown = format!("{err} | {err:?}");
    assert!(shown.contains("SignatureDoesNotMatch"));
    assert!(
        !shown.contains("supersecretsig") && !shown.contains("credvalue123"),
        "{shown}"
    );
}
