//! Ticks (SPEC §6): reconcile every enabled schedule at the tick's instant.
//!
//! The reads are a few Query pages (every definition and target, then the
//! whole `TIMELINE` partition); each (target, region) pair is then
//! reconciled on its own (`pair.rs`): here when there is one, else in one
//! pair job each, fanned out over the queue.

use crate::app::App;
use crate::app::ExecError;
use crate::scheduler::notices::post_notices;
use crate::scheduler::pair::{due, reconcile_pair};
use crate::scheduler::reconcile::reconcile_now;
use chrono::{DateTime, Utc};
use curfew_shared::job::{Job, PairJob};
use curfew_shared::ports::JobQueue;
use curfew_shared::schedule::{model::find_by_name, Schedule, ScheduleDef};
use curfew_shared::target::{pairs, Pair};

/// Reconciles every enabled schedule at `at` (the tick's `time`): inline
/// when there is one (target, region) pair, else one pair job on the queue
/// for each pair with something due (SPEC §5 Targets), so pairs run on
/// separate workers and a failing one holds up no other. Without a queue
/// to send them to (a unit test, `curfew worker` without
/// `CURFEW_QUEUE_URL`), the pairs run here, side by side.
///
/// `at` is the evaluation instant everywhere below (the scheduler names it
/// `at` throughout); `now` is only the wall clock that tells a stale tick.
pub async fn run(app: &App, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ExecError> {
    if stale(app, at, now) {
        return Ok(());
    }
    let services = &app.services;
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let schedules = valid(app, stored.schedule);
    let timelines = services.timeline.load_all().await?;
    if pairs.len() > 1 {
        if let Some(queue) = &services.queue {
            // Only pairs with something due get a job: an idle minute
            // costs no job, claim or Query per pair (docs/DEPLOY.md's cost
            // at 100 pairs). The pair job decides again from what it reads.
            let busy: Vec<Pair> = pairs
                .into_iter()
                .filter(|pair| !due(&schedules, &timelines, &pair.key(), at).is_empty())
                .collect();
            return fan_out(queue.as_ref(), &busy, at).await;
        }
    }
    let done = futures::future::join_all(
        pairs
            .iter()
            .map(|pair| reconcile_pair(app, &schedules, pair, &timelines, at)),
    )
    .await;
    done.into_iter().collect()
}

/// A pair's share of a tick (a pair job): the pair as stored now (a target
/// removed since the tick fanned out is dropped), reconciled.
pub async fn pair_job(app: &App, job: &PairJob, now: DateTime<Utc>) -> Result<(), ExecError> {
    if stale(app, job.at, now) {
        return Ok(());
    }
    let services = &app.services;
    let stored = services.schedules.load().await?;
    let pair = pairs(&stored.target, services.fleets.home_region())
        .into_iter()
        .find(|p| p.target == job.target && p.region == job.region);
    let Some(pair) = pair else {
        tracing::warn!(target = %job.target, region = %job.region, "pair job of a target no longer stored; dropped");
        return Ok(());
    };
    let schedules = valid(app, stored.schedule);
    let timelines = services.timeline.load_all().await?;
    reconcile_pair(app, &schedules, &pair, &timelines, job.at).await
}

/// One pair job per pair, side by side; a send that fails fails the tick,
/// whose redelivery sends again (the jobs already sent are deduplicated by
/// their keys).
async fn fan_out(queue: &dyn JobQueue, pairs: &[Pair], at: DateTime<Utc>) -> Result<(), ExecError> {
    let sends = pairs.iter().map(|pair| async move {
        let job = Job::Pair(PairJob {
            target: pair.target.clone(),
            region: pair.region.clone(),
            at,
        });
        queue.send(&job).await
    });
    for sent in futures::future::join_all(sends).await {
        sent?;
    }
    Ok(())
}

/// A tick older than `CURFEW_TICK_MAX_AGE` is dropped: acting on it now
/// would start or stop at the wrong time.
fn stale(app: &App, at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let stale = app
        .config
        .tick_max_age
        .is_some_and(|max_age| now - at > max_age);
    if stale {
        tracing::warn!(%at, "stale tick dropped");
    }
    stale
}

/// Reconciles one schedule at `at` in every pair (a reconcile job).
pub async fn reconcile_job(app: &App, name: &str, at: DateTime<Utc>) -> Result<(), ExecError> {
    let services = &app.services;
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let schedules = valid(app, stored.schedule);
    let Some(schedule) = find_by_name(&schedules, name, |s| s.name.as_str()) else {
        tracing::warn!(schedule = name, "reconcile of an unknown schedule dropped");
        return Ok(());
    };
    let (_, mut outcomes) = reconcile_now(services, schedule, &pairs, at).await?;
    let outbox = outcomes
        .done
        .iter_mut()
        .flat_map(|reconciliation| std::mem::take(&mut reconciliation.notices))
        .collect();
    post_notices(app, outbox).await;
    outcomes.retry()
}

fn valid(app: &App, defs: Vec<ScheduleDef>) -> Vec<Schedule> {
    defs.into_iter()
        .filter_map(|def| match def.validate(app.config.default_tz) {
            Ok(schedule) => Some(schedule),
            Err(_) => {
                tracing::error!(schedule = %def.name, "stored schedule is invalid; skipped");
                None
            }
        })
        .collect()
}
