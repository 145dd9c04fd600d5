//! Lightspeed Retail R-Series: OAuth with the deep link on the new
//! authorization server (access and refresh tokens both rotate), then V3
//! `Sale.json` with its relations (lines, items, customer, contact), sorted
//! by `timeStamp`, filtered by `timeStamp=>=,{since}` and paged by
//! `@attributes.next`. The account id comes from `Account.json`. Facts from
//! `shared/reference/channel-apis.md` §6.

pub mod client;
pub mod normalize;
pub mod writes;

/// Full read access, mirroring an employee role (channel-apis §6).
pub const SCOPES: &str = "employee:all";
