//! The job queue: the ingress's only network call, and where a tick over
//! several pairs puts its pair jobs.

use super::PortFuture;
use crate::job::Job;
use std::future::Future;

/// Puts a job on the queue (the ingress's only network call).
pub trait JobQueue {
    fn send(&self, job: &Job) -> impl Future<Output = Result<(), QueueError>> + Send;
}

/// [`JobQueue`] behind `dyn`, for the worker's bundle of ports (a tick's
/// pair jobs): every queue is one, so the same job sent twice (a tick
/// redelivered) is one message wherever it is sent from.
pub trait Enqueue: Send + Sync + std::fmt::Debug {
    fn enqueue<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>>;
}

impl<Q: JobQueue + Send + Sync + std::fmt::Debug> Enqueue for Q {
    fn enqueue<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(self.send(job))
    }
}

/// The queue refused or could not be reached. The text is safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not enqueue the job: {0}")]
pub struct QueueError(pub String);
