//! CrowdCent Challenge emulation (spec `crowdcent-api.md` §1-§4 and §9), mounted under `/api`.
//!
//! One challenge ([`CHALLENGE_SLUG`]) is seeded with two training versions, a few closed daily inference
//! periods, one period **open from the start** (so `inference_data/current/` works at any hour) and a
//! consolidated meta-model; all files are small deterministic Parquet files in storage. Later periods
//! open on the daily schedule of §9 (14:01 UTC, 4 h window) as the sandbox clock moves.
//!
//! Error codes (body `{"error": {"code", "message", "fields"?}}`); the real server's codes for these
//! cases are unknown (spec §10.3), so these are the sandbox's own:
//!
//! | status | code | when |
//! |---|---|---|
//! | 401 | `NOT_AUTHENTICATED` | missing, malformed or unknown `Authorization: Api-Key` |
//! | 404 | `NOT_FOUND` | unknown slug, version, date, period, submission (or someone else's) |
//! | 400 | `INVALID_MULTIPART` | the body is not readable multipart/form-data |
//! | 400 | `INVALID_SLOT` | `slot` not an integer in 1..=5 |
//! | 400 | `INVALID_FIELD` | `also_queue_next` / `is_experimental` not `true`/`false` |
//! | 400 | `NOTES_TOO_LONG` | `notes` longer than 2000 characters |
//! | 400 | `MISSING_FILE` | no `prediction_file` part |
//! | 400 | `INVALID_FILE` | `prediction_file` is not readable Parquet |
//! | 400 | `INVALID_SUBMISSION` | the file breaks a `crowdcent-hyperliquid` rule or matches < 80 inference ids |
//! | 400 | `EXPERIMENTAL_REQUIRES_NON_EXP` | experimental without a non-experimental sibling slot |
//! | 400 | `INVALID_PERIOD` | `?period=` neither `current` nor `YYYY-MM-DD` |
//! | 400 | `INVALID_FIELD` | a download's `?as=` neither `csv` nor `parquet` |
//!
//! The download endpoints redirect to the stored Parquet file, or with `?as=csv` (client 0.2.16
//! sends it for a `.csv` destination) to a CSV copy the sandbox makes on first request.

mod auth;
mod check;
mod data;
mod export;
mod gen;
mod period;
mod reply;
mod state;
mod submissions;
mod submit;
mod wire;

use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;

use crate::clock::Clock;
use crate::storage::Storage;
use crate::AppState;

pub(crate) use state::CrowdcentState;

/// Slug of the seeded challenge.
pub const CHALLENGE_SLUG: &str = "hyperliquid-ranking";
/// The seeded API key of [`USERNAME`] (a sandbox fixture, not a secret).
pub const API_KEY: &str = "sandbox-crowdcent-api-key-0001";
/// The user owning [`API_KEY`].
pub const USERNAME: &str = "sandbox-user";
/// A second seeded key, for a user whose submissions the first one must not see.
pub const OTHER_API_KEY: &str = "sandbox-crowdcent-api-key-0002";
/// The user owning [`OTHER_API_KEY`].
pub const OTHER_USERNAME: &str = "sandbox-rival";
/// Where the router is mounted; used to build absolute `download_url`s.
pub const MOUNT: &str = "/api";
/// Lifetime of the signed storage URLs the download endpoints redirect to (spec §2.5).
pub const SIGNED_URL_TTL: std::time::Duration = std::time::Duration::from_secs(3600);
/// Number of submission slots per period.
pub const SLOTS: u32 = 5;
/// Maximum length of `notes`, in characters.
pub const MAX_NOTES_CHARS: usize = 2000;
/// Minimum number of submitted ids that must match the inference universe.
pub const MIN_MATCHED_IDS: usize = 80;
/// Largest accepted submission body.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The CrowdCent routes, relative to the `/api` mount point. Every path keeps its trailing slash.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/check/", get(data::auth_check))
        .route("/challenges/", get(data::list_challenges))
        .route("/challenges/{slug}/", get(data::get_challenge))
        .route("/challenges/{slug}/training_data/", get(data::list_training))
        .route(
            "/challenges/{slug}/training_data/latest/",
            get(data::latest_training),
        )
        .route(
            "/challenges/{slug}/training_data/latest/download/",
            get(data::download_latest_training),
        )
        .route(
            "/challenges/{slug}/training_data/{version}/",
            get(data::get_training),
        )
        .route(
            "/challenges/{slug}/training_data/{version}/download/",
            get(data::download_training),
        )
        .route("/challenges/{slug}/inference_data/", get(data::list_inference))
        .route(
            "/challenges/{slug}/inference_data/current/",
            get(data::current_inference),
        )
        .route(
            "/challenges/{slug}/inference_data/current/download/",
            get(data::download_current_inference),
        )
        .route(
            "/challenges/{slug}/inference_data/{date}/",
            get(data::get_inference),
        )
        .route(
            "/challenges/{slug}/inference_data/{date}/download/",
            get(data::download_inference),
        )
        .route(
            "/challenges/{slug}/meta_model/download/",
            get(data::download_meta_model),
        )
        .route(
            "/challenges/{slug}/submissions/",
            get(submissions::list).post(submit::create),
        )
        .route("/challenges/{slug}/submissions/{id}/", get(submissions::detail))
        .fallback(reply::unknown_route)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// Seeds the CrowdCent data: generates the training, inference and meta-model Parquet files into
/// `storage` and opens an inference period at the clock's current time.
///
/// `data_dir` is the sandbox data directory; the files themselves go through `storage`.
///
/// # Errors
/// [`crate::Error::Seed`] when a file cannot be generated or written.
pub(crate) async fn seed(data_dir: &Path, storage: &Storage, clock: &Clock) -> crate::Result<CrowdcentState> {
    tracing::debug!(data_dir = %data_dir.display(), "seeding crowdcent data");
    CrowdcentState::seed(storage, clock.now()).await
}
