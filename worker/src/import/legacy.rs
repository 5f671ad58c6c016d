//! The 2017 bot's tables (SPEC §5 "Import", seed tables): `Schedule`,
//! `ScheduleServerGroup` and `ScheduleException`, as read, turned into
//! curfew schedules. Each seed schedule becomes one schedule with at most
//! one period (its `DaysActive`, `StartTime`, `StopTime`), its server
//! groups become groups (`EC2` / `RDS`, `Dependency` as `after`), and its
//! exceptions become exceptions. The seed ran in its Lambda's `TZ`, which
//! the caller passes (`Asia/Seoul` unless `--timezone`).
//!
//! An item that cannot be carried over faithfully (a time that is not
//! `H:M`, a date that does not exist, an unknown kind, a schedule that
//! would not validate) is left out and blocks the import: nothing is
//! written or applied from a partial result ([`Report::blocks`]).

use super::{time_or_none, two_times, Imported, Report, ReportItem};
use chrono::NaiveDate;
use chrono_tz::Tz;
use curfew_shared::schedule::{Exception, GroupDef, PeriodDef, ScheduleDef, SchedulesFile};
use curfew_shared::Action;

/// A `Schedule` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedSchedule {
    pub name: String,
    pub tag_value: Option<String>,
    pub days_active: Option<String>,
    pub enabled: Option<bool>,
    pub start_time: Option<String>,
    pub stop_time: Option<String>,
    pub force_start: Option<bool>,
}

/// A `ScheduleServerGroup` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedGroup {
    pub schedule: String,
    pub group: String,
    pub instance_type: Option<String>,
    pub dependency: Vec<String>,
}

/// A `ScheduleException` item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedException {
    pub uuid: String,
    pub schedule: String,
    pub date: Option<String>,
    pub kind: Option<String>,
    pub value: Option<String>,
}

/// The three tables, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seed {
    pub schedules: Vec<SeedSchedule>,
    pub groups: Vec<SeedGroup>,
    pub exceptions: Vec<SeedException>,
}

/// Turns the seed's items into schedules, exceptions and a report.
pub fn import(seed: &Seed, timezone: Tz) -> Imported {
    let mut report = Report::default();
    let mut defs: Vec<ScheduleDef> = Vec::new();
    for schedule in &seed.schedules {
        let (def, item) = schedule_def(schedule, timezone);
        report.items.push(item);
        defs.extend(def);
    }
    for group in &seed.groups {
        let source = format!("ScheduleServerGroup {}/{}", group.schedule, group.group);
        let Some(def) = defs.iter_mut().find(|d| d.name == group.schedule) else {
            let mut item = ReportItem::new(source, None);
            item.unmapped(
                "ScheduleName",
                format!("no Schedule item {:?}", group.schedule),
            );
            report.items.push(item);
            continue;
        };
        let kind = group.instance_type.as_deref().map(str::trim);
        let kind = match kind.map(str::to_ascii_uppercase).as_deref() {
            Some("EC2") => "ec2",
            Some("RDS") => "rds",
            _ => {
                let mut item = ReportItem::new(source, None);
                let shown = kind.unwrap_or("(missing)");
                item.unmapped("InstanceType", format!("{shown:?} is neither EC2 nor RDS"));
                report.items.push(item);
                continue;
            }
        };
        def.groups.push(GroupDef {
            name: group.group.clone(),
            kind: kind.to_owned(),
            after: group.dependency.clone(),
        });
        let became = format!("group {} ({kind}) of {}", group.group, group.schedule);
        report.items.push(ReportItem::new(source, Some(became)));
    }
    // Whole schedules are checked once their groups are in (names,
    // dependencies, cycles); one that fails is left out with the reasons.
    defs.retain(|def| match def.validate(timezone) {
        Ok(_) => true,
        Err(errors) => {
            let source = format!("Schedule {}", def.name);
            if let Some(item) = report.items.iter_mut().find(|i| i.source == source) {
                item.became = None;
                for error in errors {
                    item.unmapped(&error.field, error.reason.to_string());
                }
            }
            false
        }
    });
    let mut exceptions = Vec::new();
    for seed_exception in &seed.exceptions {
        let (exception, item) = exception(seed_exception, &defs);
        report.items.push(item);
        exceptions.extend(exception.map(|e| (seed_exception.schedule.clone(), e)));
    }
    let mut imported = Imported {
        file: SchedulesFile {
            schedule: defs,
            target: Vec::new(),
        },
        exceptions,
        report,
    };
    imported.check_across(timezone);
    imported
}

/// The imported exceptions that fall on a public holiday of one of
/// `countries` (SPEC §5, `import legacy --holidays KR`): one line each,
/// naming the day, so a team can drop them for `holidays = ["KR"]`. The
/// exceptions themselves are imported as they are.
pub fn on_public_holidays(exceptions: &[(String, Exception)], countries: &[String]) -> Vec<String> {
    exceptions
        .iter()
        .filter_map(|(schedule, exception)| {
            let holiday = curfew_shared::holidays::on(countries, exception.date)?;
            let time = exception
                .time
                .map_or_else(|| "None".to_owned(), |t| t.format("%H:%M").to_string());
            Some(format!(
                "exception {schedule} {} {} {time} is on {}'s public holiday {}: holidays = [\"{}\"] on {schedule} keeps that day off without it",
                exception.date,
                exception.action.as_str(),
                holiday.country,
                holiday.names(),
                holiday.country
            ))
        })
        .collect()
}

fn schedule_def(seed: &SeedSchedule, timezone: Tz) -> (Option<ScheduleDef>, ReportItem) {
    let source = format!("Schedule {}", seed.name);
    let mut item = ReportItem::new(source, Some(format!("schedule {}", seed.name)));
    let times = [
        ("StartTime", seed.start_time.as_deref()),
        ("StopTime", seed.stop_time.as_deref()),
    ];
    let Some([start, stop]) = two_times(&mut item, times) else {
        item.became = None;
        return (None, item);
    };
    let tag = seed
        .tag_value
        .as_deref()
        .map(str::trim)
        .filter(|tag| !tag.is_empty() && *tag != seed.name)
        .map(str::to_owned);
    let days = seed
        .days_active
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty() && d != "all");
    let periods = if start.is_none() && stop.is_none() {
        item.unmapped(
            "StartTime, StopTime",
            "both None: imported without a period (it acts only on exceptions and force commands)",
        );
        Vec::new()
    } else {
        vec![PeriodDef {
            days,
            start: start.map(|t| t.format("%H:%M").to_string()),
            stop: stop.map(|t| t.format("%H:%M").to_string()),
            ..PeriodDef::default()
        }]
    };
    if seed.force_start == Some(true) {
        item.unmapped(
            "ForceStart",
            format!(
                "true: a force_start was pending; not applied (send `/서버 {} force_start` if it should hold)",
                seed.name
            ),
        );
    }
    let def = ScheduleDef {
        name: seed.name.clone(),
        tag,
        timezone: Some(timezone.name().to_owned()),
        enabled: seed.enabled.filter(|enabled| !enabled),
        periods,
        ..ScheduleDef::default()
    };
    (Some(def), item)
}

fn exception(seed: &SeedException, defs: &[ScheduleDef]) -> (Option<Exception>, ReportItem) {
    let source = format!("ScheduleException {}", seed.uuid);
    let mut item = ReportItem::new(source, None);
    if !defs.iter().any(|d| d.name == seed.schedule) {
        item.unmapped(
            "ScheduleName",
            format!("no imported schedule {:?}", seed.schedule),
        );
        return (None, item);
    }
    let date = seed.date.as_deref().map(str::trim).unwrap_or_default();
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == date);
    let action = seed.kind.as_deref().map(str::trim).and_then(Action::parse);
    let time = time_or_none(seed.value.as_deref());
    match (date, action, time) {
        (Some(date), Some(action), Ok(time)) => {
            let shown = time.map_or("None".to_owned(), |t| t.format("%H:%M").to_string());
            item.became = Some(format!(
                "exception {} {date} {} {shown}",
                seed.schedule,
                action.as_str()
            ));
            (Some(Exception { date, action, time }), item)
        }
        (date, action, time) => {
            if date.is_none() {
                let shown = seed.date.as_deref().unwrap_or("(missing)");
                item.unmapped(
                    "ExceptionDate",
                    format!("{shown:?} is no date (YYYY-MM-DD)"),
                );
            }
            if action.is_none() {
                let shown = seed.kind.as_deref().unwrap_or("(missing)");
                item.unmapped(
                    "ExceptionType",
                    format!("{shown:?} is neither start nor stop"),
                );
            }
            if let Err(reason) = time {
                item.unmapped("ExceptionValue", reason);
            }
            (None, item)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(name: &str, start: &str, stop: &str) -> SeedSchedule {
        SeedSchedule {
            name: name.to_owned(),
            tag_value: Some(name.to_owned()),
            days_active: Some("weekdays".to_owned()),
            enabled: Some(true),
            start_time: Some(start.to_owned()),
            stop_time: Some(stop.to_owned()),
            force_start: Some(false),
        }
    }

    fn group(schedule: &str, name: &str, kind: &str, after: &[&str]) -> SeedGroup {
        SeedGroup {
            schedule: schedule.to_owned(),
            group: name.to_owned(),
            instance_type: Some(kind.to_owned()),
            dependency: after.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    fn exception(uuid: &str, date: &str, kind: &str, value: &str) -> SeedException {
        SeedException {
            uuid: uuid.to_owned(),
            schedule: "dev".to_owned(),
            date: Some(date.to_owned()),
            kind: Some(kind.to_owned()),
            value: Some(value.to_owned()),
        }
    }

    const SEOUL: Tz = chrono_tz::Asia::Seoul;

    #[test]
    fn a_seed_schedule_with_groups_and_exceptions_becomes_one_schedule() {
        let seed = Seed {
            schedules: vec![schedule("dev", "9:0", "19:00")],
            groups: vec![
                group("dev", "db", "RDS", &[]),
                group("dev", "cache", "EC2", &[]),
                group("dev", "app", "EC2", &["db", "cache"]),
            ],
            exceptions: vec![
                exception("u1", "2026-12-24", "stop", "15:00"),
                exception("u2", "2026-12-25", "start", "None"),
            ],
        };
        let imported = import(&seed, SEOUL);
        assert!(!imported.report.has_findings(), "{:#?}", imported.report);
        let expected = SchedulesFile::from_toml(
            r#"
[[schedule]]
name = "dev"
timezone = "Asia/Seoul"
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
[[schedule.group]]
name = "db"
kind = "rds"
[[schedule.group]]
name = "cache"
kind = "ec2"
[[schedule.group]]
name = "app"
kind = "ec2"
after = ["db", "cache"]
"#,
        )
        .unwrap();
        assert_eq!(imported.file, expected);
        let dates: Vec<String> = imported
            .exceptions
            .iter()
            .map(|(s, e)| format!("{s} {} {} {:?}", e.date, e.action.as_str(), e.time))
            .collect();
        assert_eq!(
            dates,
            [
                "dev 2026-12-24 stop Some(15:00:00)",
                "dev 2026-12-25 start None"
            ]
        );
    }

    #[test]
    fn exceptions_on_public_holidays_are_named_and_kept() {
        let seed = Seed {
            schedules: vec![schedule("dev", "09:00", "19:00")],
            groups: vec![],
            exceptions: vec![
                exception("u1", "2027-02-08", "start", "None"),
                exception("u2", "2027-02-10", "start", "None"),
                exception("u3", "2027-09-15", "start", "None"),
            ],
        };
        let imported = import(&seed, SEOUL);
        assert_eq!(imported.exceptions.len(), 3, "all kept as they are");
        let lines = on_public_holidays(&imported.exceptions, &["KR".to_owned()]);
        assert_eq!(
            lines,
            [
                "exception dev 2027-02-08 start None is on KR's public holiday 설날 다음날 (The second day of Korean New Year): holidays = [\"KR\"] on dev keeps that day off without it",
                "exception dev 2027-09-15 start None is on KR's public holiday 추석 (Chuseok): holidays = [\"KR\"] on dev keeps that day off without it",
            ]
        );
        assert!(on_public_holidays(&imported.exceptions, &[]).is_empty());
    }

    #[test]
    fn a_stop_time_of_none_leaves_a_period_with_only_a_start() {
        let mut dev = schedule("dev", "08:30", "None");
        dev.tag_value = Some("dev-servers".to_owned());
        dev.days_active = Some("all".to_owned());
        dev.enabled = Some(false);
        let imported = import(
            &Seed {
                schedules: vec![dev],
                ..Seed::default()
            },
            SEOUL,
        );
        let def = &imported.file.schedule[0];
        assert_eq!(def.tag.as_deref(), Some("dev-servers"));
        assert_eq!(def.enabled, Some(false));
        assert_eq!(def.periods[0].days, None, "all = every day");
        assert_eq!(def.periods[0].start.as_deref(), Some("08:30"));
        assert_eq!(def.periods[0].stop, None);
    }

    #[test]
    fn a_pending_force_start_and_no_times_at_all_are_reported_not_guessed() {
        let mut dev = schedule("dev", "None", "None");
        dev.force_start = Some(true);
        let imported = import(
            &Seed {
                schedules: vec![dev],
                ..Seed::default()
            },
            SEOUL,
        );
        assert!(imported.file.schedule[0].periods.is_empty());
        let lines = imported.report.lines().join("\n");
        assert!(lines.contains("StartTime, StopTime: both None"), "{lines}");
        assert!(lines.contains("ForceStart: true"), "{lines}");
        assert!(imported.report.has_findings());
        assert!(!imported.report.blocks(), "reported, still imported");
    }

    #[test]
    fn what_cannot_be_carried_over_is_left_out_and_blocks_the_import() {
        let seed = Seed {
            schedules: vec![
                schedule("dev", "25:00", "19:00"),
                schedule("stage", "9:00", "19:00"),
                SeedSchedule {
                    days_active: Some("funday".to_owned()),
                    ..schedule("qa", "9:00", "19:00")
                },
            ],
            groups: vec![
                group("stage", "web", "ECS", &[]),
                group("stage", "app", "EC2", &["app"]),
                group("prod", "app", "EC2", &[]),
            ],
            exceptions: vec![exception("u1", "2026-02-30", "pause", "9")],
        };
        let imported = import(&seed, SEOUL);
        assert!(imported.report.blocks());
        let lines = imported.report.lines().join("\n");
        for expected in [
            "Schedule dev -> (not imported)\n    StartTime: \"25:00\" is not a time",
            "ScheduleServerGroup stage/web -> (not imported)\n    InstanceType: \"ECS\" is neither EC2 nor RDS",
            "ScheduleServerGroup prod/app -> (not imported)\n    ScheduleName: no Schedule item \"prod\"",
            "Schedule stage -> (not imported)\n    group",
            "Schedule qa -> (not imported)\n    period 1",
            "ScheduleException u1 -> (not imported)\n    ScheduleName: no imported schedule \"dev\"",
        ] {
            assert!(lines.contains(expected), "{expected}\nin:\n{lines}");
        }
        assert!(imported.file.schedule.is_empty(), "{:?}", imported.file);
    }

    #[test]
    fn two_schedules_on_one_tag_leave_the_second_out_with_its_exceptions() {
        let mut qa = schedule("qa", "9:00", "19:00");
        qa.tag_value = Some("dev".to_owned());
        let seed = Seed {
            schedules: vec![schedule("dev", "9:00", "19:00"), qa],
            exceptions: vec![SeedException {
                schedule: "qa".to_owned(),
                ..exception("u1", "2026-12-24", "stop", "15:00")
            }],
            ..Seed::default()
        };
        let imported = import(&seed, SEOUL);
        let lines = imported.report.lines().join("\n");
        assert!(
            lines.contains("Schedule qa -> (not imported)\n    tag:"),
            "{lines}"
        );
        assert!(imported.report.blocks());
        let names: Vec<&str> = imported
            .file
            .schedule
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, ["dev"]);
        assert!(
            imported.exceptions.is_empty(),
            "qa's exception went with it"
        );
    }

    #[test]
    fn an_exception_that_does_not_exist_says_each_field_that_is_wrong() {
        let seed = Seed {
            schedules: vec![schedule("dev", "9:00", "19:00")],
            exceptions: vec![exception("u1", "2026-02-30", "pause", "9")],
            ..Seed::default()
        };
        let imported = import(&seed, SEOUL);
        let lines = imported.report.lines().join("\n");
        assert!(
            lines.contains("ExceptionDate: \"2026-02-30\" is no date"),
            "{lines}"
        );
        assert!(
            lines.contains("ExceptionType: \"pause\" is neither"),
            "{lines}"
        );
        assert!(
            lines.contains("ExceptionValue: \"9\" is not a time"),
            "{lines}"
        );
        assert!(imported.exceptions.is_empty());
        assert!(imported.report.blocks());
    }
}
