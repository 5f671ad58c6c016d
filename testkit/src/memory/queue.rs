//! A job queue in memory: the in-process sink for the ingress's handler
//! tests, measuring the ingress's own cost without a network, and a tick's
//! pair jobs on the fakes.

use super::injected;
use curfew_shared::job::Job;
use curfew_shared::ports::{Class, JobQueue, PortFuture, QueueError};

/// A queue in memory: the in-process sink for handler tests and for
/// measuring the ingress's own cost without a network.
#[derive(Debug, Default)]
pub struct MemoryQueue {
    jobs: std::sync::Mutex<Vec<Job>>,
    down: std::sync::atomic::AtomicBool,
}

impl MemoryQueue {
    /// While `down`, every send fails as a throttled SQS would.
    pub fn set_down(&self, down: bool) {
        self.down.store(down, std::sync::atomic::Ordering::SeqCst);
    }

    /// The jobs sent so far, in order.
    pub fn jobs(&self) -> Vec<Job> {
        self.jobs
            .lock()
            .map(|jobs| jobs.clone())
            .unwrap_or_default()
    }
}

impl JobQueue for MemoryQueue {
    fn send<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            if self.down.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(QueueError(injected(
                    "SendMessage",
                    Class::Transient,
                    "MemoryQueue",
                )));
            }
            self.jobs
                .lock()
                .map_err(|_| QueueError(injected("SendMessage", Class::Permanent, "MemoryQueue")))?
                .push(job.clone());
            Ok(())
        })
    }
}
