//! Lightspeed Restaurant K-Series (formerly iKentoo), played on 127.0.0.1.
//!
//! `{base}kseries-auth/` stands in for the authorization server and
//! `{base}kseries/` for the API host, both `https://api.lsk.lightspeed.app/`
//! in real life (channel-apis §7). Served: the consent page
//! `oauth/authorize` and its decision, the token endpoint `oauth/token`
//! (HTTP Basic client authentication, single-use refresh tokens that expire
//! after 14 days), `GET /f/data/businesses`, and the financial API v2's
//! `GET /f/v2/business-location/{id}/sales` (closed sales by `timeClosed`,
//! `nextPageToken` paging). `/relay/kseries` is the stand-in for
//! Counterline's hosted HTTPS relay page (K-Series only redirects to HTTPS).
//!
//! `oauth` is the authorization flow, `tokens` its token store, `relay` the
//! relay page,
//! `query` reads the sales query and its page tokens, `shape` renders a
//! sale, `replies` holds the error bodies, the rate limit and every
//! UNCONFIRMED fact, `routes` is the HTTP layer.
//!
//! Each business location's history is a [`Till`] of its own (one order
//! stream per location, from the shared [`People`]), so the same shoppers
//! appear here as on every other platform. What the API lists is the
//! *closed* accounts: sales, refunds (sales of their own, `type: "REFUND"`,
//! negative quantities, `source` pointing at the refunded account),
//! cancelled accounts (`cancelled: true`) and accounts closed on credit;
//! parked and part-paid accounts are still open and not listed. An account's
//! `timeClosed` is the last time it was closed: a later change (a refund
//! against it, an edit) reopens and closes it again, so a window that starts
//! after the last sync brings it back.

pub(crate) mod oauth;
pub(crate) mod query;
pub(crate) mod relay;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod shape;
pub(crate) mod tokens;

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;

use self::query::Include;
use self::replies::RateWindow;
use crate::config::{CheckedBusiness, KSeriesLocation};
use crate::data::clock::{self, DAY};
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::till::{Till, TillSale, TillStatus};
use crate::data::{mix64, stream_seed};
use crate::locks::{lock, read, write};
use crate::people::People;

/// Mixed into the seed so K-Series locations never share an order stream
/// with another platform's stores.
const SALT: u64 = 0x6b73_6572_6965_7321;

/// Access tokens live 60 minutes (documented).
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3_600);

/// Scopes a token from `Sandbox::issue_kseries_token` carries.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["financial-api"];

/// The name the consent page shows.
pub(crate) const PRODUCT: &str = "Restaurant (K-Series)";

/// The includes `Sandbox::kseries_sales` renders with: what Counterline's
/// adapter asks for.
pub(crate) const TRUTH_INCLUDES: &str = "staff,table,consumer,payments";

/// One business location: a restaurant with its own till.
pub(crate) struct Location {
    pub id: u64,
    pub name: String,
    pub country: String,
    pub timezone: String,
    pub currency: Currency,
    /// The POS device sales are rung up on (it names fiscal ids: `A{device}.{n}`).
    pub device_id: u64,
    pub till: RwLock<Till>,
    touch_rng: Mutex<StdRng>,
}

/// One business: its locations share a currency and the app's grant.
pub(crate) struct Business {
    pub business_id: u64,
    pub name: String,
    pub currency: Currency,
    pub locations: Vec<Location>,
    pub people: Arc<People>,
    pub rate: Mutex<RateWindow>,
}

/// A sale's times in milliseconds (K-Series writes milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Times {
    pub opened_ms: i64,
    pub closed_ms: i64,
}

impl Business {
    /// `first_index` numbers this business's locations among every K-Series
    /// location, so each has its own order stream.
    pub(crate) fn generate(
        b: &CheckedBusiness,
        first_index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> Business {
        let locations = b
            .locations
            .iter()
            .enumerate()
            .map(|(k, l)| {
                Location::generate(
                    l,
                    b.currency,
                    first_index + k as u64,
                    seed,
                    order_count,
                    &people,
                )
            })
            .collect();
        Business {
            business_id: b.business_id,
            name: b.name.clone(),
            currency: b.currency,
            locations,
            people,
            rate: Mutex::new(RateWindow::default()),
        }
    }

    pub(crate) fn location(&self, id: u64) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }
}

impl Location {
    fn generate(
        l: &KSeriesLocation,
        currency: Currency,
        index: u64,
        seed: u64,
        order_count: usize,
        people: &People,
    ) -> Location {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        Location {
            id: l.id,
            name: l.name.clone(),
            country: l.country.clone(),
            timezone: l.timezone.clone(),
            currency,
            device_id: 65_000 + mix64(stream) % 10_000,
            till: RwLock::new(Till::new(orders::generate(params, people))),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
        }
    }

    /// Whether the account is closed, so the sales API lists it.
    pub(crate) fn listed(sale: &TillSale) -> bool {
        !matches!(sale.status, TillStatus::Parked | TillStatus::Layby)
    }

    /// When sale `i` was opened and (last) closed. A table stays open 10 to
    /// 90 minutes before the bill; a refund is rung up in half a minute.
    /// Milliseconds come from the sale's position, so they never change.
    pub(crate) fn times(sale: &TillSale, i: u32) -> Times {
        let ms = i64::try_from(mix64(u64::from(i)) % 1_000).unwrap_or(0);
        let minutes = i64::try_from(mix64(u64::from(i) ^ 0x6b) % 80).unwrap_or(0) + 10;
        let opened = if sale.return_for.is_some() {
            sale.created_at - 30
        } else {
            sale.created_at - minutes * 60
        };
        Times {
            opened_ms: opened * 1_000 + ms,
            closed_ms: sale.updated_at * 1_000 + ms,
        }
    }

    /// The earliest `from` the API accepts: the day before the first sale.
    pub(crate) fn operational_since_ms(&self, till: &Till) -> i64 {
        let first = till
            .sales()
            .first()
            .map_or_else(clock::now, |s| s.created_at);
        (first - DAY) * 1_000
    }

    /// Listed sale indexes sorted by (`timeClosed`, position).
    pub(crate) fn by_close(till: &Till) -> Vec<(i64, u32)> {
        let mut rows: Vec<(i64, u32)> = till
            .sales()
            .iter()
            .enumerate()
            .filter(|(_, s)| Location::listed(s))
            .map(|(i, s)| {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                (Location::times(s, i).closed_ms, i)
            })
            .collect();
        rows.sort_unstable();
        rows
    }

    /// Every listed sale with [`TRUTH_INCLUDES`], by `timeClosed`.
    pub(crate) fn sales_json(&self, people: &People) -> Vec<Value> {
        let include = Include::parse(TRUTH_INCLUDES).unwrap_or_default();
        let till = read(&self.till);
        Location::by_close(&till)
            .into_iter()
            .filter_map(|(_, i)| shape::sale_json(self, &till, i, &include, people))
            .collect()
    }

    /// See [`Till::touch`]. Returns the `accountReference`s of the changed
    /// or new sales the API lists (a touched open account stays open).
    pub(crate) fn touch(&self, n: usize) -> Vec<String> {
        let mut rng = lock(&self.touch_rng);
        let mut till = write(&self.till);
        let changed = till.touch(n, clock::now(), &mut rng);
        changed
            .into_iter()
            .filter(|&i| till.sales().get(i as usize).is_some_and(Location::listed))
            .map(|i| shape::account_reference(self, i))
            .collect()
    }
}
