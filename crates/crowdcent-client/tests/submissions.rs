//! Submissions: list, get, and create with local validation (spec §2.6, §4.4, §8.1, §8.6, §8.7).

mod util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arrow::array::{Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use crowdcent_client::{Error, Period, SubmitKind, SubmitOptions, MAX_NOTES_CHARS};
use frame_io::validate::Rule;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock};
use serde_json::{json, Value};
use util::*;

fn created_body() -> Value {
    let mut body = submission_json(814, 2, "2025-07-25", false);
    body["match_info"] =
        json!({"matched_ids": 180, "unmatched_ids": 0, "message": "180 IDs matched inference data"});
    body["queued_for_next"] = json!(true);
    body["queue_error_code"] = Value::Null;
    body["queue_error"] = Value::Null;
    body
}

fn no_ids_check() -> SubmitOptions {
    SubmitOptions {
        check_inference_ids: false,
        ..SubmitOptions::default()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Serves the current inference file (redirect to a second "storage" server).
async fn serve_inference<'a>(api: &'a MockServer, storage: &MockServer) -> Mock<'a> {
    let bytes = std::fs::read(data("inference.parquet")).expect("inference vector");
    storage
        .mock_async(|when, then| {
            when.method(GET)
                .path("/inference.parquet")
                .header_missing("authorization");
            then.status(200).body(bytes);
        })
        .await;
    let location = format!("{}/inference.parquet?sig=1", storage.base_url());
    api.mock_async(|when, then| {
        when.method(GET).path(cpath("inference_data/current/download/"));
        then.status(302).header("location", location.as_str());
    })
    .await
}

#[tokio::test]
async fn list_with_and_without_period_and_get() -> TestResult {
    let server = MockServer::start_async().await;
    let all = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("submissions/"))
                .query_param_missing("period")
                .header("authorization", AUTH);
            then.status(200).json_body(json!([
                submission_json(1, 1, "2025-07-24", true),
                submission_json(2, 2, "2025-07-25", false)
            ]));
        })
        .await;
    let current = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("submissions/"))
                .query_param("period", "current");
            then.status(200).json_body(json!([]));
        })
        .await;
    let dated = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(cpath("submissions/"))
                .query_param("period", "2025-07-24");
            then.status(200)
                .json_body(json!([submission_json(1, 1, "2025-07-24", true)]));
        })
        .await;
    let one = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("submissions/1/"));
            then.status(200)
                .json_body(submission_json(1, 1, "2025-07-24", true));
        })
        .await;
    let foreign = server
        .mock_async(|when, then| {
            when.method(GET).path(cpath("submissions/99/"));
            then.status(404).json_body(error_json("NOT_FOUND", "Not found."));
        })
        .await;
    let ch = client(&server).challenge(SLUG)?;
    let subs = ch.list_submissions(None).await?;
    assert_eq!(subs.len(), 2);
    assert!(subs[1].score_details.is_none());
    assert!(ch.list_submissions(Some(Period::Current)).await?.is_empty());
    assert_eq!(ch.list_submissions(Some("2025-07-24".parse()?)).await?.len(), 1);
    let s = ch.submission(1).await?;
    assert_eq!(s.slot, 1);
    let err = ch.submission(99).await.err().ok_or("expected 404")?;
    assert!(err.is_not_found());
    for m in [all, current, dated, one, foreign] {
        m.assert_async().await;
    }
    Ok(())
}

#[tokio::test]
async fn submit_sends_the_multipart_fields_of_the_spec() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    let inference = serve_inference(&api, &storage).await;
    let file = std::fs::read(data("submission_pandas.parquet"))?;
    let bodies = Arc::new(Mutex::new(Vec::<(String, Vec<u8>)>::new()));
    let seen = bodies.clone();
    let post = api
        .mock_async(move |when, then| {
            when.method(POST)
                .path(cpath("submissions/"))
                .header("authorization", AUTH)
                .header_includes("content-type", "multipart/form-data");
            then.respond_with(move |req: &HttpMockRequest| {
                let ct = req
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().expect("lock").push((ct, req.body().to_vec()));
                HttpMockResponse::builder()
                    .status(201)
                    .header("content-type", "application/json")
                    .body(created_body().to_string())
                    .build()
            });
        })
        .await;
    let options = SubmitOptions {
        slot: 2,
        also_queue_next: false,
        is_experimental: true,
        notes: "first try ✓".to_owned(),
        ..SubmitOptions::default()
    };
    let outcome = client(&api)
        .challenge(SLUG)?
        .submit(data("submission_pandas.parquet"), options)
        .await?;
    post.assert_async().await;
    inference.assert_async().await;
    assert_eq!(outcome.kind, SubmitKind::Created);
    assert_eq!(outcome.http_status, 201);
    assert!(outcome.queued_for_next());
    assert_eq!(outcome.response.id, Some(814));
    let matched = outcome.response.match_info.as_ref().map(|m| m.matched_ids);
    assert_eq!(matched, Some(180));
    let report = outcome.validation.as_ref().ok_or("validation ran")?;
    assert!(report.is_valid());
    assert!(
        report.match_info.is_some(),
        "ids were matched against the inference file"
    );

    let bodies = bodies.lock().map_err(|_| "lock")?;
    let (ct, body) = &bodies[0];
    let boundary = ct.split("boundary=").nth(1).ok_or("boundary")?;
    let text = String::from_utf8_lossy(body);
    let part = |name: &str, value: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let expected_fields = [
        part("slot", "2"),
        part("also_queue_next", "false"),
        part("is_experimental", "true"),
        part("notes", "first try ✓"),
    ];
    let mut last = 0;
    for f in &expected_fields {
        let at = text
            .find(f.as_str())
            .ok_or_else(|| format!("missing part {f:?}"))?;
        assert!(at >= last, "fields come in the spec's order");
        last = at;
    }
    let file_head = "Content-Disposition: form-data; name=\"prediction_file\"; filename=\"submission_pandas.parquet\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    let file_at = text.find(file_head).ok_or("file part header")?;
    assert!(file_at > last, "the file part comes after the fields");
    assert!(contains(body, &file), "the whole file is in the body");
    Ok(())
}

#[tokio::test]
async fn a_retried_submit_resends_the_whole_file() -> TestResult {
    let api = MockServer::start_async().await;
    let file = std::fs::read(data("submission_polars.parquet"))?;
    let calls = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let (counter, seen) = (calls.clone(), bodies.clone());
    api.mock_async(move |when, then| {
        when.method(POST).path(cpath("submissions/"));
        then.respond_with(move |req: &HttpMockRequest| {
            seen.lock().expect("lock").push(req.body().to_vec());
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                HttpMockResponse::builder()
                    .status(503)
                    .body("Service Unavailable")
                    .build()
            } else {
                HttpMockResponse::builder()
                    .status(201)
                    .header("content-type", "application/json")
                    .body(created_body().to_string())
                    .build()
            }
        });
    })
    .await;
    let outcome = client(&api)
        .challenge(SLUG)?
        .submit(data("submission_polars.parquet"), no_ids_check())
        .await?;
    assert_eq!(outcome.kind, SubmitKind::Created);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let bodies = bodies.lock().map_err(|_| "lock")?;
    assert_eq!(bodies.len(), 2);
    for b in bodies.iter() {
        assert!(contains(b, &file), "every attempt carries the full file");
    }
    assert_eq!(bodies[0].len(), bodies[1].len());
    Ok(())
}

async fn submit_answered(status: u16, body: Value) -> Result<crowdcent_client::SubmitOutcome, Error> {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(POST).path(cpath("submissions/"));
        then.status(status).json_body(body);
    })
    .await;
    client(&api)
        .challenge(SLUG)?
        .submit(data("submission_polars.parquet"), no_ids_check())
        .await
}

#[tokio::test]
async fn status_200_is_a_replacement_and_reports_a_refused_queue_copy() -> TestResult {
    let mut body = created_body();
    body["queued_for_next"] = json!(false);
    body["queue_error_code"] = json!("EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP");
    body["queue_error"] = json!("Queue needs a non-experimental sibling.");
    let outcome = submit_answered(200, body).await?;
    assert_eq!(outcome.kind, SubmitKind::Replaced);
    assert!(!outcome.queued_for_next());
    let rejection = outcome.queue_rejection().ok_or("queue rejection")?;
    assert_eq!(rejection.code, "EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP");
    Ok(())
}

#[tokio::test]
async fn status_202_is_queued() -> TestResult {
    let body = json!({
        "match_info": {"matched_ids": 186, "unmatched_ids": 0, "message": "186 IDs matched inference data"},
        "status": "queued",
        "message": "Submission queued for slot 1. Will be automatically submitted when next period opens.",
        "slot": 1, "challenge": SLUG, "is_experimental": false, "notes": ""
    });
    let outcome = submit_answered(202, body).await?;
    assert_eq!(outcome.kind, SubmitKind::Queued);
    assert!(outcome.response.is_queued());
    assert_eq!(outcome.response.slot, Some(1));
    assert!(outcome.queue_rejection().is_none());
    Ok(())
}

#[tokio::test]
async fn an_oversized_submit_answer_is_refused_at_the_body_limit() -> TestResult {
    let api = MockServer::start_async().await;
    let mut body = created_body();
    body["notes"] = json!("n".repeat(8 * 1024));
    api.mock_async(|when, then| {
        when.method(POST).path(cpath("submissions/"));
        then.status(201).json_body(body);
    })
    .await;
    let mut config = marketplace_core::ClientConfig::new(&base(&api))?;
    config.max_body_bytes = 4 * 1024;
    let client = crowdcent_client::CrowdCent::new(config, secrecy::SecretString::from(KEY))?;
    let err = client
        .challenge(SLUG)?
        .submit(data("submission_polars.parquet"), no_ids_check())
        .await
        .expect_err("body over the limit");
    assert!(
        matches!(
            err.http(),
            Some(marketplace_core::Error::BodyTooLarge { limit: 4096, .. })
        ),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_server_rejection_keeps_its_code() {
    let err = submit_answered(400, error_json("INVALID_FILE", "Missing column pred_30d."))
        .await
        .expect_err("400");
    let api = err.http().and_then(|e| e.api()).cloned().expect("api error");
    assert_eq!(api.code.as_deref(), Some("INVALID_FILE"));
    assert!(!err.is_validation(), "a server-side rejection is not a local one");
}

/// A POST mock that must never be hit.
async fn forbid_post(api: &MockServer) -> Mock<'_> {
    api.mock_async(|when, then| {
        when.method(POST).path(cpath("submissions/"));
        then.status(201).json_body(created_body());
    })
    .await
}

#[tokio::test]
async fn invalid_vectors_are_rejected_locally_with_their_rule() -> TestResult {
    let api = MockServer::start_async().await;
    let post = forbid_post(&api).await;
    let ch = client(&api).challenge(SLUG)?;
    let cases = [
        ("submission_missing_pred_30d.parquet", &[Rule::RequiredColumn][..]),
        // pandas stores NaN as a Parquet null.
        ("submission_nan.parquet", &[Rule::NoNan, Rule::NoNulls][..]),
        ("submission_out_of_range.parquet", &[Rule::Range][..]),
        ("submission_duplicate_ids.parquet", &[Rule::UniqueIds][..]),
        ("submission_too_few_ids.parquet", &[Rule::MinIds][..]),
        ("submission_string_preds.parquet", &[Rule::Numeric][..]),
    ];
    for (file, expected) in cases {
        let err = ch
            .submit(data(file), no_ids_check())
            .await
            .err()
            .ok_or_else(|| format!("{file} must be rejected"))?;
        assert!(err.is_validation(), "{file}: {err:?}");
        match &err {
            Error::Rejected { report } => {
                let rules: Vec<Rule> = report.violations.iter().map(|v| v.rule).collect();
                let rule = expected
                    .iter()
                    .find(|r| rules.contains(r))
                    .ok_or_else(|| format!("{file}: expected one of {expected:?}, got {rules:?}"))?;
                assert!(err.to_string().contains(rule.as_str()), "{file}: {err}");
            }
            other => return Err(format!("{file}: expected Rejected, got {other:?}").into()),
        }
    }
    post.assert_calls_async(0).await;
    Ok(())
}

#[tokio::test]
async fn ids_missing_from_the_inference_file_are_rejected() -> TestResult {
    let api = MockServer::start_async().await;
    let storage = MockServer::start_async().await;
    serve_inference(&api, &storage).await;
    let post = forbid_post(&api).await;
    let ids: Vec<String> = (0..100).map(|i| format!("NOTANASSET{i}")).collect();
    let err = client(&api)
        .challenge(SLUG)?
        .submit(batch(&ids, 0.5), SubmitOptions::default())
        .await
        .err()
        .ok_or("unknown ids must be rejected")?;
    assert!(err.is_validation(), "{err:?}");
    post.assert_calls_async(0).await;
    Ok(())
}

#[tokio::test]
async fn notes_and_slot_are_checked_before_anything_is_sent() -> TestResult {
    let api = MockServer::start_async().await;
    let post = forbid_post(&api).await;
    let ch = client(&api).challenge(SLUG)?;
    let long = SubmitOptions {
        notes: "é".repeat(MAX_NOTES_CHARS + 1),
        ..no_ids_check()
    };
    let err = ch.submit(data("submission_polars.parquet"), long).await.err();
    assert!(
        matches!(err, Some(Error::NotesTooLong { chars: 2001, .. })),
        "{err:?}"
    );
    let zero = SubmitOptions {
        slot: 0,
        ..no_ids_check()
    };
    let err = ch.submit(data("submission_polars.parquet"), zero).await.err();
    assert!(matches!(err, Some(Error::InvalidSlot { slot: 0 })), "{err:?}");
    let err = ch
        .submit(data("no_such_file.parquet"), no_ids_check())
        .await
        .err();
    assert!(matches!(err, Some(Error::Io { op: "open", .. })), "{err:?}");
    post.assert_calls_async(0).await;

    // Exactly 2000 characters (4000 bytes) is fine.
    let ok = SubmitOptions {
        notes: "é".repeat(MAX_NOTES_CHARS),
        ..no_ids_check()
    };
    ch.submit(data("submission_polars.parquet"), ok).await?;
    post.assert_calls_async(1).await;
    Ok(())
}

fn batch(ids: &[String], value: f64) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("pred_10d", DataType::Float64, false),
        Field::new("pred_30d", DataType::Float64, false),
    ]));
    let n = ids.len();
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(StringArray::from_iter_values(ids)),
            Arc::new(Float64Array::from(vec![value; n])),
            Arc::new(Float64Array::from(vec![value; n])),
        ],
    )
    .expect("valid batch")
}

#[tokio::test]
async fn a_record_batch_is_encoded_to_parquet_in_memory() -> TestResult {
    let api = MockServer::start_async().await;
    let post = api
        .mock_async(|when, then| {
            when.method(POST)
                .path(cpath("submissions/"))
                .body_includes("filename=\"submission.parquet\"")
                .body_includes("PAR1");
            then.status(201).json_body(created_body());
        })
        .await;
    let ids: Vec<String> = (0..90).map(|i| format!("ASSET{i}")).collect();
    let outcome = client(&api)
        .challenge(SLUG)?
        .submit(batch(&ids, 0.25), no_ids_check())
        .await?;
    assert_eq!(outcome.kind, SubmitKind::Created);
    post.assert_async().await;

    // The same batch with an out-of-range value is refused locally.
    let err = client(&api)
        .challenge(SLUG)?
        .submit(batch(&ids, 1.5), no_ids_check())
        .await
        .err()
        .ok_or("out of range")?;
    assert!(err.is_validation());
    post.assert_calls_async(1).await;
    Ok(())
}

#[tokio::test]
async fn no_open_period_skips_the_id_check() -> TestResult {
    let api = MockServer::start_async().await;
    let current = api
        .mock_async(|when, then| {
            when.method(GET).path(cpath("inference_data/current/download/"));
            then.status(404)
                .json_body(error_json("NOT_FOUND", "No open period."));
        })
        .await;
    let post = api
        .mock_async(|when, then| {
            when.method(POST).path(cpath("submissions/"));
            then.status(202)
                .json_body(json!({"status": "queued", "slot": 1, "challenge": SLUG}));
        })
        .await;
    let outcome = client(&api)
        .challenge(SLUG)?
        .submit(data("submission_pandas.parquet"), SubmitOptions::default())
        .await?;
    assert_eq!(outcome.kind, SubmitKind::Queued);
    current.assert_async().await;
    post.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn no_validate_sends_even_an_invalid_file() -> TestResult {
    let api = MockServer::start_async().await;
    let post = api
        .mock_async(|when, then| {
            when.method(POST).path(cpath("submissions/"));
            then.status(400)
                .json_body(error_json("INVALID_FILE", "NaN in pred_10d."));
        })
        .await;
    let options = SubmitOptions {
        validate: false,
        ..SubmitOptions::default()
    };
    let err = client(&api)
        .challenge(SLUG)?
        .submit(data("submission_nan.parquet"), options)
        .await
        .err()
        .ok_or("server rejects")?;
    assert_eq!(err.status(), Some(400));
    post.assert_async().await;
    Ok(())
}

#[tokio::test]
async fn a_csv_file_is_converted_to_parquet() -> TestResult {
    let api = MockServer::start_async().await;
    let post = api
        .mock_async(|when, then| {
            when.method(POST)
                .path(cpath("submissions/"))
                .body_includes("filename=\"preds.parquet\"")
                .body_includes("PAR1");
            then.status(201).json_body(created_body());
        })
        .await;
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("preds.csv");
    let mut text = String::from("id,pred_10d,pred_30d\n");
    for i in 0..85 {
        text.push_str(&format!("A{i},0.{i:02},0.5\n"));
    }
    std::fs::write(&csv, text)?;
    client(&api).challenge(SLUG)?.submit(csv, no_ids_check()).await?;
    post.assert_async().await;
    Ok(())
}
