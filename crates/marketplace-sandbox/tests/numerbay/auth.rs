//! Login, token expiry and the 401/403/422 shapes (spec §1.2-§1.4).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::util::{expect_detail, json_of, Env};

#[tokio::test]
async fn login_returns_an_hs256_token_with_exp_and_sub_only() {
    let env = Env::start().await;
    let c = env.sandbox.info().seller.clone();
    let resp = env
        .http
        .post(env.url("login/access-token"))
        .form(&[
            ("username", c.username.as_str()),
            ("password", c.password.as_str()),
        ])
        .send()
        .await
        .expect("login");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["user"]["username"], "seller");
    let token = body["access_token"].as_str().expect("token");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
    assert_eq!(header["alg"], "HS256");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    let keys: Vec<&String> = claims.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["exp", "sub"]);
    assert_eq!(claims["sub"], body["user"]["id"].to_string());

    let resp = env.get("users/me", token).send().await.expect("me");
    let (status, me) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "seller");
    assert!(me.as_object().expect("user").contains_key("public_key_v2"));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_credentials_and_wrong_body_kind() {
    let env = Env::start().await;
    let resp = env
        .http
        .post(env.url("login/access-token"))
        .form(&[("username", "seller"), ("password", "nope")])
        .send()
        .await
        .expect("login");
    expect_detail(resp, StatusCode::BAD_REQUEST, "Incorrect username or password").await;

    // JSON instead of a form: both fields missing, pydantic-v1 shape.
    let resp = env
        .http
        .post(env.url("login/access-token"))
        .json(&json!({"username": "seller", "password": "x"}))
        .send()
        .await
        .expect("login");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"detail": [
            {"loc": ["body", "username"], "msg": "field required", "type": "value_error.missing"},
            {"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"},
        ]})
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn missing_token_is_401_bad_or_expired_token_is_403() {
    let env = Env::start().await;
    let resp = env.http.get(env.url("users/me")).send().await.expect("me");
    assert_eq!(
        resp.headers().get(WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    expect_detail(resp, StatusCode::UNAUTHORIZED, "Not authenticated").await;

    let resp = env
        .http
        .get(env.url("users/me"))
        .header(AUTHORIZATION, "Basic c2VsbGVyOng=")
        .send()
        .await
        .expect("me");
    expect_detail(resp, StatusCode::UNAUTHORIZED, "Not authenticated").await;

    let resp = env.get("users/me", "not-a-jwt").send().await.expect("me");
    expect_detail(resp, StatusCode::FORBIDDEN, "Could not validate credentials").await;

    // Auth runs before body validation: no token + malformed body is still 401.
    let resp = env
        .http
        .post(env.url("orders/search"))
        .json(&json!({"skip": "x"}))
        .send()
        .await
        .expect("search");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Scheme is matched case-insensitively.
    let token = env.buyer().await;
    let resp = env
        .http
        .get(env.url("users/me"))
        .header(AUTHORIZATION, format!("bearer {token}"))
        .send()
        .await
        .expect("me");
    assert_eq!(resp.status(), StatusCode::OK);

    // 8 days later the token has expired: 403, not 401.
    env.control("clock/advance", json!({"seconds": 8 * 24 * 3600 + 60}))
        .await;
    let resp = env.get("users/me", &token).send().await.expect("me");
    expect_detail(resp, StatusCode::FORBIDDEN, "Could not validate credentials").await;
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn slash_redirects_globals_and_categories() {
    let env = Env::start().await;
    let resp = env.http.get(env.url("globals")).send().await.expect("globals");
    assert_eq!(resp.status(), StatusCode::TEMPORARY_REDIRECT);
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location");
    assert_eq!(location, env.url("globals/"));
    let resp = env.http.get(env.url("users/me/")).send().await.expect("me/");
    assert_eq!(resp.status(), StatusCode::TEMPORARY_REDIRECT);

    let (status, g) = json_of(env.http.get(env.url("globals/")).send().await.expect("globals")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(g["selling_round"], 500);
    assert_eq!(g["active_round"], 500);

    let resp = env
        .http
        .get(env.url("categories/"))
        .query(&[("slug", "numerai-predictions")])
        .send()
        .await
        .expect("categories");
    let (status, cats) = json_of(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cats.as_array().map(Vec::len), Some(1));
    assert_eq!(cats[0]["is_per_round"], true);
    assert_eq!(cats[0]["tournament"], 8);

    let resp = env
        .http
        .get(env.url("categories/abc"))
        .send()
        .await
        .expect("category");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "category_id"]));

    let resp = env.http.get(env.url("no/such/route")).send().await.expect("404");
    expect_detail(resp, StatusCode::NOT_FOUND, "Not Found").await;
    env.sandbox.shutdown().await;
}
