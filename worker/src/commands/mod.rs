//! Executes chat commands (SPEC §3): reads and changes schedules in
//! DynamoDB, starts and stops instances, and says what happened as a
//! [`Reply`] for the room. Mistakes of the writer (an unknown schedule, a
//! command they may not use) are replies; AWS failures are errors, so the
//! job is retried.

mod read;
pub mod savings;
mod write;

use crate::app::{ExecError, Services};
use crate::config::WorkerConfig;
use chrono::{DateTime, Utc};
use curfew_shared::command::{Command, ScheduleOp};
use curfew_shared::front::room_key;
use curfew_shared::job::CommandJob;
use curfew_shared::reply::{ErrorView, Reply};
use curfew_shared::schedule::{
    model::{closest_name, find_by_name},
    Schedule, ScheduleDef,
};
use curfew_shared::target::{pairs, Pair};
use curfew_shared::Action;

/// Runs one command job at `now`.
pub async fn execute(
    services: &Services,
    config: &WorkerConfig,
    job: &CommandJob,
    now: DateTime<Utc>,
) -> Result<Reply, ExecError> {
    let (name, op) = match &job.command {
        Command::Help => return Ok(Reply::Help),
        Command::List => return read::list(services, config).await,
        Command::Savings { month } => {
            let reports = savings::report(services, config, None, *month, now).await?;
            return Ok(savings::reply(reports, config, *month, now));
        }
        Command::Schedule { schedule, op } => (schedule, op),
    };
    if op.is_mutating() && !allowed(config, job) {
        return Ok(Reply::Error(ErrorView::NotAllowed {
            writer: job.writer.clone(),
        }));
    }
    let (schedule, pairs) = match find(services, config, name).await? {
        Found::Schedule(schedule, pairs) => (schedule, pairs),
        Found::Reply(reply) => return Ok(reply),
    };
    if op.is_mutating() && !from_its_rooms(&schedule, job) {
        return Ok(Reply::Error(ErrorView::WrongRoom {
            schedule: schedule.name.clone(),
            room: job.room.clone(),
            rooms: schedule.rooms.clone(),
        }));
    }
    let asked = Asked {
        services,
        schedule: &schedule,
        pairs: &pairs,
        job,
        now,
    };
    match op {
        ScheduleOp::Status => read::status(&asked).await,
        ScheduleOp::Info { date } => read::info(&asked, *date).await,
        ScheduleOp::ExceptionInfo { date } => read::exception_info(&asked, *date).await,
        ScheduleOp::Next => read::next(&asked).await,
        ScheduleOp::History => read::history(&asked).await,
        ScheduleOp::Holidays { year } => read::holidays(&asked, *year).await,
        ScheduleOp::Savings { month } => {
            let one = std::slice::from_ref(&schedule);
            let reports = savings::report_for(services, one, &pairs, *month, now).await?;
            Ok(savings::reply(reports, config, *month, now))
        }
        ScheduleOp::ExceptionSet { date, action, time } => {
            write::exception_set(&asked, *date, *action, *time).await
        }
        ScheduleOp::ExceptionDel { date, action } => {
            write::exception_del(&asked, *date, *action).await
        }
        ScheduleOp::ForceStart { end } => {
            write::force(&asked, Action::Start, *end, op.usage()).await
        }
        ScheduleOp::ForceStop { end } => write::force(&asked, Action::Stop, *end, op.usage()).await,
    }
}

/// One command about one schedule, with everything its handler needs.
struct Asked<'a> {
    services: &'a Services,
    schedule: &'a Schedule,
    /// Every (asked, region) pair: the commands that describe or act
    /// cover them all (SPEC §5 Targets).
    pairs: &'a [Pair],
    job: &'a CommandJob,
    now: DateTime<Utc>,
}

/// `CURFEW_ADMINS` empty lets everyone; otherwise the writer's email or
/// name must be listed (case-insensitively).
fn allowed(config: &WorkerConfig, job: &CommandJob) -> bool {
    config.admins.is_empty()
        || [Some(job.writer.as_str()), job.writer_name.as_deref()]
            .into_iter()
            .flatten()
            .any(|who| config.admins.iter().any(|a| a.eq_ignore_ascii_case(who)))
}

/// A schedule's `rooms` empty lets any room; otherwise the command's room
/// must be listed, by name (with or without `#`, in any case) or by id.
fn from_its_rooms(schedule: &Schedule, job: &CommandJob) -> bool {
    let here: Vec<String> = [job.room.as_deref(), job.room_id.as_deref()]
        .into_iter()
        .flatten()
        .map(room_key)
        .collect();
    schedule.rooms.is_empty() || schedule.rooms.iter().any(|r| here.contains(&room_key(r)))
}

enum Found {
    Schedule(Schedule, Vec<Pair>),
    Reply(Reply),
}

/// The schedule a command names (exactly, then ignoring case) with the
/// pairs it covers, or the error reply that lists the known ones and
/// suggests the closest.
async fn find(services: &Services, config: &WorkerConfig, name: &str) -> Result<Found, ExecError> {
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let defs = stored.schedule;
    let Some(def) = find_by_name(&defs, name, |d: &ScheduleDef| d.name.as_str()) else {
        let known: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
        let suggestion = closest_name(name, known.iter().map(String::as_str)).map(str::to_owned);
        return Ok(Found::Reply(Reply::Error(ErrorView::UnknownSchedule {
            name: name.to_owned(),
            known,
            suggestion,
        })));
    };
    match def.validate(config.default_tz) {
        Ok(schedule) => Ok(Found::Schedule(schedule, pairs)),
        Err(errors) => Ok(Found::Reply(Reply::Error(ErrorView::Failed {
            what: format!(
                "the stored schedule {:?} is invalid ({}); fix it with `curfew apply`",
                def.name,
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }))),
    }
}
