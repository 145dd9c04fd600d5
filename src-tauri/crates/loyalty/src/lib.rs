//! Members and loyalty: matching orders to members by email, the rules
//! (spend tiers, credit earning with its ledger, punch cards), RFM segments
//! and the insights dashboard. Everything lives in the store's SQLite file;
//! the derived tables are always what [`rules`] computes from the current
//! orders, members and settings, whether reached incrementally (a sync page,
//! a member edit) or by [`apply::recompute_all`].
//!
//! Functions take `&mut SqliteConnection` so they join the caller's
//! transaction: a sync page and its loyalty effects commit together.

pub mod apply;
mod carry;
mod error;
pub mod import;
pub mod insights;
pub mod members;
pub mod model;
pub mod rfm;
pub mod rules;
pub mod settings;
pub mod unmatched;

pub use apply::{apply_orders, recompute_all, Applied};
pub use error::{Error, Result};
pub use settings::LoyaltySettings;
