//! The job queue: the ingress's only network call, and where a tick over
//! several pairs puts its pair jobs.

use super::{CallError, PortFuture};
use crate::job::Job;

/// Puts a job on the queue: the ingress's only network call, and a tick's
/// pair jobs. Behind `dyn`, like every port: every queue is one FIFO queue,
/// so the same job sent twice (a JANDI retry, a tick redelivered) is one
/// message wherever it is sent from.
pub trait JobQueue: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>>;
}

/// The queue refused or could not be reached: the call's error, with its
/// class (a throttled or unreachable queue is worth a retry, a refused
/// one is not). Its text is safe to log.
#[derive(Debug, thiserror::Error)]
#[error("could not enqueue the job: {0}")]
pub struct QueueError(#[source] pub CallError);

impl QueueError {
    /// Whether a later try may succeed.
    pub const fn class(&self) -> super::Class {
        self.0.class
    }
}
