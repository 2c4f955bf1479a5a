//! CrowdCent Challenge DTOs (spec `crowdcent-api.md` §1.4, §2): challenges, datasets, periods, submissions.
//!
//! Timestamps are `DateTime<Utc>` (wire: ISO-8601 with `Z`, optional fraction). Free-form score dicts are
//! kept as [`JsonObject`]. Unknown extra fields are ignored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::JsonObject;

/// A challenge (`GET /challenges/`, `GET /challenges/{slug}/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Database id.
    pub id: u64,
    /// Display name, e.g. `Hyperliquid Ranking`.
    pub name: String,
    /// Slug used in paths, e.g. `hyperliquid-ranking`.
    pub slug: String,
    /// Free text (may contain `\r\n`).
    #[serde(default)]
    pub description: String,
    /// Start of the challenge.
    #[serde(with = "crate::datetime::utc")]
    pub start_date: DateTime<Utc>,
    /// End of the challenge, if any.
    #[serde(default, with = "crate::datetime::utc::option")]
    pub end_date: Option<DateTime<Utc>>,
    /// Whether the challenge is active.
    #[serde(default)]
    pub is_active: bool,
}

/// A training dataset version (`…/training_data/`, `…/latest/`, `…/{version}/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingDataset {
    /// Database id (never used in a path).
    pub id: u64,
    /// Challenge slug.
    pub challenge_slug: String,
    /// Version string, passed through verbatim (`"1.0"`, `"2.0"`, `"3.0"`).
    pub version: String,
    /// Exactly one version is latest.
    #[serde(default)]
    pub is_latest: bool,
    /// Free text, may be empty.
    #[serde(default)]
    pub feature_description: String,
    /// Free text, may be empty.
    #[serde(default)]
    pub target_description: String,
    /// Upload time.
    #[serde(with = "crate::datetime::utc")]
    pub uploaded_at: DateTime<Utc>,
    /// The API's own download endpoint (redirects to a signed URL).
    pub download_url: String,
}

/// An inference period (`…/inference_data/`, `…/current/`, `…/{YYYY-MM-DD}/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InferencePeriod {
    /// Database id.
    pub id: u64,
    /// Challenge slug.
    pub challenge_slug: String,
    /// When the file was published (around 14:00 UTC).
    #[serde(with = "crate::datetime::utc")]
    pub release_date: DateTime<Utc>,
    /// Release + 4 h.
    #[serde(with = "crate::datetime::utc")]
    pub submission_deadline: DateTime<Utc>,
    /// False while the period is open or scoring.
    #[serde(default)]
    pub is_processed: bool,
    /// The API's own download endpoint (date form).
    pub download_url: String,
    /// Human string such as `"1.7 hours"` (presentation only).
    #[serde(default)]
    pub time_remaining: Option<String>,
}

string_enum! {
    /// Status of a submission.
    pub enum SubmissionStatus {
        /// Awaiting scores (scores may already be partially filled).
        Pending => "pending",
        /// Scored.
        Evaluated => "evaluated",
        /// Queued for the next period (create response only).
        Queued => "queued",
        /// Being processed (FAQ only).
        Processing => "processing",
        /// Scored (FAQ only).
        Scored => "scored",
        /// Error (FAQ only).
        Error => "error",
        /// Failed (FAQ only).
        Failed => "failed",
    }
}

/// A submission (`GET …/submissions/`, `GET …/submissions/{id}/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Submission id.
    pub id: u64,
    /// Owner.
    #[serde(default)]
    pub username: String,
    /// Challenge slug.
    #[serde(default)]
    pub challenge_slug: String,
    /// The period's `release_date`.
    #[serde(default, with = "crate::datetime::utc::option")]
    pub inference_data_release_date: Option<DateTime<Utc>>,
    /// Upload time.
    #[serde(with = "crate::datetime::utc")]
    pub submitted_at: DateTime<Utc>,
    /// Status.
    pub status: SubmissionStatus,
    /// Slot, 1-based.
    pub slot: u32,
    /// Metric name → score (`spearman_10d`, `ndcg@40_30d`, ...); may be partial while pending.
    #[serde(default)]
    pub score_details: Option<JsonObject>,
    /// Metric name → percentile on a 0–100 scale, plus `composite_percentile`.
    #[serde(default)]
    pub percentile_details: Option<JsonObject>,
    /// Presigned URL of the uploaded file (valid about 1 h).
    #[serde(default)]
    pub prediction_file: Option<String>,
    /// Experimental submission.
    #[serde(default)]
    pub is_experimental: bool,
    /// Private notes, may be empty.
    #[serde(default)]
    pub notes: String,
}

/// `match_info` of a submit response: `{"matched_ids": 171, "unmatched_ids": 0, "message": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchInfo {
    /// Ids matched against the inference universe.
    #[serde(default)]
    pub matched_ids: u64,
    /// Ids not in the universe.
    #[serde(default)]
    pub unmatched_ids: u64,
    /// Human message, e.g. `171 IDs matched inference data`.
    #[serde(default)]
    pub message: Option<String>,
}

/// Response of `POST …/submissions/`: a submission (201/200) or a queued notice (202), plus queue fields.
///
/// The 201/200 body is a [`Submission`] plus `match_info`, `queued_for_next`, `queue_error_code`
/// and `queue_error`; the 202 body is `{match_info, status: "queued", message, slot, challenge,
/// is_experimental, notes}`. Every field is therefore optional here; see [`SubmitResponse::is_queued`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubmitResponse {
    /// How many ids matched.
    #[serde(default)]
    pub match_info: Option<MatchInfo>,
    /// Submission id (201/200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Owner (201/200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Challenge slug (201/200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_slug: Option<String>,
    /// The period's release date (201/200 only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::datetime::utc::option"
    )]
    pub inference_data_release_date: Option<DateTime<Utc>>,
    /// Upload time (201/200 only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::datetime::utc::option"
    )]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Status: `pending` for a live submission, `queued` for a 202.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SubmissionStatus>,
    /// Slot, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<u32>,
    /// Scores (201/200 only; null at first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_details: Option<JsonObject>,
    /// Percentiles (201/200 only; null at first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentile_details: Option<JsonObject>,
    /// Presigned URL of the uploaded file (201/200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction_file: Option<String>,
    /// Experimental submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_experimental: Option<bool>,
    /// Private notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// A copy was queued for the next period (201/200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_for_next: Option<bool>,
    /// Why the queue copy was rejected, e.g. `EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP` (a 200 partial success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_error_code: Option<String>,
    /// Human text for `queue_error_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_error: Option<String>,
    /// Human message (202 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Challenge slug (202 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
}

impl SubmitResponse {
    /// Whether the file was only queued for the next window (the 202 shape: `status == "queued"`, no id).
    pub fn is_queued(&self) -> bool {
        self.id.is_none() && self.status == Some(SubmissionStatus::Queued)
    }

    /// The live submission, when the body carried one (201/200).
    pub fn submission(&self) -> Option<Submission> {
        Some(Submission {
            id: self.id?,
            username: self.username.clone().unwrap_or_default(),
            challenge_slug: self.challenge_slug.clone().unwrap_or_default(),
            inference_data_release_date: self.inference_data_release_date,
            submitted_at: self.submitted_at?,
            status: self.status.clone()?,
            slot: self.slot?,
            score_details: self.score_details.clone(),
            percentile_details: self.percentile_details.clone(),
            prediction_file: self.prediction_file.clone(),
            is_experimental: self.is_experimental.unwrap_or(false),
            notes: self.notes.clone().unwrap_or_default(),
        })
    }
}

/// Response of `GET /auth/check/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCheck {
    /// The key's owner.
    pub username: String,
    /// The key may trade.
    #[serde(default)]
    pub allow_trading: bool,
    /// OMS access (Challenger tier with an active submission).
    #[serde(default)]
    pub oms_access: bool,
    /// The key may use CrowdCent Cloud (post-0.2.0 servers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_cloud: Option<bool>,
}

/// A CrowdCent error body: `{"error": {"code", "message", "fields"?}}`, or DRF's `{"detail": ...}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The standard error object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    /// DRF-style detail, when the standard object is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

/// The `error` object of a CrowdCent error body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// Machine code, e.g. `NOT_AUTHENTICATED`, `CONFIRMATION_REQUIRED`.
    #[serde(default)]
    pub code: Option<String>,
    /// Human message.
    #[serde(default)]
    pub message: Option<String>,
    /// Per-field detail: field → list of messages or a single string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<serde_json::Value>,
}
