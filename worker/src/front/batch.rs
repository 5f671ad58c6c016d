//! A batch of queue messages, in the order SQS gave them, as both front
//! ends see it. FIFO order holds per message group: once a message of a
//! group fails, the rest of that group's messages in the batch are not run
//! (SPEC §1) but left for redelivery, behind the one that failed. Different
//! groups run side by side.

use crate::app::App;
use crate::handler::{Retry, Verdict};
use chrono::Utc;

/// One message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    /// The SQS message id (Lambda's batch item identifier).
    pub id: String,
    /// The FIFO `MessageGroupId`.
    pub group: String,
    pub body: String,
    /// The handle to delete it with (polling only).
    pub receipt: Option<String>,
}

/// Moves a message that can never succeed to the DLQ at once, instead of
/// letting it burn its receives (and hold up its group) first.
#[derive(Debug, Clone)]
pub struct DeadLetters {
    pub sqs: aws_sdk_sqs::Client,
    pub url: String,
}

impl DeadLetters {
    async fn send(&self, message: &QueueMessage, reason: &str) -> Result<(), String> {
        self.sqs
            .send_message()
            .queue_url(&self.url)
            .message_body(&message.body)
            .message_group_id(&message.group)
            .message_deduplication_id(&message.id)
            .send()
            .await
            .map(drop)
            .map_err(|e| {
                format!(
                    "SendMessage to the DLQ: {}",
                    aws_sdk_sqs::error::DisplayErrorContext(&e)
                )
            })?;
        tracing::warn!(message = %message.id, %reason, "moved to the DLQ");
        Ok(())
    }
}

/// Handles `messages`; returns each with its verdict, in the order given.
/// Each message group runs in order, and the groups side by side: a batch
/// can hold several pairs' jobs of one tick (SPEC §5 Targets), and a pair
/// must not wait for another. A poison message that reached the DLQ counts
/// as finished.
pub async fn handle(
    app: &App,
    dead_letters: Option<&DeadLetters>,
    messages: Vec<QueueMessage>,
) -> Vec<(QueueMessage, Verdict)> {
    let mut groups: Vec<Vec<(usize, QueueMessage)>> = Vec::new();
    for (n, message) in messages.into_iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| g.first().is_some_and(|(_, m)| m.group == message.group))
        {
            Some(group) => group.push((n, message)),
            None => groups.push(vec![(n, message)]),
        }
    }
    let runs = groups
        .into_iter()
        .map(|group| handle_group(app, dead_letters, group));
    let mut verdicts: Vec<_> = futures::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
        .collect();
    verdicts.sort_by_key(|(n, _, _)| *n);
    verdicts.into_iter().map(|(_, m, v)| (m, v)).collect()
}

/// One group's messages in order: once one is not finished, the rest are
/// held back behind it.
async fn handle_group(
    app: &App,
    dead_letters: Option<&DeadLetters>,
    group: Vec<(usize, QueueMessage)>,
) -> Vec<(usize, QueueMessage, Verdict)> {
    let mut failed = false;
    let mut verdicts = Vec::with_capacity(group.len());
    for (n, message) in group {
        if failed {
            verdicts.push((n, message, Verdict::Retry(Retry::GroupHeldBack)));
            continue;
        }
        let mut verdict = app.handle(&message.body, Utc::now()).await;
        if let (Verdict::Poison(reason), Some(dlq)) = (&verdict, dead_letters) {
            verdict = match dlq.send(&message, reason).await {
                Ok(()) => Verdict::Done,
                Err(error) => Verdict::Retry(Retry::Transient(error.to_string())),
            };
        }
        failed = !verdict.is_finished();
        verdicts.push((n, message, verdict));
    }
    verdicts
}

/// Makes an unfinished message visible again after `after` instead of the
/// queue's visibility timeout: its whole FIFO group waits behind it.
pub async fn retry_after(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    receipt: &str,
    after: std::time::Duration,
) {
    let seconds = i32::try_from(after.as_secs()).unwrap_or(i32::MAX);
    let changed = sqs
        .change_message_visibility()
        .queue_url(queue_url)
        .receipt_handle(receipt)
        .visibility_timeout(seconds)
        .send()
        .await;
    if let Err(error) = changed {
        tracing::warn!(
            error = %aws_sdk_sqs::error::DisplayErrorContext(&error),
            "could not shorten the retry; the visibility timeout applies"
        );
    }
}

/// The hold-back on the fakes: no AWS.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::fakes::{at, command_job, World};
    use curfew_shared::ports::Class;

    fn message(id: &str, group: &str, text: &str, minute: u32) -> QueueMessage {
        QueueMessage {
            id: id.to_owned(),
            group: group.to_owned(),
            body: command_job(text, at(&format!("2026-12-09T00:{minute:02}:00Z"))),
            receipt: None,
        }
    }

    #[tokio::test]
    async fn a_failed_message_holds_back_the_rest_of_its_group_only() {
        let world = World::new("", Vec::new());
        // The first claim is throttled: the first message is retried.
        world.claims.fail_next(Class::Transient);
        let mut poison = message("bad", "room-c", "/서버 help", 4);
        poison.body = "{not a job".to_owned();
        let batch = vec![
            message("a1", "room-a", "/서버 help", 1),
            message("a2", "room-a", "/서버 list", 2),
            message("b1", "room-b", "/서버 help", 3),
            poison,
        ];
        let verdicts = handle(&world.app(), None, batch).await;
        let by_id: Vec<(&str, &Verdict)> =
            verdicts.iter().map(|(m, v)| (m.id.as_str(), v)).collect();
        assert!(
            matches!(by_id[0], ("a1", Verdict::Retry(Retry::Transient(_)))),
            "{by_id:?}"
        );
        assert_eq!(by_id[1], ("a2", &Verdict::Retry(Retry::GroupHeldBack)));
        assert_eq!(by_id[2], ("b1", &Verdict::Done));
        // Without a DLQ to move it to, a poison message stays poison.
        assert!(matches!(by_id[3], ("bad", Verdict::Poison(_))), "{by_id:?}");
        assert_eq!(world.notifier.posted().len(), 1, "only b1 replied");
    }
}
