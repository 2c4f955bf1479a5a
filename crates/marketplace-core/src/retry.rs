//! The one retry driver of requests and downloads: capped, jittered exponential backoff, the
//! retry budget, and the sleeps between attempts, all on tokio's clock (so tests can pause it).

use std::fmt;
use std::time::{Duration, SystemTime};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::time::Instant;

use crate::config::RetryConfig;

/// The random source of every randomized wait (retry backoff, polling intervals).
///
/// Seeded from the operating system by default; [`Jitter::seeded`] (or
/// [`RetryConfig::jitter_seed`]) makes the sequence reproducible:
///
/// ```
/// use std::time::Duration;
/// use marketplace_core::Jitter;
/// let (mut a, mut b) = (Jitter::seeded(7), Jitter::seeded(7));
/// let base = Duration::from_secs(30);
/// assert_eq!(a.around(base, 0.1), b.around(base, 0.1));
/// ```
#[derive(Debug, Clone)]
pub struct Jitter(StdRng);

impl Jitter {
    /// A source seeded from the operating system.
    pub fn from_entropy() -> Self {
        Jitter(StdRng::from_entropy())
    }

    /// A reproducible source.
    pub fn seeded(seed: u64) -> Self {
        Jitter(StdRng::seed_from_u64(seed))
    }

    /// The source a retry policy asks for: [`seeded`](Self::seeded) with
    /// [`RetryConfig::jitter_seed`] when set, else [`from_entropy`](Self::from_entropy).
    pub fn for_policy(config: &RetryConfig) -> Self {
        config
            .jitter_seed
            .map_or_else(Jitter::from_entropy, Jitter::seeded)
    }

    /// A uniformly random duration in `[low, high]` (`low` when the range is empty).
    pub fn between(&mut self, low: Duration, high: Duration) -> Duration {
        let lo = u64::try_from(low.as_nanos()).unwrap_or(u64::MAX);
        let hi = u64::try_from(high.as_nanos()).unwrap_or(u64::MAX);
        if hi <= lo {
            return low;
        }
        Duration::from_nanos(self.0.gen_range(lo..=hi))
    }

    /// `interval` scaled by a random factor in `[1 - relative, 1 + relative]`; `relative` is
    /// clamped to `0.0..=1.0`.
    pub fn around(&mut self, interval: Duration, relative: f64) -> Duration {
        let relative = if relative.is_finite() {
            relative.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if relative == 0.0 || interval.is_zero() {
            return interval;
        }
        interval.mul_f64(self.0.gen_range(1.0 - relative..=1.0 + relative))
    }
}

/// Capped exponential backoff with "equal jitter": retry `n` (from 0) sleeps a uniformly random
/// duration in `[cap/2, cap]` where `cap = min(max_backoff, initial_backoff * 2^n)`.
///
/// ```
/// let cfg = marketplace_core::RetryConfig::default();
/// let mut backoff = marketplace_core::Backoff::new(&cfg);
/// let mut jitter = marketplace_core::Jitter::seeded(7);
/// let first = backoff.next_delay(&mut jitter);
/// assert!(first <= cfg.initial_backoff);
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    /// A fresh backoff sequence for this policy.
    pub fn new(config: &RetryConfig) -> Self {
        Backoff {
            initial: config.initial_backoff,
            max: config.max_backoff,
            attempt: 0,
        }
    }

    /// The upper bound of the next delay, without jitter.
    pub fn next_cap(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(31));
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// The next delay; advances the sequence.
    pub fn next_delay(&mut self, jitter: &mut Jitter) -> Duration {
        let cap = self.next_cap();
        self.attempt = self.attempt.saturating_add(1);
        jitter.between(cap / 2, cap)
    }
}

/// Parses a `Retry-After` value: delta seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives zero.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::from(when.with_timezone(&chrono::Utc));
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The retry driver of one logical operation (a request, a download): counts retries, enforces
/// `max_retries` and `retry_timeout`, picks each delay and sleeps it on tokio's clock.
#[derive(Debug)]
pub(crate) struct Retrier {
    config: RetryConfig,
    start: Instant,
    retries: u32,
    backoff: Backoff,
    jitter: Jitter,
    enabled: bool,
}

impl Retrier {
    /// A fresh budget; `enabled = false` never retries.
    pub(crate) fn new(config: &RetryConfig, enabled: bool) -> Self {
        Retrier {
            config: config.clone(),
            start: Instant::now(),
            retries: 0,
            backoff: Backoff::new(config),
            jitter: Jitter::for_policy(config),
            enabled,
        }
    }

    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Starts the budget afresh (retries, backoff and retry timeout), keeping the random source:
    /// a download that made progress is not the same failure repeating.
    pub(crate) fn reset(&mut self) {
        self.start = Instant::now();
        self.retries = 0;
        self.backoff = Backoff::new(&self.config);
    }

    /// Whether another attempt may start, and after which delay. `None` means give up now:
    /// retries disabled or exhausted, the retry timeout passed, or a `Retry-After` that would end
    /// beyond the retry timeout.
    pub(crate) fn next(&mut self, retry_after: Option<Duration>) -> Option<Duration> {
        if !self.enabled || self.retries >= self.config.max_retries {
            return None;
        }
        let elapsed = self.start.elapsed();
        if elapsed >= self.config.retry_timeout {
            return None;
        }
        let remaining = self.config.retry_timeout - elapsed;
        let delay = match retry_after {
            Some(ra) if ra > remaining => return None,
            Some(ra) => ra.min(self.config.max_backoff),
            None => self.backoff.next_delay(&mut self.jitter).min(remaining),
        };
        self.retries += 1;
        Some(delay)
    }

    /// Waits before the next attempt, logging why; `false` means give up (see [`next`](Self::next)).
    pub(crate) async fn pause(
        &mut self,
        retry_after: Option<Duration>,
        method: &str,
        url: &str,
        why: impl fmt::Display,
    ) -> bool {
        match self.next(retry_after) {
            Some(delay) => {
                self.wait(delay, method, url, why).await;
                true
            }
            None => false,
        }
    }

    /// Sleeps a delay [`next`](Self::next) granted, logging the retry.
    pub(crate) async fn wait(&self, delay: Duration, method: &str, url: &str, why: impl fmt::Display) {
        tracing::warn!(%method, %url, reason = %why, retry = self.retries, ?delay, "retrying");
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(max_retries: u32) -> RetryConfig {
        RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            retry_timeout: Duration::from_secs(60),
            jitter_seed: Some(42),
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let mut jitter = Jitter::seeded(42);
        let mut b = Backoff::new(&cfg(10));
        let caps = [100, 200, 400, 800, 1000, 1000, 1000];
        let mut seen = Vec::new();
        for cap in caps {
            let cap = Duration::from_millis(cap);
            assert_eq!(b.next_cap(), cap);
            let d = b.next_delay(&mut jitter);
            assert!(d >= cap / 2 && d <= cap, "{d:?} not in [{:?}, {cap:?}]", cap / 2);
            seen.push(d);
        }
        // Jitter: the capped delays are not all identical.
        assert!(seen[4..].windows(2).any(|w| w[0] != w[1]));
        // The same seed gives the same sequence.
        let mut jitter2 = Jitter::seeded(42);
        let mut b2 = Backoff::new(&cfg(10));
        let again: Vec<_> = (0..7).map(|_| b2.next_delay(&mut jitter2)).collect();
        assert_eq!(seen, again);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut b = Backoff::new(&cfg(10));
        let mut jitter = Jitter::seeded(1);
        for _ in 0..100 {
            assert!(b.next_delay(&mut jitter) <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn around_stays_within_bounds() {
        let mut jitter = Jitter::seeded(3);
        let base = Duration::from_secs(30);
        for _ in 0..100 {
            let d = jitter.around(base, 0.1);
            assert!(
                d >= Duration::from_secs(27) && d <= Duration::from_secs(33),
                "{d:?}"
            );
        }
        assert_eq!(jitter.around(base, 0.0), base);
        assert_eq!(jitter.around(base, f64::NAN), base);
        assert_eq!(jitter.around(Duration::ZERO, 0.5), Duration::ZERO);
        assert_eq!(jitter.between(base, base), base);
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        // 2015-10-21T07:28:00Z is 1445412480.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        let later = now + Duration::from_secs(100);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", later),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[tokio::test(start_paused = true)]
    async fn driver_counts_stops_and_resets() {
        let mut s = Retrier::new(&cfg(2), true);
        assert!(s.pause(None, "GET", "u", "x").await);
        assert!(s.pause(None, "GET", "u", "x").await);
        assert!(!s.pause(None, "GET", "u", "x").await);
        assert_eq!(s.retries(), 2);
        // Two backoffs of [50, 100] and [100, 200] ms passed on the paused clock.
        let slept = s.elapsed();
        assert!(
            slept >= Duration::from_millis(150) && slept <= Duration::from_millis(300),
            "{slept:?}"
        );
        s.reset();
        assert_eq!((s.retries(), s.elapsed()), (0, Duration::ZERO));
        assert_eq!(s.next(None).map(|d| d <= Duration::from_millis(100)), Some(true));
        let mut off = Retrier::new(&cfg(2), false);
        assert!(off.next(None).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn driver_gives_up_at_the_retry_timeout() {
        let mut config = cfg(100);
        config.retry_timeout = Duration::from_secs(2);
        let mut s = Retrier::new(&config, true);
        while s.pause(None, "GET", "u", "x").await {}
        // The last delay is cut to the remaining time, so the budget ends right at the timeout.
        assert_eq!(s.elapsed(), Duration::from_secs(2));
        assert!(s.retries() < 100);
    }

    #[test]
    fn seeded_policies_repeat_their_delays() {
        let delays = || {
            let mut s = Retrier::new(&cfg(5), true);
            (0..5).map(|_| s.next(None)).collect::<Vec<_>>()
        };
        assert_eq!(delays(), delays());
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_capped_or_fails_fast() {
        let mut s = Retrier::new(&cfg(5), true);
        assert_eq!(
            s.next(Some(Duration::from_secs(5))),
            Some(Duration::from_millis(1000))
        );
        assert_eq!(s.next(Some(Duration::from_secs(3600))), None);
    }
}
