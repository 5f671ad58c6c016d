//! The ledger of starts and stops (SPEC §6 Savings): `pk = LEDGER#<schedule>`,
//! `sk = <RFC 3339 instant>#<pair>` (docs/DYNAMODB.md), one item per
//! reconcile that acted (its entries in a list), so a tick adds one write
//! per acting schedule and pair, and a redone job rewrites its own item.
//! `savings` reads a month with one Query (paged) per schedule.

use super::{s, StoreError};
use crate::limits::LEDGER_KEEP_MONTHS;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Months, SecondsFormat, Utc};
use curfew_shared::ports::{Ledger, PortFuture};
use curfew_shared::savings::LedgerEntry;

/// Reads and writes the ledger.
#[derive(Debug, Clone)]
pub struct LedgerStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn partition(schedule: &str) -> String {
    format!("LEDGER#{schedule}")
}

/// An instant as sort keys order it: UTC, milliseconds, `Z`.
fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl LedgerStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Writes the entries of one reconcile as one item.
    pub async fn record(
        &self,
        schedule: &str,
        pair: &str,
        at: DateTime<Utc>,
        entries: &[LedgerEntry],
    ) -> Result<(), StoreError> {
        let corrupt = |e: serde_dynamo::Error| StoreError::Corrupt {
            name: schedule.to_owned(),
            message: e.to_string(),
        };
        let list = serde_dynamo::to_attribute_value(entries).map_err(corrupt)?;
        let expires = at
            .checked_add_months(Months::new(LEDGER_KEEP_MONTHS))
            .unwrap_or(at);
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(partition(schedule)))
            .item("sk", s(format!("{}#{pair}", instant(at))))
            .item("entries", list)
            .item("ttl", AttributeValue::N(expires.timestamp().to_string()))
            .send()
            .await
            .map_err(|e| super::failed("PutItem", e))?;
        Ok(())
    }

    /// The entries of the items recorded in `[from, to)`: every sort key
    /// there starts with the instant and goes on with `#`, so `BETWEEN
    /// from AND to` takes the items at `from` and leaves those at `to`.
    pub async fn read(
        &self,
        schedule: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(partition(schedule)))
            .expression_attribute_values(":from", s(instant(from)))
            .expression_attribute_values(":to", s(instant(to)))
            .into_paginator()
            .send();
        let mut entries = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| super::failed("Query", e))?;
            for item in page.items() {
                let Some(list) = item.get("entries") else {
                    continue;
                };
                let mut these: Vec<LedgerEntry> = serde_dynamo::from_attribute_value(list.clone())
                    .map_err(|e| StoreError::Corrupt {
                        name: schedule.to_owned(),
                        message: format!("a ledger item cannot be read: {e}"),
                    })?;
                entries.append(&mut these);
            }
        }
        Ok(entries)
    }
}

/// The port, by the write and the Query above.
impl Ledger for LedgerStore {
    fn record<'a>(
        &'a self,
        schedule: &'a str,
        pair: &'a str,
        at: DateTime<Utc>,
        entries: &'a [LedgerEntry],
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::record(self, schedule, pair, at, entries))
    }

    fn read<'a>(
        &'a self,
        schedule: &'a str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Vec<LedgerEntry>, StoreError>> {
        Box::pin(Self::read(self, schedule, from, to))
    }
}
