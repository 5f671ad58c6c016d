//! The ledger of starts and stops (SPEC §6 Savings): `pk = LEDGER#<schedule>`,
//! `sk = <RFC 3339 instant>#<pair>` (docs/DYNAMODB.md), one item per
//! schedule and reconcile that acted (its entries in a list), written 25 a
//! `BatchWriteItem` (SPEC §6: ⌈acting schedules / 25⌉ writes per pair), and
//! a redone job rewrites its own items. `savings` reads a month with one
//! Query (paged) per schedule.

use super::{s, StoreError};
use crate::limits::{LEDGER_BATCH, LEDGER_BATCHES_AT_ONCE, LEDGER_BATCH_CALLS, LEDGER_KEEP_MONTHS};
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use chrono::{DateTime, Months, SecondsFormat, Utc};
use curfew_shared::ports::{CallError, Class, Ledger, LedgerItem, PortFuture, Unrecorded};
use curfew_shared::savings::LedgerEntry;
use futures::stream::{self, StreamExt};
use std::future::Future;
use std::time::Duration;

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

    /// Writes the items of one reconcile, [`LEDGER_BATCH`] a call and
    /// [`LEDGER_BATCHES_AT_ONCE`] calls at a time. A chunk that fails
    /// leaves the others to be written: each item is worth recording.
    pub async fn record(
        &self,
        pair: &str,
        at: DateTime<Utc>,
        items: &[LedgerItem],
    ) -> Result<(), Unrecorded> {
        // The futures first (each builds its requests when it runs): a
        // closure inside the stream would not be general enough to be Send.
        let chunks: Vec<_> = items
            .chunks(LEDGER_BATCH)
            .map(|chunk| self.record_chunk(pair, at, chunk))
            .collect();
        let outcomes: Vec<_> = stream::iter(chunks)
            .buffer_unordered(LEDGER_BATCHES_AT_ONCE)
            .collect()
            .await;
        let failed = outcomes.into_iter().filter_map(Result::err);
        let mut schedules = Vec::new();
        let mut last_error = None;
        for (left, error) in failed {
            schedules.extend(left);
            last_error = Some(error);
        }
        match last_error {
            None => Ok(()),
            Some(error) => Err(Unrecorded { schedules, error }),
        }
    }

    /// One chunk: its requests are built here, so only the chunks on their
    /// way are in memory as DynamoDB items. Returns the schedules left out.
    async fn record_chunk(
        &self,
        pair: &str,
        at: DateTime<Utc>,
        chunk: &[LedgerItem],
    ) -> Result<(), (Vec<String>, StoreError)> {
        let mut requests = Vec::with_capacity(chunk.len());
        let mut left = Vec::new();
        let mut last_error = None;
        for item in chunk {
            match put_request(pair, at, item) {
                Ok(request) => requests.push(request),
                Err(error) => {
                    left.push(item.schedule.clone());
                    last_error = Some(error);
                }
            }
        }
        if !requests.is_empty() {
            if let Err((unwritten, error)) =
                write_all(requests, |batch| self.batch_write(batch)).await
            {
                left.extend(unwritten.iter().filter_map(schedule_of));
                last_error = Some(error);
            }
        }
        match last_error {
            None => Ok(()),
            Some(error) => Err((left, error)),
        }
    }

    /// One `BatchWriteItem`: the requests DynamoDB left unprocessed.
    async fn batch_write(&self, batch: Vec<WriteRequest>) -> Result<Vec<WriteRequest>, StoreError> {
        let output = self
            .client
            .batch_write_item()
            .request_items(&self.table, batch)
            .send()
            .await
            .map_err(|e| super::failed("BatchWriteItem", e))?;
        Ok(output
            .unprocessed_items
            .and_then(|mut tables| tables.remove(&self.table))
            .unwrap_or_default())
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

/// The put of one schedule's item: its key, its entries, and its expiry.
fn put_request(
    pair: &str,
    at: DateTime<Utc>,
    item: &LedgerItem,
) -> Result<WriteRequest, StoreError> {
    let list =
        serde_dynamo::to_attribute_value(&item.entries).map_err(|e| StoreError::Corrupt {
            name: item.schedule.clone(),
            message: e.to_string(),
        })?;
    let expires = at
        .checked_add_months(Months::new(LEDGER_KEEP_MONTHS))
        .unwrap_or(at);
    let put = PutRequest::builder()
        .item("pk", s(partition(&item.schedule)))
        .item("sk", s(format!("{}#{pair}", instant(at))))
        .item("entries", list)
        .item("ttl", AttributeValue::N(expires.timestamp().to_string()))
        .build()
        .map_err(|e| StoreError::Corrupt {
            name: item.schedule.clone(),
            message: e.to_string(),
        })?;
    Ok(WriteRequest::builder().put_request(put).build())
}

/// The schedule a put request is for, from its partition key.
fn schedule_of(request: &WriteRequest) -> Option<String> {
    match request.put_request()?.item().get("pk")? {
        AttributeValue::S(pk) => pk.strip_prefix("LEDGER#").map(str::to_owned),
        _ => None,
    }
}

/// Sends `pending` with `send` until nothing is left unprocessed, at most
/// [`LEDGER_BATCH_CALLS`] calls, waiting longer after each (DynamoDB leaves
/// items unprocessed when a partition is throttled, and asks for backoff).
/// A call that fails has had the SDK's own retries: what it held is left.
async fn write_all<F, Fut>(
    mut pending: Vec<WriteRequest>,
    mut send: F,
) -> Result<(), (Vec<WriteRequest>, StoreError)>
where
    F: FnMut(Vec<WriteRequest>) -> Fut,
    Fut: Future<Output = Result<Vec<WriteRequest>, StoreError>>,
{
    for call in 0..LEDGER_BATCH_CALLS {
        if call > 0 {
            tokio::time::sleep(backoff(call)).await;
        }
        match send(pending.clone()).await {
            Ok(unprocessed) if unprocessed.is_empty() => return Ok(()),
            Ok(unprocessed) => pending = unprocessed,
            Err(error) => return Err((pending, error)),
        }
    }
    let error = StoreError::Call(CallError {
        operation: "BatchWriteItem",
        class: Class::Transient,
        code: Some("UnprocessedItems".to_owned()),
        message: format!(
            "{} item(s) still unprocessed after {LEDGER_BATCH_CALLS} calls",
            pending.len()
        ),
        source: Box::new(LeftUnprocessed(pending.len())),
    });
    Err((pending, error))
}

/// 50 ms, 100 ms, 200 ms, ...: under a second in all, so a throttled
/// table never holds up the tick's notices for long.
fn backoff(call: u32) -> Duration {
    Duration::from_millis(50_u64.saturating_mul(1 << call.saturating_sub(1).min(10)))
}

/// What DynamoDB kept leaving unprocessed.
#[derive(Debug, thiserror::Error)]
#[error("DynamoDB left {0} item(s) unprocessed")]
struct LeftUnprocessed(usize);

/// The port, by the batched writes and the Query above.
impl Ledger for LedgerStore {
    fn record<'a>(
        &'a self,
        pair: &'a str,
        at: DateTime<Utc>,
        items: &'a [LedgerItem],
    ) -> PortFuture<'a, Result<(), Unrecorded>> {
        Box::pin(Self::record(self, pair, at, items))
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

/// The retries of unprocessed items, on a fake `BatchWriteItem`.
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn requests(schedules: &[&str]) -> Vec<WriteRequest> {
        let at = "2026-12-07T10:00:00Z".parse().unwrap();
        schedules
            .iter()
            .map(|name| {
                let item = LedgerItem {
                    schedule: (*name).to_owned(),
                    entries: Vec::new(),
                };
                put_request("000000000000/ap-northeast-2", at, &item).unwrap()
            })
            .collect()
    }

    fn names(requests: &[WriteRequest]) -> Vec<String> {
        requests.iter().filter_map(schedule_of).collect()
    }

    /// A `BatchWriteItem` that leaves the first request of each call
    /// unprocessed `times` times, and records what each call was sent.
    struct Throttled {
        times: usize,
        sent: Mutex<Vec<Vec<String>>>,
    }

    impl Throttled {
        async fn send(&self, batch: Vec<WriteRequest>) -> Result<Vec<WriteRequest>, StoreError> {
            let mut sent = self.sent.lock().unwrap();
            sent.push(names(&batch));
            Ok(if sent.len() <= self.times {
                batch.into_iter().take(1).collect()
            } else {
                Vec::new()
            })
        }
    }

    #[tokio::test]
    async fn unprocessed_items_are_sent_again_until_written() {
        let fake = Throttled {
            times: 2,
            sent: Mutex::default(),
        };
        write_all(requests(&["dev", "qa", "staging"]), |b| fake.send(b))
            .await
            .unwrap();
        assert_eq!(
            *fake.sent.lock().unwrap(),
            [vec!["dev", "qa", "staging"], vec!["dev"], vec!["dev"]],
            "only what was left unprocessed is sent again"
        );
    }

    #[tokio::test]
    async fn items_still_unprocessed_after_the_last_call_are_returned() {
        let fake = Throttled {
            times: usize::MAX,
            sent: Mutex::default(),
        };
        let (left, error) = write_all(requests(&["dev", "qa"]), |b| fake.send(b))
            .await
            .unwrap_err();
        assert_eq!(names(&left), ["dev"]);
        assert_eq!(fake.sent.lock().unwrap().len(), LEDGER_BATCH_CALLS as usize);
        assert_eq!(error.class(), Class::Transient);
        assert!(error.to_string().contains("still unprocessed"), "{error}");
    }

    #[tokio::test]
    async fn a_failed_call_returns_what_it_held() {
        let (left, error) = write_all(requests(&["dev", "qa"]), |_| async {
            Err(StoreError::Corrupt {
                name: "t".to_owned(),
                message: "refused".to_owned(),
            })
        })
        .await
        .unwrap_err();
        assert_eq!(names(&left), ["dev", "qa"]);
        assert!(error.to_string().contains("refused"));
    }

    #[test]
    fn the_backoff_doubles_and_stays_under_a_second_in_all() {
        let waits: Vec<Duration> = (1..LEDGER_BATCH_CALLS).map(backoff).collect();
        assert_eq!(waits.first(), Some(&Duration::from_millis(50)));
        assert!(waits.windows(2).all(|w| w[1] == w[0] * 2), "{waits:?}");
        assert!(waits.iter().sum::<Duration>() < Duration::from_secs(1));
    }
}
