use super::*;

fn set(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn period(name: &str, begin: Option<&str>, end: Option<&str>, weekdays: &[&str]) -> IsPeriod {
    IsPeriod {
        name: name.to_owned(),
        begintime: begin.map(str::to_owned),
        endtime: end.map(str::to_owned),
        weekdays: set(weekdays),
        ..IsPeriod::default()
    }
}

fn schedule(name: &str, periods: &[&str]) -> IsSchedule {
    IsSchedule {
        name: name.to_owned(),
        periods: set(periods),
        timezone: Some("Asia/Seoul".to_owned()),
        ..IsSchedule::default()
    }
}

fn config(tagname: &str) -> IsConfig {
    IsConfig {
        name: "scheduler".to_owned(),
        tagname: Some(tagname.to_owned()),
        default_timezone: Some("UTC".to_owned()),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
}

fn lines(imported: &Imported) -> String {
    imported.report.lines().join("\n")
}

#[test]
fn a_schedule_of_several_periods_becomes_one_schedule_with_those_periods() {
    let table = IsTable {
        periods: vec![
            period("office", Some("09:00"), Some("17:00"), &["mon-fri"]),
            IsPeriod {
                monthdays: set(&["L"]),
                months: set(&["jan/3"]),
                ..period("month-end", Some("8:00"), Some("20:00"), &[])
            },
            period("weekend", None, None, &["sun", "sat"]),
        ],
        schedules: vec![IsSchedule {
            enforced: Some(true),
            hibernate: Some(false),
            description: Some("Seoul office".to_owned()),
            stop_new_instances: Some(true),
            ..schedule("seoul", &["office", "weekend", "month-end"])
        }],
        configs: vec![config("Schedule")],
        ..IsTable::default()
    };
    let imported = import(&table, "Schedule", today());
    assert!(!imported.report.has_findings(), "{}", lines(&imported));
    let expected = SchedulesFile::from_toml(
        r#"
[[schedule]]
name = "seoul"
timezone = "Asia/Seoul"
enforce = true
[[schedule.period]]
monthdays = "L"
months = "jan/3"
start = "08:00"
stop = "20:00"
[[schedule.period]]
days = "mon-fri"
start = "09:00"
stop = "17:00"
[[schedule.period]]
days = "sat,sun"
"#,
    )
    .unwrap();
    assert_eq!(imported.file, expected);
    assert!(lines(&imported).contains("schedule seoul (\"Seoul office\") -> schedule seoul"));
}

#[test]
fn a_resize_maintenance_windows_and_retain_running_are_reported_not_guessed() {
    let table = IsTable {
        periods: vec![IsPeriod {
            monthdays: set(&["L"]),
            ..period("first-monday", Some("09:00"), Some("17:00"), &["mon#1"])
        }],
        schedules: vec![IsSchedule {
            retain_running: Some(true),
            stop_new_instances: Some(true),
            use_maintenance_window: Some(true),
            ssm_maintenance_window: set(&["patching"]),
            ..schedule("big", &["first-monday@t3.large"])
        }],
        ..IsTable::default()
    };
    let imported = import(&table, "ScheduleName", today());
    let text = lines(&imported);
    for expected in [
        "periods: first-monday@t3.large: curfew does not resize",
        "retain_running: true",
        "stop_new_instances: true",
        "use_maintenance_window: true",
        "ssm_maintenance_window: patching",
        "config (none in the table; Instance Scheduler's default tag name) -> CURFEW_TAG_KEY=Schedule\n    tagname: resources are tagged Schedule=<schedule name>: deploy curfew with CURFEW_TAG_KEY=Schedule (this run has ScheduleName)",
    ] {
        assert!(text.contains(expected), "{expected}\nin:\n{text}");
    }
    assert!(imported.report.has_findings());
    assert!(!imported.report.blocks(), "{text}");
    let period = &imported.file.schedule[0].periods[0];
    assert_eq!(period.days.as_deref(), Some("mon#1"));
    assert_eq!(period.monthdays.as_deref(), Some("L"));
}

#[test]
fn an_unknown_weekday_leaves_out_the_period_and_every_schedule_that_uses_it() {
    let table = IsTable {
        periods: vec![
            period("odd", Some("09:00"), Some("17:00"), &["mon-fry"]),
            period("fine", Some("09:00"), Some("17:00"), &["mon-fri"]),
        ],
        schedules: vec![
            schedule("dev", &["odd", "fine"]),
            schedule("qa", &["fine", "gone"]),
        ],
        configs: vec![config("ScheduleName")],
        ..IsTable::default()
    };
    let imported = import(&table, "ScheduleName", today());
    let text = lines(&imported);
    for expected in [
        "period odd -> (not imported)\n    weekdays:",
        "schedule dev -> (not imported)\n    periods: period \"odd\" could not be imported",
        "schedule qa -> (not imported)\n    periods: no period item \"gone\"",
    ] {
        assert!(text.contains(expected), "{expected}\nin:\n{text}");
    }
    assert!(imported.report.blocks());
    assert!(imported.file.schedule.is_empty());
}

#[test]
fn an_end_before_the_begin_is_refused_not_read_as_overnight() {
    let table = IsTable {
        periods: vec![period("night", Some("22:00"), Some("06:00"), &[])],
        schedules: vec![schedule("dev", &["night"])],
        ..IsTable::default()
    };
    let imported = import(&table, "Schedule", today());
    assert!(lines(&imported).contains("endtime: 06:00 is not after begintime 22:00"));
    assert!(imported.report.blocks());
}

#[test]
fn a_translation_that_would_act_differently_is_left_out_with_the_instant() {
    let table = IsTable {
        periods: vec![period("begin", Some("09:00"), None, &["mon-fri"])],
        schedules: vec![schedule("dev", &["begin"])],
        ..IsTable::default()
    };
    let imported = import(&table, "Schedule", today());
    let text = lines(&imported);
    // 2027-01-01 is a Friday: the first Saturday, Instance Scheduler stops.
    assert!(
        text.contains("curfew would act differently: at 2027-01-02 04:30 (Asia/Seoul) Instance Scheduler stops them, curfew runs them"),
        "{text}"
    );
    assert!(imported.report.blocks());
}

#[test]
fn override_status_holds_the_state_and_lists_the_periods_set_aside() {
    let table = IsTable {
        periods: vec![period("office", Some("09:00"), Some("17:00"), &["mon-fri"])],
        schedules: vec![
            IsSchedule {
                override_status: Some("running".to_owned()),
                ..schedule("always", &["office"])
            },
            IsSchedule {
                override_status: Some("stopped".to_owned()),
                ..schedule("never", &[])
            },
            IsSchedule {
                timezone: None,
                ..schedule("empty", &[])
            },
        ],
        configs: vec![IsConfig {
            default_timezone: Some("Europe/London".to_owned()),
            ..config("Schedule")
        }],
        ..IsTable::default()
    };
    let imported = import(&table, "Schedule", today());
    let text = lines(&imported);
    assert!(
        text.contains("override_status: running: imported as a schedule that runs all the time (one whole-day period, every day); its periods, set aside: days mon-fri, 09:00-17:00"),
        "{text}"
    );
    assert!(!imported.report.blocks(), "{text}");
    let [always, never, empty] = [0, 1, 2].map(|i| &imported.file.schedule[i]);
    assert_eq!(always.periods, [PeriodDef::default()]);
    assert_eq!(never.periods[0].stop.as_deref(), Some("00:00"));
    assert_eq!(empty.periods[0].stop.as_deref(), Some("00:00"));
    assert_eq!(
        empty.timezone.as_deref(),
        Some("Europe/London"),
        "the config's default"
    );
}
