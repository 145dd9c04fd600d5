//! HTTP routes: the authorization server under `/rseries-auth/` (the
//! stand-in for `https://cloud.lightspeedapp.com/`), the API under
//! `/rseries/API/V3/` (for `https://api.lightspeedapp.com/API/V3/`), and
//! the sandbox's own summary route. Every API route goes through
//! [`guarded`]: check the bearer token, that it opens this account and has
//! a scope the endpoint accepts, pour the request into the account's leaky
//! bucket, and stamp the bucket headers on whatever the handler answers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::bucket::READ_COST;
use super::query::{ListQuery, Relations, Row, CUSTOMER_RELATIONS, SALE_RELATIONS};
use super::replies::{
    bad_request, forbidden, not_found, too_many_requests, unauthorized, with_bucket_headers,
};
use super::shape::{self, completed, one_or_many};
use super::{oauth, Account};
use crate::data::till::TillStatus;
use crate::lightspeed::grants::TokenCheck;
use crate::lightspeed::params::{bearer, AuthorizeParams};
use crate::locks::{lock, read};
use crate::state::Shared;

/// Scopes that open sales (UNCONFIRMED, see `replies`).
const SALE_SCOPES: &[&str] = &[
    "employee:all",
    "employee:register",
    "employee:cfd",
    "employee:reports",
];
/// Scopes that open customers (UNCONFIRMED).
const CUSTOMER_SCOPES: &[&str] = &["employee:all", "employee:customers", "employee:register"];

pub(crate) fn router() -> Router<Arc<Shared>> {
    let account = "/rseries/API/V3/Account/{account}";
    Router::new()
        .route("/rseries-auth/auth/oauth/authorize", get(authorize))
        .route(
            "/rseries-auth/auth/oauth/authorize/decision",
            post(decision),
        )
        .route("/rseries-auth/auth/oauth/token", post(token))
        .route("/rseries/API/V3/Account.json", get(accounts))
        .route(&format!("{account}/Sale.json"), get(sales))
        .route(
            &format!("{account}/Sale/{{file}}"),
            get(sale).put(super::writes::update_sale),
        )
        .route(&format!("{account}/Customer.json"), get(customers))
        .route(&format!("{account}/Customer/{{file}}"), get(customer))
        .route("/_sandbox/rseries/{account}/summary", get(summary))
}

/// Authenticates, checks the account and scope, pours the request into the
/// bucket, runs `serve` on the token's account, and adds the bucket
/// headers. `account` is the id in the path (`None` for `Account.json`).
fn guarded(
    shared: &Shared,
    account: Option<&str>,
    headers: &HeaderMap,
    scopes: &[&str],
    serve: impl FnOnce(&Account) -> Response,
) -> Response {
    guarded_at(READ_COST, shared, account, headers, scopes, serve)
}

/// [`guarded`] for a request that costs `cost` drips.
pub(super) fn guarded_at(
    cost: u32,
    shared: &Shared,
    account: Option<&str>,
    headers: &HeaderMap,
    scopes: &[&str],
    serve: impl FnOnce(&Account) -> Response,
) -> Response {
    let subject = match lock(&shared.rseries_grants).check(bearer(headers)) {
        TokenCheck::Live(access) => {
            if !scopes.is_empty()
                && !access.scopes.is_empty()
                && !access.scopes.iter().any(|s| scopes.contains(&s.as_str()))
            {
                return forbidden("The access token's scope does not allow this request.");
            }
            access.subject.clone()
        }
        TokenCheck::Expired => return unauthorized(true),
        TokenCheck::Unknown => return unauthorized(false),
    };
    if account.is_some_and(|a| a.trim() != subject) {
        return forbidden("The access token does not give access to this account.");
    }
    let Some(acct) = shared.rseries_account(&subject) else {
        return unauthorized(false);
    };
    let status = lock(&acct.bucket).admit(cost, shared.enforce_rate_limits);
    let response = if status.limited {
        too_many_requests()
    } else {
        serve(acct)
    };
    with_bucket_headers(response, status)
}

async fn authorize(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes(), oauth::STORE_FIELD);
    oauth::authorize(&shared, &params)
}

async fn decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    oauth::decide(&shared, &AuthorizeParams::parse(&body, oauth::STORE_FIELD))
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    oauth::token(&shared, &headers, &body)
}

/// `{"@attributes": {"count": "1"}, key: record}`.
pub(super) fn single(key: &str, record: Value) -> Response {
    let mut m = Map::new();
    m.insert("@attributes".into(), json!({"count": "1"}));
    m.insert(key.to_owned(), record);
    Json(Value::Object(m)).into_response()
}

/// A list page: `@attributes` with the links and the limit, and the
/// records under `key` (omitted when there are none).
fn list(
    key: &str,
    q: &ListQuery,
    path: &str,
    page: super::query::Page,
    records: Vec<Value>,
) -> Response {
    let link = |param: &str, cursor: Option<String>| {
        cursor.map_or_else(String::new, |c| q.link(path, param, &c))
    };
    let mut m = Map::new();
    m.insert(
        "@attributes".into(),
        json!({
            "next": link("after", page.next),
            "previous": link("before", page.previous),
            "limit": q.limit.to_string(),
        }),
    );
    if !records.is_empty() {
        m.insert(key.to_owned(), one_or_many(records));
    }
    Json(Value::Object(m)).into_response()
}

/// `{id}.json` → the id.
pub(super) fn id_of(file: &str) -> Option<u64> {
    file.strip_suffix(".json")?.parse().ok()
}

fn relations(query: Option<&str>, documented: &[&str]) -> Result<Relations, String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "load_relations")
        .map_or(Ok(Relations::default()), |(_, v)| {
            Relations::parse(&v, documented)
        })
}

async fn accounts(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    guarded(&shared, None, &headers, &[], |a| {
        single(
            "Account",
            json!({
                "accountID": a.account_id.to_string(),
                "name": a.name,
                // UNCONFIRMED field name (see `replies`): a third-party
                // summary says the account reports its default currency.
                "defaultCurrency": a.currency.code(),
                "link": {"@attributes": {"href": format!("/API/V3/Account/{}", a.account_id)}},
            }),
        )
    })
}

async fn sales(
    State(shared): State<Arc<Shared>>,
    Path(account): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let base = shared.base_url.clone();
    guarded(&shared, Some(&account), &headers, SALE_SCOPES, |a| {
        let q = match ListQuery::parse(query.as_deref().unwrap_or(""), "saleID", SALE_RELATIONS) {
            Ok(q) => q,
            Err(message) => return bad_request(&message),
        };
        let till = read(&a.till);
        let rows: Vec<Row> = till
            .sales()
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                q.completed.is_none_or(|c| completed(s.status) == c)
                    && q.voided
                        .is_none_or(|v| (s.status == TillStatus::Voided) == v)
                    && q.archived.is_none_or(|archived| !archived)
                    && q.customer_matches(s.customer.map_or(0, |c| a.customer_id(c)))
            })
            .map(|(i, s)| {
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                Row {
                    time: s.updated_at,
                    id: a.sale_id(index),
                    index,
                }
            })
            .collect();
        let page = q.select(rows);
        let records = page
            .rows
            .iter()
            .filter_map(|r| shape::sale_json(a, &till, r.index, &q.relations))
            .collect();
        let path = format!("{base}rseries/API/V3/Account/{}/Sale.json", a.account_id);
        list("Sale", &q, &path, page, records)
    })
}

async fn sale(
    State(shared): State<Arc<Shared>>,
    Path((account, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, Some(&account), &headers, SALE_SCOPES, |a| {
        let relations = match relations(query.as_deref(), SALE_RELATIONS) {
            Ok(r) => r,
            Err(message) => return bad_request(&message),
        };
        let till = read(&a.till);
        let found = id_of(&file)
            .and_then(|id| u32::try_from(id.checked_sub(1)?).ok())
            .and_then(|i| shape::sale_json(a, &till, i, &relations));
        match found {
            Some(v) => single("Sale", v),
            None => not_found("Sale not found."),
        }
    })
}

async fn customers(
    State(shared): State<Arc<Shared>>,
    Path(account): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let base = shared.base_url.clone();
    guarded(&shared, Some(&account), &headers, CUSTOMER_SCOPES, |a| {
        let q = match ListQuery::parse(
            query.as_deref().unwrap_or(""),
            "customerID",
            CUSTOMER_RELATIONS,
        ) {
            Ok(q) => q,
            Err(message) => return bad_request(&message),
        };
        let till = read(&a.till);
        let rows: Vec<Row> = till
            .customers()
            .iter()
            .enumerate()
            .filter(|_| q.archived.is_none_or(|archived| !archived))
            .map(|(c, record)| {
                let index = u32::try_from(c).unwrap_or(u32::MAX);
                Row {
                    time: record.updated_at,
                    id: a.customer_id(index),
                    index,
                }
            })
            .collect();
        let page = q.select(rows);
        let records = page
            .rows
            .iter()
            .filter_map(|r| shape::customer_json(a, &till, r.index, q.relations.contact))
            .collect();
        let path = format!(
            "{base}rseries/API/V3/Account/{}/Customer.json",
            a.account_id
        );
        list("Customer", &q, &path, page, records)
    })
}

async fn customer(
    State(shared): State<Arc<Shared>>,
    Path((account, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, Some(&account), &headers, CUSTOMER_SCOPES, |a| {
        let relations = match relations(query.as_deref(), CUSTOMER_RELATIONS) {
            Ok(r) => r,
            Err(message) => return bad_request(&message),
        };
        let till = read(&a.till);
        let found = id_of(&file)
            .and_then(|id| u32::try_from(id.checked_sub(1)?).ok())
            .and_then(|c| shape::customer_json(a, &till, c, relations.contact));
        match found {
            Some(v) => single("Customer", v),
            None => not_found("Customer not found."),
        }
    })
}

async fn summary(State(shared): State<Arc<Shared>>, Path(account): Path<String>) -> Response {
    let Some(a) = shared.rseries_account(&account) else {
        return not_found("Account not found.");
    };
    let issued = lock(&shared.rseries_grants)
        .issued(&a.account_id.to_string())
        .len();
    Json(json!({
        "sales": a.sale_count(),
        "currency": a.currency.code(),
        "issuedTokens": issued,
    }))
    .into_response()
}
