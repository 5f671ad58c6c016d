//! The ledger in memory (the `Ledger` port).

use super::{poisoned, Faults};
use chrono::{DateTime, Utc};
use curfew_shared::ports::{Class, Ledger, LedgerItem, PortFuture, StoreError, Unrecorded};
use curfew_shared::savings::LedgerEntry;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One schedule's items, keyed as the table keys them (instant, pair), so
/// a redone job overwrites its own item.
type Items = BTreeMap<(DateTime<Utc>, String), Vec<LedgerEntry>>;

/// Every schedule's ledger items.
#[derive(Debug, Default)]
pub struct MemoryLedger {
    items: Mutex<BTreeMap<String, Items>>,
    writes: Mutex<usize>,
    faults: Faults,
}

impl MemoryLedger {
    /// The next call fails with an error of `class`.
    pub fn fail_next(&self, class: Class) {
        self.faults.fail_next_after(0, class);
    }

    /// Every entry of `schedule`, in the order recorded.
    pub fn of(&self, schedule: &str) -> Vec<LedgerEntry> {
        self.items
            .lock()
            .map(|i| {
                i.get(schedule)
                    .map(|m| m.values().flatten().cloned().collect())
            })
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// How many writes were made (one per reconcile that acted in a pair,
    /// whatever its number of schedules: the adapter batches them).
    pub fn writes(&self) -> usize {
        self.writes.lock().map(|w| *w).unwrap_or_default()
    }
}

impl Ledger for MemoryLedger {
    fn record<'a>(
        &'a self,
        pair: &'a str,
        at: DateTime<Utc>,
        written: &'a [LedgerItem],
    ) -> PortFuture<'a, Result<(), Unrecorded>> {
        Box::pin(async move {
            let unrecorded = |error| Unrecorded {
                schedules: written.iter().map(|i| i.schedule.clone()).collect(),
                error,
            };
            self.faults
                .check("BatchWriteItem", "MemoryLedger")
                .map_err(unrecorded)?;
            let mut items = self
                .items
                .lock()
                .map_err(|_| unrecorded(poisoned("MemoryLedger")))?;
            for item in written {
                items
                    .entry(item.schedule.clone())
                    .or_default()
                    .insert((at, pair.to_owned()), item.entries.clone());
            }
            if let Ok(mut writes) = self.writes.lock() {
                *writes += 1;
            }
            Ok(())
        })
    }

    fn read<'a>(
        &'a self,
        schedule: &'a str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Vec<LedgerEntry>, StoreError>> {
        Box::pin(async move {
            self.faults.check("Query", "MemoryLedger")?;
            let items = self.items.lock().map_err(|_| poisoned("MemoryLedger"))?;
            Ok(items
                .get(schedule)
                .map(|m| {
                    m.iter()
                        .filter(|((at, _), _)| *at >= from && *at < to)
                        .flat_map(|(_, entries)| entries.iter().cloned())
                        .collect()
                })
                .unwrap_or_default())
        })
    }
}
