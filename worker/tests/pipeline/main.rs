//! End to end on a local AWS (moto, started by scripts/test): a JANDI
//! payload into the ingress handler → the FIFO queue → the worker →
//! DynamoDB / EC2 / RDS → a reply received by a real HTTP server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod batch;
mod commands;
mod delivery;
mod faults;
mod groups;
mod stack;
