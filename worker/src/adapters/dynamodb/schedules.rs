//! Schedule definitions and targets, in one partition so that a tick reads
//! both with one Query: `pk = SCHEDULE`, `sk = <name>` for a schedule and
//! `TARGET#<name>` for a target (a schedule name cannot hold `#`), each with
//! its definition as written.

use super::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, SecondsFormat, Utc};
use curfew_shared::ports::{PortFuture, Schedules};
use curfew_shared::schedule::{ScheduleDef, SchedulesFile};
use curfew_shared::target::TargetDef;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const PARTITION: &str = "SCHEDULE";
const TARGET_PREFIX: &str = "TARGET#";

/// Reads and writes schedule definitions.
#[derive(Debug, Clone)]
pub struct ScheduleStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

/// The stored item: a [`ScheduleDef`] or a [`TargetDef`].
#[derive(Debug, Serialize, Deserialize)]
struct Item<D> {
    pk: String,
    sk: String,
    def: D,
    updated_at: String,
}

type Raw = std::collections::HashMap<String, AttributeValue>;

fn definition<D: DeserializeOwned>(name: String, item: Raw) -> Result<D, StoreError> {
    let item: Item<D> = serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt {
        name,
        message: e.to_string(),
    })?;
    Ok(item.def)
}

impl ScheduleStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Every stored schedule and target, each sorted by name: one Query, paged.
    pub async fn load(&self) -> Result<SchedulesFile, StoreError> {
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(PARTITION.to_owned()))
            .into_paginator()
            .send();
        let mut file = SchedulesFile::default();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| super::failed("Query", e))?;
            for item in page.items.unwrap_or_default() {
                let sk = item
                    .get("sk")
                    .and_then(|v| v.as_s().ok())
                    .cloned()
                    .unwrap_or_default();
                if sk.starts_with(TARGET_PREFIX) {
                    file.target.push(definition(sk, item)?);
                } else {
                    file.schedule.push(definition(sk, item)?);
                }
            }
        }
        file.schedule.sort_by(|a, b| a.name.cmp(&b.name));
        file.target.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(file)
    }

    /// Every stored schedule definition, sorted by name.
    pub async fn list(&self) -> Result<Vec<ScheduleDef>, StoreError> {
        Ok(self.load().await?.schedule)
    }

    /// Creates or replaces one definition (the caller has validated it).
    pub async fn put(&self, def: &ScheduleDef, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.put_item(def.name.clone(), def, now).await
    }

    /// Creates or replaces one target (the caller has validated it).
    pub async fn put_target(&self, def: &TargetDef, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.put_item(format!("{TARGET_PREFIX}{}", def.name), def, now)
            .await
    }

    /// Deletes one target (nothing happens if it is absent).
    pub async fn delete_target(&self, name: &str) -> Result<(), StoreError> {
        self.delete(&format!("{TARGET_PREFIX}{name}")).await
    }

    async fn put_item<D: Serialize + Clone>(
        &self,
        sk: String,
        def: &D,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let item = Item {
            pk: PARTITION.to_owned(),
            sk: sk.clone(),
            def: def.clone(),
            updated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        let item = serde_dynamo::to_item(item).map_err(|e| StoreError::Corrupt {
            name: sk,
            message: e.to_string(),
        })?;
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| super::failed("PutItem", e))?;
        Ok(())
    }

    /// Deletes one item by its sort key (nothing happens if it is absent).
    pub async fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(PARTITION.to_owned()))
            .key("sk", AttributeValue::S(name.to_owned()))
            .send()
            .await
            .map_err(|e| super::failed("DeleteItem", e))?;
        Ok(())
    }
}

/// The port, by the Query and the writes above.
impl Schedules for ScheduleStore {
    fn load(&self) -> PortFuture<'_, Result<SchedulesFile, StoreError>> {
        Box::pin(Self::load(self))
    }

    fn put<'a>(
        &'a self,
        def: &'a ScheduleDef,
        now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::put(self, def, now))
    }

    fn delete<'a>(&'a self, name: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::delete(self, name))
    }
}
