//! The CrowdCent part of the sandbox state: accounts, challenge, datasets, periods, submissions.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tokio::sync::Mutex;

use super::{gen, period, API_KEY, CHALLENGE_SLUG, OTHER_API_KEY, OTHER_USERNAME, USERNAME};
use crate::storage::Storage;

/// Shared CrowdCent state (cheap to clone: an `Arc` inside).
#[derive(Clone)]
pub struct CrowdcentState {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for CrowdcentState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.inner.keys.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("CrowdcentState")
            .field("challenge", &self.inner.challenge.slug)
            .field("api_keys", &format_args!("{} keys (redacted)", keys.len()))
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub(crate) challenge: ChallengeRec,
    pub(crate) training: Vec<TrainingRec>,
    keys: RwLock<BTreeMap<String, Account>>,
    pub(crate) data: Mutex<Data>,
}

/// An API key's owner and switches (spec §2.7).
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) username: String,
    pub(crate) allow_trading: bool,
    pub(crate) oms_access: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ChallengeRec {
    pub(crate) id: u64,
    pub(crate) name: &'static str,
    pub(crate) slug: &'static str,
    pub(crate) description: &'static str,
    pub(crate) start_date: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct TrainingRec {
    pub(crate) id: u64,
    pub(crate) version: &'static str,
    pub(crate) is_latest: bool,
    pub(crate) uploaded_at: DateTime<Utc>,
    pub(crate) key: String,
}

/// One daily inference period.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    pub(crate) id: u64,
    pub(crate) date: NaiveDate,
    pub(crate) release: DateTime<Utc>,
    pub(crate) deadline: DateTime<Utc>,
    pub(crate) universe: Arc<Vec<String>>,
    pub(crate) key: String,
}

impl Period {
    /// Whether submissions for this period are accepted at `now`.
    pub(crate) fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.release <= now && now < self.deadline
    }
}

/// A stored (live) submission.
#[derive(Debug, Clone)]
pub(crate) struct SubmissionRec {
    pub(crate) id: u64,
    pub(crate) username: String,
    pub(crate) period_id: u64,
    pub(crate) submitted_at: DateTime<Utc>,
    pub(crate) slot: u32,
    pub(crate) is_experimental: bool,
    pub(crate) notes: String,
    pub(crate) file_key: String,
}

/// A submission waiting for the next period (`also_queue_next`, or sent while no window was open).
#[derive(Debug, Clone)]
pub(crate) struct Queued {
    pub(crate) is_experimental: bool,
    pub(crate) notes: String,
    pub(crate) file_key: String,
}

/// Mutable state, behind one async mutex (storage writes happen while holding it).
#[derive(Debug, Default)]
pub(crate) struct Data {
    pub(crate) periods: Vec<Period>,
    pub(crate) submissions: Vec<SubmissionRec>,
    /// Keyed by (username, slot).
    pub(crate) queue: BTreeMap<(String, u32), Queued>,
    pub(crate) next_submission_id: u64,
    pub(crate) next_upload: u64,
}

impl Data {
    /// The period open at `now`, if any.
    pub(crate) fn open_period(&self, now: DateTime<Utc>) -> Option<&Period> {
        self.periods.iter().rev().find(|p| p.is_open(now))
    }

    /// Periods already published at `now`, oldest first.
    pub(crate) fn published(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Period> {
        self.periods.iter().filter(move |p| p.release <= now)
    }

    pub(crate) fn period(&self, id: u64) -> Option<&Period> {
        self.periods.iter().find(|p| p.id == id)
    }

    /// A fresh storage key for an uploaded submission file with extension `ext`.
    pub(crate) fn upload_key(&mut self, username: &str, ext: &str) -> String {
        self.next_upload += 1;
        format!(
            "crowdcent/{CHALLENGE_SLUG}/submissions/{username}/upload_{:06}.{ext}",
            self.next_upload
        )
    }
}

impl CrowdcentState {
    /// Builds the seeded state at `now` and writes its files into `storage`.
    pub(crate) async fn seed(storage: &Storage, now: DateTime<Utc>) -> crate::Result<Self> {
        let now = period::truncate_micros(now);
        let today = now.date_naive();
        let challenge = ChallengeRec {
            id: 5,
            name: "Hyperliquid Ranking",
            slug: CHALLENGE_SLUG,
            description: "Rank Hyperliquid perpetuals by forward relative returns over 10 and 30 days.\r\n\
                Submit `id`, `pred_10d`, `pred_30d` (floats in [0, 1]) for the current inference universe.",
            start_date: period::at(today - Duration::days(180), 12, 34, 26, 0),
        };
        let mut training = Vec::new();
        for (i, (version, days, end_offset)) in
            [("1.0", 10_i64, 60_i64), ("2.0", 20, 1)].into_iter().enumerate()
        {
            let last = today - Duration::days(end_offset);
            let dates: Vec<NaiveDate> = (0..days).rev().map(|k| last - Duration::days(k)).collect();
            let batch = gen::training(&dates, 3, i as u64 + 1).map_err(seed_error("training"))?;
            let bytes = gen::to_parquet(&batch).map_err(seed_error("training"))?;
            let key = format!("crowdcent/{CHALLENGE_SLUG}/training/v{version}.parquet");
            write(storage, &key, &bytes, "training").await?;
            training.push(TrainingRec {
                id: i as u64 + 1,
                version,
                is_latest: version == "2.0",
                uploaded_at: period::at(last + Duration::days(1), 12, 38, 31, 402_576),
                key,
            });
        }
        let mut data = Data {
            next_submission_id: 800,
            ..Data::default()
        };
        for back in (1..=period::HISTORY_DAYS).rev() {
            let date = today - Duration::days(back);
            let release = period::scheduled_release(date);
            period::publish(&mut data, storage, date, release, release + period::window())
                .await
                .map_err(seed_error("inference"))?;
        }
        // The period open from the start: released now, so `current` works whatever the hour.
        period::publish(&mut data, storage, today, now, now + period::window())
            .await
            .map_err(seed_error("inference"))?;
        period::write_meta_model(&data, storage, now)
            .await
            .map_err(seed_error("meta-model"))?;
        let keys = BTreeMap::from([
            (API_KEY.to_owned(), Account::new(USERNAME)),
            (OTHER_API_KEY.to_owned(), Account::new(OTHER_USERNAME)),
        ]);
        Ok(Self {
            inner: Arc::new(Inner {
                challenge,
                training,
                keys: RwLock::new(keys),
                data: Mutex::new(data),
            }),
        })
    }

    /// The seeded API key (a sandbox fixture; show it to the user so they can configure a client).
    pub fn api_key(&self) -> &'static str {
        API_KEY
    }

    /// The seeded challenge's slug.
    pub fn challenge_slug(&self) -> &'static str {
        self.inner.challenge.slug
    }

    pub(crate) fn account(&self, key: &str) -> Option<Account> {
        let keys = self.inner.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.get(key).cloned()
    }
}

impl Account {
    fn new(username: &str) -> Self {
        Self {
            username: username.to_owned(),
            allow_trading: false,
            oms_access: false,
        }
    }
}

async fn write(storage: &Storage, key: &str, bytes: &[u8], what: &'static str) -> crate::Result<()> {
    storage
        .write_bytes(key, bytes)
        .await
        .map_err(|e| crate::Error::Seed {
            what,
            source: Box::new(e),
        })
}

fn seed_error<E: std::error::Error + Send + Sync + 'static>(
    what: &'static str,
) -> impl FnOnce(E) -> crate::Error {
    move |e| crate::Error::Seed {
        what,
        source: Box::new(e),
    }
}
