//! The ingress's integration tests, in one test binary (as the worker's:
//! each binary links the SDK again). `sqs_moto` and `lambda_runtime` talk to a local AWS (moto,
//! started by scripts/test) and returns early without it unless
//! `CURFEW_REQUIRE_LOCAL_AWS` is set; the others need nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod front_ends;
mod handler;
mod lambda_runtime;
mod slack;
mod sqs_moto;
