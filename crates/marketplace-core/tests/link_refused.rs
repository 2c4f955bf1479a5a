//! Refused signed storage links (expired, revoked): `LinkRefused`, never an auth error, never
//! retried, the signature never shown; the API's own 401/403 stay auth errors.

mod util;

use httpmock::prelude::*;
use marketplace_core::{Auth, Error, HttpClient, UploadBody};
use secrecy::SecretString;
use util::fast_config;

fn to(path: &std::path::Path) -> mkt_fs::Destination {
    mkt_fs::Destination::user(path).resolve().unwrap()
}

const GCS_EXPIRED: &str = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>\
<Message>Invalid argument: the signed URL has expired.</Message></Error>";

/// A client holding an API key, to show that a storage refusal is not about that key.
fn client(server: &MockServer) -> HttpClient {
    HttpClient::new(
        fast_config(&server.url("/api"), 3),
        Auth::ApiKey(SecretString::from("the-api-key")),
    )
    .unwrap()
}

fn assert_link_refused(err: &Error, status: u16, method: &str, url: &str) {
    match err {
        Error::LinkRefused {
            status: s,
            method: m,
            url: u,
            ..
        } => {
            assert_eq!((*s, m.as_str(), u.as_str()), (status, method, url));
        }
        other => panic!("expected LinkRefused, got {other:?}"),
    }
    assert!(!err.is_auth(), "a refused link is not an auth error: {err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(status));
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cr3t"), "the signature leaked: {text}");
    assert!(!text.contains("credentials"), "{text}");
    assert!(err.to_string().contains("expired or was revoked"), "{err}");
}

#[tokio::test]
async fn download_refused_with_403_is_link_refused_and_not_retried() {
    let server = MockServer::start_async().await;
    let storage = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/bucket/obj.csv")
                .header_missing("authorization");
            then.status(403)
                .header("content-type", "application/xml; charset=UTF-8")
                .body(GCS_EXPIRED);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("obj.csv");
    let err = client(&server)
        .download(
            &server.url("/bucket/obj.csv?X-Goog-Signature=s3cr3t"),
            &to(&dest),
            None,
        )
        .await
        .unwrap_err();
    assert_link_refused(&err, 403, "GET", &server.url("/bucket/obj.csv"));
    assert!(
        err.to_string()
            .contains("HTTP 403: ExpiredToken: Invalid argument: the signed URL has expired."),
        "{err}"
    );
    storage.assert_calls_async(1).await;
    assert!(!dest.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );
}

#[tokio::test]
async fn download_refused_with_401_or_410_is_link_refused() {
    for status in [401u16, 410] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/obj");
                then.status(status);
            })
            .await;
        let dir = tempfile::tempdir().unwrap();
        let err = client(&server)
            .download_uncommitted(&server.url("/obj?sig=s3cr3t"), &to(&dir.path().join("o")), None)
            .await
            .unwrap_err();
        assert_link_refused(&err, status, "GET", &server.url("/obj"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[tokio::test]
async fn upload_put_refused_with_403_is_link_refused() {
    let server = MockServer::start_async().await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT).path("/bucket/up.csv");
            then.status(403)
                .header("content-type", "application/xml")
                .body(GCS_EXPIRED);
        })
        .await;
    let err = client(&server)
        .upload(
            &server.url("/bucket/up.csv?X-Goog-Signature=s3cr3t"),
            UploadBody::Bytes(bytes::Bytes::from_static(b"id,prediction\n")),
            None,
        )
        .await
        .unwrap_err();
    assert_link_refused(&err, 403, "PUT", &server.url("/bucket/up.csv"));
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn storage_404_stays_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/obj");
            then.status(404)
                .body("<?xml version='1.0'?><Error><Code>NoSuchKey</Code><Message>No such object.</Message></Error>");
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let err = client(&server)
        .download(&server.url("/obj"), &to(&dir.path().join("o")), None)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let api = err.api().expect("api error");
    assert_eq!(api.code.as_deref(), Some("NoSuchKey"));
    assert_eq!(api.message, "No such object.");
}

#[tokio::test]
async fn the_api_s_own_403_is_still_an_auth_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/me");
            then.status(403)
                .json_body(serde_json::json!({"detail": "Not enough permissions"}));
        })
        .await;
    let err = client(&server).get("me").send().await.unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.status == 403), "{err:?}");
    assert!(err.is_auth());
    assert!(!err.is_link_refused());
}
