//! The SQS FIFO queue behind the [`JobQueue`] port: the one sender of
//! jobs, for the ingress (a command) and the worker (a tick's pair jobs).

use crate::aws_error;
use curfew_shared::job::Job;
use curfew_shared::ports::{JobQueue, PortFuture, QueueError};

/// Sends each job as one message: group = its schedule or pair (SPEC §1),
/// deduplication id = its idempotency key, so a JANDI retry within SQS's
/// five-minute window, or a tick delivered twice, is dropped by the queue
/// itself.
#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SqsQueue {
    pub const fn new(client: aws_sdk_sqs::Client, queue_url: String) -> Self {
        Self { client, queue_url }
    }
}

impl JobQueue for SqsQueue {
    fn send<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            self.client
                .send_message()
                .queue_url(&self.queue_url)
                .message_body(job.encode())
                .message_group_id(job.message_group())
                .message_deduplication_id(job.idempotency_key())
                .send()
                .await
                .map(drop)
                .map_err(|error| QueueError(aws_error("SendMessage", error)))
        })
    }
}
