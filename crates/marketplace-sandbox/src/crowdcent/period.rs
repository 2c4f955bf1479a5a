//! The daily inference-period schedule driven by the sandbox clock (spec §2.3 and §9).
//!
//! A period is published at 14:01:01.161998 UTC, the window closes 4 h after publication. The seed adds a
//! period published at the seed instant, so one is open from the start. Periods that fall due as the
//! clock moves are created lazily, on the next request that looks at periods ([`CrowdcentState::sync`]).

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};

use super::state::{CrowdcentState, Data, Period, SubmissionRec};
use super::{gen, CHALLENGE_SLUG};
use crate::storage::Storage;

/// Closed periods seeded before the open one.
pub(crate) const HISTORY_DAYS: i64 = 3;
/// When the clock jumps far ahead, only this many missed days are materialized.
const MAX_CATCH_UP_DAYS: i64 = 14;

/// A period's file could not be produced.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileError {
    #[error("could not build the frame")]
    Frame(#[from] arrow::error::ArrowError),
    #[error("could not encode Parquet")]
    Parquet(#[from] frame_io::Error),
    #[error("could not write to storage")]
    Storage(#[from] std::io::Error),
}

/// The submission window length.
pub(crate) fn window() -> Duration {
    Duration::hours(4)
}

/// `date` at the given UTC time.
pub(crate) fn at(date: NaiveDate, h: u32, m: u32, s: u32, micro: u32) -> DateTime<Utc> {
    date.and_hms_micro_opt(h, m, s, micro)
        .unwrap_or_default()
        .and_utc()
}

/// When the period of `date` is published on the regular schedule.
pub(crate) fn scheduled_release(date: NaiveDate) -> DateTime<Utc> {
    at(date, 14, 1, 1, 161_998)
}

/// Drops sub-microsecond precision (the wire shows microseconds).
pub(crate) fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = t.nanosecond() % 1_000_000_000;
    t.with_nanosecond(nanos - nanos % 1000).unwrap_or(t)
}

/// ISO-8601 with microseconds and `Z`, as the real server writes datetimes.
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Adds a period (generating and storing its inference file) and moves queued submissions into it.
pub(crate) async fn publish(
    data: &mut Data,
    storage: &Storage,
    date: NaiveDate,
    release: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<(), FileError> {
    let universe = gen::universe_on(date);
    let bytes = gen::to_parquet(&gen::inference(date, &universe)?)?;
    let key = format!("crowdcent/{CHALLENGE_SLUG}/inference/{date}.parquet");
    storage.write_bytes(&key, &bytes).await?;
    let id = data.periods.last().map_or(40, |p| p.id + 1);
    data.periods.push(Period {
        id,
        date,
        release,
        deadline,
        universe: Arc::new(universe),
        key,
    });
    // Queued entries become live submissions of the period that just opened (spec §2.6, 202).
    for ((username, slot), queued) in std::mem::take(&mut data.queue) {
        data.next_submission_id += 1;
        data.submissions.push(SubmissionRec {
            id: data.next_submission_id,
            username,
            period_id: id,
            submitted_at: release,
            slot,
            is_experimental: queued.is_experimental,
            notes: queued.notes,
            file_key: queued.file_key,
        });
    }
    Ok(())
}

/// Regenerates the consolidated meta-model from every period closed at `now`.
pub(crate) async fn write_meta_model(
    data: &Data,
    storage: &Storage,
    now: DateTime<Utc>,
) -> Result<(), FileError> {
    let closed: Vec<(NaiveDate, Arc<Vec<String>>)> = data
        .periods
        .iter()
        .filter(|p| p.deadline <= now)
        .map(|p| (p.date, Arc::clone(&p.universe)))
        .collect();
    let bytes = gen::to_parquet(&gen::meta_model(&closed)?)?;
    storage.write_bytes(&meta_model_key(), &bytes).await?;
    Ok(())
}

/// Storage key of the meta-model file.
pub(crate) fn meta_model_key() -> String {
    format!("crowdcent/{CHALLENGE_SLUG}/meta_model.parquet")
}

/// The date of the period after `data`'s last one on the regular schedule.
fn next_date(data: &Data) -> Option<NaiveDate> {
    data.periods.last().and_then(|p| p.date.succ_opt())
}

impl CrowdcentState {
    /// Publishes every scheduled period that has fallen due by `now` (at most the last 14 days of
    /// them after a big clock jump) and refreshes the meta-model when anything changed.
    ///
    /// # Errors
    /// When a period file cannot be generated or written to storage.
    pub(crate) async fn sync(&self, storage: &Storage, now: DateTime<Utc>) -> Result<(), FileError> {
        let mut data = self.inner.data.lock().await;
        let mut changed = false;
        while let Some(mut date) = next_date(&data) {
            if scheduled_release(date) > now {
                break;
            }
            let earliest = now.date_naive() - Duration::days(MAX_CATCH_UP_DAYS);
            if date < earliest {
                date = earliest;
            }
            let release = scheduled_release(date);
            publish(&mut data, storage, date, release, release + window()).await?;
            changed = true;
        }
        if changed {
            write_meta_model(&data, storage, now).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_has_microseconds_and_z() {
        let t = at(
            NaiveDate::from_ymd_opt(2025, 6, 9).expect("date"),
            14,
            1,
            1,
            161_998,
        );
        assert_eq!(iso(t), "2025-06-09T14:01:01.161998Z");
        assert_eq!(iso(t + window()), "2025-06-09T18:01:01.161998Z");
        let whole = at(NaiveDate::from_ymd_opt(2025, 6, 9).expect("date"), 0, 0, 0, 0);
        assert_eq!(iso(whole), "2025-06-09T00:00:00.000000Z");
    }

    async fn seeded(now: DateTime<Utc>) -> (tempfile::TempDir, Storage, CrowdcentState) {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = url::Url::parse("http://127.0.0.1:1").expect("url");
        let storage = Storage::new(dir.path().join("objects"), base, [7; 32]);
        let state = CrowdcentState::seed(&storage, now).await.expect("seed");
        (dir, storage, state)
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[tokio::test]
    async fn schedule_and_catch_up() {
        let t0 = utc("2026-03-10T03:00:00Z");
        let (_dir, storage, state) = seeded(t0).await;
        assert!(!format!("{state:?}").contains(super::super::API_KEY));
        {
            let data = state.inner.data.lock().await;
            assert_eq!(data.periods.len(), 4);
            assert_eq!(
                data.open_period(t0).map(|p| p.date.to_string()),
                Some("2026-03-10".into())
            );
            assert!(storage.exists(&data.periods[0].key));
        }
        // The next day's scheduled period opens lazily; a month-long jump publishes at most 14 more days.
        state
            .sync(&storage, utc("2026-03-11T14:05:00Z"))
            .await
            .expect("sync");
        let data = state.inner.data.lock().await;
        assert_eq!(
            data.open_period(utc("2026-03-11T14:05:00Z")).map(|p| p.id),
            Some(44)
        );
        drop(data);
        state
            .sync(&storage, utc("2026-04-30T15:00:00Z"))
            .await
            .expect("sync");
        let data = state.inner.data.lock().await;
        assert_eq!(data.periods.len(), 5 + 15);
        let last = data.periods.last().expect("last");
        assert_eq!(last.date.to_string(), "2026-04-30");
        assert!(last.is_open(utc("2026-04-30T15:00:00Z")));
        assert!(storage.exists(&meta_model_key()));
    }

    #[test]
    fn truncation_keeps_micros() {
        let t = DateTime::parse_from_rfc3339("2026-01-01T10:00:00.123456789Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(iso(truncate_micros(t)), "2026-01-01T10:00:00.123456Z");
    }
}
