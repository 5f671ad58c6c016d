//! The schedule definitions an operator applied (SPEC §5), as stored.

use super::{PortFuture, StoreError};
use crate::schedule::ScheduleDef;
use chrono::{DateTime, Utc};

/// Reads and writes schedule definitions. The DynamoDB adapter keeps one
/// item per schedule; `curfew_testkit::MemorySchedules` a sorted map.
pub trait Schedules: Send + Sync + std::fmt::Debug {
    /// Every stored definition, sorted by name.
    fn list(&self) -> PortFuture<'_, Result<Vec<ScheduleDef>, StoreError>>;

    /// Stores `def` (an upsert), stamped `now`.
    fn put<'a>(
        &'a self,
        def: &'a ScheduleDef,
        now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// Removes the schedule `name` (nothing if there is none).
    fn delete<'a>(&'a self, name: &'a str) -> PortFuture<'a, Result<(), StoreError>>;
}
