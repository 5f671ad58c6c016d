//! The record of who changed what (SPEC §3 `history`).

use super::{PortFuture, StoreError};
use crate::reply::AuditEntry;

/// Appends and reads the audit records of mutating commands. The DynamoDB
/// adapter keeps one partition per schedule; `curfew_testkit::MemoryAudit`
/// a list.
pub trait AuditLog: Send + Sync + std::fmt::Debug {
    /// Records one mutating command of `schedule`; `job_key` makes a redone
    /// job write the same record, not a second one.
    fn record<'a>(
        &'a self,
        schedule: &'a str,
        job_key: &'a str,
        entry: &'a AuditEntry,
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// The newest `limit` records of `schedule`, newest first.
    fn recent<'a>(
        &'a self,
        schedule: &'a str,
        limit: usize,
    ) -> PortFuture<'a, Result<Vec<AuditEntry>, StoreError>>;
}
