//! Ticks (SPEC §6): reconcile every enabled schedule at the tick's instant.
//!
//! The reads are a few Query pages (every definition, then the whole
//! `TIMELINE` partition); the timelines are evaluated in memory; only when
//! some schedule has something due is the fleet described, once. One
//! schedule's failure is logged and left for the next tick: it never holds
//! up another schedule.
//!
//! Built with the pipeline so that grouped starts move on; the scheduler
//! issue adds warnings, notifications, verification and `enforce`.

use crate::reconciler::reconcile;
use crate::runner::Worker;
use crate::services::ExecError;
use chrono::{DateTime, Utc};
use curfew_shared::reconcile::is_due;
use curfew_shared::schedule::model::find_by_name;
use curfew_shared::schedule::{Schedule, ScheduleDef, Timeline};

/// How often one schedule's reconcile re-reads after losing a race.
const ATTEMPTS: usize = 3;

/// Reconciles every enabled schedule at `at` (the tick's `time`).
pub async fn run(worker: &Worker, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ExecError> {
    if let Some(max_age) = worker.config.tick_max_age {
        if now - at > max_age {
            tracing::warn!(%at, "stale tick dropped");
            return Ok(());
        }
    }
    let services = &worker.services;
    let schedules = valid(worker, services.schedules.list().await?);
    let timelines = services.timeline.load_all().await?;
    let due: Vec<&Schedule> = schedules
        .iter()
        .filter(|s| s.enabled)
        .filter(|s| {
            let data = timelines.get(&s.name).cloned().unwrap_or_default();
            let latest = Timeline::new(s, &data.exceptions, &data.overrides).latest(at);
            is_due(latest, &data.state.state)
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let fleet = services.fleet.describe().await?;
    for schedule in due {
        let data = timelines.get(&schedule.name).cloned().unwrap_or_default();
        let mine: Vec<_> = fleet
            .iter()
            .filter(|i| i.schedule == schedule.tag)
            .cloned()
            .collect();
        let result = match reconcile(
            &services.timeline,
            &services.fleet,
            schedule,
            &data,
            &mine,
            at,
        )
        .await
        {
            Ok(Some(outcome)) => Ok(outcome),
            Ok(None) => retry(worker, schedule, at).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(outcome) => log(schedule, &outcome),
            Err(error) => {
                tracing::error!(schedule = %schedule.name, %error, "reconcile failed; the next tick tries again")
            }
        }
    }
    Ok(())
}

/// Reconciles one schedule at `at` (a reconcile job).
pub async fn reconcile_one(
    worker: &Worker,
    name: &str,
    at: DateTime<Utc>,
) -> Result<(), ExecError> {
    let schedules = valid(worker, worker.services.schedules.list().await?);
    let Some(schedule) = find_by_name(&schedules, name, |s| s.name.as_str()) else {
        tracing::warn!(schedule = name, "reconcile of an unknown schedule dropped");
        return Ok(());
    };
    let outcome = retry(worker, schedule, at).await?;
    log(schedule, &outcome);
    Ok(())
}

/// Reads the schedule's state and instances afresh and reconciles, until a
/// state write goes through.
async fn retry(
    worker: &Worker,
    schedule: &Schedule,
    at: DateTime<Utc>,
) -> Result<crate::reconciler::Outcome, ExecError> {
    let services = &worker.services;
    for _ in 0..ATTEMPTS {
        let data = services.timeline.load(&schedule.name).await?;
        let instances = services.fleet.describe_schedule(&schedule.tag).await?;
        if let Some(outcome) = reconcile(
            &services.timeline,
            &services.fleet,
            schedule,
            &data,
            &instances,
            at,
        )
        .await?
        {
            return Ok(outcome);
        }
    }
    Err(ExecError::Contention(schedule.name.clone()))
}

fn valid(worker: &Worker, defs: Vec<ScheduleDef>) -> Vec<Schedule> {
    defs.into_iter()
        .filter_map(|def| match def.validate(worker.config.default_tz) {
            Ok(schedule) => Some(schedule),
            Err(_) => {
                tracing::error!(schedule = %def.name, "stored schedule is invalid; skipped");
                None
            }
        })
        .collect()
}

fn log(schedule: &Schedule, outcome: &crate::reconciler::Outcome) {
    let decision = &outcome.decision;
    if decision.act.is_empty() && decision.applied_now.is_none() && decision.timed_out.is_empty() {
        return;
    }
    tracing::info!(
        schedule = %schedule.name,
        action = ?decision.action,
        acted = ?decision.act.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        waiting = ?decision.waiting,
        timed_out = ?decision.timed_out,
        failures = outcome.failures.len(),
        "reconciled"
    );
    for failure in &outcome.failures {
        tracing::error!(schedule = %schedule.name, error = %failure, "action failed");
    }
}
