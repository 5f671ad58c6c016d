//! Schedule definitions: `pk = SCHEDULE`, `sk = <name>`, the definition as written.

use super::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, SecondsFormat, Utc};
use curfew_shared::ports::{PortFuture, Schedules};
use curfew_shared::schedule::ScheduleDef;
use serde::{Deserialize, Serialize};

const PARTITION: &str = "SCHEDULE";

/// Reads and writes schedule definitions.
#[derive(Debug, Clone)]
pub struct ScheduleStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

/// The stored item.
#[derive(Debug, Serialize, Deserialize)]
struct Item {
    pk: String,
    sk: String,
    def: ScheduleDef,
    updated_at: String,
}

impl ScheduleStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Every stored definition, sorted by name: one Query, paged.
    pub async fn list(&self) -> Result<Vec<ScheduleDef>, StoreError> {
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(PARTITION.to_owned()))
            .into_paginator()
            .send();
        let mut defs = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| super::failed("Query", e))?;
            for item in page.items.unwrap_or_default() {
                let name = item
                    .get("sk")
                    .and_then(|v| v.as_s().ok())
                    .cloned()
                    .unwrap_or_default();
                let item: Item =
                    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt {
                        name,
                        message: e.to_string(),
                    })?;
                defs.push(item.def);
            }
        }
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(defs)
    }

    /// Creates or replaces one definition (the caller has validated it).
    pub async fn put(&self, def: &ScheduleDef, now: DateTime<Utc>) -> Result<(), StoreError> {
        let item = Item {
            pk: PARTITION.to_owned(),
            sk: def.name.clone(),
            def: def.clone(),
            updated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        let item = serde_dynamo::to_item(item).map_err(|e| StoreError::Corrupt {
            name: def.name.clone(),
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

    /// Deletes one definition (nothing happens if it is absent).
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
    fn list(&self) -> PortFuture<'_, Result<Vec<ScheduleDef>, StoreError>> {
        Box::pin(Self::list(self))
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
