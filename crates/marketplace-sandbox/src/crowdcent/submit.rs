//! `POST /challenges/{slug}/submissions/`: multipart parsing, validation, slots, queueing (spec §2.6, §4.4-§4.5).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::auth::Caller;
use super::check::validate_submission;
use super::data::{check_slug, synced_now};
use super::reply::{ApiError, Reply};
use super::state::{Data, Queued, SubmissionRec};
use super::wire::{Created, QueuedReply, Submission};
use super::{gen, MAX_NOTES_CHARS, SIGNED_URL_TTL, SLOTS};
use crate::storage::SignedMethod;
use crate::AppState;

/// The `queue_error_code` of a rejected queue copy (spec §1.4).
const QUEUE_EXP_CODE: &str = "EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP";

/// The parsed form of §2.6.
#[derive(Debug)]
struct Form {
    slot: u32,
    also_queue_next: bool,
    is_experimental: bool,
    notes: String,
    file: Bytes,
    /// The part's filename, as sent.
    file_name: String,
}

/// `POST /challenges/{slug}/submissions/`: 201 created, 200 replaced (or queue copy rejected), 202 queued.
pub(crate) async fn create(
    caller: Caller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Reply {
    check_slug(&state.crowdcent, &slug)?;
    let multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_MULTIPART",
            format!("Send the submission as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let form = parse_form(multipart).await?;
    let now = synced_now(&state).await?;
    let username = caller.account.username;
    let mut data = state.crowdcent.inner.data.lock().await;
    let open = data.open_period(now).cloned();
    let universe = match &open {
        Some(p) => p.universe.to_vec(),
        // Queued files are matched against the universe of the period they will land in.
        None => gen::universe_on(
            data.periods
                .last()
                .and_then(|p| p.date.succ_opt())
                .unwrap_or_else(|| now.date_naive()),
        ),
    };
    let file_key = data.upload_key(&username, file_extension(&form.file_name, &form.file));
    state
        .storage
        .write_bytes(&file_key, &form.file)
        .await
        .map_err(|e| ApiError::internal("store the prediction file", &e))?;
    let path = state.storage.object_path(&file_key);
    let match_info = match validate_submission(&path, &form.file_name, &universe).await {
        Ok(info) => info,
        Err(e) => {
            discard(&state, &file_key).await;
            return Err(e);
        }
    };
    let queued = Queued {
        is_experimental: form.is_experimental,
        notes: form.notes.clone(),
        file_key: file_key.clone(),
    };
    let Some(period) = open else {
        // No window open: queue for the next period (202).
        if form.is_experimental && !queue_has_sibling(&data, &username, form.slot) {
            discard(&state, &file_key).await;
            return Err(experimental_error());
        }
        data.queue.insert((username, form.slot), queued);
        let body = QueuedReply {
            match_info,
            status: "queued",
            message: format!(
                "Submission queued for slot {}. Will be automatically submitted when next period opens.",
                form.slot
            ),
            slot: form.slot,
            challenge: super::CHALLENGE_SLUG,
            is_experimental: form.is_experimental,
            notes: form.notes,
        };
        return Ok((StatusCode::ACCEPTED, Json(body)).into_response());
    };
    if form.is_experimental && !period_has_sibling(&data, &username, period.id, form.slot) {
        discard(&state, &file_key).await;
        return Err(experimental_error());
    }
    let existing = data
        .submissions
        .iter_mut()
        .find(|s| s.username == username && s.period_id == period.id && s.slot == form.slot);
    let (mut status, record) = match existing {
        Some(s) => {
            // Spec §4.5: resubmitting to the same slot replaces the earlier submission.
            s.submitted_at = now;
            s.is_experimental = form.is_experimental;
            s.notes = form.notes.clone();
            s.file_key = file_key.clone();
            (StatusCode::OK, s.clone())
        }
        None => {
            data.next_submission_id += 1;
            let record = new_record(&data, &username, period.id, now, &form, &file_key);
            data.submissions.push(record.clone());
            (StatusCode::CREATED, record)
        }
    };
    let (mut queued_for_next, mut queue_error_code, mut queue_error) = (false, None, None);
    if form.also_queue_next {
        if form.is_experimental && !queue_has_sibling(&data, &username, form.slot) {
            // Spec §2.6: the live save stands, the queue copy is refused, and the status is 200.
            status = StatusCode::OK;
            queue_error_code = Some(QUEUE_EXP_CODE);
            queue_error = Some(
                "An experimental queue copy needs a non-experimental queued submission in another slot."
                    .to_owned(),
            );
        } else {
            data.queue.insert((username, form.slot), queued);
            queued_for_next = true;
        }
    }
    let url = state
        .storage
        .signed_url(&record.file_key, SignedMethod::Get, SIGNED_URL_TTL, now);
    let body = Created {
        match_info,
        submission: Submission::new(&record, Some(&period), url),
        queued_for_next,
        queue_error_code,
        queue_error,
    };
    Ok((status, Json(body)).into_response())
}

fn new_record(
    data: &Data,
    username: &str,
    period_id: u64,
    now: DateTime<Utc>,
    form: &Form,
    file_key: &str,
) -> SubmissionRec {
    SubmissionRec {
        id: data.next_submission_id,
        username: username.to_owned(),
        period_id,
        submitted_at: now,
        slot: form.slot,
        is_experimental: form.is_experimental,
        notes: form.notes.clone(),
        file_key: file_key.to_owned(),
    }
}

/// Whether another slot of this period holds a non-experimental submission of `username`.
fn period_has_sibling(data: &Data, username: &str, period_id: u64, slot: u32) -> bool {
    data.submissions
        .iter()
        .any(|s| s.username == username && s.period_id == period_id && s.slot != slot && !s.is_experimental)
}

/// Whether another slot of the queue holds a non-experimental entry of `username`.
fn queue_has_sibling(data: &Data, username: &str, slot: u32) -> bool {
    data.queue
        .iter()
        .any(|((u, s), q)| u == username && *s != slot && !q.is_experimental)
}

fn experimental_error() -> ApiError {
    ApiError::field(
        "EXPERIMENTAL_REQUIRES_NON_EXP",
        "is_experimental",
        "An experimental submission needs a non-experimental submission in another slot for the same period.",
    )
}

/// Removes a rejected upload (best effort: a leftover file is harmless).
async fn discard(state: &AppState, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        tracing::warn!(%e, key, "could not delete a rejected submission file");
    }
}

/// Reads the multipart fields of §2.6; unknown parts are ignored.
async fn parse_form(mut multipart: Multipart) -> Reply<Form> {
    let mut form = Form {
        slot: 1,
        also_queue_next: true,
        is_experimental: false,
        notes: String::new(),
        file: Bytes::new(),
        file_name: String::new(),
    };
    let mut have_file = false;
    let bad_body = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(
            e.status(),
            "INVALID_MULTIPART",
            format!("Could not read the multipart body: {}", e.body_text()),
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(bad_body)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "prediction_file" => {
                form.file_name = field.file_name().unwrap_or("submission.parquet").to_owned();
                form.file = field.bytes().await.map_err(bad_body)?;
                have_file = true;
            }
            "slot" => {
                let text = field.text().await.map_err(bad_body)?;
                form.slot = text
                    .trim()
                    .parse()
                    .ok()
                    .filter(|s| (1..=SLOTS).contains(s))
                    .ok_or_else(|| {
                        ApiError::field(
                            "INVALID_SLOT",
                            "slot",
                            format!("Slot must be an integer between 1 and {SLOTS}, got '{text}'."),
                        )
                    })?;
            }
            "also_queue_next" | "is_experimental" => {
                let text = field.text().await.map_err(bad_body)?;
                let value = parse_bool(&text).ok_or_else(|| {
                    ApiError::field(
                        "INVALID_FIELD",
                        &name,
                        format!("{name} must be 'true' or 'false', got '{text}'."),
                    )
                })?;
                if name == "also_queue_next" {
                    form.also_queue_next = value;
                } else {
                    form.is_experimental = value;
                }
            }
            "notes" => {
                let text = field.text().await.map_err(bad_body)?;
                let chars = text.chars().count();
                if chars > MAX_NOTES_CHARS {
                    return Err(ApiError::field(
                        "NOTES_TOO_LONG",
                        "notes",
                        format!("Notes must be at most {MAX_NOTES_CHARS} characters, got {chars}."),
                    ));
                }
                form.notes = text;
            }
            _ => {}
        }
    }
    if !have_file {
        return Err(ApiError::field(
            "MISSING_FILE",
            "prediction_file",
            "No prediction_file was uploaded; attach the Parquet file as the 'prediction_file' part.",
        ));
    }
    Ok(form)
}

/// How an upload is read: newer official clients send CSV by default (`submission.csv`) and Parquet when
/// the path ends in `.parquet`, so the filename decides, then the `PAR1` magic.
fn file_extension(file_name: &str, bytes: &[u8]) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        "csv"
    } else if lower.ends_with(".parquet") || lower.ends_with(".pq") || bytes.starts_with(b"PAR1") {
        "parquet"
    } else {
        "csv"
    }
}

/// DRF-style boolean form values.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filename_then_the_magic_picks_the_format() {
        assert_eq!(file_extension("submission.csv", b"PAR1"), "csv");
        assert_eq!(file_extension("preds.PARQUET", b"id,x"), "parquet");
        assert_eq!(file_extension("blob", b"PAR1...."), "parquet");
        assert_eq!(file_extension("blob", b"id,pred_10d"), "csv");
    }

    #[test]
    fn booleans_parse_like_drf() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
