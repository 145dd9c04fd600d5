//! The three meters behind a [`super::Budget`]. Each answers "take this
//! cost now, or how long until it fits", and is corrected by what the
//! server reports. Every correction errs late: a server's figures are read
//! when the answer arrives, after the server computed them, so the model
//! never believes in more room than the server had.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::limits::Limits;

/// Local clocks and the server's disagree by the request's travel time;
/// window edges we compute ourselves are pushed this much later.
pub const EDGE_MARGIN: Duration = Duration::from_secs(1);
/// Fractional levels are rounded in headers; keep this much spare.
const BUCKET_SPARE: f64 = 0.01;

#[derive(Debug)]
pub struct Bucket {
    pub capacity: f64,
    pub available: f64,
    pub restore_per_s: f64,
    at: Instant,
}

impl Bucket {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.available = (self.available + elapsed * self.restore_per_s).min(self.capacity);
        self.at = now;
    }

    fn take(&mut self, cost: f64, now: Instant) -> Option<Duration> {
        self.refill(now);
        // A cost above the bucket can never fit; wait for a full bucket and
        // let the server decide, rather than wait forever.
        let need = cost.min(self.capacity) + BUCKET_SPARE;
        if self.available >= need {
            self.available -= cost;
            return None;
        }
        let rate = self.restore_per_s.max(f64::MIN_POSITIVE);
        Some(Duration::from_secs_f64((need - self.available) / rate))
    }

    /// The server's own figures, as of `now`.
    pub fn set(&mut self, available: f64, capacity: Option<f64>, restore_per_s: Option<f64>, now: Instant) {
        if let Some(c) = capacity.filter(|c| *c > 0.0) {
            self.capacity = c;
        }
        if let Some(r) = restore_per_s.filter(|r| *r > 0.0) {
            self.restore_per_s = r;
        }
        self.available = available.clamp(0.0, self.capacity);
        self.at = now;
    }
}

/// A fixed window whose remaining count the server reports.
#[derive(Debug)]
pub struct Window {
    pub quota: u32,
    pub window: Duration,
    pub left: u32,
    /// When the current window ends, when known (a header, or our estimate
    /// from the first request we saw it count).
    pub ends: Option<Instant>,
}

impl Window {
    fn take(&mut self, now: Instant) -> Option<Duration> {
        if self.ends.is_some_and(|end| now >= end) {
            self.left = self.quota;
            self.ends = None;
        }
        if self.left > 0 {
            self.left -= 1;
            // The window began no earlier than this request was sent.
            self.ends.get_or_insert(now + self.window + EDGE_MARGIN);
            return None;
        }
        Some(self.ends.map_or(self.window, |end| end - now))
    }
}

/// Our own requests over the last window, for servers that report nothing.
#[derive(Debug)]
pub struct Sliding {
    pub quota: u32,
    pub window: Duration,
    sent: VecDeque<Instant>,
}

impl Sliding {
    fn take(&mut self, now: Instant) -> Option<Duration> {
        let span = self.window + EDGE_MARGIN;
        while self.sent.front().is_some_and(|t| now.saturating_duration_since(*t) >= span) {
            self.sent.pop_front();
        }
        if self.sent.len() < self.quota as usize {
            self.sent.push_back(now);
            return None;
        }
        let oldest = *self.sent.front().expect("full, so not empty");
        Some((oldest + span).saturating_duration_since(now).max(Duration::from_millis(1)))
    }
}

#[derive(Debug)]
pub enum Model {
    Bucket(Bucket),
    Window(Window),
    Sliding(Sliding),
    Open,
}

impl Model {
    pub fn new(limits: Limits, now: Instant) -> Model {
        match limits {
            Limits::Bucket { capacity, restore_per_s } => {
                Model::Bucket(Bucket { capacity, available: capacity, restore_per_s, at: now })
            }
            Limits::Window { quota, window } => Model::Window(Window { quota, window, left: quota, ends: None }),
            Limits::Sliding { quota, window } => Model::Sliding(Sliding { quota, window, sent: VecDeque::new() }),
            Limits::Open => Model::Open,
        }
    }

    /// Takes `cost` now (`None`), or says how long until it may fit.
    pub fn take(&mut self, cost: f64, now: Instant) -> Option<Duration> {
        match self {
            Model::Bucket(b) => b.take(cost, now),
            Model::Window(w) => w.take(now),
            Model::Sliding(s) => s.take(now),
            Model::Open => None,
        }
    }

    /// After a refusal: nothing is left until `until`.
    pub fn exhaust(&mut self, now: Instant, until: Instant) {
        match self {
            Model::Bucket(b) => b.set(0.0, None, None, now),
            Model::Window(w) => {
                w.left = 0;
                w.ends = Some(until);
            }
            Model::Sliding(_) | Model::Open => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_lends_its_capacity_then_the_restore_rate() {
        let t0 = Instant::now();
        let mut m = Model::new(Limits::Bucket { capacity: 3.0, restore_per_s: 1.0 }, t0);
        assert_eq!(m.take(1.0, t0), None);
        assert_eq!(m.take(1.0, t0), None);
        let wait = m.take(1.0, t0).expect("the last unit is kept spare");
        assert!(wait <= Duration::from_millis(20), "{wait:?}");
        let wait = m.take(2.0, t0).expect("two more do not fit");
        assert!(wait > Duration::from_millis(900) && wait < Duration::from_millis(1100), "{wait:?}");
        assert_eq!(m.take(2.0, t0 + wait), None, "after the wait they do");
    }

    #[test]
    fn a_window_waits_for_its_end_once_spent() {
        let t0 = Instant::now();
        let mut m = Model::new(Limits::Window { quota: 2, window: Duration::from_secs(10) }, t0);
        assert_eq!(m.take(1.0, t0), None);
        assert_eq!(m.take(1.0, t0), None);
        assert_eq!(m.take(1.0, t0), Some(Duration::from_secs(10) + EDGE_MARGIN));
        assert_eq!(m.take(1.0, t0 + Duration::from_secs(11)), None, "a new window");
    }

    #[test]
    fn a_sliding_window_counts_only_the_last_window() {
        let t0 = Instant::now();
        let mut m = Model::new(Limits::Sliding { quota: 2, window: Duration::from_secs(10) }, t0);
        assert_eq!(m.take(1.0, t0), None);
        assert_eq!(m.take(1.0, t0 + Duration::from_secs(5)), None);
        let wait = m.take(1.0, t0 + Duration::from_secs(6));
        assert_eq!(wait, Some(Duration::from_secs(10) + EDGE_MARGIN - Duration::from_secs(6)), "until the first one is a window (and a margin) old");
        assert_eq!(m.take(1.0, t0 + Duration::from_secs(11)), None, "the first one has left the window");
    }
}
