//! Inference periods: metadata, signed URLs, downloads and waiting for publication (spec §2.3, §3).

use std::sync::Arc;
use std::time::Duration;

use marketplace_core::{DownloadReport, Jitter, Progress};
use marketplace_types::crowdcent::InferencePeriod;

use crate::challenge::ChallengeClient;
use crate::error::{Error, Result};
use crate::format::DataFormat;
use crate::params::{InferenceRef, ReleaseDate};

/// How [`ChallengeClient::wait_for_inference`] polls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitOptions {
    /// Pause between attempts (default 30 s), jittered by ±`jitter`.
    pub interval: Duration,
    /// Give up after this long (default 15 min); `None` waits forever. The last pause is cut
    /// short so the wait never overshoots the timeout by more than one request.
    pub timeout: Option<Duration>,
    /// Relative jitter of the interval, `0.0..=1.0` (default 0.1: ±10 %).
    pub jitter: f64,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(30),
            timeout: Some(Duration::from_secs(900)),
            jitter: 0.1,
        }
    }
}

/// What a successful wait did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitReport {
    /// The finished download.
    pub download: DownloadReport,
    /// Download attempts made (1 when the file was already there).
    pub attempts: u32,
    /// Time from the first attempt to success.
    pub waited: Duration,
}

impl ChallengeClient {
    /// `GET …/inference_data/`: every inference period.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown challenge, [`Error::Auth`], [`Error::Http`].
    pub async fn list_inference_periods(&self) -> Result<Vec<InferencePeriod>> {
        self.get_json("inference_data/", || self.what("inference periods"))
            .await
    }

    /// One inference period: `current` (server-side; 404 when none is open), `latest` (the most
    /// recently published, resolved from the list), or a date.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no such period, [`Error::NoInferencePeriods`] for
    /// `latest` on an empty list, [`Error::Auth`], [`Error::Http`].
    pub async fn inference_period(&self, which: InferenceRef) -> Result<InferencePeriod> {
        let date = match which {
            InferenceRef::Current => {
                return self
                    .get_json("inference_data/current/", || {
                        self.what("an open inference period")
                    })
                    .await
            }
            InferenceRef::Latest => return self.latest_period().await,
            InferenceRef::Date(d) => d,
        };
        self.get_json(&format!("inference_data/{date}/"), || {
            self.what(&format!("inference period {date}"))
        })
        .await
    }

    /// The release date `which` stands for right now (one request for `current` or `latest`).
    ///
    /// # Errors
    /// As [`inference_period`](Self::inference_period).
    pub async fn resolve_inference_date(&self, which: InferenceRef) -> Result<ReleaseDate> {
        match which {
            InferenceRef::Date(d) => Ok(d),
            other => Ok(period_date(&self.inference_period(other).await?)),
        }
    }

    /// The signed storage URL of an inference file in `format` (`latest` is resolved to its date
    /// first).
    ///
    /// # Errors
    /// As [`inference_period`](Self::inference_period); a 404 for `current` means the file is not
    /// published yet.
    pub async fn inference_url(&self, which: InferenceRef, format: DataFormat) -> Result<url::Url> {
        let rest = match which {
            InferenceRef::Current => "inference_data/current/download/".to_owned(),
            other => {
                let date = self.resolve_inference_date(other).await?;
                format!("inference_data/{date}/download/")
            }
        };
        self.redirect(&rest, format, || self.what(&format!("inference file {which}")))
            .await
    }

    /// Downloads one inference file in `format` to `dest` in a single try (see
    /// [`wait_for_inference`](Self::wait_for_inference) to wait for publication).
    ///
    /// # Errors
    /// As [`inference_url`](Self::inference_url), plus download failures.
    pub async fn download_inference(
        &self,
        which: InferenceRef,
        format: DataFormat,
        dest: &mkt_fs::Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        // `latest` is resolved once, so a fresh link is for the same file.
        let which = match which {
            InferenceRef::Latest => InferenceRef::Date(self.resolve_inference_date(which).await?),
            other => other,
        };
        self.fetch(|| self.inference_url(which, format), dest, progress)
            .await
    }

    /// Waits for the current period's inference file and downloads it in `format` to `dest`.
    ///
    /// The challenge is looked up first, so a wrong slug fails at once (spec §8.8: the reference
    /// polls a typo for 15 minutes). Then the download is tried every `interval` (jittered): a 404
    /// means "not published yet"; 5xx, 429 and transport failures (after the transport's own
    /// retries) are logged and tried again at the next interval rather than ending the wait.
    ///
    /// # Errors
    /// [`Error::ChallengeNotFound`], [`Error::WaitTimeout`] when the timeout passes,
    /// [`Error::Auth`] and other non-retryable errors at once.
    pub async fn wait_for_inference(
        &self,
        dest: &mkt_fs::Destination,
        format: DataFormat,
        options: WaitOptions,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<WaitReport> {
        self.get().await?;
        let start = tokio::time::Instant::now();
        // The transport's random source, so a seeded retry policy makes the pauses reproducible.
        let mut jitter = Jitter::for_policy(&self.client.http.config().retry);
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            match self
                .download_inference(InferenceRef::Current, format, dest, progress.clone())
                .await
            {
                Ok(download) => {
                    return Ok(WaitReport {
                        download,
                        attempts,
                        waited: start.elapsed(),
                    })
                }
                Err(e) if e.is_not_found() => {
                    tracing::info!(slug = %self.slug, attempts, "inference data not published yet");
                }
                Err(e) if e.is_retryable() => {
                    tracing::warn!(slug = %self.slug, attempts, error = %e, "retrying later");
                }
                Err(e) => return Err(e),
            }
            let elapsed = start.elapsed();
            let mut pause = jitter.around(options.interval, options.jitter);
            if let Some(timeout) = options.timeout {
                if elapsed >= timeout {
                    return Err(Error::WaitTimeout {
                        slug: self.slug.clone(),
                        waited: elapsed,
                        attempts,
                    });
                }
                pause = pause.min(timeout - elapsed);
            }
            tokio::time::sleep(pause).await;
        }
    }

    async fn latest_period(&self) -> Result<InferencePeriod> {
        // Spec §8.9: compare timestamps, not ISO strings, and skip the reference's extra request.
        self.list_inference_periods()
            .await?
            .into_iter()
            .max_by_key(|p| p.release_date)
            .ok_or_else(|| Error::NoInferencePeriods {
                slug: self.slug.clone(),
            })
    }
}

/// The UTC calendar date of a period's release (the path form of the period).
pub fn period_date(period: &InferencePeriod) -> ReleaseDate {
    ReleaseDate::from(period.release_date.date_naive())
}
