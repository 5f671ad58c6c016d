//! What the room hears about one reconcile (SPEC §6, notifications), and
//! how it is posted ([`post_notices`]): a
//! warning before a stop, what was started or stopped (and hibernated),
//! groups that timed out, calls that failed, DBs stopped again after AWS's
//! own start, resources in a group of another kind, starts that did not
//! come up, resources caught mid-way that never came to rest.

use crate::app::App;
use crate::config::WorkerConfig;
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

/// Posts each notice where its schedule says ([`destinations`]). The
/// notices bound for one webhook are folded into digests past a few
/// ([`digest`]), so a tick over hundreds of schedules stays inside JANDI's
/// 60 posts a minute and Slack's one a second; different webhooks are
/// posted to side by side. Best effort: a notice that cannot be posted is
/// logged, and the tick goes on.
pub(super) async fn post_notices(app: &App, outbox: Vec<(&Schedule, Notice)>) {
    let lang = app.config.lang;
    let ctx = Context::new(lang, DEFAULT_KEYWORD);
    let mut by_webhook: HashMap<Destination<'_>, Vec<Card>> = HashMap::new();
    for (schedule, notice) in outbox {
        let to = destinations(&app.config, schedule);
        if to.is_empty() {
            tracing::warn!(schedule = %schedule.name, "no webhook for notifications; notice dropped");
            continue;
        }
        let reply = Reply::Notice(NoticeView {
            schedule: schedule.name.clone(),
            timezone: schedule.timezone,
            notice,
        });
        let card = render(&reply, &ctx);
        for destination in to {
            by_webhook
                .entry(destination)
                .or_default()
                .push(card.clone());
        }
    }
    stream::iter(by_webhook)
        .for_each_concurrent(TICK_CONCURRENCY, |(to, notices)| async move {
            let count = notices.len();
            for card in digest(notices, lang) {
                if let Err(error) = app.notifier.post(to, &card).await {
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

/// Where a schedule's notices go (SPEC §4.2): with `notify_room` only, its
/// JANDI room; with `notify_channel` only, its Slack channel; with both,
/// both; with neither, every configured front's default. A room or
/// channel without a webhook of its own uses its front's default.
pub(crate) fn destinations<'a>(
    config: &'a WorkerConfig,
    schedule: &Schedule,
) -> Vec<Destination<'a>> {
    let jandi = config
        .routes
        .for_room(schedule.notify_room.as_deref())
        .map(Destination::Jandi);
    let slack = config
        .slack_routes
        .for_channel(schedule.notify_channel.as_deref())
        .map(Destination::SlackWebhook);
    match (&schedule.notify_room, &schedule.notify_channel) {
        (Some(_), None) => jandi.into_iter().collect(),
        (None, Some(_)) => slack.into_iter().collect(),
        _ => jandi.into_iter().chain(slack).collect(),
    }
}

/// Where notices go, by `notify_room` / `notify_channel` (SPEC §4.2).
#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::schedule::parse_schedules;

    const JANDI: &str = "https://wh.jandi.com/connect-api/webhook/1/default";
    const JANDI_OPS: &str = "https://wh.jandi.com/connect-api/webhook/1/ops";
    const SLACK: &str = "https://hooks.slack.com/services/default";
    const SLACK_DEV: &str = "https://hooks.slack.com/services/dev";

    fn config(slack: bool) -> WorkerConfig {
        WorkerConfig::from_lookup(|name| match name {
            "CURFEW_JANDI_WEBHOOK_URL" => Some(JANDI.to_owned()),
            "CURFEW_JANDI_ROOM_WEBHOOKS" => Some(format!(r#"{{"dev-ops": "{JANDI_OPS}"}}"#)),
            "CURFEW_SLACK_WEBHOOK_URL" if slack => Some(SLACK.to_owned()),
            "CURFEW_SLACK_ROOM_WEBHOOKS" if slack => Some(format!(r#"{{"dev": "{SLACK_DEV}"}}"#)),
            _ => None,
        })
        .unwrap()
    }

    fn urls(config: &WorkerConfig, lines: &str) -> Vec<String> {
        let text = format!(
            "[[schedule]]\nname = \"dev\"\n{lines}\n[[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n"
        );
        let schedules = parse_schedules(&text, chrono_tz::Asia::Seoul).unwrap();
        destinations(config, &schedules[0])
            .iter()
            .map(|d| match d {
                Destination::Jandi(url) => format!("jandi {url}"),
                Destination::SlackWebhook(url) => format!("slack {url}"),
                Destination::SlackResponse { .. } => "response_url".to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_room_a_channel_both_or_neither() {
        let both_fronts = config(true);
        assert_eq!(
            urls(&both_fronts, "notify_room = \"dev-ops\""),
            [format!("jandi {JANDI_OPS}")]
        );
        assert_eq!(
            urls(&both_fronts, "notify_channel = \"#Dev\""),
            [format!("slack {SLACK_DEV}")]
        );
        assert_eq!(
            urls(
                &both_fronts,
                "notify_room = \"dev-ops\"\nnotify_channel = \"#dev\""
            ),
            [format!("jandi {JANDI_OPS}"), format!("slack {SLACK_DEV}")]
        );
        assert_eq!(
            urls(&both_fronts, ""),
            [format!("jandi {JANDI}"), format!("slack {SLACK}")],
            "neither: every front's default"
        );
        assert_eq!(
            urls(&both_fronts, "notify_channel = \"#other\""),
            [format!("slack {SLACK}")],
            "a channel without its own webhook: Slack's default"
        );
    }

    #[test]
    fn without_slack_configured_a_channel_has_nowhere_to_go() {
        let jandi_only = config(false);
        assert_eq!(urls(&jandi_only, ""), [format!("jandi {JANDI}")]);
        assert!(urls(&jandi_only, "notify_channel = \"#dev\"").is_empty());
    }
}
