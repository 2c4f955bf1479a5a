//! Secrets never appear in Debug/Display output: keys, tokens, passwords, signed-URL queries.

mod util;

use httpmock::prelude::*;
use marketplace_core::{strip_query_str, Auth, HttpClient};
use secrecy::SecretString;
use util::{fast_config, CountingTokens};

const KEY: &str = "ck_live_0123456789abcdef";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.tokensignature";

#[tokio::test]
async fn debug_output_hides_keys_and_tokens() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/users/me");
            then.status(401).body(r#"{"detail":"Not authenticated"}"#);
        })
        .await;
    let cfg = fast_config(&server.url("/api"), 0);
    assert!(!format!("{cfg:?}").contains(KEY));

    let api_key = Auth::ApiKey(SecretString::from(KEY));
    assert!(!format!("{api_key:?}").contains(KEY));
    let keyed = HttpClient::new(cfg.clone(), api_key).unwrap();
    let err = keyed.get("users/me").send().await.unwrap_err();
    for shown in [format!("{keyed:?}"), format!("{err:?}"), format!("{err}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }

    let tokens = CountingTokens::new(&[TOKEN]);
    let bearer = Auth::Bearer(tokens.clone());
    assert!(!format!("{bearer:?}").contains(TOKEN));
    let client = HttpClient::new(cfg, bearer).unwrap();
    let err = client.get("users/me").send().await.unwrap_err();
    assert_eq!(tokens.logins(), 1, "the token is cached inside the client now");
    let request = client
        .get("users/me")
        .header("Authorization", &format!("Bearer {TOKEN}"));
    for shown in [
        format!("{client:?}"),
        format!("{err:?}"),
        format!("{err}"),
        format!("{request:?}"),
    ] {
        assert!(
            !shown.contains(TOKEN) && !shown.contains("tokensignature"),
            "{shown}"
        );
    }
}

#[test]
fn signed_queries_are_stripped() {
    assert_eq!(
        strip_query_str("https://storage.example/b/o.csv?X-Goog-Signature=abc&X-Goog-Credential=x"),
        "https://storage.example/b/o.csv"
    );
    assert_eq!(
        strip_query_str("https://u:pw@s3.example/o?X-Amz-Signature=abc"),
        "https://s3.example/o"
    );
}
