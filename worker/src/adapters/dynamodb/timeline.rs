//! Exceptions, overrides and scheduler state: the `TIMELINE` partition
//! (docs/DYNAMODB.md).
//!
//! An exception is keyed by (schedule, date, action), so `exception set` is
//! an upsert and can never make duplicates. Overrides are keyed by the
//! instant they were issued and expire through the TTL once they can no
//! longer be the latest event (end + 9 days).

use super::{s, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use curfew_shared::ports::{PortFuture, Replaced, StoredState, TimelineData, Timelines};
use curfew_shared::reconcile::SchedulerState;
use curfew_shared::schedule::{Exception, Override};
use curfew_shared::Action;
use std::collections::HashMap;

const PARTITION: &str = "TIMELINE";

/// Reads and writes one table's exceptions and overrides.
#[derive(Debug, Clone)]
pub struct TimelineStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

/// `<name>#STATE` for the implicit pair (as before targets existed: no
/// migration), `<name>#STATE#<target|region>` for a target's pair.
fn state_sk(schedule: &str, pair: &str) -> String {
    if pair.is_empty() {
        format!("{schedule}#STATE")
    } else {
        format!("{schedule}#STATE#{pair}")
    }
}

fn exception_sk(schedule: &str, date: NaiveDate, action: Action) -> String {
    format!("{schedule}#EXC#{}#{action}", date.format("%Y-%m-%d"))
}

type Item = HashMap<String, AttributeValue>;

fn text<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

impl TimelineStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Sets (or replaces) the exception of (schedule, date, action).
    /// Returns the time of the one it replaced, if there was one.
    pub async fn set_exception(
        &self,
        schedule: &str,
        exception: Exception,
        writer: &str,
        now: DateTime<Utc>,
    ) -> Result<Replaced, StoreError> {
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(PARTITION))
            .item(
                "sk",
                s(exception_sk(schedule, exception.date, exception.action)),
            )
            .item("writer", s(writer))
            .item("at", s(now.to_rfc3339_opts(SecondsFormat::Secs, true)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld);
        if let Some(time) = exception.time {
            put = put.item("time", s(time.format("%H:%M").to_string()));
        }
        let old = put
            .send()
            .await
            .map_err(|e| super::failed("PutItem", e))?
            .attributes;
        Ok(old.map(|item| time_of(&item)))
    }

    /// Deletes the exception of (schedule, date, action); returns what it was.
    pub async fn delete_exception(
        &self,
        schedule: &str,
        date: NaiveDate,
        action: Action,
    ) -> Result<Replaced, StoreError> {
        let old = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(PARTITION))
            .key("sk", s(exception_sk(schedule, date, action)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| super::failed("DeleteItem", e))?
            .attributes;
        Ok(old.map(|item| time_of(&item)))
    }

    /// Records a `force_start` / `force_stop`.
    pub async fn add_override(
        &self,
        schedule: &str,
        o: &Override,
        writer: &str,
    ) -> Result<(), StoreError> {
        let issued = o.issued_at.to_rfc3339_opts(SecondsFormat::Millis, true);
        let end = o.until.unwrap_or(o.issued_at);
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(PARTITION))
            .item("sk", s(format!("{schedule}#OVR#{issued}")))
            .item("action", s(o.action.as_str()))
            .item("writer", s(writer))
            .item(
                "ttl",
                AttributeValue::N(
                    (end + crate::limits::OVERRIDE_TTL_AFTER_END)
                        .timestamp()
                        .to_string(),
                ),
            );
        if let Some(until) = o.until {
            put = put.item(
                "until",
                s(until.to_rfc3339_opts(SecondsFormat::Millis, true)),
            );
        }
        put.send().await.map_err(|e| super::failed("PutItem", e))?;
        Ok(())
    }

    /// One schedule's exceptions, overrides and scheduler state: one Query
    /// on its key prefix.
    pub async fn load(&self, schedule: &str) -> Result<TimelineData, StoreError> {
        let mut all = self.query(Some(schedule)).await?;
        Ok(all.remove(schedule).unwrap_or_default())
    }

    /// Every schedule's exceptions, overrides and state, by schedule name:
    /// the whole `TIMELINE` partition in a few Query pages (a tick's read).
    pub async fn load_all(&self) -> Result<HashMap<String, TimelineData>, StoreError> {
        self.query(None).await
    }

    async fn query(
        &self,
        schedule: Option<&str>,
    ) -> Result<HashMap<String, TimelineData>, StoreError> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .expression_attribute_values(":pk", s(PARTITION));
        query = match schedule {
            Some(name) => query
                .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                .expression_attribute_values(":prefix", s(format!("{name}#"))),
            None => query.key_condition_expression("pk = :pk"),
        };
        let mut pages = query.into_paginator().send();
        let mut all: HashMap<String, TimelineData> = HashMap::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| super::failed("Query", e))?;
            for item in page.items() {
                // Schedule names never contain '#', so the first one ends the name.
                let Some((name, rest)) = text(item, "sk").and_then(|sk| sk.split_once('#')) else {
                    continue;
                };
                if schedule.is_some_and(|wanted| wanted != name) {
                    continue;
                }
                let data = all.entry(name.to_owned()).or_default();
                read_item(name, rest, item, data)?;
            }
        }
        Ok(all)
    }

    /// Writes a schedule's scheduler state if nobody else wrote it since it
    /// was read at `expected` (0: never written). Returns whether it was written.
    pub async fn save_state(
        &self,
        schedule: &str,
        pair: &str,
        expected: u64,
        state: &SchedulerState,
    ) -> Result<bool, StoreError> {
        let value = serde_dynamo::to_attribute_value(state).map_err(|e| StoreError::Corrupt {
            name: schedule.to_owned(),
            message: e.to_string(),
        })?;
        let condition = if expected == 0 {
            "attribute_not_exists(pk)"
        } else {
            "version = :expected"
        };
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(PARTITION))
            .item("sk", s(state_sk(schedule, pair)))
            .item("version", AttributeValue::N((expected + 1).to_string()))
            .item("state", value)
            .condition_expression(condition);
        if expected > 0 {
            put = put
                .expression_attribute_values(":expected", AttributeValue::N(expected.to_string()));
        }
        match put.send().await {
            Ok(_) => Ok(true),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(error) => Err(super::failed("PutItem", error)),
        }
    }
}

/// Adds one `TIMELINE` item (`rest` = its sort key after `<name>#`) to `data`.
fn read_item(
    name: &str,
    rest: &str,
    item: &Item,
    data: &mut TimelineData,
) -> Result<(), StoreError> {
    let corrupt = || StoreError::Corrupt {
        name: name.to_owned(),
        message: format!("item {rest:?}"),
    };
    if let Some(key) = rest.strip_prefix("EXC#") {
        let (date, action) = key.split_once('#').ok_or_else(corrupt)?;
        data.exceptions.push(Exception {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| corrupt())?,
            action: Action::parse(action).ok_or_else(corrupt)?,
            time: time_of(item),
        });
    } else if let Some(issued) = rest.strip_prefix("OVR#") {
        let instant = |t: &str| DateTime::parse_from_rfc3339(t).map(|d| d.to_utc());
        data.overrides.push(Override {
            issued_at: instant(issued).map_err(|_| corrupt())?,
            action: text(item, "action")
                .and_then(Action::parse)
                .ok_or_else(corrupt)?,
            until: text(item, "until")
                .map(instant)
                .transpose()
                .map_err(|_| corrupt())?,
        });
    } else if let Some(pair) = rest.strip_prefix("STATE") {
        let version = item
            .get("version")
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse().ok())
            .ok_or_else(corrupt)?;
        let state = item
            .get("state")
            .cloned()
            .map(serde_dynamo::from_attribute_value)
            .transpose()
            .map_err(|_| corrupt())?
            .unwrap_or_default();
        let stored = StoredState { version, state };
        match pair.strip_prefix('#') {
            Some(pair) => {
                data.pair_states.insert(pair.to_owned(), stored);
            }
            None if pair.is_empty() => data.state = stored,
            None => return Err(corrupt()),
        }
    }
    Ok(())
}

/// An exception item's time: absent means `None` (no start/stop that day).
fn time_of(item: &Item) -> Option<NaiveTime> {
    text(item, "time").and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
}

/// The port, by the writes and the Query above.
impl Timelines for TimelineStore {
    fn set_exception<'a>(
        &'a self,
        schedule: &'a str,
        exception: Exception,
        writer: &'a str,
        now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Replaced, StoreError>> {
        Box::pin(Self::set_exception(self, schedule, exception, writer, now))
    }

    fn delete_exception<'a>(
        &'a self,
        schedule: &'a str,
        date: NaiveDate,
        action: Action,
    ) -> PortFuture<'a, Result<Replaced, StoreError>> {
        Box::pin(Self::delete_exception(self, schedule, date, action))
    }

    fn add_override<'a>(
        &'a self,
        schedule: &'a str,
        forced: &'a Override,
        writer: &'a str,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::add_override(self, schedule, forced, writer))
    }

    fn load<'a>(&'a self, schedule: &'a str) -> PortFuture<'a, Result<TimelineData, StoreError>> {
        Box::pin(Self::load(self, schedule))
    }

    fn load_all(&self) -> PortFuture<'_, Result<HashMap<String, TimelineData>, StoreError>> {
        Box::pin(Self::load_all(self))
    }

    fn save_state<'a>(
        &'a self,
        schedule: &'a str,
        pair: &'a str,
        expected: u64,
        state: &'a SchedulerState,
    ) -> PortFuture<'a, Result<bool, StoreError>> {
        Box::pin(Self::save_state(self, schedule, pair, expected, state))
    }
}
