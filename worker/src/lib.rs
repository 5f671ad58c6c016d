//! curfew's worker: the job handler and the operator CLI (SPEC §9), in
//! layers that only point down (docs/ARCHITECTURE.md; checked, with no
//! file cycles, by `testkit/src/layering.rs`):
//!
//! ```text
//! adapters   DynamoDB, EC2 / RDS, JANDI, the SDK configuration
//! limits, error, config
//! app        the bundle every job takes (adapters + config + notifier);
//!            every_pair: one step in every (target, region) pair
//! commands   the chat commands        scheduler  ticks and reconciles
//! handler    one queue message in, a verdict out
//! front      Lambda's SQS batch, the long-polling worker
//! cli        `curfew ...` (clap, anyhow and the chat console live here;
//!            the `cli` feature, off in the Lambda zip)
//! ```
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod adapters;
pub mod app;
pub mod calendar;
#[cfg(feature = "cli")]
pub mod cli;
pub mod commands;
pub mod config;
pub mod every_pair;
pub mod front;
pub mod handler;
pub mod import;
pub mod limits;
pub mod scheduler;

/// The worker on the ports' in-memory fakes, for the unit tests.
#[cfg(test)]
mod fakes;
