//! The K-Series reads an order pull needs: the business the token opens
//! (id, name, currency, locations) and each location's closed sales.
//!
//! A walk visits every location in turn; within one, windows of at most
//! [`WINDOW_MS`] of `timeClosed` from the start time up to now (`from`
//! inclusive, `to` exclusive, so windows meet without gaps), each paged by
//! `nextPageToken`. The walk's position is a small JSON value (location,
//! window start, page token) handed back as the page's `next`. Locations
//! restart from the same start time, so the high-water mark is reported on
//! the walk's last page only: a crash mid-walk re-reads rather than skips.
//! A full backfill starts where the API says the location became
//! operational (the documented "earliest available date" refusal).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Mutex, OnceCell};
use url::Url;

use counterline_store::model::NewOrder;
use counterline_store::now_ms;

use super::normalize;
use crate::grant::GrantKeeper;
use crate::{timefmt, Error, Result};

const PLATFORM: &str = "Lightspeed K-Series";
/// The documented largest page.
pub const PAGE_SIZE: u32 = 100;
/// One window: the API allows at most 365 days; a day less keeps clear of
/// whether the bound is inclusive (UNCONFIRMED).
pub const WINDOW_MS: i64 = 364 * 24 * 3600 * 1000;
/// Where a first backfill asks from; the API answers with the location's
/// real first day.
const BEGINNING_MS: i64 = 946_684_800_000; // 2000-01-01
/// What payments carry the guest's email and name.
const INCLUDE: &str = "payments,consumer";

#[derive(Debug, Clone)]
pub struct Business {
    pub id: u64,
    pub name: String,
    pub currency: String,
    pub locations: Vec<u64>,
}

pub struct KSeriesClient {
    http: reqwest::Client,
    origin: Url,
    keeper: Arc<GrantKeeper>,
    budget: Arc<crate::budget::Budget>,
    business: OnceCell<Business>,
    walk_max: Mutex<Option<i64>>,
}

/// Where a walk is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Position {
    /// Index into the business's locations.
    location: usize,
    /// Start of the current window (UTC ms).
    from: i64,
    /// The API's token for the next page of this window.
    token: Option<String>,
}

#[derive(Debug)]
pub struct SalesPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub next: Option<String>,
    /// The walk's high-water mark, on its last page only.
    pub walk_max_updated_at: Option<i64>,
}

fn response_error(detail: impl Into<String>) -> Error {
    Error::Response { platform: PLATFORM, detail: detail.into() }
}

/// The first day in the documented refusal "… Please specify a date and
/// time after: {time}, which is the earliest available date …".
fn earliest_available(message: &str) -> Option<i64> {
    let after = message.split("after:").nth(1)?;
    let time = after.trim_start().split(|c: char| c == ',' || c.is_whitespace()).next()?;
    timefmt::parse_ms(time).ok()
}

enum Answer {
    Body(Value),
    /// 400 "not operational": the location's first day.
    NotYetOpen(i64),
}

impl KSeriesClient {
    pub fn new(http: reqwest::Client, origin: Url, keeper: Arc<GrantKeeper>) -> KSeriesClient {
        let budget = Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::KSeries));
        KSeriesClient { http, origin, keeper, budget, business: OnceCell::new(), walk_max: Mutex::new(None) }
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// `f/data/businesses`: the business the token opens.
    pub async fn business(&self) -> Result<&Business> {
        self.business
            .get_or_try_init(|| async {
                let Answer::Body(body) = self.get("f/data/businesses", &[]).await? else {
                    return Err(response_error("the business list was refused"));
                };
                let list = body["_embedded"]["businessList"].as_array().ok_or_else(|| response_error("businessList missing"))?;
                let b = list.first().ok_or_else(|| response_error("the token opens no business"))?;
                let currency = b["currencyCode"].as_str().filter(|c| c.len() == 3).ok_or_else(|| response_error("currencyCode missing"))?;
                let locations = b["businessLocations"]
                    .as_array()
                    .map(|ls| ls.iter().filter_map(|l| l["blID"].as_u64()).collect::<Vec<_>>())
                    .unwrap_or_default();
                if locations.is_empty() {
                    return Err(response_error("the business has no locations"));
                }
                Ok(Business {
                    id: b["businessId"].as_u64().ok_or_else(|| response_error("businessId missing"))?,
                    name: b["businessName"].as_str().unwrap_or(PLATFORM).to_owned(),
                    currency: currency.to_ascii_uppercase(),
                    locations,
                })
            })
            .await
    }

    /// The next page of a walk of sales closed at or after `since`.
    pub async fn sales_page(&self, since: Option<i64>, next: Option<&str>) -> Result<SalesPage> {
        let business = self.business().await?.clone();
        let mut position = match next {
            Some(text) => serde_json::from_str(text).map_err(|_| Error::Internal(format!("K-Series position {text:?}")))?,
            None => {
                *self.walk_max.lock().await = None;
                Position { location: 0, from: since.unwrap_or(BEGINNING_MS), token: None }
            }
        };
        let start = since.unwrap_or(BEGINNING_MS);
        loop {
            let location = business.locations[position.location];
            let now = now_ms();
            let to = (position.from + WINDOW_MS < now).then_some(position.from + WINDOW_MS);
            let mut query = vec![
                ("from", timefmt::format_ms(position.from)),
                ("include", INCLUDE.to_owned()),
                ("pageSize", PAGE_SIZE.to_string()),
            ];
            if let Some(to) = to {
                query.push(("to", timefmt::format_ms(to)));
            }
            if let Some(token) = &position.token {
                query.push(("nextPageToken", token.clone()));
            }
            let path = format!("f/v2/business-location/{location}/sales");
            let body = match self.get(&path, &query).await? {
                Answer::Body(body) => body,
                Answer::NotYetOpen(first_day) if position.token.is_none() && first_day > position.from => {
                    position.from = first_day;
                    continue;
                }
                Answer::NotYetOpen(_) => return Err(response_error("the location refused its own earliest date")),
            };
            let sales = body["sales"].as_array().map(Vec::as_slice).unwrap_or_default();
            let updated = |s: &Value| s["timeClosed"].as_str().and_then(|t| timefmt::parse_ms(t).ok());
            let (orders, failed) =
                crate::source::read_each(sales, "accountReference", updated, |s| normalize::sale(s, &business.currency));
            let token = body["nextPageToken"].as_str().filter(|t| !t.is_empty()).map(str::to_owned);
            let following = match (token, to) {
                (Some(token), _) => Some(Position { token: Some(token), ..position.clone() }),
                (None, Some(to)) => Some(Position { location: position.location, from: to, token: None }),
                (None, None) if position.location + 1 < business.locations.len() => {
                    Some(Position { location: position.location + 1, from: start, token: None })
                }
                (None, None) => None,
            };
            let mut walk_max = self.walk_max.lock().await;
            *walk_max = (*walk_max).max(orders.iter().map(|o| o.updated_at).max());
            let walk_max_updated_at = if following.is_none() { walk_max.take() } else { None };
            let next = following.map(|p| serde_json::to_string(&p).expect("a position serializes"));
            return Ok(SalesPage { orders, failed, next, walk_max_updated_at });
        }
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Answer> {
        let url = self.origin.join(path).map_err(|e| Error::Internal(format!("K-Series path: {e}")))?;
        let host = url.host_str().unwrap_or("Lightspeed").to_owned();
        let response = self
            .budget
            .send(1.0, || self.keeper.send(|token| self.http.get(url.clone()).query(query).bearer_auth(token), &host))
            .await?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {}
            400 => {
                let body: Value = response.json().await.unwrap_or_default();
                let message = body["error"].as_str().unwrap_or_default();
                return match earliest_available(message) {
                    Some(first_day) if message.contains("not operational") => Ok(Answer::NotYetOpen(first_day)),
                    _ => Err(response_error(format!("the request was refused: {}", message.lines().next().unwrap_or("HTTP 400")))),
                };
            }
            403 => {
                return Err(Error::Auth {
                    platform: PLATFORM,
                    detail: "the business did not grant Counterline access to its sales (financial-api)".into(),
                })
            }
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            _ => return Err(response_error(format!("HTTP {status}"))),
        }
        let body = response
            .json()
            .await
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })?;
        Ok(Answer::Body(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_available_date_is_read_from_the_documented_refusal() {
        let message = "Invalid 'from' date query parameter. The requested business location was not operational on the provided date.\nPlease specify a date and time after: 2024-11-23T10:00:00Z, which is the earliest available date for this location.\n";
        assert_eq!(earliest_available(message), timefmt::parse_ms("2024-11-23T10:00:00Z").ok());
        assert_eq!(earliest_available("Invalid date format"), None);
    }
}
