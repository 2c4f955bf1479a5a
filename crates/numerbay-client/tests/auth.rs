//! Login, bearer handling, re-login on expiry and auth error mapping.

mod common;

use common::*;
use httpmock::prelude::*;
use numerbay_client::{Credentials, Error, NumerBay};
use serde_json::json;

#[tokio::test]
async fn login_is_form_encoded_and_the_token_is_sent_as_bearer() {
    let server = MockServer::start_async().await;
    let login = login_mock(&server).await;
    let me = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("users/me"))
                .header("authorization", bearer());
            then.status(200).json_body(user_json(1, USER));
        })
        .await;
    let nb = client(&server);
    let user = nb.me().await.expect("me");
    assert_eq!(user.username.as_deref(), Some(USER));
    // The token is cached: a second call does not log in again.
    nb.me().await.expect("me again");
    login.assert_calls_async(1).await;
    me.assert_calls_async(2).await;
}

#[tokio::test]
async fn bad_credentials_fail_at_login_with_the_server_text() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(p("login/access-token"));
            then.status(400)
                .json_body(json!({"detail": "Incorrect username or password"}));
        })
        .await;
    let me = server
        .mock_async(|when, then| {
            when.method(GET).path(p("users/me"));
            then.status(200).json_body(user_json(1, USER));
        })
        .await;
    let nb = NumerBay::new(config(&server), Some(Credentials::new(USER, "wrong"))).expect("client");
    let err = nb.me().await.expect_err("login must fail");
    assert!(err.is_auth(), "{err:?}");
    let chain = error_chain(&err);
    assert!(chain.contains("Incorrect username or password"), "{chain}");
    login.assert_calls_async(1).await;
    // Nothing was sent with a missing token (spec §8.2: no `Bearer None`).
    me.assert_calls_async(0).await;
}

#[tokio::test]
async fn expired_token_triggers_exactly_one_relogin() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path(p("login/access-token"));
            then.respond_with(sequence(|n| {
                let token = if n == 0 { "tok-old" } else { "tok-new" };
                (200, json!({"access_token": token, "token_type": "bearer"}))
            }));
        })
        .await;
    let old = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("users/me"))
                .header("authorization", "Bearer tok-old");
            then.status(403)
                .json_body(json!({"detail": "Could not validate credentials"}));
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("users/me"))
                .header("authorization", "Bearer tok-new");
            then.status(200).json_body(user_json(1, USER));
        })
        .await;
    let nb = client(&server);
    nb.me().await.expect("replayed after re-login");
    login.assert_calls_async(2).await;
    old.assert_calls_async(1).await;
    new.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_auth_error_not_a_loop() {
    let server = MockServer::start_async().await;
    let login = login_mock(&server).await;
    let me = server
        .mock_async(|when, then| {
            when.method(GET).path(p("users/me"));
            then.status(403)
                .json_body(json!({"detail": "Could not validate credentials"}));
        })
        .await;
    let err = client(&server).me().await.expect_err("403");
    assert!(err.is_auth());
    assert_eq!(err.http().and_then(|e| e.status()), Some(403));
    assert_eq!(
        err.http().and_then(|e| e.api()).map(|a| a.message.as_str()),
        Some("Could not validate credentials")
    );
    login.assert_calls_async(2).await;
    me.assert_calls_async(2).await;
}

#[tokio::test]
async fn not_authenticated_401_and_inactive_user_400_keep_their_text() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("users/me"));
            then.status(401)
                .header("www-authenticate", "Bearer")
                .json_body(json!({"detail": "Not authenticated"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search"));
            then.status(400).json_body(json!({"detail": "Inactive user"}));
        })
        .await;
    let nb = client(&server);
    let err = nb.me().await.expect_err("401");
    assert!(err.is_auth());
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 401 && a.message == "Not authenticated")
    );
    let err = nb.my_orders().await.expect_err("400");
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 400 && a.message == "Inactive user")
    );
}

#[tokio::test]
async fn calls_needing_a_login_fail_before_any_request_without_credentials() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let nb = public_client(&server);
    let err = nb.my_orders().await.expect_err("needs login");
    assert!(matches!(err, Error::CredentialsRequired { .. }));
    assert!(err.is_auth());
    // The library names what is missing; the CLI adds which variables to set.
    assert!(err.to_string().contains("needs a NumerBay login"), "{err}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn debug_output_never_shows_password_or_token() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("users/me"));
            then.status(200).json_body(user_json(1, USER));
        })
        .await;
    let nb = client(&server);
    nb.me().await.expect("me");
    let shown = format!("{nb:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        out.push_str(" | ");
        out.push_str(&e.to_string());
        cur = e.source();
    }
    out
}
