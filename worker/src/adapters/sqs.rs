//! The worker's own sends to the job queue: a tick's pair jobs (SPEC §5
//! Targets), each with its pair as the message group and its key as the
//! deduplication id, so a tick delivered twice fans out once. The same
//! message as the ingress's `SqsQueue` sends (a copy: the worker does not
//! link the ingress, and `shared` holds no SDK).

use curfew_shared::job::Job;
use curfew_shared::ports::{JobQueue, PortFuture, QueueError};

/// The FIFO job queue (`CURFEW_QUEUE_URL`).
#[derive(Debug, Clone)]
pub struct JobSender {
    pub sqs: aws_sdk_sqs::Client,
    pub url: String,
}

impl JobQueue for JobSender {
    fn send<'a>(&'a self, job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
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
        })
    }
}
