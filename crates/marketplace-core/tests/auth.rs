//! Auth: API key header, lazy bearer login, one re-login on 403, proactive re-login on JWT `exp`.

mod util;

use base64::Engine as _;
use futures::future::BoxFuture;
use httpmock::prelude::*;
use marketplace_core::{Auth, Error, HttpClient, TokenSource};
use secrecy::SecretString;
use util::{fast_config, CountingTokens};

const INVALID: &str = r#"{"detail":"Could not validate credentials"}"#;

fn bearer_client(server: &MockServer, tokens: &std::sync::Arc<CountingTokens>) -> HttpClient {
    HttpClient::new(fast_config(&server.url("/api"), 3), Auth::Bearer(tokens.clone())).unwrap()
}

fn jwt(exp: i64) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2lnbmF0dXJl",
        e.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        e.encode(format!(r#"{{"exp":{exp},"sub":"42"}}"#))
    )
}

#[tokio::test]
async fn api_key_header_is_sent() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/auth/check/")
                .header("authorization", "Api-Key k3y-value");
            then.status(200).body("{}");
        })
        .await;
    let c = HttpClient::new(
        fast_config(&server.url("/api"), 0),
        Auth::ApiKey(SecretString::from("k3y-value")),
    )
    .unwrap();
    c.get("auth/check/").send().await.unwrap();
    m.assert_async().await;
}

#[tokio::test]
async fn bearer_login_is_lazy_and_cached() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/users/me")
                .header("authorization", "Bearer tok-1");
            then.status(200).body("{}");
        })
        .await;
    let tokens = CountingTokens::new(&["tok-1", "tok-2"]);
    let c = bearer_client(&server, &tokens);
    assert_eq!(tokens.logins(), 0, "no login before the first request");
    c.get("users/me").send().await.unwrap();
    c.clone().get("users/me").send().await.unwrap();
    assert_eq!(tokens.logins(), 1, "clones share the cached token");
    assert_eq!(m.calls_async().await, 2);
}

#[tokio::test]
async fn no_auth_requests_never_log_in() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/globals/")
                .header_missing("authorization");
            then.status(200).body("{}");
        })
        .await;
    let tokens = CountingTokens::new(&["tok-1"]);
    bearer_client(&server, &tokens)
        .get("globals/")
        .no_auth()
        .send()
        .await
        .unwrap();
    assert_eq!(tokens.logins(), 0);
    m.assert_async().await;
}

#[tokio::test]
async fn rejected_token_triggers_one_relogin_and_replay() {
    let server = MockServer::start_async().await;
    let old = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/orders/search")
                .header("authorization", "Bearer old");
            then.status(403)
                .header("Content-Type", "application/json")
                .body(INVALID);
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/orders/search")
                .header("authorization", "Bearer new")
                .json_body(serde_json::json!({"role": "buyer"}));
            then.status(200).body(r#"{"total":0,"data":[]}"#);
        })
        .await;
    let tokens = CountingTokens::new(&["old", "new"]);
    let v: serde_json::Value = bearer_client(&server, &tokens)
        .post("orders/search")
        .json(&serde_json::json!({"role": "buyer"}))
        .no_retry()
        .send_json()
        .await
        .unwrap();
    assert_eq!(v["total"], 0);
    assert_eq!(tokens.logins(), 2);
    assert_eq!(old.calls_async().await, 1);
    assert_eq!(new.calls_async().await, 1);
}

#[tokio::test]
async fn relogin_happens_once_then_the_403_is_returned() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/users/me");
            then.status(403)
                .header("Content-Type", "application/json")
                .body(INVALID);
        })
        .await;
    let tokens = CountingTokens::new(&["a", "b", "c"]);
    let err = bearer_client(&server, &tokens)
        .get("users/me")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(a) if a.status == 403) && err.is_auth(),
        "{err:?}"
    );
    assert_eq!(err.api().unwrap().message, "Could not validate credentials");
    assert_eq!(tokens.logins(), 2, "exactly one re-login");
    assert_eq!(m.calls_async().await, 2);
}

#[tokio::test]
async fn other_403s_do_not_relogin() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/artifacts/abc");
            then.status(403).body(r#"{"detail":"Not enough permissions"}"#);
        })
        .await;
    let tokens = CountingTokens::new(&["a"]);
    let err = bearer_client(&server, &tokens)
        .get("artifacts/abc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().message, "Not enough permissions");
    assert_eq!(tokens.logins(), 1);
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn expired_jwt_is_replaced_before_sending() {
    let server = MockServer::start_async().await;
    let expired = jwt(1_000_000);
    let fresh = jwt(chrono::Utc::now().timestamp() + 3600);
    let with_expired = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/users/me")
                .header("authorization", format!("Bearer {expired}"));
            then.status(200).body("{}");
        })
        .await;
    let with_fresh = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/users/me")
                .header("authorization", format!("Bearer {fresh}"));
            then.status(200).body("{}");
        })
        .await;
    let tokens = CountingTokens::new(&[expired.as_str(), fresh.as_str()]);
    let c = bearer_client(&server, &tokens);
    c.get("users/me").send().await.unwrap();
    c.get("users/me").send().await.unwrap();
    c.get("users/me").send().await.unwrap();
    assert_eq!(tokens.logins(), 2);
    assert_eq!(with_expired.calls_async().await, 1);
    assert_eq!(with_fresh.calls_async().await, 2);
}

#[derive(Debug)]
struct RejectingLogin {
    url: String,
}

impl TokenSource for RejectingLogin {
    fn login(&self) -> BoxFuture<'_, marketplace_core::Result<SecretString>> {
        Box::pin(async move {
            let client = HttpClient::new(fast_config(&self.url, 0), Auth::None)?;
            let token: serde_json::Value = client
                .post("login/access-token")
                .form(&[("username", "alice"), ("password", "wrong-password")])
                .no_auth()
                .send_json()
                .await?;
            Ok(SecretString::from(
                token["access_token"].as_str().unwrap_or_default(),
            ))
        })
    }
}

#[tokio::test]
async fn failed_login_is_an_auth_error_and_sends_nothing() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/login/access-token");
            then.status(400)
                .body(r#"{"detail":"Incorrect username or password"}"#);
        })
        .await;
    let guarded = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/users/me");
            then.status(200).body("{}");
        })
        .await;
    let c = HttpClient::new(
        fast_config(&server.url("/api"), 3),
        Auth::Bearer(std::sync::Arc::new(RejectingLogin {
            url: server.url("/api"),
        })),
    )
    .unwrap();
    let err = c.get("users/me").send().await.unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    match &err {
        Error::Auth { message, source } => {
            assert!(message.contains("check the username and password"));
            let inner = source.as_deref().expect("login error kept as source");
            assert_eq!(inner.api().unwrap().message, "Incorrect username or password");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert!(!format!("{err:?}").contains("wrong-password"));
    assert_eq!(guarded.calls_async().await, 0);
}
