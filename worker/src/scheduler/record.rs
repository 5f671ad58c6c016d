//! Writing the ledger after acting (SPEC §6 Savings): each reconcile's
//! starts and stops whose calls went through, and the starts it saw, one
//! item per schedule and pair, all of a pair's written together (25 a
//! `BatchWriteItem`), so a tick adds ⌈acting schedules / 25⌉ writes a pair.

use crate::app::Services;
use chrono::{DateTime, Utc};
use curfew_shared::ports::{FleetError, LedgerItem};
use curfew_shared::reconcile::Decision;
use curfew_shared::savings::{LedgerEntry, Origin};
use curfew_shared::schedule::Schedule;
use curfew_shared::target::Pair;
use std::collections::HashMap;

/// Records the ledger entries of `done` (schedule, its decision) in `pair`
/// at `at`, leaving out the calls in `failures`. What cannot be written is
/// logged: the calls are made and a redelivery would not make them again,
/// so the job is not failed for it.
pub(crate) async fn record(
    services: &Services,
    pair: &Pair,
    done: &[(&Schedule, &Decision)],
    failures: &HashMap<String, FleetError>,
    at: DateTime<Utc>,
) {
    let key = pair.key();
    let items: Vec<LedgerItem> = done
        .iter()
        .map(|(schedule, decision)| LedgerItem {
            schedule: schedule.name.clone(),
            entries: entries(decision, pair, failures),
        })
        .filter(|item| !item.entries.is_empty())
        .collect();
    if items.is_empty() {
        return;
    }
    if let Err(unrecorded) = services.ledger.record(&key, at, &items).await {
        tracing::error!(pair = %key, error = %unrecorded, "ledger entries not recorded");
    }
}

/// The decision's entries with the pair's region and target, less the
/// calls that failed (a start or stop that did not happen saved nothing).
fn entries(
    decision: &Decision,
    pair: &Pair,
    failures: &HashMap<String, FleetError>,
) -> Vec<LedgerEntry> {
    decision
        .ledger
        .iter()
        .filter(|e| e.origin == Origin::Seen || !failures.contains_key(&e.id))
        .map(|e| LedgerEntry {
            region: pair.region.clone(),
            target: pair.target.clone(),
            ..e.clone()
        })
        .collect()
}
