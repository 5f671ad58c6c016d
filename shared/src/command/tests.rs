//! The grammar, one case a line: what parses to what, and what is refused why.

use super::*;
use crate::value::{parse_duration, DateArg, ForDuration, ForceEnd, ValueError};
use crate::Action::{Start, Stop};
use chrono::NaiveDate;
use proptest::prelude::*;

fn sched(op: ScheduleOp) -> Command {
    Command::Schedule {
        schedule: "dev".to_owned(),
        op,
    }
}
fn day(text: &str) -> DateArg {
    DateArg::On(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}
fn hm(text: &str) -> chrono::NaiveTime {
    chrono::NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}
fn mins(n: u32) -> ForDuration {
    ForDuration::from_minutes(n).unwrap()
}

/// `ok!(name, "text", expected)`: the text parses to the command.
macro_rules! ok {
    ($($name:ident: $text:expr => $expected:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_eq!(parse($text), Ok($expected), "parsing {:?}", $text);
        }
    )*};
}

/// `err!(name, "text", |e| check)`: the text is refused, and the error says why.
macro_rules! err {
    ($($name:ident: $text:expr => $pattern:pat $(if $guard:expr)?,)*) => {$(
        #[test]
        fn $name() {
            let result = parse($text);
            assert!(matches!(&result, Err($pattern) $(if $guard)?), "parsing {:?} gave {:?}", $text, result);
        }
    )*};
}

ok! {
    help_word: "/서버 help" => Command::Help;
    help_upper: "/서버 HELP" => Command::Help;
    bare_keyword_is_help: "/서버" => Command::Help;
    empty_text_is_help: "   " => Command::Help;
    list_word: "/서버 list" => Command::List;
    list_any_keyword: "/server List" => Command::List;
    no_keyword_at_all: "dev status" => sched(ScheduleOp::Status);
    status_word: "/서버 dev status" => sched(ScheduleOp::Status);
    status_alias: "/서버 dev s" => sched(ScheduleOp::Status);
    status_mixed_case: "/서버 dev StAtUs" => sched(ScheduleOp::Status);
    extra_spaces: "  /서버   dev    status  " => sched(ScheduleOp::Status);
    tabs_and_newlines: "/서버\tdev\nstatus" => sched(ScheduleOp::Status);
    info_default_today: "/서버 dev info" => sched(ScheduleOp::Info { date: DateArg::Today });
    info_alias_date: "/서버 dev i 2026-12-24" => sched(ScheduleOp::Info { date: day("2026-12-24") });
    info_tomorrow: "/서버 dev info tomorrow" => sched(ScheduleOp::Info { date: DateArg::Tomorrow });
    info_today_upper: "/서버 dev info TODAY" => sched(ScheduleOp::Info { date: DateArg::Today });
    info_single_digit_month: "/서버 dev info 2026-1-5" => sched(ScheduleOp::Info { date: day("2026-01-05") });
    info_leap_day: "/서버 dev info 2028-02-29" => sched(ScheduleOp::Info { date: day("2028-02-29") });
    exception_info_default: "/서버 dev exception info" => sched(ScheduleOp::ExceptionInfo { date: DateArg::Today });
    exception_info_aliases: "/서버 dev e i 2026-12-24" => sched(ScheduleOp::ExceptionInfo { date: day("2026-12-24") });
    exception_set_stop: "/서버 dev exception set 2026-12-24 stop 15:00" =>
        sched(ScheduleOp::ExceptionSet { date: day("2026-12-24"), action: Stop, time: Some(hm("15:00")) });
    exception_set_aliases: "/서버 dev e s 2026-12-24 start 9:30" =>
        sched(ScheduleOp::ExceptionSet { date: day("2026-12-24"), action: Start, time: Some(hm("09:30")) });
    exception_set_none: "/서버 dev exception set 2026-12-24 stop None" =>
        sched(ScheduleOp::ExceptionSet { date: day("2026-12-24"), action: Stop, time: None });
    exception_set_none_any_case: "/서버 dev exception set tomorrow start NONE" =>
        sched(ScheduleOp::ExceptionSet { date: DateArg::Tomorrow, action: Start, time: None });
    exception_set_midnight: "/서버 dev e s today stop 0:00" =>
        sched(ScheduleOp::ExceptionSet { date: DateArg::Today, action: Stop, time: Some(hm("00:00")) });
    exception_set_last_minute: "/서버 dev e s today stop 23:59" =>
        sched(ScheduleOp::ExceptionSet { date: DateArg::Today, action: Stop, time: Some(hm("23:59")) });
    exception_set_action_upper: "/서버 dev e s today STOP 18:00" =>
        sched(ScheduleOp::ExceptionSet { date: DateArg::Today, action: Stop, time: Some(hm("18:00")) });
    exception_del: "/서버 dev exception del 2026-12-24 stop" =>
        sched(ScheduleOp::ExceptionDel { date: day("2026-12-24"), action: Stop });
    exception_del_alias: "/서버 dev e d today start" =>
        sched(ScheduleOp::ExceptionDel { date: DateArg::Today, action: Start });
    force_start_plain: "/서버 dev force_start" => sched(ScheduleOp::ForceStart { end: None });
    force_start_for_hours: "/서버 dev force_start for 2h" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(120))) });
    force_start_for_minutes: "/서버 dev force_start for 30m" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(30))) });
    force_start_for_mixed: "/서버 dev force_start for 1h30m" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(90))) });
    force_start_for_upper: "/서버 dev FORCE_START FOR 1H" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(60))) });
    force_start_for_90m: "/서버 dev force_start for 90m" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(90))) });
    force_start_for_a_week: "/서버 dev force_start for 168h" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(10080))) });
    force_start_until: "/서버 dev force_start until 23:00" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::Until(hm("23:00"))) });
    force_start_hyphen: "/서버 dev force-start" => sched(ScheduleOp::ForceStart { end: None });
    force_stop: "/서버 dev force_stop" => sched(ScheduleOp::ForceStop { end: None });
    force_stop_for_an_hour: "/서버 dev force_stop for 1h" =>
        sched(ScheduleOp::ForceStop { end: Some(ForceEnd::For(mins(60))) });
    force_stop_until: "/서버 dev force-stop UNTIL 13:00" =>
        sched(ScheduleOp::ForceStop { end: Some(ForceEnd::Until(hm("13:00"))) });
    force_start_for_a_day: "/서버 dev force_start for 1d" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(1440))) });
    force_start_for_days_and_hours: "/서버 dev force_start for 2d12h" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(3600))) });
    force_start_for_every_unit: "/서버 dev force_start for 1D2H30M" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(1590))) });
    force_start_for_seven_days: "/서버 dev force_start for 7d" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::For(mins(10080))) });
    force_start_until_date: "/서버 dev force_start until 2026-12-26 09:00" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::UntilOn { date: day("2026-12-26"), time: hm("09:00") }) });
    force_start_until_tomorrow: "/서버 dev force_start until tomorrow 9:00" =>
        sched(ScheduleOp::ForceStart { end: Some(ForceEnd::UntilOn { date: DateArg::Tomorrow, time: hm("09:00") }) });
    force_stop_until_date: "/서버 dev force_stop until 2026-12-28 08:30" =>
        sched(ScheduleOp::ForceStop { end: Some(ForceEnd::UntilOn { date: day("2026-12-28"), time: hm("08:30") }) });
    next: "/서버 dev next" => sched(ScheduleOp::Next);
    history: "/서버 dev history" => sched(ScheduleOp::History);
    holidays_this_year: "/서버 dev holidays" => sched(ScheduleOp::Holidays { year: None });
    holidays_of_a_year: "/서버 dev HOLIDAYS 2027" => sched(ScheduleOp::Holidays { year: Some(2027) });
    savings_this_month: "/서버 dev savings" => sched(ScheduleOp::Savings { month: None });
    savings_of_a_month: "/서버 dev SAVINGS 2027-02" =>
        sched(ScheduleOp::Savings { month: Month::parse("2027-02") });
    savings_of_every_schedule: "/서버 savings" => Command::Savings { month: None };
    savings_of_every_schedule_in_a_month: "/서버 savings 2026-11" =>
        Command::Savings { month: Month::parse("2026-11") };
    schedule_name_kept_as_typed: "/서버 Dev-2 status" =>
        Command::Schedule { schedule: "Dev-2".to_owned(), op: ScheduleOp::Status };
    korean_schedule_name: "/서버 개발 status" =>
        Command::Schedule { schedule: "개발".to_owned(), op: ScheduleOp::Status };
}

err! {
    unknown_command: "/서버 dev foo" =>
        CommandError::UnknownCommand { word, usage: Usage::General } if word == "foo",
    holidays_short_year: "/서버 dev holidays 27" =>
        CommandError::BadValue { what: Argument::Year, reason: ValueError::YearFormat, usage: Usage::Holidays, .. },
    holidays_not_a_year: "/서버 dev holidays 2027-02" =>
        CommandError::BadValue { what: Argument::Year, reason: ValueError::YearFormat, usage: Usage::Holidays, .. },
    holidays_one_year_only: "/서버 dev holidays 2027 2028" =>
        CommandError::UnexpectedArgument { usage: Usage::Holidays, .. },
    savings_bad_month: "/서버 dev savings 2026-13" =>
        CommandError::BadValue { what: Argument::Month, reason: ValueError::MonthFormat, usage: Usage::Savings, .. },
    savings_a_date_is_not_a_month: "/서버 savings 2026-12-01" =>
        CommandError::BadValue { what: Argument::Month, reason: ValueError::MonthFormat, usage: Usage::Savings, .. },
    savings_one_month_only: "/서버 dev savings 2026-11 2026-12" =>
        CommandError::UnexpectedArgument { usage: Usage::Savings, .. },
    missing_command: "/서버 dev" =>
        CommandError::MissingArgument { what: Argument::Command, usage: Usage::General },
    bad_date_feb_30: "/서버 dev exception set 2026-02-30 stop 15:00" =>
        CommandError::BadValue { what: Argument::Date, input, reason: ValueError::NoSuchDate, usage: Usage::ExceptionSet } if input == "2026-02-30",
    bad_date_month_13: "/서버 dev info 2026-13-01" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::NoSuchDate, usage: Usage::Info, .. },
    bad_date_format: "/서버 dev info 24/12/2026" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::DateFormat, .. },
    bad_date_word: "/서버 dev info yesterday" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::DateFormat, .. },
    bad_date_not_leap: "/서버 dev info 2026-02-29" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::NoSuchDate, .. },
    bad_date_short_year: "/서버 dev info 26-12-24" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::DateFormat, .. },
    bad_time_25: "/서버 dev exception set 2026-12-24 stop 25:00" =>
        CommandError::BadValue { what: Argument::Time, input, reason: ValueError::TimeRange, usage: Usage::ExceptionSet } if input == "25:00",
    bad_time_24: "/서버 dev exception set 2026-12-24 stop 24:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeRange, .. },
    bad_time_minutes_60: "/서버 dev e s today stop 12:60" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeRange, .. },
    bad_time_one_digit_minute: "/서버 dev e s today stop 12:5" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeFormat, .. },
    bad_time_no_colon: "/서버 dev e s today stop 1500" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeFormat, .. },
    bad_time_seconds: "/서버 dev e s today stop 15:00:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeFormat, .. },
    bad_time_negative: "/서버 dev e s today stop -1:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeFormat, .. },
    bad_action: "/서버 dev e s today reboot 15:00" =>
        CommandError::BadValue { what: Argument::Action, reason: ValueError::ActionWord, .. },
    missing_time: "/서버 dev e s today stop" =>
        CommandError::MissingArgument { what: Argument::Time, usage: Usage::ExceptionSet },
    missing_action: "/서버 dev e s today" =>
        CommandError::MissingArgument { what: Argument::Action, usage: Usage::ExceptionSet },
    missing_date_on_set: "/서버 dev exception set" =>
        CommandError::MissingArgument { what: Argument::Date, usage: Usage::ExceptionSet },
    missing_date_on_del: "/서버 dev exception del" =>
        CommandError::MissingArgument { what: Argument::Date, usage: Usage::ExceptionDel },
    missing_exception_command: "/서버 dev exception" =>
        CommandError::MissingArgument { what: Argument::ExceptionCommand, usage: Usage::Exception },
    unknown_exception_command: "/서버 dev exception add today stop 15:00" =>
        CommandError::UnknownCommand { usage: Usage::Exception, .. },
    trailing_word_on_status: "/서버 dev status now" =>
        CommandError::UnexpectedArgument { word, usage: Usage::Status } if word == "now",
    trailing_word_on_del: "/서버 dev e d today stop 15:00" =>
        CommandError::UnexpectedArgument { usage: Usage::ExceptionDel, .. },
    trailing_word_on_help: "/서버 help me" => CommandError::UnexpectedArgument { usage: Usage::Help, .. },
    force_start_for_missing: "/서버 dev force_start for" =>
        CommandError::MissingArgument { what: Argument::Duration, usage: Usage::ForceStart },
    force_start_for_zero: "/서버 dev force_start for 0m" =>
        CommandError::BadValue { reason: ValueError::DurationZero, .. },
    force_start_for_too_long: "/서버 dev force_start for 169h" =>
        CommandError::BadValue { reason: ValueError::DurationTooLong, .. },
    force_start_for_huge: "/서버 dev force_start for 99999999999h" =>
        CommandError::BadValue { reason: ValueError::DurationFormat, .. },
    force_start_for_nine_days: "/서버 dev force_start for 9d" =>
        CommandError::BadValue { what: Argument::Duration, reason: ValueError::DurationTooLong, usage: Usage::ForceStart, .. },
    force_start_for_a_week_and_a_minute: "/서버 dev force_start for 7d1m" =>
        CommandError::BadValue { reason: ValueError::DurationTooLong, .. },
    force_start_for_days_twice: "/서버 dev force_start for 1d1d" =>
        CommandError::BadValue { reason: ValueError::DurationFormat, .. },
    force_start_for_hours_before_days: "/서버 dev force_start for 2h1d" =>
        CommandError::BadValue { reason: ValueError::DurationFormat, .. },
    force_start_for_zero_days: "/서버 dev force_start for 0d" =>
        CommandError::BadValue { reason: ValueError::DurationZero, .. },
    force_start_for_minutes_first: "/서버 dev force_start for 30m1h" =>
        CommandError::BadValue { reason: ValueError::DurationFormat, .. },
    force_start_for_plain_number: "/서버 dev force_start for 2" =>
        CommandError::BadValue { reason: ValueError::DurationFormat, .. },
    force_start_until_bad: "/서버 dev force_start until 25:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeRange, usage: Usage::ForceStart, .. },
    force_start_unknown_word: "/서버 dev force_start now" =>
        CommandError::UnexpectedArgument { usage: Usage::ForceStart, .. },
    force_stop_trailing: "/서버 dev force_stop now" =>
        CommandError::UnexpectedArgument { usage: Usage::ForceStop, .. },
    force_stop_for_missing: "/서버 dev force_stop for" =>
        CommandError::MissingArgument { what: Argument::Duration, usage: Usage::ForceStop },
    force_stop_for_zero: "/서버 dev force_stop for 0m" =>
        CommandError::BadValue { what: Argument::Duration, reason: ValueError::DurationZero, usage: Usage::ForceStop, .. },
    force_stop_for_nine_days: "/서버 dev force_stop for 9d" =>
        CommandError::BadValue { reason: ValueError::DurationTooLong, usage: Usage::ForceStop, .. },
    force_start_until_missing: "/서버 dev force_start until" =>
        CommandError::MissingArgument { what: Argument::Time, usage: Usage::ForceStart },
    force_start_until_no_such_date: "/서버 dev force_start until 2026-02-30 09:00" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::NoSuchDate, usage: Usage::ForceStart, .. },
    force_start_until_date_without_time: "/서버 dev force_start until 2026-12-26" =>
        CommandError::MissingArgument { what: Argument::Time, usage: Usage::ForceStart },
    force_start_until_date_bad_time: "/서버 dev force_start until tomorrow 25:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeRange, .. },
    force_start_until_word: "/서버 dev force_start until noon" =>
        CommandError::BadValue { what: Argument::Date, reason: ValueError::DateFormat, .. },
    force_stop_until_bad: "/서버 dev force_stop until 25:00" =>
        CommandError::BadValue { what: Argument::Time, reason: ValueError::TimeRange, usage: Usage::ForceStop, .. },
    force_start_until_trailing: "/서버 dev force_start until tomorrow 09:00 please" =>
        CommandError::UnexpectedArgument { usage: Usage::ForceStart, .. },
}

#[test]
fn usage_lines_carry_the_keyword() {
    assert_eq!(
        Usage::ExceptionSet.line("서버"),
        "/서버 <schedule> exception|e set|s DATE start|stop TIME|None"
    );
    assert_eq!(Usage::Status.line("/server"), "/server <schedule> status|s");
}

#[test]
fn error_display_names_the_input() {
    let error = parse("/서버 dev exception set 2026-02-30 stop 15:00").unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad date \"2026-02-30\": no such day in the calendar"
    );
}

#[test]
fn mutating_commands_are_the_four_of_spec() {
    let mutating: Vec<bool> = [
        "dev status",
        "dev info",
        "dev e i",
        "dev e s today stop 1:00",
        "dev e d today stop",
        "dev force_start",
        "dev force_stop",
        "dev next",
        "dev history",
        "list",
        "help",
    ]
    .iter()
    .map(|text| parse(text).unwrap().is_mutating())
    .collect();
    assert_eq!(
        mutating,
        [false, false, false, true, true, true, true, false, false, false, false]
    );
}

#[test]
fn date_args_resolve_in_the_schedule_time_zone() {
    // 2026-11-24 20:00 UTC is already the 25th in Seoul.
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T20:00:00Z")
        .unwrap()
        .to_utc();
    let seoul = chrono_tz::Asia::Seoul;
    let utc = chrono_tz::UTC;
    assert_eq!(DateArg::Today.resolve(now, seoul).to_string(), "2026-11-25");
    assert_eq!(
        DateArg::Tomorrow.resolve(now, seoul).to_string(),
        "2026-11-26"
    );
    assert_eq!(DateArg::Today.resolve(now, utc).to_string(), "2026-11-24");
    assert_eq!(
        day("2026-12-24").resolve(now, seoul).to_string(),
        "2026-12-24"
    );
}

#[test]
fn durations_render_canonically() {
    let rendered: Vec<String> = [30, 60, 90, 120, 600, 1440, 1470, 3600, 3601, 10080]
        .map(|m| mins(m).to_string())
        .into();
    assert_eq!(
        rendered,
        ["30m", "1h", "1h30m", "2h", "10h", "1d", "1d30m", "2d12h", "2d12h1m", "7d"]
    );
    // Hours past a day are fine as typed, and render in days.
    assert_eq!(
        parse_duration("36h").map(|d| d.to_string()),
        Ok("1d12h".to_owned())
    );
}

#[test]
fn jobs_queued_before_force_stop_took_a_window_still_read() {
    // The wire form of `force_stop` and `force_start until` before windows.
    let old = r#"{"command":"schedule","schedule":"dev","op":{"op":"force_stop"}}"#;
    assert_eq!(
        serde_json::from_str::<Command>(old).unwrap(),
        sched(ScheduleOp::ForceStop { end: None })
    );
    let old = r#"{"command":"schedule","schedule":"dev","op":{"op":"force_start","end":{"until":"23:00:00"}}}"#;
    assert_eq!(
        serde_json::from_str::<Command>(old).unwrap(),
        sched(ScheduleOp::ForceStart {
            end: Some(ForceEnd::Until(hm("23:00")))
        })
    );
}

#[test]
fn commands_survive_a_json_round_trip() {
    let command = parse("/서버 dev e s 2026-12-24 stop None").unwrap();
    let json = serde_json::to_string(&command).unwrap();
    assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), command);
}

fn arb_date() -> impl Strategy<Value = DateArg> {
    prop_oneof![
        Just(DateArg::Today),
        Just(DateArg::Tomorrow),
        (1970i32..2100, 1u32..=12, 1u32..=31)
            .prop_filter_map("real dates", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
            .prop_map(DateArg::On),
    ]
}

fn arb_time() -> impl Strategy<Value = chrono::NaiveTime> {
    (0u32..24, 0u32..60).prop_map(|(h, m)| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![Just(Start), Just(Stop)]
}

fn arb_end() -> impl Strategy<Value = Option<ForceEnd>> {
    proptest::option::of(prop_oneof![
        (1u32..=ForDuration::MAX_MINUTES).prop_map(|m| ForceEnd::For(mins(m))),
        arb_time().prop_map(ForceEnd::Until),
        (arb_date(), arb_time()).prop_map(|(date, time)| ForceEnd::UntilOn { date, time }),
    ])
}

fn arb_op() -> impl Strategy<Value = ScheduleOp> {
    prop_oneof![
        Just(ScheduleOp::Status),
        arb_date().prop_map(|date| ScheduleOp::Info { date }),
        arb_date().prop_map(|date| ScheduleOp::ExceptionInfo { date }),
        (arb_date(), arb_action(), proptest::option::of(arb_time()))
            .prop_map(|(date, action, time)| ScheduleOp::ExceptionSet { date, action, time }),
        (arb_date(), arb_action())
            .prop_map(|(date, action)| ScheduleOp::ExceptionDel { date, action }),
        Just(ScheduleOp::ForceStart { end: None }),
        (1u32..=ForDuration::MAX_MINUTES).prop_map(|m| ScheduleOp::ForceStart {
            end: Some(ForceEnd::For(mins(m)))
        }),
        (any::<bool>(), arb_end()).prop_map(|(start, end)| if start {
            ScheduleOp::ForceStart { end }
        } else {
            ScheduleOp::ForceStop { end }
        }),
        Just(ScheduleOp::Next),
        Just(ScheduleOp::History),
        proptest::option::of(1000i32..=9999).prop_map(|year| ScheduleOp::Holidays { year }),
        proptest::option::of((2000i32..2100, 1u32..=12)).prop_map(|m| ScheduleOp::Savings {
            month: m.and_then(|(y, m)| Month::parse(&format!("{y}-{m:02}")))
        }),
    ]
}

fn arb_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::Help),
        Just(Command::List),
        Just(Command::Savings {
            month: Month::parse("2027-02")
        }),
        ("[a-zA-Z0-9가-힣_.-]{1,20}", arb_op())
            .prop_filter("command words are not schedule names", |(name, _)| {
                !["help", "list", "savings"]
                    .iter()
                    .any(|w| name.eq_ignore_ascii_case(w))
            })
            .prop_map(|(schedule, op)| Command::Schedule { schedule, op }),
    ]
}

proptest! {
    /// parse ∘ render = id, with or without a keyword in front.
    #[test]
    fn render_then_parse_is_identity(command in arb_command(), keyword in "/[a-z서버]{1,4} ") {
        prop_assert_eq!(parse(&command.to_string()), Ok(command.clone()));
        prop_assert_eq!(parse(&format!("{keyword}{command}")), Ok(command));
    }

    /// Any text at all gives a command or an error, never a panic.
    #[test]
    fn parse_never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text);
    }

    /// Durations: parse ∘ render = id over the whole allowed range.
    #[test]
    fn duration_round_trip(minutes in 1u32..=ForDuration::MAX_MINUTES) {
        prop_assert_eq!(parse_duration(&mins(minutes).to_string()), Ok(mins(minutes)));
    }
}

#[test]
fn control_characters_are_a_syntax_error() {
    for text in [
        "/서버 dev\u{7} status",
        "/서버 dev status\u{0}",
        "/서버 \u{1b}[31mdev status",
    ] {
        assert!(
            matches!(parse(text), Err(CommandError::ControlCharacter { .. })),
            "{text:?}"
        );
    }
    assert!(
        parse("/서버 dev\tstatus\n").is_ok(),
        "tabs and line breaks are spaces"
    );
}

#[test]
fn a_second_slash_word_is_not_a_schedule_name() {
    // Found by the `command` fuzz target: `/I/V` was taken for a schedule.
    for text in ["/서버 /dev status", "/// /I/V I]"] {
        assert!(
            matches!(parse(text), Err(CommandError::UnknownCommand { .. })),
            "{text:?}"
        );
    }
}
