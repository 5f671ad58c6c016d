//! The ingress: JANDI's outgoing webhook in, one queued job (or an immediate
//! answer) out. [`handler::handle`] is the whole decision, independent of
//! Lambda or HTTP framework, so it is tested in-process; the Lambda and
//! local-HTTP front ends (with the pipeline) only translate requests.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod config;
pub mod handler;
pub mod http;
pub mod slack;
pub mod token;

pub use config::Config;
pub use handler::{handle, Answer};
