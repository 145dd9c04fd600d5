//! Lightspeed Retail X-Series (formerly Vend): OAuth with the deep link
//! (the retailer is picked on the consent page and comes back as
//! `domain_prefix`), expiring access tokens with rotating refresh tokens,
//! and API 2.0 sales walked by their `version` cursor, which doubles as
//! "changed since" because every change raises a record's version. A sale
//! names its customer and products by id, so the client joins customers
//! (for the email we match members on) and products (for SKUs). Facts from
//! `shared/reference/channel-apis.md` §5.

pub mod client;
pub mod normalize;
pub mod writes;

/// Read access to what an order pull needs (channel-apis §5.1 scopes),
/// and `sales:write` for the sale updates the outbox sends (`writes`).
pub const SCOPES: &str = "sales:read sales:write customers:read products:read";
