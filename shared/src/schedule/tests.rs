//! Timeline, day plan and file validation, one case a line where it can be.

use super::file::{parse_schedules, FileError, Reason, SchedulesFile};
use super::*;
use crate::resource::GroupKind;
use crate::value::{local_time, ForDuration, ForceEnd};
use crate::Action::{self, Start, Stop};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

/// One schedule named `t` in `tz` with the given `[[schedule.period]]` bodies.
pub(super) fn schedule(tz: &str, periods: &[&str]) -> Schedule {
    let mut text = format!("[[schedule]]\nname = \"t\"\ntimezone = \"{tz}\"\n");
    for period in periods {
        text.push_str(&format!("[[schedule.period]]\n{period}\n"));
    }
    parse_schedules(&text, chrono_tz::Asia::Seoul)
        .unwrap()
        .remove(0)
}

pub(super) const WEEKDAYS: &str = "days = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"";

pub(super) fn seoul(local: &str) -> DateTime<Utc> {
    local_in(local, chrono_tz::Asia::Seoul)
}

pub(super) fn local_in(local: &str, tz: Tz) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
    local_time::resolve_naive(tz, naive)
}

pub(super) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub(super) fn hm(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

pub(super) fn exception(day: &str, action: Action, time: Option<&str>) -> Exception {
    Exception {
        date: date(day),
        action,
        time: time.map(hm),
    }
}

/// Events as `"2026-12-04 09:00 start schedule"` in the schedule's zone.
pub(super) fn show(schedule: &Schedule, events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let local = e.at.with_timezone(&schedule.timezone);
            format!(
                "{} {} {}",
                local.format("%Y-%m-%d %H:%M"),
                e.action,
                e.source.as_str()
            )
        })
        .collect()
}

/// The latest event at a Seoul wall-clock instant, shown.
fn latest(
    schedule: &Schedule,
    exceptions: &[Exception],
    overrides: &[Override],
    at: &str,
) -> String {
    let event = Timeline::new(schedule, exceptions, overrides).latest(seoul(at));
    event
        .map(|e| show(schedule, &[e]).remove(0))
        .unwrap_or_else(|| "none".to_owned())
}

/// Events of one local day (Seoul).
fn day_events(
    schedule: &Schedule,
    exceptions: &[Exception],
    overrides: &[Override],
    day: &str,
) -> Vec<String> {
    let from = seoul(&format!("{day} 00:00"));
    show(
        schedule,
        &Timeline::new(schedule, exceptions, overrides).events(from, from + Duration::days(1)),
    )
}

/// `latest!(name: [periods], at => expected)`.
macro_rules! latest {
    ($($name:ident: [$($period:expr),*], $at:expr => $expected:expr;)*) => {$(
        #[test]
        fn $name() {
            let s = schedule("Asia/Seoul", &[$($period),*]);
            assert_eq!(latest(&s, &[], &[], $at), $expected);
        }
    )*};
}

/// `day!(name: [periods], [exceptions], "date" => [events])`.
macro_rules! day {
    ($($name:ident: [$($period:expr),*], [$($exception:expr),*], $day:expr => [$($event:expr),*];)*) => {$(
        #[test]
        fn $name() {
            let s = schedule("Asia/Seoul", &[$($period),*]);
            let expected: Vec<&str> = vec![$($event),*];
            assert_eq!(day_events(&s, &[$($exception),*], &[], $day), expected);
        }
    )*};
}

latest! {
    weekdays_saturday_sees_friday_stop: [WEEKDAYS], "2026-11-28 10:00" => "2026-11-27 19:00 stop schedule";
    weekdays_monday_before_start_sees_friday_stop: [WEEKDAYS], "2026-11-30 08:59" => "2026-11-27 19:00 stop schedule";
    weekdays_monday_at_start: [WEEKDAYS], "2026-11-30 09:00" => "2026-11-30 09:00 start schedule";
    weekdays_midday: [WEEKDAYS], "2026-11-30 12:34" => "2026-11-30 09:00 start schedule";
    weekdays_at_stop: [WEEKDAYS], "2026-11-30 19:00" => "2026-11-30 19:00 stop schedule";
    weekdays_minute_before_stop: [WEEKDAYS], "2026-11-30 18:59" => "2026-11-30 09:00 start schedule";
    overnight_at_3am_sees_previous_start: ["days = \"all\"\nstart = \"22:00\"\nstop = \"06:00\""], "2026-12-02 03:00" => "2026-12-01 22:00 start schedule";
    overnight_at_noon_sees_morning_stop: ["days = \"all\"\nstart = \"22:00\"\nstop = \"06:00\""], "2026-12-02 12:00" => "2026-12-02 06:00 stop schedule";
    overnight_friday_only_runs_into_saturday: ["days = \"fri\"\nstart = \"22:00\"\nstop = \"06:00\""], "2026-12-05 05:00" => "2026-12-04 22:00 start schedule";
    lone_start_only: ["days = \"mon\"\nstart = \"08:00\""], "2026-12-03 12:00" => "2026-11-30 08:00 start schedule";
    lone_stop_only: ["days = \"all\"\nstop = \"20:00\""], "2026-12-03 21:00" => "2026-12-03 20:00 stop schedule";
    whole_weekend_starts_saturday_midnight: ["days = \"weekends\""], "2026-12-05 12:00" => "2026-12-05 00:00 start schedule";
    whole_weekend_stops_monday_midnight: ["days = \"weekends\""], "2026-11-30 12:00" => "2026-11-30 00:00 stop schedule";
    nothing_within_look_back: ["days = \"all\"\nmonths = \"jul\"\nstart = \"09:00\"\nstop = \"10:00\""], "2026-12-03 12:00" => "none";
    monthdays_and_weekdays_are_anded: ["days = \"weekdays\"\nmonthdays = \"1-7\"\nstart = \"09:00\"\nstop = \"10:00\""], "2026-12-09 12:00" => "2026-12-07 10:00 stop schedule";
    mon_first_of_month: ["days = \"mon#1\"\nstart = \"09:00\"\nstop = \"10:00\""], "2026-12-14 12:00" => "2026-12-07 10:00 stop schedule";
}

day! {
    weekday_plain: [WEEKDAYS], [], "2026-12-04" => ["2026-12-04 09:00 start schedule", "2026-12-04 19:00 stop schedule"];
    weekend_empty: [WEEKDAYS], [], "2026-12-05" => [];
    exception_stop_on_christmas_eve: [WEEKDAYS], [exception("2026-12-24", Stop, Some("15:00"))], "2026-12-24" =>
        ["2026-12-24 09:00 start schedule", "2026-12-24 15:00 stop exception"];
    exception_leaves_day_before_alone: [WEEKDAYS], [exception("2026-12-24", Stop, Some("15:00"))], "2026-12-23" =>
        ["2026-12-23 09:00 start schedule", "2026-12-23 19:00 stop schedule"];
    exception_leaves_day_after_alone: [WEEKDAYS], [exception("2026-12-24", Stop, Some("15:00"))], "2026-12-25" =>
        ["2026-12-25 09:00 start schedule", "2026-12-25 19:00 stop schedule"];
    exception_start_on_saturday: [WEEKDAYS], [exception("2026-11-28", Start, Some("10:00"))], "2026-11-28" =>
        ["2026-11-28 10:00 start exception"];
    exception_stop_none_removes_stop: [WEEKDAYS], [exception("2026-12-24", Stop, None)], "2026-12-24" =>
        ["2026-12-24 09:00 start schedule"];
    exception_start_none_removes_start: [WEEKDAYS], [exception("2026-12-24", Start, None)], "2026-12-24" =>
        ["2026-12-24 19:00 stop schedule"];
    exception_later_start: [WEEKDAYS], [exception("2026-12-24", Start, Some("11:30"))], "2026-12-24" =>
        ["2026-12-24 11:30 start exception", "2026-12-24 19:00 stop schedule"];
    exception_both_on_a_day: [WEEKDAYS], [exception("2026-12-24", Start, Some("10:00")), exception("2026-12-24", Stop, Some("12:00"))], "2026-12-24" =>
        ["2026-12-24 10:00 start exception", "2026-12-24 12:00 stop exception"];
    exception_set_twice_last_wins: [WEEKDAYS], [exception("2026-12-24", Stop, Some("12:00")), exception("2026-12-24", Stop, Some("13:00"))], "2026-12-24" =>
        ["2026-12-24 09:00 start schedule", "2026-12-24 13:00 stop exception"];
    exception_stop_on_sunday_only: [WEEKDAYS], [exception("2026-12-06", Stop, Some("18:00"))], "2026-12-06" =>
        ["2026-12-06 18:00 stop exception"];
    overlapping_periods_merge: ["days = \"all\"\nstart = \"09:00\"\nstop = \"12:00\"", "days = \"all\"\nstart = \"11:00\"\nstop = \"18:00\""], [], "2026-12-04" =>
        ["2026-12-04 09:00 start schedule", "2026-12-04 18:00 stop schedule"];
    disjoint_periods_stay_apart: ["days = \"all\"\nstart = \"09:00\"\nstop = \"12:00\"", "days = \"all\"\nstart = \"13:00\"\nstop = \"18:00\""], [], "2026-12-04" =>
        ["2026-12-04 09:00 start schedule", "2026-12-04 12:00 stop schedule", "2026-12-04 13:00 start schedule", "2026-12-04 18:00 stop schedule"];
    touching_periods_merge: ["days = \"all\"\nstart = \"09:00\"\nstop = \"12:00\"", "days = \"all\"\nstart = \"12:00\"\nstop = \"18:00\""], [], "2026-12-04" =>
        ["2026-12-04 09:00 start schedule", "2026-12-04 18:00 stop schedule"];
    one_minute_gap_is_bridged: ["days = \"all\"\nstart = \"09:00\"\nstop = \"12:00\"", "days = \"all\"\nstart = \"12:01\"\nstop = \"18:00\""], [], "2026-12-04" =>
        ["2026-12-04 09:00 start schedule", "2026-12-04 18:00 stop schedule"];
    two_minute_gap_is_not_bridged: ["days = \"all\"\nstart = \"09:00\"\nstop = \"12:00\"", "days = \"all\"\nstart = \"12:02\"\nstop = \"18:00\""], [], "2026-12-04" =>
        ["2026-12-04 09:00 start schedule", "2026-12-04 12:00 stop schedule", "2026-12-04 12:02 start schedule", "2026-12-04 18:00 stop schedule"];
    runs_through_midnight_2359_to_0000: ["days = \"fri\"\nstart = \"20:00\"\nstop = \"23:59\"", "days = \"sat\"\nstart = \"00:00\"\nstop = \"02:00\""], [], "2026-12-04" =>
        ["2026-12-04 20:00 start schedule"];
    overnight_stop_lands_next_day: ["days = \"fri\"\nstart = \"22:00\"\nstop = \"06:00\""], [], "2026-12-05" =>
        ["2026-12-05 06:00 stop schedule"];
    overnight_exception_moves_morning_stop: ["days = \"all\"\nstart = \"22:00\"\nstop = \"06:00\""], [exception("2026-12-05", Stop, Some("07:30"))], "2026-12-05" =>
        ["2026-12-05 07:30 stop exception", "2026-12-05 22:00 start schedule"];
    saturday_window_of_dev: [WEEKDAYS, "days = \"sat\"\nstart = \"10:00\"\nstop = \"14:00\""], [], "2026-12-05" =>
        ["2026-12-05 10:00 start schedule", "2026-12-05 14:00 stop schedule"];
    friday_last_of_month: ["days = \"friL\"\nstart = \"09:00\"\nstop = \"10:00\""], [], "2026-12-25" =>
        ["2026-12-25 09:00 start schedule", "2026-12-25 10:00 stop schedule"];
    monthday_last: ["monthdays = \"L\"\nstart = \"09:00\"\nstop = \"10:00\""], [], "2026-02-28" =>
        ["2026-02-28 09:00 start schedule", "2026-02-28 10:00 stop schedule"];
    nearest_weekday_15w: ["monthdays = \"15W\"\nstart = \"09:00\"\nstop = \"10:00\""], [], "2026-08-14" =>
        ["2026-08-14 09:00 start schedule", "2026-08-14 10:00 stop schedule"];
    nearest_weekday_15w_not_saturday: ["monthdays = \"15W\"\nstart = \"09:00\"\nstop = \"10:00\""], [], "2026-08-15" => [];
}

fn override_start(at: &str, end: Option<ForceEnd>) -> Override {
    Override::forced(Action::Start, seoul(at), end, chrono_tz::Asia::Seoul).unwrap()
}

fn override_stop(at: &str) -> Override {
    Override::forced(Action::Stop, seoul(at), None, chrono_tz::Asia::Seoul).unwrap()
}

fn two_hours() -> Option<ForceEnd> {
    Some(ForceEnd::For(ForDuration::from_minutes(120).unwrap()))
}

#[test]
fn force_start_for_2h_at_2200_stops_at_midnight() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let overrides = [override_start("2026-12-03 22:00", two_hours())];
    let events = Timeline::new(&s, &[], &overrides)
        .events(seoul("2026-12-03 20:00"), seoul("2026-12-04 08:00"));
    assert_eq!(
        show(&s, &events),
        [
            "2026-12-03 22:00 start override",
            "2026-12-04 00:00 stop override"
        ]
    );
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 23:59"),
        "2026-12-03 22:00 start override"
    );
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-04 00:00"),
        "2026-12-04 00:00 stop override"
    );
}

#[test]
fn force_start_window_holds_back_a_scheduled_stop() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let overrides = [override_start("2026-12-03 18:00", two_hours())];
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 19:30"),
        "2026-12-03 18:00 start override"
    );
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 20:00"),
        "2026-12-03 20:00 stop override"
    );
}

#[test]
fn force_start_until_is_the_next_wall_clock_time() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let today = override_start("2026-12-03 22:00", Some(ForceEnd::Until(hm("23:00"))));
    assert_eq!(today.until, Some(seoul("2026-12-03 23:00")));
    let tomorrow = override_start("2026-12-03 23:30", Some(ForceEnd::Until(hm("23:00"))));
    assert_eq!(tomorrow.until, Some(seoul("2026-12-04 23:00")));
    assert_eq!(
        latest(&s, &[], &[today], "2026-12-03 23:00"),
        "2026-12-03 23:00 stop override"
    );
}

#[test]
fn force_stop_holds_until_the_next_scheduled_start() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let overrides = [override_stop("2026-12-03 12:00")];
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 12:30"),
        "2026-12-03 12:00 stop override"
    );
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-04 09:00"),
        "2026-12-04 09:00 start schedule"
    );
}

#[test]
fn plain_force_start_yields_to_the_next_scheduled_stop() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let overrides = [override_start("2026-12-03 07:00", None)];
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 08:00"),
        "2026-12-03 07:00 start override"
    );
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 19:00"),
        "2026-12-03 19:00 stop schedule"
    );
}

#[test]
fn a_later_force_stop_inside_a_window_wins() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let overrides = [
        override_start("2026-12-03 22:00", two_hours()),
        override_stop("2026-12-03 22:30"),
    ];
    assert_eq!(
        latest(&s, &[], &overrides, "2026-12-03 23:00"),
        "2026-12-03 22:30 stop override"
    );
}

#[test]
fn dst_gap_start_moves_to_0300_new_york() {
    let s = schedule(
        "America/New_York",
        &["days = \"all\"\nstart = \"02:30\"\nstop = \"05:00\""],
    );
    let ny = chrono_tz::America::New_York;
    let from = local_in("2026-03-08 00:00", ny);
    let events = Timeline::new(&s, &[], &[]).events(from, from + Duration::hours(23));
    assert_eq!(
        show(&s, &events),
        [
            "2026-03-08 03:00 start schedule",
            "2026-03-08 05:00 stop schedule"
        ]
    );
    assert_eq!(
        events[0].at.with_timezone(&ny).to_rfc3339(),
        "2026-03-08T03:00:00-04:00"
    );
}

#[test]
fn dst_overlap_takes_the_earlier_instant() {
    let s = schedule(
        "America/New_York",
        &["days = \"all\"\nstart = \"01:30\"\nstop = \"05:00\""],
    );
    let ny = chrono_tz::America::New_York;
    let from = local_in("2026-11-01 00:00", ny);
    let events = Timeline::new(&s, &[], &[]).events(from, from + Duration::hours(25));
    assert_eq!(
        events[0].at.with_timezone(&ny).to_rfc3339(),
        "2026-11-01T01:30:00-04:00"
    );
}

#[test]
fn upcoming_adds_a_warning_before_each_stop() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let upcoming =
        Timeline::new(&s, &[], &[]).upcoming(seoul("2026-12-04 12:00"), Duration::days(7));
    let kinds: Vec<_> = upcoming.iter().take(4).map(|u| (u.at, u.kind)).collect();
    use timeline::UpcomingKind::*;
    assert_eq!(
        kinds,
        [
            (seoul("2026-12-04 18:50"), StopWarning),
            (seoul("2026-12-04 19:00"), Stop),
            (seoul("2026-12-07 09:00"), Start),
            (seoul("2026-12-07 18:50"), StopWarning),
        ]
    );
}

#[test]
fn next_events_cover_a_week_after_the_instant() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let events =
        Timeline::new(&s, &[], &[]).next_events(seoul("2026-12-04 19:00"), Duration::days(7));
    assert_eq!(events.len(), 10);
    assert_eq!(events[0].at, seoul("2026-12-07 09:00"));
}

#[test]
fn day_plan_of_a_weekday_has_a_bar() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let plan = DayPlan::of(&Timeline::new(&s, &[], &[]), date("2026-12-04"));
    assert_eq!(
        plan.bar(),
        format!("{}{}{}", "░".repeat(9), "█".repeat(10), "░".repeat(5))
    );
    assert!(!plan.running_at_start && !plan.running_at_end && plan.next_stop.is_none());
}

#[test]
fn day_plan_marks_hours_with_a_change() {
    let s = schedule(
        "Asia/Seoul",
        &["days = \"all\"\nstart = \"09:30\"\nstop = \"10:45\""],
    );
    let plan = DayPlan::of(&Timeline::new(&s, &[], &[]), date("2026-12-04"));
    assert_eq!(
        plan.hours.get(9..11).unwrap(),
        [day_plan::HourState::Changing; 2]
    );
}

#[test]
fn day_plan_saturday_exception_start_names_the_next_stop() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let exceptions = [exception("2026-11-28", Start, Some("10:00"))];
    let plan = DayPlan::of(&Timeline::new(&s, &exceptions, &[]), date("2026-11-28"));
    assert_eq!(plan.times_of(Start).count(), 1);
    assert_eq!(plan.times_of(Stop).count(), 0);
    assert!(plan.excepted(Start) && !plan.excepted(Stop) && plan.running_at_end);
    assert_eq!(
        plan.next_stop.map(|e| e.at),
        Some(seoul("2026-11-30 19:00"))
    );
}

#[test]
fn day_plan_records_removed_actions() {
    let s = schedule("Asia/Seoul", &[WEEKDAYS]);
    let exceptions = [exception("2026-12-24", Stop, None)];
    let plan = DayPlan::of(&Timeline::new(&s, &exceptions, &[]), date("2026-12-24"));
    assert_eq!(plan.removed, [Stop]);
    assert!(plan.excepted(Stop));
    assert_eq!(
        plan.next_stop.map(|e| e.at),
        Some(seoul("2026-12-25 19:00"))
    );
}

#[test]
fn day_plan_on_a_spring_forward_day_has_23_hours() {
    let s = schedule("Europe/Berlin", &[WEEKDAYS]);
    let plan = DayPlan::of(&Timeline::new(&s, &[], &[]), date("2026-03-29"));
    assert_eq!(plan.hours.len(), 23);
}

// ---- the file format ----

fn errors_of(text: &str) -> Vec<String> {
    match parse_schedules(text, chrono_tz::Asia::Seoul) {
        Err(FileError::Invalid(errors)) => errors.iter().map(ToString::to_string).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

macro_rules! invalid {
    ($($name:ident: $body:expr => $message:expr;)*) => {$(
        #[test]
        fn $name() {
            let text = format!("[[schedule]]\nname = \"dev\"\n{}", $body);
            let errors = errors_of(&text);
            assert!(errors.iter().any(|e| e.contains($message)), "{errors:?} should contain {:?}", $message);
        }
    )*};
}

invalid! {
    unknown_time_zone: "timezone = \"Asia/Seul\"" => "schedule \"dev\", timezone: unknown time zone \"Asia/Seul\"";
    bad_weekday: "[[schedule.period]]\ndays = \"funday\"\nstart = \"09:00\"" => "schedule \"dev\", period 1, days: unknown weekday \"funday\"";
    bad_monthday: "[[schedule.period]]\nmonthdays = \"32\"" => "period 1, monthdays: monthday 32 is out of range 1-31";
    monthday_range_may_not_wrap: "[[schedule.period]]\nmonthdays = \"20-10\"" => "runs backwards";
    bad_month: "[[schedule.period]]\nmonths = \"foo\"" => "period 1, months: unknown month \"foo\"";
    bad_start_time: "[[schedule.period]]\nstart = \"25:00\"" => "period 1, start: bad time \"25:00\"";
    bad_stop_in_second_period: "[[schedule.period]]\nstart = \"09:00\"\n[[schedule.period]]\nstop = \"9am\"" => "period 2, stop: bad time \"9am\"";
    equal_start_and_stop: "[[schedule.period]]\nstart = \"09:00\"\nstop = \"09:00\"" => "never run";
    unknown_group_kind: "[[schedule.group]]\nname = \"db\"\nkind = \"ec3\"" => "group \"db\", kind: unknown group kind \"ec3\"";
    unknown_dependency: "[[schedule.group]]\nname = \"app\"\nkind = \"ec2\"\nafter = [\"db\"]" => "group \"app\", after: depends on unknown group \"db\"";
    duplicate_group: "[[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n[[schedule.group]]\nname = \"db\"\nkind = \"rds\"" => "group \"db\" is defined twice";
    dependency_cycle: "[[schedule.group]]\nname = \"a\"\nkind = \"ec2\"\nafter = [\"b\"]\n[[schedule.group]]\nname = \"b\"\nkind = \"ec2\"\nafter = [\"a\"]" => "dependency cycle: a → b → a";
    self_dependency: "[[schedule.group]]\nname = \"a\"\nkind = \"ec2\"\nafter = [\"a\"]" => "dependency cycle: a → a";
    warning_out_of_range: "stop_warning_minutes = 1000" => "stop_warning_minutes: 1000 is out of range 0-720";
    timeout_zero: "start_timeout_minutes = 0" => "start_timeout_minutes: 0 is out of range 1-1440";
    tag_with_space: "tag = \"my tag\"" => "tag: must be one word";
}

#[test]
fn duplicate_schedule_names_are_refused() {
    let errors =
        errors_of("[[schedule]]\nname = \"dev\"\n[[schedule]]\nname = \"Dev\"\ntag = \"other\"");
    assert!(errors
        .iter()
        .any(|e| e.contains("schedule \"Dev\", name: the name is used by another schedule")));
}

#[test]
fn duplicate_tags_are_refused() {
    let errors = errors_of(
        "[[schedule]]\nname = \"a\"\ntag = \"x\"\n[[schedule]]\nname = \"b\"\ntag = \"x\"",
    );
    assert!(errors
        .iter()
        .any(|e| e.contains("tag \"x\" is used by another schedule")));
}

#[test]
fn command_words_are_not_schedule_names() {
    let errors = errors_of("[[schedule]]\nname = \"help\"");
    assert!(errors.iter().any(|e| e.contains("chat commands")));
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = errors_of(
        "[[schedule]]\nname = \"dev\"\ntimezone = \"Mars/Base\"\n[[schedule.period]]\ndays = \"funday\"\n[[schedule.period]]\nstart = \"25:00\"",
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn unknown_fields_are_refused_with_their_name() {
    let result = parse_schedules(
        "[[schedule]]\nname = \"dev\"\nstop_warn_minutes = 5",
        chrono_tz::Asia::Seoul,
    );
    assert!(
        matches!(&result, Err(FileError::Toml(m)) if m.contains("stop_warn_minutes")),
        "{result:?}"
    );
}

#[test]
fn defaults_fill_the_optional_fields() {
    let s = parse_schedules("[[schedule]]\nname = \"dev\"", chrono_tz::Asia::Tokyo)
        .unwrap()
        .remove(0);
    assert_eq!(
        (
            s.tag.as_str(),
            s.timezone,
            s.enabled,
            s.stop_warning_minutes,
            s.enforce,
            s.start_timeout_minutes
        ),
        ("dev", chrono_tz::Asia::Tokyo, true, 10, false, 30)
    );
}

#[test]
fn groups_are_put_in_dependency_order() {
    let text = "[[schedule]]\nname = \"dev\"\n[[schedule.group]]\nname = \"app\"\nkind = \"ec2\"\nafter = [\"db\", \"cache\"]\n[[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n[[schedule.group]]\nname = \"cache\"\nkind = \"ec2\"";
    let s = parse_schedules(text, chrono_tz::Asia::Seoul)
        .unwrap()
        .remove(0);
    let order: Vec<&str> = s.start_order().map(|g| g.name.as_str()).collect();
    assert_eq!(order, ["db", "cache", "app"]);
    let stop: Vec<&str> = s.stop_order().map(|g| g.name.as_str()).collect();
    assert_eq!(stop, ["app", "cache", "db"]);
}

#[test]
fn the_example_file_is_valid_and_round_trips() {
    let text = include_str!("../../../examples/schedules.toml");
    let file = SchedulesFile::from_toml(text).unwrap();
    let schedules = file.validate(chrono_tz::Asia::Seoul).unwrap();
    assert_eq!(
        schedules
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["dev", "staging", "batch"]
    );
    let rendered = render_schedules(&file).unwrap();
    assert_eq!(SchedulesFile::from_toml(&rendered).unwrap(), file);
}

#[test]
fn period_descriptions_read_like_the_file() {
    let s = schedule(
        "Asia/Seoul",
        &[
            WEEKDAYS,
            "days = \"sat\"\nmonthdays = \"1-7\"\nstart = \"10:00\"",
            "days = \"weekends\"",
        ],
    );
    let described: Vec<String> = s.periods.iter().map(Period::describe).collect();
    assert_eq!(
        described,
        [
            "weekdays 09:00-19:00",
            "sat monthdays 1-7 10:00-",
            "weekends 00:00-24:00"
        ]
    );
}

#[test]
fn reason_is_typed() {
    let file = SchedulesFile::from_toml("[[schedule]]\nname = \"dev\"\ntimezone = \"X\"").unwrap();
    let errors = file.validate(chrono_tz::Asia::Seoul).unwrap_err();
    assert_eq!(errors[0].reason, Reason::UnknownTimezone("X".to_owned()));
    assert_eq!(errors[0].field, "timezone");
}

// ---- properties ----

const DAY_EXPRESSIONS: [&str; 8] = [
    "all",
    "weekdays",
    "weekends",
    "mon,wed,fri",
    "fri-mon",
    "tue#2",
    "friL",
    "sat",
];

pub(super) fn arb_period() -> impl Strategy<Value = String> {
    let time = (0u32..24, prop_oneof![Just(0u32), Just(30), 0u32..60])
        .prop_map(|(h, m)| format!("{h:02}:{m:02}"));
    (
        0..DAY_EXPRESSIONS.len(),
        proptest::option::of(time.clone()),
        proptest::option::of(time),
    )
        .prop_filter("start and stop differ", |(_, a, b)| a.is_none() || a != b)
        .prop_map(|(days, start, stop)| {
            let mut text = format!("days = \"{}\"\n", DAY_EXPRESSIONS[days]);
            if let Some(start) = start {
                text.push_str(&format!("start = \"{start}\"\n"));
            }
            if let Some(stop) = stop {
                text.push_str(&format!("stop = \"{stop}\"\n"));
            }
            text
        })
}

pub(super) fn arb_zone() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("Asia/Seoul"),
        Just("America/New_York"),
        Just("Europe/Berlin"),
        Just("Australia/Lord_Howe")
    ]
}

pub(super) fn arb_exception() -> impl Strategy<Value = Exception> {
    (
        0u64..60,
        any::<bool>(),
        proptest::option::of((0u32..24, 0u32..60)),
    )
        .prop_map(|(offset, start, time)| Exception {
            date: date("2026-02-20")
                .checked_add_days(chrono::Days::new(offset))
                .unwrap(),
            action: if start { Start } else { Stop },
            time: time.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Events come out in strictly increasing time, whatever the periods,
    /// zones (DST days included: the range spans March and April) and exceptions.
    #[test]
    fn timeline_is_sorted(
        zone in arb_zone(),
        periods in proptest::collection::vec(arb_period(), 1..4),
        exceptions in proptest::collection::vec(arb_exception(), 0..5),
        start_offset in 0i64..(40 * 24),
    ) {
        let refs: Vec<&str> = periods.iter().map(String::as_str).collect();
        let s = schedule(zone, &refs);
        let from = seoul("2026-02-20 00:00") + Duration::hours(start_offset);
        let events = Timeline::new(&s, &exceptions, &[]).events(from, from + Duration::days(10));
        prop_assert!(events.windows(2).all(|w| w[0].at < w[1].at), "{:?}", events);
        prop_assert!(events.iter().all(|e| e.at >= from && e.at < from + Duration::days(10)));
    }

    /// An exception on date D changes only events whose local date is D.
    #[test]
    fn an_exception_never_changes_another_date(
        zone in arb_zone(),
        periods in proptest::collection::vec(arb_period(), 1..4),
        exception in arb_exception(),
    ) {
        let refs: Vec<&str> = periods.iter().map(String::as_str).collect();
        let s = schedule(zone, &refs);
        let from = seoul("2026-02-10 00:00");
        let to = seoul("2026-05-01 00:00");
        let other_dates = |events: Vec<Event>| -> Vec<Event> {
            events.into_iter().filter(|e| e.at.with_timezone(&s.timezone).date_naive() != exception.date).collect()
        };
        let without = other_dates(Timeline::new(&s, &[], &[]).events(from, to));
        let with = other_dates(Timeline::new(&s, &[exception], &[]).events(from, to));
        prop_assert_eq!(without, with);
    }

    /// The latest event at T is the last of the events up to T.
    #[test]
    fn latest_agrees_with_events(periods in proptest::collection::vec(arb_period(), 1..3), minutes in 0i64..(20 * 24 * 60)) {
        let refs: Vec<&str> = periods.iter().map(String::as_str).collect();
        let s = schedule("Asia/Seoul", &refs);
        let at = seoul("2026-03-01 00:00") + Duration::minutes(minutes);
        let timeline = Timeline::new(&s, &[], &[]);
        let expected = timeline.events(at - timeline::LOOK_BACK, at + Duration::seconds(1)).into_iter().rfind(|e| e.at <= at);
        prop_assert_eq!(timeline.latest(at), expected);
    }
}

#[test]
fn the_closest_name_forgives_one_typo_in_short_names_and_more_in_long_ones() {
    use crate::schedule::model::closest_name;
    let known = ["batch", "dev", "staging", "개발서버"];
    for (typed, expected) in [
        ("dve", Some("dev")),
        ("de", Some("dev")),
        ("Dev", Some("dev")),
        ("stagign", Some("staging")),
        ("stagin", Some("staging")),
        ("bathc", Some("batch")),
        ("개발써버", Some("개발서버")),
        ("prod", None),
        ("xyz", None),
    ] {
        assert_eq!(closest_name(typed, known), expected, "{typed}");
    }
}

#[test]
fn a_schedule_that_runs_all_the_time_is_running_all_day_in_info() {
    let s = schedule("Asia/Seoul", &["days = \"all\""]);
    let timeline = Timeline::new(&s, &[], &[]);
    let plan = DayPlan::of(&timeline, date("2026-12-04"));
    assert!(plan.events.is_empty());
    assert!(plan.running_at_start && plan.running_at_end);
    assert_eq!(plan.bar(), "█".repeat(24));
    assert_eq!(timeline.state_at(seoul("2026-12-04 03:00")), Some(Start));
    assert_eq!(
        timeline.latest(seoul("2026-12-04 03:00")),
        None,
        "no edge at all"
    );
    // `00:00-23:59` every day bridges midnight: the same.
    let s = schedule(
        "Asia/Seoul",
        &["days = \"all\"\nstart = \"00:00\"\nstop = \"23:59\""],
    );
    assert_eq!(
        Timeline::new(&s, &[], &[]).desired(seoul("2026-12-04 03:00")),
        Some(Event::steady(Start))
    );
}

#[test]
fn a_schedule_off_for_more_than_the_look_back_is_steadily_stopped() {
    // Runs on the first Monday only; on the 20th nothing is within 8 days.
    let s = schedule(
        "Asia/Seoul",
        &["days = \"mon#1\"\nstart = \"09:00\"\nstop = \"19:00\""],
    );
    let timeline = Timeline::new(&s, &[], &[]);
    assert_eq!(
        timeline.desired(seoul("2026-12-20 12:00")),
        Some(Event::steady(Stop))
    );
    // Only lone events and none in the look-back: no desired state at all.
    let s = schedule("Asia/Seoul", &["days = \"mon#1\"\nstart = \"09:00\""]);
    assert_eq!(
        Timeline::new(&s, &[], &[]).desired(seoul("2026-12-20 12:00")),
        None
    );
}

#[test]
fn an_rds_cluster_group_is_read_written_back_and_a_wrong_kind_named() {
    let text = "[[schedule]]\nname = \"dev\"\n[[schedule.period]]\ndays = \"weekdays\"\n\
        start = \"09:00\"\nstop = \"19:00\"\n\
        [[schedule.group]]\nname = \"db\"\nkind = \"rds-cluster\"\n\
        [[schedule.group]]\nname = \"app\"\nkind = \"EC2\"\nafter = [\"db\"]\n";
    let file = SchedulesFile::from_toml(text).unwrap();
    let schedules = file.validate(chrono_tz::Asia::Seoul).unwrap();
    let kinds: Vec<GroupKind> = schedules[0].groups.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GroupKind::RdsCluster, GroupKind::Ec2]);
    let rendered = render_schedules(&file).unwrap();
    assert!(rendered.contains("kind = \"rds-cluster\""), "{rendered}");
    assert_eq!(SchedulesFile::from_toml(&rendered).unwrap(), file);

    let wrong = text.replace("rds-cluster", "aurora");
    let errors = SchedulesFile::from_toml(&wrong)
        .unwrap()
        .validate(chrono_tz::Asia::Seoul)
        .unwrap_err();
    let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|e| e.contains("\"aurora\"") && e.contains("rds-cluster")),
        "{said:?}"
    );
}

#[test]
fn hibernate_is_read_and_written_back_and_off_unless_said() {
    let text = "[[schedule]]\nname = \"dev\"\nhibernate = true\n[[schedule]]\nname = \"qa\"\n";
    let file = SchedulesFile::from_toml(text).unwrap();
    let schedules = file.validate(chrono_tz::Asia::Seoul).unwrap();
    assert_eq!(
        schedules.iter().map(|s| s.hibernate).collect::<Vec<_>>(),
        [true, false]
    );
    let rendered = render_schedules(&file).unwrap();
    assert_eq!(SchedulesFile::from_toml(&rendered).unwrap(), file);
}
