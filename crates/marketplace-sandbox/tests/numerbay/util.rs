//! Shared helpers: a started sandbox, a non-redirecting client, login and small request helpers.

use marketplace_sandbox::Sandbox;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

/// Password of the seeded accounts other than `seller` and `buyer`.
pub const OTHER: &str = marketplace_sandbox::numerbay::OTHER_PASSWORD;

/// A sandbox plus a client that never follows redirects.
pub struct Env {
    pub sandbox: Sandbox,
    pub http: Client,
    pub nb: String,
    pub ctl: String,
}

impl Env {
    pub async fn start() -> Self {
        let sandbox = Sandbox::start().await.expect("sandbox starts");
        let nb = sandbox.info().numerbay_url.clone();
        let ctl = sandbox.info().control_url.clone();
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Env {
            sandbox,
            http,
            nb,
            ctl,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.nb, path.trim_start_matches('/'))
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let resp = self
            .http
            .post(self.url("login/access-token"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("login request");
        assert_eq!(resp.status(), StatusCode::OK, "login {username}");
        let body: Value = resp.json().await.expect("token json");
        body["access_token"].as_str().expect("access_token").to_string()
    }

    pub async fn seller(&self) -> String {
        let c = self.sandbox.info().seller.clone();
        self.login(&c.username, &c.password).await
    }

    pub async fn buyer(&self) -> String {
        let c = self.sandbox.info().buyer.clone();
        self.login(&c.username, &c.password).await
    }

    pub fn get(&self, path: &str, token: &str) -> RequestBuilder {
        self.http
            .get(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {token}"))
    }

    pub fn post(&self, path: &str, token: &str) -> RequestBuilder {
        self.http
            .post(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {token}"))
    }

    pub async fn post_json(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        json_of(self.post(path, token).json(&body).send().await.expect("request")).await
    }

    /// `POST /_sandbox/<path>` with a JSON body; panics on a non-2xx answer.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{}/{}", self.ctl, path))
            .json(&body)
            .send()
            .await
            .expect("control request");
        assert!(resp.status().is_success(), "control {path}: {}", resp.status());
        resp.json().await.expect("control json")
    }

    /// Product id by sku, via the public search.
    pub async fn product_id(&self, sku: &str) -> u64 {
        let term = sku.rsplit('-').next().unwrap_or(sku);
        let resp = self
            .http
            .post(self.url("products/search"))
            .json(&json!({ "term": term }))
            .send()
            .await
            .expect("search");
        let (_, body) = json_of(resp).await;
        body["data"]
            .as_array()
            .expect("data")
            .iter()
            .find(|p| p["sku"] == sku)
            .and_then(|p| p["id"].as_u64())
            .expect("product found by sku")
    }

    pub async fn sealed(&self) -> u64 {
        self.product_id(&self.sandbox.info().encrypted_product.clone())
            .await
    }

    pub async fn plain(&self) -> u64 {
        self.product_id(&self.sandbox.info().plain_product.clone()).await
    }

    /// The seller's active order on `product` bought by `buyer`.
    pub async fn order_of(&self, seller: &str, product: u64, buyer: &str) -> Value {
        let (status, body) = self
            .post_json(
                "orders/search",
                seller,
                json!({"role": "seller", "filters": {"product": {"in": [product]}}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        body["data"]
            .as_array()
            .expect("data")
            .iter()
            .find(|o| o["buyer"]["username"] == buyer && o["state"] == "confirmed")
            .cloned()
            .expect("order exists")
    }

    /// Product artifact upload: generate URL, PUT, validate. Returns (id, validate body).
    pub async fn upload_product_artifact(&self, token: &str, product: u64, bytes: &[u8]) -> (u64, Value) {
        let resp = self
            .post(
                &format!("products/{product}/artifacts/generate-upload-url"),
                token,
            )
            .form(&[("filename", "preds.csv")])
            .send()
            .await
            .expect("generate");
        let (status, body) = json_of(resp).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let id = body["id"].as_u64().expect("integer id");
        put(&self.http, body["url"].as_str().expect("url"), bytes.to_vec()).await;
        let resp = self
            .post(
                &format!("products/{product}/artifacts/{id}/validate-upload"),
                token,
            )
            .send()
            .await
            .expect("validate");
        let (status, body) = json_of(resp).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (id, body)
    }
}

/// Status and JSON body.
pub async fn json_of(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts `{"detail": msg}` with `status`.
pub async fn expect_detail(resp: Response, status: StatusCode, msg: &str) {
    let (got, body) = json_of(resp).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body, json!({ "detail": msg }));
}

/// PUTs bytes to a signed URL with the right content type; asserts 200.
pub async fn put(http: &Client, url: &str, bytes: Vec<u8>) {
    let resp = http
        .put(url)
        .header(CONTENT_TYPE, "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("put");
    assert_eq!(resp.status(), StatusCode::OK);
}
