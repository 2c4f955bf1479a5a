//! The sandbox clock: real time plus an offset that the control API can move.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

/// A shared, adjustable clock. Time keeps flowing; `advance`/`set` shift it.
///
/// Every time-dependent rule of the sandbox (token expiry, signed-URL expiry, CrowdCent
/// inference periods) reads this clock, so tests can jump forward instead of sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<Mutex<Duration>>,
}

impl Clock {
    /// A clock that starts at the real current time.
    pub fn new() -> Self {
        Self::default()
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Utc::now();
        now.checked_add_signed(offset)
            .unwrap_or(if offset < Duration::zero() {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            })
    }

    /// Moves the clock forward (or backward, with a negative duration).
    pub fn advance(&self, d: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        *offset += d;
    }

    /// Makes `now()` return `t` at this instant (time keeps flowing from there).
    pub fn set(&self, t: DateTime<Utc>) {
        let mut offset = self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        *offset = t - Utc::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let clock = Clock::new();
        let before = clock.now();
        clock.advance(Duration::hours(2));
        assert!(clock.now() - before >= Duration::hours(2));
    }

    #[test]
    fn set_jumps_to_the_given_time() {
        let clock = Clock::new();
        let target = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .expect("valid time")
            .with_timezone(&Utc);
        clock.set(target);
        let now = clock.now();
        assert!(now >= target && now - target < Duration::minutes(1));
    }
}
