//! CrowdCent response fixtures (spec §1.4, §2): decode, round-trip, and spot-check typed values.

use chrono::{DateTime, TimeZone, Utc};
use marketplace_types::crowdcent::*;

use crate::fixture;
use crate::util::{faithful, faithful_omitting_nulls, roundtrip};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test literal")
        .with_timezone(&Utc)
}

#[test]
fn challenges() {
    let list: Vec<Challenge> = faithful(fixture!("crowdcent/challenges.json"));
    assert_eq!(list[0].slug, "hyperliquid-ranking");
    assert_eq!(
        list[0].start_date,
        Utc.with_ymd_and_hms(2025, 6, 5, 12, 34, 26).unwrap()
    );
    assert_eq!(list[0].end_date, None);
    assert!(list[0].description.contains("\r\n"));
    assert_eq!(list[1].start_date, utc("2025-03-01T00:00:00.123456Z"));
    assert_eq!(list[1].end_date, Some(utc("2025-05-31T23:59:59Z")));
}

#[test]
fn challenge_with_a_newer_unknown_field() {
    let one: Challenge = roundtrip(fixture!("crowdcent/challenge.json"));
    assert!(one.is_active);
}

#[test]
fn training_datasets() {
    let list: Vec<TrainingDataset> = faithful(fixture!("crowdcent/training_datasets.json"));
    assert_eq!(list.iter().filter(|d| d.is_latest).count(), 1);
    assert_eq!(list[0].uploaded_at, utc("2025-06-05T12:38:31.402576Z"));
    let latest: TrainingDataset = faithful(fixture!("crowdcent/training_dataset_latest.json"));
    assert_eq!(latest.version, "2.0");
}

#[test]
fn inference_periods() {
    let list: Vec<InferencePeriod> = faithful(fixture!("crowdcent/inference_periods.json"));
    let first = &list[0];
    assert_eq!(
        first.submission_deadline - first.release_date,
        chrono::Duration::hours(4)
    );
    assert_eq!(first.release_date, utc("2025-06-09T14:01:01.161998Z"));
    let current: InferencePeriod = faithful(fixture!("crowdcent/inference_current.json"));
    assert_eq!(current.time_remaining.as_deref(), Some("1.7 hours"));
    assert!(!current.is_processed);
}

#[test]
fn submissions_with_scores_and_unknown_status() {
    let list: Vec<Submission> = faithful(fixture!("crowdcent/submissions.json"));
    assert_eq!(list[0].status, SubmissionStatus::Pending);
    assert_eq!(list[0].score_details, None);
    assert_eq!(list[1].status, SubmissionStatus::Evaluated);
    let scores = list[1].score_details.as_ref().expect("fixture has scores");
    assert_eq!(scores["ndcg@40_30d"].as_f64(), Some(0.6875507747062427));
    let pct = list[1]
        .percentile_details
        .as_ref()
        .expect("fixture has percentiles");
    assert_eq!(pct["composite_percentile"].as_f64(), Some(33.3));
    assert!(list[1].is_experimental);
    assert_eq!(list[2].status, SubmissionStatus::Unknown("rescoring".into()));
    assert_eq!(list[2].inference_data_release_date, None);
}

#[test]
fn submit_created() {
    let resp: SubmitResponse = faithful_omitting_nulls(fixture!("crowdcent/submit_201.json"));
    assert!(!resp.is_queued());
    assert_eq!(resp.queued_for_next, Some(true));
    let info = resp.match_info.clone().expect("fixture has match_info");
    assert_eq!((info.matched_ids, info.unmatched_ids), (171, 0));
    let sub = resp.submission().expect("a 201 carries the submission");
    assert_eq!(sub.id, 814);
    assert_eq!(sub.slot, 1);
    assert_eq!(sub.submitted_at, utc("2025-07-25T16:48:45.671926Z"));
}

#[test]
fn submit_partial_success_keeps_queue_error() {
    let resp: SubmitResponse = faithful_omitting_nulls(fixture!("crowdcent/submit_200_partial.json"));
    assert_eq!(resp.queued_for_next, Some(false));
    assert_eq!(
        resp.queue_error_code.as_deref(),
        Some("EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP")
    );
    assert!(resp.submission().is_some());
}

#[test]
fn submit_queued() {
    let resp: SubmitResponse = faithful_omitting_nulls(fixture!("crowdcent/submit_202.json"));
    assert!(resp.is_queued());
    assert_eq!(resp.submission(), None);
    assert_eq!(resp.challenge.as_deref(), Some("hyperliquid-ranking"));
    assert_eq!(resp.match_info.map(|m| m.matched_ids), Some(186));
}

#[test]
fn auth_check() {
    let old: AuthCheck = faithful(fixture!("crowdcent/auth_check.json"));
    assert_eq!(old.username, "alice");
    assert_eq!(old.allow_cloud, None);
    let new: AuthCheck = faithful(fixture!("crowdcent/auth_check_cloud.json"));
    assert_eq!(new.allow_cloud, Some(false));
    assert!(new.allow_trading);
}

#[test]
fn error_bodies() {
    let conf: ErrorBody = faithful(fixture!("crowdcent/error_confirmation.json"));
    let info = conf.error.expect("standard error object");
    assert_eq!(info.code.as_deref(), Some("CONFIRMATION_REQUIRED"));
    assert_eq!(
        info.message.as_deref(),
        Some("plan_hash is missing, stale, or does not match.")
    );
    // Field-level detail (post-0.2.0 clients read it); the code name here is illustrative.
    let fields: ErrorBody = faithful(fixture!("crowdcent/error_fields.json"));
    let detail = fields.error.and_then(|e| e.fields).expect("fields present");
    assert_eq!(detail["notes"], serde_json::json!("too long"));
    let drf: ErrorBody = faithful(fixture!("crowdcent/error_drf.json"));
    assert_eq!(drf.error, None);
    assert!(drf.detail.is_some());
}

#[test]
fn naive_crowdcent_timestamp_is_read_as_utc() {
    let json = r#"{"id": 1, "name": "x", "slug": "x", "description": "", "start_date": "2025-06-05T12:34:26", "end_date": "2025-06-06T00:00:00+02:00", "is_active": true}"#;
    let c: Challenge = roundtrip(json);
    assert_eq!(c.start_date, utc("2025-06-05T12:34:26Z"));
    assert_eq!(c.end_date, Some(utc("2025-06-05T22:00:00Z")));
}
