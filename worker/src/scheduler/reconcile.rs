//! The one reconcile (SPEC §6): the due schedules of one (target, region)
//! pair, each with its timeline data and its instances as described, are
//! decided and saved (each its own conditional write), carried out together
//! in batched calls, written to the ledger, and turned into what the rooms
//! hear. A tick (the whole fleet described once, `pair.rs`), a reconcile
//! job and `force_*` (one schedule described on its own,
//! [`reconcile_now`]) all come through [`reconcile`]; only what describes
//! and who posts the notices differ.

use super::act::{act, decide_and_save};
use super::notices::notices;
use crate::app::{ExecError, Services};
use crate::every_pair::{in_every_pair, Outcomes};
use crate::limits::TICK_CONCURRENCY;
use chrono::{DateTime, Utc};
use curfew_shared::ports::{Fleet, FleetError, TimelineData};
use curfew_shared::reconcile::Decision;
use curfew_shared::reply::Notice;
use curfew_shared::resource::Instance;
use curfew_shared::schedule::Schedule;
use curfew_shared::target::Pair;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// A schedule with something to do in a pair: its data (with that pair's
/// state) and its instances there, as described just now.
pub(super) struct Due<'s> {
    pub schedule: &'s Schedule,
    pub data: TimelineData,
    pub instances: Vec<Instance>,
}

/// One schedule's saved decision, with what it was decided from.
#[derive(Debug)]
pub struct Reconciled<'s> {
    pub schedule: &'s Schedule,
    pub instances: Vec<Instance>,
    pub decision: Decision,
}

/// What one pair's reconcile did and what the rooms hear of it.
#[derive(Debug)]
pub struct Reconciliation<'s> {
    /// The schedules whose decision was saved (and carried out).
    pub done: Vec<Reconciled<'s>>,
    /// The schedules whose decision could not be saved, and why: nothing
    /// was done for them, and the next tick tries again.
    pub failed: Vec<(&'s Schedule, ExecError)>,
    /// The calls that failed, by resource id.
    pub failures: HashMap<String, FleetError>,
    /// Each schedule's notices, by schedule name (a room reads them so).
    pub notices: Vec<(&'s Schedule, Notice)>,
}

/// Reconciles `due` in `pair` at `at` on `fleet` (the pair's, which
/// described the instances). One schedule's failure never holds up another.
pub(super) async fn reconcile<'s>(
    services: &Services,
    fleet: &dyn Fleet,
    pair: &Pair,
    due: Vec<Due<'s>>,
    at: DateTime<Utc>,
) -> Reconciliation<'s> {
    let key = pair.key();
    let store = services.timeline.as_ref();
    let key = key.as_str();
    // Each schedule's data moves into its decision; its instances are kept
    // for the notices.
    let decided: Vec<(Due<'s>, bool, Result<Decision, ExecError>)> = stream::iter(due)
        .map(|mut due| async move {
            let was_unreachable = due.data.state.state.unreachable.is_some();
            let data = std::mem::take(&mut due.data);
            let instances = due.instances.clone();
            let decided = decide_and_save(store, fleet, key, due.schedule, data, instances, at);
            (due, was_unreachable, decided.await)
        })
        .buffer_unordered(TICK_CONCURRENCY)
        .collect()
        .await;
    let mut reconciliation = Reconciliation {
        done: Vec::new(),
        failed: Vec::new(),
        failures: HashMap::new(),
        notices: Vec::new(),
    };
    let mut reachable_again = Vec::new();
    for (due, was_unreachable, decided) in decided {
        match decided {
            Ok(decision) => {
                if was_unreachable {
                    reachable_again.push(due.schedule);
                }
                reconciliation.done.push(Reconciled {
                    schedule: due.schedule,
                    instances: due.instances,
                    decision,
                });
            }
            Err(error) => reconciliation.failed.push((due.schedule, error)),
        }
    }
    let decisions: Vec<&Decision> = reconciliation.done.iter().map(|r| &r.decision).collect();
    reconciliation.failures = act(fleet, &decisions).await;
    let done: Vec<_> = reconciliation
        .done
        .iter()
        .map(|r| (r.schedule, &r.decision))
        .collect();
    super::record::record(services, pair, &done, &reconciliation.failures, at).await;
    let place = pair.place();
    for schedule in reachable_again {
        let place = place.clone();
        reconciliation
            .notices
            .push((schedule, Notice::Reachable { place }));
    }
    for r in &reconciliation.done {
        let said = notices(
            r.schedule,
            &r.decision,
            &r.instances,
            &reconciliation.failures,
        );
        reconciliation
            .notices
            .extend(said.into_iter().map(|notice| (r.schedule, notice)));
    }
    // The saves finished in any order; a room reads its notices by name.
    reconciliation
        .notices
        .sort_by(|a, b| a.0.name.cmp(&b.0.name));
    reconciliation
}

/// Reconciles one schedule at the instant `at` outside a tick (a `force_*` command, a
/// reconcile job) in every pair ([`in_every_pair`]): its timeline data
/// read once (returned with the outcomes), its instances described in each
/// pair, then [`reconcile`]. A pair whose decision could not be saved is a
/// failed pair.
pub async fn reconcile_now<'s>(
    services: &Services,
    schedule: &'s Schedule,
    pairs: &[Pair],
    at: DateTime<Utc>,
) -> Result<(TimelineData, Outcomes<Reconciliation<'s>>), ExecError> {
    let data = services.timeline.load(&schedule.name).await?;
    let outcomes = in_every_pair(pairs, |pair| {
        let data = data.clone().for_pair(&pair.key());
        async move {
            let fleet = services.fleets.fleet(pair).await?;
            let instances = fleet.describe_schedule(&schedule.tag).await?;
            let due = vec![Due {
                schedule,
                data,
                instances,
            }];
            let mut reconciliation = reconcile(services, fleet.as_ref(), pair, due, at).await;
            match reconciliation.failed.pop() {
                Some((_, error)) => Err(error),
                None => Ok(reconciliation),
            }
        }
    })
    .await?;
    Ok((data, outcomes))
}
