//! The job handler inside AWS Lambda: an SQS event in, the ids of the
//! messages to retry out (`ReportBatchItemFailures`). A message counts as
//! failed until its effects are durable; after a failure the rest of its
//! group fails too, so FIFO order survives the retry.

use crate::adapters::aws::sdk_config;
use crate::adapters::jandi::{Notifier, RetryPolicy};
use crate::app::{App, Services};
use crate::config::WorkerConfig;
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

/// The `curfew` binary built without the operator CLI (the Lambda zip:
/// scripts/build-lambda): logs, then [`serve_from_env`].
pub async fn main() -> std::process::ExitCode {
    super::init_logs();
    match serve_from_env().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the worker stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The worker as Lambda runs it: the app built from the environment once
/// (the template's variables), then one SQS event after another in this
/// process until Lambda stops it. A configuration it cannot start with is
/// reported to Lambda as the init error, naming the variable, and returned.
pub async fn serve_from_env() -> Result<(), lambda_runtime::Error> {
    let (app, dead_letters, requeue) = match from_env().await {
        Ok(parts) => parts,
        Err(error) => {
            curfew_aws::report_init_error("Curfew.ConfigError", &error.to_string()).await;
            return Err(error);
        }
    };
    run(app, dead_letters, requeue).await
}

/// The app, the DLQ and the queue from the environment. The queue is
/// required: a tick sends its pair jobs there, and a failed message is
/// made visible again through it after seconds, not after the queue's
/// visibility timeout (360 s in the template).
async fn from_env() -> Result<(App, Option<DeadLetters>, Requeue), lambda_runtime::Error> {
    let config = WorkerConfig::from_env()?;
    let queue_url = config.require_queue()?.to_owned();
    let sdk = sdk_config().await?;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let dead_letters = config.dlq_url.clone().map(|url| DeadLetters {
        sqs: sqs.clone(),
        url,
    });
    let requeue = Requeue { sqs, queue_url };
    let app = App {
        services: Services::new(&sdk, &config),
        notifier: Arc::new(Notifier::new(RetryPolicy::default())?),
        config,
    };
    Ok((app, dead_letters, requeue))
}

/// Runs under the Lambda runtime until it stops us.
async fn run(
    app: App,
    dead_letters: Option<DeadLetters>,
    requeue: Requeue,
) -> Result<(), lambda_runtime::Error> {
    let shared = Arc::new((app, dead_letters, requeue));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let shared = Arc::clone(&shared);
        async move {
            let (app, dead_letters, requeue) = &*shared;
            handle_event(app, dead_letters.as_ref(), Some(requeue), event.payload)
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
