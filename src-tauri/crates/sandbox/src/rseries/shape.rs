//! R-Series' V3 JSON for a till's records: sales (with their `SaleLines`,
//! `SalePayments`, `Customer` and the customer's `Contact` when asked for),
//! customers and items.
//!
//! Every value is a string: ids (`"42"`), flags (`"true"`), money as
//! trimmed decimals in whole cents (`"317.1"`, `"0"`, `"-59"`), times as
//! RFC 3339 with `+00:00`. A collection with one record is an object, with
//! several an array (see `one_or_many`); an empty contact container is `""`.
//!
//! Money rules every sale keeps (the documented ones): `calcSubtotal =
//! Σ line calcSubtotal` (`unitQuantity × unitPrice`), `calcDiscount = Σ
//! calcLineDiscount`, `total = calcTotal = calcSubtotal − calcDiscount +
//! calcTax1 + calcTax2`, `balance = total − calcPayments`; on each line
//! `calcTotal = calcSubtotal − calcLineDiscount + calcTax1`. A refund's
//! lines have negative `unitQuantity` and point at the sold line through
//! `parentSaleLineID`.

use serde_json::{json, Map, Value};

use super::query::Relations;
use super::Account;
use crate::data::catalog::PRODUCTS;
use crate::data::clock::format_offset;
use crate::data::till::{pos_tax_bps, Till, TillSale, TillStatus};
use crate::people::Person;
use crate::xseries::shape::catalog;

/// Cents as R-Series writes money: `"317.1"`, `"2001"`, `"14.99"`, `"-59"`.
pub(crate) fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    if frac == 0 {
        format!("{sign}{whole}")
    } else if frac % 10 == 0 {
        format!("{sign}{whole}.{}", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// Basis points as a rate: `1300` → `"0.13"`.
fn rate(bps: i64) -> String {
    let mut s = format!("{}.{:04}", bps / 10_000, bps % 10_000);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// One record as an object, several as an array (R-Series' XML heritage).
pub(crate) fn one_or_many(mut items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.pop().unwrap_or(Value::Null)
    } else {
        Value::Array(items)
    }
}

/// `{key: one_or_many(items)}`, or `""` when there are none.
fn container(key: &str, items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::String(String::new())
    } else {
        let mut m = Map::new();
        m.insert(key.to_owned(), one_or_many(items));
        Value::Object(m)
    }
}

/// Whether the sale counts as completed.
pub(crate) fn completed(status: TillStatus) -> bool {
    matches!(status, TillStatus::Closed | TillStatus::OnAccount)
}

/// The `itemID` of a catalog entry.
fn item_id(product: usize, variant: usize) -> u64 {
    catalog()
        .iter()
        .position(|&e| e == (product, variant))
        .map_or(0, |n| n as u64 + 1)
}

fn item_json(a: &Account, product: usize, variant: usize, at: i64) -> Value {
    let Some(p) = PRODUCTS.get(product) else {
        return Value::Null;
    };
    let id = item_id(product, variant);
    let description = match p.variants.get(variant) {
        Some(v) => format!("{} {v}", p.title),
        None => p.title.to_owned(),
    };
    let price = a.currency.convert_from_usd(p.variant_price_cents(variant));
    json!({
        "itemID": id.to_string(),
        "systemSku": format!("210000{id:06}"),
        "defaultCost": amount((price * 48 + 50) / 100),
        "avgCost": amount((price * 48 + 50) / 100),
        "discountable": "true",
        "tax": "true",
        "archived": "false",
        "itemType": "default",
        "serialized": "false",
        "description": description,
        "modelYear": "0",
        "upc": "",
        "ean": "",
        "customSku": p.variant_sku(variant),
        "manufacturerSku": "",
        "createTime": format_offset(at),
        "timeStamp": format_offset(at),
        "publishToEcom": "false",
        "categoryID": "0",
        "taxClassID": "1",
        "departmentID": "0",
        "itemMatrixID": "0",
        "manufacturerID": "0",
        "seasonID": "0",
        "defaultVendorID": "0",
    })
}

fn contact_json(a: &Account, till: &Till, c: u32, person: &Person) -> Value {
    let record = till.customers().get(c as usize);
    let at = record.map_or(0, |r| r.updated_at);
    let address = &person.address;
    let email = record
        .and_then(|r| r.email)
        .map(|v| json!({"address": v.apply(&person.email), "useType": "Primary"}));
    let phone = person
        .phone
        .as_ref()
        .map(|n| json!({"number": n, "useType": "Mobile"}));
    json!({
        "contactID": a.contact_id(c).to_string(),
        "custom": "",
        "noEmail": "false",
        "noPhone": "false",
        "noMail": "false",
        "timeStamp": format_offset(at),
        "Addresses": container("ContactAddress", vec![json!({
            "address1": address.address1,
            "address2": address.address2.clone().unwrap_or_default(),
            "city": address.place.city,
            "state": address.place.province,
            "zip": address.zip,
            "country": address.place.country,
            "countryCode": address.place.country_code,
            "stateCode": address.place.province_code,
        })]),
        "Phones": container("ContactPhone", phone.into_iter().collect()),
        "Emails": container("ContactEmail", email.into_iter().collect()),
        "Websites": "",
    })
}

/// Customer record `c`, with its `Contact` when `with_contact`.
pub(crate) fn customer_json(a: &Account, till: &Till, c: u32, with_contact: bool) -> Option<Value> {
    let record = till.customers().get(c as usize)?;
    let person = a.people.get(record.person)?;
    let mut v = json!({
        "customerID": a.customer_id(c).to_string(),
        "firstName": person.first_name,
        "lastName": person.last_name,
        "archived": "false",
        "title": "",
        "company": "",
        "companyRegistrationNumber": "",
        "vatNumber": "",
        "createTime": format_offset(record.created_at),
        "timeStamp": format_offset(record.updated_at),
        "contactID": a.contact_id(c).to_string(),
        "creditAccountID": "0",
        "customerTypeID": "0",
        "discountID": "0",
        "employeeID": "0",
        "noteID": "0",
        "taxCategoryID": "0",
    });
    if with_contact {
        if let Some(m) = v.as_object_mut() {
            m.insert("Contact".into(), contact_json(a, till, c, person));
        }
    }
    Some(v)
}

fn employee(sale: &TillSale) -> String {
    (1 + u64::from(sale.order) % 3).to_string()
}

/// Sale `i` with the relations asked for.
pub(crate) fn sale_json(a: &Account, till: &Till, i: u32, rel: &Relations) -> Option<Value> {
    let sale = till.sales().get(i as usize)?;
    let order = till.order_of(sale)?;
    let tax_bps = pos_tax_bps(a.currency);
    let money = till.money(sale, a.currency, tax_bps);
    let done = completed(sale.status);
    let id = a.sale_id(i);
    let customer_id = sale.customer.map_or(0, |c| a.customer_id(c));
    let tax1 = rate(tax_bps);
    let has_email = sale
        .customer
        .and_then(|c| till.customers().get(c as usize))
        .is_some_and(|c| c.email.is_some());
    let mut v = json!({
        "saleID": id.to_string(),
        "timeStamp": format_offset(sale.updated_at),
        "discountPercent": "0",
        "completed": flag(done),
        "archived": "false",
        "voided": flag(sale.status == TillStatus::Voided),
        "enablePromotions": "true",
        "isTaxInclusive": "false",
        "tipEnabled": "false",
        "createTime": format_offset(sale.created_at),
        "updatetime": format_offset(sale.updated_at),
        "referenceNumber": "",
        "referenceNumberSource": "",
        "tax1Rate": tax1,
        "tax2Rate": "0",
        "change": "0",
        "receiptPreference": if has_email { "email" } else { "printed" },
        "displayableSubtotal": amount(money.subtotal()),
        "ticketNumber": format!("22{id:010}"),
        "calcDiscount": amount(money.discount()),
        "calcTotal": amount(money.total()),
        "calcSubtotal": amount(money.subtotal()),
        "calcTaxable": amount(money.total_ex()),
        "calcNonTaxable": "0",
        "calcAvgCost": amount(money.cost()),
        "calcFIFOCost": amount(money.cost()),
        "calcTax1": amount(money.tax()),
        "calcTax2": "0",
        "calcPayments": amount(money.paid),
        "calcTips": "0",
        "calcItemFees": "0",
        "total": amount(money.total()),
        "totalDue": amount(money.total()),
        "displayableTotal": amount(money.total()),
        "balance": amount(money.total() - money.paid),
        "customerID": customer_id.to_string(),
        "discountID": "0",
        "employeeID": employee(sale),
        "tipEmployeeID": "0",
        "quoteID": "0",
        "registerID": "1",
        "shipToID": "0",
        "shopID": "1",
        "taxCategoryID": "1",
        "taxTotal": amount(money.tax()),
    });
    let m = v.as_object_mut()?;
    if done {
        m.insert("completeTime".into(), json!(format_offset(sale.created_at)));
    }
    if rel.sale_lines {
        let parent = sale.return_for.and_then(|of| till.sales().get(of as usize));
        let lines: Vec<Value> = money
            .lines
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let order_line = order.lines.get(usize::from(l.index));
                let (product, variant) = order_line.map_or((0, 0), |ol| {
                    (usize::from(ol.product), usize::from(ol.variant))
                });
                let parent_line = parent.map_or(0, |p| p.first_line + u64::from(l.index));
                let layaway = sale.status == TillStatus::Layby;
                let mut line = json!({
                    "saleLineID": (sale.first_line + k as u64).to_string(),
                    "createTime": format_offset(sale.created_at),
                    "timeStamp": format_offset(sale.updated_at),
                    "unitQuantity": l.quantity.to_string(),
                    "unitPrice": amount(l.unit_list),
                    "normalUnitPrice": amount(l.unit_list),
                    "discountAmount": amount(l.discount()),
                    "discountPercent": "0",
                    "avgCost": amount(l.unit_cost),
                    "fifoCost": amount(l.unit_cost),
                    "tax": "true",
                    "tax1Rate": tax1,
                    "tax2Rate": "0",
                    "isLayaway": flag(layaway),
                    "isWorkorder": "false",
                    "isSpecialOrder": "false",
                    "displayableSubtotal": amount(l.total()),
                    "displayableUnitPrice": amount(l.unit_list),
                    "calcLineDiscount": amount(l.discount()),
                    "calcTransactionDiscount": "0",
                    "calcTotal": amount(l.total() + l.tax()),
                    "calcSubtotal": amount(l.subtotal()),
                    "calcTax1": amount(l.tax()),
                    "calcTax2": "0",
                    "taxClassID": "1",
                    "customerID": if layaway { customer_id.to_string() } else { "0".to_owned() },
                    "discountID": if l.unit_discount > 0 { "1" } else { "0" },
                    "employeeID": employee(sale),
                    "itemID": item_id(product, variant).to_string(),
                    "noteID": "0",
                    "parentSaleLineID": parent_line.to_string(),
                    "shopID": "1",
                    "taxCategoryID": "1",
                    "saleID": id.to_string(),
                });
                if rel.items {
                    if let Some(o) = line.as_object_mut() {
                        o.insert(
                            "Item".into(),
                            item_json(a, product, variant, a.opened_at(till)),
                        );
                    }
                }
                line
            })
            .collect();
        m.insert("SaleLines".into(), container("SaleLine", lines));
    }
    if rel.payments && money.paid != 0 {
        // Payment types 1 Cash, 3 Credit Card, 4 Credit Account.
        let type_id = match sale.status {
            TillStatus::OnAccount => "4",
            _ if sale.customer.is_none() || order.id % 3 == 0 => "1",
            _ => "3",
        };
        let payment = json!({
            "salePaymentID": id.to_string(),
            "amount": amount(money.paid),
            "tipAmount": "0",
            "createTime": format_offset(sale.created_at),
            "archived": "false",
            "remoteReference": "",
            "paymentID": "",
            "saleID": id.to_string(),
            "paymentTypeID": type_id,
            "ccChargeID": "0",
            "refPaymentID": "0",
            "registerID": "1",
            "employeeID": employee(sale),
            "creditAccountID": if type_id == "4" { customer_id.to_string() } else { "0".to_owned() },
        });
        m.insert("SalePayments".into(), json!({"SalePayment": payment}));
    }
    if rel.customer {
        if let Some(c) = sale.customer {
            if let Some(customer) = customer_json(a, till, c, rel.contact) {
                m.insert("Customer".into(), customer);
            }
        }
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_rates_are_trimmed_strings() {
        assert_eq!(amount(31_710), "317.1");
        assert_eq!(amount(200_100), "2001");
        assert_eq!(amount(1_499), "14.99");
        assert_eq!(amount(-5_900), "-59");
        assert_eq!(amount(0), "0");
        assert_eq!(rate(1_300), "0.13");
        assert_eq!(rate(2_000), "0.2");
        assert_eq!(rate(825), "0.0825");
        assert_eq!(one_or_many(vec![json!(1)]), json!(1));
        assert_eq!(one_or_many(vec![json!(1), json!(2)]), json!([1, 2]));
        assert_eq!(container("X", vec![]), json!(""));
    }
}
