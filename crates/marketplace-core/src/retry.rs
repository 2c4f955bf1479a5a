//! Capped, jittered exponential backoff and the retry budget shared by requests and transfers.

use std::time::{Duration, Instant, SystemTime};

use rand::Rng;

use crate::config::RetryConfig;

/// Capped exponential backoff with "equal jitter": retry `n` (from 0) sleeps a uniformly random
/// duration in `[cap/2, cap]` where `cap = min(max_backoff, initial_backoff * 2^n)`.
///
/// The random source is passed to [`Backoff::next_delay`], so tests can use a seeded RNG:
///
/// ```
/// use rand::SeedableRng;
/// let cfg = marketplace_core::RetryConfig::default();
/// let mut backoff = marketplace_core::Backoff::new(&cfg);
/// let mut rng = rand::rngs::StdRng::seed_from_u64(7);
/// let first = backoff.next_delay(&mut rng);
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
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        let cap = self.next_cap();
        self.attempt = self.attempt.saturating_add(1);
        let cap_ns = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if cap_ns == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rng.gen_range(cap_ns / 2..=cap_ns))
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

/// The retry budget of one logical operation: counts retries, enforces `max_retries` and
/// `retry_timeout`, picks the delay.
#[derive(Debug)]
pub(crate) struct RetryState {
    config: RetryConfig,
    start: Instant,
    retries: u32,
    backoff: Backoff,
    enabled: bool,
}

impl RetryState {
    pub(crate) fn new(config: &RetryConfig, enabled: bool) -> Self {
        RetryState {
            config: config.clone(),
            start: Instant::now(),
            retries: 0,
            backoff: Backoff::new(config),
            enabled,
        }
    }

    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
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
            None => self.backoff.next_delay(&mut rand::thread_rng()).min(remaining),
        };
        self.retries += 1;
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn cfg(max_retries: u32) -> RetryConfig {
        RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            retry_timeout: Duration::from_secs(60),
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        let mut b = Backoff::new(&cfg(10));
        let caps = [100, 200, 400, 800, 1000, 1000, 1000];
        let mut seen = Vec::new();
        for cap in caps {
            let cap = Duration::from_millis(cap);
            assert_eq!(b.next_cap(), cap);
            let d = b.next_delay(&mut rng);
            assert!(d >= cap / 2 && d <= cap, "{d:?} not in [{:?}, {cap:?}]", cap / 2);
            seen.push(d);
        }
        // Jitter: the capped delays are not all identical.
        assert!(seen[4..].windows(2).any(|w| w[0] != w[1]));
        // The same seed gives the same sequence.
        let mut rng2 = rand::rngs::StdRng::seed_from_u64(42);
        let mut b2 = Backoff::new(&cfg(10));
        let again: Vec<_> = (0..7).map(|_| b2.next_delay(&mut rng2)).collect();
        assert_eq!(seen, again);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut b = Backoff::new(&cfg(10));
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for _ in 0..100 {
            assert!(b.next_delay(&mut rng) <= Duration::from_millis(1000));
        }
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

    #[test]
    fn state_counts_and_stops() {
        let mut s = RetryState::new(&cfg(2), true);
        assert!(s.next(None).is_some());
        assert!(s.next(None).is_some());
        assert!(s.next(None).is_none());
        assert_eq!(s.retries(), 2);
        let mut off = RetryState::new(&cfg(2), false);
        assert!(off.next(None).is_none());
    }

    #[test]
    fn retry_after_is_capped_or_fails_fast() {
        let mut s = RetryState::new(&cfg(5), true);
        assert_eq!(
            s.next(Some(Duration::from_secs(5))),
            Some(Duration::from_millis(1000))
        );
        assert_eq!(s.next(Some(Duration::from_secs(3600))), None);
    }
}
