//! The operators' TOML format (SPEC §5): read, validate, write back.
//!
//! [`ScheduleDef`] is the schedule exactly as written (every optional field
//! stays optional), so it is also what storage keeps and `export` prints:
//! apply ∘ export is the identity. [`ScheduleDef::validate`] turns it into a
//! [`Schedule`], collecting every problem rather than stopping at the first,
//! each naming the schedule, the field and the reason.

use super::days::{DayExprError, DayRule, MonthExpr, MonthdayExpr, WeekdayExpr};
use super::model::{Group, Period, Schedule};
use crate::resource::GroupKind;
use crate::target::{validate_targets, TargetDef, TargetError};
use crate::value::{parse_time, ValueError};
use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use thiserror::Error;

/// A whole `schedules.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulesFile {
    #[serde(default)]
    pub schedule: Vec<ScheduleDef>,
    /// The accounts and regions (none: the worker's own account in `AWS_REGION`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<TargetDef>,
}

/// One `[[schedule]]` as written. Unknown fields are refused, so a typo such
/// as `stop_warn_minutes` is an error instead of a silently ignored line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_room: Option<String>,
    /// A Slack channel (`#dev`, `dev` or an id): SPEC §4.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_channel: Option<String>,
    /// JANDI rooms / Slack channels (`#dev`, `dev` or an id) that may change
    /// this schedule; empty = any (SPEC §5). Reads are allowed from anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<String>,
    /// Countries (ISO 3166-1 alpha-2, `KR`) whose public holidays are days
    /// off: nothing starts on them (SPEC §6 item 6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_warning_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hibernate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_timeout_minutes: Option<u32>,
    #[serde(default, rename = "period", skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodDef>,
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupDef>,
}

/// One `[[schedule.period]]` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodDef {
    /// Weekday expression; omitted = every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthdays: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
}

/// One `[[schedule.group]]` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    pub name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

/// Defaults of the optional fields (SPEC §5).
pub const DEFAULT_STOP_WARNING_MINUTES: u32 = 10;
pub const DEFAULT_START_TIMEOUT_MINUTES: u32 = 30;
const MAX_NAME_LEN: usize = 64;

/// A problem in one schedule: which schedule, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("schedule {schedule:?}, {field}: {reason}")]
pub struct ScheduleError {
    pub schedule: String,
    /// `timezone`, `period 2, days`, `group "app", after`, ...
    pub field: String,
    pub reason: Reason,
}

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Reason {
    #[error(transparent)]
    Days(#[from] DayExprError),
    #[error("unknown time zone {0:?} (use an IANA name such as Asia/Seoul)")]
    UnknownTimezone(String),
    #[error("bad time {input:?}: {reason}")]
    BadTime { input: String, reason: ValueError },
    #[error("start and stop are both {0}: the period would never run")]
    EmptyPeriod(String),
    #[error("{0}")]
    BadName(&'static str),
    #[error("{value} is out of range {min}-{max}")]
    OutOfRange { value: u32, min: u32, max: u32 },
    #[error("the name is used by another schedule too")]
    DuplicateSchedule,
    #[error("tag {0:?} is used by another schedule too: both would act on the same instances")]
    DuplicateTag(String),
    #[error("unknown group kind {0:?} (expected ec2, rds, rds-cluster, asg or ecs)")]
    UnknownKind(String),
    #[error("group {0:?} is defined twice")]
    DuplicateGroup(String),
    #[error("depends on unknown group {0:?}")]
    UnknownDependency(String),
    #[error("dependency cycle: {0}")]
    Cycle(String),
    #[error(transparent)]
    UnknownCountry(#[from] crate::holidays::UnknownCountry),
}

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("not valid schedules TOML: {0}")]
    Toml(String),
    #[error("{} invalid: {}", plural(.0.len()), join_errors(.0))]
    Invalid(Vec<ScheduleError>),
    #[error("{} invalid: {}", plural(.0.len()), join_errors(.0))]
    InvalidTargets(Vec<TargetError>),
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

fn join_errors(errors: &[impl ToString]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Parses and validates a whole file. Every problem of every schedule is
/// reported (the targets' after the schedules').
pub fn parse_schedules(text: &str, default_tz: Tz) -> Result<Vec<Schedule>, FileError> {
    let file: SchedulesFile = toml::from_str(text).map_err(|e| FileError::Toml(e.to_string()))?;
    let schedules = file.validate(default_tz).map_err(FileError::Invalid)?;
    validate_targets(&file.target).map_err(FileError::InvalidTargets)?;
    Ok(schedules)
}

/// Writes a file back in its format (what `curfew export` prints).
pub fn render_schedules(file: &SchedulesFile) -> Result<String, toml::ser::Error> {
    toml::to_string(file)
}

impl SchedulesFile {
    /// Reads a file without validating it.
    pub fn from_toml(text: &str) -> Result<Self, FileError> {
        toml::from_str(text).map_err(|e| FileError::Toml(e.to_string()))
    }

    /// Validates every schedule and the rules across them (unique names and tags).
    pub fn validate(&self, default_tz: Tz) -> Result<Vec<Schedule>, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let mut schedules = Vec::new();
        let mut names = HashSet::new();
        let mut tags = HashSet::new();
        for def in &self.schedule {
            if !names.insert(def.name.to_lowercase()) {
                errors.push(def.error("name", Reason::DuplicateSchedule));
            }
            let tag = def.tag.clone().unwrap_or_else(|| def.name.clone());
            if !tags.insert(tag.clone()) {
                errors.push(def.error("tag", Reason::DuplicateTag(tag)));
            }
            match def.validate(default_tz) {
                Ok(schedule) => schedules.push(schedule),
                Err(mut more) => errors.append(&mut more),
            }
        }
        if errors.is_empty() {
            Ok(schedules)
        } else {
            Err(errors)
        }
    }
}

impl ScheduleDef {
    fn error(&self, field: impl Into<String>, reason: Reason) -> ScheduleError {
        ScheduleError {
            schedule: self.name.clone(),
            field: field.into(),
            reason,
        }
    }

    /// Checks every field; all problems are returned, not just the first.
    pub fn validate(&self, default_tz: Tz) -> Result<Schedule, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        if let Err(reason) = check_schedule_name(&self.name) {
            errors.push(self.error("name", reason));
        }
        if let Some(Err(reason)) = self.tag.as_deref().map(check_name) {
            errors.push(self.error("tag", reason));
        }
        let timezone = match self.timezone.as_deref() {
            None => default_tz,
            Some(text) => text.parse::<Tz>().unwrap_or_else(|_| {
                errors.push(self.error("timezone", Reason::UnknownTimezone(text.to_owned())));
                default_tz
            }),
        };
        let stop_warning_minutes = self
            .stop_warning_minutes
            .unwrap_or(DEFAULT_STOP_WARNING_MINUTES);
        if let Err(reason) = in_range(stop_warning_minutes, 0, 720) {
            errors.push(self.error("stop_warning_minutes", reason));
        }
        let start_timeout_minutes = self
            .start_timeout_minutes
            .unwrap_or(DEFAULT_START_TIMEOUT_MINUTES);
        if let Err(reason) = in_range(start_timeout_minutes, 1, 1440) {
            errors.push(self.error("start_timeout_minutes", reason));
        }
        let periods = self
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, period)| {
                period
                    .validate()
                    .map_err(|(field, reason)| {
                        errors.push(self.error(format!("period {}, {field}", i + 1), reason));
                    })
                    .ok()
            })
            .collect();
        let mut holidays: Vec<String> = Vec::new();
        for country in &self.holidays {
            match crate::holidays::country(country) {
                Ok(code) if holidays.contains(&code) => {}
                Ok(code) => holidays.push(code),
                Err(unknown) => errors.push(self.error("holidays", unknown.into())),
            }
        }
        let groups = self.validate_groups().unwrap_or_else(|mut more| {
            errors.append(&mut more);
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Schedule {
            name: self.name.clone(),
            tag: self.tag.clone().unwrap_or_else(|| self.name.clone()),
            timezone,
            enabled: self.enabled.unwrap_or(true),
            notify_room: self.notify_room.clone(),
            notify_channel: self.notify_channel.clone(),
            rooms: self.rooms.clone(),
            holidays,
            stop_warning_minutes,
            enforce: self.enforce.unwrap_or(false),
            hibernate: self.hibernate.unwrap_or(false),
            start_timeout_minutes,
            periods,
            groups,
        })
    }

    /// Checks names, kinds and dependencies; returns the groups in start order.
    fn validate_groups(&self) -> Result<Vec<Group>, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let mut groups = Vec::new();
        let mut seen = HashSet::new();
        for def in &self.groups {
            let field = format!("group {:?}", def.name);
            if let Err(reason) = check_name(&def.name) {
                errors.push(self.error(format!("{field}, name"), reason));
            }
            if !seen.insert(def.name.as_str()) {
                errors.push(self.error(field.clone(), Reason::DuplicateGroup(def.name.clone())));
            }
            let kind = match GroupKind::parse(&def.kind) {
                Some(kind) => kind,
                None => {
                    errors.push(self.error(
                        format!("{field}, kind"),
                        Reason::UnknownKind(def.kind.clone()),
                    ));
                    GroupKind::Ec2
                }
            };
            groups.push(Group {
                name: def.name.clone(),
                kind,
                after: def.after.clone(),
            });
        }
        for group in &groups {
            for dependency in &group.after {
                if !seen.contains(dependency.as_str()) {
                    errors.push(self.error(
                        format!("group {:?}, after", group.name),
                        Reason::UnknownDependency(dependency.clone()),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        dependency_order(groups)
            .map_err(|cycle| vec![self.error("group", Reason::Cycle(cycle.join(" → ")))])
    }
}

impl PeriodDef {
    fn validate(&self) -> Result<Period, (&'static str, Reason)> {
        let weekdays = match self.days.as_deref() {
            Some(text) => WeekdayExpr::parse(text).map_err(|e| ("days", e.into()))?,
            None => DayRule::all().weekdays,
        };
        let monthdays = self
            .monthdays
            .as_deref()
            .map(MonthdayExpr::parse)
            .transpose()
            .map_err(|e| ("monthdays", e.into()))?;
        let months = self
            .months
            .as_deref()
            .map(MonthExpr::parse)
            .transpose()
            .map_err(|e| ("months", e.into()))?;
        let start = self
            .start
            .as_deref()
            .map(|t| time(t).map_err(|r| ("start", r)))
            .transpose()?;
        let stop = self
            .stop
            .as_deref()
            .map(|t| time(t).map_err(|r| ("stop", r)))
            .transpose()?;
        if let (Some(start), Some(stop)) = (start, stop) {
            if start == stop {
                return Err((
                    "stop",
                    Reason::EmptyPeriod(start.format("%H:%M").to_string()),
                ));
            }
        }
        Ok(Period {
            days: DayRule {
                weekdays,
                monthdays,
                months,
            },
            start,
            stop,
        })
    }
}

fn time(text: &str) -> Result<NaiveTime, Reason> {
    parse_time(text).map_err(|reason| Reason::BadTime {
        input: text.to_owned(),
        reason,
    })
}

fn in_range(value: u32, min: u32, max: u32) -> Result<(), Reason> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Reason::OutOfRange { value, min, max })
    }
}

/// Names become chat words and tag values: one word, printable, not too long.
fn check_name(name: &str) -> Result<(), Reason> {
    if name.is_empty() {
        return Err(Reason::BadName("must not be empty"));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(Reason::BadName("must be at most 64 characters"));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Reason::BadName(
            "must be one word (no spaces or control characters)",
        ));
    }
    if name.starts_with('/') {
        return Err(Reason::BadName(
            "must not start with '/' (that is the chat keyword)",
        ));
    }
    Ok(())
}

/// A schedule name must also not be a command word, or chat could not reach it.
fn check_schedule_name(name: &str) -> Result<(), Reason> {
    check_name(name)?;
    if ["help", "list", "savings"]
        .iter()
        .any(|word| name.eq_ignore_ascii_case(word))
    {
        return Err(Reason::BadName(
            "`help`, `list` and `savings` are chat commands, not schedule names",
        ));
    }
    if name.contains('#') {
        return Err(Reason::BadName(
            "must not contain '#' (it separates the parts of storage keys)",
        ));
    }
    Ok(())
}

/// Orders groups so each comes after its dependencies, keeping the file order
/// where the dependencies allow it. On a cycle, returns the names around it.
fn dependency_order(groups: Vec<Group>) -> Result<Vec<Group>, Vec<String>> {
    let mut placed: HashSet<String> = HashSet::new();
    let mut pending = groups;
    let mut ordered = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|g| g.after.iter().all(|d| placed.contains(d)));
        match ready {
            Some(index) => {
                let group = pending.remove(index);
                placed.insert(group.name.clone());
                ordered.push(group);
            }
            None => return Err(find_cycle(&pending)),
        }
    }
    Ok(ordered)
}

/// Every pending group waits on another pending one, so walking "waits on"
/// links from any of them must come back to a group already visited.
fn find_cycle(pending: &[Group]) -> Vec<String> {
    let by_name: HashMap<&str, &Group> = pending.iter().map(|g| (g.name.as_str(), g)).collect();
    let mut path: Vec<String> = Vec::new();
    let mut current = pending.first();
    while let Some(group) = current {
        if let Some(start) = path.iter().position(|name| name == &group.name) {
            let mut cycle: Vec<String> = path.get(start..).unwrap_or_default().to_vec();
            cycle.push(group.name.clone());
            return cycle;
        }
        path.push(group.name.clone());
        current = group
            .after
            .iter()
            .find_map(|d| by_name.get(d.as_str()).copied());
    }
    path
}
