//! Ticks (SPEC §6): reconcile every enabled schedule at the tick's instant.
//!
//! The reads are a few Query pages (every definition, then the whole
//! `TIMELINE` partition); the timelines are evaluated in memory; only when
//! some schedule has something due (an event, a rollout, a warning, a
//! verification, `enforce`) is the fleet described — once, for all of them.
//! Each due schedule's decision is saved with its own conditional state
//! write, then all the decisions are carried out together in batched calls.
//! One schedule's failure is logged and notified, and never holds up another.

use crate::app::App;
use crate::app::ExecError;
use crate::limits::TICK_CONCURRENCY;
use crate::scheduler::act::{act, decide_and_save, reconcile_now};
use crate::scheduler::notices::notices;
use chrono::{DateTime, Utc};
use curfew_shared::jandi::{Message, DEFAULT_KEYWORD};
use curfew_shared::ports::TimelineData;
use curfew_shared::reconcile::{is_due, Decision, Instance, Outlook};
use curfew_shared::reply::{digest, render, Context, Notice, NoticeView, Reply};
use curfew_shared::schedule::model::find_by_name;
use curfew_shared::schedule::{Schedule, ScheduleDef, Timeline};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// Reconciles every enabled schedule at `at` (the tick's `time`).
pub async fn run(worker: &App, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ExecError> {
    if let Some(max_age) = worker.config.tick_max_age {
        if now - at > max_age {
            tracing::warn!(%at, "stale tick dropped");
            return Ok(());
        }
    }
    let services = &worker.services;
    let schedules = valid(worker, services.schedules.list().await?);
    let mut timelines = services.timeline.load_all().await?;
    let due = due(&schedules, &timelines, at);
    if due.is_empty() {
        return Ok(());
    }
    let mut fleet = by_tag(services.fleet.describe().await?);
    let work: Vec<_> = due
        .into_iter()
        .map(|schedule| {
            let data = timelines.remove(&schedule.name).unwrap_or_default();
            let mine = fleet.remove(schedule.tag.as_str()).unwrap_or_default();
            (schedule, data, mine)
        })
        .collect();
    let saved = decide_all(worker, work, at).await;
    let decisions: Vec<&Decision> = saved.iter().map(|(_, _, d)| d).collect();
    let failures = act(services.fleet.as_ref(), &decisions).await;
    let mut outbox: Vec<(&Schedule, Notice)> = saved
        .iter()
        .flat_map(|(schedule, mine, decision)| {
            notices(decision, mine, &failures)
                .into_iter()
                .map(move |notice| (*schedule, notice))
        })
        .collect();
    // The saves finished in any order; a room reads its notices by name.
    outbox.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    post_notices(worker, outbox).await;
    Ok(())
}

/// The enabled schedules with something to do at `at` (in memory: no AWS).
fn due<'s>(
    schedules: &'s [Schedule],
    timelines: &HashMap<String, TimelineData>,
    at: DateTime<Utc>,
) -> Vec<&'s Schedule> {
    let empty = TimelineData::default();
    schedules
        .iter()
        .filter(|s| s.enabled)
        .filter(|s| {
            let data = timelines.get(&s.name).unwrap_or(&empty);
            let timeline = Timeline::new(s, &data.exceptions, &data.overrides);
            is_due(s, &Outlook::of(&timeline, at), &data.state.state, at)
        })
        .collect()
}

/// Decides and saves each due schedule, side by side: each decision is its
/// own conditional write. A schedule whose save fails is logged and left
/// for the next tick; the others go on.
async fn decide_all<'s>(
    worker: &App,
    work: Vec<(&'s Schedule, TimelineData, Vec<Instance>)>,
    at: DateTime<Utc>,
) -> Vec<(&'s Schedule, Vec<Instance>, Decision)> {
    let services = &worker.services;
    stream::iter(work)
        .map(|(schedule, data, mine)| async move {
            let decided = decide_and_save(
                services.timeline.as_ref(),
                services.fleet.as_ref(),
                schedule,
                data,
                mine.clone(),
                at,
            )
            .await;
            match decided {
                Ok(decision) => Some((schedule, mine, decision)),
                Err(error) => {
                    tracing::error!(schedule = %schedule.name, %error, "reconcile failed; the next tick tries again");
                    None
                }
            }
        })
        .buffer_unordered(TICK_CONCURRENCY)
        .filter_map(std::future::ready)
        .collect()
        .await
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

/// Reconciles one schedule at `at` (a reconcile job).
pub async fn reconcile_job(worker: &App, name: &str, at: DateTime<Utc>) -> Result<(), ExecError> {
    let services = &worker.services;
    let schedules = valid(worker, services.schedules.list().await?);
    let Some(schedule) = find_by_name(&schedules, name, |s| s.name.as_str()) else {
        tracing::warn!(schedule = name, "reconcile of an unknown schedule dropped");
        return Ok(());
    };
    let done = reconcile_now(services, schedule, at).await?;
    let outbox = notices(&done.decision, &done.instances, &done.failures)
        .into_iter()
        .map(|notice| (schedule, notice))
        .collect();
    post_notices(worker, outbox).await;
    Ok(())
}

/// Posts each notice to its schedule's `notify_room` webhook, else the
/// default. The notices bound for one webhook are folded into digests past a
/// few ([`digest`]), so a tick over hundreds of schedules stays inside
/// JANDI's 60 posts a minute; different webhooks are posted to side by side.
/// Best effort: a notice that cannot be posted is logged, and the tick goes on.
async fn post_notices(worker: &App, outbox: Vec<(&Schedule, Notice)>) {
    let lang = worker.config.lang;
    let ctx = Context::new(lang, DEFAULT_KEYWORD);
    let mut by_webhook: HashMap<&str, Vec<Message>> = HashMap::new();
    for (schedule, notice) in outbox {
        let Some(url) = worker
            .config
            .routes
            .for_room(schedule.notify_room.as_deref())
        else {
            tracing::warn!(schedule = %schedule.name, "no webhook for notifications; notice dropped");
            continue;
        };
        let reply = Reply::Notice(NoticeView {
            schedule: schedule.name.clone(),
            timezone: schedule.timezone,
            notice,
        });
        by_webhook
            .entry(url)
            .or_default()
            .push(render(&reply, &ctx));
    }
    stream::iter(by_webhook)
        .for_each_concurrent(TICK_CONCURRENCY, |(url, notices)| async move {
            let count = notices.len();
            for message in digest(notices, lang) {
                if let Err(error) = worker.notifier.post(url, &message).await {
                    tracing::error!(notices = count, %error, "notice not delivered");
                    if error.is_transient() {
                        // That webhook is down: its other digests would each
                        // spend a post's whole budget and time the tick out.
                        tracing::error!("the rest of this webhook's notices are dropped this tick");
                        break;
                    }
                }
            }
        })
        .await;
}

fn valid(worker: &App, defs: Vec<ScheduleDef>) -> Vec<Schedule> {
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
