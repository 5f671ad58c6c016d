//! `curfew replay-dlq [--max N] [--dry-run]` (SPEC §7): moves dead letters
//! back to the queue once what failed them is fixed (a webhook outage, a
//! throttled account). A job whose key is already done is dropped instead
//! of replayed; a message that can never be read stays in the DLQ.

use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::MessageSystemAttributeName;
use curfew_shared::job::Job;
use curfew_shared::ports::JobClaims;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Clone, clap::Args)]
pub struct ReplayArgs {
    /// Move at most this many messages.
    #[arg(long)]
    pub max: Option<usize>,
    /// Say what would be moved; move and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What a replay did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Sent back to the queue.
    pub moved: usize,
    /// Already done: deleted from the DLQ, not replayed.
    pub skipped_done: usize,
    /// Not a readable job: left in the DLQ for a person to look at.
    pub kept_unreadable: usize,
}

/// The two queues and the claim records.
#[derive(Debug, Clone)]
pub struct Replayer {
    pub sqs: aws_sdk_sqs::Client,
    pub dlq_url: String,
    pub queue_url: String,
    pub claims: Arc<dyn JobClaims>,
}

/// A dead letter as received: SQS always sends all three; one without
/// them is left alone (it becomes visible again by itself).
struct DeadLetter {
    id: String,
    receipt: String,
    body: String,
}

impl DeadLetter {
    fn of(message: aws_sdk_sqs::types::Message) -> Option<Self> {
        Some(Self {
            id: message.message_id?,
            receipt: message.receipt_handle?,
            body: message.body?,
        })
    }
}

impl Replayer {
    /// Replays until the DLQ has nothing new or `max` messages were moved.
    /// `progress` is called after each batch with the totals so far.
    pub async fn run(
        &self,
        args: &ReplayArgs,
        mut progress: impl FnMut(&Replayed),
    ) -> anyhow::Result<Replayed> {
        let mut done = Replayed::default();
        let mut seen = HashSet::new();
        while args.max.is_none_or(|max| done.moved < max) {
            let (fresh, again): (Vec<_>, Vec<_>) = self
                .receive()
                .await?
                .into_iter()
                .partition(|letter| seen.insert(letter.id.clone()));
            // Seen already (a dry run puts messages back): give them back
            // at once, or they would hide for the DLQ's visibility timeout.
            for letter in &again {
                self.release(&letter.receipt).await?;
            }
            if fresh.is_empty() {
                break;
            }
            for letter in fresh {
                self.replay(letter, args, &mut done).await?;
            }
            progress(&done);
        }
        Ok(done)
    }

    /// Up to 10 dead letters, waiting a second at most.
    async fn receive(&self) -> anyhow::Result<Vec<DeadLetter>> {
        let messages = self
            .sqs
            .receive_message()
            .queue_url(&self.dlq_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("ReceiveMessage (DLQ): {}", DisplayErrorContext(&e)))?
            .messages
            .unwrap_or_default();
        Ok(messages.into_iter().filter_map(DeadLetter::of).collect())
    }

    /// One dead letter: kept when unreadable or past `max`, dropped when its
    /// job is done, else sent back to the queue (nothing moves in a dry run).
    async fn replay(
        &self,
        letter: DeadLetter,
        args: &ReplayArgs,
        done: &mut Replayed,
    ) -> anyhow::Result<()> {
        let Ok(job) = Job::decode(&letter.body) else {
            done.kept_unreadable += 1;
            return self.release(&letter.receipt).await;
        };
        if args.max.is_some_and(|max| done.moved >= max) {
            return self.release(&letter.receipt).await;
        }
        let already_done = self.claims.is_done(&job.idempotency_key()).await?;
        if already_done {
            done.skipped_done += 1;
        } else {
            done.moved += 1;
        }
        if args.dry_run {
            return self.release(&letter.receipt).await;
        }
        if !already_done {
            self.send_back(&letter, &job).await?;
        }
        self.sqs
            .delete_message()
            .queue_url(&self.dlq_url)
            .receipt_handle(&letter.receipt)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("DeleteMessage (DLQ): {}", DisplayErrorContext(&e)))?;
        Ok(())
    }

    /// Sends the letter to the queue again. A fresh deduplication id: the
    /// original one may still be inside SQS's five-minute window and would
    /// drop the replay.
    async fn send_back(&self, letter: &DeadLetter, job: &Job) -> anyhow::Result<()> {
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(&letter.body)
            .message_group_id(job.message_group())
            .message_deduplication_id(format!("replay-{}", letter.id))
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("SendMessage: {}", DisplayErrorContext(&e)))?;
        Ok(())
    }

    /// Makes a message visible again at once (it stays in the DLQ).
    async fn release(&self, receipt: &str) -> anyhow::Result<()> {
        self.sqs
            .change_message_visibility()
            .queue_url(&self.dlq_url)
            .receipt_handle(receipt)
            .visibility_timeout(0)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("ChangeMessageVisibility: {}", DisplayErrorContext(&e)))?;
        Ok(())
    }
}
