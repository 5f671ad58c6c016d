//! The two ways messages reach the handler: [`lambda`] (an SQS event
//! under AWS Lambda) and [`poll`] (`curfew worker`, long polling). Both hand
//! a [`batch`] to the handler, which keeps FIFO order per group.

pub mod batch;
pub mod lambda;
pub mod poll;
