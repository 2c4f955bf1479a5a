//! `GET /challenges/{slug}/submissions/` (with `?period=`) and `GET …/submissions/{id}/` (spec §2.6).

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

use super::auth::Caller;
use super::data::{check_slug, parse_date, synced_now};
use super::reply::{ApiError, Reply};
use super::wire::Submission;
use super::SIGNED_URL_TTL;
use crate::storage::SignedMethod;
use crate::AppState;

/// Query of the list endpoint.
#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    period: Option<String>,
}

/// The caller's submissions of this challenge, all slots, ascending id; `period` is `current` or a date.
pub(crate) async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Reply<Json<Vec<Submission>>> {
    check_slug(&state.crowdcent, &slug)?;
    let now = synced_now(&state).await?;
    let data = state.crowdcent.inner.data.lock().await;
    // `None` = no filter; `Some(None)` = a filter that matches no period (no submissions).
    let filter = match query.period.as_deref() {
        None | Some("") => None,
        Some("current") => Some(data.open_period(now).map(|p| p.id)),
        Some(text) => {
            let date = parse_date(text).ok_or_else(|| {
                ApiError::field(
                    "INVALID_PERIOD",
                    "period",
                    format!("period must be 'current' or a date as YYYY-MM-DD, got '{text}'."),
                )
            })?;
            Some(data.periods.iter().find(|p| p.date == date).map(|p| p.id))
        }
    };
    let mut mine: Vec<_> = data
        .submissions
        .iter()
        .filter(|s| s.username == caller.account.username)
        .filter(|s| filter.is_none_or(|f| f == Some(s.period_id)))
        .collect();
    mine.sort_by_key(|s| s.id);
    let list = mine
        .into_iter()
        .map(|s| {
            let url = state
                .storage
                .signed_url(&s.file_key, SignedMethod::Get, SIGNED_URL_TTL, now);
            Submission::new(s, data.period(s.period_id), url)
        })
        .collect();
    Ok(Json(list))
}

/// One submission; 404 when it does not exist or belongs to someone else.
pub(crate) async fn detail(
    caller: Caller,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Reply<Json<Submission>> {
    check_slug(&state.crowdcent, &slug)?;
    let now = synced_now(&state).await?;
    let data = state.crowdcent.inner.data.lock().await;
    let found = id
        .parse::<u64>()
        .ok()
        .and_then(|id| data.submissions.iter().find(|s| s.id == id))
        .filter(|s| s.username == caller.account.username)
        .ok_or_else(|| ApiError::not_found(format!("Submission '{id}' not found.")))?;
    let url = state
        .storage
        .signed_url(&found.file_key, SignedMethod::Get, SIGNED_URL_TTL, now);
    Ok(Json(Submission::new(found, data.period(found.period_id), url)))
}
