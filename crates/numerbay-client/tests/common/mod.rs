//! Shared helpers for the httpmock contract tests: a client on a mock server, login, fixtures.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock};
use marketplace_core::{ClientConfig, RetryConfig};
use numerbay_client::{Credentials, NumerBay};
use serde_json::{json, Value};

/// API prefix on the mock server, as on the real site.
pub const API: &str = "/backend-api/v1";
pub const USER: &str = "seller1";
pub const PASSWORD: &str = "correct horse";
pub const TOKEN: &str = "tok-1";

/// Path under the API prefix.
pub fn p(path: &str) -> String {
    format!("{API}/{path}")
}

/// A config with fast retries (tests never wait long).
pub fn config(server: &MockServer) -> ClientConfig {
    let mut c = ClientConfig::new(&server.url(API)).expect("config");
    c.retry = RetryConfig {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        retry_timeout: Duration::from_secs(10),
        jitter_seed: Some(1),
    };
    c
}

/// A logged-in client (login happens lazily against [`login_mock`]).
pub fn client(server: &MockServer) -> NumerBay {
    NumerBay::new(config(server), Some(Credentials::new(USER, PASSWORD))).expect("client")
}

/// A client without credentials.
pub fn public_client(server: &MockServer) -> NumerBay {
    NumerBay::new(config(server), None).expect("client")
}

/// `POST login/access-token` accepting exactly the form login of [`USER`].
pub async fn login_mock(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(p("login/access-token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .form_urlencoded_tuple("username", USER)
                .form_urlencoded_tuple("password", PASSWORD);
            then.status(200).json_body(json!({
                "access_token": TOKEN, "token_type": "bearer", "user": user_json(1, USER)
            }));
        })
        .await
}

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

pub fn user_json(id: u64, username: &str) -> Value {
    json!({
        "email": null, "is_active": true, "is_superuser": false, "username": username,
        "public_address": null, "default_receiving_wallet_address": null,
        "date_last_numerai_sync": null, "social_discord": null, "social_linkedin": null,
        "social_twitter": null, "social_website": null, "props": null, "id": id,
        "numerai_api_key_public_id": null, "numerai_api_key_can_upload_submission": null,
        "numerai_api_key_can_stake": null, "numerai_api_key_can_read_submission_info": null,
        "numerai_api_key_can_read_user_info": null, "numerai_wallet_address": null,
        "public_key": null, "encrypted_private_key": null, "public_key_v2": null,
        "encrypted_private_key_v2": null, "models": [], "coupons": [], "created_coupons": []
    })
}

pub fn category_json() -> Value {
    json!({"name": "Predictions", "slug": "numerai-predictions", "tournament": 8,
           "is_per_round": true, "is_submission": true, "is_per_model": true, "id": 3,
           "items": [], "parent_id": 1})
}

pub fn categories_json() -> Value {
    json!([
        {"name": "Numerai", "slug": "numerai", "tournament": 8, "is_per_round": false,
         "is_submission": false, "is_per_model": false, "id": 1, "parent_id": null,
         "items": [{"name": "Predictions", "slug": "numerai-predictions", "tournament": 8,
                    "is_per_round": true, "is_submission": true, "is_per_model": true, "id": 3, "items": []}]},
        {"name": "Signals", "slug": "signals", "tournament": 11, "is_per_round": false,
         "is_submission": false, "is_per_model": false, "id": 2, "parent_id": null, "items": []}
    ])
}

pub fn product_json(id: u64, name: &str, use_encryption: bool) -> Value {
    json!({
        "avatar": null, "description": "d", "is_active": true, "use_encryption": use_encryption,
        "is_ready": false, "is_daily": false, "expiration_round": null, "total_qty_sales": 3,
        "total_qty_sales_filtered": 3, "total_qty_delivered": 1, "total_num_sales": 3,
        "last_sale_price": 9.5, "last_sale_price_delta": null, "webhook": null,
        "featured_products": null, "round_lock": null, "id": id, "name": name,
        "sku": format!("numerai-predictions-{}", name.to_lowercase()),
        "category": category_json(),
        "owner": {"id": 1, "username": USER, "default_receiving_wallet_address": null,
                  "social_discord": null, "social_linkedin": null, "social_twitter": null,
                  "social_website": null},
        "model": null, "reviews": [], "options": [], "optionIdx": "0"
    })
}

pub fn search_response(products: Vec<Value>) -> Value {
    json!({"total": products.len(), "data": products, "aggregations": []})
}

/// An order as `orders/search` returns it.
#[derive(Clone)]
pub struct OrderSpec {
    pub id: u64,
    pub product: Value,
    pub state: &'static str,
    pub rounds: Vec<u32>,
    pub mode: &'static str,
    pub key: Option<String>,
    pub model: Option<&'static str>,
    pub date: &'static str,
}

impl OrderSpec {
    pub fn new(id: u64, product: Value, round: u32) -> Self {
        Self {
            id,
            product,
            state: "confirmed",
            rounds: vec![round],
            mode: "file",
            key: None,
            model: None,
            date: "2026-01-02T10:00:00",
        }
    }

    pub fn json(&self) -> Value {
        json!({
            "date_order": self.date, "round_order": self.rounds.first().copied().unwrap_or(0),
            "rounds": self.rounds, "props": null, "price": 9, "currency": "NMR",
            "mode": self.mode, "stake_limit": null, "submit_model_id": self.model,
            "submit_model_name": null, "submit_state": null, "last_submit_round": null,
            "chain": "ethereum", "from_address": "0xb", "to_address": "0xs",
            "transaction_hash": "0xt", "state": self.state, "applied_coupon_id": null,
            "coupon": null, "coupon_specs": null, "buyer_public_key": self.key,
            "last_reminder_date": null, "id": self.id, "product": self.product,
            "buyer": {"id": 2, "username": "buyer"}, "quantity": self.rounds.len(), "artifacts": []
        })
    }
}

pub fn orders_page(orders: &[OrderSpec]) -> Value {
    json!({"total": orders.len(), "data": orders.iter().map(OrderSpec::json).collect::<Vec<_>>()})
}

pub async fn globals_mock(server: &MockServer, selling_round: u32) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path(p("globals/"));
            then.status(200).json_body(json!({
                "id": 0, "active_round": selling_round, "selling_round": selling_round,
                "is_doing_round_rollover": false, "last_round_open_processed": selling_round,
                "total_num_products": 10, "total_num_sales": 20, "total_qty_sales": 30,
                "total_sales_nmr": 123.5
            }));
        })
        .await
}

/// Bodies received by a capturing mock, in arrival order.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<Vec<u8>>>>);

impl Captured {
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.0.lock().expect("lock").clone()
    }
}

/// A responder that records each request body and answers `status`.
pub fn capture(
    captured: &Captured,
    status: u16,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let store = Arc::clone(&captured.0);
    move |req: &HttpMockRequest| {
        store.lock().expect("lock").push(req.body_ref().to_vec());
        HttpMockResponse::builder().status(status).build()
    }
}

/// A responder that answers a fresh JSON value per call, from `make(call_index)`.
pub fn sequence(
    make: impl Fn(usize) -> (u16, Value) + Send + Sync + 'static,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let n = AtomicUsize::new(0);
    move |_req: &HttpMockRequest| {
        let (status, body) = make(n.fetch_add(1, Ordering::SeqCst));
        HttpMockResponse::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body.to_string())
            .build()
    }
}
