//! Signed-URL storage: content type enforcement, signature checks, expiry via the clock (§6).

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use serde_json::json;

use crate::util::{json_of, put, Env};

async fn upload_url(env: &Env) -> (String, u64, String) {
    let seller = env.seller().await;
    let plain = env.plain().await;
    let resp = env
        .post(
            &format!("products/{plain}/artifacts/generate-upload-url"),
            &seller,
        )
        .form(&[("filename", "p.csv")])
        .send()
        .await
        .expect("generate");
    let (_, body) = json_of(resp).await;
    (body["url"].as_str().expect("url").to_string(), plain, seller)
}

#[tokio::test]
async fn put_requires_octet_stream_and_a_valid_signature() {
    let env = Env::start().await;
    let (url, _, _) = upload_url(&env).await;
    for ct in [
        None,
        Some("text/csv"),
        Some("application/octet-stream; charset=utf-8"),
    ] {
        let mut req = env.http.put(&url).body("x");
        if let Some(ct) = ct {
            req = req.header(CONTENT_TYPE, ct);
        }
        let resp = req.send().await.expect("put");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{ct:?}");
        let text = resp.text().await.expect("xml");
        assert!(text.contains("<Code>SignatureDoesNotMatch</Code>"), "{text}");
    }
    // A tampered signature or key is rejected.
    let tampered = url.replace("sig=", "sig=00");
    let resp = env
        .http
        .put(&tampered)
        .header(CONTENT_TYPE, "application/octet-stream")
        .body("x")
        .send()
        .await
        .expect("put");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let other_key = url.replacen("/storage/", "/storage/other-", 1);
    let resp = env
        .http
        .put(&other_key)
        .header(CONTENT_TYPE, "application/octet-stream")
        .body("x")
        .send()
        .await
        .expect("put");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // A PUT URL does not authorize a GET.
    put(&env.http, &url, b"abc".to_vec()).await;
    assert_eq!(
        env.http.get(&url).send().await.expect("get").status(),
        StatusCode::FORBIDDEN
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn urls_expire_after_ten_minutes_of_sandbox_time() {
    let env = Env::start().await;
    let (url, _, _) = upload_url(&env).await;
    env.control("clock/advance", json!({"seconds": 599})).await;
    put(&env.http, &url, b"ok".to_vec()).await;
    env.control("clock/advance", json!({"seconds": 2})).await;
    let resp = env
        .http
        .put(&url)
        .header(CONTENT_TYPE, "application/octet-stream")
        .body("late")
        .send()
        .await
        .expect("put");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp
        .text()
        .await
        .expect("xml")
        .contains("<Code>ExpiredToken</Code>"));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn expire_urls_fault_rejects_every_issued_url() {
    let env = Env::start().await;
    let seller = env.seller().await;
    let plain = env.plain().await;
    let (id, _) = env.upload_product_artifact(&seller, plain, b"a,b\n").await;
    let resp = env
        .get(
            &format!("products/{plain}/artifacts/{id}/generate-download-url"),
            &seller,
        )
        .send()
        .await
        .expect("dl");
    let (_, url) = json_of(resp).await;
    let url = url.as_str().expect("url").to_string();
    assert_eq!(
        env.http.get(&url).send().await.expect("get").status(),
        StatusCode::OK
    );
    env.control("faults/expire-urls", json!({})).await;
    let resp = env.http.get(&url).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.expect("xml").contains("ExpiredToken"));
    // A freshly issued URL works again.
    let resp = env
        .get(
            &format!("products/{plain}/artifacts/{id}/generate-download-url"),
            &seller,
        )
        .send()
        .await
        .expect("dl");
    let (_, url) = json_of(resp).await;
    let resp = env
        .http
        .get(url.as_str().expect("url"))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.bytes().await.expect("body").as_ref(), b"a,b\n");
    env.sandbox.shutdown().await;
}
