//! The schedule definitions an operator applied (SPEC §5), as stored.

use super::{PortFuture, StoreError};
use crate::schedule::{ScheduleDef, SchedulesFile};
use chrono::{DateTime, Utc};

/// Reads and writes schedule definitions. The DynamoDB adapter keeps one
/// item per schedule and per target; `curfew_testkit::MemorySchedules` a
/// sorted map.
pub trait Schedules: Send + Sync + std::fmt::Debug {
    /// Everything stored, as a file: the schedules and the targets, each
    /// sorted by name (one read: a tick needs both).
    fn load(&self) -> PortFuture<'_, Result<SchedulesFile, StoreError>>;

    /// Every stored definition, sorted by name.
    fn list(&self) -> PortFuture<'_, Result<Vec<ScheduleDef>, StoreError>> {
        Box::pin(async move { Ok(self.load().await?.schedule) })
    }

    /// Stores `def` (an upsert), stamped `now`.
    fn put<'a>(
        &'a self,
        def: &'a ScheduleDef,
        now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// Removes the schedule `name` (nothing if there is none).
    fn delete<'a>(&'a self, name: &'a str) -> PortFuture<'a, Result<(), StoreError>>;
}
