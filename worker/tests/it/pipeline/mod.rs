//! End to end on a local AWS (moto, started by scripts/test): a JANDI
//! payload into the ingress handler → the FIFO queue → the worker →
//! DynamoDB / EC2 / RDS → a reply received by a real HTTP server.

mod batch;
mod commands;
mod delivery;
mod faults;
mod groups;
mod lambda_runtime;
mod slack;
/// Also the crash tests' stack (crash.rs).
pub(crate) mod stack;
