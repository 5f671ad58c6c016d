//! Ticks (SPEC §6): reconcile every enabled schedule at the tick's instant.
//!
//! The reads are a few Query pages (every definition, then the whole
//! `TIMELINE` partition); the timelines are evaluated in memory; only when
//! some schedule has something due (an event, a rollout, a warning, a
//! verification, `enforce`) is the fleet described — once, for all of them.
//! Each due schedule's decision is claimed with its own conditional state
//! write, then all the decisions are carried out together in batched calls.
//! One schedule's failure is logged and notified, and never holds up another.

use crate::fleet::{FleetError, Instance};
use crate::reconciler::{act, claim, reconcile_alone};
use crate::runner::Worker;
use crate::services::ExecError;
use chrono::{DateTime, Utc};
use curfew_shared::jandi::DEFAULT_KEYWORD;
use curfew_shared::reconcile::{is_due, Decision, Outlook};
use curfew_shared::reply::InstanceState;
use curfew_shared::reply::{render, Context, Notice, NoticeView, Reply};
use curfew_shared::schedule::model::find_by_name;
use curfew_shared::schedule::{Schedule, ScheduleDef, Timeline};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// How many schedules' state writes (and notices) are in flight at once.
const CONCURRENCY: usize = 16;

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
    let mut timelines = services.timeline.load_all().await?;
    let due: Vec<&Schedule> = schedules
        .iter()
        .filter(|s| s.enabled)
        .filter(|s| {
            let data = timelines.get(&s.name).cloned().unwrap_or_default();
            let timeline = Timeline::new(s, &data.exceptions, &data.overrides);
            is_due(s, &Outlook::of(&timeline, at), &data.state.state, at)
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let fleet = services.fleet.describe().await?;
    let work: Vec<_> = due
        .into_iter()
        .map(|schedule| {
            let data = timelines.remove(&schedule.name).unwrap_or_default();
            (schedule, data, of_schedule(&fleet, schedule))
        })
        .collect();
    // Each schedule's decision is its own conditional write: they need not
    // wait for each other.
    let claimed: Vec<(&Schedule, Decision)> = stream::iter(work)
        .map(|(schedule, data, mine)| async move {
            match claim(&services.timeline, &services.fleet, schedule, data, mine, at).await {
                Ok(decision) => Some((schedule, decision)),
                Err(error) => {
                    tracing::error!(schedule = %schedule.name, %error, "reconcile failed; the next tick tries again");
                    None
                }
            }
        })
        .buffer_unordered(CONCURRENCY)
        .filter_map(std::future::ready)
        .collect()
        .await;
    let decisions: Vec<&Decision> = claimed.iter().map(|(_, d)| d).collect();
    let failures = act(&services.fleet, &decisions).await;
    stream::iter(&claimed)
        .for_each_concurrent(CONCURRENCY, |(schedule, decision)| {
            let mine = of_schedule(&fleet, schedule);
            let failures = &failures;
            async move {
                for notice in notices(decision, &mine, failures) {
                    notify(worker, schedule, notice).await;
                }
            }
        })
        .await;
    Ok(())
}

/// Reconciles one schedule at `at` (a reconcile job).
pub async fn reconcile_one(
    worker: &Worker,
    name: &str,
    at: DateTime<Utc>,
) -> Result<(), ExecError> {
    let services = &worker.services;
    let schedules = valid(worker, services.schedules.list().await?);
    let Some(schedule) = find_by_name(&schedules, name, |s| s.name.as_str()) else {
        tracing::warn!(schedule = name, "reconcile of an unknown schedule dropped");
        return Ok(());
    };
    let done = reconcile_alone(services, schedule, at).await?;
    for notice in notices(&done.decision, &done.instances, &done.failures) {
        notify(worker, schedule, notice).await;
    }
    Ok(())
}

fn of_schedule(fleet: &[Instance], schedule: &Schedule) -> Vec<Instance> {
    fleet
        .iter()
        .filter(|i| i.schedule == schedule.tag)
        .cloned()
        .collect()
}

/// What the room hears about one reconcile.
fn notices(
    decision: &Decision,
    instances: &[Instance],
    failures: &HashMap<String, FleetError>,
) -> Vec<Notice> {
    let mut notices = Vec::new();
    if let Some(stop) = decision.warn {
        let running = instances
            .iter()
            .filter(|i| i.state == InstanceState::Running)
            .map(Instance::placed)
            .collect();
        notices.push(Notice::StopWarning { stop, running });
    }
    let acted: Vec<_> = decision
        .act
        .iter()
        .filter(|i| !failures.contains_key(&i.id))
        .map(Instance::placed)
        .collect();
    if let Some(action) = decision.action {
        if !acted.is_empty() || (decision.applied_now.is_some() && !decision.waiting.is_empty()) {
            notices.push(Notice::Acted {
                action,
                event: decision.applied_now,
                enforced: decision.enforced,
                acted,
                waiting: decision.waiting.clone(),
            });
        }
        if !decision.timed_out.is_empty() {
            notices.push(Notice::TimedOut {
                action,
                groups: decision.timed_out.clone(),
            });
        }
    }
    let mut what: Vec<String> = decision
        .act
        .iter()
        .filter_map(|i| failures.get(&i.id))
        .map(ToString::to_string)
        .collect();
    what.dedup();
    if !what.is_empty() {
        notices.push(Notice::Failed { what });
    }
    if !decision.not_up.is_empty() {
        notices.push(Notice::NotUp {
            instances: decision.not_up.iter().map(Instance::placed).collect(),
        });
    }
    notices
}

/// Posts a notice to the schedule's `notify_room` webhook, else the default.
/// Best effort: a notice that cannot be posted is logged, and the tick goes on.
async fn notify(worker: &Worker, schedule: &Schedule, notice: Notice) {
    let Some(url) = worker
        .config
        .routes
        .for_room(schedule.notify_room.as_deref())
    else {
        tracing::warn!(schedule = %schedule.name, "no webhook for notifications; notice dropped");
        return;
    };
    let reply = Reply::Notice(NoticeView {
        schedule: schedule.name.clone(),
        timezone: schedule.timezone,
        notice,
    });
    let message = render(&reply, &Context::new(worker.config.lang, DEFAULT_KEYWORD));
    if let Err(error) = worker.notifier.post(url, &message).await {
        tracing::error!(schedule = %schedule.name, %error, "notice not delivered");
    }
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
