//! Product search (public and authenticated), resolution by full name, listings and locking.

mod common;

use common::*;
use httpmock::prelude::*;
use marketplace_types::numerbay::{ProductId, ProductSearch};
use numerbay_client::{Error, ProductRef};
use serde_json::json;

#[tokio::test]
async fn public_search_sends_no_token_and_authenticated_search_does() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let public = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search"))
                .header_missing("authorization")
                .json_body(json!({"term": "alp", "category_slug": "numerai-predictions"}));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let authed = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search-authenticated"))
                .header("authorization", bearer())
                .json_body(json!({"term": "alp"}));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", true)]));
        })
        .await;
    let nb = client(&server);
    let body = ProductSearch {
        term: Some("alp".into()),
        category_slug: Some("numerai-predictions".into()),
        ..ProductSearch::default()
    };
    let r = nb.search_products(&body).await.expect("public");
    assert_eq!(r.data[0].sku, "numerai-predictions-alpha");
    let r = nb
        .search_products_authenticated(&ProductSearch {
            term: Some("alp".into()),
            ..ProductSearch::default()
        })
        .await
        .expect("authed");
    assert_eq!(r.data[0].use_encryption, Some(true));
    public.assert_async().await;
    authed.assert_async().await;
}

#[tokio::test]
async fn full_name_resolves_with_a_narrow_search_and_exact_sku() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("categories/"));
            then.status(200).json_body(categories_json());
        })
        .await;
    // `term` is a substring match: the server also returns a longer name; the sku decides.
    let narrow = server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search")).json_body(json!({
                "category_slug": "numerai-predictions", "term": "my-model", "limit": 50
            }));
            then.status(200).json_body(search_response(vec![
                product_json(8, "My-Model-2", false),
                product_json(7, "My-Model", false),
            ]));
        })
        .await;
    let nb = public_client(&server);
    let p = nb
        .product(&ProductRef::FullName("Numerai-Predictions-My-Model".into()))
        .await
        .expect("found");
    assert_eq!(p.id, ProductId(7));
    narrow.assert_async().await;
}

#[tokio::test]
async fn unknown_name_is_not_found_with_near_matches() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("categories/"));
            then.status(200).json_body(categories_json());
        })
        .await;
    server
        .mock_async(|when, then| {
            // Both splits (`numerai-predictions` + `alpah`, `numerai` + `predictions-alpah`).
            when.method(POST)
                .path(p("products/search"))
                .body_includes("category_slug");
            then.status(200).json_body(search_response(vec![]));
        })
        .await;
    let fallback = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search"))
                .json_body(json!({"term": "alpah", "limit": 50}));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", false)]));
        })
        .await;
    let err = public_client(&server)
        .product(&ProductRef::FullName("numerai-predictions-alpah".into()))
        .await
        .expect_err("unknown");
    fallback.assert_async().await;
    assert!(err.is_not_found());
    match &err {
        Error::ProductNotFound { near, .. } => assert_eq!(near, &["numerai-predictions-alpha".to_owned()]),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err
        .to_string()
        .contains("did you mean numerai-predictions-alpha?"));
}

#[tokio::test]
async fn product_by_id_uses_the_id_field() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search"))
                .json_body(json!({"id": 7}));
            then.status(200).json_body(search_response(vec![]));
        })
        .await;
    let err = public_client(&server)
        .product(&ProductRef::Id(ProductId(7)))
        .await
        .expect_err("missing");
    m.assert_async().await;
    assert!(matches!(err, Error::ProductNotFound { .. }));
}

#[tokio::test]
async fn listings_filter_by_my_user_id() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("users/me"));
            then.status(200).json_body(user_json(42, USER));
        })
        .await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search-authenticated"))
                .json_body(json!({"skip": 0, "limit": 100, "filters": {"user": {"in": [42]}}}));
            then.status(200)
                .json_body(search_response(vec![product_json(7, "Alpha", true)]));
        })
        .await;
    let mine = client(&server).my_listings().await.expect("listings");
    m.assert_async().await;
    assert_eq!(mine.len(), 1);
}

#[tokio::test]
async fn lock_sends_the_round_as_json_and_reports_refusals() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/7/lock"))
                .header("content-type", "application/json")
                .json_body(json!({"round_number": 512}));
            then.status(200)
                .json_body(json!({"id": 7, "name": "Alpha", "round_lock": 512, "owner_id": 1,
                                              "category_id": 3, "stake": 1.5}));
        })
        .await;
    let current = server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/7/lock")).json_body(json!({}));
            then.status(400)
                .json_body(json!({"detail": "Product is already locked for this round"}));
        })
        .await;
    let nb = client(&server);
    let row = nb.lock_product(ProductId(7), Some(512)).await.expect("lock");
    assert_eq!(row.round_lock, Some(512));
    let err = nb.lock_product(ProductId(7), None).await.expect_err("refused");
    assert_eq!(
        err.http().and_then(|e| e.api()).map(|a| a.message.as_str()),
        Some("Product is already locked for this round")
    );
    ok.assert_async().await;
    current.assert_async().await;
}

#[tokio::test]
async fn near_matches_come_from_the_category_when_the_name_matches_nothing() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("categories/"));
            then.status(200).json_body(categories_json());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(p("products/search")).body_includes("term");
            then.status(200).json_body(search_response(vec![]));
        })
        .await;
    let browse = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("products/search"))
                .json_body(json!({"category_slug": "numerai-predictions", "limit": 50}));
            then.status(200).json_body(search_response(vec![
                product_json(7, "Nope2", false),
                product_json(8, "Zeta", false),
            ]));
        })
        .await;
    let err = public_client(&server)
        .product(&ProductRef::FullName("numerai-predictions-nope".into()))
        .await
        .expect_err("unknown");
    browse.assert_async().await;
    match &err {
        Error::ProductNotFound { near, .. } => {
            assert_eq!(
                near.first().map(String::as_str),
                Some("numerai-predictions-nope2")
            )
        }
        other => panic!("unexpected {other:?}"),
    }
}
