//! X-Series' request limit (channel-apis §5.3): per retailer and app,
//! `300 × registers + 50` requests per 5-minute window (350 for the
//! sandbox's one register). Every API response reports
//! `X-RateLimit-Limit` and `X-RateLimit-Remaining`; past the limit a request
//! gets `429` with `Retry-After` (an HTTP date: when the window ends).
//!
//! With rate limits off (`enforce_rate_limits: false`) nothing is counted
//! and responses report the whole window left, as BigCommerce's quota does.
//! The token endpoint has a limit of its own, which the sandbox does not
//! play.

use std::time::{Duration, Instant};

use crate::data::clock;

/// The window the limit counts over.
pub(crate) const WINDOW: Duration = Duration::from_secs(300);
/// Registers each sandbox retailer has.
pub(crate) const REGISTERS: u32 = 1;

/// Requests allowed per window for `registers` registers.
pub(crate) fn limit_for(registers: u32) -> u32 {
    300u32.saturating_mul(registers).saturating_add(50)
}

/// What one response reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateStatus {
    pub limit: u32,
    pub remaining: u32,
    /// When the window ends (unix seconds).
    pub reset_at: i64,
    /// Refused: answer 429.
    pub limited: bool,
}

pub(crate) struct RateWindow {
    started: Instant,
    started_unix: i64,
    used: u32,
}

impl Default for RateWindow {
    fn default() -> Self {
        RateWindow {
            started: Instant::now(),
            started_unix: clock::now(),
            used: 0,
        }
    }
}

impl RateWindow {
    /// Counts one request (refusing it when the window is spent and
    /// `enforce` is set) and says what to report.
    pub(crate) fn admit(&mut self, enforce: bool) -> RateStatus {
        let limit = limit_for(REGISTERS);
        let window = i64::try_from(WINDOW.as_secs()).unwrap_or(i64::MAX);
        if !enforce {
            return RateStatus {
                limit,
                remaining: limit,
                reset_at: clock::now() + window,
                limited: false,
            };
        }
        if self.started.elapsed() >= WINDOW {
            *self = RateWindow::default();
        }
        let reset_at = self.started_unix + window;
        if self.used >= limit {
            return RateStatus {
                limit,
                remaining: 0,
                reset_at,
                limited: true,
            };
        }
        self.used += 1;
        RateStatus {
            limit,
            remaining: limit - self.used,
            reset_at,
            limited: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_runs_out_only_when_enforced() {
        assert_eq!(limit_for(1), 350);
        assert_eq!(limit_for(3), 950);
        let mut w = RateWindow::default();
        assert_eq!(w.admit(false).remaining, 350);
        for n in 1..=350 {
            let s = w.admit(true);
            assert!(!s.limited);
            assert_eq!(s.remaining, 350 - n);
        }
        let refused = w.admit(true);
        assert!(refused.limited);
        assert!(refused.reset_at > clock::now());
    }
}
