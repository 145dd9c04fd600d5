//! BigCommerce's v2 JSON for the neutral data: field names, status ids and
//! texts, RFC 2822 dates and four-place money strings as
//! `reference/orders.v2.oas2.yml` shows them.
//!
//! Money rules every order keeps (in the store's currency):
//! `subtotal_ex_tax = Σ products total_ex_tax`,
//! `total_ex_tax = subtotal_ex_tax + shipping_cost_ex_tax − discount_amount`,
//! `total_inc_tax = total_ex_tax + total_tax`, and on each product
//! `total_inc_tax = total_ex_tax + total_tax`. `discount_amount` and
//! `coupon_discount` are the same single coupon (never add both); shipping
//! is untaxed. `refunded_amount` is what was refunded so far (the spec says
//! it "always returns 0", which is not what stores with refunds show).

use serde_json::{json, Value};

use super::statuses::{payment_status, status_id, status_name};
use super::{Store, FIRST_ORDER_ID};
use crate::data::catalog::PRODUCTS;
use crate::data::clock::format_rfc2822;
use crate::data::money::{fixed, fixed4_from_hundredths};
use crate::data::orders::{FinancialStatus, Order, LIVE_EDIT_NOTE};
use crate::data::priced::{coupon, price, Priced};
use crate::people::Person;

fn money(cents: i64) -> String {
    fixed(cents, 4)
}

pub(crate) fn items_total(o: &Order) -> u32 {
    o.lines.iter().map(|l| l.quantity).sum()
}

/// Units of line `i` shipped so far (see [`Order::line_shipped`]).
pub(crate) fn line_shipped(o: &Order, i: usize) -> u32 {
    o.line_shipped(i)
}

/// Items shipped so far, over every line.
pub(crate) fn items_shipped(o: &Order) -> u32 {
    o.items_shipped()
}

/// splitmix64: spreads an id into bits for cart ids and IP addresses.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn cart_id(store: &Store, o: &Order) -> String {
    let a = mix(o.id ^ (store.index << 40));
    let b = mix(a);
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// Walk-in sales (no email given) were keyed in at the counter.
fn manual(o: &Order) -> bool {
    o.email.is_none()
}

pub(crate) fn typed_email(store: &Store, o: &Order) -> String {
    o.email
        .and_then(|(p, variant)| store.people.get(p).map(|p| variant.apply(&p.email)))
        .unwrap_or_default()
}

pub(crate) fn address_fields(p: Option<&Person>, email: &str) -> Value {
    match p {
        Some(p) => {
            let a = &p.address;
            json!({
                "first_name": p.first_name,
                "last_name": p.last_name,
                "company": "",
                "street_1": a.address1,
                "street_2": a.address2.clone().unwrap_or_default(),
                "city": a.place.city,
                "state": a.place.province,
                "zip": a.zip,
                "country": a.place.country,
                "country_iso2": a.place.country_code,
                "phone": p.phone.clone().unwrap_or_default(),
                "email": email,
            })
        }
        None => json!({
            "first_name": "", "last_name": "", "company": "", "street_1": "", "street_2": "",
            "city": "", "state": "", "zip": "", "country": "", "country_iso2": "",
            "phone": "", "email": email,
        }),
    }
}

/// `{url, resource}`: how v2 links an order to a sub-resource.
fn resource(api: &str, path: &str) -> Value {
    json!({"url": format!("{api}{path}"), "resource": path})
}

/// The id of the order's shipping address (0 when nothing ships).
pub(crate) fn order_address_id(o: &Order) -> u64 {
    if o.ship_to.is_some() {
        o.id - FIRST_ORDER_ID + 1
    } else {
        0
    }
}

/// The full v2 representation of one order. `api` is the store's
/// `…/stores/{hash}/v2` base, which resource links start with.
pub(crate) fn order_json(store: &Store, api: &str, o: &Order) -> Value {
    let priced = price(o, store.currency);
    let a = &priced.amounts;
    let email = typed_email(store, o);
    let buyer = o.email.and_then(|(p, _)| store.people.get(p));
    let status = status_id(o);
    let shipped = items_shipped(o);
    let date_shipped = if shipped > 0 && shipped == items_total(o) {
        format_rfc2822(o.closed_at.unwrap_or(o.updated_at))
    } else {
        String::new()
    };
    let (staff_notes, customer_message) = match o.note {
        Some(LIVE_EDIT_NOTE) => (LIVE_EDIT_NOTE, ""),
        Some(note) => ("", note),
        None => ("", ""),
    };
    let code = store.currency.code();
    let ip = if manual(o) {
        String::new()
    } else {
        format!("198.51.100.{}", mix(o.id) % 254 + 1)
    };
    let path = |sub: &str| format!("/orders/{}/{sub}", o.id);
    let mut billing = address_fields(buyer, &email);
    if let Some(b) = billing.as_object_mut() {
        b.insert("form_fields".into(), json!([]));
    }
    json!({
        "id": o.id,
        "customer_id": o.customer.map_or(0, |p| u64::from(p) + 1),
        "date_created": format_rfc2822(o.created_at),
        "date_modified": format_rfc2822(o.updated_at),
        "date_shipped": date_shipped,
        "status_id": status,
        "status": status_name(status),
        "custom_status": status_name(status),
        "subtotal_ex_tax": money(a.subtotal),
        "subtotal_inc_tax": money(a.subtotal + a.tax),
        "subtotal_tax": money(a.tax),
        "base_shipping_cost": money(a.shipping),
        "shipping_cost_ex_tax": money(a.shipping),
        "shipping_cost_inc_tax": money(a.shipping),
        "shipping_cost_tax": money(0),
        "shipping_cost_tax_class_id": 2,
        "base_handling_cost": money(0),
        "handling_cost_ex_tax": money(0),
        "handling_cost_inc_tax": money(0),
        "handling_cost_tax": money(0),
        "handling_cost_tax_class_id": 2,
        "base_wrapping_cost": money(0),
        "wrapping_cost_ex_tax": money(0),
        "wrapping_cost_inc_tax": money(0),
        "wrapping_cost_tax": money(0),
        "wrapping_cost_tax_class_id": 3,
        "total_ex_tax": money(a.total() - a.tax),
        "total_inc_tax": money(a.total()),
        "total_tax": money(a.tax),
        "is_tax_inclusive_pricing": false,
        "items_total": items_total(o),
        "items_shipped": shipped,
        "payment_method": if manual(o) { "Cash" } else if o.id % 7 == 0 { "PayPal" } else { "Credit Card" },
        "payment_provider_id": "",
        "payment_status": payment_status(o),
        "refunded_amount": money(a.refunded),
        "order_is_digital": o.ship_to.is_none() && !manual(o),
        "store_credit_amount": money(0),
        "gift_certificate_amount": money(0),
        "ip_address": ip,
        "ip_address_v6": "",
        "geoip_country": if manual(o) { "" } else { buyer.map_or("", |p| p.address.place.country) },
        "geoip_country_iso2": if manual(o) { "" } else { buyer.map_or("", |p| p.address.place.country_code) },
        "currency_id": 1,
        "currency_code": code,
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": code,
        "store_default_currency_code": code,
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "staff_notes": staff_notes,
        "customer_message": customer_message,
        "discount_amount": money(a.discounts),
        "coupon_discount": money(a.discounts),
        "shipping_address_count": u8::from(o.ship_to.is_some()),
        "is_deleted": false,
        "ebay_order_id": "0",
        "cart_id": if manual(o) { String::new() } else { cart_id(store, o) },
        "billing_address": billing,
        "is_email_opt_in": o.customer.is_some() && o.id % 4 == 0,
        "credit_card_type": Value::Null,
        "order_source": if manual(o) { "manual" } else { "www" },
        "channel_id": 1,
        "external_source": if manual(o) { Value::from("POS") } else { Value::Null },
        "products": resource(api, &path("products")),
        "shipping_addresses": resource(api, &path("shipping_addresses")),
        "coupons": resource(api, &path("coupons")),
        "external_id": Value::Null,
        "external_merchant_id": Value::Null,
        "tax_provider_id": "BasicTaxProvider",
        "customer_locale": "en",
        "external_order_id": Value::Null,
    })
}

fn product_type(o: &Order) -> &'static str {
    if o.ship_to.is_none() && !manual(o) {
        "digital"
    } else {
        "physical"
    }
}

/// The `products` sub-resource: one entry per line.
pub(crate) fn products_json(store: &Store, o: &Order) -> Vec<Value> {
    let priced: Priced = price(o, store.currency);
    let fully_refunded = o.financial == FinancialStatus::Refunded;
    let coupon = coupon(o);
    o.lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let product_index = usize::from(line.product) % PRODUCTS.len();
            let product = &PRODUCTS[product_index];
            let variant = product.variants.get(usize::from(line.variant)).copied();
            let unit = priced.units[i];
            let quantity = i64::from(line.quantity);
            let total_ex = unit * quantity;
            let tax = priced.line_taxes[i];
            let discount = priced.line_discounts[i];
            // Per-unit tax can fall between cents: four places, as BigCommerce writes it.
            let unit_tax_hundredths = (tax * 100 + quantity / 2) / quantity.max(1);
            let product_id = 111 + product_index as u64;
            let applied_discounts: Vec<Value> = match coupon {
                Some(c) if discount > 0 => vec![json!({
                    "id": "coupon",
                    "amount": money(discount),
                    "name": c.code,
                    "code": c.code,
                    "target": "order",
                })],
                _ => Vec::new(),
            };
            json!({
                "id": line.id,
                "order_id": o.id,
                "product_id": product_id,
                "variant_id": 1_000 + product_id * 10 + u64::from(line.variant),
                "order_pickup_method_id": 0,
                "order_address_id": order_address_id(o),
                "name": product.title,
                "name_customer": product.title,
                "name_merchant": product.title,
                "sku": product.variant_sku(usize::from(line.variant)),
                "upc": "",
                "type": product_type(o),
                "base_price": money(unit),
                "price_ex_tax": money(unit),
                "price_inc_tax": fixed4_from_hundredths(unit * 100 + unit_tax_hundredths),
                "price_tax": fixed4_from_hundredths(unit_tax_hundredths),
                "base_total": money(total_ex),
                "total_ex_tax": money(total_ex),
                "total_inc_tax": money(total_ex + tax),
                "total_tax": money(tax),
                "discounted_total_inc_tax": money(total_ex - discount + tax),
                "weight": "1.0000",
                "width": "0.0000",
                "height": "0.0000",
                "depth": "0.0000",
                "quantity": line.quantity,
                "base_cost_price": money(0),
                "cost_price_inc_tax": money(0),
                "cost_price_ex_tax": money(0),
                "cost_price_tax": money(0),
                "is_refunded": fully_refunded,
                "quantity_refunded": if fully_refunded { line.quantity } else { 0 },
                "refund_amount": money(0),
                "return_id": 0,
                "wrapping_id": 0,
                "wrapping_name": "",
                "base_wrapping_cost": money(0),
                "wrapping_cost_ex_tax": money(0),
                "wrapping_cost_inc_tax": money(0),
                "wrapping_cost_tax": money(0),
                "wrapping_message": "",
                "quantity_shipped": line_shipped(o, i),
                "event_name": Value::Null,
                "event_date": "",
                "fixed_shipping_cost": money(0),
                "ebay_item_id": "",
                "ebay_transaction_id": "",
                "option_set_id": if variant.is_some() { Value::from(product_id) } else { Value::Null },
                "parent_order_product_id": Value::Null,
                "is_bundled_product": false,
                "bin_picking_number": "",
                "external_id": Value::Null,
                "fulfillment_source": "",
                "brand": product.vendor,
                "gift_certificate_id": Value::Null,
                "applied_discounts": applied_discounts,
                "product_options": variant.map_or_else(Vec::new, |v| vec![json!({
                    "id": line.id * 10,
                    "option_id": product_id,
                    "order_product_id": line.id,
                    "product_option_id": product_id * 10,
                    "display_name": "Option",
                    "display_name_customer": "Option",
                    "display_name_merchant": "Option",
                    "display_value": v,
                    "display_value_customer": v,
                    "display_value_merchant": v,
                    "value": (1_000 + product_id * 10 + u64::from(line.variant)).to_string(),
                    "type": "Multiple choice",
                    "name": format!("{} option", product.title),
                    "display_style": "Rectangle",
                })]),
                "configurable_fields": [],
            })
        })
        .collect()
}

/// The `shipping_addresses` sub-resource: one address, or none.
pub(crate) fn shipping_addresses_json(store: &Store, api: &str, o: &Order) -> Vec<Value> {
    let Some(person) = o.ship_to.and_then(|p| store.people.get(p)) else {
        return Vec::new();
    };
    let priced = price(o, store.currency);
    let shipping = priced.amounts.shipping;
    let id = order_address_id(o);
    let mut address = address_fields(Some(person), &typed_email(store, o));
    if let Some(m) = address.as_object_mut() {
        let quotes = format!("/orders/{}/shipping_addresses/{id}/shipping_quotes", o.id);
        for (k, v) in [
            ("id", json!(id)),
            ("order_id", json!(o.id)),
            ("items_total", json!(items_total(o))),
            ("items_shipped", json!(items_shipped(o))),
            (
                "shipping_method",
                json!(if shipping > 0 {
                    "Flat Rate"
                } else {
                    "Free Shipping"
                }),
            ),
            ("base_cost", json!(money(shipping))),
            ("cost_ex_tax", json!(money(shipping))),
            ("cost_inc_tax", json!(money(shipping))),
            ("cost_tax", json!(money(0))),
            ("cost_tax_class_id", json!(2)),
            ("base_handling_cost", json!(money(0))),
            ("handling_cost_ex_tax", json!(money(0))),
            ("handling_cost_inc_tax", json!(money(0))),
            ("handling_cost_tax", json!(money(0))),
            ("handling_cost_tax_class_id", json!(2)),
            ("shipping_zone_id", json!(1)),
            ("shipping_zone_name", json!(person.address.place.country)),
            ("shipping_quotes", resource(api, &quotes)),
            ("form_fields", json!([])),
        ] {
            m.insert(k.to_owned(), v);
        }
    }
    vec![address]
}

/// The `coupons` sub-resource: the order's coupon, or none.
pub(crate) fn coupons_json(store: &Store, o: &Order) -> Vec<Value> {
    let Some(c) = coupon(o) else {
        return Vec::new();
    };
    let priced = price(o, store.currency);
    let (amount, kind) = match c.percent {
        Some(p) => (json!(p), 1),
        None => (json!(priced.amounts.discounts as f64 / 100.0), 2),
    };
    vec![json!({
        "id": o.id,
        "coupon_id": match c.code { "WELCOME10" => 1, "LOYAL15" => 2, _ => 3 },
        "order_id": o.id,
        "code": c.code,
        "amount": amount,
        "type": kind,
        "discount": priced.amounts.discounts as f64 / 100.0,
    })]
}

/// `GET /v2/store`: the store profile a credential check reads.
pub(crate) fn store_json(store: &Store) -> Value {
    let domain = format!("store-{}.mybigcommerce.com", store.hash);
    let currency = store.currency;
    json!({
        "id": store.hash,
        "account_uuid": format!("00000000-0000-4000-8000-{:012x}", 0xc0_0000 + store.index),
        "domain": domain,
        "secure_url": format!("https://{domain}"),
        "control_panel_base_url": format!("https://{domain}"),
        "status": "live",
        "name": format!("Counterline Demo ({})", store.hash),
        "first_name": "Sandbox",
        "last_name": "Owner",
        "address": "Counterline Demo",
        "country": "United States",
        "country_code": "US",
        "infrastructure_region": "us-central1",
        "phone": "",
        "admin_email": format!("owner@{}.example", store.hash),
        "order_email": format!("orders@{}.example", store.hash),
        "favicon_url": "",
        "timezone": {
            "name": "Etc/UTC",
            "raw_offset": 0,
            "dst_offset": 0,
            "dst_correction": false,
            "date_format": {"display": "M jS Y", "export": "M jS Y", "extended_display": "M jS Y @ g:i A"},
        },
        "language": "en",
        "currency": currency.code(),
        "currency_symbol": currency.symbol(),
        "decimal_separator": ".",
        "thousands_separator": ",",
        "decimal_places": 2,
        "currency_symbol_location": "left",
        "weight_units": "Ounces",
        "dimension_units": "Inches",
        "dimension_decimal_places": 2,
        "dimension_decimal_token": ".",
        "dimension_thousands_token": ",",
        "plan_name": "Standard",
        "plan_level": "Standard",
        "plan_is_trial": false,
        "industry": "Home & Garden",
        "logo": [],
        "is_price_entered_with_tax": false,
        "store_id": 1_000_000_000 + store.index,
        "default_channel_id": 1,
        "default_site_id": 1000,
        "active_comparison_modules": [],
        "features": {
            "stencil_enabled": true,
            "sitewidehttps_enabled": true,
            "facebook_catalog_id": "",
            "checkout_type": "optimized",
            "wishlists_enabled": false,
            "graphql_storefront_api_enabled": true,
            "shopper_consent_tracking_enabled": false,
            "multi_storefront_enabled": false,
            "storefront_limits": {"active": 1, "total_including_inactive": 1},
        },
    })
}
