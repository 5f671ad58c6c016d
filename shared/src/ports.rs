//! The small traits the binaries' adapters implement (SPEC §2): the domain
//! says what it needs, the worker and the ingress plug in SQS, DynamoDB,
//! EC2, RDS and JANDI.

use crate::job::Job;
use std::future::Future;

/// Puts a job on the queue (the ingress's only network call).
pub trait JobQueue {
    fn send(&self, job: &Job) -> impl Future<Output = Result<(), QueueError>> + Send;
}

/// The queue refused or could not be reached. The text is safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not enqueue the job: {0}")]
pub struct QueueError(pub String);
