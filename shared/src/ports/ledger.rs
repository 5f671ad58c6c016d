//! The ledger of what curfew did (SPEC §6 Savings).

use super::{PortFuture, StoreError};
use crate::savings::LedgerEntry;
use chrono::{DateTime, Utc};

/// One schedule's part of a reconcile: its starts and stops in one pair
/// at one instant, one stored item.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerItem {
    pub schedule: String,
    pub entries: Vec<LedgerEntry>,
}

/// The schedules whose items a write left out, and the last reason.
#[derive(Debug, thiserror::Error)]
#[error("{} ledger item(s) not recorded ({}): {error}", schedules.len(), schedules.join(", "))]
pub struct Unrecorded {
    pub schedules: Vec<String>,
    #[source]
    pub error: StoreError,
}

/// Writes and reads the ledger of starts and stops. The DynamoDB adapter
/// keeps one partition per schedule, an item per (instant, pair);
/// `curfew_testkit::MemoryLedger` a list.
pub trait Ledger: Send + Sync + std::fmt::Debug {
    /// Records what one reconcile in the pair `pair` did at `at`: one item
    /// per schedule that acted, in as few calls as the store allows
    /// (DynamoDB: 25 items a `BatchWriteItem`). An item's key is
    /// (schedule, `at`, pair), so a redone job rewrites its own items.
    /// What could not be written, after the store's own retries, comes
    /// back as [`Unrecorded`].
    fn record<'a>(
        &'a self,
        pair: &'a str,
        at: DateTime<Utc>,
        items: &'a [LedgerItem],
    ) -> PortFuture<'a, Result<(), Unrecorded>>;

    /// The entries of `schedule` recorded at instants in `[from, to)`.
    fn read<'a>(
        &'a self,
        schedule: &'a str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PortFuture<'a, Result<Vec<LedgerEntry>, StoreError>>;
}
