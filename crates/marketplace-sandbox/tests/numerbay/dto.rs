//! Every NumerBay response the sandbox emits decodes into the `marketplace-types` DTOs (the wire
//! contract the clients share), so the two independent implementations agree.

use marketplace_types::numerbay as nb;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::util::{json_of, put, Env};

fn decode<T: DeserializeOwned>(what: &str, v: Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{what} does not decode: {e}\n{v:#}"))
}

async fn ok(resp: reqwest::Response) -> Value {
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn responses_decode_into_the_shared_dtos() {
    let env = Env::start().await;
    let c = env.sandbox.info().seller.clone();
    let token: nb::Token = decode(
        "token",
        ok(env
            .http
            .post(env.url("login/access-token"))
            .form(&[
                ("username", c.username.as_str()),
                ("password", c.password.as_str()),
            ])
            .send()
            .await
            .expect("login"))
        .await,
    );
    let _ = token;
    let seller = env.seller().await;
    let _: nb::User = decode(
        "user",
        ok(env.get("users/me", &seller).send().await.expect("me")).await,
    );
    let _: nb::Globals = decode(
        "globals",
        ok(env.http.get(env.url("globals/")).send().await.expect("g")).await,
    );
    let _: Vec<nb::Category> = decode(
        "categories",
        ok(env.http.get(env.url("categories/")).send().await.expect("c")).await,
    );
    let (_, orders) = env
        .post_json("orders/search", &seller, json!({"role": "seller"}))
        .await;
    let orders: nb::Page<nb::Order> = decode("orders", orders);
    assert_eq!(orders.data.len(), 9);
    let (_, products) = env
        .post_json("products/search-authenticated", &seller, json!({}))
        .await;
    let _: nb::ProductSearchResponse = decode("products", products);

    let plain = env.plain().await;
    let upload = ok(env
        .post(
            &format!("products/{plain}/artifacts/generate-upload-url"),
            &seller,
        )
        .form(&[("filename", "p.csv")])
        .send()
        .await
        .expect("gen"))
    .await;
    let upload: nb::UploadUrl = decode("upload url", upload);
    put(&env.http, &upload.url, b"id,prediction\n".to_vec()).await;
    let id = serde_json::to_value(upload.id).expect("id");
    let row = ok(env
        .post(
            &format!("products/{plain}/artifacts/{id}/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("validate"))
    .await;
    let _: nb::ArtifactRow = decode("artifact row", row);
    let list = ok(env
        .get(&format!("products/{plain}/artifacts"), &seller)
        .send()
        .await
        .expect("list"))
    .await;
    let _: nb::Page<nb::Artifact> = decode("artifacts", list);

    let sealed = env.sealed().await;
    let order = env.order_of(&seller, sealed, "buyer").await;
    let order_id = order["id"].to_string();
    let upload = ok(env
        .post("artifacts/generate-upload-url", &seller)
        .form(&[("order_id", order_id.as_str()), ("filename", "p.csv")])
        .send()
        .await
        .expect("gen"))
    .await;
    let upload: nb::OrderUploadUrl = decode("order upload url", upload);
    put(&env.http, &upload.url, vec![0u8; 60]).await;
    let id = upload.id.0.clone();
    // The first validation answers `{}` (is_ready flip), the second a row.
    ok(env
        .post(&format!("artifacts/{id}/validate-upload"), &seller)
        .send()
        .await
        .expect("v"))
    .await;
    let row = ok(env
        .post(&format!("artifacts/{id}/validate-upload"), &seller)
        .send()
        .await
        .expect("v"))
    .await;
    let _: nb::OrderArtifactRow = decode("order artifact row", row);
    let one = ok(env
        .get(&format!("artifacts/{id}"), &seller)
        .send()
        .await
        .expect("get"))
    .await;
    let _: nb::OrderArtifact = decode("order artifact", one);
    let list = ok(env
        .get("artifacts/", &seller)
        .query(&[("order_id", order_id.as_str())])
        .send()
        .await
        .expect("l"))
    .await;
    let _: nb::Page<nb::OrderArtifact> = decode("order artifacts", list);
    let (_, orders) = env
        .post_json("orders/search", &seller, json!({"id": order["id"]}))
        .await;
    let orders: nb::Page<nb::Order> = decode("order with artifacts", orders);
    assert_eq!(orders.data.len(), 1);

    let (_, locked) = env
        .post_json(&format!("products/{sealed}/lock"), &seller, json!({}))
        .await;
    let _: nb::ProductRow = decode("product row", locked);
    let (_, err) = env
        .post_json("orders/search", &seller, json!({"skip": "x"}))
        .await;
    let _: nb::ErrorBody = decode("422 body", err);
    env.sandbox.shutdown().await;
}
