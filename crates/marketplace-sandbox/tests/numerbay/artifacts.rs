//! Product artifacts: upload → validate → list → download with Range; permissions; lock (§2.4-§2.7, §2.12).

use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG, RANGE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{expect_detail, json_of, put, Env, OTHER};

#[tokio::test]
async fn full_upload_and_ranged_download() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let plain = env.plain().await;
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();

    let resp = env
        .post(
            &format!("products/{plain}/artifacts/generate-upload-url"),
            &seller,
        )
        .form(&[
            ("filename", "/tmp/x/preds.csv"),
            ("filesize", "10000"),
            ("filename_suffix", "v2"),
        ])
        .send()
        .await
        .expect("generate");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["id"].as_u64().expect("integer id");
    let url = body["url"].as_str().expect("url").to_string();

    // Not uploaded yet.
    let resp = env
        .post(
            &format!("products/{plain}/artifacts/{id}/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("v");
    expect_detail(resp, StatusCode::NOT_FOUND, "Artifact file not uploaded").await;

    put(&env.http, &url, bytes.clone()).await;
    let resp = env
        .post(
            &format!("products/{plain}/artifacts/{id}/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("v");
    let (status, row) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(row["state"], "active");
    assert_eq!(row["id"], id);
    let object = row["object_name"].as_str().expect("object name");
    assert!(
        object.starts_with("numerai-predictions-mkt-plain_500_"),
        "{object}"
    );
    assert!(object.ends_with("_v2.csv"), "{object}");

    // The buyer lists and downloads it.
    let buyer = env.buyer().await;
    let (status, list) = json_of(
        env.get(&format!("products/{plain}/artifacts"), &buyer)
            .send()
            .await
            .expect("l"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["object_size"], 10_000);
    let resp = env
        .get(
            &format!("products/{plain}/artifacts/{id}/generate-download-url"),
            &buyer,
        )
        .send()
        .await
        .expect("dl");
    let (status, url) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    let url = url.as_str().expect("bare JSON string").to_string();

    let resp = env.http.get(&url).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()),
        Some("10000")
    );
    let etag = resp.headers().get(ETAG).cloned().expect("etag");
    assert_eq!(resp.bytes().await.expect("body").as_ref(), bytes.as_slice());

    let resp = env
        .http
        .get(&url)
        .header(RANGE, "bytes=9000-")
        .send()
        .await
        .expect("range");
    assert_eq!(resp.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        resp.headers().get(CONTENT_RANGE).and_then(|v| v.to_str().ok()),
        Some("bytes 9000-9999/10000")
    );
    assert_eq!(resp.headers().get(ETAG), Some(&etag));
    assert_eq!(resp.bytes().await.expect("body").as_ref(), &bytes[9000..]);

    // If-Range with a stale validator: the whole object.
    let resp = env
        .http
        .get(&url)
        .header(RANGE, "bytes=9000-")
        .header("if-range", "\"stale\"")
        .send()
        .await
        .expect("if-range");
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = env
        .http
        .get(&url)
        .header(RANGE, "bytes=20000-")
        .send()
        .await
        .expect("416");
    assert_eq!(resp.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    // Delete removes row and object.
    let resp = env
        .http
        .delete(env.url(&format!("products/{plain}/artifacts/{id}")));
    let resp = resp.bearer_auth(&seller).send().await.expect("delete");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        env.http.get(&url).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn permission_and_round_errors() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let buyer = env.buyer().await;
    let sealed = env.sealed().await;
    let gen = |token: &str, product: String, form: Vec<(&'static str, &'static str)>| {
        env.post(
            &format!("products/{product}/artifacts/generate-upload-url"),
            token,
        )
        .form(&form)
        .send()
    };
    let resp = gen(&buyer, sealed.to_string(), vec![("filename", "a.csv")])
        .await
        .expect("gen");
    expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    let resp = gen(&seller, "999999".into(), vec![("filename", "a.csv")])
        .await
        .expect("gen");
    expect_detail(resp, StatusCode::NOT_FOUND, "Product not found").await;
    let resp = gen(&seller, "abc".into(), vec![]).await.expect("gen");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "product_id"]));
    assert_eq!(body["detail"][1]["loc"], json!(["body", "filename"]));
    let resp = gen(
        &seller,
        sealed.to_string(),
        vec![("filename", "a.csv"), ("action", "GET")],
    )
    .await
    .expect("gen");
    expect_detail(
        resp,
        StatusCode::BAD_REQUEST,
        "Action type must be either PUT or POST for uploads",
    )
    .await;
    let resp = gen(
        &seller,
        sealed.to_string(),
        vec![("filename", "a.csv"), ("action", "post")],
    )
    .await
    .expect("gen");
    assert_eq!(resp.status(), StatusCode::OK);

    // A product artifact on the encrypted product (for keyless buyers).
    let (aid, _) = env
        .upload_product_artifact(&seller, sealed, b"id,prediction\n")
        .await;
    // Stake-mode buyers may not download files.
    let stake = env.login("stake-buyer", OTHER).await;
    let resp = env
        .get(
            &format!("products/{sealed}/artifacts/{aid}/generate-download-url"),
            &stake,
        )
        .send()
        .await
        .expect("dl");
    expect_detail(
        resp,
        StatusCode::FORBIDDEN,
        "Download not allowed for this artifact",
    )
    .await;
    // Buyers of a future round or with an expired order are not current buyers.
    for who in ["future-buyer", "lapsed-buyer", "pending-buyer"] {
        let token = env.login(who, OTHER).await;
        let resp = env
            .get(&format!("products/{sealed}/artifacts"), &token)
            .send()
            .await
            .expect("list");
        expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    }
    let keyless = env.login("keyless-buyer", OTHER).await;
    let resp = env
        .get(
            &format!("products/{sealed}/artifacts/{aid}/generate-download-url"),
            &keyless,
        )
        .send()
        .await
        .expect("dl");
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = env
        .get(
            &format!("products/{sealed}/artifacts/99999/generate-download-url"),
            &keyless,
        )
        .send()
        .await
        .expect("dl");
    expect_detail(resp, StatusCode::NOT_FOUND, "Artifact not found").await;
    let resp = env
        .post(
            &format!("products/{sealed}/artifacts/99999/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("v");
    expect_detail(resp, StatusCode::NOT_FOUND, "Artifact not found").await;
    let plain = env.plain().await;
    let resp = env
        .post(
            &format!("products/{plain}/artifacts/{aid}/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("v");
    expect_detail(resp, StatusCode::BAD_REQUEST, "Invalid artifact ID for product").await;

    // Closed round: uploads refused.
    env.control("round", json!({"open": false})).await;
    let resp = gen(&seller, sealed.to_string(), vec![("filename", "a.csv")])
        .await
        .expect("gen");
    expect_detail(resp, StatusCode::BAD_REQUEST, "Tournament round is not open").await;

    // Next round: the old artifact is expired and no longer listed.
    let round: Value = env.control("round/advance", json!({})).await;
    assert_eq!(round["selling_round"], 501);
    let resp = env
        .post(
            &format!("products/{sealed}/artifacts/{aid}/validate-upload"),
            &seller,
        )
        .send()
        .await
        .expect("v");
    expect_detail(resp, StatusCode::BAD_REQUEST, "Artifact expired").await;
    let (_, list) = json_of(
        env.get(&format!("products/{sealed}/artifacts"), &seller)
            .send()
            .await
            .expect("l"),
    )
    .await;
    assert_eq!(list["total"], 0);
    // The buyer's round-500 order no longer grants access.
    let resp = env
        .get(&format!("products/{sealed}/artifacts"), &buyer)
        .send()
        .await
        .expect("list");
    expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn lock_moves_forward_only() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let sealed = env.sealed().await;
    let lock = |body: Value| {
        env.post(&format!("products/{sealed}/lock"), &seller)
            .json(&body)
            .send()
    };
    let (status, row) = json_of(lock(json!({"round_number": null})).await.expect("lock")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(row["round_lock"], 500);
    assert!(row.get("owner_id").is_some());
    expect_detail(
        lock(json!({"round_number": 500})).await.expect("lock"),
        StatusCode::BAD_REQUEST,
        "Product is already locked for this round",
    )
    .await;
    expect_detail(
        lock(json!({"round_number": 499})).await.expect("lock"),
        StatusCode::BAD_REQUEST,
        "Cannot lock for a past round",
    )
    .await;
    let (status, _) = json_of(lock(json!({"round_number": "x"})).await.expect("lock")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, row) = json_of(lock(json!({"round_number": 502})).await.expect("lock")).await;
    assert_eq!(row["round_lock"], 502);
    let buyer = env.buyer().await;
    let resp = env
        .post(&format!("products/{sealed}/lock"), &buyer)
        .json(&json!({}))
        .send()
        .await
        .expect("lock");
    expect_detail(resp, StatusCode::FORBIDDEN, "Not enough permissions").await;
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn multipart_forms_are_accepted_like_url_encoded_ones() {
    let env = Env::start().await;
    let c = env.sandbox.info().seller.clone();
    let form = reqwest::multipart::Form::new()
        .text("username", c.username)
        .text("password", c.password);
    let resp = env
        .http
        .post(env.url("login/access-token"))
        .multipart(form)
        .send()
        .await
        .expect("login");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    let token = body["access_token"].as_str().expect("token").to_string();
    let plain = env.plain().await;
    let form = reqwest::multipart::Form::new().text("filename", "preds.parquet");
    let resp = env
        .post(&format!("products/{plain}/artifacts/generate-upload-url"), &token)
        .multipart(form)
        .send()
        .await
        .expect("generate");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["url"].as_str().is_some_and(|u| u.contains(".parquet?")));
    env.sandbox.shutdown().await;
}
