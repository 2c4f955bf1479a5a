//! Buying: `POST /orders/` rules in check order and `DELETE /orders/{id}` (§4.2).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{json_of, Env};

/// (product id, option id) of the first option of `sku` matching `mode` and `on_platform`.
async fn option(env: &Env, sku: &str, mode: &str, on_platform: bool) -> (u64, u64) {
    let pid = env.product_id(sku).await;
    let (_, body) = json_of(
        env.http
            .post(env.url("products/search"))
            .json(&json!({"id": pid}))
            .send()
            .await
            .expect("search"),
    )
    .await;
    let opt = body["data"][0]["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["mode"] == mode && o["is_on_platform"] == on_platform)
        .cloned()
        .expect("option");
    (pid, opt["id"].as_u64().expect("option id"))
}

async fn order(env: &Env, token: &str, body: Value) -> (StatusCode, Value) {
    env.post_json("orders/", token, body).await
}

fn detail(msg: &str) -> Value {
    json!({ "detail": msg })
}

#[tokio::test]
async fn create_order_rules_and_cancel() {
    let env = Env::start().await;
    let info = env.sandbox.info().clone();
    let (sealed, file_opt) = option(&env, &info.encrypted_product, "file", true).await;
    let (_, stake_opt) = option(&env, &info.encrypted_product, "stake", true).await;
    let (plain, off_opt) = option(&env, &info.plain_product, "file", false).await;
    let (_, plain_file) = option(&env, &info.plain_product, "file", true).await;
    let user = env
        .control(
            "users",
            json!({"username": "dave", "password": "dave-pw", "with_key": true}),
        )
        .await;
    env.control("users", json!({"username": "erin", "password": "erin-pw"}))
        .await;
    let dave = env.login("dave", "dave-pw").await;
    let erin = env.login("erin", "erin-pw").await;
    let seller = env.seller().await;
    let buyer = env.buyer().await;
    let r = 500;

    let cases = [
        (
            &erin,
            json!({"id": sealed, "option_id": file_opt, "rounds": [r]}),
            "This product requires encryption key",
        ),
        (
            &dave,
            json!({"id": plain, "option_id": off_opt, "rounds": [r]}),
            "This product option is not on-platform",
        ),
        (
            &dave,
            json!({"id": sealed, "option_id": file_opt, "rounds": []}),
            "Order quantity must be positive",
        ),
        (
            &dave,
            json!({"id": sealed, "option_id": file_opt, "rounds": [r - 1]}),
            "Invalid tournament round(s)",
        ),
        (
            &seller,
            json!({"id": plain, "option_id": plain_file, "rounds": [r]}),
            "You cannot buy your own product",
        ),
        (
            &buyer,
            json!({"id": sealed, "option_id": file_opt, "rounds": [r]}),
            "Order for this product this round already exists",
        ),
        (
            &dave,
            json!({"id": sealed, "option_id": stake_opt, "rounds": [r]}),
            "Specifying Numerai model ID for submission is required for this product option",
        ),
        (
            &dave,
            json!({"id": sealed, "option_id": file_opt, "rounds": [r], "coupon": "X1"}),
            "Coupon not found",
        ),
    ];
    for (token, body, msg) in cases {
        let (status, got) = order(&env, token, body.clone()).await;
        assert_eq!((status, got), (StatusCode::BAD_REQUEST, detail(msg)), "{body}");
    }
    let (status, got) = order(
        &env,
        &dave,
        json!({"id": 999_999, "option_id": file_opt, "rounds": [r]}),
    )
    .await;
    assert_eq!(
        (status, got),
        (StatusCode::NOT_FOUND, detail("Product not found"))
    );
    let (status, got) = order(
        &env,
        &dave,
        json!({"id": sealed, "option_id": off_opt, "rounds": [r]}),
    )
    .await;
    assert_eq!(
        (status, got),
        (StatusCode::BAD_REQUEST, detail("Invalid product option"))
    );
    let (status, got) = order(
        &env,
        &dave,
        json!({"id": sealed, "option_id": stake_opt, "rounds": [r],
        "submit_model_id": "not-my-model"}),
    )
    .await;
    assert_eq!(
        (status, got),
        (
            StatusCode::FORBIDDEN,
            detail("Invalid Numerai model ID for submission")
        )
    );
    let (status, got) = order(&env, &dave, json!({"option_id": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(got["detail"].as_array().map(Vec::len), Some(3), "{got}");

    // A valid order: pending, two rounds, price scaled, key snapshot.
    let (status, created) = order(
        &env,
        &dave,
        json!({"id": sealed, "option_id": file_opt, "rounds": [r + 1, r]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["state"], "pending");
    assert_eq!(created["rounds"], json!([r, r + 1]));
    assert_eq!(created["quantity"], 2);
    assert_eq!(created["price"], 10);
    assert_eq!(created["buyer_public_key"], user["public_key"]);
    let (status, got) = order(
        &env,
        &dave,
        json!({"id": plain, "option_id": file_opt, "rounds": [r]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
    let (status, got) = order(
        &env,
        &dave,
        json!({"id": plain, "option_id": plain_file, "rounds": [r]}),
    )
    .await;
    assert_eq!(
        (status, got),
        (
            StatusCode::BAD_REQUEST,
            detail("Please pay for or cancel your pending order before making a new order")
        )
    );

    // Only the buyer cancels, and only while pending.
    let id = created["id"].as_u64().expect("id");
    let resp = env
        .http
        .delete(env.url(&format!("orders/{id}")))
        .bearer_auth(&buyer)
        .send()
        .await
        .expect("d");
    assert_eq!(
        json_of(resp).await,
        (StatusCode::FORBIDDEN, detail("Not enough permissions"))
    );
    let resp = env
        .http
        .delete(env.url(&format!("orders/{id}")))
        .bearer_auth(&dave)
        .send()
        .await
        .expect("d");
    let (status, cancelled) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["state"], "expired");
    let resp = env
        .http
        .delete(env.url(&format!("orders/{id}")))
        .bearer_auth(&dave)
        .send()
        .await
        .expect("d");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Buy again, confirm through the control API: dave is now a current buyer.
    let (_, again) = order(
        &env,
        &dave,
        json!({"id": sealed, "option_id": file_opt, "rounds": [r]}),
    )
    .await;
    env.control(&format!("orders/{}/confirm", again["id"]), json!({}))
        .await;
    let resp = env
        .get(&format!("products/{sealed}/artifacts"), &dave)
        .send()
        .await
        .expect("list");
    assert_eq!(resp.status(), StatusCode::OK);
    env.sandbox.shutdown().await;
}
