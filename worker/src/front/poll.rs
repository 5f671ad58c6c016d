//! `curfew worker`: the job handler as a long-polling process (local use,
//! ECS). SIGTERM or Ctrl-C stops the polling; the batch in hand is finished
//! first, so no job is lost (an unfinished one would reappear anyway, after
//! its visibility timeout).

use crate::app::App;
use crate::front::batch::{self, DeadLetters, QueueMessage};
use crate::handler::Verdict;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use std::future::Future;
use std::time::Duration;

/// A queue to poll.
#[derive(Debug, Clone)]
pub struct Poller {
    pub sqs: aws_sdk_sqs::Client,
    pub queue_url: String,
    pub dead_letters: Option<DeadLetters>,
    /// Long-poll wait (at most 20 s).
    pub wait: Duration,
    /// The longest a failed message waits before its next delivery (tests
    /// shorten it; the queue's visibility timeout applies when it is longer).
    pub retry_cap: Duration,
}

impl Poller {
    /// Receives one batch (up to 10) and handles it. Returns how many
    /// messages it received.
    pub async fn poll_once(&self, worker: &App) -> Result<usize, String> {
        let messages = self.receive().await?;
        let count = messages.len();
        self.process(worker, messages).await;
        Ok(count)
    }

    /// Polls until `shutdown` resolves. A receive under way is never cut
    /// short (SQS may already have handed its messages over, and they would
    /// hide for the visibility timeout): its messages are handled, then the
    /// loop ends. So a stop takes at most the long-poll wait plus one batch.
    pub async fn run(&self, worker: &App, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut stopping = false;
        while !stopping {
            let receive = self.receive();
            tokio::pin!(receive);
            let received = tokio::select! {
                received = &mut receive => received,
                () = &mut shutdown => {
                    stopping = true;
                    (&mut receive).await
                }
            };
            match received {
                Ok(messages) => self.process(worker, messages).await,
                Err(error) if !stopping => {
                    tracing::error!(%error, "receiving failed; retrying in 5 s");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(5)) => {}
                        () = &mut shutdown => stopping = true,
                    }
                }
                Err(_) => {}
            }
        }
        tracing::info!("worker stopped");
    }

    async fn receive(&self) -> Result<Vec<QueueMessage>, String> {
        let output = self
            .sqs
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(i32::try_from(self.wait.as_secs().min(20)).unwrap_or(20))
            .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
            .send()
            .await
            .map_err(|e| format!("ReceiveMessage: {}", DisplayErrorContext(&e)))?;
        // No `messages` at all is an empty receive.
        Ok(output
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(queue_message)
            .collect())
    }

    async fn process(&self, worker: &App, messages: Vec<QueueMessage>) {
        if messages.is_empty() {
            return;
        }
        let verdicts = batch::handle(worker, self.dead_letters.as_ref(), messages).await;
        let finished: Vec<DeleteMessageBatchRequestEntry> = verdicts
            .iter()
            .filter(|(_, verdict)| verdict.is_finished())
            .filter_map(|(message, _)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(message.id.clone())
                    .set_receipt_handle(message.receipt.clone())
                    .build()
                    .ok()
            })
            .collect();
        for (message, verdict) in &verdicts {
            tracing::info!(message = %message.id, group = %message.group, ?verdict, "handled");
            if let (Verdict::Retry(retry), Some(receipt)) = (verdict, &message.receipt) {
                let after = retry.after().min(self.retry_cap);
                batch::retry_after(&self.sqs, &self.queue_url, receipt, after).await;
            }
        }
        if finished.is_empty() {
            return;
        }
        let deleted = self
            .sqs
            .delete_message_batch()
            .queue_url(&self.queue_url)
            .set_entries(Some(finished))
            .send()
            .await;
        match deleted {
            Ok(output) if output.failed().is_empty() => {}
            Ok(output) => tracing::warn!(
                failed = output.failed().len(),
                "some deletes failed; those jobs will be seen again and skipped"
            ),
            Err(error) => {
                tracing::warn!(error = %DisplayErrorContext(&error), "deleting failed; those jobs will be seen again and skipped")
            }
        }
    }
}

/// A received message as the batch takes it. One without its id or group
/// cannot be handled in order: it is left alone, to come back after its
/// visibility timeout (and reach the DLQ in the end).
fn queue_message(m: aws_sdk_sqs::types::Message) -> Option<QueueMessage> {
    let group = m
        .attributes()
        .and_then(|a| a.get(&MessageSystemAttributeName::MessageGroupId))
        .cloned();
    match (m.message_id, group) {
        (Some(id), Some(group)) => Some(QueueMessage {
            group,
            id,
            body: m.body.unwrap_or_default(),
            receipt: m.receipt_handle,
        }),
        _ => {
            tracing::error!("a received message has no id or group; left on the queue");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sqs::types::Message;

    #[test]
    fn a_message_without_its_id_or_group_is_left_on_the_queue() {
        let group = |m: aws_sdk_sqs::types::builders::MessageBuilder| {
            m.attributes(MessageSystemAttributeName::MessageGroupId, "dev")
        };
        let whole = group(Message::builder().message_id("m1").body("{}")).build();
        assert_eq!(
            queue_message(whole).map(|q| (q.id, q.group)),
            Some(("m1".to_owned(), "dev".to_owned()))
        );
        assert_eq!(queue_message(group(Message::builder()).build()), None);
        assert_eq!(
            queue_message(Message::builder().message_id("m2").build()),
            None
        );
    }
}
