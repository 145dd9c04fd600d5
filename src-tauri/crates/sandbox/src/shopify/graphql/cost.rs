//! Query cost and the leaky bucket behind Shopify's GraphQL rate limit.
//!
//! Cost formula (Shopify's documented rules, simplified):
//! - a scalar or enum field costs 0;
//! - an object field costs 1 plus the cost of its selection (`PageInfo` is free);
//! - a connection costs 2 + n × (cost of one item), where n is `first`/`last`
//!   and one item is the node (1 + its selection) via `nodes` and/or
//!   `edges { node }` (edges themselves and cursors are free).
//!
//! `requestedQueryCost` uses the requested page sizes; `actualQueryCost`
//! counts the objects actually returned (see `exec`). The numbers are close to
//! Shopify's but not identical; clients should read them, not hard-code them.
//!
//! Bucket: Shopify's Standard plan, 2,000 points refilled at 100 points/s;
//! a query may cost at most 1,000. A query is admitted when its requested
//! cost fits in what is currently available; the difference between
//! requested and actual is refunded after it runs. With rate limits off the
//! bucket is not drained and responses report it full.

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::errors::GqlError;
use super::exec::page_request;
use super::input::{collect_fields, Fragments};
use super::schema::{type_def, Ty};
use graphql_parser::query::SelectionSet;

pub(crate) const MAX_AVAILABLE: f64 = 2000.0;
pub(crate) const RESTORE_RATE: f64 = 100.0;
pub(crate) const MAX_QUERY_COST: u64 = 1000;
pub(crate) const RATE_LIMITS_DOC: &str = "https://shopify.dev/api/usage/rate-limits";

pub(crate) struct CostWalk<'w, 'd, 'q> {
    pub fragments: &'w Fragments<'d, 'q>,
    pub vars: &'w Map<String, Value>,
}

impl<'d, 'q> CostWalk<'_, 'd, 'q> {
    /// Cost of selecting `sets` on an object of `type_name`. Connection
    /// arguments are checked here, so a bad page size fails before running.
    pub(crate) fn selection(
        &self,
        type_name: &str,
        sets: &[&'d SelectionSet<'q, String>],
    ) -> Result<u64, GqlError> {
        let mut total = 0u64;
        for c in collect_fields(type_name, sets, self.fragments, self.vars) {
            let field = c.first();
            let Some(def) = type_def(type_name).and_then(|t| t.field(&field.name)) else {
                continue; // __typename, or already reported by validation
            };
            let subs = c.sub_selections();
            total += match def.ty {
                Ty::Leaf(_) | Ty::LeafList(_) => 0,
                Ty::Object("PageInfo") => 0,
                Ty::Object(t) | Ty::ObjectList(t) => 1 + self.selection(t, &subs)?,
                Ty::Connection(conn) => {
                    let request =
                        page_request(field, self.vars).map_err(|e| e.at(field.position))?;
                    let n = request.size() as u64;
                    2 + n * self.connection_item(conn, &subs)?
                }
            };
        }
        Ok(total)
    }

    /// Cost of one item of a connection: its node via `nodes` and/or `edges`.
    fn connection_item(
        &self,
        conn: &str,
        sets: &[&'d SelectionSet<'q, String>],
    ) -> Result<u64, GqlError> {
        let mut per_item = 0;
        for c in collect_fields(conn, sets, self.fragments, self.vars) {
            let subs = c.sub_selections();
            let node_type = type_def(conn)
                .and_then(|t| t.field(&c.first().name))
                .map(|d| d.ty);
            per_item += match (c.first().name.as_str(), node_type) {
                ("nodes", Some(Ty::ObjectList(node))) => 1 + self.selection(node, &subs)?,
                ("edges", Some(Ty::ObjectList(edge))) => {
                    // Only the edge's node costs anything.
                    let mut edge_cost = 0;
                    for e in collect_fields(edge, &subs, self.fragments, self.vars) {
                        let def = type_def(edge).and_then(|t| t.field(&e.first().name));
                        if let Some(Ty::Object(node)) = def.map(|d| d.ty) {
                            edge_cost += 1 + self.selection(node, &e.sub_selections())?;
                        }
                    }
                    edge_cost
                }
                _ => 0,
            };
        }
        Ok(per_item)
    }
}

/// Shopify's leaky bucket for one shop.
#[derive(Debug)]
pub(crate) struct LeakyBucket {
    available: f64,
    updated: Instant,
}

impl Default for LeakyBucket {
    fn default() -> Self {
        LeakyBucket {
            available: MAX_AVAILABLE,
            updated: Instant::now(),
        }
    }
}

impl LeakyBucket {
    fn refill(&mut self) {
        let now = Instant::now();
        let elapsed = now.duration_since(self.updated).as_secs_f64();
        self.available = (self.available + elapsed * RESTORE_RATE).min(MAX_AVAILABLE);
        self.updated = now;
    }

    /// Takes `cost` points if they are available.
    pub(crate) fn try_take(&mut self, cost: u64) -> bool {
        self.refill();
        if cost as f64 <= self.available {
            self.available -= cost as f64;
            true
        } else {
            false
        }
    }

    pub(crate) fn refund(&mut self, points: u64) {
        self.refill();
        self.available = (self.available + points as f64).min(MAX_AVAILABLE);
    }

    pub(crate) fn available(&mut self) -> f64 {
        self.refill();
        self.available
    }
}

/// `extensions.cost` as Shopify reports it; `actual` is null when throttled.
pub(crate) fn cost_extension(requested: u64, actual: Option<u64>, available: f64) -> Value {
    json!({
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": MAX_AVAILABLE,
                "currentlyAvailable": available.floor() as u64,
                "restoreRate": RESTORE_RATE,
            }
        }
    })
}
