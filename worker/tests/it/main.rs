//! The worker's integration tests, in one test binary (ripgrep's
//! `autotests = false`): each binary links the whole AWS SDK again, so ten
//! of them cost minutes of linking and gigabytes of `target/`. Most talk to
//! a local AWS (moto, started by scripts/test) and return early without it
//! unless `CURFEW_REQUIRE_LOCAL_AWS` is set.
//!
//! `secrets.rs` stays its own binary: it installs the process's global log
//! subscriber to read every line the worker writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod apply_moto;
mod chat_console;
mod claims_moto;
mod crash;
mod fleet_moto;
mod import_moto;
mod jandi_webhook;
mod ledger_moto;
mod pipeline;
mod pricing_moto;
mod scheduler;
mod timeline_moto;
