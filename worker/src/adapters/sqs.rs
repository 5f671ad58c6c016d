//! The worker's own sends to the job queue: a tick's pair jobs (SPEC §5
//! Targets), each with its pair as the message group and its key as the
//! deduplication id, so a tick delivered twice fans out once.

use curfew_shared::job::Job;
use curfew_shared::ports::{Enqueue, PortFuture, QueueError};

/// The FIFO job queue (`CURFEW_QUEUE_URL`).
#[derive(Debug, Clone)]
pub struct JobSender {
    pub sqs: aws_sdk_sqs::Client,
    pub url: String,
}

impl JobSender {
    pub async fn send(&self, job: &Job) -> Result<(), QueueError> {
        self.sqs
            .send_message()
            .queue_url(&self.url)
            .message_body(job.encode())
            .message_group_id(job.message_group())
            .message_deduplication_id(job.idempotency_key())
            .send()
            .await
            .map(drop)
            .map_err(|e| {
                QueueError(format!(
                    "SendMessage: {}",
                    aws_sdk_sqs::error::DisplayErrorContext(&e)
                ))
            })
    }
}

impl Enqueue for JobSender {
    fn enqueue<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(self.send(job))
    }
}
