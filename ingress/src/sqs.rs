//! The SQS FIFO queue behind the [`JobQueue`] port.

use aws_sdk_sqs::error::DisplayErrorContext;
use curfew_shared::job::Job;
use curfew_shared::ports::{JobQueue, PortFuture, QueueError};

/// Sends each job as one message: group = its schedule (SPEC §1),
/// deduplication id = its idempotency key, so a JANDI retry within SQS's
/// five-minute window is dropped by the queue itself.
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
                .map(|_| ())
                .map_err(|error| QueueError(DisplayErrorContext(&error).to_string()))
        })
    }
}
