//! R-Series' leaky bucket (channel-apis §6; the R-Series rate-limit docs).
//!
//! Each account has a bucket of 90 drips that leaks at 1 drip per second
//! (the one-register size). A request adds its cost (1 for a read) and is
//! refused with `429` when it would overflow; `Retry-After` says in whole
//! seconds when enough will have leaked. Responses report
//! `X-LS-API-Bucket-Level: used/size`, `X-LS-API-Drip-Rate` and
//! `X-LS-API-Request-Cost`.
//!
//! With rate limits off the bucket never fills: responses report just the
//! request's own cost, the way Shopify's and BigCommerce's limits report a
//! full allowance. (The per-second burst limiter is not played.)

use std::time::Instant;

/// Drips the bucket holds.
pub(crate) const SIZE: u32 = 90;
/// Drips leaked per second.
pub(crate) const DRIP_RATE: u32 = 1;
/// What a GET costs.
pub(crate) const READ_COST: u32 = 1;
/// What a PUT costs: ten drips, as the rate-limit docs price writes
/// (UNCONFIRMED, see `replies`).
pub(crate) const WRITE_COST: u32 = 10;

/// What one response reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BucketStatus {
    /// The level after this request (in drips, possibly fractional).
    pub level: f64,
    pub cost: u32,
    pub limited: bool,
    /// Seconds to wait when limited.
    pub retry_after: u64,
}

impl BucketStatus {
    /// The level as the header writes it: `12`, `12.5`.
    pub(crate) fn level_text(&self) -> String {
        let rounded = (self.level * 1000.0).round() / 1000.0;
        format!("{rounded}")
    }
}

pub(crate) struct Bucket {
    level: f64,
    last: Instant,
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket {
            level: 0.0,
            last: Instant::now(),
        }
    }
}

impl Bucket {
    /// Pours one request of `cost` in (or refuses it when it would overflow
    /// and `enforce` is set).
    pub(crate) fn admit(&mut self, cost: u32, enforce: bool) -> BucketStatus {
        let cost_f = f64::from(cost);
        if !enforce {
            return BucketStatus {
                level: cost_f,
                cost,
                limited: false,
                retry_after: 0,
            };
        }
        let now = Instant::now();
        let leaked = now.duration_since(self.last).as_secs_f64() * f64::from(DRIP_RATE);
        self.level = (self.level - leaked).max(0.0);
        self.last = now;
        if self.level + cost_f > f64::from(SIZE) {
            let over = self.level + cost_f - f64::from(SIZE);
            return BucketStatus {
                level: self.level,
                cost,
                limited: true,
                retry_after: (over / f64::from(DRIP_RATE)).ceil().max(1.0) as u64,
            };
        }
        self.level += cost_f;
        BucketStatus {
            level: self.level,
            cost,
            limited: false,
            retry_after: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_overflows_only_when_enforced() {
        let mut b = Bucket::default();
        assert_eq!(b.admit(READ_COST, false).level_text(), "1");
        let mut admitted = 0;
        while !b.admit(READ_COST, true).limited {
            admitted += 1;
            assert!(admitted <= 95, "the bucket must fill");
        }
        assert!(admitted >= 90);
        let refused = b.admit(READ_COST, true);
        assert!(refused.limited && refused.retry_after >= 1);
    }
}
