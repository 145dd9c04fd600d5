//! Shopify's JSON for the neutral data: field names, GIDs, enum spellings and
//! money bags exactly as the Admin GraphQL API returns them.
//!
//! [`order_json`] renders *every* field the sandbox's schema knows; the
//! GraphQL executor projects it down to what a query selected. `lineItems`
//! is rendered as `{"nodes": [...]}`, the shape a `lineItems(first: 250)
//! { nodes { … } }` selection returns; `fulfillmentOrders` likewise (one per
//! order, each line with what is left to ship).

use serde_json::{json, Value};

use crate::data::catalog::PRODUCTS;
use crate::data::clock::format_utc;
use crate::data::money::{decimal, Currency};
use crate::data::orders::{FinancialStatus, FulfillmentStatus, LineItem, Order, SetStatus};
use crate::people::{People, Person};

/// Who a sandbox shop is, and how its ids are numbered.
#[derive(Clone, Debug)]
pub(crate) struct ShopIdentity {
    /// `counterline-demo.myshopify.com`
    pub domain: String,
    /// `counterline-demo`
    pub handle: String,
    /// `Counterline Demo`
    pub name: String,
    pub shop_id: u64,
    pub customer_id_base: u64,
    pub currency: Currency,
}

impl ShopIdentity {
    pub(crate) fn new(domain: &str, index: u64) -> ShopIdentity {
        let handle = domain
            .strip_suffix(".myshopify.com")
            .unwrap_or(domain)
            .to_owned();
        let name = handle
            .split('-')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        ShopIdentity {
            domain: domain.to_owned(),
            handle,
            name,
            shop_id: 61_000_000_000 + index,
            customer_id_base: 7_300_000_000_000 + index * 100_000_000_000,
            currency: Currency::Usd,
        }
    }

    pub(crate) fn customer_gid(&self, person: u32) -> String {
        format!(
            "gid://shopify/Customer/{}",
            self.customer_id_base + u64::from(person)
        )
    }

    pub(crate) fn shop_json(&self) -> Value {
        json!({
            "id": format!("gid://shopify/Shop/{}", self.shop_id),
            "name": self.name,
            "email": format!("owner@{}.example", self.handle),
            "myshopifyDomain": self.domain,
            "currencyCode": self.currency.code(),
            "ianaTimezone": "Etc/UTC",
        })
    }
}

pub(crate) fn order_gid(id: u64) -> String {
    format!("gid://shopify/Order/{id}")
}

fn money_bag(
    shop_cents: i64,
    shop: Currency,
    presentment_cents: i64,
    presentment: Currency,
) -> Value {
    json!({
        "shopMoney": {"amount": decimal(shop_cents), "currencyCode": shop.code()},
        "presentmentMoney": {"amount": decimal(presentment_cents), "currencyCode": presentment.code()},
    })
}

fn financial(s: FinancialStatus) -> &'static str {
    match s {
        FinancialStatus::Pending => "PENDING",
        FinancialStatus::Authorized => "AUTHORIZED",
        FinancialStatus::Paid => "PAID",
        FinancialStatus::PartiallyPaid => "PARTIALLY_PAID",
        FinancialStatus::PartiallyRefunded => "PARTIALLY_REFUNDED",
        FinancialStatus::Refunded => "REFUNDED",
        FinancialStatus::Voided => "VOIDED",
    }
}

fn fulfillment(s: FulfillmentStatus) -> &'static str {
    match s {
        FulfillmentStatus::Unfulfilled => "UNFULFILLED",
        FulfillmentStatus::PartiallyFulfilled => "PARTIALLY_FULFILLED",
        FulfillmentStatus::Fulfilled => "FULFILLED",
        FulfillmentStatus::OnHold => "ON_HOLD",
        FulfillmentStatus::Restocked => "RESTOCKED",
    }
}

fn opt_time(t: Option<i64>) -> Value {
    t.map_or(Value::Null, |t| Value::String(format_utc(t)))
}

fn customer(shop: &ShopIdentity, p: &Person) -> Value {
    json!({
        "id": shop.customer_gid(p.index),
        "firstName": p.first_name,
        "lastName": p.last_name,
        "displayName": p.full_name(),
        "email": p.email,
        "phone": p.phone,
    })
}

fn address(p: &Person) -> Value {
    let a = &p.address;
    json!({
        "id": format!("gid://shopify/MailingAddress/{}?model_name=Address", 9_100_000_000_000u64 + u64::from(p.index)),
        "name": p.full_name(),
        "firstName": p.first_name,
        "lastName": p.last_name,
        "company": Value::Null,
        "address1": a.address1,
        "address2": a.address2,
        "city": a.place.city,
        "province": a.place.province,
        "provinceCode": a.place.province_code,
        "zip": a.zip,
        "country": a.place.country,
        "countryCodeV2": a.place.country_code,
        "phone": p.phone,
    })
}

fn line_item(shop: &ShopIdentity, order: &Order, line: &LineItem) -> Value {
    let product = &PRODUCTS[usize::from(line.product) % PRODUCTS.len()];
    let variant = product.variants.get(usize::from(line.variant)).copied();
    let name = match variant {
        Some(v) => format!("{} - {v}", product.title),
        None => product.title.to_owned(),
    };
    json!({
        "id": format!("gid://shopify/LineItem/{}", line.id),
        "sku": product.variant_sku(usize::from(line.variant)),
        "name": name,
        "title": product.title,
        "variantTitle": variant,
        "vendor": product.vendor,
        "quantity": line.quantity,
        "currentQuantity": if order.cancelled_at.is_some() { 0 } else { line.quantity },
        "originalUnitPriceSet": money_bag(line.unit_cents, shop.currency, line.unit_presentment_cents, order.presentment),
        "discountedTotalSet": money_bag(line.total_cents(), shop.currency, line.total_presentment_cents(), order.presentment),
    })
}

/// The full Shopify GraphQL representation of one order.
pub(crate) fn order_json(shop: &ShopIdentity, people: &People, order: &Order) -> Value {
    let s = &order.shop_money;
    let p = &order.presentment_money;
    let bag = |shop_cents: i64, presentment_cents: i64| {
        money_bag(
            shop_cents,
            shop.currency,
            presentment_cents,
            order.presentment,
        )
    };
    let email = order
        .email
        .and_then(|(person, variant)| people.get(person).map(|p| variant.apply(&p.email)));
    json!({
        "id": order_gid(order.id),
        "legacyResourceId": order.id.to_string(),
        "name": format!("#{}", order.number),
        "createdAt": format_utc(order.created_at),
        "updatedAt": format_utc(order.updated_at),
        "processedAt": format_utc(order.processed_at),
        "cancelledAt": opt_time(order.cancelled_at),
        "cancelReason": order.cancelled_at.map(|_| match order.set_status {
            // The reason an `orderCancel` gave (see `writes`).
            Some(SetStatus::Slug(reason)) => reason,
            _ => "CUSTOMER",
        }),
        "closedAt": opt_time(order.closed_at),
        "closed": order.closed_at.is_some(),
        "test": false,
        "email": email,
        "phone": order.ship_to.and_then(|i| people.get(i)).and_then(|p| p.phone.clone()),
        "customer": order.customer.and_then(|i| people.get(i)).map(|p| customer(shop, p)),
        "currencyCode": shop.currency.code(),
        "presentmentCurrencyCode": order.presentment.code(),
        "totalPriceSet": bag(s.total(), p.total()),
        "subtotalPriceSet": bag(s.subtotal, p.subtotal),
        "totalTaxSet": bag(s.tax, p.tax),
        "totalShippingPriceSet": bag(s.shipping, p.shipping),
        "totalDiscountsSet": bag(s.discounts, p.discounts),
        "totalRefundedSet": bag(s.refunded, p.refunded),
        "displayFinancialStatus": financial(order.financial),
        "displayFulfillmentStatus": display_fulfillment(order),
        "note": order.note,
        "tags": order.tag_names().collect::<Vec<_>>(),
        "shippingAddress": order.ship_to.and_then(|i| people.get(i)).map(address),
        "lineItems": {
            "nodes": order.lines.iter().map(|l| line_item(shop, order, l)).collect::<Vec<_>>(),
        },
        "fulfillmentOrders": {"nodes": [fulfillment_order(shop, order)]},
    })
}

/// `displayFulfillmentStatus`: the generated one, until a fulfillment made
/// through the API ships something; then what the lines say.
fn display_fulfillment(order: &Order) -> &'static str {
    if !order.shipped_by_writes() {
        return fulfillment(order.fulfillment);
    }
    let total: u32 = order.lines.iter().map(|l| l.quantity).sum();
    if order.items_shipped() >= total {
        "FULFILLED"
    } else {
        "PARTIALLY_FULFILLED"
    }
}

/// The GID of an order's one fulfillment order. The sandbox gives every
/// order exactly one (one location, no splits), numbered like the order.
pub(crate) fn fulfillment_order_gid(order_id: u64) -> String {
    format!("gid://shopify/FulfillmentOrder/{order_id}")
}

/// The GID of a fulfillment order line item, numbered like its line.
pub(crate) fn fulfillment_order_line_gid(line_id: u64) -> String {
    format!("gid://shopify/FulfillmentOrderLineItem/{line_id}")
}

/// The fulfillment order's status: CANCELLED with the order, CLOSED once
/// nothing is left, IN_PROGRESS once something shipped, ON_HOLD when the
/// order is held, else OPEN.
pub(crate) fn fulfillment_order_status(order: &Order) -> &'static str {
    let total: u32 = order.lines.iter().map(|l| l.quantity).sum();
    let shipped = order.items_shipped();
    if order.cancelled_at.is_some() {
        "CANCELLED"
    } else if shipped >= total {
        "CLOSED"
    } else if shipped > 0 {
        "IN_PROGRESS"
    } else if order.fulfillment == FulfillmentStatus::OnHold {
        "ON_HOLD"
    } else {
        "OPEN"
    }
}

/// Units of line `i` a fulfillment may still ship (0 once cancelled).
pub(crate) fn remaining(order: &Order, i: usize) -> u32 {
    if order.cancelled_at.is_some() {
        return 0;
    }
    order
        .lines
        .get(i)
        .map_or(0, |l| l.quantity - order.line_shipped(i))
}

fn fulfillment_order(shop: &ShopIdentity, order: &Order) -> Value {
    let lines: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": fulfillment_order_line_gid(l.id),
                "totalQuantity": l.quantity,
                "remainingQuantity": remaining(order, i),
                "lineItem": line_item(shop, order, l),
            })
        })
        .collect();
    json!({
        "id": fulfillment_order_gid(order.id),
        "orderId": order_gid(order.id),
        "status": fulfillment_order_status(order),
        "requestStatus": "UNSUBMITTED",
        "createdAt": format_utc(order.created_at),
        "updatedAt": format_utc(order.updated_at),
        "lineItems": {"nodes": lines},
    })
}
