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

/// The long poll's own timeouts: the client's, each lengthened by the
/// wait. With the client's alone (10 s an attempt), an empty 20-second poll
/// timed out every time and the worker logged a failure every 30 s.
fn long_poll(sqs: &aws_sdk_sqs::Client, wait: Duration) -> aws_sdk_sqs::config::Builder {
    use aws_config::timeout::TimeoutConfig;
    let base = sqs
        .config()
        .timeout_config()
        .cloned()
        .unwrap_or_else(TimeoutConfig::disabled);
    // A timeout the client does not set stays unset (none is not zero).
    let longer = |t: Option<Duration>| t.map(|t| t + wait);
    let mut timeouts = TimeoutConfig::builder();
    timeouts
        .set_connect_timeout(base.connect_timeout())
        .set_operation_attempt_timeout(longer(base.operation_attempt_timeout()))
        .set_operation_timeout(longer(base.operation_timeout()));
    let timeouts = timeouts.build();
    aws_sdk_sqs::config::Builder::default().timeout_config(timeouts)
}

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
    pub async fn poll_once(&self, app: &App) -> Result<usize, String> {
        let messages = self.receive().await?;
        let count = messages.len();
        self.process(app, messages).await;
        Ok(count)
    }

    /// Polls until `shutdown` resolves. A receive under way is never cut
    /// short (SQS may already have handed its messages over, and they would
    /// hide for the visibility timeout): its messages are handled, then the
    /// loop ends. So a stop takes at most the long-poll wait plus one batch.
    pub async fn run(&self, app: &App, shutdown: impl Future<Output = ()>) {
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
                Ok(messages) => self.process(app, messages).await,
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
        let wait = self.wait.min(Duration::from_secs(20));
        let output = self
            .sqs
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(i32::try_from(wait.as_secs()).unwrap_or(20))
            .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
            .customize()
            .config_override(long_poll(&self.sqs, wait))
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

    async fn process(&self, app: &App, messages: Vec<QueueMessage>) {
        if messages.is_empty() {
            return;
        }
        let verdicts = batch::handle(app, self.dead_letters.as_ref(), messages).await;
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

    #[test]
    fn the_long_poll_may_take_its_wait_more_than_an_ordinary_call() {
        use aws_config::timeout::TimeoutConfig;
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_attempt_timeout(Duration::from_secs(10))
                    .operation_timeout(Duration::from_secs(25))
                    .build(),
            )
            .build();
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let config = long_poll(&sqs, Duration::from_secs(20)).build();
        let timeouts = config.timeout_config().unwrap();
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(Duration::from_secs(30))
        );
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(45)));
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(3)));

        // A client without timeouts (the tests') gets none: not zero.
        let bare = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let config = long_poll(&aws_sdk_sqs::Client::new(&bare), Duration::ZERO).build();
        let timeouts = config.timeout_config().unwrap();
        assert_eq!(timeouts.operation_timeout(), None);
        assert_eq!(timeouts.operation_attempt_timeout(), None);
    }
}
