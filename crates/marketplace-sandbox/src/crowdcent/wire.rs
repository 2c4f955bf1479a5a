//! Response bodies with exactly the fields of the recorded real responses (spec §2.1-§2.7).
//!
//! The sandbox writes its own wire structs rather than reusing the client DTOs, so that a field the
//! client and the server got wrong the same way cannot hide (ARCHITECTURE.md).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::period::iso;
use super::state::{ChallengeRec, Period, SubmissionRec, TrainingRec};
use super::CHALLENGE_SLUG;

#[derive(Debug, Serialize)]
pub(crate) struct Challenge {
    id: u64,
    name: &'static str,
    slug: &'static str,
    description: &'static str,
    start_date: String,
    end_date: Option<String>,
    is_active: bool,
}

impl From<&ChallengeRec> for Challenge {
    fn from(c: &ChallengeRec) -> Self {
        Self {
            id: c.id,
            name: c.name,
            slug: c.slug,
            description: c.description,
            start_date: c.start_date.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            end_date: None,
            is_active: true,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct TrainingDataset {
    id: u64,
    challenge_slug: &'static str,
    version: &'static str,
    is_latest: bool,
    feature_description: &'static str,
    target_description: &'static str,
    uploaded_at: String,
    download_url: String,
}

impl TrainingDataset {
    pub(crate) fn new(t: &TrainingRec, api_root: &str) -> Self {
        Self {
            id: t.id,
            challenge_slug: CHALLENGE_SLUG,
            version: t.version,
            is_latest: t.is_latest,
            feature_description: "80 features: 20 cross-sectional rank bases x lags 0, 5, 10, 15 days \
                (feature_{n}_lag{l}), values in (0, 1].",
            target_description: "target_10d / target_30d: cross-sectional rank of forward relative \
                returns over 10 / 30 days, in (0, 1]; recent rows may be null.",
            uploaded_at: iso(t.uploaded_at),
            download_url: format!(
                "{api_root}/challenges/{CHALLENGE_SLUG}/training_data/{}/download/",
                t.version
            ),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct InferencePeriod {
    id: u64,
    challenge_slug: &'static str,
    release_date: String,
    submission_deadline: String,
    is_processed: bool,
    download_url: String,
    time_remaining: String,
}

impl InferencePeriod {
    pub(crate) fn new(p: &Period, api_root: &str, now: DateTime<Utc>) -> Self {
        let remaining = (p.deadline - now).num_seconds().max(0) as f64 / 3600.0;
        Self {
            id: p.id,
            challenge_slug: CHALLENGE_SLUG,
            release_date: iso(p.release),
            submission_deadline: iso(p.deadline),
            is_processed: p.deadline <= now,
            download_url: format!(
                "{api_root}/challenges/{CHALLENGE_SLUG}/inference_data/{}/download/",
                p.date
            ),
            time_remaining: format!("{remaining:.1} hours"),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Submission {
    id: u64,
    username: String,
    challenge_slug: &'static str,
    inference_data_release_date: Option<String>,
    submitted_at: String,
    status: &'static str,
    slot: u32,
    score_details: Option<serde_json::Value>,
    percentile_details: Option<serde_json::Value>,
    prediction_file: String,
    is_experimental: bool,
    notes: String,
}

impl Submission {
    /// `prediction_file` is the signed storage URL of the uploaded file.
    pub(crate) fn new(s: &SubmissionRec, period: Option<&Period>, prediction_file: String) -> Self {
        Self {
            id: s.id,
            username: s.username.clone(),
            challenge_slug: CHALLENGE_SLUG,
            inference_data_release_date: period.map(|p| iso(p.release)),
            submitted_at: iso(s.submitted_at),
            // Scoring is not emulated: every submission stays pending.
            status: "pending",
            slot: s.slot,
            score_details: None,
            percentile_details: None,
            prediction_file,
            is_experimental: s.is_experimental,
            notes: s.notes.clone(),
        }
    }
}

/// `match_info` of a create response (spec §2.6).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatchInfo {
    pub(crate) matched_ids: usize,
    pub(crate) unmatched_ids: usize,
    pub(crate) message: String,
}

/// The 201/200 create response: the submission plus match and queue information.
#[derive(Debug, Serialize)]
pub(crate) struct Created {
    pub(crate) match_info: MatchInfo,
    #[serde(flatten)]
    pub(crate) submission: Submission,
    pub(crate) queued_for_next: bool,
    pub(crate) queue_error_code: Option<&'static str>,
    pub(crate) queue_error: Option<String>,
}

/// The 202 response when no window is open.
#[derive(Debug, Serialize)]
pub(crate) struct QueuedReply {
    pub(crate) match_info: MatchInfo,
    pub(crate) status: &'static str,
    pub(crate) message: String,
    pub(crate) slot: u32,
    pub(crate) challenge: &'static str,
    pub(crate) is_experimental: bool,
    pub(crate) notes: String,
}

/// `GET /auth/check/` (spec §2.7, with post-HEAD `allow_cloud`).
#[derive(Debug, Serialize)]
pub(crate) struct AuthCheck {
    pub(crate) username: String,
    pub(crate) allow_trading: bool,
    pub(crate) oms_access: bool,
    pub(crate) allow_cloud: bool,
}
