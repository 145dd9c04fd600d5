//! IPC commands, one module per domain. Each is a thin adapter: arguments in,
//! one call into a core crate, a DTO or `IpcError` out.

pub mod app;
pub mod channels;
pub mod locations;
pub mod loyalty;
pub mod members;
pub mod orders;
pub mod outbox;
pub mod sync_log;
