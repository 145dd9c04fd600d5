//! BigCommerce's per-store request quota (channel-apis §3.3,
//! `docs/api-docs/getting-started/api-rate-limits.mdx`).
//!
//! Every API request uses one unit of the store's quota, shared by all
//! clients of the store; the quota refreshes when the window ends. The
//! sandbox plays the Standard/Plus plan: 150 requests per 30-second window
//! (20k per hour). Responses carry `X-Rate-Limit-Time-Window-Ms`,
//! `X-Rate-Limit-Time-Reset-Ms`, `X-Rate-Limit-Requests-Quota` and
//! `X-Rate-Limit-Requests-Left`; once the quota is spent a request gets
//! `429` with the same headers, and a client should wait
//! `X-Rate-Limit-Time-Reset-Ms`.
//!
//! With rate limits off (`enforce_rate_limits: false`) the window is not
//! drained and every response reports the full quota, as the Shopify
//! bucket does.

use std::time::{Duration, Instant};

/// Requests per window on the Standard and Plus plans.
pub(crate) const QUOTA: u32 = 150;
/// The window the quota refreshes on.
pub(crate) const WINDOW: Duration = Duration::from_secs(30);

/// What the rate-limit headers of one response say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateStatus {
    pub left: u32,
    pub reset_ms: u64,
    /// The request was refused (answer 429).
    pub limited: bool,
}

pub(crate) struct RateWindow {
    started: Instant,
    used: u32,
}

impl Default for RateWindow {
    fn default() -> Self {
        RateWindow {
            started: Instant::now(),
            used: 0,
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl RateWindow {
    /// Admits one request (or refuses it when the quota is spent and
    /// `enforce` is set) and says what to report.
    pub(crate) fn admit(&mut self, enforce: bool) -> RateStatus {
        if !enforce {
            return RateStatus {
                left: QUOTA,
                reset_ms: millis(WINDOW),
                limited: false,
            };
        }
        let now = Instant::now();
        if now.duration_since(self.started) >= WINDOW {
            self.started = now;
            self.used = 0;
        }
        let reset_ms = millis(WINDOW.saturating_sub(now.duration_since(self.started))).max(1);
        if self.used >= QUOTA {
            return RateStatus {
                left: 0,
                reset_ms,
                limited: true,
            };
        }
        self.used += 1;
        RateStatus {
            left: QUOTA - self.used,
            reset_ms,
            limited: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_runs_out_and_only_when_enforced() {
        let mut w = RateWindow::default();
        assert_eq!(
            w.admit(false).left,
            QUOTA,
            "reported full when not enforced"
        );
        for n in 1..=QUOTA {
            let s = w.admit(true);
            assert!(!s.limited);
            assert_eq!(s.left, QUOTA - n);
        }
        let refused = w.admit(true);
        assert!(refused.limited && refused.left == 0);
        assert!(refused.reset_ms > 0 && refused.reset_ms <= 30_000);
    }
}
