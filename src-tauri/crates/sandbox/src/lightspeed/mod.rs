//! What Lightspeed's two retail platforms share: OAuth 2.0's authorization
//! code grant with expiring access tokens and rotating refresh tokens.
//!
//! X-Series (`crate::xseries`) and R-Series (`crate::rseries`) run separate
//! authorization servers with different URLs, token shapes and error
//! bodies, but the same machinery behind them: `grants` keeps codes and
//! tokens, `params` reads the standard OAuth parameters and builds
//! redirects, and `page` draws the consent page and the authorize error
//! page in Lightspeed's look.

pub(crate) mod grants;
pub(crate) mod page;
pub(crate) mod params;
