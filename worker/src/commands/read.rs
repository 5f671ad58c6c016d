//! The commands that only read: `list`, `status`, `info`, `exception info`,
//! `next`, `history`, `holidays`.

use super::Asked;
use crate::app::{ExecError, Services};
use crate::config::WorkerConfig;
use crate::every_pair::in_every_pair;
use crate::limits::{HISTORY_LENGTH, NEXT_HORIZON};
use chrono::Datelike;
use curfew_shared::reply::{
    BlockTitle, ExceptionInfoView, HistoryView, HolidaysView, InfoView, InstanceBlock,
    InstanceLine, ListView, NextView, Reply, ScheduleLine, StatusView, TargetLine,
};
use curfew_shared::resource::{GroupKind, Instance};
use curfew_shared::schedule::Schedule;
use curfew_shared::value::DateArg;

pub(super) async fn list(services: &Services, config: &WorkerConfig) -> Result<Reply, ExecError> {
    let stored = services.schedules.load().await?;
    let schedules = stored
        .schedule
        .iter()
        .filter_map(|def| match def.validate(config.default_tz) {
            Ok(schedule) => Some(ScheduleLine {
                name: schedule.name.clone(),
                enabled: schedule.enabled,
                timezone: schedule.timezone,
                periods: schedule.periods.iter().map(|p| p.describe()).collect(),
                groups: schedule.start_order().map(|g| g.name.clone()).collect(),
                holidays: schedule.holidays.clone(),
            }),
            Err(_) => {
                tracing::warn!(schedule = %def.name, "stored schedule is invalid; left out of list");
                None
            }
        })
        .collect();
    let targets = stored
        .target
        .iter()
        .map(|target| TargetLine {
            name: target.name.clone(),
            account: target.account().map(str::to_owned),
            regions: target.regions.clone(),
        })
        .collect();
    Ok(Reply::List(ListView { schedules, targets }))
}

/// The schedule's resources in every pair, described side by side
/// ([`in_every_pair`]), and the pairs that did not answer, each with why.
async fn describe_everywhere(asked: &Asked<'_>) -> Result<(Vec<Instance>, Vec<String>), ExecError> {
    let fleets = &asked.services.fleets;
    let tag = asked.schedule.tag.as_str();
    let outcomes = in_every_pair(asked.pairs, |pair| async move {
        let fleet = fleets.fleet(pair).await?;
        Ok(fleet.describe_schedule(tag).await?)
    })
    .await?;
    let unreachable = outcomes
        .unreachable
        .iter()
        .map(|(place, error)| format!("{place}: {error}"))
        .collect();
    Ok((outcomes.done.into_iter().flatten().collect(), unreachable))
}

pub(super) async fn status(asked: &Asked<'_>) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let (instances, unreachable) = describe_everywhere(asked).await?;
    let mut blocks: Vec<InstanceBlock> = schedule
        .start_order()
        .map(|group| InstanceBlock {
            title: BlockTitle::Group {
                name: group.name.clone(),
                kind: group.kind,
            },
            instances: instances
                .iter()
                .filter(|i| i.group.as_deref() == Some(group.name.as_str()))
                .map(line)
                .collect(),
        })
        .collect();
    blocks.extend(loose_blocks(schedule, &instances));
    Ok(Reply::Status(StatusView {
        schedule: schedule.name.clone(),
        blocks,
        unreachable,
    }))
}

/// A resource as `status` lists it.
fn line(i: &Instance) -> InstanceLine {
    InstanceLine {
        name: i.shown_name(),
        id: i.id.clone(),
        kind: i.kind,
        state: i.state.clone(),
    }
}

/// The resources in no declared group: one block per kind. EC2 and RDS are
/// shown even when empty (a schedule without groups says it has none); the
/// newer kinds only where there are some.
fn loose_blocks(schedule: &Schedule, instances: &[Instance]) -> Vec<InstanceBlock> {
    let grouped = |i: &Instance| {
        schedule
            .groups
            .iter()
            .any(|g| i.group.as_deref() == Some(g.name.as_str()))
    };
    [
        (BlockTitle::Ec2, GroupKind::Ec2),
        (BlockTitle::Rds, GroupKind::Rds),
        (BlockTitle::RdsCluster, GroupKind::RdsCluster),
        (BlockTitle::Asg, GroupKind::Asg),
        (BlockTitle::Ecs, GroupKind::Ecs),
    ]
    .into_iter()
    .filter_map(|(title, kind)| {
        let members: Vec<InstanceLine> = instances
            .iter()
            .filter(|i| i.kind == kind && !grouped(i))
            .map(line)
            .collect();
        let always = schedule.groups.is_empty() && matches!(kind, GroupKind::Ec2 | GroupKind::Rds);
        (!members.is_empty() || always).then_some(InstanceBlock {
            title,
            instances: members,
        })
    })
    .collect()
}

pub(super) async fn info(asked: &Asked<'_>, date: DateArg) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let data = asked.services.timeline.load(&schedule.name).await?;
    let date = date.resolve(asked.now, schedule.timezone);
    Ok(Reply::Info(InfoView::of(
        schedule,
        &data.exceptions,
        &data.overrides,
        date,
    )))
}

pub(super) async fn exception_info(asked: &Asked<'_>, date: DateArg) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let data = asked.services.timeline.load(&schedule.name).await?;
    let date = date.resolve(asked.now, schedule.timezone);
    let mut exceptions: Vec<_> = data
        .exceptions
        .into_iter()
        .filter(|e| e.date == date)
        .collect();
    exceptions.sort_by_key(|e| e.action);
    Ok(Reply::ExceptionInfo(ExceptionInfoView {
        schedule: schedule.name.clone(),
        date,
        exceptions,
    }))
}

pub(super) async fn next(asked: &Asked<'_>) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let data = asked.services.timeline.load(&schedule.name).await?;
    Ok(Reply::Next(NextView::of(
        schedule,
        &data.exceptions,
        &data.overrides,
        asked.now,
        NEXT_HORIZON,
    )))
}

/// `holidays [YEAR]`: the schedule's days off that year, with the
/// exceptions stored on them (read only when it has days off).
pub(super) async fn holidays(asked: &Asked<'_>, year: Option<i32>) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let today = asked.now.with_timezone(&schedule.timezone).date_naive();
    let year = year.unwrap_or_else(|| today.year());
    let exceptions = if schedule.holidays.is_empty() {
        Vec::new()
    } else {
        asked
            .services
            .timeline
            .load(&schedule.name)
            .await?
            .exceptions
    };
    Ok(Reply::Holidays(HolidaysView::of(
        schedule,
        year,
        today,
        &exceptions,
    )))
}

pub(super) async fn history(asked: &Asked<'_>) -> Result<Reply, ExecError> {
    let schedule = asked.schedule;
    let entries = asked
        .services
        .audit
        .recent(&schedule.name, HISTORY_LENGTH)
        .await?;
    Ok(Reply::History(HistoryView {
        schedule: schedule.name.clone(),
        timezone: schedule.timezone,
        entries,
    }))
}
