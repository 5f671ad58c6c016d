//! An Instance Scheduler on AWS config table (SPEC §5 "Import", v1.x–v3.x):
//! its `period`, `schedule` and `config` items, as read, turned into
//! curfew schedules. A period becomes a curfew period (`weekdays` as
//! `days`, `monthdays`, `months`, `begintime` as `start`, `endtime` as
//! `stop`); a schedule becomes one curfew schedule with the periods it
//! names, tagged by its own name (Instance Scheduler tags resources
//! `<tagname>=<schedule name>`).
//!
//! What curfew has no equivalent for is reported, not guessed: a resize
//! (`period@t3.large`), maintenance windows, `retain_running`,
//! `stop_new_instances` where curfew would not stop a new instance. A
//! schedule whose translation would run or stop servers at other times
//! than Instance Scheduler does ([`super::equivalence`], over the year from
//! the day of the import) is left out, as is anything that would not
//! validate; then nothing is written ([`super::Report::blocks`]).
//!
//! `override_status` holds a schedule's resources running (or stopped)
//! whatever its periods say, until someone removes it. curfew's nearest
//! form is a schedule that runs all the time (one whole-day period every
//! day), or one that stops every midnight: the import writes that, and
//! the report lists the periods set aside so they can be put back.

use super::equivalence::first_difference;
use super::{two_times, Imported, Report, ReportItem};
use chrono::NaiveDate;
use curfew_shared::schedule::{PeriodDef, ScheduleDef, SchedulesFile};
use std::collections::HashMap;

/// A `type = period` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IsPeriod {
    pub name: String,
    pub begintime: Option<String>,
    pub endtime: Option<String>,
    /// String sets; empty when the attribute is absent.
    pub weekdays: Vec<String>,
    pub monthdays: Vec<String>,
    pub months: Vec<String>,
    pub description: Option<String>,
}

/// A `type = schedule` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IsSchedule {
    pub name: String,
    /// Period names, each optionally `@instance_type`.
    pub periods: Vec<String>,
    pub timezone: Option<String>,
    pub description: Option<String>,
    pub enforced: Option<bool>,
    pub retain_running: Option<bool>,
    pub hibernate: Option<bool>,
    pub override_status: Option<String>,
    pub stop_new_instances: Option<bool>,
    pub use_maintenance_window: Option<bool>,
    pub ssm_maintenance_window: Vec<String>,
}

/// A `type = config` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IsConfig {
    pub name: String,
    pub tagname: Option<String>,
    pub default_timezone: Option<String>,
}

/// The config table, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IsTable {
    pub periods: Vec<IsPeriod>,
    pub schedules: Vec<IsSchedule>,
    pub configs: Vec<IsConfig>,
    /// Items of any other `type`, as (type, name): skipped, and reported.
    pub others: Vec<(String, String)>,
}

/// Instance Scheduler's tag key when its config says none.
const DEFAULT_TAGNAME: &str = "Schedule";

/// How far ahead a translation is compared with Instance Scheduler's rules.
const CHECKED_DAYS: u32 = 366;

/// Turns the config table into schedules and a report. `tag_key` is the
/// `CURFEW_TAG_KEY` this curfew runs with; `today` starts the year over
/// which each schedule is checked against Instance Scheduler's rules.
pub fn import(table: &IsTable, tag_key: &str, today: NaiveDate) -> Imported {
    let mut report = Report::default();
    let default_tz = config_item(table, tag_key, &mut report);
    let mut periods: HashMap<&str, Option<PeriodDef>> = HashMap::new();
    for period in &table.periods {
        let (def, item) = period_def(period);
        report.items.push(item);
        periods.insert(period.name.as_str(), def);
    }
    let mut defs = Vec::new();
    for schedule in &table.schedules {
        let (def, item) = schedule_def(schedule, &periods, &default_tz, today);
        report.items.push(item);
        defs.extend(def);
    }
    for (kind, name) in &table.others {
        let mut item = ReportItem::new(format!("{kind} {name}"), Some("nothing".to_owned()));
        item.unmapped(
            "type",
            format!("{kind:?} is not a period, schedule or config: skipped"),
        );
        report.items.push(item);
    }
    let mut imported = Imported {
        file: SchedulesFile {
            schedule: defs,
            target: Vec::new(),
        },
        exceptions: Vec::new(),
        report,
    };
    imported.check_across(chrono_tz::UTC);
    imported
}

/// Reports the tag key Instance Scheduler used, and returns its default
/// time zone (`UTC` when the config names none).
fn config_item(table: &IsTable, tag_key: &str, report: &mut Report) -> String {
    let config = table.configs.first();
    let tagname = config
        .and_then(|c| c.tagname.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_TAGNAME);
    let source = config.map_or_else(
        || "config (none in the table; Instance Scheduler's default tag name)".to_owned(),
        |c| format!("config {}", c.name),
    );
    let mut item = ReportItem::new(source, Some(format!("CURFEW_TAG_KEY={tagname}")));
    if tagname != tag_key {
        item.unmapped(
            "tagname",
            format!(
                "resources are tagged {tagname}=<schedule name>: deploy curfew with CURFEW_TAG_KEY={tagname} (this run has {tag_key})"
            ),
        );
    }
    report.items.push(item);
    config
        .and_then(|c| c.default_timezone.clone())
        .filter(|tz| !tz.trim().is_empty())
        .unwrap_or_else(|| "UTC".to_owned())
}

fn period_def(period: &IsPeriod) -> (Option<PeriodDef>, ReportItem) {
    let mut item = ReportItem::new(format!("period {}", period.name), None);
    let times = [
        ("begintime", period.begintime.as_deref()),
        ("endtime", period.endtime.as_deref()),
    ];
    let Some([begin, end]) = two_times(&mut item, times) else {
        return (None, item);
    };
    if let (Some(begin), Some(end)) = (begin, end) {
        if end <= begin {
            item.unmapped(
                "endtime",
                format!(
                    "{} is not after begintime {}: Instance Scheduler never runs this period, curfew would read it as overnight; split it into two periods",
                    end.format("%H:%M"),
                    begin.format("%H:%M")
                ),
            );
            return (None, item);
        }
    }
    let def = PeriodDef {
        days: joined(&period.weekdays),
        monthdays: joined(&period.monthdays),
        months: joined(&period.months),
        start: begin.map(|t| t.format("%H:%M").to_string()),
        stop: end.map(|t| t.format("%H:%M").to_string()),
    };
    // A period alone in a throwaway schedule: its day expressions checked
    // the way `apply` checks them, errors named by Instance Scheduler's
    // attributes.
    let alone = ScheduleDef {
        periods: vec![def.clone()],
        ..bare_schedule("period-check", "UTC")
    };
    if let Err(errors) = alone.validate(chrono_tz::UTC) {
        for error in errors {
            let field = error.field.rsplit(", ").next().unwrap_or(&error.field);
            let attribute = match field {
                "days" => "weekdays",
                "start" => "begintime",
                "stop" => "endtime",
                other => other,
            };
            item.unmapped(attribute, error.reason.to_string());
        }
        return (None, item);
    }
    item.became = Some(format!(
        "a period of the schedules that use it ({})",
        summary(&def)
    ));
    (Some(def), item)
}

fn schedule_def(
    schedule: &IsSchedule,
    periods: &HashMap<&str, Option<PeriodDef>>,
    default_tz: &str,
    today: NaiveDate,
) -> (Option<ScheduleDef>, ReportItem) {
    let source = match schedule.description.as_deref() {
        Some(text) if !text.trim().is_empty() => format!("schedule {} ({text:?})", schedule.name),
        _ => format!("schedule {}", schedule.name),
    };
    let mut item = ReportItem::new(source, Some(format!("schedule {}", schedule.name)));
    let mut defs = Vec::new();
    let mut missing = false;
    let mut names: Vec<&str> = schedule.periods.iter().map(String::as_str).collect();
    names.sort_unstable();
    for entry in names {
        let (name, resize) = match entry.split_once('@') {
            Some((name, size)) => (name.trim(), Some(size.trim())),
            None => (entry.trim(), None),
        };
        match periods.get(name) {
            None => {
                missing = true;
                item.unmapped("periods", format!("no period item {name:?}"));
            }
            Some(None) => {
                missing = true;
                item.unmapped("periods", format!("period {name:?} could not be imported"));
            }
            Some(Some(def)) => defs.push(def.clone()),
        }
        if let Some(size) = resize {
            item.unmapped(
                "periods",
                format!("{entry}: curfew does not resize; period {name} is imported without the resize to {size}"),
            );
        }
    }
    if missing {
        item.became = None;
        return (None, item);
    }
    let timezone = schedule.timezone.clone().filter(|tz| !tz.trim().is_empty());
    let mut def = ScheduleDef {
        enforce: schedule.enforced.filter(|on| *on),
        hibernate: schedule.hibernate.filter(|on| *on),
        periods: defs,
        ..bare_schedule(&schedule.name, timezone.as_deref().unwrap_or(default_tz))
    };
    match schedule.override_status.as_deref().map(str::trim) {
        None | Some("") => {}
        Some(status @ ("running" | "stopped")) => {
            let set_aside: Vec<String> = def.periods.iter().map(summary).collect();
            def.periods = vec![if status == "running" {
                PeriodDef::default()
            } else {
                PeriodDef {
                    stop: Some("00:00".to_owned()),
                    ..PeriodDef::default()
                }
            }];
            let held = if status == "running" {
                "runs all the time (one whole-day period, every day)"
            } else {
                "stops every day at 00:00"
            };
            let periods = if set_aside.is_empty() {
                "none".to_owned()
            } else {
                set_aside.join("; ")
            };
            item.unmapped(
                "override_status",
                format!("{status}: imported as a schedule that {held}; its periods, set aside: {periods}"),
            );
        }
        Some(other) => {
            item.unmapped(
                "override_status",
                format!("{other:?} is neither running nor stopped"),
            );
            item.became = None;
            return (None, item);
        }
    }
    if def.periods.is_empty() {
        // Instance Scheduler stops the resources of a schedule without periods.
        def.periods.push(PeriodDef {
            stop: Some("00:00".to_owned()),
            ..PeriodDef::default()
        });
        item.unmapped("periods", "none: Instance Scheduler keeps its resources stopped; imported as a stop every day at 00:00");
    }
    if schedule.retain_running == Some(true) {
        item.unmapped(
            "retain_running",
            "true: curfew has no equivalent (it stops at the period's end what it finds running)",
        );
    }
    if schedule.stop_new_instances == Some(true) && def.enforce != Some(true) {
        item.unmapped("stop_new_instances", "true: curfew leaves a resource it first sees running outside the schedule until the next stop (enforce = true would stop it at once)");
    }
    if schedule.use_maintenance_window == Some(true) {
        item.unmapped(
            "use_maintenance_window",
            "true: curfew does not read maintenance windows",
        );
    }
    if !schedule.ssm_maintenance_window.is_empty() {
        item.unmapped(
            "ssm_maintenance_window",
            format!(
                "{}: curfew does not read maintenance windows",
                schedule.ssm_maintenance_window.join(", ")
            ),
        );
    }
    match def.validate(chrono_tz::UTC) {
        Err(errors) => {
            for error in errors {
                item.unmapped(&error.field, error.reason.to_string());
            }
            item.became = None;
            (None, item)
        }
        Ok(validated) => match first_difference(&validated, today, CHECKED_DAYS) {
            Some(difference) => {
                item.unmapped(
                    "periods",
                    format!(
                        "curfew would act differently: {}; write this schedule's periods by hand (a period with only a begin or only an end time rarely translates one to one)",
                        difference.describe(&validated)
                    ),
                );
                item.became = None;
                (None, item)
            }
            None => (Some(def), item),
        },
    }
}

/// A schedule with only its name and time zone set.
fn bare_schedule(name: &str, timezone: &str) -> ScheduleDef {
    ScheduleDef {
        name: name.to_owned(),
        timezone: Some(timezone.to_owned()),
        ..ScheduleDef::default()
    }
}

/// A string set as one expression, in a stable order (`None` when empty).
fn joined(set: &[String]) -> Option<String> {
    let mut parts: Vec<&str> = set
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    parts.sort_unstable();
    (!parts.is_empty()).then(|| parts.join(","))
}

/// `days mon-fri, 09:00-17:00` and the like, for the report.
fn summary(def: &PeriodDef) -> String {
    let mut parts = Vec::new();
    for (label, value) in [
        ("days", &def.days),
        ("monthdays", &def.monthdays),
        ("months", &def.months),
    ] {
        if let Some(value) = value {
            parts.push(format!("{label} {value}"));
        }
    }
    if parts.is_empty() {
        parts.push("every day".to_owned());
    }
    let time = |t: &Option<String>| t.clone().unwrap_or_default();
    parts.push(match (&def.start, &def.stop) {
        (None, None) => "all day".to_owned(),
        (start, stop) => format!("{}-{}", time(start), time(stop)),
    });
    parts.join(", ")
}

#[cfg(test)]
mod tests;
