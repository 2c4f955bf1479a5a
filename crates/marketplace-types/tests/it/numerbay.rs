//! NumerBay response fixtures (spec §1–§4): decode, round-trip, and spot-check typed values.

use chrono::{NaiveDate, NaiveDateTime};
use marketplace_types::numerbay::*;
use rust_decimal::Decimal;

use crate::fixture;
use crate::util::{decode, faithful, roundtrip};

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").expect("test literal")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("test literal")
}

#[test]
fn user_decodes_every_field() {
    let user: User = faithful(fixture!("numerbay/user.json"));
    assert_eq!(user.id, UserId(42));
    assert_eq!(user.username.as_deref(), Some("alice"));
    assert_eq!(
        user.date_last_numerai_sync,
        Some(dt("2021-12-25T06:34:58.047278"))
    );
    assert_eq!(user.models.len(), 2);
    assert_eq!(user.models[0].start_date, Some(dt("2021-03-22T17:44:50")));
    let coupon = &user.coupons[0];
    assert_eq!(coupon.date_expiration, NaiveDate::from_ymd_opt(2022, 2, 1));
    assert_eq!(coupon.min_spend, Some(dec("10")));
    assert_eq!(coupon.max_discount, Some(dec("2.5")));
    assert_eq!(
        coupon.applicable_product_ids,
        Some(vec![ProductId(2), ProductId(3)])
    );
    assert_eq!(coupon.creator.as_ref().and_then(|c| c.id), Some(UserId(43)));
    assert_eq!(
        user.created_coupons[0].date_creation,
        dt("2022-01-02T03:04:05.000001")
    );
    assert!(user.created_coupons[0].is_owned_by_seller);
}

#[test]
fn token_decodes_and_debug_hides_the_jwt() {
    let token: Token = faithful(fixture!("numerbay/token.json"));
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.user.as_ref().map(|u| u.id), Some(UserId(42)));
    let debug = format!("{token:?}");
    assert!(!debug.contains("eyJ"), "token leaked in Debug: {debug}");
    assert!(debug.contains("******"));
}

#[test]
fn token_without_user_decodes() {
    let token: Token = roundtrip(r#"{"access_token": "abc", "token_type": "bearer"}"#);
    assert_eq!(token.user, None);
}

#[test]
fn product_decodes_every_field() {
    let product: Product = faithful(fixture!("numerbay/product.json"));
    assert_eq!(product.id, ProductId(2));
    assert_eq!(product.option_idx.as_deref(), Some("0"));
    assert_eq!(product.last_sale_price, Some(dec("3.3333333333333335")));
    assert_eq!(product.last_sale_price_delta, Some(dec("-0.5")));
    assert_eq!(product.round_lock, Some(460));
    let model = product.model.as_ref().expect("fixture has a model");
    assert_eq!(model.nmr_staked, Some(Decimal::new(1, 5)));
    assert!(model.latest_ranks.is_some());
    let options = product.options.as_ref().expect("fixture has options");
    assert_eq!(options[0].price, dec("9"));
    assert_eq!(options[0].special_price, Some(dec("7.2")));
    assert_eq!(options[0].mode, Some(OrderMode::File));
    assert_eq!(options[1].price, dec("9.0"));
    assert_eq!(options[1].stake_limit, Some(dec("1.2345")));
    assert_eq!(options[1].mode, Some(OrderMode::StakeWithLimit));
    assert_eq!(
        options[2].mode,
        Some(OrderMode::Unknown("some_future_mode".into()))
    );
    let category = product.category.as_ref().expect("fixture has a category");
    assert_eq!(category.slug, "numerai-predictions");
    assert_eq!(category.parent_id, Some(1));
    assert_eq!(
        product.reviews.as_ref().map(|r| r[0].reviewer.id),
        Some(Some(UserId(43)))
    );
    assert_eq!(
        product.reviews.as_ref().and_then(|r| r[0].created_at),
        Some(dt("2022-05-01T12:00:00.5"))
    );
}

#[test]
fn product_search_response_with_aggregations() {
    let resp: ProductSearchResponse = faithful(fixture!("numerbay/product_search.json"));
    assert_eq!(resp.total, 1);
    assert_eq!(resp.data.len(), 1);
    assert_eq!(resp.aggregations.len(), 3);
    assert_eq!(resp.aggregations[0].attribute_code, "status");
    assert_eq!(
        resp.aggregations[0].options[0].value,
        Some(serde_json::Value::Bool(true))
    );
    let range = &resp.aggregations[2];
    assert_eq!(range.extra.get("type"), Some(&serde_json::Value::from("range")));
    assert!(range.options[0].extra.contains_key("decimals"));
}

#[test]
fn product_search_response_without_aggregations() {
    let resp: ProductSearchResponse = roundtrip(r#"{"total": 0, "data": []}"#);
    assert!(resp.aggregations.is_empty());
}

#[test]
fn orders_page_decodes_states_modes_and_raw_artifacts() {
    let page: Page<Order> = faithful(fixture!("numerbay/orders_page.json"));
    assert_eq!(page.total, 3);
    let [first, second, third] = &page.data[..] else {
        panic!("fixture has three orders");
    };
    assert_eq!(first.id, OrderId(101));
    assert_eq!(first.state, Some(OrderState::Confirmed));
    assert_eq!(first.price, dec("3.3333333333333335"));
    assert_eq!(first.date_order, dt("2023-05-29T09:59:00.123456"));
    assert!(first.is_active_for(461));
    assert!(!first.is_active_for(462));
    assert_eq!(first.artifacts.len(), 1);
    assert_eq!(first.artifacts[0].id.as_str(), "3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a");
    assert_eq!(
        first.product.webhook.as_deref(),
        Some("https://alice.example.com/hook")
    );
    assert_eq!(second.state, Some(OrderState::Pending));
    assert_eq!(second.mode, Some(OrderMode::StakeWithLimit));
    assert_eq!(second.stake_limit, Some(Decimal::new(1, 5)));
    assert_eq!(second.submit_state, Some(SubmitState::Queued));
    assert_eq!(second.buyer, UserRef::default());
    assert!(!second.is_active_for(459), "pending orders are never active");
    assert_eq!(third.state, Some(OrderState::Unknown("refunded".into())));
    assert_eq!(
        third.submit_state,
        Some(SubmitState::Unknown("brand_new_state".into()))
    );
    assert_eq!(third.price, dec("9"));
}

#[test]
fn artifacts_page_lists_every_state() {
    let page: Page<Artifact> = faithful(fixture!("numerbay/artifacts_page.json"));
    let states: Vec<_> = page.data.iter().map(|a| a.state.clone()).collect();
    assert_eq!(
        states,
        vec![
            Some(ArtifactState::Active),
            Some(ArtifactState::Pending),
            Some(ArtifactState::Failed),
            Some(ArtifactState::Unknown("quarantined".into())),
        ]
    );
    assert_eq!(page.data[0].id, ProductArtifactId(744));
    assert_eq!(page.data[1].object_size, Some(2048));
}

#[test]
fn order_artifacts() {
    let one: OrderArtifact = faithful(fixture!("numerbay/order_artifact.json"));
    assert_eq!(one.order_id, OrderId(101));
    assert_eq!(one.is_numerai_direct, Some(false));
    let page: Page<OrderArtifact> = faithful(fixture!("numerbay/order_artifacts_page.json"));
    assert_eq!(page.data[2].state, Some(ArtifactState::MarkedForPruning));
    assert_eq!(page.data[2].date, None);
}

#[test]
fn upload_url_responses() {
    let product: UploadUrl = faithful(fixture!("numerbay/upload_url.json"));
    assert_eq!(product.id, ProductArtifactId(744));
    assert!(product.url.starts_with("https://storage.numerbay.ai/"));
    let order: OrderUploadUrl = faithful(fixture!("numerbay/order_upload_url.json"));
    assert_eq!(
        order.id,
        OrderArtifactId("3f0c2a9e8b7d4c1f9e0a6b5c4d3e2f1a".into())
    );
    assert!(order.buyer_public_key.is_some());
    let direct: OrderUploadUrl = faithful(fixture!("numerbay/order_upload_url_null_key.json"));
    assert_eq!(direct.buyer_public_key, None);
}

#[test]
fn validate_upload_raw_rows_including_empty_body() {
    let row: ArtifactRow = faithful(fixture!("numerbay/validate_upload_product.json"));
    assert_eq!(row.id, Some(ProductArtifactId(744)));
    assert_eq!(row.state, Some(ArtifactState::Active));
    let empty: OrderArtifactRow = roundtrip(fixture!("numerbay/validate_upload_order_empty.json"));
    assert_eq!(empty, OrderArtifactRow::default());
    let empty_product_row: ArtifactRow = roundtrip("{}");
    assert_eq!(empty_product_row, ArtifactRow::default());
    let nested: OrderArtifactRow = faithful(fixture!("numerbay/validate_upload_order_nested.json"));
    assert_eq!(nested.state, Some(ArtifactState::Active));
    let order = nested.order.expect("fixture has a nested order");
    assert_eq!(order["product"]["id"], serde_json::json!(2));
}

#[test]
fn lock_returns_raw_product_row() {
    let row: ProductRow = faithful(fixture!("numerbay/lock_row.json"));
    assert_eq!(row.round_lock, Some(461));
    assert_eq!(row.owner_id, Some(UserId(42)));
    assert_eq!(row.last_sale_price, Some(dec("9.0")));
    assert_eq!(row.last_sale_price_delta, Some(Decimal::new(1, 5)));
    let empty: ProductRow = roundtrip("{}");
    assert_eq!(empty, ProductRow::default());
}

#[test]
fn globals() {
    let g: Globals = faithful(fixture!("numerbay/globals.json"));
    assert_eq!((g.active_round, g.selling_round), (460, 461));
    assert_eq!(g.total_sales_nmr, Some(dec("12345.678")));
}

#[test]
fn download_url_is_a_bare_string() {
    let url: String = decode(fixture!("numerbay/download_url.json"));
    assert!(url.starts_with("https://storage.numerbay.ai/"));
}

#[test]
fn categories_with_children() {
    let cats: Vec<Category> = faithful(fixture!("numerbay/categories.json"));
    let children = cats[0].items.as_ref().expect("fixture has children");
    assert_eq!(children.len(), 2);
    assert_eq!(children[0].parent_id, None);
    assert_eq!(children[0].tournament, Some(8));
}

#[test]
fn numerai_models_and_webhook() {
    let models: Vec<NumeraiAccountModel> = faithful(fixture!("numerbay/numerai_models.json"));
    assert_eq!(
        models[0].profile_url.as_deref(),
        Some("https://numer.ai/alice_model")
    );
    let hook: WebhookPayload = faithful(fixture!("numerbay/webhook.json"));
    assert_eq!(hook.order_id, None);
    assert_eq!(hook.round_tournament, Some(461));
}

#[test]
fn error_bodies() {
    let creds: ErrorBody = faithful(fixture!("numerbay/error_credentials.json"));
    assert_eq!(
        creds.detail,
        ErrorDetail::Message("Could not validate credentials".into())
    );
    let unauth: ErrorBody = faithful(fixture!("numerbay/error_not_authenticated.json"));
    assert_eq!(unauth.detail.summary(), "Not authenticated");
    let invalid: ErrorBody = faithful(fixture!("numerbay/error_422.json"));
    assert_eq!(
        invalid.detail.summary(),
        "body.skip: value is not a valid integer; body.username: field required"
    );
    let ErrorDetail::Validation(items) = &invalid.detail else {
        panic!("422 detail is a list");
    };
    assert_eq!(items[1].kind, "value_error.missing");
    let json_invalid: ErrorBody = faithful(fixture!("numerbay/error_422_json_invalid.json"));
    assert_eq!(json_invalid.detail.summary(), "body.0: JSON decode error");
    let other: ErrorBody = roundtrip(r#"{"detail": {"weird": 1}}"#);
    assert!(matches!(other.detail, ErrorDetail::Other(_)));
}

#[test]
fn unknown_fields_are_ignored() {
    let json = r#"{"date": null, "round_tournament": 1, "object_name": null, "object_size": null,
        "state": "active", "id": 1, "product_id": 2, "brand_new_field": {"nested": [1, 2.5e3]}}"#;
    let artifact: Artifact = roundtrip(json);
    assert_eq!(artifact.id, ProductArtifactId(1));
}

#[test]
fn missing_nullable_fields_default_to_none() {
    let artifact: Artifact = roundtrip(r#"{"id": 1, "product_id": 2}"#);
    assert_eq!((artifact.date, artifact.state), (None, None));
}
