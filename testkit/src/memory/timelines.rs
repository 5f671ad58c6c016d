//! Timelines in memory (the `Timelines` port): exceptions kept one per
//! (date, action) and sorted as the table's sort key sorts them, overrides
//! in the order issued, the state under the same version check as the
//! conditional write.

use super::{poisoned, Faults};
use chrono::{DateTime, NaiveDate, Utc};
use curfew_shared::ports::{PortFuture, Replaced, StoreError, TimelineData, Timelines};
use curfew_shared::reconcile::SchedulerState;
use curfew_shared::schedule::{Exception, Override};
use curfew_shared::Action;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Every schedule's timeline data, by name.
#[derive(Debug, Default)]
pub struct MemoryTimelines {
    data: Mutex<HashMap<String, TimelineData>>,
    faults: Faults,
    /// State writes still to lose, as if another worker wrote first.
    lose: AtomicUsize,
    saves: AtomicUsize,
}

impl MemoryTimelines {
    /// The next call fails with an error of `class`.
    pub fn fail_next(&self, class: curfew_shared::ports::Class) {
        self.faults.fail_next_after(0, class);
    }

    /// The next `writes` state writes find another writer got there first.
    pub fn lose_next_saves(&self, writes: usize) {
        self.lose.store(writes, Ordering::SeqCst);
    }

    /// One schedule's data as stored now.
    pub fn of(&self, schedule: &str) -> TimelineData {
        self.with(|all| all.get(schedule).cloned().unwrap_or_default())
            .unwrap_or_default()
    }

    /// State writes that went through so far.
    pub fn saves(&self) -> usize {
        self.saves.load(Ordering::SeqCst)
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut HashMap<String, TimelineData>) -> T,
    ) -> Result<T, StoreError> {
        let mut all = self.data.lock().map_err(|_| poisoned("MemoryTimelines"))?;
        Ok(f(&mut all))
    }

    fn replace_exception(
        &self,
        schedule: &str,
        new: Option<Exception>,
        date: NaiveDate,
        action: Action,
    ) -> Result<Replaced, StoreError> {
        self.with(|all| {
            let exceptions = &mut all.entry(schedule.to_owned()).or_default().exceptions;
            let old = exceptions
                .iter()
                .position(|e| e.date == date && e.action == action)
                .map(|at| exceptions.remove(at).time);
            exceptions.extend(new);
            exceptions.sort_by_key(|e| (e.date, e.action.as_str()));
            old
        })
    }
}

impl Timelines for MemoryTimelines {
    fn set_exception<'a>(
        &'a self,
        schedule: &'a str,
        exception: Exception,
        _writer: &'a str,
        _now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Replaced, StoreError>> {
        Box::pin(async move {
            self.faults.check("PutItem", "MemoryTimelines")?;
            let (date, action) = (exception.date, exception.action);
            self.replace_exception(schedule, Some(exception), date, action)
        })
    }

    fn delete_exception<'a>(
        &'a self,
        schedule: &'a str,
        date: NaiveDate,
        action: Action,
    ) -> PortFuture<'a, Result<Replaced, StoreError>> {
        Box::pin(async move {
            self.faults.check("DeleteItem", "MemoryTimelines")?;
            self.replace_exception(schedule, None, date, action)
        })
    }

    fn add_override<'a>(
        &'a self,
        schedule: &'a str,
        forced: &'a Override,
        _writer: &'a str,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.faults.check("PutItem", "MemoryTimelines")?;
            self.with(|all| {
                let overrides = &mut all.entry(schedule.to_owned()).or_default().overrides;
                overrides.retain(|o| o.issued_at != forced.issued_at);
                overrides.push(forced.clone());
                overrides.sort_by_key(|o| o.issued_at);
            })
        })
    }

    fn load<'a>(&'a self, schedule: &'a str) -> PortFuture<'a, Result<TimelineData, StoreError>> {
        Box::pin(async move {
            self.faults.check("Query", "MemoryTimelines")?;
            self.with(|all| all.get(schedule).cloned().unwrap_or_default())
        })
    }

    fn load_all(&self) -> PortFuture<'_, Result<HashMap<String, TimelineData>, StoreError>> {
        Box::pin(async move {
            self.faults.check("Query", "MemoryTimelines")?;
            self.with(|all| all.clone())
        })
    }

    fn save_state<'a>(
        &'a self,
        schedule: &'a str,
        pair: &'a str,
        expected: u64,
        state: &'a SchedulerState,
    ) -> PortFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            self.faults.check("PutItem", "MemoryTimelines")?;
            let lost = self
                .lose
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if lost {
                return Ok(false);
            }
            self.with(|all| {
                let data = all.entry(schedule.to_owned()).or_default();
                let stored = if pair.is_empty() {
                    &mut data.state
                } else {
                    data.pair_states.entry(pair.to_owned()).or_default()
                };
                if stored.version != expected {
                    return false;
                }
                stored.version = expected + 1;
                stored.state = state.clone();
                self.saves.fetch_add(1, Ordering::SeqCst);
                true
            })
        })
    }
}
