//! Writing the ledger after acting (SPEC §6 Savings): each reconcile's
//! starts and stops whose calls went through, and the starts it saw, in
//! one item per schedule and pair, so a tick adds at most one write per
//! acting schedule.

use crate::app::Services;
use crate::limits::TICK_CONCURRENCY;
use chrono::{DateTime, Utc};
use curfew_shared::ports::FleetError;
use curfew_shared::reconcile::Decision;
use curfew_shared::savings::{LedgerEntry, Origin};
use curfew_shared::schedule::Schedule;
use curfew_shared::target::Pair;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// Records the ledger entries of `done` (schedule, its decision) in `pair`
/// at `at`, leaving out the calls in `failures`. A write that fails is
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
    let writes: Vec<(&Schedule, Vec<LedgerEntry>)> = done
        .iter()
        .map(|(schedule, decision)| (*schedule, entries(decision, pair, failures)))
        .filter(|(_, entries)| !entries.is_empty())
        .collect();
    stream::iter(writes)
        .for_each_concurrent(TICK_CONCURRENCY, |(schedule, entries)| {
            let key = &key;
            async move {
                if let Err(error) = services.ledger.record(&schedule.name, key, at, &entries).await {
                    tracing::error!(schedule = %schedule.name, pair = %key, %error, entries = entries.len(), "ledger entries not recorded");
                }
            }
        })
        .await;
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
