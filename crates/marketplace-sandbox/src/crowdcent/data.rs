//! Read-only endpoints: auth check, challenges, training data, inference periods, meta-model (spec §2.1-§2.5).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};

use super::auth::{ApiRoot, Caller};
use super::export::{served_key, DownloadQuery};
use super::period::meta_model_key;
use super::reply::{redirect, ApiError, Reply};
use super::state::{CrowdcentState, Period};
use super::wire::{AuthCheck, Challenge, InferencePeriod, TrainingDataset};
use super::SIGNED_URL_TTL;
use crate::storage::SignedMethod;
use crate::AppState;

/// `GET /auth/check/`
pub(crate) async fn auth_check(caller: Caller) -> Json<AuthCheck> {
    Json(AuthCheck {
        username: caller.account.username,
        allow_trading: caller.account.allow_trading,
        oms_access: caller.account.oms_access,
        allow_cloud: false,
    })
}

/// `GET /challenges/`: all active challenges.
pub(crate) async fn list_challenges(_: Caller, State(state): State<AppState>) -> Json<Vec<Challenge>> {
    Json(vec![Challenge::from(&state.crowdcent.inner.challenge)])
}

/// `GET /challenges/{slug}/`
pub(crate) async fn get_challenge(
    _: Caller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Reply<Json<Challenge>> {
    check_slug(&state.crowdcent, &slug)?;
    Ok(Json(Challenge::from(&state.crowdcent.inner.challenge)))
}

/// `GET /challenges/{slug}/training_data/`
pub(crate) async fn list_training(
    _: Caller,
    State(state): State<AppState>,
    ApiRoot(root): ApiRoot,
    Path(slug): Path<String>,
) -> Reply<Json<Vec<TrainingDataset>>> {
    check_slug(&state.crowdcent, &slug)?;
    let list = state.crowdcent.inner.training.iter();
    Ok(Json(list.map(|t| TrainingDataset::new(t, &root)).collect()))
}

/// `GET /challenges/{slug}/training_data/latest/`: resolved server-side.
pub(crate) async fn latest_training(
    caller: Caller,
    state: State<AppState>,
    root: ApiRoot,
    Path(slug): Path<String>,
) -> Reply<Json<TrainingDataset>> {
    get_training(caller, state, root, Path((slug, "latest".to_owned()))).await
}

/// `GET /challenges/{slug}/training_data/{version}/`
pub(crate) async fn get_training(
    _: Caller,
    State(state): State<AppState>,
    ApiRoot(root): ApiRoot,
    Path((slug, version)): Path<(String, String)>,
) -> Reply<Json<TrainingDataset>> {
    check_slug(&state.crowdcent, &slug)?;
    let key = training_key(&state.crowdcent, &version)?;
    let t = state.crowdcent.inner.training.iter().find(|t| t.key == key);
    let t = t.ok_or_else(|| version_not_found(&version))?;
    Ok(Json(TrainingDataset::new(t, &root)))
}

/// `GET /challenges/{slug}/training_data/latest/download/` (spec §2.0: gone in 0.2.0 clients, kept as a convenience).
pub(crate) async fn download_latest_training(
    caller: Caller,
    state: State<AppState>,
    Path(slug): Path<String>,
    query: Query<DownloadQuery>,
) -> Reply {
    download_training(caller, state, Path((slug, "latest".to_owned())), query).await
}

/// `GET /challenges/{slug}/training_data/{version}/download/`: 302 to storage (`?as=csv`: to a CSV
/// copy, spec §7.5).
pub(crate) async fn download_training(
    _: Caller,
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
    Query(query): Query<DownloadQuery>,
) -> Reply {
    check_slug(&state.crowdcent, &slug)?;
    let key = training_key(&state.crowdcent, &version)?;
    signed_redirect(&state, &key, &query).await
}

/// `GET /challenges/{slug}/inference_data/`: every published period, oldest first.
pub(crate) async fn list_inference(
    _: Caller,
    State(state): State<AppState>,
    ApiRoot(root): ApiRoot,
    Path(slug): Path<String>,
) -> Reply<Json<Vec<InferencePeriod>>> {
    check_slug(&state.crowdcent, &slug)?;
    let now = synced_now(&state).await?;
    let data = state.crowdcent.inner.data.lock().await;
    let list = data.published(now).map(|p| InferencePeriod::new(p, &root, now));
    Ok(Json(list.collect()))
}

/// `GET /challenges/{slug}/inference_data/current/`: 404 when no period is open.
pub(crate) async fn current_inference(
    _: Caller,
    State(state): State<AppState>,
    ApiRoot(root): ApiRoot,
    Path(slug): Path<String>,
) -> Reply<Json<InferencePeriod>> {
    let (period, now) = find_period(&state, &slug, None).await?;
    Ok(Json(InferencePeriod::new(&period, &root, now)))
}

/// `GET /challenges/{slug}/inference_data/current/download/`: 302, or 404 while nothing is open.
pub(crate) async fn download_current_inference(
    _: Caller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Reply {
    let (period, _) = find_period(&state, &slug, None).await?;
    signed_redirect(&state, &period.key, &query).await
}

/// `GET /challenges/{slug}/inference_data/{YYYY-MM-DD}/`
pub(crate) async fn get_inference(
    _: Caller,
    State(state): State<AppState>,
    ApiRoot(root): ApiRoot,
    Path((slug, date)): Path<(String, String)>,
) -> Reply<Json<InferencePeriod>> {
    let (period, now) = find_period(&state, &slug, Some(&date)).await?;
    Ok(Json(InferencePeriod::new(&period, &root, now)))
}

/// `GET /challenges/{slug}/inference_data/{YYYY-MM-DD}/download/`
pub(crate) async fn download_inference(
    _: Caller,
    State(state): State<AppState>,
    Path((slug, date)): Path<(String, String)>,
    Query(query): Query<DownloadQuery>,
) -> Reply {
    let (period, _) = find_period(&state, &slug, Some(&date)).await?;
    signed_redirect(&state, &period.key, &query).await
}

/// `GET /challenges/{slug}/meta_model/download/`
pub(crate) async fn download_meta_model(
    _: Caller,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Reply {
    check_slug(&state.crowdcent, &slug)?;
    synced_now(&state).await?;
    signed_redirect(&state, &meta_model_key(), &query).await
}

/// 404 unless `slug` names the seeded challenge.
pub(crate) fn check_slug(cc: &CrowdcentState, slug: &str) -> Reply<()> {
    if slug == cc.inner.challenge.slug {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("Challenge '{slug}' not found.")))
    }
}

/// Publishes periods that fell due and returns the clock's time.
pub(crate) async fn synced_now(state: &AppState) -> Reply<DateTime<Utc>> {
    let now = state.clock.now();
    state
        .crowdcent
        .sync(&state.storage, now)
        .await
        .map_err(|e| ApiError::internal("publish the next inference period", &e))?;
    Ok(now)
}

/// Parses a canonical, zero-padded `YYYY-MM-DD` date.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    (date.format("%Y-%m-%d").to_string() == text).then_some(date)
}

/// The open period (`date == None`) or the published period of `date`.
async fn find_period(state: &AppState, slug: &str, date: Option<&str>) -> Reply<(Period, DateTime<Utc>)> {
    check_slug(&state.crowdcent, slug)?;
    let now = synced_now(state).await?;
    let data = state.crowdcent.inner.data.lock().await;
    let found = match date {
        None => data.open_period(now).ok_or_else(|| {
            ApiError::not_found("No inference period is open right now; try again after the next release.")
        })?,
        Some(text) => parse_date(text)
            .and_then(|d| data.published(now).find(|p| p.date == d))
            .ok_or_else(|| ApiError::not_found(format!("Inference data for '{text}' not found.")))?,
    };
    Ok((found.clone(), now))
}

/// The storage key of training `version` (`latest` resolves to the latest version).
fn training_key(cc: &CrowdcentState, version: &str) -> Reply<String> {
    let training = &cc.inner.training;
    let found = if version == "latest" {
        training.iter().find(|t| t.is_latest)
    } else {
        training.iter().find(|t| t.version == version)
    };
    found
        .map(|t| t.key.clone())
        .ok_or_else(|| version_not_found(version))
}

fn version_not_found(version: &str) -> ApiError {
    ApiError::not_found(format!("Training dataset version '{version}' not found."))
}

/// 302 to a GET URL on storage valid for [`SIGNED_URL_TTL`], for `key` or the copy `query` asks for.
async fn signed_redirect(state: &AppState, key: &str, query: &DownloadQuery) -> Reply<Response> {
    let key = served_key(&state.storage, key, query).await?;
    let url = state
        .storage
        .signed_url(&key, SignedMethod::Get, SIGNED_URL_TTL, state.clock.now());
    Ok(redirect(&url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_dates_parse() {
        assert!(parse_date("2025-06-09").is_some());
        assert!(parse_date("2025-6-9").is_none());
        assert!(parse_date("2025-02-30").is_none());
        assert!(parse_date("2025-06-09T00:00:00").is_none());
        assert!(parse_date("current").is_none());
    }
}
