//! The fault profile: which faults the sandbox injects into the platforms'
//! order and sale *list* routes, at what rates, from which seed; the spec
//! text the binary's `--faults` flag reads; the per-request decision; and
//! the running state (decision counter, 429 bursts in progress, counts of
//! what was injected, the offline switch) every request shares.
//!
//! Faults exist so the sync engine can be proven under them: a sync must
//! still end with exactly the platform's data. So a fault never changes the
//! data: it answers instead of the handler (5xx, 429), delays the handler
//! (timeout), cuts the handler's own answer short (truncate), or lapses the
//! account's access token so the handler answers its real 401 (expire). A
//! retried request gets the right answer unless it draws a fault itself.
//!
//! Decisions are deterministic: the n-th list request since the profile
//! was set draws from `mix64(seed, n)`, so one client making the same
//! requests in the same order sees the same faults. (Concurrent clients
//! interleave arbitrarily, so their faults land on different requests from
//! run to run; the rates hold.)
//!
//! Where: `inject` (the middleware that classifies routes and applies a
//! fault with each platform's reply builders), `refresh` (5xx on token
//! refreshes) and `offline` (the listener that drops connections while the
//! sandbox is offline).

pub(crate) mod inject;
pub(crate) mod offline;
pub(crate) mod refresh;

use std::collections::{HashMap, VecDeque};
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::data::mix64;
use crate::error::SandboxError;
use crate::locks::{lock, read, write};

/// What faults to inject and how often. The default injects none.
///
/// Each rate is the chance (0.0–1.0) that one list request draws that
/// fault; the kinds exclude each other, in the order of the fields, so
/// rates adding up past 1.0 starve the later kinds. Rates outside 0–1 are
/// clamped.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultProfile {
    /// Decisions follow from this (independently of the data's seed, so the
    /// same data can be tried under different fault sequences).
    pub seed: u64,
    /// A 500, 502 or 503 instead of the answer. 500 and 503 carry the
    /// platform's error body; 503 also `Retry-After`; 502 is the HTML page
    /// of a gateway in front of the platform, which speaks no platform's
    /// JSON. Token refreshes draw 5xx at this rate too (and nothing else).
    pub server_error: f64,
    /// The answer comes after [`FaultProfile::timeout_delay`]: the client is
    /// expected to give up first and retry.
    pub timeout: f64,
    /// `200` with the JSON body cut off part way; `Content-Length` is the
    /// length actually sent, so the client reads malformed JSON promptly.
    pub truncate: f64,
    /// Starts a burst: this request and the account's next ones, a burst of
    /// [`FaultProfile::burst_len`] in all, get the platform's rate-limit
    /// answer.
    pub burst429: f64,
    /// The account's access tokens lapse just before this request, so it
    /// gets the platform's 401 for an expired token and the client must
    /// refresh. Only where tokens expire and refresh (Lightspeed X-, R-,
    /// O- and K-Series); elsewhere the draw injects nothing.
    pub expire: f64,
    /// How long a timeout fault holds the answer back (default 30 s; tests
    /// set it a little above their client's timeout).
    pub timeout_delay: Duration,
    /// How many rate-limited answers a burst gives, chosen per burst from
    /// the seed (default 3–8).
    pub burst_len: RangeInclusive<u32>,
    /// The wait a burst's answers ask for (`Retry-After`, or the platform's
    /// equivalent), default 1 s; whole-second headers round it up.
    pub retry_after: Duration,
}

impl Default for FaultProfile {
    fn default() -> Self {
        FaultProfile {
            seed: 0,
            server_error: 0.0,
            timeout: 0.0,
            truncate: 0.0,
            burst429: 0.0,
            expire: 0.0,
            timeout_delay: Duration::from_secs(30),
            burst_len: 3..=8,
            retry_after: Duration::from_secs(1),
        }
    }
}

/// One kind of fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FaultKind {
    ServerError,
    Timeout,
    Truncate,
    Burst429,
    Expire,
}

/// What one write suffers, queued by `Sandbox::fail_next_writes`. Writes
/// draw nothing from the profile (a sync's faults stay where they were);
/// a test queues exactly the failures it wants to see retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteFault {
    /// The platform's 503 with `Retry-After`.
    ServerError,
    /// The platform's rate-limit answer, asking for the profile's
    /// `retry_after`.
    RateLimited,
}

/// Faults injected since the sandbox started, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// 500, 502 and 503 answers.
    pub server_errors: u64,
    /// Answers held back for `timeout_delay`.
    pub timeouts: u64,
    /// `200` answers cut short.
    pub truncations: u64,
    /// 429 bursts started.
    pub bursts: u64,
    /// Rate-limited answers given in bursts (each burst gives several).
    pub throttled: u64,
    /// Times an account's live access tokens were lapsed.
    pub expiries: u64,
    /// 500, 502 and 503 answers to token refreshes (drawn at the `5xx`
    /// rate; refreshes get no other kind).
    pub refresh_errors: u64,
}

fn spec_error(spec: &str, reason: impl Into<String>) -> SandboxError {
    SandboxError::FaultSpec {
        spec: spec.to_owned(),
        reason: reason.into(),
    }
}

/// `250ms`, `2s`, or a bare number of seconds (`1.5`).
fn duration(spec: &str, key: &str, value: &str) -> Result<Duration, SandboxError> {
    let (number, scale) = if let Some(ms) = value.strip_suffix("ms") {
        (ms, 0.001)
    } else {
        (value.strip_suffix('s').unwrap_or(value), 1.0)
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(|n| Duration::from_secs_f64(n * scale))
        .ok_or_else(|| spec_error(spec, format!("{key} expects a duration like 2s or 250ms")))
}

impl FaultProfile {
    /// Reads a spec: comma-separated `key=value` pairs, e.g.
    /// `5xx=0.05,timeout=0.02,truncate=0.03,burst429=0.02,expire=0.01,seed=7`.
    ///
    /// Rates: `5xx`, `timeout`, `truncate`, `burst429`, `expire` (0–1,
    /// summing to at most 1). Others: `seed=N`, `delay=30s` (the timeout
    /// delay), `burst=3-8` (or `burst=5`), `retry_after=1s`. Durations take
    /// `ms` or `s`; a bare number is seconds. Keys left out keep the
    /// defaults; an empty spec or `none` injects nothing.
    pub fn parse(spec: &str) -> Result<FaultProfile, SandboxError> {
        let mut profile = FaultProfile::default();
        let trimmed = spec.trim();
        if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("none") {
            return Ok(profile);
        }
        for pair in trimmed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .ok_or_else(|| spec_error(spec, format!("{pair:?} is not key=value")))?;
            let rate = || {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| spec_error(spec, format!("{key} expects a rate from 0 to 1")))
            };
            match key {
                "5xx" => profile.server_error = rate()?,
                "timeout" => profile.timeout = rate()?,
                "truncate" => profile.truncate = rate()?,
                "burst429" => profile.burst429 = rate()?,
                "expire" => profile.expire = rate()?,
                "seed" => {
                    profile.seed = value
                        .parse()
                        .map_err(|_| spec_error(spec, "seed expects a whole number"))?;
                }
                "delay" => profile.timeout_delay = duration(spec, key, value)?,
                "retry_after" => profile.retry_after = duration(spec, key, value)?,
                "burst" => {
                    let (low, high) = value.split_once('-').unwrap_or((value, value));
                    let n = |s: &str| s.trim().parse::<u32>().ok().filter(|n| *n > 0);
                    match (n(low), n(high)) {
                        (Some(low), Some(high)) if low <= high => profile.burst_len = low..=high,
                        _ => return Err(spec_error(spec, "burst expects N or LOW-HIGH, from 1")),
                    }
                }
                other => return Err(spec_error(spec, format!("unknown key {other:?}"))),
            }
        }
        let total = profile.server_error
            + profile.timeout
            + profile.truncate
            + profile.burst429
            + profile.expire;
        if total > 1.0 + 1e-9 {
            return Err(spec_error(
                spec,
                format!("the rates add up to {total}, over 1"),
            ));
        }
        Ok(profile)
    }

    /// Whether any fault can be drawn.
    fn injects(&self) -> bool {
        self.rates().iter().any(|(_, r)| *r > 0.0)
    }

    fn rates(&self) -> [(FaultKind, f64); 5] {
        [
            (FaultKind::ServerError, self.server_error),
            (FaultKind::Timeout, self.timeout),
            (FaultKind::Truncate, self.truncate),
            (FaultKind::Burst429, self.burst429),
            (FaultKind::Expire, self.expire),
        ]
    }

    /// The fault the `n`-th list request draws, with a second number from
    /// the same draw for the fault's details (which 5xx, where to cut, how
    /// long a burst), so details are as reproducible as the kinds.
    pub(crate) fn draw(&self, n: u64) -> (Option<FaultKind>, u64) {
        let hash = mix64(self.seed ^ mix64(n));
        // 53 random bits as a fraction in [0, 1).
        let roll = (hash >> 11) as f64 / (1u64 << 53) as f64;
        let detail = mix64(hash);
        let mut edge = 0.0;
        for (kind, rate) in self.rates() {
            edge += rate.clamp(0.0, 1.0);
            if roll < edge {
                return (Some(kind), detail);
            }
        }
        (None, detail)
    }

    /// The length of a burst drawn with `detail`.
    pub(crate) fn burst_of(&self, detail: u64) -> u32 {
        let (low, high) = (*self.burst_len.start(), *self.burst_len.end());
        let low = low.max(1);
        let span = u64::from(high.max(low) - low) + 1;
        low + u32::try_from(detail % span).unwrap_or(0)
    }

    /// `retry_after` in whole seconds, at least one: what integer
    /// `Retry-After` headers carry.
    pub(crate) fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs_f64().ceil().max(1.0) as u64
    }
}

impl FromStr for FaultProfile {
    type Err = SandboxError;

    fn from_str(spec: &str) -> Result<FaultProfile, SandboxError> {
        FaultProfile::parse(spec)
    }
}

/// What a list request should suffer, decided by [`FaultState::decide`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Decision {
    pub kind: FaultKind,
    /// For a 429: this request starts the burst (rather than continuing one).
    pub starts_burst: bool,
    pub detail: u64,
    pub profile: FaultProfile,
}

/// The faults' running state, shared by every request.
pub(crate) struct FaultState {
    profile: RwLock<FaultProfile>,
    /// List requests decided since the profile was set.
    next: AtomicU64,
    /// Rate-limited answers still owed, by account (`platform/account`).
    bursts: Mutex<HashMap<String, u32>>,
    counts: Mutex<FaultCounts>,
    /// Shared with the listener, which drops connections while it is set.
    pub offline: Arc<AtomicBool>,
    /// Set when the server stops, ending held (timed-out) answers early.
    stopping: tokio::sync::watch::Sender<bool>,
    /// What the next writes suffer, first first.
    writes: Mutex<VecDeque<WriteFault>>,
}

impl FaultState {
    pub(crate) fn new(profile: FaultProfile) -> FaultState {
        FaultState {
            profile: RwLock::new(profile),
            next: AtomicU64::new(0),
            bursts: Mutex::new(HashMap::new()),
            counts: Mutex::new(FaultCounts::default()),
            offline: Arc::new(AtomicBool::new(false)),
            stopping: tokio::sync::watch::Sender::new(false),
            writes: Mutex::new(VecDeque::new()),
        }
    }

    /// Queues `faults` for the next writes, in order.
    pub(crate) fn fail_writes(&self, faults: &[WriteFault]) {
        lock(&self.writes).extend(faults.iter().copied());
    }

    /// The fault this write suffers, if one is queued, with the profile its
    /// answer's waits come from.
    pub(crate) fn take_write_fault(&self) -> Option<(WriteFault, FaultProfile)> {
        let fault = lock(&self.writes).pop_front()?;
        Some((fault, read(&self.profile).clone()))
    }

    /// Waits `delay`, or until the server stops.
    pub(crate) async fn hold(&self, delay: Duration) {
        let mut stopping = self.stopping.subscribe();
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = stopping.wait_for(|stopping| *stopping) => {}
        }
    }

    /// Ends every [`FaultState::hold`], now and later.
    pub(crate) fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Replaces the profile and starts its decision sequence afresh, so a
    /// test that sets a profile sees the same faults on every run. Bursts
    /// in progress end; counts keep accumulating.
    pub(crate) fn set(&self, profile: FaultProfile) {
        let mut current = write(&self.profile);
        *current = profile;
        self.next.store(0, Ordering::SeqCst);
        lock(&self.bursts).clear();
    }

    pub(crate) fn counts(&self) -> FaultCounts {
        *lock(&self.counts)
    }

    pub(crate) fn count(&self, f: impl FnOnce(&mut FaultCounts)) {
        f(&mut lock(&self.counts));
    }

    /// Decides whether a token refresh gets a 5xx: it takes the next number
    /// like a list request, but only a 5xx draw counts.
    pub(crate) fn decide_refresh(&self) -> Option<Decision> {
        let profile = read(&self.profile).clone();
        if !profile.injects() {
            return None;
        }
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let (kind, detail) = profile.draw(n);
        (kind == Some(FaultKind::ServerError)).then_some(Decision {
            kind: FaultKind::ServerError,
            starts_burst: false,
            detail,
            profile,
        })
    }

    /// Decides the fault for one list request to `account`: the rest of a
    /// burst in progress, else a fresh draw. Starting a burst records how
    /// many more answers it owes.
    pub(crate) fn decide(&self, account: &str) -> Option<Decision> {
        let profile = read(&self.profile).clone();
        if !profile.injects() {
            return None;
        }
        // Every list request takes a number, burst or not, so the sequence
        // depends only on how many requests came before.
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let mut bursts = lock(&self.bursts);
        if let Some(left) = bursts.get_mut(account) {
            *left -= 1;
            if *left == 0 {
                bursts.remove(account);
            }
            return Some(Decision {
                kind: FaultKind::Burst429,
                starts_burst: false,
                detail: 0,
                profile,
            });
        }
        let (kind, detail) = profile.draw(n);
        let kind = kind?;
        if kind == FaultKind::Burst429 {
            let owed = profile.burst_of(detail) - 1;
            if owed > 0 {
                bursts.insert(account.to_owned(), owed);
            }
        }
        Some(Decision {
            kind,
            starts_burst: kind == FaultKind::Burst429,
            detail,
            profile,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_sets_rates_and_options_and_refuses_nonsense() {
        let p = FaultProfile::parse(
            "5xx=0.05, timeout=0.02,truncate=0.03,burst429=0.02,expire=0.01,seed=7,delay=250ms,burst=2-4,retry_after=2s",
        )
        .expect("a full spec parses");
        assert_eq!(p.server_error, 0.05);
        assert_eq!(p.seed, 7);
        assert_eq!(p.timeout_delay, Duration::from_millis(250));
        assert_eq!(p.burst_len, 2..=4);
        assert_eq!(p.retry_after, Duration::from_secs(2));
        assert_eq!(
            FaultProfile::parse("none").ok(),
            Some(FaultProfile::default())
        );
        for bad in [
            "5xx=2",
            "5xx",
            "lag=0.1",
            "burst=0",
            "burst=5-2",
            "delay=soon",
            "5xx=0.6,timeout=0.6",
        ] {
            assert!(
                matches!(
                    FaultProfile::parse(bad),
                    Err(SandboxError::FaultSpec { .. })
                ),
                "{bad:?} is refused with the spec error"
            );
        }
    }

    #[test]
    fn draws_follow_the_seed_and_the_rates() {
        let p = FaultProfile {
            seed: 9,
            server_error: 0.25,
            truncate: 0.25,
            ..FaultProfile::default()
        };
        let kinds = |p: &FaultProfile| (0..2_000).map(|n| p.draw(n).0).collect::<Vec<_>>();
        assert_eq!(
            kinds(&p),
            kinds(&p.clone()),
            "the same seed draws the same faults"
        );
        let other = FaultProfile {
            seed: 10,
            ..p.clone()
        };
        assert_ne!(kinds(&p), kinds(&other), "another seed draws others");
        let errors = kinds(&p)
            .iter()
            .filter(|k| **k == Some(FaultKind::ServerError))
            .count();
        assert!(
            (400..600).contains(&errors),
            "about a quarter are 5xx ({errors})"
        );
        assert!(
            kinds(&p)
                .iter()
                .all(|k| matches!(k, None | Some(FaultKind::ServerError | FaultKind::Truncate))),
            "kinds at rate 0 are never drawn"
        );
    }

    #[test]
    fn a_burst_owes_its_length_to_the_same_account_only() {
        let state = FaultState::new(FaultProfile {
            burst429: 1.0,
            burst_len: 3..=3,
            ..FaultProfile::default()
        });
        for _ in 0..3 {
            let d = state.decide("bigcommerce/a").expect("a fault");
            assert_eq!(d.kind, FaultKind::Burst429);
        }
        assert!(
            lock(&state.bursts).is_empty(),
            "the burst of three is spent"
        );
        state.decide("bigcommerce/a");
        assert_eq!(lock(&state.bursts).get("bigcommerce/a"), Some(&2));
        assert_eq!(lock(&state.bursts).get("bigcommerce/b"), None);
    }
}
