//! Override windows, one case a line: the events they give, and the desired
//! state on both sides of every window end (SPEC §6.3). `dev` is the
//! example's `weekdays 09:00-19:00` in Seoul; 2026-12-02 is a Wednesday and
//! 2026-12-04 a Friday.

use crate::schedule::tests::{
    arb_exception, arb_period, arb_zone, date, exception, hm, local_in, schedule, seoul, show,
    WEEKDAYS,
};
use crate::schedule::{Exception, Handback, Override, Schedule, Timeline};
use crate::value::{DateArg, ForDuration, ForceEnd, ValueError};
use crate::Action::{self, Start, Stop};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

const SEOUL: Tz = chrono_tz::Asia::Seoul;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn span(text: &str) -> ForceEnd {
    ForceEnd::For(crate::value::parse_duration(text).unwrap())
}

fn until(time: &str) -> ForceEnd {
    ForceEnd::Until(hm(time))
}

fn until_on(day: &str, time: &str) -> ForceEnd {
    ForceEnd::UntilOn {
        date: DateArg::On(date(day)),
        time: hm(time),
    }
}

/// An override typed at a Seoul wall-clock instant.
fn forced(action: Action, at: &str, end: Option<ForceEnd>) -> Override {
    Override::forced(action, seoul(at), end, SEOUL).unwrap()
}

fn dev() -> Schedule {
    schedule("Asia/Seoul", &[WEEKDAYS])
}

/// The events from `from` for `hours`, shown in Seoul.
fn events(
    s: &Schedule,
    exceptions: &[Exception],
    overrides: &[Override],
    from: &str,
    hours: i64,
) -> Vec<String> {
    let from = seoul(from);
    show(
        s,
        &Timeline::new(s, exceptions, overrides).events(from, from + Duration::hours(hours)),
    )
}

/// The desired state at a Seoul instant.
fn state(
    s: &Schedule,
    exceptions: &[Exception],
    overrides: &[Override],
    at: &str,
) -> Option<Action> {
    Timeline::new(s, exceptions, overrides).state_at(seoul(at))
}

/// `window!(name: schedule, exceptions, overrides, from, hours => [events]; [(at, state)])`
macro_rules! window {
    ($($name:ident: $schedule:expr, $exceptions:expr, $overrides:expr, $from:expr, $hours:expr
        => [$($event:expr),* $(,)?]; [$(($at:expr, $state:expr)),* $(,)?];)*) => {$(
        #[test]
        fn $name() {
            let s = $schedule;
            let exceptions: Vec<Exception> = $exceptions;
            let overrides: Vec<Override> = $overrides;
            let expected: Vec<&str> = vec![$($event),*];
            assert_eq!(events(&s, &exceptions, &overrides, $from, $hours), expected);
            $(assert_eq!(state(&s, &exceptions, &overrides, $at), Some($state), "state at {}", $at);)*
        }
    )*};
}

window! {
    // The case: the window ends inside working hours, nothing happens.
    for_2h_at_0812_on_a_working_day: dev(), vec![],
        vec![forced(Start, "2026-12-02 08:12", Some(span("2h")))], "2026-12-02 08:00", 16
        => ["2026-12-02 08:12 start override", "2026-12-02 19:00 stop schedule"];
        [("2026-12-02 08:11", Stop), ("2026-12-02 08:12", Start), ("2026-12-02 10:11", Start),
         ("2026-12-02 10:12", Start), ("2026-12-02 10:13", Start), ("2026-12-02 18:59", Start),
         ("2026-12-02 19:00", Stop)];
    for_2h_at_1830_stops_at_2030: dev(), vec![],
        vec![forced(Start, "2026-12-02 18:30", Some(span("2h")))], "2026-12-02 18:00", 16
        => ["2026-12-02 18:30 start override", "2026-12-02 20:30 stop override",
            "2026-12-03 09:00 start schedule"];
        [("2026-12-02 19:00", Start), ("2026-12-02 20:29", Start), ("2026-12-02 20:30", Stop)];
    until_2300_in_the_evening: dev(), vec![],
        vec![forced(Start, "2026-12-02 20:00", Some(until("23:00")))], "2026-12-02 18:00", 8
        => ["2026-12-02 19:00 stop schedule", "2026-12-02 20:00 start override",
            "2026-12-02 23:00 stop override"];
        [("2026-12-02 22:59", Start), ("2026-12-02 23:00", Stop)];
    force_stop_for_1h_at_noon_starts_at_1300: dev(), vec![],
        vec![forced(Stop, "2026-12-02 12:00", Some(span("1h")))], "2026-12-02 08:00", 12
        => ["2026-12-02 09:00 start schedule", "2026-12-02 12:00 stop override",
            "2026-12-02 13:00 start override", "2026-12-02 19:00 stop schedule"];
        [("2026-12-02 12:59", Stop), ("2026-12-02 13:00", Start)];
    force_stop_for_1h_in_the_evening_ends_quietly: dev(), vec![],
        vec![forced(Stop, "2026-12-02 21:00", Some(span("1h")))], "2026-12-02 20:00", 14
        => ["2026-12-02 21:00 stop override", "2026-12-03 09:00 start schedule"];
        [("2026-12-02 22:00", Stop), ("2026-12-03 08:59", Stop), ("2026-12-03 09:00", Start)];
    for_2d_from_friday_evening_over_the_weekend: dev(), vec![],
        vec![forced(Start, "2026-12-04 18:00", Some(span("2d")))], "2026-12-04 08:00", 4 * 24
        => ["2026-12-04 09:00 start schedule", "2026-12-04 18:00 start override",
            "2026-12-06 18:00 stop override", "2026-12-07 09:00 start schedule",
            "2026-12-07 19:00 stop schedule"];
        [("2026-12-04 19:00", Start), ("2026-12-05 12:00", Start), ("2026-12-06 17:59", Start),
         ("2026-12-06 18:00", Stop), ("2026-12-07 09:00", Start)];
    for_2d12h_from_friday_evening_ends_before_monday_hours: dev(), vec![],
        vec![forced(Start, "2026-12-04 18:00", Some(span("2d12h")))], "2026-12-04 12:00", 4 * 24
        => ["2026-12-04 18:00 start override", "2026-12-07 06:00 stop override",
            "2026-12-07 09:00 start schedule", "2026-12-07 19:00 stop schedule",
            "2026-12-08 09:00 start schedule"];
        [("2026-12-07 05:59", Start), ("2026-12-07 06:00", Stop), ("2026-12-07 09:00", Start)];
    for_2d16h_from_friday_evening_ends_in_monday_hours: dev(), vec![],
        vec![forced(Start, "2026-12-04 18:00", Some(span("2d16h")))], "2026-12-04 12:00", 4 * 24
        => ["2026-12-04 18:00 start override", "2026-12-07 19:00 stop schedule",
            "2026-12-08 09:00 start schedule"];
        [("2026-12-07 09:59", Start), ("2026-12-07 10:00", Start), ("2026-12-07 19:00", Stop)];
    force_stop_until_monday_noon_across_the_weekend: dev(), vec![],
        vec![forced(Stop, "2026-12-04 10:00", Some(until_on("2026-12-07", "12:00")))],
        "2026-12-04 08:00", 4 * 24
        => ["2026-12-04 09:00 start schedule", "2026-12-04 10:00 stop override",
            "2026-12-07 12:00 start override", "2026-12-07 19:00 stop schedule"];
        [("2026-12-07 09:00", Stop), ("2026-12-07 11:59", Stop), ("2026-12-07 12:00", Start)];
    force_start_until_monday_0800_from_saturday: dev(), vec![],
        vec![forced(Start, "2026-12-05 10:00", Some(until_on("2026-12-07", "08:00")))],
        "2026-12-05 00:00", 3 * 24
        => ["2026-12-05 10:00 start override", "2026-12-07 08:00 stop override",
            "2026-12-07 09:00 start schedule", "2026-12-07 19:00 stop schedule"];
        [("2026-12-07 07:59", Start), ("2026-12-07 08:00", Stop), ("2026-12-07 09:00", Start)];
    window_over_an_exception_stop_hands_back_stopped: dev(),
        vec![exception("2026-12-24", Stop, Some("15:00"))],
        vec![forced(Start, "2026-12-24 14:00", Some(span("2h")))], "2026-12-24 08:00", 16
        => ["2026-12-24 09:00 start schedule", "2026-12-24 14:00 start override",
            "2026-12-24 16:00 stop override"];
        [("2026-12-24 15:30", Start), ("2026-12-24 16:00", Stop)];
    window_before_an_exception_stop_leaves_it_in_place: dev(),
        vec![exception("2026-12-24", Stop, Some("15:00"))],
        vec![forced(Start, "2026-12-24 11:00", Some(span("1h")))], "2026-12-24 08:00", 16
        => ["2026-12-24 09:00 start schedule", "2026-12-24 11:00 start override",
            "2026-12-24 15:00 stop exception"];
        [("2026-12-24 12:00", Start), ("2026-12-24 15:00", Stop)];
    window_on_an_exception_day_off_hands_back_to_the_excepted_start: dev(),
        vec![exception("2026-12-24", Start, Some("13:00"))],
        vec![forced(Stop, "2026-12-24 09:30", Some(until("13:30")))], "2026-12-24 08:00", 16
        => ["2026-12-24 09:30 stop override", "2026-12-24 13:30 start override",
            "2026-12-24 19:00 stop schedule"];
        [("2026-12-24 13:00", Stop), ("2026-12-24 13:30", Start)];
    a_later_override_replaces_the_earlier_window: dev(), vec![],
        vec![forced(Start, "2026-12-02 07:00", Some(span("5h"))),
             forced(Stop, "2026-12-02 10:00", Some(span("1h")))], "2026-12-02 06:00", 14
        => ["2026-12-02 07:00 start override", "2026-12-02 10:00 stop override",
            "2026-12-02 11:00 start override", "2026-12-02 19:00 stop schedule"];
        [("2026-12-02 09:30", Start), ("2026-12-02 10:30", Stop), ("2026-12-02 12:30", Start)];
    a_later_plain_force_stop_ends_the_window_for_good: dev(), vec![],
        vec![forced(Start, "2026-12-02 18:00", Some(span("2h"))),
             forced(Stop, "2026-12-02 18:30", None)], "2026-12-02 17:00", 15
        => ["2026-12-02 18:00 start override", "2026-12-02 18:30 stop override",
            "2026-12-02 19:00 stop schedule"];
        [("2026-12-02 19:30", Stop), ("2026-12-02 20:00", Stop), ("2026-12-02 20:30", Stop)];
    until_the_scheduled_stop_itself: dev(), vec![],
        vec![forced(Start, "2026-12-02 08:00", Some(until("19:00")))], "2026-12-02 07:00", 14
        => ["2026-12-02 08:00 start override", "2026-12-02 19:00 stop override"];
        [("2026-12-02 18:59", Start), ("2026-12-02 19:00", Stop)];
    a_window_on_a_schedule_that_runs_all_the_time: schedule("Asia/Seoul", &["days = \"all\""]), vec![],
        vec![forced(Stop, "2026-12-02 12:00", Some(span("1h")))], "2026-12-02 00:00", 48
        => ["2026-12-02 12:00 stop override", "2026-12-02 13:00 start override"];
        [("2026-12-02 11:59", Start), ("2026-12-02 12:30", Stop), ("2026-12-02 13:00", Start),
         ("2026-12-12 13:00", Start)];
}

/// New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT. `for 2h` is two real
/// hours; `until 02:30` (a wall-clock time that does not exist) is 03:00.
#[test]
fn a_window_across_the_dst_gap_in_new_york() {
    let s = schedule(
        "America/New_York",
        &["days = \"all\"\nstart = \"08:00\"\nstop = \"20:00\""],
    );
    let ny = |local: &str| local_in(local, NEW_YORK);
    let show_ny = |events: &[crate::schedule::Event]| -> Vec<String> {
        events
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.at.with_timezone(&NEW_YORK).format("%H:%M %Z"),
                    e.action,
                    e.source.as_str()
                )
            })
            .collect()
    };
    let issued = ny("2026-03-08 00:30");
    let for_2h = [Override::forced(Start, issued, Some(span("2h")), NEW_YORK).unwrap()];
    let timeline = Timeline::new(&s, &[], &for_2h);
    let events = timeline.events(ny("2026-03-08 00:00"), ny("2026-03-08 07:00"));
    assert_eq!(
        show_ny(&events),
        ["00:30 EST start override", "03:30 EDT stop override"]
    );
    assert_eq!(timeline.state_at(ny("2026-03-08 03:29")), Some(Start));
    assert_eq!(timeline.state_at(ny("2026-03-08 03:30")), Some(Stop));

    let until_gap = [Override::forced(Start, issued, Some(until("02:30")), NEW_YORK).unwrap()];
    assert_eq!(until_gap[0].until, Some(ny("2026-03-08 03:00")));
    let timeline = Timeline::new(&s, &[], &until_gap);
    let events = timeline.events(ny("2026-03-08 00:00"), ny("2026-03-08 07:00"));
    assert_eq!(
        show_ny(&events),
        ["00:30 EST start override", "03:00 EDT stop override"]
    );

    // A window that ends inside the (shifted) working day hands back quietly.
    let morning =
        [Override::forced(Start, ny("2026-03-08 06:30"), Some(span("2h")), NEW_YORK).unwrap()];
    let timeline = Timeline::new(&s, &[], &morning);
    let events = timeline.events(ny("2026-03-08 06:00"), ny("2026-03-08 21:00"));
    assert_eq!(
        show_ny(&events),
        ["06:30 EDT start override", "20:00 EDT stop schedule"]
    );
}

#[test]
fn handbacks_say_what_the_schedule_resumes() {
    let s = dev();
    let overrides = [
        forced(Start, "2026-12-02 08:12", Some(span("2h"))),
        forced(Start, "2026-12-02 18:30", Some(span("2h"))),
    ];
    let timeline = Timeline::new(&s, &[], &overrides);
    let handbacks = timeline.handbacks(seoul("2026-12-02 00:00"), seoul("2026-12-03 00:00"));
    assert_eq!(
        handbacks,
        [
            Handback {
                at: seoul("2026-12-02 10:12"),
                held: Start,
                resumes: Some(Start)
            },
            Handback {
                at: seoul("2026-12-02 20:30"),
                held: Start,
                resumes: Some(Stop)
            },
        ]
    );
    assert!(!handbacks[0].changes() && handbacks[1].changes());
    // `next` lists the hand-back before the stop it causes.
    let upcoming = timeline.upcoming(seoul("2026-12-02 18:40"), Duration::days(1));
    use crate::schedule::timeline::UpcomingKind;
    let kinds: Vec<_> = upcoming
        .iter()
        .filter(|u| u.kind != UpcomingKind::StopWarning)
        .map(|u| (u.at, u.kind))
        .collect();
    assert_eq!(
        kinds[..2],
        [
            (
                seoul("2026-12-02 20:30"),
                UpcomingKind::Handback {
                    held: Start,
                    resumes: Some(Stop)
                }
            ),
            (seoul("2026-12-02 20:30"), UpcomingKind::Stop),
        ]
    );
}

#[test]
fn a_replaced_window_has_no_handback() {
    let s = dev();
    let overrides = [
        forced(Start, "2026-12-02 18:00", Some(span("2h"))),
        forced(Stop, "2026-12-02 18:30", None),
    ];
    let handbacks = Timeline::new(&s, &[], &overrides)
        .handbacks(seoul("2026-12-02 00:00"), seoul("2026-12-03 00:00"));
    assert_eq!(handbacks, []);
}

#[test]
fn until_a_date_must_lie_ahead_within_a_week() {
    let now = seoul("2026-12-02 08:12");
    let end = |day: &str, time: &str| until_on(day, time).resolve(now, SEOUL);
    assert_eq!(end("2026-12-26", "09:00"), Err(ValueError::TooFarAhead));
    assert_eq!(end("2026-12-02", "08:00"), Err(ValueError::InPast));
    assert_eq!(end("2026-12-02", "08:12"), Err(ValueError::InPast));
    assert_eq!(end("2026-12-01", "09:00"), Err(ValueError::InPast));
    assert_eq!(end("2026-12-09", "08:12"), Ok(seoul("2026-12-09 08:12")));
    assert_eq!(end("2026-12-09", "08:13"), Err(ValueError::TooFarAhead));
    let tomorrow = ForceEnd::UntilOn {
        date: DateArg::Tomorrow,
        time: hm("09:00"),
    };
    assert_eq!(tomorrow.resolve(now, SEOUL), Ok(seoul("2026-12-03 09:00")));
    // `until TIME` alone is never past: it is the next such time.
    assert_eq!(
        until("08:00").resolve(now, SEOUL),
        Ok(seoul("2026-12-03 08:00"))
    );
    assert_eq!(
        ForceEnd::For(ForDuration::from_minutes(ForDuration::MAX_MINUTES).unwrap())
            .resolve(now, SEOUL),
        Ok(seoul("2026-12-09 08:12"))
    );
}

#[test]
fn overrides_stored_before_windows_handed_back_now_hand_back() {
    // The stored shape is unchanged: `force_start for 2h` at 08:12 was
    // written as {action: start, until: 10:12} and now ends quietly.
    let stored = Override {
        issued_at: seoul("2026-12-02 08:12"),
        action: Start,
        until: Some(seoul("2026-12-02 10:12")),
    };
    let json = serde_json::to_value(&stored).unwrap();
    assert_eq!(json["until"], "2026-12-02T01:12:00Z");
    let s = dev();
    assert_eq!(
        events(&s, &[], &[stored], "2026-12-02 08:00", 12),
        [
            "2026-12-02 08:12 start override",
            "2026-12-02 19:00 stop schedule"
        ]
    );
}

fn arb_override(base: DateTime<Utc>) -> impl Strategy<Value = Override> {
    (
        0i64..(10 * 24 * 60),
        any::<bool>(),
        1u32..=ForDuration::MAX_MINUTES,
    )
        .prop_map(move |(offset, start, minutes)| Override {
            issued_at: base + Duration::minutes(offset),
            action: if start { Start } else { Stop },
            until: Some(base + Duration::minutes(offset + i64::from(minutes))),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// At a window's end the state equals the schedule's own state at that
    /// instant (periods and exceptions, no overrides), wherever it gives one;
    /// and inside the window it is what the override held.
    #[test]
    fn at_a_windows_end_the_state_is_the_schedules(
        zone in arb_zone(),
        periods in proptest::collection::vec(arb_period(), 0..3),
        exceptions in proptest::collection::vec(arb_exception(), 0..4),
        o in arb_override(seoul("2026-02-25 00:00")),
    ) {
        let refs: Vec<&str> = periods.iter().map(String::as_str).collect();
        let s = schedule(zone, &refs);
        let Some(end) = o.until else { unreachable!() };
        let own = Timeline::new(&s, &exceptions, &[]).state_at(end);
        let overridden = Timeline::new(&s, &exceptions, std::slice::from_ref(&o));
        if let Some(own) = own {
            prop_assert_eq!(overridden.state_at(end), Some(own));
        }
        let inside = o.issued_at + (end - o.issued_at) / 2;
        prop_assert_eq!(overridden.state_at(inside), Some(o.action));
        prop_assert_eq!(overridden.state_at(end - Duration::nanoseconds(1)), Some(o.action));
    }
}
