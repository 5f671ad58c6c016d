//! One reconcile of one schedule (SPEC §6), with its I/O: the pure
//! [`decide`] on the loaded state and the described instances, then the
//! start / stop calls, then the conditional state write. Used by the tick
//! and by `force_start` / `force_stop`, which are events like any other.

use crate::fleet::{Fleet, FleetError, Instance};
use crate::services::ExecError;
use crate::store::{TimelineData, TimelineStore};
use chrono::{DateTime, Utc};
use curfew_shared::reconcile::{decide, Decision};
use curfew_shared::schedule::{GroupKind, Schedule, Timeline};

/// What a reconcile did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub decision: Decision,
    /// Calls that failed; their instances were not started (or stopped).
    pub failures: Vec<FleetError>,
}

/// Reconciles `schedule` at `now` from `data` (its exceptions, overrides and
/// state as read) and `instances` (its own, described just now). Returns
/// `None` when another worker wrote the state since it was read: the caller
/// reloads and tries again (the instances this call acted on are then
/// `starting`, so a second try does not act twice).
pub async fn reconcile(
    store: &TimelineStore,
    fleet: &Fleet,
    schedule: &Schedule,
    data: &TimelineData,
    instances: &[Instance],
    now: DateTime<Utc>,
) -> Result<Option<Outcome>, ExecError> {
    let timeline = Timeline::new(schedule, &data.exceptions, &data.overrides);
    let decision = decide(
        schedule,
        timeline.latest(now),
        &data.state.state,
        instances,
        now,
    );
    let failures = act(fleet, &decision).await;
    if decision.changes(&data.state.state)
        && !store
            .save_state(&schedule.name, data.state.version, &decision.state)
            .await?
    {
        return Ok(None);
    }
    Ok(Some(Outcome { decision, failures }))
}

/// Carries out a decision: EC2 in one batched call, RDS one call each.
async fn act(fleet: &Fleet, decision: &Decision) -> Vec<FleetError> {
    let Some(action) = decision.action else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    let ec2: Vec<String> = decision
        .act
        .iter()
        .filter(|i| i.kind == GroupKind::Ec2)
        .map(|i| i.id.clone())
        .collect();
    if let Err(error) = fleet.act_ec2(action, &ec2).await {
        failures.push(error);
    }
    for db in decision.act.iter().filter(|i| i.kind == GroupKind::Rds) {
        if let Err(error) = fleet.act_rds(action, &db.id).await {
            failures.push(error);
        }
    }
    failures
}
