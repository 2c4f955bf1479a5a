//! Control API: info, users, orders and confirmation.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{json_of, Env};

#[tokio::test]
async fn info_matches_the_embedded_sandbox() {
    let env = Env::start().await;
    let info: Value = env
        .http
        .get(format!("{}/info", env.ctl))
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("j");
    assert_eq!(info, serde_json::to_value(env.sandbox.info()).expect("serialize"));
    assert!(info["numerbay_url"]
        .as_str()
        .expect("url")
        .ends_with("/backend-api/v1"));
    assert!(info["crowdcent_url"].as_str().expect("url").ends_with("/api"));
    let debug = format!("{:?}", env.sandbox.info());
    assert!(!debug.contains(&env.sandbox.info().buyer.password), "{debug}");
    assert!(!debug.contains(&env.sandbox.info().crowdcent_api_key), "{debug}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn created_order_becomes_active_once_confirmed() {
    let env = Env::start().await;
    let user = env
        .control(
            "users",
            json!({"username": "carol", "password": "carol-pw", "with_key": true}),
        )
        .await;
    let key_file = user["key_file"].as_str().expect("key file");
    let key: Value = serde_json::from_slice(&std::fs::read(key_file).expect("read")).expect("json");
    assert_eq!(key["public_key"], user["public_key"]);
    let sku = env.sandbox.info().encrypted_product.clone();
    let order = env
        .control("orders", json!({"buyer": "carol", "product": sku}))
        .await;
    assert_eq!(order["state"], "pending");
    assert_eq!(order["buyer_public_key"], user["public_key"]);

    let carol = env.login("carol", "carol-pw").await;
    let sealed = env.sealed().await;
    let resp = env
        .get(&format!("products/{sealed}/artifacts"), &carol)
        .send()
        .await
        .expect("list");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let resp = env
        .http
        .post(format!("{}/orders/{}/confirm", env.ctl, order["id"]))
        .send()
        .await
        .expect("confirm");
    let (status, confirmed) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(confirmed["state"], "confirmed");
    let resp = env
        .get(&format!("products/{sealed}/artifacts"), &carol)
        .send()
        .await
        .expect("list");
    assert_eq!(resp.status(), StatusCode::OK);
    // Confirming twice is refused.
    let resp = env
        .http
        .post(format!("{}/orders/{}/confirm", env.ctl, order["id"]))
        .send()
        .await
        .expect("confirm");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = env
        .http
        .post(format!("{}/users", env.ctl))
        .json(&json!({"username": "carol", "password": "x"}))
        .send()
        .await;
    assert_eq!(resp.expect("dup").status(), StatusCode::BAD_REQUEST);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn explicit_data_dir_holds_key_files_and_objects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = marketplace_sandbox::Sandbox::start_with(marketplace_sandbox::SandboxOptions {
        port: None,
        data_dir: Some(dir.path().to_path_buf()),
    })
    .await
    .expect("start");
    let info = sandbox.info().clone();
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    assert_eq!(info.data_dir, root);
    assert!(info.buyer_key_file.starts_with(&root));
    assert!(info.buyer_key_file.is_file());
    assert!(
        root.join("objects").is_dir(),
        "seeded objects live under <data_dir>/objects"
    );
    sandbox.shutdown().await;
    assert!(root.join("objects").is_dir(), "an explicit data dir is kept");
}

#[tokio::test]
async fn tick_expires_old_pending_orders_and_settles_pending_artifacts() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let plain = env.plain().await;
    let gen = |name: &'static str| {
        env.post(
            &format!("products/{plain}/artifacts/generate-upload-url"),
            &seller,
        )
        .form(&[("filename", name)])
        .send()
    };
    let (_, uploaded) = json_of(gen("a.csv").await.expect("gen")).await;
    crate::util::put(&env.http, uploaded["url"].as_str().expect("url"), b"x".to_vec()).await;
    let (_, missing) = json_of(gen("b.csv").await.expect("gen")).await;

    let early = env.control("tick", json!({})).await;
    assert_eq!(
        early,
        json!({"expired_orders": [], "activated_artifacts": [], "failed_artifacts": []})
    );
    env.control("clock/advance", json!({"seconds": 46 * 60})).await;
    let later = env.control("tick", json!({})).await;
    assert_eq!(later["activated_artifacts"], json!([uploaded["id"]]));
    assert_eq!(later["failed_artifacts"], json!([missing["id"]]));
    assert_eq!(
        later["expired_orders"].as_array().map(Vec::len),
        Some(1),
        "the seeded pending order"
    );
    let (_, pending) = env
        .post_json(
            "orders/search",
            &seller,
            json!({"filters": {"state": {"in": ["pending"]}}}),
        )
        .await;
    assert_eq!(pending["total"], 0);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn wrong_method_is_405_with_a_detail() {
    let env = Env::start().await;
    let resp = env.http.get(env.url("orders/search")).send().await.expect("get");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body, json!({"detail": "Method Not Allowed"}));
    env.sandbox.shutdown().await;
}
