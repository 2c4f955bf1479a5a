//! CrowdCent emulation against a real `Sandbox::start()` over loopback HTTP.

use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use marketplace_sandbox::crowdcent::{API_KEY, CHALLENGE_SLUG, OTHER_API_KEY, USERNAME};
use marketplace_sandbox::Sandbox;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

/// A sandbox plus a client that never follows redirects.
struct Env {
    sandbox: Sandbox,
    http: Client,
    api: String,
}

impl Env {
    async fn start() -> Self {
        let sandbox = Sandbox::start().await.expect("sandbox starts");
        let api = sandbox.info().crowdcent_url.clone();
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Env { sandbox, http, api }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.api, path.trim_start_matches('/'))
    }

    fn challenge(&self, rest: &str) -> String {
        self.url(&format!("challenges/{CHALLENGE_SLUG}/{rest}"))
    }

    async fn get_as(&self, key: &str, url: &str) -> Response {
        self.http
            .get(url)
            .header(AUTHORIZATION, format!("Api-Key {key}"))
            .send()
            .await
            .expect("request")
    }

    async fn get(&self, url: &str) -> Response {
        self.get_as(API_KEY, url).await
    }

    async fn json(&self, url: &str) -> Value {
        let response = self.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        response.json().await.expect("json body")
    }

    /// Follows one download redirect without the API key and returns the file bytes.
    async fn download(&self, url: &str) -> Vec<u8> {
        let response = self.get(url).await;
        assert_eq!(response.status(), StatusCode::FOUND, "GET {url}");
        let location = header(&response, LOCATION.as_str());
        assert!(location.contains("/storage/"), "{location}");
        let file = self.http.get(&location).send().await.expect("storage get");
        assert_eq!(file.status(), StatusCode::OK);
        let length: usize = header(&file, CONTENT_LENGTH.as_str()).parse().expect("length");
        let bytes = file.bytes().await.expect("bytes").to_vec();
        assert_eq!(bytes.len(), length);
        assert_eq!(&bytes[..4], b"PAR1");
        bytes
    }

    /// The ids of the current inference file.
    async fn current_ids(&self) -> Vec<String> {
        let bytes = self
            .download(&self.challenge("inference_data/current/download/"))
            .await;
        let ids = column_strings(&bytes, "id");
        assert!(ids.len() > 150, "{}", ids.len());
        ids
    }

    async fn submit_as(&self, key: &str, slug: &str, form: Form) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(&format!("challenges/{slug}/submissions/")))
            .header(AUTHORIZATION, format!("Api-Key {key}"))
            .multipart(form)
            .send()
            .await
            .expect("submit");
        let status = response.status();
        (status, response.json().await.expect("json body"))
    }

    async fn submit(&self, form: Form) -> (StatusCode, Value) {
        self.submit_as(API_KEY, CHALLENGE_SLUG, form).await
    }

    async fn control(&self, path: &str, body: Value) {
        let url = format!("{}/{path}", self.sandbox.info().control_url);
        let response = self.http.post(&url).json(&body).send().await.expect("control");
        assert!(
            response.status().is_success(),
            "POST {url}: {}",
            response.status()
        );
    }
}

fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Reads a Utf8 column of a Parquet file through frame-io.
fn column_strings(parquet: &[u8], column: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("file.parquet");
    std::fs::write(&path, parquet).expect("write");
    let frame = frame_io::read_frame(&path).expect("frame");
    let mut out = Vec::new();
    for batch in frame.batches() {
        let idx = batch.schema().index_of(column).expect("column");
        let array = arrow::compute::cast(batch.column(idx), &DataType::Utf8).expect("cast");
        out.extend(
            array
                .as_string::<i32>()
                .iter()
                .map(|v| v.unwrap_or_default().to_owned()),
        );
    }
    out
}

/// A submission Parquet file with `id` and the given prediction columns (values from `pred`).
fn parquet(ids: &[String], columns: &[&str], pred: impl Fn(usize) -> f64) -> Vec<u8> {
    let mut fields = vec![Field::new("id", DataType::Utf8, false)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(ids.iter()))];
    for name in columns {
        fields.push(Field::new(*name, DataType::Float64, true));
        arrays.push(Arc::new(Float64Array::from_iter_values(
            (0..ids.len()).map(&pred),
        )));
    }
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("batch");
    frame_io::to_parquet_bytes(&[batch], &frame_io::ParquetOptions::default()).expect("parquet")
}

fn valid(ids: &[String]) -> Vec<u8> {
    let n = ids.len() as f64;
    parquet(ids, &["pred_10d", "pred_30d"], |i| i as f64 / n)
}

/// The multipart form the official client sends (spec §2.6): fields first, then the file.
fn form(slot: &str, queue: bool, experimental: bool, notes: &str, file: Vec<u8>) -> Form {
    Form::new()
        .text("slot", slot.to_owned())
        .text("also_queue_next", queue.to_string())
        .text("is_experimental", experimental.to_string())
        .text("notes", notes.to_owned())
        .part(
            "prediction_file",
            Part::bytes(file)
                .file_name("submission.parquet")
                .mime_str("application/octet-stream")
                .expect("mime"),
        )
}

async fn error_of(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("json error body");
    let code = body["error"]["code"].as_str().expect("error.code").to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_owned();
    (status, code, message)
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn auth_is_checked_on_every_endpoint() {
    let env = Env::start().await;
    let url = env.url("challenges/");
    let missing = env.http.get(&url).send().await.expect("request");
    let (status, code, message) = error_of(missing).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "NOT_AUTHENTICATED")
    );
    assert_eq!(message, "Authentication credentials were not provided.");

    let unknown = env.get_as("not-a-key", &url).await;
    let (status, code, message) = error_of(unknown).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "NOT_AUTHENTICATED")
    );
    assert_eq!(message, "Invalid API key.");

    let bearer = env
        .http
        .get(&url)
        .bearer_auth(API_KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(error_of(bearer).await.1, "NOT_AUTHENTICATED");

    let submit = env
        .http
        .post(env.challenge("submissions/"))
        .send()
        .await
        .expect("request");
    assert_eq!(submit.status(), StatusCode::UNAUTHORIZED);

    let check = env.json(&env.url("auth/check/")).await;
    assert_eq!(check["username"], USERNAME);
    assert_eq!(check["allow_trading"], false);
    assert_eq!(check["oms_access"], false);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn challenges_and_training_data() {
    let env = Env::start().await;
    let list = env.json(&env.url("challenges/")).await;
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["slug"], CHALLENGE_SLUG);
    assert_eq!(list[0]["is_active"], true);
    assert!(list[0]["end_date"].is_null());
    let one = env.json(&env.challenge("")).await;
    assert_eq!(&one, &list[0]);
    assert!(one["start_date"].as_str().expect("start").ends_with('Z'));

    let (status, code, message) = error_of(env.get(&env.url("challenges/no-such-thing/")).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    assert_eq!(message, "Challenge 'no-such-thing' not found.");
    // Only the trailing-slash form is served.
    assert_eq!(
        env.get(&env.url("challenges")).await.status(),
        StatusCode::NOT_FOUND
    );

    let training = env.json(&env.challenge("training_data/")).await;
    let training = training.as_array().expect("array");
    assert_eq!(training.len(), 2);
    assert_eq!(training.iter().filter(|t| t["is_latest"] == true).count(), 1);
    let latest = env.json(&env.challenge("training_data/latest/")).await;
    assert_eq!(latest["version"], "2.0");
    assert_eq!(latest["challenge_slug"], CHALLENGE_SLUG);
    assert_eq!(
        latest["download_url"],
        env.challenge("training_data/2.0/download/").as_str()
    );
    let v1 = env.json(&env.challenge("training_data/1.0/")).await;
    assert_eq!(v1["is_latest"], false);
    let (status, _, message) = error_of(env.get(&env.challenge("training_data/9.9/")).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message.contains("9.9"), "{message}");

    let redirect = env.get(&env.challenge("training_data/2.0/download/")).await;
    assert_eq!(redirect.status(), StatusCode::FOUND);
    let location = header(&redirect, "location");
    let expires: i64 = url_param(&location, "expires").parse().expect("expires");
    let now = chrono::Utc::now().timestamp();
    assert!((3590..=3610).contains(&(expires - now)), "ttl {}", expires - now);

    let bytes = env.download(&env.challenge("training_data/2.0/download/")).await;
    let ids = column_strings(&bytes, "id");
    assert_eq!(ids.len(), 20 * 240);
    let frame = read(&bytes);
    assert_eq!(frame.schema().fields().len(), 85);
    assert_eq!(frame.schema().field(84).name(), "target_30d");
    env.download(&env.challenge("training_data/latest/download/"))
        .await;
    env.sandbox.shutdown().await;
}

fn url_param(url: &str, name: &str) -> String {
    let parsed = url::Url::parse(url).expect("url");
    parsed
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn read(parquet: &[u8]) -> frame_io::Frame {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("file.parquet");
    std::fs::write(&path, parquet).expect("write");
    frame_io::read_frame(&path).expect("frame")
}

#[tokio::test]
async fn inference_periods_and_meta_model() {
    let env = Env::start().await;
    let periods = env.json(&env.challenge("inference_data/")).await;
    let periods = periods.as_array().expect("array").clone();
    assert_eq!(periods.len(), 4, "three closed days and the open one");
    let current = env.json(&env.challenge("inference_data/current/")).await;
    assert_eq!(&current, periods.last().expect("last"));
    assert_eq!(current["is_processed"], false);
    let release = time(&current["release_date"]);
    let deadline = time(&current["submission_deadline"]);
    assert_eq!(deadline - release, chrono::Duration::hours(4));
    let release_text = current["release_date"].as_str().expect("release");
    assert_eq!(
        release_text.len(),
        "2025-06-09T14:01:01.161998Z".len(),
        "{release_text}"
    );
    assert!(current["time_remaining"]
        .as_str()
        .expect("remaining")
        .ends_with(" hours"));

    let date = &release_text[..10];
    let by_date = env.json(&env.challenge(&format!("inference_data/{date}/"))).await;
    assert_eq!(by_date["id"], current["id"]);
    assert_eq!(
        by_date["download_url"],
        env.challenge(&format!("inference_data/{date}/download/"))
            .as_str()
    );
    let past = &periods[0];
    assert_eq!(past["is_processed"], true);
    assert_eq!(
        past["release_date"].as_str().expect("past")[10..],
        *"T14:01:01.161998Z"
    );

    for bad in ["2025-1-5", "1999-01-01", "latest"] {
        let response = env.get(&env.challenge(&format!("inference_data/{bad}/"))).await;
        assert_eq!(error_of(response).await.0, StatusCode::NOT_FOUND, "{bad}");
    }

    let bytes = env
        .download(&env.challenge("inference_data/current/download/"))
        .await;
    let frame = read(&bytes);
    assert_eq!(frame.schema().fields().len(), 83);
    assert_eq!(frame.schema().field(0).name(), "id");
    assert_eq!(
        env.download(&env.challenge(&format!("inference_data/{date}/download/")))
            .await,
        bytes
    );

    let meta = read(&env.download(&env.challenge("meta_model/download/")).await);
    let names: Vec<String> = meta.schema().fields().iter().map(|f| f.name().clone()).collect();
    assert_eq!(names, ["id", "pred_10d", "pred_30d", "release_date"]);
    assert_eq!(meta.schema().field(3).data_type(), &DataType::Date32);
    assert!(meta.num_rows() > 3 * 150);
    env.sandbox.shutdown().await;
}

fn time(value: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().expect("time string"))
        .expect("rfc3339")
        .with_timezone(&chrono::Utc)
}

#[tokio::test]
async fn submission_create_replace_list_and_detail() {
    let env = Env::start().await;
    let ids = env.current_ids().await;
    let mut file_ids = ids[..150].to_vec();
    file_ids.push("NOT-A-COIN".to_owned());

    let (status, created) = env
        .submit(form("1", true, false, "first try", valid(&file_ids)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["match_info"],
        json!({"matched_ids": 150, "unmatched_ids": 1, "message": "150 IDs matched inference data"})
    );
    assert_eq!(created["status"], "pending");
    assert_eq!(created["slot"], 1);
    assert_eq!(created["username"], USERNAME);
    assert_eq!(created["notes"], "first try");
    assert_eq!(created["queued_for_next"], true);
    assert!(created["queue_error_code"].is_null());
    let current = env.json(&env.challenge("inference_data/current/")).await;
    assert_eq!(created["inference_data_release_date"], current["release_date"]);
    // The stored file comes back through its signed URL.
    let stored = env
        .http
        .get(created["prediction_file"].as_str().expect("url"))
        .send()
        .await;
    assert_eq!(
        stored.expect("file").bytes().await.expect("bytes").to_vec(),
        valid(&file_ids)
    );

    let (status, replaced) = env.submit(form("1", false, false, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["id"], created["id"]);
    assert_eq!(replaced["match_info"]["matched_ids"], ids.len());
    assert_eq!(replaced["queued_for_next"], false);

    let (status, second) = env.submit(form("2", false, false, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    // Newer official clients upload a DataFrame as `submission.csv` by default: CSV is accepted too.
    let mut csv = String::from("id,pred_10d,pred_30d\n");
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!("{id},{},{}\n", i as f64 / 1000.0, 0.5));
    }
    let csv_form = Form::new().text("slot", "3").text("notes", "").part(
        "prediction_file",
        Part::bytes(csv.into_bytes()).file_name("submission.csv"),
    );
    let (status, third) = env.submit(csv_form).await;
    assert_eq!(status, StatusCode::CREATED, "{third}");
    assert_eq!(third["match_info"]["matched_ids"], ids.len());

    let list = env.json(&env.challenge("submissions/")).await;
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["id"], created["id"]);
    assert_eq!(list[0]["notes"], "");
    assert!(list[0].get("match_info").is_none());
    let date = &current["release_date"].as_str().expect("date")[..10];
    for period in ["current", date] {
        let filtered = env
            .json(&env.challenge(&format!("submissions/?period={period}")))
            .await;
        assert_eq!(filtered.as_array().expect("array").len(), 3, "{period}");
    }
    let old = env.json(&env.challenge("submissions/?period=2001-01-01")).await;
    assert_eq!(old, json!([]));
    let bad = env.get(&env.challenge("submissions/?period=yesterday")).await;
    assert_eq!(error_of(bad).await.1, "INVALID_PERIOD");

    let id = created["id"].as_u64().expect("id");
    let detail = env.json(&env.challenge(&format!("submissions/{id}/"))).await;
    assert_eq!(detail["slot"], 1);
    assert_eq!(detail["id"], id);
    // Someone else's submission is a 404, and their list is their own.
    let foreign = env
        .get_as(OTHER_API_KEY, &env.challenge(&format!("submissions/{id}/")))
        .await;
    assert_eq!(error_of(foreign).await.0, StatusCode::NOT_FOUND);
    let theirs = env.get_as(OTHER_API_KEY, &env.challenge("submissions/")).await;
    assert_eq!(theirs.json::<Value>().await.expect("json"), json!([]));
    for missing in ["999999", "abc"] {
        let response = env.get(&env.challenge(&format!("submissions/{missing}/"))).await;
        assert_eq!(error_of(response).await.0, StatusCode::NOT_FOUND);
    }
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_submissions_are_rejected_with_codes() {
    let env = Env::start().await;
    let ids = env.current_ids().await;
    let n = ids.len() as f64;
    let mut dupes = ids[..100].to_vec();
    dupes.push(ids[0].clone());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "missing pred_30d",
            parquet(&ids, &["pred_10d"], |i| i as f64 / n),
            "INVALID_SUBMISSION",
        ),
        (
            "out of range",
            parquet(&ids, &["pred_10d", "pred_30d"], |i| i as f64),
            "INVALID_SUBMISSION",
        ),
        (
            "NaN",
            parquet(&ids, &["pred_10d", "pred_30d"], |_| f64::NAN),
            "INVALID_SUBMISSION",
        ),
        ("duplicate ids", valid(&dupes), "INVALID_SUBMISSION"),
        ("too few ids", valid(&ids[..79]), "INVALID_SUBMISSION"),
        (
            "not parquet",
            b"id,pred_10d,pred_30d\nBTC,0.5,0.5\n".to_vec(),
            "INVALID_FILE",
        ),
    ];
    for (what, file, expected) in cases {
        let (status, body) = env.submit(form("1", true, false, "", file)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
        assert_eq!(code(&body), expected, "{what}: {body}");
    }
    // Messages name the uploaded file, never the server's storage path.
    let (_, body) = env.submit(form("1", true, false, "", b"garbage".to_vec())).await;
    let message = body["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("submission.parquet") && !message.contains("objects"),
        "{message}"
    );
    let (_, body) = env
        .submit(form("1", true, false, "", parquet(&ids, &["pred_10d"], |_| 0.5)))
        .await;
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.contains("pred_30d"), "{message}");
    assert!(body["error"]["fields"]["pred_30d"].is_array(), "{body}");

    let matched_too_few = {
        let mut strangers: Vec<String> = (0..100).map(|i| format!("ZZ{i}")).collect();
        strangers.extend(ids[..50].iter().cloned());
        valid(&strangers)
    };
    let (status, body) = env.submit(form("1", true, false, "", matched_too_few)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_SUBMISSION"),
        "{body}"
    );

    let long = "é".repeat(2001);
    let (status, body) = env.submit(form("1", true, false, &long, valid(&ids))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "NOTES_TOO_LONG"),
        "{body}"
    );
    let (status, body) = env.submit(form("6", true, false, "", valid(&ids))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_SLOT"),
        "{body}"
    );
    let (status, body) = env.submit(form("one", true, false, "", valid(&ids))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "INVALID_SLOT"),
        "{body}"
    );
    let no_file = Form::new().text("slot", "1").text("notes", "");
    let (status, body) = env.submit(no_file).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "MISSING_FILE"),
        "{body}"
    );
    let (status, body) = env
        .submit_as(API_KEY, "no-such-thing", form("1", true, false, "", valid(&ids)))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "NOT_FOUND"),
        "{body}"
    );
    let (status, body) = env
        .submit_as("bad-key", CHALLENGE_SLUG, form("1", true, false, "", valid(&ids)))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "NOT_AUTHENTICATED"),
        "{body}"
    );
    // Nothing was stored by the rejected attempts; exactly 2000 characters is accepted.
    assert_eq!(env.json(&env.challenge("submissions/")).await, json!([]));
    let (status, body) = env
        .submit(form("1", true, false, &"é".repeat(2000), valid(&ids)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn experimental_rule_and_queue_copy_rejection() {
    let env = Env::start().await;
    let ids = env.current_ids().await;
    let (status, body) = env.submit(form("2", true, true, "", valid(&ids))).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "EXPERIMENTAL_REQUIRES_NON_EXP"),
        "{body}"
    );

    // A live non-experimental sibling without a queued copy: the live save stands, the queue copy is refused.
    let (status, _) = env.submit(form("1", false, false, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = env.submit(form("2", true, true, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["is_experimental"], true);
    assert_eq!(body["queued_for_next"], false);
    assert_eq!(body["queue_error_code"], "EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP");
    assert!(body["queue_error"].is_string());

    // Once slot 1 also queues a copy, the experimental queue copy is accepted.
    let (status, _) = env.submit(form("1", true, false, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = env.submit(form("2", true, true, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::OK, "replaced: {body}");
    assert_eq!(body["queued_for_next"], true);
    assert!(body["queue_error_code"].is_null());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn closed_window_queues_and_the_next_period_receives_it() {
    let env = Env::start().await;
    let ids = env.current_ids().await;
    let first = env.json(&env.challenge("inference_data/current/")).await;
    env.control("clock/advance", json!({"seconds": 5 * 3600})).await;
    let closed = env.get(&env.challenge("inference_data/current/")).await;
    assert_eq!(error_of(closed).await.0, StatusCode::NOT_FOUND);
    let none = env.get(&env.challenge("inference_data/current/download/")).await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);

    let (status, body) = env
        .submit(form("3", true, false, "queued note", valid(&ids[..120])))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "queued");
    assert_eq!(body["slot"], 3);
    assert_eq!(body["challenge"], CHALLENGE_SLUG);
    assert_eq!(body["notes"], "queued note");
    assert_eq!(
        body["message"],
        "Submission queued for slot 3. Will be automatically submitted when next period opens."
    );
    assert!(body["match_info"]["matched_ids"].as_u64().expect("matched") >= 80);
    assert_eq!(env.json(&env.challenge("submissions/")).await, json!([]));

    // The next scheduled period is the following day at 14:01:01 UTC.
    let next_day = time(&first["release_date"]).date_naive() + chrono::Duration::days(1);
    let opens = next_day.and_hms_opt(14, 5, 0).expect("time").and_utc();
    env.control("clock/set", json!({"now": opens.to_rfc3339()})).await;
    let current = env.json(&env.challenge("inference_data/current/")).await;
    assert_eq!(
        current["release_date"],
        format!("{next_day}T14:01:01.161998Z").as_str()
    );
    let live = env.json(&env.challenge("submissions/?period=current")).await;
    let live = live.as_array().expect("array");
    assert_eq!(live.len(), 1);
    assert_eq!(live[0]["slot"], 3);
    assert_eq!(live[0]["notes"], "queued note");
    assert_eq!(live[0]["inference_data_release_date"], current["release_date"]);
    env.sandbox.shutdown().await;
}

/// Every body decodes into the shared DTOs of `marketplace_types::crowdcent` (what the mkt client reads).
#[tokio::test]
async fn responses_decode_into_marketplace_types() {
    use marketplace_types::crowdcent as dto;
    fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
    }
    let env = Env::start().await;
    let challenges: Vec<dto::Challenge> = decode(env.json(&env.url("challenges/")).await);
    assert_eq!(challenges[0].slug, CHALLENGE_SLUG);
    let training: Vec<dto::TrainingDataset> = decode(env.json(&env.challenge("training_data/")).await);
    assert!(training.iter().any(|t| t.is_latest && t.version == "2.0"));
    let periods: Vec<dto::InferencePeriod> = decode(env.json(&env.challenge("inference_data/")).await);
    let current: dto::InferencePeriod = decode(env.json(&env.challenge("inference_data/current/")).await);
    assert_eq!(periods.last(), Some(&current));
    assert_eq!(
        current.submission_deadline - current.release_date,
        chrono::Duration::hours(4)
    );
    let auth: dto::AuthCheck = decode(env.json(&env.url("auth/check/")).await);
    assert_eq!(auth.username, USERNAME);

    let ids = env.current_ids().await;
    let (status, body) = env.submit(form("1", true, false, "n", valid(&ids))).await;
    assert_eq!(status, StatusCode::CREATED);
    let created: dto::SubmitResponse = decode(body);
    assert!(!created.is_queued());
    let live = created.submission().expect("a live submission");
    assert_eq!(live.inference_data_release_date, Some(current.release_date));
    assert_eq!(created.match_info.map(|m| m.matched_ids), Some(ids.len() as u64));
    let listed: Vec<dto::Submission> = decode(env.json(&env.challenge("submissions/")).await);
    assert_eq!(listed, vec![live]);

    let error: dto::ErrorBody = decode(
        env.get(&env.challenge("training_data/0.1/"))
            .await
            .json()
            .await
            .expect("json"),
    );
    assert_eq!(error.error.and_then(|e| e.code).as_deref(), Some("NOT_FOUND"));

    env.control("clock/advance", json!({"seconds": 5 * 3600})).await;
    let (status, body) = env.submit(form("1", true, false, "", valid(&ids))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let queued: dto::SubmitResponse = decode(body);
    assert!(queued.is_queued());
    env.sandbox.shutdown().await;
}

/// Follows one download redirect and returns the location and the body.
async fn fetch(env: &Env, url: &str) -> (String, Vec<u8>) {
    let response = env.get(url).await;
    assert_eq!(response.status(), StatusCode::FOUND, "GET {url}");
    let location = header(&response, LOCATION.as_str());
    let file = env.http.get(&location).send().await.expect("storage get");
    assert_eq!(file.status(), StatusCode::OK, "{location}");
    (location, file.bytes().await.expect("bytes").to_vec())
}

#[tokio::test]
async fn as_csv_serves_a_csv_copy_of_every_download() {
    let env = Env::start().await;
    for rest in [
        "training_data/latest/download/",
        "inference_data/current/download/",
        "meta_model/download/",
    ] {
        let parquet = read(&env.download(&env.challenge(rest)).await);
        let (location, csv) = fetch(&env, &format!("{}?as=csv", env.challenge(rest))).await;
        assert!(location.contains(".csv?"), "{location}");
        let text = String::from_utf8(csv).expect("utf-8 csv");
        let header_line = text.lines().next().expect("header");
        let names: Vec<String> = parquet
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(header_line, names.join(","), "{rest}");
        assert_eq!(text.lines().count(), parquet.num_rows() + 1, "{rest}");
        // Asked again, the copy is reused and identical; `as=parquet` is the stored file.
        let (_, again) = fetch(&env, &format!("{}?as=csv", env.challenge(rest))).await;
        assert_eq!(again, text.as_bytes());
        let (_, stored) = fetch(&env, &format!("{}?as=parquet", env.challenge(rest))).await;
        assert_eq!(&stored[..4], b"PAR1");
    }
    let response = env
        .get(&format!("{}?as=xlsx", env.challenge("meta_model/download/")))
        .await;
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "INVALID_FIELD")
    );
    env.sandbox.shutdown().await;
}
