//! The audit log in memory (the `AuditLog` port).

use super::{poisoned, Faults};
use curfew_shared::ports::{AuditLog, Class, PortFuture, StoreError};
use curfew_shared::reply::AuditEntry;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One schedule's records, keyed as the table keys them (instant, job
/// key), so a redone job overwrites its own record.
type Records = BTreeMap<(String, String), AuditEntry>;

/// The records of every schedule.
#[derive(Debug, Default)]
pub struct MemoryAudit {
    records: Mutex<BTreeMap<String, Records>>,
    faults: Faults,
}

impl MemoryAudit {
    /// The next call fails with an error of `class`.
    pub fn fail_next(&self, class: Class) {
        self.faults.fail_next_after(0, class);
    }

    /// Every record of `schedule`, oldest first.
    pub fn of(&self, schedule: &str) -> Vec<AuditEntry> {
        self.records
            .lock()
            .map(|r| r.get(schedule).map(|m| m.values().cloned().collect()))
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}

impl AuditLog for MemoryAudit {
    fn record<'a>(
        &'a self,
        schedule: &'a str,
        job_key: &'a str,
        entry: &'a AuditEntry,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.faults.check("PutItem", "MemoryAudit")?;
            let mut records = self.records.lock().map_err(|_| poisoned("MemoryAudit"))?;
            let key = (entry.at.to_rfc3339(), job_key.to_owned());
            records
                .entry(schedule.to_owned())
                .or_default()
                .insert(key, entry.clone());
            Ok(())
        })
    }

    fn recent<'a>(
        &'a self,
        schedule: &'a str,
        limit: usize,
    ) -> PortFuture<'a, Result<Vec<AuditEntry>, StoreError>> {
        Box::pin(async move {
            self.faults.check("Query", "MemoryAudit")?;
            let records = self.records.lock().map_err(|_| poisoned("MemoryAudit"))?;
            Ok(records
                .get(schedule)
                .map(|m| m.values().rev().take(limit).cloned().collect())
                .unwrap_or_default())
        })
    }
}
