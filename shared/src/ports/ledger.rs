//! The ledger of what curfew did (SPEC §6 Savings).

use super::{PortFuture, StoreError};
use crate::savings::LedgerEntry;
use chrono::{DateTime, Utc};

/// Writes and reads the ledger of starts and stops. The DynamoDB adapter
/// keeps one partition per schedule, an item per (instant, pair);
/// `curfew_testkit::MemoryLedger` a list.
pub trait Ledger: Send + Sync + std::fmt::Debug {
    /// Records what one reconcile of `schedule` in the pair `pair` did at
    /// `at`: one write, whatever the number of entries. The key is
    /// (schedule, `at`, pair), so a redone job writes the same item.
    fn record<'a>(
        &'a self,
        schedule: &'a str,
        pair: &'a str,
        at: DateTime<Utc>,
        entries: &'a [LedgerEntry],
    ) -> PortFuture<'a, Result<(), StoreError>>;

    /// The entries of `schedule` recorded at instants in `[from, to)`.
    fn read<'a>(
        &'a self,
        schedule: &'a str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Vec<LedgerEntry>, StoreError>>;
}
