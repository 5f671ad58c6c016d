//! curfew's pure domain: everything that can be decided without a network.
//!
//! The chat command grammar ([`command`]), the schedule model and its timeline
//! ([`schedule`]), the JANDI and Slack wire types ([`jandi`], [`slack`]), reply rendering in Korean
//! and English ([`reply`]) and the job envelopes that travel over SQS ([`job`]).
//! Every function here takes its clock as an argument, so the whole domain is
//! testable with no AWS and no sleeping.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod action;
pub mod command;
pub mod front;
pub mod holidays;
pub mod jandi;
pub mod job;
pub mod ports;
pub mod reconcile;
pub mod redacted;
pub mod reply;
pub mod resource;
pub mod savings;
pub mod schedule;
pub mod signing;
pub mod slack;
pub mod target;
pub mod value;

pub use action::Action;
pub use redacted::Redacted;
