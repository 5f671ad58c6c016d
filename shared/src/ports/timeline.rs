//! What changes a schedule's timeline besides its definition (SPEC §6):
//! exceptions, overrides, and the scheduler state the reconcile keeps.

use super::{PortFuture, StoreError};
use crate::reconcile::SchedulerState;
use crate::schedule::{Exception, Override};
use crate::Action;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// Everything the timeline of one schedule needs besides its definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineData {
    pub exceptions: Vec<Exception>,
    pub overrides: Vec<Override>,
    /// The scheduler state of the pair being reconciled: as loaded, the
    /// implicit pair's (a deployment without targets); [`Self::for_pair`]
    /// puts another pair's here.
    pub state: StoredState,
    /// The state of every other pair, by its key (`target|region`): each
    /// pair reconciles on its own, with its own conditional write.
    pub pair_states: BTreeMap<String, StoredState>,
}

impl TimelineData {
    /// This data with `pair`'s scheduler state as [`Self::state`] (`""`:
    /// the implicit pair's, as loaded).
    #[must_use]
    pub fn for_pair(mut self, pair: &str) -> Self {
        if !pair.is_empty() {
            self.state = self.pair_states.remove(pair).unwrap_or_default();
            self.pair_states.clear();
        }
        self
    }
}

/// The scheduler state with the version it was read at (0: none stored
/// yet), for the conditional write that replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredState {
    pub version: u64,
    pub state: SchedulerState,
}

/// What an exception write replaced: `None` when there was none, else the
/// old exception's time (`Some(None)`: it had none).
pub type Replaced = Option<Option<NaiveTime>>;

/// Reads and writes timelines. The DynamoDB adapter keeps them in one
/// partition; `curfew_testkit::MemoryTimelines` in a map.
pub trait Timelines: Send + Sync + std::fmt::Debug {
    /// Sets (or replaces) the exception of (schedule, date, action).
    fn set_exception<'a>(
        &'a self,
        schedule: &'a str,
        exception: Exception,
        writer: &'a str,
        now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Replaced, StoreError>>;

    /// Deletes the exception of (schedule, date, action).
    fn delete_exception<'a>(
        &'a self,
        schedule: &'a str,
        date: NaiveDate,
        action: Action,
    ) -> PortFuture<'a, Result<Replaced, StoreError>>;

    /// Records a `force_start` / `force_stop`.
    fn add_override<'a>(
        &'a self,
        schedule: &'a str,
        forced: &'a Override,
        writer: &'a str,
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// One schedule's timeline data (empty when nothing is stored).
    fn load<'a>(&'a self, schedule: &'a str) -> PortFuture<'a, Result<TimelineData, StoreError>>;

    /// Every schedule's timeline data, by name (a tick reads them at once).
    fn load_all(&self) -> PortFuture<'_, Result<HashMap<String, TimelineData>, StoreError>>;

    /// Replaces the scheduler state of (schedule, pair) if it is still at
    /// version `expected` (0: none stored): `false` when another writer got
    /// there first. `pair` is the pair's key, `""` for the implicit pair.
    fn save_state<'a>(
        &'a self,
        schedule: &'a str,
        pair: &'a str,
        expected: u64,
        state: &'a SchedulerState,
    ) -> PortFuture<'a, Result<bool, StoreError>>;
}
