//! `orders/search` and `products/search[-authenticated]` filters, paging, sorting, errors (§2.2, §2.3).

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{expect_detail, Env};

fn field<'a>(body: &'a Value, key: &str) -> Vec<&'a Value> {
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|o| &o[key])
        .collect()
}

fn buyers(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|o| o["buyer"]["username"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn buyer_holds_one_current_file_order_per_product() {
    let env = Env::start().await;
    let token = env.buyer().await;
    let (status, body) = env
        .post_json("orders/search", &token, json!({"role": "buyer"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 2);
    for o in body["data"].as_array().expect("data") {
        assert_eq!(o["state"], "confirmed");
        assert_eq!(o["mode"], "file");
        assert_eq!(o["rounds"], json!([500]));
        assert_eq!(o["submit_model_id"], Value::Null);
        assert_eq!(o["quantity"], 1);
        assert_eq!(o["chain"], "ethereum");
        // Decimal as a JSON number, naive datetime.
        assert!(o["price"].is_number());
        assert!(!o["date_order"].as_str().expect("date").ends_with('Z'));
    }
    let skus: Vec<&str> = body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|o| o["product"]["sku"].as_str().expect("sku"))
        .collect();
    let info = env.sandbox.info();
    assert!(skus.contains(&info.encrypted_product.as_str()));
    assert!(skus.contains(&info.plain_product.as_str()));
    // The encrypted product's order carries the buyer's key from the key file.
    let key_file: Value =
        serde_json::from_slice(&std::fs::read(&info.buyer_key_file).expect("key file")).expect("key json");
    let sealed = body["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|o| o["product"]["use_encryption"] == true)
        .expect("sealed order");
    assert_eq!(sealed["buyer_public_key"], key_file["public_key"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&info.buyer_key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn seller_filters_active_round_state_product_and_paging() {
    let env = Env::start().await;
    let token = env.seller().await;
    let sealed = env.sealed().await;
    let (_, all) = env
        .post_json("orders/search", &token, json!({"role": "seller"}))
        .await;
    assert_eq!(all["total"], 9);
    let ids: Vec<u64> = field(&all, "id").iter().filter_map(|v| v.as_u64()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "default sort is id desc: {ids:?}"
    );

    // Presence of `active` is enough, even with `false`.
    let (_, active) = env
        .post_json(
            "orders/search",
            &token,
            json!({"role": "seller", "filters": {"active": false}}),
        )
        .await;
    assert_eq!(active["total"], 5);
    let mut names = buyers(&active);
    names.sort();
    assert_eq!(
        names,
        ["buyer", "buyer", "direct-buyer", "keyless-buyer", "stake-buyer"]
    );

    let (_, future) = env
        .post_json(
            "orders/search",
            &token,
            json!({"role": "seller", "filters": {"round_order": {"in": ["501", 500]}}}),
        )
        .await;
    assert_eq!(buyers(&future), ["future-buyer"]);

    let (_, pending) = env
        .post_json(
            "orders/search",
            &token,
            json!({"filters": {"state": {"in": ["pending"]}}}),
        )
        .await;
    assert_eq!(buyers(&pending), ["pending-buyer"]);

    let (_, product) = env
        .post_json(
            "orders/search",
            &token,
            json!({"role": "seller", "filters": {"product": {"in": [sealed.to_string()]}}, "skip": 1, "limit": 2}),
        )
        .await;
    assert_eq!(product["total"], 8);
    assert_eq!(product["data"].as_array().map(Vec::len), Some(2));

    let resp = env
        .post("orders/search", &token)
        .json(&json!({"skip": -1}))
        .send()
        .await
        .expect("search");
    expect_detail(resp, StatusCode::BAD_REQUEST, "Skip must be positive").await;
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn order_search_validation_errors() {
    let env = Env::start().await;
    let token = env.seller().await;
    let (status, body) = env
        .post_json("orders/search", &token, json!({"skip": "abc"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"detail": [{"loc": ["body", "skip"], "msg": "value is not a valid integer", "type": "type_error.integer"}]})
    );

    let resp = env
        .post("orders/search", &token)
        .header(CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .expect("search");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    assert_eq!(body["detail"][0]["loc"], json!(["body", 0]));

    // A form body on a JSON endpoint.
    let resp = env
        .post("orders/search", &token)
        .form(&[("role", "seller")])
        .send()
        .await
        .expect("search");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["type"], "value_error.missing");

    // A wrongly shaped filter breaks the real server: text/plain 500.
    let resp = env
        .post("orders/search", &token)
        .json(&json!({"filters": {"state": ["pending"]}}))
        .send()
        .await
        .expect("search");
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(resp.text().await.expect("text"), "Internal Server Error");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn product_search_public_and_authenticated() {
    let env = Env::start().await;
    let info = env.sandbox.info().clone();
    let search = |body: Value| {
        let env = &env;
        async move {
            let resp = env
                .http
                .post(env.url("products/search"))
                .json(&body)
                .send()
                .await
                .expect("search");
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<Value>().await.expect("json")
        }
    };
    let found = search(json!({"term": "SEALED"})).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["data"][0]["sku"], info.encrypted_product.as_str());
    assert_eq!(found["data"][0]["webhook"], Value::Null);
    assert_eq!(found["data"][0]["optionIdx"], "0");
    assert!(found["aggregations"].as_array().is_some_and(|a| !a.is_empty()));

    let exact = search(json!({"category_slug": "numerai-predictions", "name": "mkt-plain"})).await;
    assert_eq!(exact["total"], 1);
    assert_eq!(exact["data"][0]["sku"], info.plain_product.as_str());
    assert_eq!(search(json!({"name": "MKT-PLAIN"})).await["total"], 0);

    let enc = search(json!({"filters": {"encryption": {"in": ["yes"]}}})).await;
    assert_eq!(enc["total"], 1);
    let by_name = search(json!({"sort": "name-up"})).await;
    let names: Vec<&Value> = field(&by_name, "name");
    assert_eq!(names, [&json!("mkt-plain"), &json!("mkt-sealed")]);
    let paged = search(json!({"skip": 1, "limit": 1})).await;
    assert_eq!(paged["total"], 2);
    assert_eq!(paged["data"].as_array().map(Vec::len), Some(1));
    // Parent category includes descendants.
    let cat = search(json!({"category_id": 1})).await;
    assert_eq!(cat["total"], 2);
    // An empty range filter matches nothing.
    let empty = search(json!({"filters": {"num_sales": {"in": []}}})).await;
    assert_eq!(empty["total"], 0);
    // Option prices scale with the number of rounds.
    let plain = search(json!({"term": "plain", "rounds": [500, 501]})).await;
    let option = &plain["data"][0]["options"][0];
    assert_eq!(option["price"], 6);
    assert_eq!(option["quantity"], 2);

    // Authenticated: the owner sees the webhook, `filters.user` lists my products.
    let token = env.seller().await;
    let (_, me) = crate::util::json_of(env.get("users/me", &token).send().await.expect("me")).await;
    let (status, mine) = env
        .post_json(
            "products/search-authenticated",
            &token,
            json!({"filters": {"user": {"in": [me["id"].to_string()]}}, "sort": "latest"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["total"], 2);
    assert!(mine["data"][0]["webhook"].is_string());
    let resp = env
        .http
        .post(env.url("products/search-authenticated"))
        .json(&json!({}))
        .send()
        .await
        .expect("s");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    env.sandbox.shutdown().await;
}
