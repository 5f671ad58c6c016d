//! The AWS pieces both of curfew's functions use, so each is written once:
//! an SDK error typed and classified ([`aws_error`], [`classify`]), and the
//! SQS FIFO job queue ([`SqsQueue`]) that the ingress sends commands to and
//! a tick sends its pair jobs to, and the init error either function
//! reports to Lambda when it cannot start ([`report_init_error`]). It lives in `worker/` (SPEC §2: the
//! adapters are the worker's); the ingress links it for its one call.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod error;
mod lambda;
mod sqs;

pub use error::{aws_error, classify};
pub use lambda::report_init_error;
pub use sqs::SqsQueue;
