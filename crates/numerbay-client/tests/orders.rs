//! `orders/search`: bodies, paging, client-side re-checks and error bodies.

mod common;

use common::*;
use httpmock::prelude::*;
use marketplace_types::numerbay::{OrderId, OrderRole};
use numerbay_client::{OrderQuery, SalesFilter};
use serde_json::json;

#[tokio::test]
async fn my_orders_sends_role_buyer_as_json_and_sorts_newest_first() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let product = product_json(7, "Alpha", false);
    let orders = [
        OrderSpec {
            date: "2026-01-01T00:00:00",
            ..OrderSpec::new(1, product.clone(), 500)
        },
        OrderSpec {
            date: "2026-01-03T00:00:00.123456",
            ..OrderSpec::new(2, product.clone(), 500)
        },
        OrderSpec {
            date: "2026-01-02T00:00:00",
            ..OrderSpec::new(3, product.clone(), 500)
        },
    ];
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .json_body(json!({"role": "buyer", "skip": 0, "limit": 100}));
            then.status(200).json_body(orders_page(&orders));
        })
        .await;
    let got = client(&server).my_orders().await.expect("orders");
    m.assert_async().await;
    let ids: Vec<u64> = got.iter().map(|o| o.id.get()).collect();
    assert_eq!(ids, [2, 3, 1]);
}

#[tokio::test]
async fn listing_pages_through_skip_and_limit() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let product = product_json(7, "Alpha", false);
    let first: Vec<OrderSpec> = (1..=100)
        .map(|i| OrderSpec::new(i, product.clone(), 500))
        .collect();
    let second: Vec<OrderSpec> = (101..=130)
        .map(|i| OrderSpec::new(i, product.clone(), 500))
        .collect();
    let total = |mut v: serde_json::Value| {
        v["total"] = json!(130);
        v
    };
    let p1 = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"skip": 0, "limit": 100}"#);
            then.status(200).json_body(total(orders_page(&first)));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"skip": 100, "limit": 100}"#);
            then.status(200).json_body(total(orders_page(&second)));
        })
        .await;
    let got = client(&server).my_orders().await.expect("orders");
    assert_eq!(got.len(), 130);
    p1.assert_async().await;
    p2.assert_async().await;
}

#[tokio::test]
async fn a_server_ignoring_skip_and_lying_about_total_does_not_loop() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let product = product_json(7, "Alpha", false);
    let page: Vec<OrderSpec> = (1..=100)
        .map(|i| OrderSpec::new(i, product.clone(), 500))
        .collect();
    let mut body = orders_page(&page);
    body["total"] = json!(1_000_000_000u64);
    // Every request gets the same full page, whatever its `skip`.
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search"));
            then.status(200).json_body(body);
        })
        .await;
    let got = client(&server).my_orders().await.expect("orders");
    assert_eq!(got.len(), 100);
    // The second page brought nothing new: the listing ends there.
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn active_sales_filter_by_round_and_recheck_client_side() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    globals_mock(&server, 500).await;
    let product = product_json(7, "Alpha", true);
    // The server returns more than asked; the client keeps only confirmed orders covering 500.
    let orders = [
        OrderSpec::new(1, product.clone(), 500),
        OrderSpec {
            state: "pending",
            ..OrderSpec::new(2, product.clone(), 500)
        },
        OrderSpec::new(3, product.clone(), 499),
    ];
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search")).json_body(json!({
                "role": "seller", "skip": 0, "limit": 100,
                "filters": {"state": {"in": ["confirmed"]}, "round_order": {"in": [500]}}
            }));
            then.status(200).json_body(orders_page(&orders));
        })
        .await;
    let got = client(&server)
        .my_sales(SalesFilter::ActiveThisRound)
        .await
        .expect("sales");
    m.assert_async().await;
    assert_eq!(got.iter().map(|o| o.id).collect::<Vec<_>>(), [OrderId(1)]);
}

#[tokio::test]
async fn the_order_stream_sends_the_same_query_and_rechecks_client_side() {
    use futures::TryStreamExt;
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let product = product_json(7, "Alpha", true);
    let orders = [
        OrderSpec::new(3, product.clone(), 500),
        OrderSpec::new(2, product.clone(), 499),
        OrderSpec::new(1, product.clone(), 500),
    ];
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path(p("orders/search")).json_body(json!({
                "role": "seller", "skip": 0, "limit": 100,
                "filters": {"state": {"in": ["confirmed"]}, "round_order": {"in": [500]}}
            }));
            then.status(200).json_body(orders_page(&orders));
        })
        .await;
    let query = OrderQuery {
        role: Some(marketplace_types::numerbay::OrderRole::Seller),
        product: None,
        active_in_round: Some(500),
    };
    let nb = client(&server);
    let got: Vec<_> = nb.orders_stream(&query).try_collect().await.expect("stream");
    m.assert_async().await;
    assert_eq!(
        got.iter().map(|o| o.id).collect::<Vec<_>>(),
        [OrderId(3), OrderId(1)]
    );
}

#[tokio::test]
async fn order_by_id_and_product_filter() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body(json!({"role": "buyer", "id": 5}));
            then.status(200).json_body(orders_page(&[OrderSpec::new(
                5,
                product_json(7, "Alpha", false),
                1,
            )]));
        })
        .await;
    let nb = client(&server);
    let o = nb.order(OrderId(5), Some(OrderRole::Buyer)).await.expect("order");
    assert_eq!(
        o.map(|o| o.product.sku),
        Some("numerai-predictions-alpha".to_owned())
    );
    m.assert_async().await;
    let filtered = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"filters": {"product": {"in": [9]}}}"#);
            then.status(200).json_body(orders_page(&[]));
        })
        .await;
    let none = nb
        .list_orders(&OrderQuery {
            product: Some(9.into()),
            ..OrderQuery::default()
        })
        .await
        .expect("list");
    assert!(none.is_empty());
    filtered.assert_async().await;
}

#[tokio::test]
async fn error_bodies_become_typed_errors_with_the_server_text() {
    let server = MockServer::start_async().await;
    login_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"role": "buyer"}"#);
            then.status(400)
                .json_body(json!({"detail": "Skip must be positive"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("orders/search"))
                .json_body_includes(r#"{"role": "seller"}"#);
            then.status(422).json_body(json!({"detail": [
                {"loc": ["body", "skip"], "msg": "value is not a valid integer", "type": "type_error.integer"}
            ]}));
        })
        .await;
    let nb = client(&server);
    let err = nb.my_orders().await.expect_err("400");
    assert!(
        matches!(err.http(), Some(marketplace_core::Error::Api(a)) if a.status == 400 && a.message == "Skip must be positive")
    );
    let err = nb.my_sales(SalesFilter::All).await.expect_err("422");
    match err.http() {
        Some(marketplace_core::Error::Api(a)) if a.status == 422 => {
            assert_eq!(a.message, "body.skip: value is not a valid integer");
            assert!(a.detail.as_ref().is_some_and(|d| d.is_array()));
        }
        other => panic!("unexpected {other:?}"),
    }
}
