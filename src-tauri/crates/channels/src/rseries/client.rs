//! The R-Series V3 reads an order pull needs: the account (id, name,
//! currency) and its sales. A page's position is the `@attributes.next`
//! URL the platform gave, which is only followed while it stays on the API's
//! own origin, so the bearer token never goes anywhere else.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::OnceCell;
use url::Url;

use counterline_store::model::NewOrder;

use super::normalize;
use crate::grant::GrantKeeper;
use crate::{timefmt, Error, Result};

pub(super) const PLATFORM: &str = "Lightspeed R-Series";
/// V3's largest page (channel-apis §6).
pub const PAGE_SIZE: u32 = 100;
/// Relations every sale is read with: lines with their items (SKU, name)
/// and the customer with the contact that holds the email.
const RELATIONS: &str = r#"["SaleLines","SaleLines.Item","Customer","Customer.Contact"]"#;
/// Where `Account.json` reports the account's currency. UNCONFIRMED (a
/// third-party summary says the account reports its default currency; the
/// field name is a guess, and sales carry no currency of their own).
const ACCOUNT_CURRENCY_FIELD: &str = "defaultCurrency";

/// The account the token opens.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: u64,
    pub name: String,
    pub currency: String,
}

pub struct RSeriesClient {
    pub(super) http: reqwest::Client,
    pub(super) origin: Url,
    pub(super) keeper: Arc<GrantKeeper>,
    pub(super) budget: Arc<crate::budget::Budget>,
    account: OnceCell<Account>,
}

#[derive(Debug)]
pub struct SalesPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    /// `@attributes.next`, `None` on the last page.
    pub next: Option<String>,
}

fn response_error(detail: impl Into<String>) -> Error {
    Error::Response { platform: PLATFORM, detail: detail.into() }
}

impl RSeriesClient {
    pub fn new(http: reqwest::Client, origin: Url, keeper: Arc<GrantKeeper>) -> RSeriesClient {
        let budget = Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::RSeries));
        RSeriesClient { http, origin, keeper, budget, account: OnceCell::new() }
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// `Account.json`: the one account the token opens.
    pub async fn account(&self) -> Result<&Account> {
        self.account
            .get_or_try_init(|| async {
                let url = self.join("API/V3/Account.json")?;
                let body = self.get(url, &[]).await?;
                let accounts = normalize::records(&body, "Account");
                let account = accounts.first().ok_or_else(|| response_error("the token opens no account"))?;
                let id = account["accountID"].as_str().and_then(|id| id.parse().ok()).ok_or_else(|| response_error("accountID missing"))?;
                let currency = account[ACCOUNT_CURRENCY_FIELD]
                    .as_str()
                    .filter(|c| c.len() == 3)
                    .ok_or_else(|| response_error("the account's currency is missing"))?;
                Ok(Account {
                    id,
                    name: account["name"].as_str().unwrap_or(PLATFORM).to_owned(),
                    currency: currency.to_ascii_uppercase(),
                })
            })
            .await
    }

    /// Sales whose `timeStamp` is at or after `since`, oldest change first;
    /// `next` continues a walk.
    pub async fn sales_page(&self, since: Option<i64>, next: Option<&str>) -> Result<SalesPage> {
        let account = self.account().await?.clone();
        let body = match next {
            Some(link) => self.get(self.same_origin(link)?, &[]).await?,
            None => {
                let url = self.join(&format!("API/V3/Account/{}/Sale.json", account.id))?;
                let mut query = vec![
                    ("load_relations", RELATIONS.to_owned()),
                    ("sort", "timeStamp".to_owned()),
                    ("limit", PAGE_SIZE.to_string()),
                ];
                if let Some(ms) = since {
                    query.push(("timeStamp", format!(">=,{}", timefmt::format_ms(ms))));
                }
                self.get(url, &query).await?
            }
        };
        let updated = |s: &Value| s["timeStamp"].as_str().and_then(|t| timefmt::parse_ms(t).ok());
        let (orders, failed) =
            crate::source::read_each(normalize::records(&body, "Sale"), "saleID", updated, |s| normalize::sale(s, &account.currency));
        let next = body["@attributes"]["next"].as_str().filter(|n| !n.is_empty()).map(str::to_owned);
        Ok(SalesPage { orders, failed, next })
    }

    fn join(&self, path: &str) -> Result<Url> {
        self.origin.join(path).map_err(|e| Error::Internal(format!("R-Series path: {e}")))
    }

    /// A `next` link, refused unless it is on the API's own origin and path.
    fn same_origin(&self, link: &str) -> Result<Url> {
        let url = Url::parse(link).map_err(|_| response_error("the next-page link is not a URL"))?;
        let same = url.scheme() == self.origin.scheme()
            && url.host_str() == self.origin.host_str()
            && url.port_or_known_default() == self.origin.port_or_known_default()
            && url.path().starts_with(self.origin.path());
        if !same {
            return Err(response_error("the next-page link points away from the R-Series API"));
        }
        Ok(url)
    }

    async fn get(&self, url: Url, query: &[(&str, String)]) -> Result<Value> {
        let host = url.host_str().unwrap_or("Lightspeed").to_owned();
        let response = self
            .budget
            .send(1.0, || self.keeper.send(|token| self.http.get(url.clone()).query(query).bearer_auth(token), &host))
            .await?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {}
            403 => {
                return Err(Error::Auth {
                    platform: PLATFORM,
                    detail: "the account did not grant Counterline access to its sales".into(),
                })
            }
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            _ => return Err(response_error(format!("HTTP {status}"))),
        }
        response
            .json()
            .await
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })
    }
}
