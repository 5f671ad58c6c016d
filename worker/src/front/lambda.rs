//! The job handler inside AWS Lambda: an SQS event in, the ids of the
//! messages to retry out (`ReportBatchItemFailures`). A message counts as
//! failed until its effects are durable; after a failure the rest of its
//! group fails too, so FIFO order survives the retry.

use crate::app::App;
use crate::front::batch::{self, DeadLetters, QueueMessage};
use crate::handler::Verdict;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{service_fn, LambdaEvent};
use std::sync::Arc;

/// An SQS record without the id or group every FIFO message has: it cannot
/// be reported on its own, so the whole batch is failed and comes back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an SQS record has no {missing}: the batch is retried whole")]
pub struct MalformedEvent {
    pub missing: &'static str,
}

/// Turns an SQS event into the messages of a batch, in order. A missing
/// body is an empty one (a poison message, dead-lettered as such).
pub fn messages(event: SqsEvent) -> Result<Vec<QueueMessage>, MalformedEvent> {
    event
        .records
        .into_iter()
        .map(|record| {
            Ok(QueueMessage {
                group: record
                    .attributes
                    .get("MessageGroupId")
                    .cloned()
                    .ok_or(MalformedEvent {
                        missing: "MessageGroupId",
                    })?,
                id: record.message_id.ok_or(MalformedEvent {
                    missing: "messageId",
                })?,
                body: record.body.unwrap_or_default(),
                receipt: record.receipt_handle,
            })
        })
        .collect()
}

/// The queue, so a failed message can come back sooner than the visibility
/// timeout (six times the function timeout under Lambda).
#[derive(Debug, Clone)]
pub struct Requeue {
    pub sqs: aws_sdk_sqs::Client,
    pub queue_url: String,
}

/// Handles one event; every message not finished is reported for retry.
pub async fn handle_event(
    app: &App,
    dead_letters: Option<&DeadLetters>,
    requeue: Option<&Requeue>,
    event: SqsEvent,
) -> Result<SqsBatchResponse, MalformedEvent> {
    let verdicts = batch::handle(app, dead_letters, messages(event)?).await;
    let mut response = SqsBatchResponse::default();
    for (message, verdict) in verdicts {
        if let (Verdict::Retry(retry), Some(requeue), Some(receipt)) =
            (&verdict, requeue, &message.receipt)
        {
            batch::retry_after(&requeue.sqs, &requeue.queue_url, receipt, retry.after()).await;
        }
        if !verdict.is_finished() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = message.id;
            response.batch_item_failures.push(failure);
        }
    }
    Ok(response)
}

/// Runs under the Lambda runtime until it stops us.
pub async fn run(
    app: App,
    dead_letters: Option<DeadLetters>,
    requeue: Option<Requeue>,
) -> Result<(), lambda_runtime::Error> {
    let shared = Arc::new((app, dead_letters, requeue));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let shared = Arc::clone(&shared);
        async move {
            let (app, dead_letters, requeue) = &*shared;
            handle_event(app, dead_letters.as_ref(), requeue.as_ref(), event.payload)
                .await
                .map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lambda_events::event::sqs::SqsMessage;

    fn record(id: Option<&str>, group: Option<&str>) -> SqsMessage {
        let mut record = SqsMessage::default();
        record.message_id = id.map(str::to_owned);
        record.body = Some("{}".to_owned());
        if let Some(group) = group {
            record
                .attributes
                .insert("MessageGroupId".to_owned(), group.to_owned());
        }
        record
    }

    fn event(records: Vec<SqsMessage>) -> SqsEvent {
        let mut event = SqsEvent::default();
        event.records = records;
        event
    }

    #[test]
    fn a_record_without_its_id_or_group_fails_the_whole_batch() {
        let fine = messages(event(vec![record(Some("m1"), Some("dev"))])).unwrap();
        assert_eq!((fine[0].id.as_str(), fine[0].group.as_str()), ("m1", "dev"));
        let no_id = vec![record(Some("m1"), Some("dev")), record(None, Some("dev"))];
        assert_eq!(
            messages(event(no_id)),
            Err(MalformedEvent {
                missing: "messageId"
            })
        );
        assert_eq!(
            messages(event(vec![record(Some("m1"), None)])),
            Err(MalformedEvent {
                missing: "MessageGroupId"
            })
        );
    }
}
