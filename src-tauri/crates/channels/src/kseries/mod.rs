//! Lightspeed Restaurant K-Series: OAuth whose redirect must be HTTPS, so
//! the browser comes back through Counterline's relay page to the deep
//! link, with the client authenticating by HTTP Basic at the token
//! endpoint; then each business location's closed sales, by `timeClosed`
//! windows of at most a year, paged by `nextPageToken`. A re-closed bill (a
//! refund or an edit) gets a new `timeClosed`, so the window doubles as
//! "changed since". Facts from `shared/reference/channel-apis.md` §7.

pub mod client;
pub mod normalize;

/// Read access to sales (channel-apis §7 scopes).
pub const SCOPES: &str = "financial-api";
