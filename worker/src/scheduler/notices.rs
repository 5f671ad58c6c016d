//! What the room hears about one reconcile (SPEC §6, notifications), and
//! how it is posted ([`post_notices`]): a
//! warning before a stop, what was started or stopped (and hibernated),
//! groups that timed out, calls that failed, DBs stopped again after AWS's
//! own start, resources in a group of another kind, starts that did not
//! come up, resources caught mid-way that never came to rest.

use crate::app::App;
use crate::limits::TICK_CONCURRENCY;
use curfew_shared::jandi::DEFAULT_KEYWORD;
use curfew_shared::ports::{Destination, FleetError};
use curfew_shared::reconcile::Decision;
use curfew_shared::reply::{
    digest, render, Card, Caught, Context, Misfiled, Notice, NoticeView, Reply,
};
use curfew_shared::resource::{Instance, InstanceState};
use curfew_shared::schedule::Schedule;
use curfew_shared::Action;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

/// Every notice of `schedule`'s `decision`, in the order the room reads
/// them. `instances` are the schedule's as described; `failures` the calls
/// that failed, by id.
pub(super) fn notices(
    schedule: &Schedule,
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
    notices.extend(acted(decision, failures));
    notices.extend(failed(decision, failures));
    let restopped: Vec<_> = decision
        .restopped
        .iter()
        .filter(|i| !failures.contains_key(&i.id))
        .map(Instance::placed)
        .collect();
    if !restopped.is_empty() {
        notices.push(Notice::Restopped {
            instances: restopped,
        });
    }
    notices.extend(misfiled(decision));
    // Given up on by the rollout of `action`, which is there whenever
    // something is.
    if let Some(action) = decision.action.filter(|_| !decision.not_at_rest.is_empty()) {
        notices.push(Notice::NotAtRest {
            action,
            minutes: schedule.start_timeout_minutes,
            resources: decision.not_at_rest.iter().map(caught).collect(),
        });
    }
    if !decision.not_up.is_empty() {
        notices.push(Notice::NotUp {
            instances: decision.not_up.iter().map(Instance::placed).collect(),
        });
    }
    notices
}

/// The start or stop that acted (or groups that wait on a new event), and
/// groups that timed out.
fn acted(decision: &Decision, failures: &HashMap<String, FleetError>) -> Vec<Notice> {
    let Some(action) = decision.action else {
        return Vec::new();
    };
    let mut notices = Vec::new();
    let done: Vec<&Instance> = decision
        .act
        .iter()
        .filter(|i| !failures.contains_key(&i.id))
        .collect();
    if !done.is_empty() || (decision.applied_now.is_some() && !decision.waiting.is_empty()) {
        let hibernated = done
            .iter()
            .filter(|i| action == Action::Stop && decision.hibernate && i.hibernates)
            .map(|i| i.placed())
            .collect();
        notices.push(Notice::Acted {
            action,
            event: decision.applied_now,
            enforced: decision.enforced,
            acted: done.iter().map(|i| i.placed()).collect(),
            hibernated,
            waiting: decision.waiting.clone(),
            caught: decision.caught.iter().map(caught).collect(),
        });
    }
    if !decision.timed_out.is_empty() {
        notices.push(Notice::TimedOut {
            action,
            groups: decision.timed_out.clone(),
        });
    }
    notices
}

/// A resource caught mid-way, as a notice shows it.
fn caught(instance: &Instance) -> Caught {
    Caught {
        placed: instance.placed(),
        kind: instance.kind,
        state: instance.state.clone(),
    }
}

/// The calls that failed (operation and ids: safe to show), each once.
fn failed(decision: &Decision, failures: &HashMap<String, FleetError>) -> Option<Notice> {
    let mut what: Vec<String> = decision
        .act
        .iter()
        .chain(&decision.restopped)
        .filter_map(|i| failures.get(&i.id))
        .map(ToString::to_string)
        .collect();
    what.dedup();
    (!what.is_empty()).then_some(Notice::Failed { what })
}

/// Resources tagged into a group of another kind, left alone.
fn misfiled(decision: &Decision) -> Option<Notice> {
    let resources: Vec<Misfiled> = decision
        .misfiled
        .iter()
        .filter_map(|(i, group_kind)| {
            Some(Misfiled {
                placed: i.placed(),
                kind: i.kind,
                group: i.group.clone()?,
                group_kind: *group_kind,
            })
        })
        .collect();
    (!resources.is_empty()).then_some(Notice::Misfiled { resources })
}

/// Posts each notice to its schedule's `notify_room` webhook, else the
/// default. The notices bound for one webhook are folded into digests past a
/// few ([`digest`]), so a tick over hundreds of schedules stays inside
/// JANDI's 60 posts a minute; different webhooks are posted to side by side.
/// Best effort: a notice that cannot be posted is logged, and the tick goes on.
pub(super) async fn post_notices(app: &App, outbox: Vec<(&Schedule, Notice)>) {
    let lang = app.config.lang;
    let ctx = Context::new(lang, DEFAULT_KEYWORD);
    let mut by_webhook: HashMap<&str, Vec<Card>> = HashMap::new();
    for (schedule, notice) in outbox {
        let Some(url) = app.config.routes.for_room(schedule.notify_room.as_deref()) else {
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
            for card in digest(notices, lang) {
                if let Err(error) = app.notifier.post(Destination::Jandi(url), &card).await {
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
