//! X-Series' API 2.0 JSON for a till's records: sales (with line items and
//! payments), customers, products and the outlet.
//!
//! Money is JSON numbers in the retailer's currency (`40`, `25.9`, `-59`),
//! tax exclusive, with tax alongside. Per line: `price` (= `unit_price`) is
//! the unit price after `discount` (= `unit_discount`), `tax` (=
//! `unit_tax`) the unit's tax, and each `*_total` / `total_*` is the unit
//! amount × `quantity`; a return line has a negative `quantity`, positive
//! unit amounts and negative totals. Per sale: `total_price = Σ
//! line total_price`, `total_tax = Σ line total_tax`, `total_price_incl =
//! total_price + total_tax`, and `payments` add up to what was paid (all of
//! it for a closed sale, half for a lay-by, nothing for a parked, voided or
//! on-account one; money back for a return). Times are RFC 3339 with
//! `+00:00`.

use std::sync::OnceLock;

use serde_json::{json, Value};

use super::ids::{short_code, uuid, Kind};
use super::Retailer;
use crate::data::catalog::PRODUCTS;
use crate::data::clock::format_offset;
use crate::data::till::{pos_tax_bps, Till, TillStatus};

/// Cents as a JSON number: whole amounts as integers (`40`), others with
/// their decimals (`25.9`, `10.99`).
pub(crate) fn num(cents: i64) -> Value {
    if cents % 100 == 0 {
        json!(cents / 100)
    } else {
        json!(cents as f64 / 100.0)
    }
}

/// Catalog entries as `(product, variant)`, in catalog order: one per
/// variant, or one for a product without variants.
pub(crate) fn catalog() -> &'static [(usize, usize)] {
    static ENTRIES: OnceLock<Vec<(usize, usize)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        PRODUCTS
            .iter()
            .enumerate()
            .flat_map(|(p, product)| (0..product.variants.len().max(1)).map(move |v| (p, v)))
            .collect()
    })
}

/// The product id of a catalog entry.
pub(crate) fn product_id(r: &Retailer, product: usize, variant: usize) -> String {
    uuid(r.index, Kind::Product, (product * 8 + variant) as u64)
}

pub(crate) fn status_fields(
    status: TillStatus,
) -> (&'static str, &'static str, Vec<&'static str>, &'static str) {
    // (status, state, attributes, line status)
    match status {
        TillStatus::Closed => ("CLOSED", "closed", vec![], "CONFIRMED"),
        TillStatus::Voided => ("VOIDED", "voided", vec![], "VOIDED"),
        TillStatus::Parked => ("SAVED", "parked", vec![], "SAVED"),
        TillStatus::OnAccount => ("ONACCOUNT", "pending", vec!["onaccount"], "CONFIRMED"),
        TillStatus::Layby => ("LAYBY", "pending", vec!["layby"], "CONFIRMED"),
    }
}

/// The id of sale `i`.
pub(crate) fn sale_id(r: &Retailer, i: u32) -> String {
    uuid(r.index, Kind::Sale, u64::from(i))
}

/// The id of customer record `c`, or of the walk-in customer.
pub(crate) fn customer_id(r: &Retailer, c: Option<u32>) -> String {
    match c {
        Some(c) => uuid(r.index, Kind::Customer, u64::from(c)),
        None => uuid(r.index, Kind::Walkin, 0),
    }
}

/// Sale `i` in full, as `GET /api/2.0/sales` lists it.
pub(crate) fn sale_json(r: &Retailer, till: &Till, i: u32) -> Option<Value> {
    let sale = till.sales().get(i as usize)?;
    let order = till.order_of(sale)?;
    let money = till.money(sale, r.currency, pos_tax_bps(r.currency));
    let (status, state, attributes, line_status) = status_fields(sale.status);
    let tax_id = uuid(r.index, Kind::Tax, 0);
    let rate_id = uuid(r.index, Kind::TaxRate, 0);
    let register_id = uuid(r.index, Kind::Register, 0);
    let is_return = sale.return_for.is_some();
    let line_items: Vec<Value> = money
        .lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let line = order.lines.get(usize::from(l.index));
            let (product, variant) =
                line.map_or((0, 0), |l| (usize::from(l.product), usize::from(l.variant)));
            json!({
                "id": uuid(r.index, Kind::Line, sale.first_line + k as u64),
                "product_id": product_id(r, product, variant),
                "salesperson_id": null,
                "tax_id": tax_id,
                "discount_total": num(l.discount()),
                "discount": num(l.unit_discount),
                "price_total": num(l.total()),
                "price": num(l.unit_price),
                "cost_total": num(l.cost()),
                "cost": num(l.unit_cost),
                "tax_total": num(l.tax()),
                "tax": num(l.unit_tax),
                "quantity": l.quantity,
                "loyalty_value": 0,
                "note": null,
                "return_reason": null,
                "price_set": false,
                "status": line_status,
                "sequence": k,
                "gift_card_number": null,
                "tax_components": [{"rate_id": rate_id, "total_tax": num(l.tax())}],
                "promotions": [],
                "surcharges": [],
                "total_tax": num(l.tax()),
                "unit_cost": num(l.unit_cost),
                "unit_discount": num(l.unit_discount),
                "unit_price": num(l.unit_price),
                "unit_tax": num(l.unit_tax),
                "unit_loyalty_value": 0,
                "total_cost": num(l.cost()),
                "total_discount": num(l.discount()),
                "total_loyalty_value": 0,
                "total_price": num(l.total()),
                "is_return": is_return,
            })
        })
        .collect();
    let payments: Vec<Value> = if money.paid == 0 {
        Vec::new()
    } else {
        let (type_id, name) = if sale.customer.is_none() || order.id % 3 == 0 {
            ("1", "Cash")
        } else {
            ("3", "Credit Card")
        };
        vec![json!({
            "id": uuid(r.index, Kind::Payment, u64::from(i)),
            "register_id": register_id,
            "retailer_payment_type_id": uuid(r.index, Kind::PaymentType, if type_id == "1" { 1 } else { 3 }),
            "payment_type_id": type_id,
            "name": name,
            "amount": num(money.paid),
            "payment_date": format_offset(sale.created_at),
            "deleted_at": null,
        })]
    };
    let number = (u64::from(i) + 1).to_string();
    Some(json!({
        "id": sale_id(r, i),
        "outlet_id": uuid(r.index, Kind::Outlet, 0),
        "register_id": register_id,
        "user_id": uuid(r.index, Kind::User, order.id % 3),
        "customer_id": customer_id(r, sale.customer),
        "invoice_number": number,
        "receipt_number": number,
        "source": "USER",
        "source_id": null,
        "status": status,
        "state": state,
        "note": sale.note.unwrap_or(""),
        "short_code": short_code(r.index, u64::from(i)),
        "return_for": sale.return_for.map(|of| sale_id(r, of)),
        "return_ids": sale.returns.iter().map(|&x| sale_id(r, x)).collect::<Vec<_>>(),
        "total_loyalty": 0,
        "created_at": format_offset(sale.created_at),
        "updated_at": format_offset(sale.updated_at),
        "sale_date": format_offset(sale.created_at - 11),
        "deleted_at": null,
        "line_items": line_items,
        "payments": payments,
        "adjustments": [],
        "external_applications": [],
        "attributes": attributes,
        "version": r.version(sale.seq),
        "total_price": num(money.total_ex()),
        "total_tax": num(money.tax()),
        "total_price_incl": num(money.total()),
        "total_surcharge": 0,
        "taxes": [{"amount": num(money.tax()), "id": rate_id}],
    }))
}

/// Customer record `c`, or the walk-in customer for `None`.
pub(crate) fn customer_json(r: &Retailer, till: &Till, c: Option<u32>) -> Option<Value> {
    let group = uuid(r.index, Kind::CustomerGroup, 0);
    let Some(c) = c else {
        let at = format_offset(r.opened_at(till));
        return Some(json!({
            "id": customer_id(r, None),
            "customer_code": "WALKIN",
            "name": "",
            "first_name": null,
            "last_name": null,
            "email": null,
            "year_to_date": 0,
            "balance": 0,
            "loyalty_balance": 0,
            "note": null,
            "gender": null,
            "date_of_birth": null,
            "company_name": null,
            "do_not_email": false,
            "phone": null,
            "mobile": null,
            "fax": null,
            "twitter": null,
            "website": null,
            "physical_address_1": null,
            "physical_address_2": null,
            "physical_suburb": null,
            "physical_city": null,
            "physical_postcode": null,
            "physical_state": null,
            "physical_country_id": null,
            "postal_address_1": null,
            "postal_address_2": null,
            "postal_suburb": null,
            "postal_city": null,
            "postal_postcode": null,
            "postal_state": null,
            "postal_country_id": null,
            "customer_group_id": group,
            "enable_loyalty": false,
            "custom_field_1": null,
            "custom_field_2": null,
            "custom_field_3": null,
            "custom_field_4": null,
            "created_at": at,
            "updated_at": at,
            "deleted_at": null,
            "version": r.version(0),
        }));
    };
    let record = till.customers().get(c as usize)?;
    let person = r.people.get(record.person)?;
    let a = &person.address;
    let code: String = short_code(r.index, 1_000_000 + u64::from(c))
        .chars()
        .take(4)
        .map(|ch| ch.to_ascii_uppercase())
        .collect();
    Some(json!({
        "id": customer_id(r, Some(c)),
        "customer_code": format!("{}-{code}", person.first_name),
        "name": person.full_name(),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": record.email.map(|v| v.apply(&person.email)),
        "year_to_date": 0,
        "balance": 0,
        "loyalty_balance": 0,
        "note": null,
        "gender": null,
        "date_of_birth": null,
        "company_name": null,
        "do_not_email": false,
        "phone": person.phone,
        "mobile": null,
        "fax": null,
        "twitter": null,
        "website": null,
        "physical_address_1": a.address1,
        "physical_address_2": a.address2,
        "physical_suburb": null,
        "physical_city": a.place.city,
        "physical_postcode": a.zip,
        "physical_state": a.place.province,
        "physical_country_id": a.place.country_code,
        "postal_address_1": a.address1,
        "postal_address_2": a.address2,
        "postal_suburb": null,
        "postal_city": a.place.city,
        "postal_postcode": a.zip,
        "postal_state": a.place.province,
        "postal_country_id": a.place.country_code,
        "customer_group_id": group,
        "enable_loyalty": false,
        "custom_field_1": null,
        "custom_field_2": null,
        "custom_field_3": null,
        "custom_field_4": null,
        "created_at": format_offset(record.created_at),
        "updated_at": format_offset(record.updated_at),
        "deleted_at": null,
        "version": r.version(record.seq),
    }))
}

/// Catalog entry `n` (see [`catalog`]) as a product.
pub(crate) fn product_json(r: &Retailer, till: &Till, n: usize) -> Option<Value> {
    let &(p, v) = catalog().get(n)?;
    let product = PRODUCTS.get(p)?;
    let variant = product.variants.get(v).copied();
    let price = r.currency.convert_from_usd(product.variant_price_cents(v));
    let tax = (price * pos_tax_bps(r.currency) + 5_000) / 10_000;
    let handle: String = product
        .title
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let at = format_offset(r.opened_at(till));
    Some(json!({
        "id": product_id(r, p, v),
        "source_id": null,
        "variant_parent_id": variant.map(|_| product_id(r, p, 7)),
        "name": product.title,
        "variant_name": match variant {
            Some(v) => format!("{} / {v}", product.title),
            None => product.title.to_owned(),
        },
        "handle": handle,
        "sku": product.variant_sku(v),
        "supplier_code": null,
        "active": true,
        "has_inventory": true,
        "is_composite": false,
        "description": "",
        "brand": {"name": product.vendor},
        "has_variants": variant.is_some(),
        "variant_options": variant.map_or_else(Vec::new, |v| vec![json!({"name": "Option", "value": v})]),
        "supply_price": num((price * 48 + 50) / 100),
        "price_excluding_tax": num(price),
        "price_including_tax": num(price + tax),
        "created_at": at,
        "updated_at": at,
        "deleted_at": null,
        "version": r.product_version(n),
    }))
}

/// The retailer's one outlet.
pub(crate) fn outlet_json(r: &Retailer, till: &Till) -> Value {
    let currency = r.currency;
    let time_zone = match currency.code() {
        "NZD" => "Pacific/Auckland",
        "AUD" => "Australia/Sydney",
        "CAD" => "America/Toronto",
        "EUR" => "Europe/Berlin",
        _ => "America/New_York",
    };
    json!({
        "id": uuid(r.index, Kind::Outlet, 0),
        "name": "Main Street",
        "currency": currency.code(),
        "currency_symbol": currency.symbol(),
        "display_prices": "exclusive",
        "time_zone": time_zone,
        "default_tax_id": uuid(r.index, Kind::Tax, 0),
        "deleted_at": null,
        "created_at": format_offset(r.opened_at(till)),
        "version": r.outlet_version(),
    })
}
