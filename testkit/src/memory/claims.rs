//! Job claims in memory (the `JobClaims` port).

use super::{poisoned, Faults};
use chrono::{DateTime, Duration, Utc};
use curfew_shared::ports::{Claim, Class, JobClaims, PortFuture, StoreError};
use std::collections::HashMap;
use std::sync::Mutex;

/// One job key's record, as the DynamoDB adapter keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    InProgress { lease_until: DateTime<Utc> },
    Done,
}

/// Job claims in memory, with failures to inject (`fail_next`).
#[derive(Debug, Default)]
pub struct MemoryClaims {
    records: Mutex<HashMap<String, Record>>,
    faults: Faults,
}

impl MemoryClaims {
    /// The next call fails with an error of `class` (throttling when
    /// transient, access denied when permanent), as the adapter would.
    pub fn fail_next(&self, class: Class) {
        self.fail_next_after(0, class);
    }

    /// The call after the next `calls` calls fails with an error of `class`.
    pub fn fail_next_after(&self, calls: usize, class: Class) {
        self.faults.fail_next_after(calls, class);
    }

    /// Another worker holds `key` until `lease_until`.
    pub fn hold(&self, key: &str, lease_until: DateTime<Utc>) {
        self.set(key, Record::InProgress { lease_until });
    }

    /// `key`'s job was done by an earlier delivery.
    pub fn mark_done(&self, key: &str) {
        self.set(key, Record::Done);
    }

    /// Whether `key` is done now.
    pub fn done_now(&self, key: &str) -> bool {
        self.get(key) == Some(Record::Done)
    }

    /// Whether `key` has any record (claimed, held or done).
    pub fn known(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn set(&self, key: &str, record: Record) {
        if let Ok(mut records) = self.records.lock() {
            records.insert(key.to_owned(), record);
        }
    }

    fn get(&self, key: &str) -> Option<Record> {
        self.records.lock().ok()?.get(key).copied()
    }

    fn fault(&self, operation: &'static str) -> Result<(), StoreError> {
        self.faults.check(operation, "MemoryClaims")
    }

    fn claim_now(
        &self,
        key: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Claim, StoreError> {
        self.fault("PutItem")?;
        let mut records = self.records.lock().map_err(|_| poisoned("MemoryClaims"))?;
        match records.get(key).copied() {
            Some(Record::Done) => Ok(Claim::AlreadyDone),
            Some(Record::InProgress { lease_until }) if lease_until >= now => {
                Ok(Claim::HeldElsewhere { lease_until })
            }
            _ => {
                let lease_until = now + lease;
                records.insert(key.to_owned(), Record::InProgress { lease_until });
                Ok(Claim::Acquired)
            }
        }
    }
}

impl JobClaims for MemoryClaims {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        lease: Duration,
        _ttl: Duration,
    ) -> PortFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move { self.claim_now(key, now, lease) })
    }

    fn is_done<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            self.fault("GetItem")?;
            Ok(self.done_now(key))
        })
    }

    fn done<'a>(
        &'a self,
        key: &'a str,
        _now: DateTime<Utc>,
        _ttl: Duration,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.fault("UpdateItem")?;
            self.mark_done(key);
            Ok(())
        })
    }

    fn release<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.fault("DeleteItem")?;
            let mut records = self.records.lock().map_err(|_| poisoned("MemoryClaims"))?;
            if matches!(records.get(key), Some(Record::InProgress { .. })) {
                records.remove(key);
            }
            Ok(())
        })
    }
}
