//! A request budget per platform connection, so a long sync runs close to
//! the platform's limit without collecting 429s, and a 429 that still comes
//! (another app on the same store, another device) is waited out as the
//! platform asks instead of being retried blindly.
//!
//! One [`Budget`] per (platform, account), shared through [`Budgets`] by
//! every client the connector builds — a sync run, "Sync now" and the
//! credential check all spend the same allowance, as the platform counts
//! it. [`Budget::acquire`] waits only as long as the model says the next
//! request needs; [`Budget::observe`] (rate headers) and
//! [`Budget::observe_shopify`] (`extensions.cost`) correct the model from
//! every answer; [`Budget::obey_429`] blocks the connection for the
//! `Retry-After` the server gave. [`Budget::send`] does all of it around
//! one HTTP request and resends after a 429 itself, so the sync engine's
//! blind backoff never stacks on top of the platform's instructions.
//!
//! The models (see [`limits`] for each platform's numbers and sources):
//! a leaky bucket for Shopify's cost points and R-Series' drips, a fixed
//! window with the server's remaining count for BigCommerce and X-Series,
//! and a locally counted sliding window for K- and O-Series, which report
//! nothing.

pub mod limits;
mod model;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use counterline_store::model::Platform;

use crate::{Error, Result};
use model::Model;

/// Attempts for one request that keeps being refused with 429. Each
/// attempt first waits out the previous refusal; past this the error goes
/// up as transient and the run ends for now.
pub const MAX_ATTEMPTS: u32 = 4;
/// `Retry-After` in whole seconds (or an HTTP date) may be truncated by up
/// to a second; resending on the dot would earn a second refusal.
pub const RETRY_AFTER_GRACE: Duration = Duration::from_secs(1);
/// A reset time given in milliseconds is exact up to rounding.
const RESET_MS_GRACE: Duration = Duration::from_millis(25);

/// What a connection has done, for the sync log.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BudgetCounters {
    /// Requests let through.
    pub requests: u64,
    /// Refusals received (HTTP 429 or Shopify's `THROTTLED`).
    pub throttled: u64,
    /// Time spent waiting for the budget, refusals included.
    pub waited_ms: u64,
    /// Units the platform charged, as it reported them (Shopify points,
    /// R-Series drips; one per request elsewhere).
    pub charged: f64,
}

struct State {
    model: Model,
    /// Set by a refusal: nothing goes out before this.
    blocked_until: Option<Instant>,
    counters: BudgetCounters,
}

pub struct Budget {
    platform: Platform,
    state: Mutex<State>,
}

/// Shopify's `extensions.cost` for one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShopifyCost {
    pub requested: Option<f64>,
    pub actual: Option<f64>,
    pub maximum_available: Option<f64>,
    pub currently_available: Option<f64>,
    pub restore_rate: Option<f64>,
}

impl ShopifyCost {
    /// Reads `extensions.cost`; `None` when the answer has none.
    pub fn from_extensions(extensions: &serde_json::Value) -> Option<ShopifyCost> {
        let cost = extensions.get("cost")?;
        let status = &cost["throttleStatus"];
        Some(ShopifyCost {
            requested: cost["requestedQueryCost"].as_f64(),
            actual: cost["actualQueryCost"].as_f64(),
            maximum_available: status["maximumAvailable"].as_f64(),
            currently_available: status["currentlyAvailable"].as_f64(),
            restore_rate: status["restoreRate"].as_f64(),
        })
    }
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<f64> {
    header_text(headers, name)?.parse().ok()
}

/// How long a refusal asks us to wait: `Retry-After` in seconds or as an
/// HTTP date, else BigCommerce's `X-Rate-Limit-Time-Reset-Ms`.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    if let Some(value) = header_text(headers, "retry-after") {
        if let Ok(seconds) = value.parse::<f64>() {
            return Some(Duration::from_secs_f64(seconds.max(0.0)) + RETRY_AFTER_GRACE);
        }
        // RFC 9110's IMF-fixdate is RFC 2822 with the zone spelled "GMT".
        let numeric = value.strip_suffix("GMT").map(|v| format!("{v}+0000"));
        if let Some(at_ms) = numeric.and_then(|v| crate::timefmt::parse_rfc2822_ms(&v).ok()) {
            let ms = u64::try_from(at_ms - counterline_store::now_ms()).unwrap_or(0);
            return Some(Duration::from_millis(ms) + RETRY_AFTER_GRACE);
        }
    }
    let reset_ms = header_number(headers, "x-rate-limit-time-reset-ms")?;
    Some(Duration::from_secs_f64(reset_ms.max(0.0) / 1000.0) + RESET_MS_GRACE)
}

impl Budget {
    /// A budget starting from the platform's documented limits.
    pub fn new(platform: Platform) -> Budget {
        Budget::with_limits(platform, limits::documented(platform))
    }

    pub fn with_limits(platform: Platform, limits: limits::Limits) -> Budget {
        Budget {
            platform,
            state: Mutex::new(State {
                model: Model::new(limits, Instant::now()),
                blocked_until: None,
                counters: BudgetCounters::default(),
            }),
        }
    }

    pub fn platform(&self) -> Platform {
        self.platform
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn counters(&self) -> BudgetCounters {
        self.state().counters
    }

    /// Waits until a request of `cost` units fits, then takes it. The lock
    /// is never held across the sleep, so other users of the connection
    /// queue on the same model.
    pub async fn acquire(&self, cost: f64) {
        let started = Instant::now();
        loop {
            let wait = {
                let mut state = self.state();
                let now = Instant::now();
                match state.blocked_until.filter(|until| *until > now) {
                    Some(until) => Some(until - now),
                    None => state.model.take(cost, now),
                }
            };
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => break,
            }
        }
        let waited = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut state = self.state();
        state.counters.requests += 1;
        state.counters.waited_ms += waited;
    }

    /// Corrects the model from an answer's rate headers (any platform's:
    /// each only sends its own).
    pub fn observe(&self, headers: &HeaderMap) {
        let now = Instant::now();
        let mut state = self.state();
        match &mut state.model {
            Model::Bucket(bucket) => {
                // R-Series: `X-LS-API-Bucket-Level: used/size`.
                let level = header_text(headers, "x-ls-api-bucket-level").and_then(|v| {
                    let (used, size) = v.split_once('/')?;
                    Some((used.trim().parse::<f64>().ok()?, size.trim().parse::<f64>().ok()?))
                });
                if let Some((used, size)) = level {
                    let drip = header_number(headers, "x-ls-api-drip-rate");
                    bucket.set(size - used, Some(size), drip, now);
                }
            }
            Model::Window(window) => {
                let quota = header_number(headers, "x-rate-limit-requests-quota")
                    .or_else(|| header_number(headers, "x-ratelimit-limit"));
                let left = header_number(headers, "x-rate-limit-requests-left")
                    .or_else(|| header_number(headers, "x-ratelimit-remaining"));
                if let Some(length) = header_number(headers, "x-rate-limit-time-window-ms") {
                    window.window = Duration::from_secs_f64(length.max(0.0) / 1000.0);
                }
                if let Some(quota) = quota {
                    window.quota = quota as u32;
                }
                if let Some(left) = left {
                    window.left = left as u32;
                    let reset_ms = header_number(headers, "x-rate-limit-time-reset-ms");
                    let starts_now = left as u32 + 1 >= window.quota;
                    window.ends = match reset_ms {
                        Some(ms) => Some(now + Duration::from_secs_f64(ms.max(0.0) / 1000.0) + RESET_MS_GRACE),
                        // X-Series says what is left but not when the window
                        // ends: one that began with this request ends a
                        // window from now; otherwise keep our estimate, or
                        // assume the latest end possible.
                        None if starts_now => Some(now + window.window + model::EDGE_MARGIN),
                        None => Some(window.ends.unwrap_or(now + window.window + model::EDGE_MARGIN)),
                    };
                }
            }
            Model::Sliding(_) | Model::Open => {}
        }
    }

    /// Corrects the model from Shopify's `extensions.cost`. A throttled
    /// answer costs nothing but says how far the bucket is from the query.
    pub fn observe_shopify(&self, cost: &ShopifyCost) {
        let now = Instant::now();
        let mut state = self.state();
        if let (Model::Bucket(bucket), Some(available)) = (&mut state.model, cost.currently_available) {
            bucket.set(available, cost.maximum_available, cost.restore_rate, now);
        }
        state.counters.charged += cost.actual.unwrap_or(0.0);
    }

    /// A refusal: block the connection for `retry_after` (or, when the
    /// server gave none, what the model thinks a full refill takes) and
    /// count it. Returns how long the connection is blocked.
    pub fn obey_429(&self, retry_after: Option<Duration>) -> Duration {
        let now = Instant::now();
        let mut state = self.state();
        let wait = retry_after.unwrap_or_else(|| match &state.model {
            Model::Bucket(b) => Duration::from_secs_f64(b.capacity / b.restore_per_s.max(f64::MIN_POSITIVE)),
            Model::Window(w) => w.window,
            Model::Sliding(s) => s.window,
            Model::Open => Duration::from_secs(5),
        });
        let until = now + wait;
        state.blocked_until = Some(state.blocked_until.map_or(until, |b| b.max(until)));
        state.model.exhaust(now, until);
        state.counters.throttled += 1;
        tracing::warn!(platform = self.platform.display_name(), wait_ms = wait.as_millis() as u64, "rate limited; waiting as the platform asked");
        wait
    }

    /// Shopify's `THROTTLED`. The `throttleStatus` that came with it is
    /// already in the bucket (see [`Budget::observe_shopify`]), so the next
    /// [`Budget::acquire`] of the query's cost waits exactly until the
    /// bucket holds it; blocking on top would only waste points.
    pub fn count_shopify_throttle(&self) {
        self.state().counters.throttled += 1;
        tracing::warn!(platform = self.platform.display_name(), "throttled; waiting for the bucket to hold the query");
    }

    pub(crate) fn exhausted(&self) -> Error {
        Error::Transient {
            platform: self.platform.display_name(),
            detail: format!("still rate limited after {MAX_ATTEMPTS} attempts"),
        }
    }

    /// One request through the budget: wait for room, send, learn from the
    /// answer; on 429 wait as told and send again (at most
    /// [`MAX_ATTEMPTS`] times). Any other answer is returned as it came.
    pub async fn send<F, Fut>(&self, cost: f64, send: F) -> Result<reqwest::Response>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<reqwest::Response>>,
    {
        for _ in 0..MAX_ATTEMPTS {
            self.acquire(cost).await;
            let response = send().await?;
            self.observe(response.headers());
            if response.status() != reqwest::StatusCode::TOO_MANY_REQUESTS {
                // What the platform charged: R-Series says, elsewhere one
                // request (Shopify charges points, counted from the body).
                let charged = header_number(response.headers(), "x-ls-api-request-cost").unwrap_or(1.0);
                if !matches!(self.platform, Platform::Shopify) {
                    self.state().counters.charged += charged;
                }
                return Ok(response);
            }
            self.obey_429(retry_after(response.headers()));
        }
        Err(self.exhausted())
    }
}

/// Every connection's budget, keyed by (platform, account), shared by
/// every client built from one connector.
#[derive(Clone, Default)]
pub struct Budgets(Arc<Mutex<HashMap<(Platform, String), Arc<Budget>>>>);

impl Budgets {
    pub fn for_connection(&self, platform: Platform, account: &str) -> Arc<Budget> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.entry((platform, account.to_owned())).or_insert_with(|| Arc::new(Budget::new(platform))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_is_read_as_seconds_a_date_or_reset_milliseconds() {
        assert_eq!(retry_after(&headers(&[("retry-after", "3")])), Some(Duration::from_secs(3) + RETRY_AFTER_GRACE));
        let in_ten = counterline_store::now_ms() / 1000 + 10;
        let date = time::OffsetDateTime::from_unix_timestamp(in_ten).unwrap();
        let text = date.format(&time::format_description::well_known::Rfc2822).unwrap().replace("+0000", "GMT");
        let wait = retry_after(&headers(&[("retry-after", &text)])).unwrap();
        assert!(wait > Duration::from_secs(9) && wait <= Duration::from_secs(11), "{text} → {wait:?}");
        assert_eq!(retry_after(&headers(&[("x-rate-limit-time-reset-ms", "1500")])), Some(Duration::from_millis(1500) + RESET_MS_GRACE));
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_blocks_the_connection_for_exactly_what_it_asked() {
        let budget = Budget::new(Platform::RSeries);
        let started = Instant::now();
        budget.obey_429(Some(Duration::from_secs(7)));
        budget.acquire(1.0).await;
        assert!(started.elapsed() >= Duration::from_secs(7));
        assert!(started.elapsed() < Duration::from_secs(9), "and not much longer: {:?}", started.elapsed());
        let c = budget.counters();
        assert_eq!((c.requests, c.throttled), (1, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_reported_window_is_followed_to_its_end() {
        let budget = Budget::new(Platform::XSeries);
        budget.acquire(1.0).await;
        budget.observe(&headers(&[("x-ratelimit-limit", "350"), ("x-ratelimit-remaining", "0")]));
        let started = Instant::now();
        budget.acquire(1.0).await;
        let waited = started.elapsed();
        assert!(waited >= Duration::from_secs(300), "waited for the window: {waited:?}");
        assert!(waited <= Duration::from_secs(302), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_bucket_level_header_sets_the_drips_left() {
        let budget = Budget::new(Platform::RSeries);
        budget.observe(&headers(&[("x-ls-api-bucket-level", "89.5/90"), ("x-ls-api-drip-rate", "2")]));
        let started = Instant::now();
        budget.acquire(1.0).await;
        let waited = started.elapsed().as_secs_f64();
        assert!((0.24..0.3).contains(&waited), "half a drip short at 2 drips/s: {waited}");
    }
}
