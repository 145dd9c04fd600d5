//! WooCommerce's REST v3 JSON for the neutral data: field names, statuses,
//! two-place money strings, and WordPress's zone-less dates, each in a local
//! (`date_created`) and a GMT (`date_created_gmt`) version.
//!
//! Money rules every order keeps (in the site's currency):
//! `Σ line_items subtotal − discount_total = Σ line_items total`,
//! `total = Σ line_items total + shipping_total + total_tax`, and
//! `total_tax = cart_tax + shipping_tax` (shipping is untaxed). A line's
//! `price` is its `total / quantity` as a JSON number, as WooCommerce sends
//! it. Each refund in `refunds` carries a negative `total` string
//! (`"-10.00"`), newest first; they add up to what was refunded.

use serde_json::{json, Value};

use super::{Site, SITE_UTC_OFFSET, WC_VERSION, WP_VERSION};
use crate::data::catalog::PRODUCTS;
use crate::data::clock::format_naive;
use crate::data::ledger::Refund;
use crate::data::money::fixed;
use crate::data::orders::{FinancialStatus, FulfillmentStatus, Order, SetStatus, LIVE_EDIT_NOTE};
use crate::data::priced::{coupon, price, refunds_in};
use crate::people::Person;

/// The order statuses a `status` filter may name besides `any` and `trash`.
pub(crate) const ORDER_STATUSES: &[&str] = &[
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
];

/// A payment the generator left pending that shows as failed instead (a
/// third of them), so every ending occurs.
fn failed(o: &Order) -> bool {
    o.financial == FinancialStatus::Pending && o.id % 3 == 0
}

/// The order's WooCommerce status, from what happened to it.
pub(crate) fn status(o: &Order) -> &'static str {
    // A status a REST write set wins (see `writes`).
    if let Some(SetStatus::Slug(slug)) = o.set_status {
        return slug;
    }
    if o.cancelled_at.is_some() {
        return if o.financial == FinancialStatus::Refunded {
            "refunded"
        } else {
            "cancelled"
        };
    }
    match o.financial {
        FinancialStatus::Refunded => "refunded",
        FinancialStatus::Voided => "cancelled",
        FinancialStatus::Pending if failed(o) => "failed",
        FinancialStatus::Pending => "pending",
        FinancialStatus::Authorized | FinancialStatus::PartiallyPaid => "on-hold",
        FinancialStatus::Paid | FinancialStatus::PartiallyRefunded => match o.fulfillment {
            FulfillmentStatus::Fulfilled => "completed",
            FulfillmentStatus::OnHold => "on-hold",
            _ => "processing",
        },
    }
}

fn paid(o: &Order) -> bool {
    matches!(
        o.financial,
        FinancialStatus::Paid | FinancialStatus::PartiallyRefunded | FinancialStatus::Refunded
    )
}

fn money(cents: i64) -> String {
    fixed(cents, 2)
}

/// A local/GMT pair of the same instant, as `(date_x, date_x_gmt)`.
fn dates(t: Option<i64>) -> (Value, Value) {
    match t {
        Some(t) => (
            Value::String(format_naive(t, SITE_UTC_OFFSET)),
            Value::String(format_naive(t, 0)),
        ),
        None => (Value::Null, Value::Null),
    }
}

fn address(p: Option<&Person>, email: Option<&str>) -> Value {
    let mut v = match p {
        Some(p) => {
            let a = &p.address;
            json!({
                "first_name": p.first_name,
                "last_name": p.last_name,
                "company": "",
                "address_1": a.address1,
                "address_2": a.address2.clone().unwrap_or_default(),
                "city": a.place.city,
                "state": a.place.province_code,
                "postcode": a.zip,
                "country": a.place.country_code,
                "phone": p.phone.clone().unwrap_or_default(),
            })
        }
        None => json!({
            "first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "",
            "city": "", "state": "", "postcode": "", "country": "", "phone": "",
        }),
    };
    if let (Some(email), Some(m)) = (email, v.as_object_mut()) {
        m.insert("email".into(), Value::String(email.to_owned()));
    }
    v
}

/// splitmix64, for stable order keys and hashes.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn order_key(site: &Site, o: &Order) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut x = mix(o.id ^ (site.index << 40));
    let key: String = (0..13)
        .map(|_| {
            x = mix(x);
            char::from(ALPHABET[(x % ALPHABET.len() as u64) as usize])
        })
        .collect();
    format!("wc_order_{key}")
}

/// `11 oz` → `11-oz`, `$25` → `25`: an attribute value's slug.
fn slug(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The full v3 representation of one order; `refunds` oldest first.
pub(crate) fn order_json(site: &Site, site_url: &str, o: &Order, refunds: &[Refund]) -> Value {
    let priced = price(o, site.currency);
    let a = &priced.amounts;
    let email = o
        .email
        .and_then(|(p, variant)| site.people.get(p).map(|p| variant.apply(&p.email)));
    let buyer = o.email.and_then(|(p, _)| site.people.get(p));
    let recipient = o.ship_to.and_then(|p| site.people.get(p));
    let status = status(o);
    let walk_in = o.email.is_none();
    let (created, created_gmt) = dates(Some(o.created_at));
    let (modified, modified_gmt) = dates(Some(o.updated_at));
    let (date_paid, date_paid_gmt) = dates(paid(o).then_some(o.processed_at));
    let completed_at = (status == "completed").then(|| o.closed_at.unwrap_or(o.updated_at));
    let (date_completed, date_completed_gmt) = dates(completed_at);
    let order_key = order_key(site, o);
    let last_line = o.lines.last().map_or(o.id * 10, |l| l.id);
    let api = format!("{site_url}/wp-json/wc/v3");

    let line_items: Vec<Value> = o
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let product_index = usize::from(line.product) % PRODUCTS.len();
            let product = &PRODUCTS[product_index];
            let variant = product.variants.get(usize::from(line.variant)).copied();
            let product_id = 20 + product_index as u64 * 10;
            let subtotal = priced.line_subtotal(o, i);
            let total = priced.line_total(o, i);
            let tax = priced.line_taxes.get(i).copied().unwrap_or(0);
            let subtotal_tax = if total > 0 {
                (tax * subtotal + total / 2) / total
            } else {
                tax
            };
            let quantity = i64::from(line.quantity).max(1);
            json!({
                "id": line.id,
                "name": variant.map_or_else(|| product.title.to_owned(), |v| format!("{} - {v}", product.title)),
                "product_id": product_id,
                "variation_id": variant.map_or(0, |_| product_id + 1 + u64::from(line.variant)),
                "quantity": line.quantity,
                "tax_class": "",
                "subtotal": money(subtotal),
                "subtotal_tax": money(subtotal_tax),
                "total": money(total),
                "total_tax": money(tax),
                "taxes": if tax > 0 {
                    json!([{"id": 1, "total": money(tax), "subtotal": money(subtotal_tax)}])
                } else {
                    json!([])
                },
                "meta_data": variant.map_or_else(Vec::new, |v| vec![json!({
                    "id": line.id * 10,
                    "key": "pa_option",
                    "value": slug(v),
                    "display_key": "Option",
                    "display_value": v,
                })]),
                "sku": product.variant_sku(usize::from(line.variant)),
                "price": total as f64 / quantity as f64 / 100.0,
                "image": {"id": "", "src": ""},
                "parent_name": variant.map(|_| product.title),
            })
        })
        .collect();

    let place = recipient.or(buyer).map(|p| p.address.place);
    let tax_lines = if a.tax > 0 {
        let taxable = (o.shop_money.subtotal - o.shop_money.discounts).max(1);
        let percent = (o.shop_money.tax * 10_000 / taxable) as f64 / 100.0;
        let (country, state) = place.map_or(("US", ""), |p| (p.country_code, p.province_code));
        json!([{
            "id": last_line + 2,
            "rate_code": format!("{country}-{state}-TAX-1"),
            "rate_id": 1,
            "label": if matches!(country, "US" | "CA") { "Tax" } else { "VAT" },
            "compound": false,
            "tax_total": money(a.tax),
            "shipping_tax_total": money(0),
            "rate_percent": percent,
            "meta_data": [],
        }])
    } else {
        json!([])
    };
    let shipping_lines = if recipient.is_some() {
        let (title, method) = if a.shipping > 0 {
            ("Flat rate", "flat_rate")
        } else {
            ("Free shipping", "free_shipping")
        };
        json!([{
            "id": last_line + 1,
            "method_title": title,
            "method_id": method,
            "instance_id": if a.shipping > 0 { "1" } else { "2" },
            "total": money(a.shipping),
            "total_tax": money(0),
            "taxes": [],
            "meta_data": [],
        }])
    } else {
        json!([])
    };
    let coupon_lines = match coupon(o) {
        Some(c) => json!([{
            "id": last_line + 3,
            "code": c.code.to_lowercase(),
            "discount": money(a.discounts),
            "discount_tax": money(0),
            "meta_data": [],
        }]),
        None => json!([]),
    };
    let mut refund_list: Vec<Value> = refunds
        .iter()
        .zip(refunds_in(o, &priced, refunds))
        .map(|(r, amount)| json!({"id": r.id, "reason": r.reason, "total": format!("-{}", money(amount))}))
        .collect();
    refund_list.reverse();
    let (customer_note, meta_data) = match o.note {
        Some(LIVE_EDIT_NOTE) => (
            "",
            json!([{"id": o.id * 10 + 1, "key": "support_note", "value": LIVE_EDIT_NOTE}]),
        ),
        Some(note) => (note, json!([])),
        None => ("", json!([])),
    };
    let (payment_method, payment_title) = if walk_in {
        ("cod", "Cash on delivery")
    } else if status == "on-hold" && o.financial == FinancialStatus::PartiallyPaid {
        ("bacs", "Direct bank transfer")
    } else {
        ("stripe", "Credit Card (Stripe)")
    };
    let mut links = json!({
        "self": [{"href": format!("{api}/orders/{}", o.id)}],
        "collection": [{"href": format!("{api}/orders")}],
    });
    if let (Some(p), Some(m)) = (o.customer, links.as_object_mut()) {
        m.insert(
            "customer".into(),
            json!([{"href": format!("{api}/customers/{}", u64::from(p) + 2)}]),
        );
    }
    json!({
        "id": o.id,
        "parent_id": 0,
        "status": status,
        "currency": site.currency.code(),
        "version": WC_VERSION,
        "prices_include_tax": false,
        "date_created": created,
        "date_modified": modified,
        "discount_total": money(a.discounts),
        "discount_tax": money(0),
        "shipping_total": money(a.shipping),
        "shipping_tax": money(0),
        "cart_tax": money(a.tax),
        "total": money(a.total()),
        "total_tax": money(a.tax),
        "customer_id": o.customer.map_or(0, |p| u64::from(p) + 2),
        "order_key": order_key,
        "billing": address(buyer, Some(email.as_deref().unwrap_or(""))),
        "shipping": address(recipient, None),
        "payment_method": payment_method,
        "payment_method_title": payment_title,
        "transaction_id": if paid(o) && !walk_in { format!("ch_{:016x}{:08x}", mix(o.id), mix(o.id ^ 0x5eed) >> 32) } else { String::new() },
        "customer_ip_address": if walk_in { String::new() } else { format!("203.0.113.{}", mix(o.id) % 254 + 1) },
        "customer_user_agent": if walk_in { "" } else { "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" },
        "created_via": if walk_in { "admin" } else { "checkout" },
        "customer_note": customer_note,
        "date_completed": date_completed,
        "date_paid": date_paid,
        "cart_hash": if walk_in { String::new() } else { format!("{:016x}{:016x}", mix(o.id), mix(o.id + 1)) },
        "number": o.id.to_string(),
        "meta_data": meta_data,
        "line_items": line_items,
        "tax_lines": tax_lines,
        "shipping_lines": shipping_lines,
        "fee_lines": [],
        "coupon_lines": coupon_lines,
        "refunds": refund_list,
        "payment_url": format!("{site_url}/checkout/order-pay/{}/?pay_for_order=true&key={order_key}", o.id),
        "is_editable": matches!(status, "pending" | "on-hold"),
        "needs_payment": matches!(status, "pending" | "failed"),
        "needs_processing": true,
        "date_created_gmt": created_gmt,
        "date_modified_gmt": modified_gmt,
        "date_completed_gmt": date_completed_gmt,
        "date_paid_gmt": date_paid_gmt,
        "currency_symbol": site.currency.symbol(),
        "_links": links,
    })
}

/// `GET wp-json/`: the site index, which advertises where to send a user to
/// authorize an Application Password.
pub(crate) fn index_json(site: &Site, site_url: &str) -> Value {
    json!({
        "name": site.name,
        "description": "Goods for the counter",
        "url": site_url,
        "home": site_url,
        "gmt_offset": SITE_UTC_OFFSET / 3_600,
        "timezone_string": "",
        "page_for_posts": 0,
        "page_on_front": 0,
        "show_on_front": "posts",
        "namespaces": [
            "oembed/1.0", "wc/store", "wc/store/v1", "wc/v1", "wc/v2", "wc/v3",
            "wc-analytics", "wc-telemetry", "wp/v2", "wp-site-health/v1",
        ],
        "authentication": {
            "application-passwords": {
                "endpoints": {
                    "authorization": format!("{site_url}/wp-admin/authorize-application.php"),
                },
            },
        },
        "routes": {
            "/wc/v3": {"namespace": "wc/v3", "methods": ["GET"]},
            "/wc/v3/orders": {"namespace": "wc/v3", "methods": ["GET", "POST"]},
            "/wc/v3/system_status": {"namespace": "wc/v3", "methods": ["GET"]},
        },
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    })
}

/// `GET wp-json/wc/v3/system_status`: a small subset of WooCommerce's
/// system report, enough for a credential check to read the versions, the
/// site URL and the store currency.
pub(crate) fn system_status_json(site: &Site, site_url: &str) -> Value {
    let euro = site.currency.code() == "EUR";
    json!({
        "environment": {
            "home_url": site_url,
            "site_url": site_url,
            "version": WC_VERSION,
            "wp_version": WP_VERSION,
            "wp_multisite": false,
            "wp_debug_mode": false,
            "language": if euro { "de_DE" } else { "en_US" },
            "server_info": "nginx/1.26.1",
            "php_version": "8.3.9",
            "default_timezone": "UTC",
            "secure_connection": true,
        },
        "database": {"wc_database_version": WC_VERSION, "database_prefix": "wp_"},
        "active_plugins": [{
            "plugin": "woocommerce/woocommerce.php",
            "name": "WooCommerce",
            "version": WC_VERSION,
            "url": "https://woocommerce.com/",
            "author_name": "Automattic",
            "network_activated": false,
        }],
        "inactive_plugins": [],
        "theme": {"name": "Storefront", "version": "4.6.1", "is_child_theme": false, "has_woocommerce_support": true},
        "settings": {
            "api_enabled": true,
            "force_ssl": false,
            "currency": site.currency.code(),
            "currency_symbol": site.currency.symbol(),
            "currency_position": if euro { "right_space" } else { "left" },
            // Display settings only: REST amounts always use "." and no grouping.
            "thousand_separator": if euro { "." } else { "," },
            "decimal_separator": if euro { "," } else { "." },
            "number_of_decimals": 2,
            "geolocation_enabled": false,
            "woocommerce_com_connected": "no",
        },
        "security": {"secure_connection": true, "hide_errors": true},
        "pages": [],
    })
}
