//! Order artifacts: per-order sealed copies, Numerai-direct uploads, permissions and exact messages
//! (§2.8-§2.11, §2.13, §4.5).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{expect_detail, json_of, put, Env, OTHER};

async fn generate(env: &Env, token: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    json_of(
        env.post("artifacts/generate-upload-url", token)
            .form(form)
            .send()
            .await
            .expect("generate"),
    )
    .await
}

async fn validate(env: &Env, token: &str, id: &str) -> (StatusCode, Value) {
    json_of(
        env.post(&format!("artifacts/{id}/validate-upload"), token)
            .send()
            .await
            .expect("validate"),
    )
    .await
}

#[tokio::test]
async fn sealed_copy_for_the_buyer() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let sealed = env.sealed().await;
    let order = env.order_of(&seller, sealed, "buyer").await;
    let order_id = order["id"].to_string();

    let (status, body) = generate(
        &env,
        &seller,
        &[("order_id", &order_id), ("filename", "preds.csv")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["id"].as_str().expect("string id").to_string();
    assert_eq!(id.len(), 32);
    assert!(id
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let key_file: Value =
        serde_json::from_slice(&std::fs::read(&env.sandbox.info().buyer_key_file).expect("key"))
            .expect("key json");
    assert_eq!(body["buyer_public_key"], key_file["public_key"]);

    let (status, body) = validate(&env, &seller, &id).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Artifact file not uploaded"})
        )
    );
    // The failed validation marked it failed; a fresh URL for the real upload.
    let (_, body) = generate(
        &env,
        &seller,
        &[("order_id", &order_id), ("filename", "preds.csv")],
    )
    .await;
    let id = body["id"].as_str().expect("id").to_string();
    let ciphertext = vec![7u8; 48 + 22];
    put(&env.http, body["url"].as_str().expect("url"), ciphertext.clone()).await;
    // First validation flips the product's `is_ready`: the real server then answers `{}`.
    let (status, body) = validate(&env, &seller, &id).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));

    let buyer = env.buyer().await;
    let (status, art) = json_of(
        env.get(&format!("artifacts/{id}"), &buyer)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(art["state"], "active");
    assert_eq!(art["is_numerai_direct"], false);
    assert_eq!(art["order_id"], order["id"]);
    let (status, list) = json_of(
        env.get("artifacts/", &buyer)
            .query(&[("order_id", order_id.as_str()), ("active_only", "true")])
            .send()
            .await
            .expect("list"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["id"], id.as_str());
    let (status, url) = json_of(
        env.get(&format!("artifacts/{id}/generate-download-url"), &buyer)
            .send()
            .await
            .expect("dl"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let got = env
        .http
        .get(url.as_str().expect("bare string"))
        .send()
        .await
        .expect("get");
    assert_eq!(got.bytes().await.expect("bytes").as_ref(), ciphertext.as_slice());

    // The order now lists its artifacts; the stake buyer may not download files.
    let order = env.order_of(&seller, sealed, "buyer").await;
    assert_eq!(order["artifacts"].as_array().map(Vec::len), Some(2));
    let stake = env.login("stake-buyer", OTHER).await;
    let resp = env
        .get(&format!("artifacts/{id}/generate-download-url"), &stake)
        .send()
        .await
        .expect("dl");
    expect_detail(
        resp,
        StatusCode::FORBIDDEN,
        "Download not allowed for this artifact",
    )
    .await;
    let future = env.login("future-buyer", OTHER).await;
    let resp = env
        .get(&format!("artifacts/{id}"), &future)
        .send()
        .await
        .expect("get");
    expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    let resp = env
        .get("artifacts/", &future)
        .query(&[("order_id", order_id.as_str())])
        .send()
        .await
        .expect("l");
    expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    let (status, body) = json_of(env.get("artifacts/", &buyer).send().await.expect("list")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "order_id"]));

    // Next round: validating an old artifact is refused.
    env.control("round/advance", json!({})).await;
    let (status, body) = validate(&env, &seller, &id).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Order artifact expired"})
        )
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn numerai_direct_uploads_and_submission_failure() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let sealed = env.sealed().await;
    let direct = env.order_of(&seller, sealed, "direct-buyer").await;
    assert!(direct["submit_model_id"].is_string());
    let order_id = direct["id"].to_string();

    let form = [
        ("order_id", order_id.as_str()),
        ("filename", "preds.csv"),
        ("is_numerai_direct", "True"),
    ];
    let (status, body) = generate(&env, &seller, &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["id"].as_str().expect("id").to_string();
    put(
        &env.http,
        body["url"].as_str().expect("url"),
        b"id,prediction\n".to_vec(),
    )
    .await;
    let (status, _) = validate(&env, &seller, &id).await;
    assert_eq!(status, StatusCode::OK);
    let order = env.order_of(&seller, sealed, "direct-buyer").await;
    assert_eq!(order["submit_state"], "completed");
    assert_eq!(order["last_submit_round"], 500);
    let resp = env
        .get(&format!("artifacts/{id}/generate-download-url"), &seller)
        .send()
        .await
        .expect("dl");
    expect_detail(
        resp,
        StatusCode::BAD_REQUEST,
        "Direct Numerai submission cannot be downloaded",
    )
    .await;
    let resp = env
        .http
        .delete(env.url(&format!("artifacts/{id}")))
        .bearer_auth(&seller)
        .send()
        .await
        .expect("d");
    expect_detail(
        resp,
        StatusCode::BAD_REQUEST,
        "Direct Numerai submission cannot be deleted",
    )
    .await;

    // The fault switch makes Numerai's submission fail.
    env.control("faults/numerai-submission", json!({"fail": true}))
        .await;
    let (_, body) = generate(&env, &seller, &form).await;
    let id = body["id"].as_str().expect("id").to_string();
    put(
        &env.http,
        body["url"].as_str().expect("url"),
        b"id,prediction\n".to_vec(),
    )
    .await;
    let (status, body) = validate(&env, &seller, &id).await;
    assert_eq!(
        (status, body),
        (StatusCode::NOT_FOUND, json!({"detail": "Submission failed"}))
    );
    let order = env.order_of(&seller, sealed, "direct-buyer").await;
    assert_eq!(order["submit_state"], "failed");

    // Only exactly "true"/"True" mean direct: "TRUE" is a normal (file) upload.
    let (status, body) = generate(
        &env,
        &seller,
        &[
            ("order_id", &order_id),
            ("filename", "p.csv"),
            ("is_numerai_direct", "TRUE"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = body["id"].as_str().expect("id");
    let (_, art) = json_of(
        env.get(&format!("artifacts/{id}"), &seller)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(art["is_numerai_direct"], false);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn upload_rejections_with_exact_messages() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let sealed = env.sealed().await;
    let buyer_order = env.order_of(&seller, sealed, "buyer").await["id"].to_string();
    let stake_order = env.order_of(&seller, sealed, "stake-buyer").await["id"].to_string();

    let (status, body) = generate(
        &env,
        &seller,
        &[
            ("order_id", &buyer_order),
            ("filename", "p.csv"),
            ("is_numerai_direct", "true"),
        ],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "The order did not designate a Numerai submission slot"})
        )
    );
    let (status, body) = generate(
        &env,
        &seller,
        &[("order_id", &stake_order), ("filename", "p.csv")],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Uploading for buyer is not allowed for stake mode order"})
        )
    );
    let buyer = env.buyer().await;
    let (status, body) = generate(&env, &buyer, &[("order_id", &buyer_order), ("filename", "p.csv")]).await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!({"detail": "Not enough permissions"}))
    );
    let (status, body) = generate(&env, &seller, &[("order_id", "999999"), ("filename", "p.csv")]).await;
    assert_eq!(
        (status, body),
        (StatusCode::NOT_FOUND, json!({"detail": "Order not found"}))
    );
    let (status, body) = generate(&env, &seller, &[("order_id", "x")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "order_id"]));
    assert_eq!(body["detail"][1]["loc"], json!(["body", "filename"]));
    let (status, body) = validate(&env, &seller, "0123456789abcdef0123456789abcdef").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::NOT_FOUND,
            json!({"detail": "Order artifact not found"})
        )
    );
    env.control("round", json!({"open": false})).await;
    let (status, body) = generate(
        &env,
        &seller,
        &[("order_id", &buyer_order), ("filename", "p.csv")],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"detail": "Tournament round is not open"})
        )
    );
    env.sandbox.shutdown().await;
}
