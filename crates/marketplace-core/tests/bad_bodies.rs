//! Bad response bodies: malformed and truncated JSON, wrong content types and huge error bodies
//! become clear errors, never panics, and error bodies are read only up to a bound.

mod util;

use httpmock::prelude::*;
use marketplace_core::{Auth, Error, HttpClient};
use util::fast_config;

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Thing {
    id: u64,
    name: String,
}

async fn get_thing(status: u16, content_type: &str, body: Vec<u8>) -> Result<Thing, Error> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/thing/");
            then.status(status)
                .header("Content-Type", content_type)
                .body(body);
        })
        .await;
    let mut cfg = fast_config(&server.url("/api"), 0);
    cfg.retry.max_retries = 0;
    HttpClient::new(cfg, Auth::None)
        .unwrap()
        .get("thing/")
        .send_json::<Thing>()
        .await
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let err = get_thing(200, "application/json", b"{\"id\": 1, \"name\": }".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("/api/thing/"), "{err}");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let err = get_thing(200, "application/json", b"{\"id\": 1, \"na".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_wrong_field_type_names_the_json_path() {
    let err = get_thing(200, "application/json", br#"{"id": "x", "name": "a"}"#.to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let text = format!(
        "{err} {:?}",
        std::error::Error::source(&err).map(ToString::to_string)
    );
    assert!(text.contains("id"), "{text}");
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_a_decode_error() {
    let body = b"<html><body>Bad gateway from a proxy</body></html>".to_vec();
    let err = get_thing(200, "text/html", body).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn an_html_error_page_keeps_its_start_as_the_message() {
    let err = get_thing(502, "text/html", b"<html>upstream down</html>".to_vec())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.api().unwrap().message.contains("upstream down"), "{err:?}");
}

#[tokio::test]
async fn a_ten_megabyte_error_body_is_cut_to_a_short_message() {
    let body = vec![b'x'; 10 * 1024 * 1024];
    let err = get_thing(500, "text/plain", body).await.unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status >= 500), "{err:?}");
    let message = &err.api().unwrap().message;
    assert!(message.len() <= 512, "message of {} bytes", message.len());
    assert!(
        err.to_string().len() < 2048,
        "Display is {} bytes",
        err.to_string().len()
    );
}

#[tokio::test]
async fn a_ten_megabyte_json_error_body_is_bounded_too() {
    let mut body = br#"{"detail": ""#.to_vec();
    body.extend(std::iter::repeat_n(b'y', 10 * 1024 * 1024));
    body.extend(br#""}"#);
    let err = get_thing(400, "application/json", body).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.api().unwrap().message.len() <= 512);
}

#[tokio::test]
async fn an_empty_error_body_uses_the_reason_phrase() {
    let err = get_thing(503, "text/plain", Vec::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(!err.api().unwrap().message.is_empty());
}
