//! Challenges, auth check and the error mapping (spec §1.4, §2.1, §2.7).

mod util;

use crowdcent_client::{CrowdCent, Error};
use httpmock::prelude::*;
use secrecy::SecretString;
use serde_json::json;
use util::*;

#[tokio::test]
async fn list_challenges_sends_key_and_parses() -> TestResult {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/challenges/")
                .header("authorization", AUTH);
            then.status(200).json_body(json!([challenge_json()]));
        })
        .await;
    let list = client(&server).list_challenges().await?;
    m.assert_async().await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].slug, SLUG);
    assert_eq!(list[0].description, "Rank assets\r\nby return");
    assert!(list[0].is_active && list[0].end_date.is_none());
    Ok(())
}

#[tokio::test]
async fn get_challenge_and_unknown_slug() -> TestResult {
    let server = MockServer::start_async().await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("")).header("authorization", AUTH);
            then.status(200).json_body(challenge_json());
        })
        .await;
    let missing = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/challenges/nope/");
            then.status(404)
                .json_body(error_json("NOT_FOUND", "No Challenge matches the given query."));
        })
        .await;
    let c = client(&server);
    assert_eq!(c.challenge(SLUG)?.get().await?.id, 5);
    let err = c.challenge("nope")?.get().await.err().ok_or("expected 404")?;
    assert!(matches!(&err, Error::ChallengeNotFound { slug, .. } if slug == "nope"));
    assert!(err.is_not_found());
    assert_eq!(err.status(), Some(404));
    ok.assert_async().await;
    // 404 is not retried.
    missing.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn auth_check_parses_old_and_new_shapes() -> TestResult {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/auth/check/")
                .header("authorization", AUTH);
            then.status(200).json_body(
                json!({"username": "alice", "allow_trading": false, "oms_access": true, "allow_cloud": true}),
            );
        })
        .await;
    let a = client(&server).auth_check().await?;
    m.assert_async().await;
    assert_eq!(a.username, "alice");
    assert!(a.oms_access && !a.allow_trading);
    assert_eq!(a.allow_cloud, Some(true));
    Ok(())
}

async fn error_for(status: u16, body: Option<serde_json::Value>, text: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/auth/check/");
            let then = then.status(status);
            match body {
                Some(b) => {
                    then.json_body(b);
                }
                None => {
                    then.header("content-type", "text/plain").body(text);
                }
            }
        })
        .await;
    match client(&server).auth_check().await {
        Err(e) => e,
        Ok(v) => panic!("expected an error for {status}, got {v:?}"),
    }
}

#[tokio::test]
async fn status_401_is_auth_with_code_and_message() {
    let err = error_for(401, Some(error_json("NOT_AUTHENTICATED", "Invalid API key.")), "").await;
    assert!(err.is_auth(), "{err:?}");
    let api = err.http().and_then(|e| e.api()).cloned();
    let api = api.expect("api error");
    assert_eq!(api.status, 401);
    assert_eq!(api.code.as_deref(), Some("NOT_AUTHENTICATED"));
    assert_eq!(api.message, "Invalid API key.");
}

#[tokio::test]
async fn status_403_not_authenticated_is_auth_but_other_403_is_not() {
    let err = error_for(
        403,
        Some(error_json(
            "NOT_AUTHENTICATED",
            "Authentication credentials were not provided.",
        )),
        "",
    )
    .await;
    assert!(err.is_auth(), "{err:?}");
    let err = error_for(403, Some(error_json("KEY_NOT_CLOUD_ENABLED", "no cloud")), "").await;
    assert!(err.is_auth(), "{err:?}");
    let err = error_for(
        403,
        Some(error_json("TIER_REQUIRED", "Challenger tier required")),
        "",
    )
    .await;
    assert!(!err.is_auth(), "{err:?}");
    assert_eq!(err.status(), Some(403));
    let api = err.http().and_then(|e| e.api()).cloned().expect("api error");
    assert_eq!(api.code.as_deref(), Some("TIER_REQUIRED"));
}

#[tokio::test]
async fn status_400_422_409_keep_code_and_fields() {
    let body = json!({"error": {"code": "INVALID_SLOT", "message": "Bad slot.", "fields": {"slot": ["must be 1-5"]}}});
    let err = error_for(400, Some(body), "").await;
    let api = err.http().and_then(|e| e.api()).cloned().expect("api error");
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("INVALID_SLOT"));
    assert!(api.message.contains("Bad slot.") && api.message.contains("must be 1-5"));
    assert!(!err.is_auth() && !err.is_not_found() && !err.is_validation());

    let err = error_for(422, Some(error_json("VALIDATION", "bad")), "").await;
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 422),
        "{err:?}"
    );
    let err = error_for(409, Some(error_json("ACCOUNT_BUSY", "busy")), "").await;
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 409),
        "{err:?}"
    );
}

#[tokio::test]
async fn text_500_is_retried_then_reported_with_body() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/challenges/");
            then.status(500)
                .header("content-type", "text/plain")
                .body("Internal Server Error: boom");
        })
        .await;
    let err = client(&server).list_challenges().await.expect_err("500");
    // max_retries = 2 in the test config: three attempts.
    m.assert_calls_async(3).await;
    assert!(err.is_retryable());
    let api = err.http().and_then(|e| e.api()).cloned().expect("api error");
    assert_eq!(api.status, 500);
    assert_eq!(api.message, "Internal Server Error: boom");
    assert_eq!(api.code, None);
}

#[tokio::test]
async fn trailing_slash_of_base_url_is_tolerated() -> TestResult {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/challenges/");
            then.status(200).json_body(json!([]));
        })
        .await;
    let c = client_at(&format!("{}/api/", server.base_url()));
    assert!(c.list_challenges().await?.is_empty());
    m.assert_async().await;
    Ok(())
}

#[test]
fn missing_or_bad_inputs_fail_before_any_request() {
    assert!(matches!(
        CrowdCent::builder().api_key(SecretString::from("")).build(),
        Err(Error::MissingApiKey)
    ));
    let c = client_at("http://127.0.0.1:9/api");
    for bad in ["", "a/b", "x?y", "..", "with space"] {
        assert!(
            matches!(c.challenge(bad), Err(Error::InvalidSegment { .. })),
            "{bad:?}"
        );
    }
}
