//! One case a line: a reply, a language, the colour and what the room must read.

use super::*;
use crate::command::{parse, Argument, Command, CommandError, ScheduleOp, Usage};
use crate::jandi::Message;
use crate::resource::GroupKind;
use crate::schedule::{
    parse_schedules,
    timeline::{Upcoming, UpcomingKind},
    Event, Exception, Handback, Source,
};
use crate::value::ValueError;
use crate::Action;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

const SEOUL: Tz = chrono_tz::Asia::Seoul;

const TOML: &str = r#"
[[schedule]]
name = "dev"
timezone = "Asia/Seoul"

[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#;

fn ko() -> Context {
    Context::new(Lang::Ko, "서버")
}

fn en() -> Context {
    Context::new(Lang::En, "서버")
}

fn ctx(lang: Lang) -> Context {
    match lang {
        Lang::Ko => ko(),
        Lang::En => en(),
    }
}

/// Everything a user sees: body, block titles and descriptions.
fn text(message: &Message) -> String {
    let mut all = message.body.clone();
    for block in &message.connect_info {
        all.push('\n');
        all.push_str(&block.title);
        all.push('\n');
        all.push_str(&block.description);
    }
    all
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

/// A Seoul wall-clock time as an instant.
fn seoul(text: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    SEOUL
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

fn info(on: &str, exceptions: &[Exception]) -> Reply {
    let schedules = parse_schedules(TOML, SEOUL).unwrap();
    let schedule = &schedules[0];
    Reply::Info(InfoView::of(schedule, exceptions, &[], date(on)))
}

/// `info` of a schedule that runs all the time.
fn always_info() -> Reply {
    let text = "[[schedule]]\nname = \"always\"\ntimezone = \"Asia/Seoul\"\n[[schedule.period]]\ndays = \"all\"\n";
    let schedules = parse_schedules(text, SEOUL).unwrap();
    let schedule = &schedules[0];
    Reply::Info(InfoView::of(schedule, &[], &[], date("2026-11-27")))
}

fn weekday_info() -> Reply {
    info("2026-11-27", &[])
}

fn saturday_start_only() -> Reply {
    let exceptions = [Exception {
        date: date("2026-11-28"),
        action: Action::Start,
        time: Some(time("10:00")),
    }];
    info("2026-11-28", &exceptions)
}

fn removed_stop() -> Reply {
    let exceptions = [Exception {
        date: date("2026-11-27"),
        action: Action::Stop,
        time: None,
    }];
    info("2026-11-27", &exceptions)
}

fn later_start() -> Reply {
    let exceptions = [Exception {
        date: date("2026-11-27"),
        action: Action::Start,
        time: Some(time("11:30")),
    }];
    info("2026-11-27", &exceptions)
}

fn instance(name: &str, id: &str, state: InstanceState) -> InstanceLine {
    InstanceLine {
        name: name.into(),
        id: id.into(),
        kind: GroupKind::Ec2,
        state,
    }
}

fn status() -> Reply {
    Reply::Status(StatusView {
        schedule: "dev".into(),
        unreachable: vec![],
        blocks: vec![
            InstanceBlock {
                title: BlockTitle::Group {
                    name: "db".into(),
                    kind: GroupKind::Rds,
                },
                instances: vec![instance("dev-db", "dev-db", InstanceState::Running)],
            },
            InstanceBlock {
                title: BlockTitle::Group {
                    name: "app".into(),
                    kind: GroupKind::Ec2,
                },
                instances: vec![
                    instance("web-1", "i-0abc", InstanceState::Running),
                    instance("web-2", "i-0def", InstanceState::Stopped),
                    instance("batch", "i-0fff", InstanceState::Other("terminated".into())),
                ],
            },
        ],
    })
}

fn status_ec2_only() -> Reply {
    Reply::Status(StatusView {
        schedule: "dev".into(),
        unreachable: vec![],
        blocks: vec![InstanceBlock {
            title: BlockTitle::Ec2,
            instances: vec![instance("web-1", "i-0abc", InstanceState::Starting)],
        }],
    })
}

/// One resource of each kind beyond EC2, each up or down.
fn status_every_kind() -> Reply {
    let of = |kind: GroupKind, name: &str, state: InstanceState| InstanceLine {
        kind,
        ..instance(name, name, state)
    };
    Reply::Status(StatusView {
        schedule: "dev".into(),
        unreachable: vec![],
        blocks: vec![
            InstanceBlock {
                title: BlockTitle::Rds,
                instances: vec![of(GroupKind::Rds, "dev-db", InstanceState::Running)],
            },
            InstanceBlock {
                title: BlockTitle::RdsCluster,
                instances: vec![of(GroupKind::RdsCluster, "aurora", InstanceState::Stopped)],
            },
            InstanceBlock {
                title: BlockTitle::Asg,
                instances: vec![
                    of(GroupKind::Asg, "workers", InstanceState::Stopped),
                    of(GroupKind::Asg, "batch", InstanceState::Starting),
                ],
            },
            InstanceBlock {
                title: BlockTitle::Ecs,
                instances: vec![of(GroupKind::Ecs, "dev/api", InstanceState::Stopped)],
            },
        ],
    })
}

fn list() -> Reply {
    Reply::List(ListView {
        schedules: list_lines(),
        targets: vec![TargetLine {
            name: "stage".into(),
            account: Some("123456789012".into()),
            regions: vec!["us-east-1".into(), "eu-west-3".into()],
        }],
    })
}

fn list_lines() -> Vec<ScheduleLine> {
    vec![
        ScheduleLine {
            name: "dev".into(),
            enabled: true,
            timezone: SEOUL,
            periods: vec!["weekdays 09:00-19:00".into()],
            groups: vec!["db".into(), "app".into()],
            holidays: vec!["KR".into()],
        },
        ScheduleLine {
            name: "stage".into(),
            enabled: false,
            timezone: chrono_tz::UTC,
            periods: vec!["mon-fri 08:00-18:00".into()],
            groups: vec![],
            holidays: vec![],
        },
    ]
}

fn exception_info() -> Reply {
    Reply::ExceptionInfo(ExceptionInfoView {
        schedule: "dev".into(),
        date: date("2026-11-27"),
        exceptions: vec![
            Exception {
                date: date("2026-11-27"),
                action: Action::Start,
                time: Some(time("07:30")),
            },
            Exception {
                date: date("2026-11-27"),
                action: Action::Stop,
                time: None,
            },
        ],
    })
}

fn exception_info_empty() -> Reply {
    Reply::ExceptionInfo(ExceptionInfoView {
        schedule: "dev".into(),
        date: date("2026-11-27"),
        exceptions: vec![],
    })
}

fn changed(action: Action, change: ExceptionChange, warnings: Vec<ExceptionWarning>) -> Reply {
    Reply::ExceptionChanged(ExceptionChangeView {
        schedule: "dev".into(),
        timezone: SEOUL,
        date: date("2026-11-28"),
        action,
        change,
        warnings,
    })
}

fn set_start() -> Reply {
    changed(
        Action::Start,
        ExceptionChange::Set {
            time: Some(time("10:00")),
            replaced: None,
        },
        vec![],
    )
}

fn set_stop_none() -> Reply {
    changed(
        Action::Stop,
        ExceptionChange::Set {
            time: None,
            replaced: Some(Some(time("21:00"))),
        },
        vec![],
    )
}

fn set_start_without_stop() -> Reply {
    changed(
        Action::Start,
        ExceptionChange::Set {
            time: Some(time("10:00")),
            replaced: None,
        },
        vec![ExceptionWarning::StartWithoutStop {
            next_stop: Some(seoul("2026-11-30 19:00")),
        }],
    )
}

fn set_start_never_stops() -> Reply {
    changed(
        Action::Start,
        ExceptionChange::Set {
            time: Some(time("10:00")),
            replaced: None,
        },
        vec![ExceptionWarning::StartWithoutStop { next_stop: None }],
    )
}

fn set_in_past() -> Reply {
    changed(
        Action::Stop,
        ExceptionChange::Set {
            time: Some(time("06:00")),
            replaced: None,
        },
        vec![ExceptionWarning::InPast],
    )
}

fn deleted() -> Reply {
    changed(
        Action::Stop,
        ExceptionChange::Deleted {
            was: Some(time("21:00")),
        },
        vec![],
    )
}

fn nothing_to_delete() -> Reply {
    changed(Action::Start, ExceptionChange::NothingToDelete, vec![])
}

fn iref(name: &str, id: &str) -> InstanceRef {
    InstanceRef {
        name: name.into(),
        id: id.into(),
    }
}

fn force_start() -> Reply {
    Reply::Forced(ForceView {
        schedule: "dev".into(),
        timezone: SEOUL,
        action: Action::Start,
        acted: vec![iref("dev-db", "dev-db")],
        unchanged: vec![iref("web-1", "i-0abc")],
        caught: vec![],
        waiting: vec![GroupWait {
            group: "app".into(),
            on: vec!["db".into()],
        }],
        takeover: Takeover::Window {
            handback: Handback {
                at: seoul("2026-11-28 20:00"),
                held: Action::Start,
                resumes: Some(Action::Stop),
            },
            next: Some(Event {
                at: seoul("2026-11-30 09:00"),
                action: Action::Start,
                source: Source::Schedule,
            }),
        },
    })
}

/// `force_start for 2h` at 08:12 on a 09:00–19:00 Wednesday.
fn force_start_before_work() -> Reply {
    Reply::Forced(ForceView {
        schedule: "dev".into(),
        timezone: SEOUL,
        action: Action::Start,
        acted: vec![iref("web-1", "i-0abc")],
        unchanged: vec![],
        caught: vec![],
        waiting: vec![],
        takeover: Takeover::Window {
            handback: Handback {
                at: seoul("2026-12-02 10:12"),
                held: Action::Start,
                resumes: Some(Action::Start),
            },
            next: Some(Event {
                at: seoul("2026-12-02 19:00"),
                action: Action::Stop,
                source: Source::Schedule,
            }),
        },
    })
}

fn force_stop() -> Reply {
    Reply::Forced(ForceView {
        schedule: "dev".into(),
        timezone: SEOUL,
        action: Action::Stop,
        acted: vec![iref("web-1", "i-0abc"), iref("dev-db", "dev-db")],
        unchanged: vec![],
        caught: vec![],
        waiting: vec![],
        takeover: Takeover::NextEvent(Some(Event {
            at: seoul("2026-11-30 09:00"),
            action: Action::Start,
            source: Source::Schedule,
        })),
    })
}

fn next() -> Reply {
    let up = |at, kind, source| Upcoming {
        at: seoul(at),
        kind,
        source,
    };
    Reply::Next(NextView {
        schedule: "dev".into(),
        timezone: SEOUL,
        events: vec![
            up(
                "2026-11-27 18:50",
                UpcomingKind::StopWarning,
                Source::Schedule,
            ),
            up("2026-11-27 19:00", UpcomingKind::Stop, Source::Schedule),
            up("2026-11-28 10:00", UpcomingKind::Start, Source::Exception),
            up(
                "2026-11-28 20:00",
                UpcomingKind::Handback {
                    held: Action::Start,
                    resumes: Some(Action::Stop),
                },
                Source::Override,
            ),
            up("2026-11-28 20:00", UpcomingKind::Stop, Source::Override),
            up(
                "2026-11-30 12:00",
                UpcomingKind::Handback {
                    held: Action::Stop,
                    resumes: Some(Action::Stop),
                },
                Source::Override,
            ),
        ],
        days_off: vec![],
    })
}

/// `next` on Friday 2027-02-05 08:00 for `dev` keeping KR's holidays:
/// Monday and Tuesday (설날 다음날, its substitute) start nothing.
fn next_over_seollal() -> Reply {
    let dev = dev_keeping_kr();
    Reply::Next(NextView::of(
        &dev,
        &[],
        &[],
        seoul("2027-02-05 08:00"),
        chrono::Duration::days(7),
    ))
}

fn next_empty() -> Reply {
    Reply::Next(NextView {
        schedule: "dev".into(),
        timezone: SEOUL,
        events: vec![],
        days_off: vec![],
    })
}

fn history() -> Reply {
    Reply::History(HistoryView {
        schedule: "dev".into(),
        timezone: SEOUL,
        entries: vec![
            AuditEntry {
                at: seoul("2026-11-20 09:15"),
                writer: "kim@example.com".into(),
                room: Some("ops".into()),
                text: "/서버 dev force_stop".into(),
                front: crate::front::Front::Jandi,
            },
            AuditEntry {
                at: seoul("2026-11-23 14:05"),
                writer: "lee@example.com".into(),
                room: None,
                text: "/curfew dev e s 2026-11-28 start 10:00".into(),
                front: crate::front::Front::Slack,
            },
        ],
    })
}

fn history_empty() -> Reply {
    Reply::History(HistoryView {
        schedule: "dev".into(),
        timezone: SEOUL,
        entries: vec![],
    })
}

fn syntax(input: &str) -> Reply {
    Reply::Error(ErrorView::Syntax(parse(input).unwrap_err()))
}

fn bad_date() -> Reply {
    syntax("dev exception set 2026-02-30 start 10:00")
}

fn bad_time() -> Reply {
    syntax("dev e s 2026-11-28 stop 25:00")
}

fn unknown_command() -> Reply {
    Reply::Error(ErrorView::Syntax(CommandError::UnknownCommand {
        word: "restart".into(),
        usage: Usage::General,
    }))
}

fn missing_date() -> Reply {
    Reply::Error(ErrorView::Syntax(CommandError::MissingArgument {
        what: Argument::Date,
        usage: Usage::ExceptionDel,
    }))
}

fn bad_duration() -> Reply {
    Reply::Error(ErrorView::Syntax(CommandError::BadValue {
        what: Argument::Duration,
        input: "3x".into(),
        reason: ValueError::DurationFormat,
        usage: Usage::ForceStart,
    }))
}

fn unknown_schedule() -> Reply {
    Reply::Error(ErrorView::UnknownSchedule {
        name: "dve".into(),
        known: vec!["dev".into(), "stage".into()],
        suggestion: Some("dev".into()),
    })
}

fn unknown_schedule_no_guess() -> Reply {
    Reply::Error(ErrorView::UnknownSchedule {
        name: "zzz".into(),
        known: vec!["dev".into(), "stage".into()],
        suggestion: None,
    })
}

fn not_allowed() -> Reply {
    Reply::Error(ErrorView::NotAllowed {
        writer: "park@example.com".into(),
    })
}

fn failed() -> Reply {
    Reply::Error(ErrorView::Failed {
        what: "EC2 StartInstances was throttled".into(),
    })
}

fn accepted() -> Reply {
    Reply::Accepted {
        command: Command::Schedule {
            schedule: "dev".into(),
            op: ScheduleOp::ForceStop { end: None },
        },
    }
}

const OK: &str = "#1DDB16";
const WARN: &str = "#FFBB00";
const ERR: &str = "#FF0000";

/// `case!(name, reply(), Lang, colour, ["must appear", ...], !["must not appear", ...])`
macro_rules! case {
    ($name:ident, $reply:expr, $lang:ident, $color:expr, [$($has:expr),* $(,)?] $(, ![$($hasnt:expr),* $(,)?])?) => {
        #[test]
        fn $name() {
            let message = Message::from(&render(&$reply, &ctx(Lang::$lang)));
            let all = text(&message);
            assert_eq!(message.connect_color, $color, "colour of:\n{all}");
            $(assert!(all.contains($has), "expected {:?} in:\n{all}", $has);)*
            $($(assert!(!all.contains($hasnt), "did not expect {:?} in:\n{all}", $hasnt);)*)?
        }
    };
}

// help
case!(
    help_ko_lists_every_usage_line,
    Reply::Help,
    Ko,
    OK,
    [
        "/서버 help",
        "/서버 list",
        "/서버 <schedule> status|s",
        "/서버 <schedule> info|i [DATE]",
        "/서버 <schedule> exception|e set|s DATE start|stop TIME|None",
        "/서버 <schedule> exception|e del|d DATE start|stop",
        "/서버 <schedule> force_start [for DURATION | until [DATE] TIME]",
        "/서버 <schedule> history",
        "YYYY-MM-DD",
        "H:MM",
        "1h30m",
        "충성"
    ]
);
case!(
    help_en_explains_each_command,
    Reply::Help,
    En,
    OK,
    [
        "/서버 <schedule> next — upcoming events, 7 days",
        "/서버 <schedule> force_stop [for DURATION | until [DATE] TIME] — stops now; with for/until the schedule takes over at the end",
        "DATE:",
        "TIME:",
        "DURATION:"
    ],
    !["충성"]
);

// list
case!(
    list_ko_one_line_per_schedule,
    list(),
    Ko,
    OK,
    [
        "dev",
        "Asia/Seoul",
        "weekdays 09:00-19:00",
        "db → app, 공휴일 휴무 KR",
        "stage",
        "휴가 중",
        "2개"
    ]
);
case!(
    list_en_enabled_and_disabled,
    list(),
    En,
    OK,
    [
        "dev — enabled, Asia/Seoul, weekdays 09:00-19:00, groups db → app",
        "stage — disabled, UTC",
        "Targets",
        "stage — 123456789012, us-east-1, eu-west-3"
    ]
);
case!(
    list_ko_none,
    Reply::List(ListView::default()),
    Ko,
    OK,
    ["없습니다"]
);
case!(
    list_en_none,
    Reply::List(ListView::default()),
    En,
    OK,
    ["no schedules"]
);

// status
case!(
    status_ko_totals_and_lines,
    status(),
    Ko,
    OK,
    [
        "전체 4대",
        "기상(running) 2대",
        "취침(stopped) 1대",
        "web-1 (i-0abc) : 기상(running)",
        "그룹 db (rds)",
        "batch (i-0fff) : terminated"
    ]
);
case!(
    status_en_totals_and_lines,
    status(),
    En,
    OK,
    [
        "dev: 4 in all, 2 running, 1 stopped",
        "web-2 (i-0def) : stopped",
        "Group app (ec2)",
        "dev-db : running"
    ],
    !["dev-db (dev-db)"]
);
case!(
    status_en_each_kind_in_its_own_words,
    status_every_kind(),
    En,
    OK,
    [
        "dev-db : available",
        "RDS clusters",
        "aurora : stopped",
        "Auto Scaling groups",
        "workers : scaled to 0",
        "batch : scaling up",
        "ECS services",
        "dev/api : desired 0"
    ]
);
case!(
    status_ko_each_kind_in_its_own_words,
    status_every_kind(),
    Ko,
    OK,
    [
        "dev-db : 기상(available)",
        "RDS 클러스터",
        "workers : 취침(scaled to 0)",
        "오토 스케일링 그룹",
        "ECS 서비스",
        "dev/api : 취침(desired 0)"
    ]
);
case!(
    status_en_service_block,
    status_ec2_only(),
    En,
    OK,
    [
        "EC2",
        "web-1 (i-0abc) : starting",
        "1 in all, 0 running, 0 stopped"
    ]
);
case!(
    status_ko_service_block,
    status_ec2_only(),
    Ko,
    OK,
    ["EC2", "기상 중(starting)"]
);

// info
case!(
    info_en_weekday_plan,
    weekday_info(),
    En,
    OK,
    [
        "dev on 2026-11-27 (Fri)",
        "Time zone : Asia/Seoul",
        "Enabled : yes",
        "weekdays 09:00-19:00",
        "Start : 09:00",
        "Stop : 19:00",
        "░░░░░░░░░██████████░░░░░",
        "0     6     12    18"
    ],
    !["★", "next stop"]
);
case!(
    info_ko_weekday_plan,
    weekday_info(),
    Ko,
    OK,
    [
        "2026-11-27 (금)",
        "Asia/Seoul",
        "기상(start) : 09:00",
        "취침(stop) : 19:00",
        "░░░░░░░░░██████████░░░░░"
    ],
    !["★"]
);
case!(
    info_en_saturday_start_names_next_stop,
    saturday_start_only(),
    En,
    WARN,
    [
        "2026-11-28 (Sat)",
        "Start : 10:00 ★ exception",
        "Stop : none",
        "No stop on this day; next stop 2026-11-30 (Mon) 19:00"
    ]
);
case!(
    info_ko_saturday_start_names_next_stop,
    saturday_start_only(),
    Ko,
    WARN,
    [
        "2026-11-28 (토)",
        "10:00 ★ 예외",
        "취침이 없습니다",
        "2026-11-30 (월) 19:00",
        "말입니다"
    ]
);
case!(
    info_en_removed_stop_marked,
    removed_stop(),
    En,
    WARN,
    [
        "Start : 09:00",
        "Stop : None ★ exception",
        "No stop on this day; next stop 2026-11-30 (Mon) 19:00"
    ]
);
case!(
    info_ko_removed_stop_marked,
    removed_stop(),
    Ko,
    WARN,
    ["None ★ 예외", "취침이 없습니다", "2026-11-30 (월) 19:00"]
);
case!(
    info_en_moved_start_marked,
    later_start(),
    En,
    OK,
    ["Start : 11:30 ★ exception", "Stop : 19:00"],
    !["09:00 ★"]
);

// exception info
case!(
    exception_info_en_lists,
    exception_info(),
    En,
    OK,
    [
        "2 exception(s) on 2026-11-27 (Fri)",
        "start : 07:30",
        "stop : None = no stop that day"
    ]
);
case!(
    exception_info_ko_lists,
    exception_info(),
    Ko,
    OK,
    [
        "예외 2건",
        "기상(start) : 07:30",
        "취침(stop) : None (그날 취침 없음)"
    ]
);
case!(
    exception_info_en_none,
    exception_info_empty(),
    En,
    OK,
    ["no exceptions on 2026-11-27"]
);
case!(
    exception_info_ko_none,
    exception_info_empty(),
    Ko,
    OK,
    ["예외가 없습니다"]
);

// exception set / del
case!(
    exception_set_en,
    set_start(),
    En,
    OK,
    ["start on 2026-11-28 (Sat) set to 10:00"]
);
case!(
    exception_set_ko,
    set_start(),
    Ko,
    OK,
    ["2026-11-28 (토)", "10:00", "설정하였습니다"]
);
case!(
    exception_set_none_en,
    set_stop_none(),
    En,
    OK,
    ["set to None = no stop that day", "replaces 21:00"]
);
case!(
    exception_set_none_ko,
    set_stop_none(),
    Ko,
    OK,
    ["None (그날 취침 없음)", "이전 예외: 21:00"]
);
case!(
    exception_start_without_stop_en,
    set_start_without_stop(),
    En,
    WARN,
    [
        "start and no stop",
        "the servers stop at 2026-11-30 (Mon) 19:00"
    ]
);
case!(
    exception_start_without_stop_ko,
    set_start_without_stop(),
    Ko,
    WARN,
    ["취침이 없습니다", "2026-11-30 (월) 19:00"]
);
case!(
    exception_never_stops_en,
    set_start_never_stops(),
    En,
    WARN,
    ["nothing stops the servers within a week"]
);
case!(
    exception_never_stops_ko,
    set_start_never_stops(),
    Ko,
    WARN,
    ["일주일 안에"]
);
case!(
    exception_in_past_en,
    set_in_past(),
    En,
    WARN,
    ["in the past"]
);
case!(
    exception_in_past_ko,
    set_in_past(),
    Ko,
    WARN,
    ["이미 지나간"]
);
case!(
    exception_deleted_en,
    deleted(),
    En,
    OK,
    ["removed the stop exception on 2026-11-28 (Sat) (was 21:00)"]
);
case!(
    exception_deleted_ko,
    deleted(),
    Ko,
    OK,
    ["삭제하였습니다", "21:00"]
);
case!(
    exception_nothing_to_delete_en,
    nothing_to_delete(),
    En,
    OK,
    ["no start exception on 2026-11-28"]
);
case!(
    exception_nothing_to_delete_ko,
    nothing_to_delete(),
    Ko,
    OK,
    ["지울", "없지 말입니다"]
);

case!(
    info_en_running_all_the_time,
    always_info(),
    En,
    OK,
    ["Running throughout the day.", "████████████████████████"],
    !["nothing stops them"]
);
case!(
    info_ko_running_all_the_time,
    always_info(),
    Ko,
    OK,
    ["하루 종일 기상 상태입니다!"]
);

// force
case!(
    force_start_en_with_waiting,
    force_start(),
    En,
    WARN,
    [
        "dev-db",
        "web-1 (i-0abc)",
        "app : starts once db is up",
        "Hands back to the schedule at 2026-11-28 (Sat) 20:00: stop then; next: 2026-11-30 (Mon) 09:00 start (schedule)."
    ]
);
case!(
    force_start_en_hands_back_quietly_in_working_hours,
    force_start_before_work(),
    En,
    OK,
    ["Hands back to the schedule at 2026-12-02 (Wed) 10:12: stays up until 2026-12-02 (Wed) 19:00."],
    !["stop then", "Running until"]
);
case!(
    force_start_ko_hands_back_quietly_in_working_hours,
    force_start_before_work(),
    Ko,
    OK,
    [
        "2026-12-02 (수) 10:12에 정규 일과로 복귀합니다!",
        "2026-12-02 (수) 10:12 정규 일과 복귀: 2026-12-02 (수) 19:00까지 기상 유지"
    ]
);
case!(
    force_start_ko_with_waiting,
    force_start(),
    Ko,
    WARN,
    [
        "긴급 기상",
        "dev-db",
        "app : db 기상 후",
        "2026-11-28 (토) 20:00 정규 일과 복귀: 그때 취침(stop)합니다",
        "2026-11-30 (월) 09:00"
    ]
);
case!(
    force_stop_en,
    force_stop(),
    En,
    OK,
    [
        "2 instance(s) stopped",
        "web-1 (i-0abc)\ndev-db",
        "takes over at 2026-11-30 (Mon) 09:00"
    ],
    !["Waiting", "until"]
);
case!(
    force_stop_ko,
    force_stop(),
    Ko,
    OK,
    ["긴급 취침", "2대 취침시켰습니다"]
);

// next
case!(
    next_en_with_sources,
    next(),
    En,
    OK,
    [
        "2026-11-27 (Fri) 18:50 stop warning (schedule)",
        "2026-11-27 (Fri) 19:00 stop (schedule)",
        "2026-11-28 (Sat) 10:00 start (exception)",
        "2026-11-28 (Sat) 20:00 hands back to the schedule: changes over (override)\n2026-11-28 (Sat) 20:00 stop (override)",
        "2026-11-30 (Mon) 12:00 hands back to the schedule: stays down (override)"
    ]
);
case!(
    next_ko_with_sources,
    next(),
    Ko,
    OK,
    [
        "2026-11-28 (토) 10:00 기상(start) (예외(exception))",
        "취침 예고",
        "긴급 명령(override)"
    ]
);
case!(next_en_none, next_empty(), En, OK, ["nothing planned"]);
case!(next_ko_none, next_empty(), Ko, OK, ["일정이 없습니다"]);

// history
case!(history_en_newest_first, history(), En, OK,
    ["2026-11-23 (Mon) 14:05 lee@example.com (slack) : /curfew dev e s 2026-11-28 start 10:00\n2026-11-20 (Fri) 09:15 kim@example.com @ops (jandi) : /서버 dev force_stop"]);
case!(
    history_ko,
    history(),
    Ko,
    OK,
    [
        "최근 변경 2건",
        "kim@example.com @ops (jandi)",
        "2026-11-20 (금) 09:15"
    ]
);
case!(history_en_none, history_empty(), En, OK, ["no changes"]);
case!(
    history_ko_none,
    history_empty(),
    Ko,
    OK,
    ["변경 기록이 없습니다"]
);

// accepted
case!(
    accepted_ko_names_command,
    accepted(),
    Ko,
    OK,
    ["dev force_stop", "접수"]
);
case!(
    accepted_en_names_command,
    accepted(),
    En,
    OK,
    ["Received `dev force_stop`"]
);

// errors
case!(
    error_ko_bad_date_quotes_input_and_usage,
    bad_date(),
    Ko,
    ERR,
    [
        "2026-02-30",
        "달력에 없는 날짜",
        "/서버 <schedule> exception|e set|s DATE start|stop TIME|None"
    ]
);
case!(
    error_en_bad_date_quotes_input_and_usage,
    bad_date(),
    En,
    ERR,
    [
        "Bad date '2026-02-30': no such day in the calendar",
        "/서버 <schedule> exception|e set|s DATE start|stop TIME|None"
    ]
);
case!(
    error_en_bad_time,
    bad_time(),
    En,
    ERR,
    [
        "Bad time '25:00': hours run 00-23",
        "/서버 <schedule> exception|e set|s DATE start|stop TIME|None"
    ]
);
case!(
    error_ko_bad_time,
    bad_time(),
    Ko,
    ERR,
    ["'25:00'", "시는 00-23"]
);
case!(
    error_en_unknown_command,
    unknown_command(),
    En,
    ERR,
    [
        "Unknown command 'restart'",
        "/서버 <schedule> status|info|exception|force_start|force_stop|next|history"
    ]
);
case!(
    error_ko_unknown_command,
    unknown_command(),
    Ko,
    ERR,
    ["'restart'", "모르는 명령", "/서버 <schedule> status|"]
);
case!(
    error_en_missing_argument,
    missing_date(),
    En,
    ERR,
    [
        "Missing date",
        "/서버 <schedule> exception|e del|d DATE start|stop"
    ]
);
case!(
    error_ko_missing_argument,
    missing_date(),
    Ko,
    ERR,
    [
        "날짜이(가) 빠졌습니다",
        "/서버 <schedule> exception|e del|d"
    ]
);
case!(
    error_en_bad_duration,
    bad_duration(),
    En,
    ERR,
    [
        "'3x'",
        "30m, 2h, 1h30m, 1d or 2d12h",
        "/서버 <schedule> force_start [for DURATION | until [DATE] TIME]"
    ]
);
case!(
    error_ko_bad_duration,
    bad_duration(),
    Ko,
    ERR,
    ["'3x'", "/서버 <schedule> force_start"]
);
case!(
    error_en_unknown_schedule_suggests,
    unknown_schedule(),
    En,
    ERR,
    [
        "no schedule named 'dve'",
        "Did you mean 'dev'?",
        "dev\nstage"
    ]
);
case!(
    error_ko_unknown_schedule_suggests,
    unknown_schedule(),
    Ko,
    ERR,
    ["'dve'", "혹시 'dev' 말입니까?", "dev\nstage"]
);
case!(
    error_en_unknown_schedule_without_guess,
    unknown_schedule_no_guess(),
    En,
    ERR,
    ["'zzz'", "dev\nstage"],
    !["Did you mean"]
);
case!(
    error_en_not_allowed,
    not_allowed(),
    En,
    ERR,
    ["park@example.com may not change schedules", "CURFEW_ADMINS"]
);
case!(
    error_ko_not_allowed,
    not_allowed(),
    Ko,
    ERR,
    ["park@example.com", "권한이 없", "CURFEW_ADMINS"]
);
fn wrong_room() -> Reply {
    Reply::Error(ErrorView::WrongRoom {
        schedule: "dev".into(),
        room: Some("random".into()),
        rooms: vec!["#ops".into(), "C0123ABC".into()],
    })
}
case!(
    error_en_wrong_room,
    wrong_room(),
    En,
    ERR,
    [
        "dev cannot be changed from random (not in its rooms)",
        "#ops\nC0123ABC"
    ]
);
case!(
    error_ko_wrong_room,
    wrong_room(),
    Ko,
    ERR,
    ["random", "rooms", "바꿀 수 있는 방", "#ops\nC0123ABC"]
);
case!(
    error_en_failed,
    failed(),
    En,
    ERR,
    ["Failed: EC2 StartInstances was throttled"]
);
case!(
    error_ko_failed,
    failed(),
    Ko,
    ERR,
    ["실패", "EC2 StartInstances was throttled"]
);

/// The keyword is used as configured, with or without its slash.
#[test]
fn usage_line_follows_the_keyword() {
    let message = Message::from(&render(&bad_date(), &Context::new(Lang::En, "/srv")));
    assert!(text(&message).contains("/srv <schedule> exception|e set|s DATE start|stop TIME|None"));
}

/// The body stays short: lists go into blocks.
#[test]
fn bodies_stay_short() {
    for reply in [
        Reply::Help,
        list(),
        status(),
        weekday_info(),
        next(),
        history(),
        force_start(),
    ] {
        for lang in [Lang::Ko, Lang::En] {
            let message = Message::from(&render(&reply, &ctx(lang)));
            assert!(!message.body.contains('\n'), "{}", message.body);
            assert!(!message.connect_info.is_empty());
        }
    }
}

// notices: caught mid-way (SPEC §6)
fn placed(name: &str, id: &str) -> Placed {
    Placed {
        name: name.into(),
        id: id.into(),
        zone: None,
    }
}

fn caught_db() -> Caught {
    Caught {
        placed: placed("dev-db", "dev-db"),
        kind: GroupKind::Rds,
        state: InstanceState::Starting,
    }
}

fn notice(notice: Notice) -> Reply {
    Reply::Notice(NoticeView {
        schedule: "dev".into(),
        timezone: SEOUL,
        notice,
    })
}

fn stopped_with_a_db_caught() -> Reply {
    notice(Notice::Acted {
        action: Action::Stop,
        event: Some(Event {
            at: seoul("2026-12-09 19:00"),
            action: Action::Stop,
            source: Source::Schedule,
        }),
        enforced: false,
        acted: vec![placed("web-1", "i-0abc")],
        hibernated: vec![],
        waiting: vec![],
        caught: vec![caught_db()],
    })
}

fn db_never_at_rest() -> Reply {
    notice(Notice::NotAtRest {
        action: Action::Stop,
        minutes: 30,
        resources: vec![caught_db()],
    })
}

case!(
    notice_en_names_what_is_stopped_once_at_rest,
    stopped_with_a_db_caught(),
    En,
    OK,
    [
        "stopped 1 instance(s)",
        "web-1 (i-0abc)",
        "Stopped once at rest\ndev-db : starting"
    ],
    !["dev-db (dev-db)"]
);
case!(
    notice_ko_names_what_is_stopped_once_at_rest,
    stopped_with_a_db_caught(),
    Ko,
    OK,
    ["1대 취침", "멈추는 대로 취침\ndev-db : 기상 중(starting)"]
);
case!(
    notice_en_a_resource_never_at_rest_is_left_as_it_is,
    db_never_at_rest(),
    En,
    ERR,
    [
        "did not come to rest within 30 minutes",
        "stop left them",
        "Left as they are\ndev-db : starting"
    ]
);
case!(
    notice_ko_a_resource_never_at_rest_is_left_as_it_is,
    db_never_at_rest(),
    Ko,
    ERR,
    [
        "30분",
        "취침(stop)하지 못했습니다",
        "처리하지 못한 서버\ndev-db : 기상 중(starting)"
    ]
);

/// `dev` (weekdays 09:00-19:00 in Seoul) keeping KR's public holidays.
fn dev_keeping_kr() -> crate::schedule::Schedule {
    let text = TOML.replace(
        "timezone = \"Asia/Seoul\"\n",
        "timezone = \"Asia/Seoul\"\nholidays = [\"KR\"]\n",
    );
    parse_schedules(&text, SEOUL).unwrap().remove(0)
}

/// `dev` keeping KR's holidays, with an exception that makes 설날 다음날
/// (2027-02-08) a working day, asked on 2027-02-08.
fn holidays_kr_2027() -> Reply {
    let dev = dev_keeping_kr();
    let working = [
        Exception {
            date: date("2027-02-08"),
            action: Action::Start,
            time: Some(time("10:00")),
        },
        Exception {
            date: date("2027-03-02"),
            action: Action::Stop,
            time: Some(time("15:00")),
        },
    ];
    Reply::Holidays(HolidaysView::of(&dev, 2027, date("2027-02-08"), &working))
}

/// `info` of 2027-02-08 (설날 다음날) for `dev` keeping KR's holidays.
fn info_on_a_holiday() -> Reply {
    let dev = dev_keeping_kr();
    Reply::Info(InfoView::of(&dev, &[], &[], date("2027-02-08")))
}

case!(
    info_ko_on_a_holiday_says_it_is_a_day_off,
    info_on_a_holiday(),
    Ko,
    OK,
    [
        "설날 다음날: 쉽니다 (KR 공휴일",
        "기상(start) : 없음",
        "░░░░░░░░░░░░░░░░░░░░░░░░"
    ]
);
case!(
    info_en_on_a_holiday_says_it_is_a_day_off,
    info_on_a_holiday(),
    En,
    OK,
    [
        "The second day of Korean New Year: a day off (KR public holiday",
        "Start : none"
    ]
);

fn holidays_none() -> Reply {
    let dev = parse_schedules(TOML, SEOUL).unwrap().remove(0);
    Reply::Holidays(HolidaysView::of(&dev, 2027, date("2027-02-08"), &[]))
}

fn holidays_unknown_year() -> Reply {
    let Reply::Holidays(mut view) = holidays_kr_2027() else {
        unreachable!()
    };
    view.year = 2040;
    view.days.clear();
    Reply::Holidays(view)
}

case!(
    holidays_ko_lists_the_year_with_past_days_and_exceptions,
    holidays_kr_2027(),
    Ko,
    OK,
    [
        "충성! dev 2027년 쉬는 날 24일 보고드립니다! (KR 공휴일",
        "2027-02-07 (일) 설날 [KR] (지남)",
        "2027-02-08 (월) 설날 다음날 [KR]\n  예외: 기상(start) 10:00 → 근무일",
        "2027-02-09 (화) 설날 대체 휴일 [KR]",
        "2027-12-27 (월) 기독탄신일 대체 휴일 [KR]"
    ],
    !["2027-02-08 (월) 설날 다음날 [KR] (지남)", "2027-03-02"]
);
case!(
    holidays_en_names_them_in_english,
    holidays_kr_2027(),
    En,
    OK,
    [
        "dev: 24 day(s) off in 2027 (KR public holidays: nothing starts on them).",
        "2027-02-07 (Sun) Korean New Year [KR] (past)",
        "2027-02-08 (Mon) The second day of Korean New Year [KR]\n  exception: start 10:00 → a working day",
        "2027-09-15 (Wed) Chuseok [KR]"
    ],
    !["설날"]
);
case!(
    holidays_ko_none_kept_says_how,
    holidays_none(),
    Ko,
    OK,
    ["dev에는 쉬는 날이 없습니다", "holidays = [\"KR\"]"]
);
case!(
    holidays_en_a_year_curfew_does_not_know,
    holidays_unknown_year(),
    En,
    WARN,
    ["curfew knows public holidays of 2020–2035, not 2040."]
);

/// Every reply kind in both languages, as Slack gets it (SPEC §3, §4.2):
/// within Slack's limits (blocks a message, characters a header and a
/// section), the card's body as the notification `text`, and every line of
/// every block still there.
#[test]
fn every_reply_kind_renders_as_block_kit_within_slacks_limits() {
    use crate::slack::{self, Block, MAX_BLOCKS, MAX_HEADER_CHARS, MAX_SECTION_CHARS};
    let replies = [
        Reply::Help,
        list(),
        status(),
        status_ec2_only(),
        status_every_kind(),
        always_info(),
        weekday_info(),
        saturday_start_only(),
        removed_stop(),
        later_start(),
        exception_info(),
        exception_info_empty(),
        set_start(),
        set_stop_none(),
        set_start_without_stop(),
        set_start_never_stops(),
        set_in_past(),
        deleted(),
        nothing_to_delete(),
        force_start(),
        force_start_before_work(),
        force_stop(),
        next(),
        next_empty(),
        history(),
        history_empty(),
        holidays_kr_2027(),
        info_on_a_holiday(),
        next_over_seollal(),
        holidays_none(),
        holidays_unknown_year(),
        bad_date(),
        bad_time(),
        unknown_command(),
        missing_date(),
        bad_duration(),
        unknown_schedule(),
        unknown_schedule_no_guess(),
        not_allowed(),
        failed(),
        accepted(),
        wrong_room(),
        stopped_with_a_db_caught(),
        db_never_at_rest(),
    ];
    for reply in &replies {
        for lang in [Lang::Ko, Lang::En] {
            let card = render(reply, &ctx(lang));
            let messages = slack::messages(&card, Some(slack::ResponseType::InChannel));
            assert!(!messages.is_empty());
            let mut shown = String::new();
            for message in &messages {
                assert!(message.text.starts_with(&card.body), "{:?}", message.text);
                assert!(message.blocks.len() <= MAX_BLOCKS);
                for block in &message.blocks {
                    match block {
                        Block::Header { text } => {
                            assert!(text.text.chars().count() <= MAX_HEADER_CHARS);
                            shown.push_str(&text.text);
                        }
                        Block::Section { text } => {
                            assert!(text.text.chars().count() <= MAX_SECTION_CHARS);
                            shown.push_str(&text.text);
                        }
                        Block::Actions { .. } => {}
                    }
                    shown.push('\n');
                }
            }
            assert!(shown.contains(&card.body), "{lang:?}: {}", card.body);
            for block in &card.blocks {
                assert!(shown.contains(&block.title), "{lang:?}: {}", block.title);
                for line in block.text.lines() {
                    assert!(
                        shown.contains(line),
                        "{lang:?}: {line:?} of {}",
                        block.title
                    );
                }
            }
        }
    }
}

case!(
    next_ko_shows_the_days_off_in_order,
    next_over_seollal(),
    Ko,
    OK,
    [
        "2027-02-05 (금) 09:00 기상(start)",
        "2027-02-06 (토) 설날 전날: 쉽니다, 기상하지 않습니다 [KR]\n2027-02-07 (일) 설날: 쉽니다",
        // The day's stop stays (it stops what someone started that day),
        // so its warning does too: sent only if something runs then.
        "2027-02-08 (월) 설날 다음날: 쉽니다, 기상하지 않습니다 [KR]\n2027-02-08 (월) 18:50 취침 예고(warning)",
        "2027-02-09 (화) 설날 대체 휴일: 쉽니다",
        "2027-02-10 (수) 09:00 기상(start)"
    ],
    !["2027-02-08 (월) 09:00", "2027-02-09 (화) 09:00"]
);
case!(
    next_en_shows_the_days_off,
    next_over_seollal(),
    En,
    OK,
    ["2027-02-08 (Mon) The second day of Korean New Year: a day off, nothing starts [KR]"]
);
