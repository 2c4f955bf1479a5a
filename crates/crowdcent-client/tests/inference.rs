//! Inference periods, their downloads, and waiting for publication (spec §2.3, §3.2, §8.8).

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crowdcent_client::{DataFormat, Error, InferenceRef, ReleaseDate, WaitOptions};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::json;
use util::*;

fn to(path: &std::path::Path) -> mkt_fs::Destination {
    mkt_fs::Destination::user(path).resolve().expect("destination")
}

fn fast_wait(timeout_ms: u64) -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        timeout: Some(Duration::from_millis(timeout_ms)),
        jitter: 0.1,
    }
}

#[tokio::test]
async fn list_current_and_date() -> TestResult {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("inference_data/"))
                .header("authorization", AUTH);
            then.status(200).json_body(json!([
                period_json(1, "2025-06-08"),
                period_json(2, "2025-06-09")
            ]));
        })
        .await;
    let current = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/current/"));
            then.status(200).json_body(period_json(2, "2025-06-09"));
        })
        .await;
    let dated = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/2025-06-08/"));
            then.status(200).json_body(period_json(1, "2025-06-08"));
        })
        .await;
    let ch = client(&server).challenge(SLUG)?;
    let all = ch.list_inference_periods().await?;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].time_remaining.as_deref(), Some("1.7 hours"));
    assert_eq!(ch.inference_period(InferenceRef::Current).await?.id, 2);
    assert_eq!(ch.inference_period("2025-06-08".parse()?).await?.id, 1);
    list.assert_async().await;
    current.assert_async().await;
    dated.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn no_open_period_is_not_found() -> TestResult {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/current/"));
            then.status(404)
                .json_body(error_json("NOT_FOUND", "No open period."));
        })
        .await;
    let err = client(&server)
        .challenge(SLUG)?
        .inference_period(InferenceRef::Current)
        .await
        .err()
        .ok_or("expected 404")?;
    assert!(err.is_not_found(), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn latest_is_the_newest_release_by_time_not_by_string() -> TestResult {
    let server = MockServer::start_async().await;
    // "…00Z" > "…00.500Z" as strings, but .500 is later: string order would pick the wrong one.
    let mut late = period_json(7, "2025-06-10");
    late["release_date"] = json!("2025-06-10T14:00:00.500Z");
    let mut early = period_json(6, "2025-06-10");
    early["release_date"] = json!("2025-06-10T14:00:00Z");
    server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/"));
            then.status(200)
                .json_body(json!([period_json(5, "2025-06-09"), late, early]));
        })
        .await;
    let redirect = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("inference_data/2025-06-10/download/"));
            then.status(302)
                .header("location", "https://s.example/inf.parquet?sig=1");
        })
        .await;
    let ch = client(&server).challenge(SLUG)?;
    assert_eq!(ch.inference_period(InferenceRef::Latest).await?.id, 7);
    assert_eq!(
        ch.resolve_inference_date(InferenceRef::Latest).await?,
        "2025-06-10".parse::<ReleaseDate>()?
    );
    let url = ch
        .inference_url(InferenceRef::Latest, DataFormat::Parquet)
        .await?;
    assert_eq!(url.as_str(), "https://s.example/inf.parquet?sig=1");
    redirect.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn latest_of_an_empty_list_is_not_found() -> TestResult {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/"));
            then.status(200).json_body(json!([]));
        })
        .await;
    let err = client(&server)
        .challenge(SLUG)?
        .inference_period(InferenceRef::Latest)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(matches!(err, Error::NoInferencePeriods { .. }));
    assert!(err.is_not_found());
    Ok(())
}

#[test]
fn non_canonical_dates_are_refused_locally() {
    for bad in ["2025-1-5", "2025-02-30", "2025-01-05T00:00:00", "tomorrow"] {
        assert!(
            matches!(bad.parse::<InferenceRef>(), Err(Error::InvalidDate { .. })),
            "{bad}"
        );
    }
}

/// The current-download endpoint answers 404 for the first `not_yet` calls, then redirects.
async fn publishing_after(
    api: &MockServer,
    storage: &MockServer,
    not_yet: usize,
    failure_status: u16,
) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let location = format!("{}/inf.parquet?sig=s", storage.base_url());
    api.mock_async(move |when, then| {
        when.method(GET)
            .path(cpath("inference_data/current/download/"))
            .header("authorization", AUTH);
        then.respond_with(move |_req: &HttpMockRequest| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            if n < not_yet {
                HttpMockResponse::builder()
                    .status(failure_status)
                    .header("content-type", "application/json")
                    .body(error_json("NOT_FOUND", "Not published yet.").to_string())
                    .build()
            } else {
                HttpMockResponse::builder()
                    .status(302)
                    .header("location", location.clone())
                    .build()
            }
        });
    })
    .await;
    calls
}

async fn challenge_exists(api: &MockServer) {
    api.mock_async(|when, then| {
        when.method(GET).path(cpath(""));
        then.status(200).json_body(challenge_json());
    })
    .await;
}

#[tokio::test]
async fn wait_polls_through_404_until_published() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    challenge_exists(&api).await;
    let blob = storage
        .mock_async(|when, then| {
            when.method(GET)
                .path("/inf.parquet")
                .header_missing("authorization");
            then.status(200).body("PAR1 inference PAR1");
        })
        .await;
    let calls = publishing_after(&api, &storage, 2, 404).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("inference.parquet");
    let report = client(&api)
        .challenge(SLUG)?
        .wait_for_inference(&to(&dest), DataFormat::Parquet, fast_wait(10_000), None)
        .await?;
    assert_eq!(report.attempts, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(std::fs::read(&dest)?, b"PAR1 inference PAR1");
    blob.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn wait_retries_5xx_instead_of_failing() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    challenge_exists(&api).await;
    storage
        .mock_async(|when, then| {
            when.method(GET).path("/inf.parquet");
            then.status(200).body("PAR1");
        })
        .await;
    // 4 × 503: more than the transport's own 2 retries, so the wait loop has to carry on.
    let calls = publishing_after(&api, &storage, 4, 503).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("inference.parquet");
    client(&api)
        .challenge(SLUG)?
        .wait_for_inference(&to(&dest), DataFormat::Parquet, fast_wait(10_000), None)
        .await?;
    assert_eq!(calls.load(Ordering::SeqCst), 5);
    assert!(dest.exists());
    Ok(())
}

#[tokio::test]
async fn wait_with_a_wrong_slug_fails_at_once() -> TestResult {
    let api = MockServer::start_async().await;
    let lookup = api
        .mock_async(|when, then| {
            when.method(GET).path("/api/challenges/typo/");
            then.status(404)
                .json_body(error_json("NOT_FOUND", "No Challenge matches."));
        })
        .await;
    let poll = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/challenges/typo/inference_data/current/download/");
            then.status(404);
        })
        .await;
    let dir = tempfile::tempdir()?;
    let err = client(&api)
        .challenge("typo")?
        // A timeout of an hour: only an immediate failure lets this test finish.
        .wait_for_inference(
            &to(&dir.path().join("x.parquet")),
            DataFormat::Parquet,
            fast_wait(3_600_000),
            None,
        )
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(matches!(err, Error::ChallengeNotFound { .. }), "{err:?}");
    lookup.assert_async().await;
    poll.assert_calls_async(0).await;
    Ok(())
}

#[tokio::test]
async fn wait_gives_up_at_the_timeout() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    challenge_exists(&api).await;
    let calls = publishing_after(&api, &storage, usize::MAX, 404).await;
    let dir = tempfile::tempdir()?;
    let dest = dir.path().join("inference.parquet");
    let err = client(&api)
        .challenge(SLUG)?
        .wait_for_inference(&to(&dest), DataFormat::Parquet, fast_wait(100), None)
        .await
        .err()
        .ok_or("expected a timeout")?;
    match err {
        Error::WaitTimeout { waited, attempts, .. } => {
            assert!(waited >= Duration::from_millis(100));
            assert!(attempts >= 2);
            assert_eq!(attempts as usize, calls.load(Ordering::SeqCst));
        }
        other => return Err(format!("expected WaitTimeout, got {other:?}").into()),
    }
    assert!(!dest.exists());
    Ok(())
}

#[tokio::test]
async fn wait_stops_at_once_on_auth_failure() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    challenge_exists(&api).await;
    let calls = publishing_after(&api, &storage, usize::MAX, 401).await;
    let dir = tempfile::tempdir()?;
    let err = client(&api)
        .challenge(SLUG)?
        .wait_for_inference(
            &to(&dir.path().join("x")),
            DataFormat::Parquet,
            fast_wait(3_600_000),
            None,
        )
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(err.is_auth(), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    Ok(())
}
