//! Ticks (SPEC §6): reconcile every enabled schedule at the tick's instant.
//!
//! The reads are a few Query pages (every definition and target, then the
//! whole `TIMELINE` partition); each (target, region) pair is then
//! reconciled on its own (`pair.rs`): here when there is one, else in one
//! pair job each, fanned out over the queue.

use crate::app::App;
use crate::app::ExecError;
use crate::limits::TICK_CONCURRENCY;
use crate::scheduler::act::reconcile_now;
use crate::scheduler::notices::notices;
use crate::scheduler::pair::{due, reconcile_pair};
use chrono::{DateTime, Utc};
use curfew_shared::jandi::{Message, DEFAULT_KEYWORD};
use curfew_shared::job::{Job, PairJob};
use curfew_shared::ports::Enqueue;
use curfew_shared::reply::{digest, render, Context, Notice, NoticeView, Reply};
use curfew_shared::schedule::model::find_by_name;
use curfew_shared::schedule::{Schedule, ScheduleDef};
use curfew_shared::target::{pairs, Pair};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// Reconciles every enabled schedule at `at` (the tick's `time`): inline
/// when there is one (target, region) pair, else one pair job on the queue
/// for each pair with something due (SPEC §5 Targets), so pairs run on
/// separate workers and a failing one holds up no other. Without a queue
/// to send them to (a unit test, `curfew worker` without
/// `CURFEW_QUEUE_URL`), the pairs run here, side by side.
pub async fn run(worker: &App, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ExecError> {
    if stale(worker, at, now) {
        return Ok(());
    }
    let services = &worker.services;
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let schedules = valid(worker, stored.schedule);
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
            .map(|pair| reconcile_pair(worker, &schedules, pair, &timelines, at)),
    )
    .await;
    done.into_iter().collect()
}

/// A pair's share of a tick (a pair job): the pair as stored now (a target
/// removed since the tick fanned out is dropped), reconciled.
pub async fn pair_job(worker: &App, job: &PairJob, now: DateTime<Utc>) -> Result<(), ExecError> {
    if stale(worker, job.at, now) {
        return Ok(());
    }
    let services = &worker.services;
    let stored = services.schedules.load().await?;
    let pair = pairs(&stored.target, services.fleets.home_region())
        .into_iter()
        .find(|p| p.target == job.target && p.region == job.region);
    let Some(pair) = pair else {
        tracing::warn!(target = %job.target, region = %job.region, "pair job of a target no longer stored; dropped");
        return Ok(());
    };
    let schedules = valid(worker, stored.schedule);
    let timelines = services.timeline.load_all().await?;
    reconcile_pair(worker, &schedules, &pair, &timelines, job.at).await
}

/// One pair job per pair, side by side; a send that fails fails the tick,
/// whose redelivery sends again (the jobs already sent are deduplicated by
/// their keys).
async fn fan_out(queue: &dyn Enqueue, pairs: &[Pair], at: DateTime<Utc>) -> Result<(), ExecError> {
    let sends = pairs.iter().map(|pair| async move {
        let job = Job::Pair(PairJob {
            target: pair.target.clone(),
            region: pair.region.clone(),
            at,
        });
        queue.enqueue(&job).await
    });
    for sent in futures::future::join_all(sends).await {
        sent?;
    }
    Ok(())
}

/// A tick older than `CURFEW_TICK_MAX_AGE` is dropped: acting on it now
/// would start or stop at the wrong time.
fn stale(worker: &App, at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let stale = worker
        .config
        .tick_max_age
        .is_some_and(|max_age| now - at > max_age);
    if stale {
        tracing::warn!(%at, "stale tick dropped");
    }
    stale
}

/// Reconciles one schedule at `at` in every pair (a reconcile job).
pub async fn reconcile_job(worker: &App, name: &str, at: DateTime<Utc>) -> Result<(), ExecError> {
    let services = &worker.services;
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let schedules = valid(worker, stored.schedule);
    let Some(schedule) = find_by_name(&schedules, name, |s| s.name.as_str()) else {
        tracing::warn!(schedule = name, "reconcile of an unknown schedule dropped");
        return Ok(());
    };
    let (_, outcomes) = reconcile_now(services, schedule, &pairs, at).await?;
    let outbox = outcomes
        .done
        .iter()
        .flat_map(|done| notices(schedule, &done.decision, &done.instances, &done.failures))
        .map(|notice| (schedule, notice))
        .collect();
    post_notices(worker, outbox).await;
    outcomes.retry()
}

/// Posts each notice to its schedule's `notify_room` webhook, else the
/// default. The notices bound for one webhook are folded into digests past a
/// few ([`digest`]), so a tick over hundreds of schedules stays inside
/// JANDI's 60 posts a minute; different webhooks are posted to side by side.
/// Best effort: a notice that cannot be posted is logged, and the tick goes on.
pub(super) async fn post_notices(worker: &App, outbox: Vec<(&Schedule, Notice)>) {
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
