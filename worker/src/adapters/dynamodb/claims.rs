//! Idempotency records (SPEC §7): `pk = JOB#<key>`, `sk = JOB`.
//!
//! A worker claims a job's key with a conditional put before acting: the put
//! succeeds only if no record exists, or the record is an in-progress claim
//! whose lease has run out (its worker crashed). After the effects are
//! durable the record is marked done; a later delivery of the same key then
//! does nothing. Records expire through the table's TTL.

use super::{s, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};
use curfew_shared::ports::{Claim, JobClaims, PortFuture};

const DONE: &str = "done";
const IN_PROGRESS: &str = "in_progress";

/// Claims and completes job keys with conditional writes.
#[derive(Debug, Clone)]
pub struct ClaimStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

impl ClaimStore {
    pub const fn new(client: aws_sdk_dynamodb::Client, table: String) -> Self {
        Self { client, table }
    }

    /// Claims `key` at `now` for `lease`; the record lives `ttl` past `now`.
    pub async fn claim(
        &self,
        key: &str,
        now: DateTime<Utc>,
        lease: Duration,
        ttl: Duration,
    ) -> Result<Claim, StoreError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("JOB#{key}")))
            .item("sk", s("JOB"))
            .item("status", s(IN_PROGRESS))
            .item("lease_until", n((now + lease).timestamp()))
            .item("ttl", n((now + ttl).timestamp()))
            .condition_expression(
                "attribute_not_exists(pk) OR (#status = :in_progress AND lease_until < :now)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":in_progress", s(IN_PROGRESS))
            .expression_attribute_values(":now", n(now.timestamp()))
            .send()
            .await;
        match put {
            Ok(_) => Ok(Claim::Acquired),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                self.existing(key).await
            }
            Err(error) => Err(super::failed("PutItem", error)),
        }
    }

    /// Whether `key`'s job is done (read consistently): `replay-dlq` skips those.
    pub async fn is_done(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.existing(key).await? == Claim::AlreadyDone)
    }

    /// Why a claim failed: the record as it is now (read consistently).
    async fn existing(&self, key: &str) -> Result<Claim, StoreError> {
        let item = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(format!("JOB#{key}")))
            .key("sk", s("JOB"))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| super::failed("GetItem", e))?
            .item
            .unwrap_or_default();
        let status = item
            .get("status")
            .and_then(|v| v.as_s().ok())
            .map(String::as_str);
        if status == Some(DONE) {
            return Ok(Claim::AlreadyDone);
        }
        let lease_until = item
            .get("lease_until")
            .and_then(|v| v.as_n().ok())
            .and_then(|text| text.parse::<i64>().ok())
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .unwrap_or_default();
        Ok(Claim::HeldElsewhere { lease_until })
    }

    /// Marks `key` done: every later delivery of it is skipped.
    pub async fn done(
        &self,
        key: &str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(format!("JOB#{key}")))
            .key("sk", s("JOB"))
            .update_expression("SET #status = :done, #ttl = :ttl REMOVE lease_until")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":done", s(DONE))
            .expression_attribute_values(":ttl", n((now + ttl).timestamp()))
            .send()
            .await
            .map_err(|e| super::failed("UpdateItem", e))?;
        Ok(())
    }

    /// Gives up an in-progress claim after a failure, so the retry need not
    /// wait for the lease. A done record is never released.
    pub async fn release(&self, key: &str) -> Result<(), StoreError> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(format!("JOB#{key}")))
            .key("sk", s("JOB"))
            .condition_expression("#status = :in_progress")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":in_progress", s(IN_PROGRESS))
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(())
            }
            Err(error) => Err(super::failed("DeleteItem", error)),
        }
    }
}

/// The port, by the conditional writes above.
impl JobClaims for ClaimStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        lease: Duration,
        ttl: Duration,
    ) -> PortFuture<'a, Result<Claim, StoreError>> {
        Box::pin(Self::claim(self, key, now, lease, ttl))
    }

    fn is_done<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<bool, StoreError>> {
        Box::pin(Self::is_done(self, key))
    }

    fn done<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::done(self, key, now, ttl))
    }

    fn release<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(Self::release(self, key))
    }
}
