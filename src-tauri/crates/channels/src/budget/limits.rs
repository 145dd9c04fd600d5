//! Each platform's documented request budget, in one place. These are only
//! the starting point: every answer's rate headers (or Shopify's
//! `throttleStatus`) replace them, so a store on a bigger plan is followed
//! as soon as its first answer arrives. Sources are channel-apis.md's
//! sections; UNCONFIRMED numbers are marked.

use std::time::Duration;

use counterline_store::model::Platform;

/// How a platform meters requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limits {
    /// A bucket of `capacity` units that refills at `restore_per_s`
    /// (Shopify's points, R-Series' drips seen from the free side).
    Bucket { capacity: f64, restore_per_s: f64 },
    /// `quota` requests per `window`, the server reporting what is left.
    Window { quota: u32, window: Duration },
    /// `quota` requests per `window` with no rate headers: counted locally
    /// over a sliding window, which stays inside the limit whether the
    /// server's window is fixed or sliding.
    Sliding { quota: u32, window: Duration },
    /// No documented limit; only 429s are obeyed.
    Open,
}

/// The budget a connection starts from, before any answer has said more.
pub fn documented(platform: Platform) -> Limits {
    match platform {
        // §2.3: GraphQL Admin leaky bucket per app and store; Standard plan
        // restores 100 points/s. The bucket size (2,000) is UNCONFIRMED:
        // shopify.dev's table gives restore rates, the size arrives as
        // `maximumAvailable` on the first answer.
        Platform::Shopify => Limits::Bucket { capacity: 2_000.0, restore_per_s: 100.0 },
        // §3.3 (api-rate-limits.mdx): Standard & Plus, 150 requests per 30 s
        // per store, shared by every app on the store.
        Platform::BigCommerce => Limits::Window { quota: 150, window: Duration::from_secs(30) },
        // §4: wc/v3 has no built-in limit; hosts and WAFs may answer 429.
        Platform::WooCommerce => Limits::Open,
        // §5.3 (x-series-api docs/rate_limiting): 300 × registers + 50 per
        // 5-minute window; one register assumed until the headers say.
        Platform::XSeries => Limits::Window { quota: 350, window: Duration::from_secs(300) },
        // §6 (retail ratelimits page via api-evangelist): 90-drip bucket
        // leaking 1 drip/s for one register; headers carry the real size.
        Platform::RSeries => Limits::Bucket { capacity: 90.0, restore_per_s: 1.0 },
        // §7: not documented. UNCONFIRMED: 300 per minute, the figure the
        // sandbox plays.
        Platform::KSeries => Limits::Sliding { quota: 300, window: Duration::from_secs(60) },
        // §8: UNCONFIRMED: 60 per minute, the figure the sandbox plays.
        Platform::OSeries => Limits::Sliding { quota: 60, window: Duration::from_secs(60) },
    }
}
