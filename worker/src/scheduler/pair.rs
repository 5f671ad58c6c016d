//! One (target, region) pair's share of a tick (SPEC §5, §6).
//!
//! The timelines are evaluated in memory with the pair's own scheduler
//! states; only when some schedule has something due is the pair's fleet
//! described, once for all of them, and the due schedules reconciled
//! together (`reconcile.rs`). One schedule's failure is logged and never
//! holds up another.
//!
//! A target's pair that cannot be reached (its role cannot be assumed, its
//! region refuses) is told to each due schedule's room once: the write
//! that marks the state unreachable is conditional, so of several workers
//! only one says it, and the first reconcile that reaches the pair again
//! says so. The implicit pair (no `[[target]]`) fails as it always did: the
//! tick is retried, and nobody is told of a blip.

use super::notices::post_notices;
use super::reconcile::{reconcile, Due};
use crate::app::{App, ExecError};
use chrono::{DateTime, Utc};
use curfew_shared::ports::{Class, FleetError, TimelineData};
use curfew_shared::reconcile::{is_due, Outlook};
use curfew_shared::reply::Notice;
use curfew_shared::resource::Instance;
use curfew_shared::schedule::{Schedule, Timeline};
use curfew_shared::target::Pair;
use std::collections::HashMap;

/// Reconciles every enabled schedule in `pair` at `at`.
pub(super) async fn reconcile_pair(
    app: &App,
    schedules: &[Schedule],
    pair: &Pair,
    timelines: &HashMap<String, TimelineData>,
    at: DateTime<Utc>,
) -> Result<(), ExecError> {
    let key = pair.key();
    let due = due(schedules, timelines, &key, at);
    if due.is_empty() {
        return Ok(());
    }
    let services = &app.services;
    let described = async {
        let fleet = services.fleets.fleet(pair).await?;
        let instances = fleet.describe().await?;
        Ok::<_, FleetError>((fleet, instances))
    };
    let (fleet, instances) = match described.await {
        Ok(found) => found,
        Err(error) if pair.is_implicit() => return Err(error.into()),
        Err(error) => return unreachable(app, pair, due, error, at).await,
    };
    let mut fleet_by_tag = by_tag(instances);
    let due = due
        .into_iter()
        .map(|(schedule, data)| Due {
            schedule,
            data,
            instances: fleet_by_tag
                .remove(schedule.tag.as_str())
                .unwrap_or_default(),
        })
        .collect();
    let reconciliation = reconcile(&app.services, fleet.as_ref(), pair, due, at).await;
    for (schedule, error) in &reconciliation.failed {
        tracing::error!(schedule = %schedule.name, pair = %key, %error, "reconcile failed; the next tick tries again");
    }
    post_notices(app, reconciliation.notices).await;
    Ok(())
}

/// The enabled schedules with something to do at `at` in the pair `key`
/// (in memory: no AWS), each with its data and that pair's state.
pub(super) fn due<'s>(
    schedules: &'s [Schedule],
    timelines: &HashMap<String, TimelineData>,
    key: &str,
    at: DateTime<Utc>,
) -> Vec<(&'s Schedule, TimelineData)> {
    schedules
        .iter()
        .filter(|s| s.enabled)
        .filter_map(|s| {
            let data = timelines
                .get(&s.name)
                .cloned()
                .unwrap_or_default()
                .for_pair(key);
            let timeline = Timeline::new(s, &data.exceptions, &data.overrides);
            let due = is_due(s, &Outlook::of(&timeline, at), &data.state.state, at);
            due.then_some((s, data))
        })
        .collect()
}

/// The described fleet by schedule tag value, so each schedule finds its
/// instances without scanning the whole fleet.
fn by_tag(fleet: Vec<Instance>) -> HashMap<String, Vec<Instance>> {
    let mut grouped: HashMap<String, Vec<Instance>> = HashMap::new();
    for instance in fleet {
        grouped
            .entry(instance.schedule.clone())
            .or_default()
            .push(instance);
    }
    grouped
}

/// A target's pair that could not be reached: each due schedule's room is
/// told once (the state write marking it is conditional), nothing is acted
/// on. A transient failure is retried by the queue; a permanent one (a
/// role that cannot be assumed) is not, since the next tick tries anyway.
async fn unreachable(
    app: &App,
    pair: &Pair,
    due: Vec<(&Schedule, TimelineData)>,
    error: FleetError,
    at: DateTime<Utc>,
) -> Result<(), ExecError> {
    let key = pair.key();
    tracing::error!(pair = %key, %error, "pair unreachable");
    let store = &app.services.timeline;
    let place = pair.place();
    let mut outbox = Vec::new();
    for (schedule, data) in due {
        if data.state.state.unreachable.is_some() {
            continue;
        }
        let mut state = data.state.state.clone();
        state.unreachable = Some(at);
        match store
            .save_state(&schedule.name, &key, data.state.version, &state)
            .await
        {
            Ok(true) => outbox.push((
                schedule,
                Notice::Unreachable {
                    place: place.clone(),
                    error: error.source.to_string(),
                },
            )),
            Ok(false) => {} // another worker marked it, and says so
            Err(store_error) => {
                tracing::error!(schedule = %schedule.name, %store_error, "unreachable pair not recorded");
            }
        }
    }
    post_notices(app, outbox).await;
    match error.class() {
        Class::Transient => Err(error.into()),
        Class::Permanent => Ok(()),
    }
}
