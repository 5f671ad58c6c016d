//! `curfew setup`: the table and queues, created if missing (for local use;
//! in AWS the SAM template owns them).

use crate::limits::{MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_SECONDS};
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;

/// Creates the table (`pk`, `sk`, on demand, TTL on `ttl`). Returns whether it was new.
pub async fn create_table(client: &aws_sdk_dynamodb::Client, table: &str) -> anyhow::Result<bool> {
    let key = |name: &str, kind| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    let created = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .attribute_definitions(attribute("pk")?)
        .attribute_definitions(attribute("sk")?)
        .send()
        .await;
    let new = match created {
        Ok(_) => true,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_in_use_exception()) =>
        {
            false
        }
        Err(error) => anyhow::bail!("CreateTable {table}: {}", DisplayErrorContext(&error)),
    };
    if new {
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name("ttl")
                    .enabled(true)
                    .build()?,
            )
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!("UpdateTimeToLive {table}: {}", DisplayErrorContext(&e))
            })?;
    }
    Ok(new)
}

/// Creates the FIFO queue and its DLQ (`<name>.fifo`, `<name>-dlq.fifo`) with
/// the redrive policy. Returns (queue URL, DLQ URL). Idempotent.
pub async fn create_queues(
    client: &aws_sdk_sqs::Client,
    name: &str,
) -> anyhow::Result<(String, String)> {
    let fifo = |queue: String| {
        client
            .create_queue()
            .queue_name(queue)
            .attributes(QueueAttributeName::FifoQueue, "true")
            .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                VISIBILITY_TIMEOUT_SECONDS.to_string(),
            )
    };
    let dlq_url = fifo(format!("{name}-dlq.fifo"))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("CreateQueue {name}-dlq.fifo: {}", DisplayErrorContext(&e)))?
        .queue_url
        .ok_or_else(|| anyhow::anyhow!("CreateQueue {name}-dlq.fifo answered without a URL"))?;
    let dlq_arn = client
        .get_queue_attributes()
        .queue_url(&dlq_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("GetQueueAttributes: {}", DisplayErrorContext(&e)))?
        .attributes
        .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
        .ok_or_else(|| {
            // A redrive policy without a target would silently keep poison forever.
            anyhow::anyhow!("GetQueueAttributes of {name}-dlq.fifo answered without its ARN")
        })?;
    let redrive =
        serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT});
    let queue_url = fifo(format!("{name}.fifo"))
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("CreateQueue {name}.fifo: {}", DisplayErrorContext(&e)))?
        .queue_url
        .ok_or_else(|| anyhow::anyhow!("CreateQueue {name}.fifo answered without a URL"))?;
    Ok((queue_url, dlq_url))
}
