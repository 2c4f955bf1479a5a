//! Uploads: headers, Content-Length, progress, a re-opened body per retry; multipart per attempt.

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use marketplace_core::{Auth, Error, HttpClient, UploadBody};
use secrecy::SecretString;
use util::{content, fast_config, RawResponse, RawServer, Recorder};

/// A client that would send an API key, to prove uploads to signed URLs never do.
fn client(server: &RawServer) -> HttpClient {
    HttpClient::new(
        fast_config(&server.url("/api"), 3),
        Auth::ApiKey(SecretString::from("never-sent-key")),
    )
    .unwrap()
}

fn fail_first(n: usize) -> impl Fn(usize, &util::RawRequest) -> RawResponse + Send + Sync {
    move |i, _| {
        if i < n {
            RawResponse::new(503, b"")
        } else {
            RawResponse::new(200, b"")
        }
    }
}

#[tokio::test]
async fn file_upload_streams_with_headers_and_reopens_the_file_per_retry() {
    let server = RawServer::start(fail_first(2)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.csv");
    let data = content(300_000);
    std::fs::write(&path, &data).unwrap();
    let progress = Arc::new(Recorder::default());
    client(&server)
        .upload(
            &server.url("/bucket/obj?X-Goog-Signature=sig"),
            UploadBody::File(path),
            Some(progress.clone()),
        )
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.method, "PUT");
        assert_eq!(r.target, "/bucket/obj?X-Goog-Signature=sig");
        assert_eq!(r.header("content-type"), Some("application/octet-stream"));
        assert_eq!(r.header("content-length"), Some("300000"));
        assert_eq!(r.header("authorization"), None);
        assert_eq!(r.header("transfer-encoding"), None);
        assert!(r.body == data, "every attempt sends the whole file");
    }
    assert_eq!(progress.restarts.load(Ordering::SeqCst), 2);
    assert_eq!(progress.advanced.load(Ordering::SeqCst), 300_000);
    assert_eq!(progress.totals.lock().unwrap().as_slice(), &[Some(300_000); 3]);
}

#[tokio::test]
async fn bytes_and_stream_bodies_upload() {
    let server = RawServer::start(fail_first(1)).await;
    let c = client(&server);
    let data = Bytes::from(content(150_000));
    c.upload(&server.url("/a"), UploadBody::Bytes(data.clone()), None)
        .await
        .unwrap();

    let opened = Arc::new(AtomicUsize::new(0));
    let counter = opened.clone();
    let streamed = data.clone();
    let body = UploadBody::Stream {
        len: streamed.len() as u64,
        open: Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let chunks: Vec<std::io::Result<Bytes>> = streamed
                .chunks(10_000)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            Ok(futures::stream::iter(chunks).boxed())
        }),
    };
    c.upload(&server.url("/b"), body, None).await.unwrap();
    assert_eq!(opened.load(Ordering::SeqCst), 1);
    let reqs = server.requests();
    // First /a attempt failed with 503, then /a and /b succeeded.
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|r| r.body == data));
    assert_eq!(reqs[2].header("content-length"), Some("150000"));
}

#[tokio::test]
async fn missing_file_is_an_io_error_without_request() {
    let server = RawServer::start(fail_first(0)).await;
    let err = client(&server)
        .upload(
            &server.url("/a"),
            UploadBody::File("/nonexistent/dir/file.bin".into()),
            None,
        )
        .await
        .unwrap_err();
    match err {
        Error::Io { op, path, .. } => {
            assert_eq!(op, "open");
            assert_eq!(path, std::path::Path::new("/nonexistent/dir/file.bin"));
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn storage_rejection_is_typed_and_redacted() {
    let server =
        RawServer::start(|_, _| RawResponse::new(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>"))
            .await;
    let err = client(&server)
        .upload(
            &server.url("/a?X-Goog-Signature=topsecret"),
            UploadBody::Bytes(Bytes::from_static(b"x")),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LinkRefused { status: 403, .. }), "{err:?}");
    assert!(!err.is_auth());
    assert!(err.to_string().contains("SignatureDoesNotMatch"));
    assert!(!format!("{err} {err:?}").contains("topsecret"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn relative_upload_urls_are_rejected() {
    let server = RawServer::start(fail_first(0)).await;
    let err = client(&server)
        .upload("bucket/obj", UploadBody::Bytes(Bytes::new()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[tokio::test]
async fn multipart_is_rebuilt_for_every_attempt() {
    let server = RawServer::start(fail_first(1)).await;
    let builds = Arc::new(AtomicUsize::new(0));
    let counter = builds.clone();
    let file = content(20_000);
    let part_bytes = file.clone();
    let make = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let part = reqwest::multipart::Part::bytes(part_bytes.clone())
            .file_name("preds.parquet")
            .mime_str("application/octet-stream")
            .map_err(|e| Error::Config {
                message: e.to_string(),
            })?;
        Ok(reqwest::multipart::Form::new()
            .text("slot", "1")
            .part("prediction_file", part))
    });
    client(&server)
        .post("challenges/x/submissions/")
        .multipart(make)
        .send()
        .await
        .unwrap();
    assert_eq!(builds.load(Ordering::SeqCst), 2);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.target, "/api/challenges/x/submissions/");
        assert_eq!(r.header("authorization"), Some("Api-Key never-sent-key"));
        assert!(r
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("multipart/form-data; boundary=")));
        assert!(r.body.windows(file.len()).any(|w| w == file.as_slice()));
    }
}

#[tokio::test(start_paused = true)]
async fn a_stalled_upload_times_out_and_is_retried() {
    let server = RawServer::start(|_, _| RawResponse::hang()).await;
    let mut cfg = fast_config(&server.url("/"), 1);
    // On the paused clock: the idle watchdog fires without real waiting.
    cfg.request_timeout = std::time::Duration::from_secs(5);
    let c = HttpClient::new(cfg, Auth::None).unwrap();
    let err = c
        .upload(
            &server.url("/obj"),
            UploadBody::Bytes(Bytes::from_static(b"abc")),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { method, retries: 1, .. } if method == "PUT"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_slow_but_moving_upload_outlives_the_idle_timeout() {
    let server = RawServer::start(fail_first(0)).await;
    let mut cfg = fast_config(&server.url("/"), 0);
    // The whole upload takes about twice the idle timeout, but bytes keep moving.
    cfg.request_timeout = std::time::Duration::from_secs(5);
    let c = HttpClient::new(cfg, Auth::None).unwrap();
    let chunk = Bytes::from(content(1_000));
    let body = UploadBody::Stream {
        len: 20 * 1_000,
        open: Arc::new(move || {
            let chunk = chunk.clone();
            Ok(futures::stream::iter(0..20)
                .then(move |_| {
                    let chunk = chunk.clone();
                    async move {
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        Ok(chunk)
                    }
                })
                .boxed())
        }),
    };
    c.upload(&server.url("/obj"), body, None).await.unwrap();
    assert_eq!(server.requests()[0].body.len(), 20_000);
}
