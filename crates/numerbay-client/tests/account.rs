//! `users/me`, `globals/`, `categories/`: request shapes and parsing.

mod common;

use common::*;
use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn me_parses_the_user() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let mut user = user_json(1, USER);
    user["public_key_v2"] = json!("CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY=");
    user["date_last_numerai_sync"] = json!("2021-03-22T17:44:50");
    let me = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("users/me"))
                .header("authorization", bearer());
            then.status(200).json_body(user);
        })
        .await;
    let u = client(&server).me().await.expect("me");
    me.assert_async().await;
    assert_eq!(u.id.get(), 1);
    assert_eq!(
        u.public_key_v2.as_deref(),
        Some("CCWYG+zssYsX3JGcuqe8iiRXQgkJPN3zaagfokCBtEY=")
    );
    assert!(u.date_last_numerai_sync.is_some());
}

#[tokio::test]
async fn globals_and_categories_need_no_login() {
    let server = MockServer::start_async().await;
    let login = login_mock(&server).await;
    let g = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("globals/"))
                .header_missing("authorization");
            then.status(200).json_body(json!({
                "id": 0, "active_round": 500, "selling_round": 501, "is_doing_round_rollover": false,
                "last_round_open_processed": 500, "total_num_products": 1, "total_num_sales": 2,
                "total_qty_sales": 3, "total_sales_nmr": 9
            }));
        })
        .await;
    let c = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(p("categories/"))
                .header_missing("authorization");
            then.status(200).json_body(categories_json());
        })
        .await;
    // Even a logged-in client sends these without a token.
    let nb = client(&server);
    let globals = nb.globals().await.expect("globals");
    assert_eq!((globals.active_round, globals.selling_round), (500, 501));
    let cats = nb.categories().await.expect("categories");
    assert_eq!(cats.len(), 2);
    assert_eq!(
        cats[0].items.as_ref().map(|i| i[0].slug.as_str()),
        Some("numerai-predictions")
    );
    g.assert_async().await;
    c.assert_async().await;
    login.assert_calls_async(0).await;
    // And a client without credentials can call them too.
    public_client(&server).globals().await.expect("public globals");
}

#[tokio::test]
async fn a_slash_redirect_is_reported_not_followed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("globals/"));
            then.status(307).header("location", server.url(p("globals")));
        })
        .await;
    let err = public_client(&server).globals().await.expect_err("307");
    assert_eq!(err.http().and_then(|e| e.status()), Some(307));
}

#[tokio::test]
async fn text_plain_500_keeps_the_body_text() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path(p("globals/"));
            then.status(500)
                .header("content-type", "text/plain")
                .body("Internal Server Error");
        })
        .await;
    let err = public_client(&server).globals().await.expect_err("500");
    assert!(err.is_retryable());
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status >= 500 && a.message == "Internal Server Error")
    );
    // GET is retried per policy (one retry in tests).
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_changed_response_shape_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("globals/"));
            then.status(200).json_body(json!({"selling_round": "soon"}));
        })
        .await;
    let err = public_client(&server).globals().await.expect_err("decode");
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Decode { .. })),
        "{err:?}"
    );
}
