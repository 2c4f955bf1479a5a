//! NumerBay request bodies: exact encodings the clients send, and tolerant decoding for the sandbox.

use marketplace_types::numerbay::*;
use serde_json::json;

use crate::fixture;
use crate::util::{decode, faithful, roundtrip};

#[test]
fn empty_order_search_is_an_empty_object() {
    assert_eq!(serde_json::to_value(OrderSearch::default()).unwrap(), json!({}));
    assert_eq!(serde_json::to_value(ProductSearch::default()).unwrap(), json!({}));
}

#[test]
fn seller_active_search_matches_the_official_client() {
    let body = OrderSearch {
        role: Some(OrderRole::Seller),
        filters: Some(OrderFilters {
            active: Some(json!(true)),
            ..OrderFilters::default()
        }),
        ..OrderSearch::default()
    };
    let want: serde_json::Value = decode(fixture!("numerbay/req_orders_search_seller_active.json"));
    assert_eq!(serde_json::to_value(&body).unwrap(), want);
    let parsed: OrderSearch = faithful(fixture!("numerbay/req_orders_search_seller_active.json"));
    assert_eq!(parsed, body);
    let buyer: OrderSearch = faithful(fixture!("numerbay/req_orders_search_buyer.json"));
    assert_eq!(buyer.role, Some(OrderRole::Buyer));
}

#[test]
fn odd_order_search_decodes_like_the_server_reads_it() {
    let parsed: OrderSearch = roundtrip(fixture!("numerbay/req_orders_search_odd.json"));
    assert_eq!(parsed.role, Some(OrderRole::Unknown("either".into())));
    assert_eq!(
        parsed.skip,
        Some(-1),
        "negative skip must reach the 400 check, not fail decoding"
    );
    let filters = parsed.filters.expect("fixture has filters");
    assert_eq!(
        filters.product.map(|f| f.values),
        Some(vec![json!(2), json!("3")])
    );
    // `"active": null` is present, so it still selects active sales.
    assert_eq!(filters.active, Some(serde_json::Value::Null));
}

#[test]
fn my_listings_search_sends_string_user_ids() {
    let body = ProductSearch {
        filters: Some(ProductFilters {
            user: Some(InFilter::new([UserId(42).to_string()])),
            ..ProductFilters::default()
        }),
        ..ProductSearch::default()
    };
    let want: serde_json::Value = decode(fixture!("numerbay/req_products_search_mine.json"));
    assert_eq!(serde_json::to_value(&body).unwrap(), want);
}

#[test]
fn full_product_search_round_trips() {
    let parsed: ProductSearch = faithful(fixture!("numerbay/req_products_search_full.json"));
    assert_eq!(parsed.id, Some(ProductId(2)));
    assert_eq!(parsed.coupon.as_deref(), Some("AB12CD34"));
    assert_eq!(parsed.rounds, Some(vec![460, 461]));
    let filters = parsed.filters.expect("fixture has filters");
    assert_eq!(filters.stake.map(|f| f.values), Some(vec![json!([0, 100])]));
}

#[test]
fn lock_bodies() {
    let lock = LockRequest {
        round_number: Some(461),
    };
    assert_eq!(serde_json::to_string(&lock).unwrap(), r#"{"round_number":461}"#);
    assert_eq!(serde_json::to_string(&LockRequest::default()).unwrap(), "{}");
    let parsed: LockRequest = faithful(fixture!("numerbay/req_lock.json"));
    assert_eq!(parsed, lock);
    let null: LockRequest = roundtrip(fixture!("numerbay/req_lock_null.json"));
    assert_eq!(null.round_number, None);
}

#[test]
fn create_order_and_submission_model_bodies() {
    // `"submit_model_id": null` in the fixture is equivalent to omitting it.
    let order: CreateOrder = roundtrip(fixture!("numerbay/req_create_order.json"));
    assert_eq!(order.submit_model_id, None);
    assert_eq!(order.id, ProductId(2));
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({"id": 2, "option_id": 5, "rounds": [460, 461], "coupon": "AB12CD34"})
    );
    let clear = SubmissionModelRequest { model_id: None };
    assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"model_id":null}"#);
}

#[test]
fn upload_url_forms_omit_unset_fields() {
    let form = UploadUrlForm {
        filename: "preds.csv".into(),
        ..UploadUrlForm::default()
    };
    assert_eq!(
        serde_json::to_value(&form).unwrap(),
        json!({"filename": "preds.csv"})
    );
    let order_form = OrderUploadUrlForm {
        order_id: OrderId(101),
        filename: "preds.csv".into(),
        is_numerai_direct: Some("true".into()),
        filesize: Some(1282),
        action: None,
        filename_suffix: None,
    };
    assert_eq!(
        serde_json::to_value(&order_form).unwrap(),
        json!({"order_id": 101, "filename": "preds.csv", "is_numerai_direct": "true", "filesize": 1282})
    );
}
