//! The financial API v2's JSON for a location's closed accounts (the
//! `financial-apiSale` schema with its `salesLines`, `payments` and
//! `consumer`).
//!
//! Money is a string with two decimals (`"11.00"`, `"-4.50"`), quantities
//! have three (`"2.000"`), times are UTC with milliseconds
//! (`2023-02-14T20:04:08.734Z`). The sandbox's businesses are tax
//! exclusive: each line's `totalNetAmountWithTax = totalNetAmountWithoutTax
//! + taxAmount`, and a sale's payments add up to its lines'
//! `totalNetAmountWithTax` (nothing for a cancelled account).
//!
//! How the till's records become accounts (UNCONFIRMED beyond the field
//! names and the `type` values):
//! - a sale is `type: "SALE"`; a refund is a sale of its own, `type:
//!   "REFUND"`, with negative quantities and amounts, a negative payment, and
//!   `source.initialAccountId`/`previousAccountId` = the refunded account's
//!   `accountFiscId` (for other accounts `source.initialAccountId` is their
//!   own id and `previousAccountId` is absent, as documented);
//! - a cancelled order is `cancelled: true`, `type: "CANCEL"`, with its
//!   lines, a `voidReason` and no payments;
//! - an order on credit is closed with an `ACCOUNTS_RECEIVABLE` payment;
//! - the consumer rides on each payment (`payments[].consumer`, with
//!   `include=consumer`), with the email as the customer spelled it on file.
//!
//! What each `include` adds: `staff` the owner and staff ids and names,
//! `table` the table number and name, `payments` the payments, `consumer`
//! the payments' consumer, `revenue_center`, `account_profile` and
//! `payment_authorization` their fields.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::query::{format_ms, Include};
use super::Location;
use crate::data::catalog::PRODUCTS;
use crate::data::mix64;
use crate::data::money::fixed;
use crate::data::till::{pos_tax_bps, Till, TillLine, TillStatus};

const STAFF: &[(u64, &str)] = &[(14_670, "Manager"), (14_671, "Léa"), (14_672, "Marco")];
const REVENUE_CENTER: (u64, &str) = (141_948_669_132_822, "Restaurant");

fn amount(cents: i64) -> String {
    fixed(cents, 2)
}

fn quantity(q: i64) -> String {
    format!("{q}.000")
}

/// `8.10` for 810 basis points.
fn percentage(bps: i64) -> String {
    format!("{}.{:02}", bps / 100, bps % 100)
}

/// `1.081` for 810 basis points: the documented multiplier form.
fn multiplier(bps: i64) -> String {
    let mut s = format!("{}.{:04}", 1 + bps / 10_000, bps % 10_000);
    while s.ends_with('0') {
        s.pop();
    }
    s.trim_end_matches('.').to_owned()
}

fn tax_code(bps: i64) -> String {
    if bps % 100 == 0 {
        format!("VAT{}", bps / 100)
    } else {
        format!("VAT{}", bps / 10)
    }
}

/// 16 bytes from `seed`, base64 like `57X0j3hzTZ2oo9sdVWiUog==`.
fn uuid64(seed: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&mix64(seed).to_be_bytes());
    bytes[8..].copy_from_slice(&mix64(seed ^ 0x5555).to_be_bytes());
    STANDARD.encode(bytes)
}

/// `ec021fb0-4c12-425e-b30f-320ab720448b`.
fn uuid(seed: u64) -> String {
    let (a, b) = (mix64(seed), mix64(seed ^ 0xaaaa));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// Sale `i`'s `accountReference`: stable for the sale's life.
pub(crate) fn account_reference(l: &Location, i: u32) -> String {
    uuid64(l.id ^ (u64::from(i) << 20))
}

fn fisc_id(prefix: char, l: &Location, n: u64) -> String {
    format!("{prefix}{}.{n}", l.device_id)
}

fn device_name(l: &Location) -> String {
    format!("ipad{}", l.device_id % 10)
}

/// The accounting group of a catalog product (its vendor).
fn accounting_group(product: usize) -> Value {
    let name = PRODUCTS.get(product).map_or("Other", |p| p.vendor);
    let code = name
        .chars()
        .filter(char::is_ascii_uppercase)
        .collect::<String>();
    json!({
        "accountingGroupId": 141_948_669_132_845_u64 + product as u64,
        "name": name,
        "statisticGroup": name,
        "code": code,
    })
}

fn insert(m: &mut Map<String, Value>, pairs: Vec<(&str, Value)>) {
    for (k, v) in pairs {
        m.insert(k.to_owned(), v);
    }
}

struct Ctx<'a> {
    loc: &'a Location,
    inc: &'a Include,
    staff: (u64, &'static str),
    opened: String,
    cancelled: bool,
    tax_bps: i64,
}

fn line_json(c: &Ctx<'_>, order_line: Option<(usize, usize)>, id: u64, l: &TillLine) -> Value {
    let currency = c.loc.currency.code();
    let (product, variant) = order_line.unwrap_or((0, 0));
    let p = PRODUCTS.get(product);
    let name = match p.map(|p| (p.title, p.variants.get(variant))) {
        Some((title, Some(v))) => format!("{title} {v}"),
        Some((title, None)) => title.to_owned(),
        None => "Item".to_owned(),
    };
    let group = accounting_group(product);
    let mut v = json!({
        "id": fisc_id('S', c.loc, id),
        "totalNetAmountWithTax": amount(l.total() + l.tax()),
        "totalNetAmountWithoutTax": amount(l.total()),
        "menuListPrice": amount(l.unit_list),
        "unitCostPrice": amount(l.unit_cost),
        "serviceCharge": "0.00",
        "serviceChargeType": "NO_SERVICE_CHARGE",
        "serviceChargeRate": "0.00",
        "discountAmount": amount(l.discount()),
        "taxCode": tax_code(c.tax_bps),
        "taxAmount": amount(l.tax()),
        "taxRatePercentage": percentage(c.tax_bps),
        "taxLines": [{
            "taxId": (41_910_290_874_374_u64 + c.tax_bps.unsigned_abs()).to_string(),
            "taxCode": tax_code(c.tax_bps),
            "taxRate": multiplier(c.tax_bps),
            "taxAmount": amount(l.tax()),
            "taxIncluded": false,
        }],
        "accountDiscountAmount": "0.00",
        "totalDiscountAmount": amount(l.discount()),
        "sku": p.map(|p| p.variant_sku(variant)).unwrap_or_default(),
        "name": name,
        "statisticGroup": group["statisticGroup"].clone(),
        "quantity": quantity(l.quantity),
        "accountingGroup": group.clone(),
        "currency": currency,
        "tags": [],
        "categories": [{"category": "default", "value": group["name"].clone()}],
        "timeOfSale": c.opened,
        "deviceId": c.loc.device_id,
        "deviceName": device_name(c.loc),
    });
    let Some(m) = v.as_object_mut() else {
        return v;
    };
    if l.unit_discount > 0 {
        insert(
            m,
            vec![
                ("discountType", json!("DISCOUNT")),
                ("discountCode", json!("PROMO")),
                ("discountName", json!("Promotion")),
            ],
        );
    }
    if c.inc.staff {
        insert(
            m,
            vec![
                ("staffId", json!(c.staff.0)),
                ("staffName", json!(c.staff.1)),
            ],
        );
    }
    if c.inc.revenue_center {
        insert(
            m,
            vec![
                ("revenueCenter", json!(REVENUE_CENTER.1)),
                ("revenueCenterId", json!(REVENUE_CENTER.0)),
            ],
        );
    }
    if c.inc.account_profile {
        m.insert("accountProfileCode".into(), json!("AAP"));
    }
    if c.cancelled {
        m.insert("voidReason".into(), json!("Customer left"));
    }
    v
}

fn consumer_json(
    loc: &Location,
    till: &Till,
    c: u32,
    people: &crate::people::People,
) -> Option<Value> {
    let record = till.customers().get(c as usize)?;
    let person = people.get(record.person)?;
    let a = &person.address;
    let mut v = json!({
        "id": uuid(loc.id ^ (u64::from(c) << 24) ^ 0xc0),
        "customerId": 120_000 + u64::from(c),
        "firstName": person.first_name,
        "lastName": person.last_name,
        "addressLine1": a.address1,
        "zipCode": a.zip,
        "city": a.place.city,
        "state": a.place.province,
    });
    let m = v.as_object_mut()?;
    if let Some(line2) = &a.address2 {
        m.insert("addressLine2".into(), json!(line2));
    }
    if let Some(phone) = &person.phone {
        m.insert("phoneNumber1".into(), json!(phone));
    }
    if let Some(variant) = record.email {
        m.insert("email".into(), json!(variant.apply(&person.email)));
    }
    Some(v)
}

/// Sale `i` with what `inc` asks for; `None` for an unknown index.
pub(crate) fn sale_json(
    loc: &Location,
    till: &Till,
    i: u32,
    inc: &Include,
    people: &crate::people::People,
) -> Option<Value> {
    let sale = till.sales().get(i as usize)?;
    let order = till.order_of(sale)?;
    let tax_bps = pos_tax_bps(loc.currency);
    let money = till.money(sale, loc.currency, tax_bps);
    let times = Location::times(sale, i);
    let n = u64::from(i) + 1;
    let own = fisc_id('A', loc, n);
    let cancelled = sale.status == TillStatus::Voided;
    let refund_of = sale
        .return_for
        .map(|of| fisc_id('A', loc, u64::from(of) + 1));
    let staff = STAFF[usize::try_from(order.id % STAFF.len() as u64).unwrap_or(0)];
    let ctx = Ctx {
        loc,
        inc,
        staff,
        opened: format_ms(times.opened_ms),
        cancelled,
        tax_bps,
    };
    let lines: Vec<Value> = money
        .lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let ol = order.lines.get(usize::from(l.index));
            let pv = ol.map(|ol| (usize::from(ol.product), usize::from(ol.variant)));
            line_json(&ctx, pv, sale.first_line + k as u64, l)
        })
        .collect();
    let kind = match (refund_of.is_some(), cancelled) {
        (true, _) => "REFUND",
        (false, true) => "CANCEL",
        (false, false) => "SALE",
    };
    let source = match &refund_of {
        Some(of) => json!({"initialAccountId": of, "previousAccountId": of}),
        None => json!({"initialAccountId": own}),
    };
    let covers = 1 + order.lines.len().min(6);
    let mut v = json!({
        "accountReference": account_reference(loc, i),
        "accountFiscId": own,
        "receiptId": fisc_id('R', loc, n),
        "source": source,
        "salesLines": lines,
        "timeOfOpening": format_ms(times.opened_ms),
        "timeClosed": format_ms(times.closed_ms),
        "cancelled": cancelled,
        "type": kind,
        "externalReferences": [],
        "nbCovers": covers as f64,
        "dineIn": refund_of.is_none() && order.id % 4 != 0,
        "deviceId": loc.device_id,
        "deviceName": device_name(loc),
    });
    let m = v.as_object_mut()?;
    if cancelled {
        m.insert("voidReason".into(), json!("Customer left"));
    }
    if inc.staff {
        insert(
            m,
            vec![("ownerName", json!(staff.1)), ("ownerId", json!(staff.0))],
        );
    }
    if inc.table && refund_of.is_none() {
        let table = 1 + order.id % 24;
        insert(
            m,
            vec![
                ("tableNumber", json!(table.to_string())),
                ("tableName", json!(format!("Dining Room, Table {table}"))),
            ],
        );
    }
    if inc.account_profile {
        m.insert("accountProfileCode".into(), json!("AAP"));
    }
    if inc.payments {
        let on_account = sale.status == TillStatus::OnAccount;
        let paid = if on_account {
            money.total()
        } else {
            money.paid
        };
        let mut payments = Vec::new();
        if paid != 0 && !cancelled {
            let card = !on_account && sale.customer.is_some() && order.id % 3 != 0;
            let (code, description, method) = match (on_account, card) {
                (true, _) => ("ACCOUNT", "On account", 141_948_669_132_826_u64),
                (false, true) => ("CARD", "Card", 141_948_669_132_825),
                (false, false) => ("CASH", "Cash", 141_948_669_132_824),
            };
            let mut p = json!({
                "code": code,
                "description": description,
                "paymentMethodId": method,
                "netAmountWithTax": amount(paid),
                "currency": loc.currency.code(),
                "tip": "0.00",
                "type": if on_account { "ACCOUNTS_RECEIVABLE" } else { "NORMAL" },
                "deviceId": loc.device_id.to_string(),
                "deviceName": device_name(loc),
                "fiscId": fisc_id('T', loc, n),
                "uuid": uuid64(loc.id ^ (u64::from(i) << 20) ^ 0x7a),
                "fiscDate": format_ms(times.closed_ms),
                "surcharge": "0.00",
                "roundingAmount": "0.00",
            });
            if let Some(pm) = p.as_object_mut() {
                if inc.staff {
                    insert(
                        pm,
                        vec![("staffId", json!(staff.0)), ("staffName", json!(staff.1))],
                    );
                }
                if inc.revenue_center {
                    insert(
                        pm,
                        vec![
                            ("revenueCenter", json!(REVENUE_CENTER.1)),
                            ("revenueCenterId", json!(REVENUE_CENTER.0)),
                        ],
                    );
                }
                if inc.payment_authorization && card {
                    pm.insert(
                        "authorization".into(),
                        json!(format!("{:03}", order.id % 1000)),
                    );
                }
                if inc.consumer {
                    if let Some(c) = sale
                        .customer
                        .and_then(|c| consumer_json(loc, till, c, people))
                    {
                        pm.insert("consumer".into(), c);
                    }
                }
            }
            payments.push(p);
        }
        m.insert("payments".into(), Value::Array(payments));
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_ids_are_written_as_documented() {
        assert_eq!(percentage(810), "8.10");
        assert_eq!(multiplier(810), "1.081");
        assert_eq!(multiplier(2_000), "1.2");
        assert_eq!(tax_code(810), "VAT81");
        assert_eq!(tax_code(2_000), "VAT20");
        assert_eq!(quantity(-2), "-2.000");
        assert_eq!(uuid64(7).len(), 24, "16 bytes in padded base64");
        assert_eq!(uuid(7).len(), 36);
    }
}
