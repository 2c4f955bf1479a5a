//! Downloads: resume with Range/If-Range (206), restart (200), cut every time, size checks, cleanup.

mod util;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use marketplace_core::{Auth, Error, HttpClient};
use mkt_fs::Destination;
use util::{content, dir_entries, fast_config, storage_response, RawResponse, RawServer, Recorder};

const ETAG: &str = "\"v1-etag\"";

fn to(path: &std::path::Path) -> Destination {
    Destination::user(path).resolve().unwrap()
}

fn client(server: &RawServer, max_retries: u32) -> HttpClient {
    HttpClient::new(fast_config(&server.url("/"), max_retries), Auth::None).unwrap()
}

#[tokio::test]
async fn cut_once_is_resumed_with_range_and_if_range() {
    let data = content(100_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, Some(ETAG), true);
        if i == 0 {
            resp.cut_at(30_000)
        } else {
            resp
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("artifact.bin");
    let progress = Arc::new(Recorder::default());
    let report = client(&server, 3)
        .download(
            &server.url("/obj?X-Goog-Signature=s3cr3t"),
            &to(&dest),
            Some(progress.clone()),
        )
        .await
        .unwrap();

    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!((report.bytes, report.resumed, report.restarted), (100_000, 1, 0));
    assert_eq!(report.path, dest);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("range"), None);
    assert_eq!(reqs[1].header("range"), Some("bytes=30000-"));
    assert_eq!(reqs[1].header("if-range"), Some(ETAG));
    assert_eq!(reqs[1].header("authorization"), None);
    assert_eq!(progress.advanced.load(Ordering::SeqCst), 100_000);
    assert_eq!(progress.restarts.load(Ordering::SeqCst), 0);
    assert_eq!(progress.totals.lock().unwrap()[0], Some(100_000));
    assert_eq!(dir_entries(dir.path()), vec!["artifact.bin".to_owned()]);
}

#[tokio::test]
async fn cut_once_without_range_support_restarts_from_zero() {
    let data = content(50_000);
    let served = data.clone();
    // The server has an ETag but ignores Range (answers 200 again).
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, Some(ETAG), false);
        if i == 0 {
            resp.cut_at(20_000)
        } else {
            resp
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let progress = Arc::new(Recorder::default());
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), Some(progress.clone()))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!((report.resumed, report.restarted), (0, 1));
    assert_eq!(server.requests()[1].header("range"), Some("bytes=20000-"));
    assert_eq!(progress.restarts.load(Ordering::SeqCst), 1);
    assert_eq!(progress.advanced.load(Ordering::SeqCst), 50_000);
}

#[tokio::test]
async fn without_etag_no_range_is_sent_and_the_download_restarts() {
    let data = content(10_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, None, true);
        if i == 0 {
            resp.cut_at(4_000)
        } else {
            resp
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!((report.resumed, report.restarted), (0, 1));
    assert_eq!(server.requests()[1].header("range"), None);
}

#[tokio::test]
async fn several_cuts_resume_each_time() {
    let data = content(40_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, Some(ETAG), true);
        if i < 3 {
            resp.cut_at(5_000)
        } else {
            resp
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(report.resumed, 3);
    let ranges: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("range").map(str::to_owned))
        .collect();
    assert_eq!(
        ranges,
        vec![
            None,
            Some("bytes=5000-".to_owned()),
            Some("bytes=10000-".to_owned()),
            Some("bytes=15000-".to_owned())
        ]
    );
}

#[tokio::test]
async fn cut_every_time_without_progress_fails_incomplete_and_leaves_no_file() {
    let data = content(10_000);
    // The first answer brings 1,000 bytes, every later one breaks off before any byte.
    let server = RawServer::start(move |i, req| {
        storage_response(req, &data, Some(ETAG), true).cut_at(if i == 0 { 1_000 } else { 0 })
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let err = client(&server, 2)
        .download(&server.url("/obj?sig=topsecret"), &to(&dest), None)
        .await
        .unwrap_err();
    match &err {
        Error::Incomplete {
            url,
            expected,
            got,
            retries,
        } => {
            assert_eq!(url, &server.url("/obj"));
            assert_eq!(*expected, 10_000);
            assert_eq!(*got, 1_000);
            assert_eq!(*retries, 2);
        }
        other => panic!("expected Incomplete, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert!(!err.to_string().contains("topsecret"));
    assert_eq!(server.requests().len(), 3);
    assert!(!dest.exists());
    assert!(
        dir_entries(dir.path()).is_empty(),
        "{:?}",
        dir_entries(dir.path())
    );
}

#[tokio::test]
async fn failed_download_keeps_an_existing_destination_untouched() {
    let server = RawServer::start(|_, _| RawResponse::new(200, &content(5_000)).cut_at(10)).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    std::fs::write(&dest, b"previous").unwrap();
    let err = client(&server, 1)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Incomplete { .. }), "{err:?}");
    assert_eq!(std::fs::read(&dest).unwrap(), b"previous");
    assert_eq!(dir_entries(dir.path()), vec!["a.bin".to_owned()]);
}

#[tokio::test]
async fn changed_total_on_resume_is_a_size_mismatch() {
    let data = content(1_000);
    let server = RawServer::start(move |i, req| {
        if i == 0 {
            storage_response(req, &data, Some(ETAG), true).cut_at(300)
        } else {
            // Same ETag but a different total: the object is not what we started with.
            RawResponse::new(206, &content(900))
                .header("Content-Range", "bytes 300-1199/1200")
                .header("ETag", ETAG)
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let err = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap_err();
    match err {
        Error::SizeMismatch { expected, got, .. } => assert_eq!((expected, got), (1_000, 1_200)),
        other => panic!("expected SizeMismatch, got {other:?}"),
    }
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test]
async fn wrong_resume_offset_restarts_cleanly() {
    let data = content(2_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| match i {
        0 => storage_response(req, &served, Some(ETAG), true).cut_at(500),
        // A broken server answering the range request at the wrong offset.
        1 => RawResponse::new(206, &served[100..])
            .header("Content-Range", "bytes 100-1999/2000")
            .header("ETag", ETAG),
        _ => storage_response(req, &served, Some(ETAG), true),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(report.restarted, 1);
    assert_eq!(server.requests()[2].header("range"), None);
}

#[tokio::test]
async fn storage_errors_map_and_hide_the_signature() {
    let xml = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>Invalid argument.</Message></Error>";
    let server = RawServer::start(move |_, _| RawResponse::new(400, xml.as_bytes())).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let err = client(&server, 3)
        .download(&server.url("/obj?X-Goog-Signature=deadbeef"), &to(&dest), None)
        .await
        .unwrap_err();
    // GCS answers an expired signature with 400 ExpiredToken: the link was refused.
    match &err {
        Error::LinkRefused {
            status, url, message, ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(message, "ExpiredToken: Invalid argument.");
            assert_eq!(url, &server.url("/obj"));
        }
        other => panic!("expected LinkRefused, got {other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains("deadbeef"));
    assert_eq!(server.requests().len(), 1, "400 is not retried");
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let data = content(3_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        if i < 2 {
            RawResponse::new(503, b"busy")
        } else {
            storage_response(req, &served, None, false)
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(report.bytes, 3_000);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
}

#[tokio::test]
async fn an_uncommitted_download_is_removed_when_dropped() {
    let data = content(7_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, Some(ETAG), true);
        if i == 0 {
            resp.cut_at(3_333)
        } else {
            resp
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("x.bin");
    let (out, report) = client(&server, 3)
        .download_uncommitted(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(report.resumed, 1);
    assert_eq!(std::fs::read(out.path().unwrap()).unwrap(), data);
    assert!(!dest.exists());
    drop(out);
    assert!(dir_entries(dir.path()).is_empty());
}

#[tokio::test]
async fn empty_file_downloads() {
    let server = RawServer::start(|_, _| RawResponse::new(200, b"")).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("empty");
    let report = client(&server, 3)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(report.bytes, 0);
    assert_eq!(std::fs::read(&dest).unwrap(), b"");
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_hits_the_idle_timeout_and_resumes() {
    let data = content(20_000);
    let served = data.clone();
    let server = RawServer::start(move |i, req| {
        let resp = storage_response(req, &served, Some(ETAG), true);
        if i == 0 {
            resp.cut_at(8_000).then_stall()
        } else {
            resp
        }
    })
    .await;
    let mut cfg = fast_config(&server.url("/"), 2);
    // On the paused clock: the stall costs no real time.
    cfg.request_timeout = std::time::Duration::from_secs(5);
    let c = HttpClient::new(cfg, Auth::None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("a.bin");
    let report = c.download(&server.url("/obj"), &to(&dest), None).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(report.resumed, 1);
    assert_eq!(server.requests()[1].header("range"), Some("bytes=8000-"));
}

#[tokio::test]
async fn a_killed_runs_partial_file_is_resumed_by_the_next_run() {
    let data = content(50_000);
    let served = data.clone();
    let server = RawServer::start(move |_, req| storage_response(req, &served, Some(ETAG), true)).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("model.parquet");
    // What a SIGKILLed run leaves: the download temp file named after the content's identity,
    // holding the first 20,000 bytes, with nobody holding its lock.
    let hex: String = ETAG.bytes().map(|b| format!("{b:02x}")).collect();
    let leftover = dir.path().join(format!(".model.parquet.mkt-dl-50000-{hex}.tmp"));
    std::fs::write(&leftover, &data[..20_000]).unwrap();
    let report = client(&server, 1)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(report.resumed, 1);
    assert_eq!(server.requests()[0].header("range"), Some("bytes=20000-"));
    assert_eq!(server.requests()[0].header("if-range"), Some(ETAG));
    assert_eq!(dir_entries(dir.path()), ["model.parquet"]);
}

#[tokio::test]
async fn a_leftover_of_other_content_is_removed_and_the_download_starts_over() {
    let data = content(9_000);
    let served = data.clone();
    // The server's content has a new ETag: If-Range fails and it answers 200 with the whole body.
    let server = RawServer::start(move |_, req| storage_response(req, &served, Some("\"v2\""), true)).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("f.bin");
    let hex: String = ETAG.bytes().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        dir.path().join(format!(".f.bin.mkt-dl-9000-{hex}.tmp")),
        b"old bytes",
    )
    .unwrap();
    std::fs::write(dir.path().join(".f.bin.mkt-Zz12Yy34.tmp"), b"stale plaintext").unwrap();
    client(&server, 1)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(dir_entries(dir.path()), ["f.bin"]);
}

#[tokio::test]
async fn a_connection_cut_every_few_kilobytes_completes_in_one_run() {
    // Every answer breaks off after 4,000 bytes; with 2 retries the budget would run out after
    // 12,000 bytes unless progress resets it.
    let data = content(60_000);
    let served = data.clone();
    let server =
        RawServer::start(move |_, req| storage_response(req, &served, Some(ETAG), true).cut_at(4_000)).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("cut.bin");
    let report = client(&server, 2)
        .download(&server.url("/obj"), &to(&dest), None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(report.resumed, 14);
}

#[tokio::test]
async fn standard_output_and_devices_get_the_bytes_without_a_temp_file() {
    let data = content(3_000);
    let served = data.clone();
    let server = RawServer::start(move |_, req| storage_response(req, &served, Some(ETAG), true)).await;
    let report = client(&server, 1)
        .download(
            &server.url("/obj"),
            &Destination::user("/dev/null").resolve().unwrap(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(report.bytes, 3_000);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}
