//! The commands that change things: `exception set|del`, `force_start`,
//! `force_stop`. Each is recorded in the audit log. Retrying one after a
//! crash writes the same items again (keys come from the job, not the
//! clock), so a redelivery never adds a second override or audit record.

use super::Asked;
use crate::app::ExecError;
use crate::limits::TAKEOVER_HORIZON;
use crate::scheduler::reconcile::{reconcile_now, Reconciled};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use curfew_shared::command::{Argument, CommandError, Usage};
use curfew_shared::reply::{
    AuditEntry, ErrorView, ExceptionChange, ExceptionChangeView, ExceptionWarning, ForceView,
    Reply, Takeover,
};
use curfew_shared::schedule::{DayPlan, Exception, Override, Source, Timeline};
use curfew_shared::value::{local_time::resolve, DateArg, ForceEnd, ValueError};
use curfew_shared::Action;

/// When the command was typed: JANDI's `createdAt` as the job carries it (so
/// a redelivery is the same instant), else `now`.
fn issued_at(asked: &Asked<'_>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&asked.job.created_at)
        .map(|t| t.to_utc())
        .unwrap_or(asked.now)
}

async fn audit(asked: &Asked<'_>) -> Result<(), ExecError> {
    let job = asked.job;
    let entry = AuditEntry {
        at: issued_at(asked),
        writer: job
            .writer_name
            .clone()
            .unwrap_or_else(|| job.writer.clone()),
        room: job.room.clone(),
        text: job.text.clone(),
        front: job.front,
    };
    asked
        .services
        .audit
        .record(&asked.schedule.name, &job.key, &entry)
        .await?;
    Ok(())
}

pub(super) async fn exception_set(
    asked: &Asked<'_>,
    date: DateArg,
    action: Action,
    time: Option<NaiveTime>,
) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let date = date.resolve(asked.now, schedule.timezone);
    let before = asked.services.timeline.load(&schedule.name).await?;
    let exception = Exception { date, action, time };
    let replaced = asked
        .services
        .timeline
        .set_exception(&schedule.name, exception, &asked.job.writer, asked.now)
        .await?;
    audit(asked).await?;
    let mut after = before.exceptions.clone();
    after.retain(|e| (e.date, e.action) != (date, action));
    after.push(exception);
    let warnings = warnings(
        asked,
        date,
        time,
        &before.exceptions,
        &after,
        &before.overrides,
    );
    Ok(Reply::ExceptionChanged(ExceptionChangeView {
        schedule: schedule.name.clone(),
        timezone: schedule.timezone,
        date,
        action,
        change: ExceptionChange::Set { time, replaced },
        warnings,
    }))
}

pub(super) async fn exception_del(
    asked: &Asked<'_>,
    date: DateArg,
    action: Action,
) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let date = date.resolve(asked.now, schedule.timezone);
    let before = asked.services.timeline.load(&schedule.name).await?;
    let was = asked
        .services
        .timeline
        .delete_exception(&schedule.name, date, action)
        .await?;
    let change = match was {
        Some(was) => {
            audit(asked).await?;
            ExceptionChange::Deleted { was }
        }
        None => ExceptionChange::NothingToDelete,
    };
    let mut after = before.exceptions.clone();
    after.retain(|e| (e.date, e.action) != (date, action));
    let warnings = match change {
        ExceptionChange::NothingToDelete => Vec::new(),
        _ => warnings(
            asked,
            date,
            None,
            &before.exceptions,
            &after,
            &before.overrides,
        ),
    };
    Ok(Reply::ExceptionChanged(ExceptionChangeView {
        schedule: schedule.name.clone(),
        timezone: schedule.timezone,
        date,
        action,
        change,
        warnings,
    }))
}

/// What the writer should know about a change: it is already past, or it
/// leaves the date with a start and no stop after it (where there was one).
fn warnings(
    asked: &Asked<'_>,
    date: NaiveDate,
    time: Option<NaiveTime>,
    before: &[Exception],
    after: &[Exception],
    overrides: &[Override],
) -> Vec<ExceptionWarning> {
    let schedule = asked.schedule;
    let tz = schedule.timezone;
    let mut warnings = Vec::new();
    let past = match time {
        Some(time) => resolve(tz, date, time) < asked.now,
        None => resolve(tz, date, NaiveTime::MIN) + Duration::days(1) <= asked.now,
    };
    if past {
        warnings.push(ExceptionWarning::InPast);
    }
    let plan = |exceptions: &[Exception]| {
        DayPlan::of(&Timeline::new(schedule, exceptions, overrides), date)
    };
    let (old, new) = (plan(before), plan(after));
    if dangling_start(&new) && !dangling_start(&old) {
        warnings.push(ExceptionWarning::StartWithoutStop {
            next_stop: new.next_stop.map(|e| e.at),
        });
    }
    warnings
}

/// Whether the day's last event is a start (no stop follows it that day).
fn dangling_start(plan: &DayPlan) -> bool {
    plan.events
        .last()
        .is_some_and(|e| e.event.action == Action::Start)
}

/// `force_start` / `force_stop [for|until]`: an override event now,
/// applied at once by the same reconcile a tick runs, so groups go in
/// dependency order and the rest waits for the next ticks. A window's end
/// that cannot be (`until` a past instant, or more than 7 days ahead) is
/// answered with the usage line, and nothing is written.
pub(super) async fn force(
    asked: &Asked<'_>,
    action: Action,
    end: Option<ForceEnd>,
    usage: Usage,
) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let services = asked.services;
    let issued = issued_at(asked);
    let forced = match Override::forced(action, issued, end, schedule.timezone) {
        Ok(forced) => forced,
        Err(reason) => return Ok(bad_end(end, reason, usage)),
    };
    services
        .timeline
        .add_override(&schedule.name, &forced, &asked.job.writer)
        .await?;
    audit(asked).await?;
    let (data, outcomes) = reconcile_now(services, schedule, asked.pairs, asked.now).await?;
    let mut what: Vec<String> = outcomes
        .done
        .iter()
        .flat_map(|done| done.failures.values().map(ToString::to_string))
        .chain(
            outcomes
                .unreachable
                .iter()
                .map(|(place, error)| format!("{place}: {error}")),
        )
        .collect();
    if !what.is_empty() {
        what.sort();
        return Ok(Reply::Error(ErrorView::Failed {
            what: what.join("; "),
        }));
    }
    let timeline = Timeline::new(schedule, &data.exceptions, &data.overrides);
    let (mut acted, mut unchanged, mut caught, mut waiting) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let decisions = outcomes.done.into_iter().flat_map(|r| r.done);
    for Reconciled { decision, .. } in decisions {
        acted.extend(decision.act.iter().map(|i| i.reference()));
        unchanged.extend(decision.unchanged.iter().map(|i| i.reference()));
        caught.extend(decision.caught.iter().map(|i| i.reference()));
        // Each pair waits on the same groups: say each once.
        for wait in decision.waiting {
            if !waiting.contains(&wait) {
                waiting.push(wait);
            }
        }
    }
    Ok(Reply::Forced(ForceView {
        schedule: schedule.name.clone(),
        timezone: schedule.timezone,
        action: forced.action,
        acted,
        unchanged,
        caught,
        waiting,
        takeover: takeover(&timeline, &forced, asked.now),
    }))
}

/// Where the schedule takes over after `forced`: its window's hand-back
/// (and the first event after it), or without a window its next own event.
fn takeover(timeline: &Timeline<'_>, forced: &Override, now: DateTime<Utc>) -> Takeover {
    let handback = forced.until.and_then(|until| {
        timeline
            .handbacks(until, until + Duration::nanoseconds(1))
            .into_iter()
            .find(|h| h.held == forced.action)
    });
    match handback {
        Some(handback) => Takeover::Window {
            handback,
            next: timeline
                .next_events(handback.at, TAKEOVER_HORIZON)
                .into_iter()
                .next(),
        },
        // No window, or a later override already replaced it.
        None => Takeover::NextEvent(
            timeline
                .next_events(now, TAKEOVER_HORIZON)
                .into_iter()
                .find(|e| e.source != Source::Override),
        ),
    }
}

/// The syntax error for a window end that cannot be, with the usage line.
fn bad_end(end: Option<ForceEnd>, reason: ValueError, usage: Usage) -> Reply {
    Reply::Error(ErrorView::Syntax(CommandError::BadValue {
        what: Argument::ForceEnd,
        input: end.map(|e| e.to_string()).unwrap_or_default(),
        reason,
        usage,
    }))
}
