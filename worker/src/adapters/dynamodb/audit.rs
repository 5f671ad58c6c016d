//! The audit log of mutating commands: `pk = AUDIT#<schedule>`,
//! `sk = <RFC 3339>#<job key>` (docs/DYNAMODB.md). `history` reads the
//! newest ten with one Query. The key includes the job's idempotency key,
//! so a redelivered command rewrites its own record instead of adding one.

use super::{s, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, SecondsFormat};
use curfew_shared::front::Front;
use curfew_shared::ports::{AuditLog, PortFuture};
use curfew_shared::reply::AuditEntry;

/// Reads and writes the audit log.
#[derive(Debug, Clone)]
pub struct AuditStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl AuditStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Records one mutating command of `schedule`.
    pub async fn record(
        &self,
        schedule: &str,
        job_key: &str,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let at = entry.at.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("AUDIT#{schedule}")))
            .item("sk", s(format!("{at}#{job_key}")))
            .item("at", s(at))
            .item("writer", s(&entry.writer))
            .item("text", s(&entry.text))
            .item("front", s(entry.front.as_str()));
        if let Some(room) = &entry.room {
            put = put.item("room", s(room));
        }
        put.send().await.map_err(|e| super::failed("PutItem", e))?;
        Ok(())
    }

    /// The newest `limit` records of `schedule`, newest first.
    pub async fn recent(
        &self,
        schedule: &str,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(format!("AUDIT#{schedule}")))
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| super::failed("Query", e))?;
        let text = |item: &std::collections::HashMap<String, AttributeValue>, name: &str| {
            item.get(name).and_then(|v| v.as_s().ok()).cloned()
        };
        Ok(output
            .items()
            .iter()
            .filter_map(|item| {
                let at = DateTime::parse_from_rfc3339(&text(item, "at")?).ok()?;
                Some(AuditEntry {
                    at: at.to_utc(),
                    writer: text(item, "writer")?,
                    room: text(item, "room"),
                    text: text(item, "text")?,
                    front: match text(item, "front").as_deref() {
                        Some("slack") => Front::Slack,
                        _ => Front::Jandi,
                    },
                })
            })
            .collect())
    }
}

/// The port, by the write and the Query above.
impl AuditLog for AuditStore {
    fn record<'a>(
        &'a self,
        schedule: &'a str,
        job_key: &'a str,
        entry: &'a AuditEntry,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::record(self, schedule, job_key, entry))
    }

    fn recent<'a>(
        &'a self,
        schedule: &'a str,
        limit: usize,
    ) -> PortFuture<'a, Result<Vec<AuditEntry>, StoreError>> {
        Box::pin(Self::recent(self, schedule, limit))
    }
}
