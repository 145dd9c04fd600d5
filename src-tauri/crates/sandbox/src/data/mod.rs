//! Platform-neutral commerce history generated from a seed.
//!
//! This module owns *what happened* in the fake shops: orders, their lines,
//! money in integer cents, timestamps as unix seconds, statuses. It knows
//! nothing about how a platform spells any of it; `shopify::shape` turns an
//! [`orders::Order`] into Shopify's GraphQL JSON. Later platforms render the
//! same kind of history their own way.

pub mod catalog;
pub mod clock;
pub mod money;
pub mod orders;
