//! Days off in the timeline (SPEC §6 item 6): a public holiday of one of
//! the schedule's countries starts nothing; a run begun the evening before
//! still ends at its stop; an exception on the day still applies.

use super::file::{parse_schedules, Reason};
use super::tests::{date, exception, local_in, seoul, show, WEEKDAYS};
use super::*;
use crate::Action::{Start, Stop};
use chrono::{DateTime, Utc};

/// One schedule `t` in `tz` keeping `countries`' holidays.
fn keeping(tz: &str, countries: &str, periods: &[&str]) -> Schedule {
    let mut text =
        format!("[[schedule]]\nname = \"t\"\ntimezone = \"{tz}\"\nholidays = {countries}\n");
    for period in periods {
        text.push_str(&format!("[[schedule.period]]\n{period}\n"));
    }
    parse_schedules(&text, chrono_tz::Asia::Seoul)
        .unwrap()
        .remove(0)
}

fn events_between(
    schedule: &Schedule,
    exceptions: &[Exception],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<String> {
    show(
        schedule,
        &Timeline::new(schedule, exceptions, &[]).events(from, to),
    )
}

#[test]
fn seollal_on_weekdays_starts_nothing() {
    // 2027-02-08 (Mon) 설날 다음날 and 02-09 (Tue) its substitute day.
    let dev = keeping("Asia/Seoul", "[\"KR\"]", &[WEEKDAYS]);
    let events = events_between(
        &dev,
        &[],
        seoul("2027-02-05 00:00"),
        seoul("2027-02-11 00:00"),
    );
    assert_eq!(
        events,
        [
            "2027-02-05 09:00 start schedule",
            "2027-02-05 19:00 stop schedule",
            // The days off keep their stops: harmless when all is stopped.
            "2027-02-08 19:00 stop schedule",
            "2027-02-09 19:00 stop schedule",
            "2027-02-10 09:00 start schedule",
            "2027-02-10 19:00 stop schedule",
        ]
    );
    let timeline = Timeline::new(&dev, &[], &[]);
    assert_eq!(timeline.state_at(seoul("2027-02-08 11:00")), Some(Stop));
    assert_eq!(timeline.state_at(seoul("2027-02-10 11:00")), Some(Start));
    assert_eq!(
        dev.day_off(date("2027-02-08")).unwrap().name(true),
        "설날 다음날"
    );
    assert!(dev.day_off(date("2027-02-10")).is_none());

    // Without holidays the same days work.
    let plain = keeping("Asia/Seoul", "[]", &[WEEKDAYS]);
    let timeline = Timeline::new(&plain, &[], &[]);
    assert_eq!(timeline.state_at(seoul("2027-02-08 11:00")), Some(Start));
}

#[test]
fn a_run_begun_the_evening_before_still_ends_at_its_stop() {
    // Nights on weekdays; 2027-02-09 (Tue) is a day off.
    let night = keeping(
        "Asia/Seoul",
        "[\"KR\"]",
        &["days = \"mon-fri\"\nstart = \"22:00\"\nstop = \"06:00\""],
    );
    let events = events_between(
        &night,
        &[],
        seoul("2027-02-10 00:00"),
        seoul("2027-02-12 00:00"),
    );
    assert_eq!(
        events,
        [
            // Tuesday's own night was left out: only its stop stays.
            "2027-02-10 06:00 stop schedule",
            "2027-02-10 22:00 start schedule",
            "2027-02-11 06:00 stop schedule",
            "2027-02-11 22:00 start schedule",
        ]
    );
    // Friday 2027-02-05's night runs into Saturday; the Monday (a day off)
    // night does not begin; Sunday night is not a period at all. The
    // Friday-evening run into Saturday ends at its stop.
    let events = events_between(
        &night,
        &[],
        seoul("2027-02-05 00:00"),
        seoul("2027-02-09 12:00"),
    );
    assert_eq!(
        events,
        [
            "2027-02-05 06:00 stop schedule",
            "2027-02-05 22:00 start schedule",
            "2027-02-06 06:00 stop schedule",
            "2027-02-09 06:00 stop schedule",
        ]
    );
}

#[test]
fn an_exception_on_a_holiday_makes_it_a_working_day() {
    let dev = keeping("Asia/Seoul", "[\"KR\"]", &[WEEKDAYS]);
    let working = [exception("2027-02-08", Start, Some("10:00"))];
    let events = events_between(
        &dev,
        &working,
        seoul("2027-02-08 00:00"),
        seoul("2027-02-09 00:00"),
    );
    assert_eq!(
        events,
        [
            "2027-02-08 10:00 start exception",
            "2027-02-08 19:00 stop schedule"
        ]
    );
    // An earlier stop that day replaces the period's.
    let short = [
        exception("2027-02-08", Start, Some("10:00")),
        exception("2027-02-08", Stop, Some("15:00")),
    ];
    let events = events_between(
        &dev,
        &short,
        seoul("2027-02-08 00:00"),
        seoul("2027-02-09 00:00"),
    );
    assert_eq!(
        events,
        [
            "2027-02-08 10:00 start exception",
            "2027-02-08 15:00 stop exception"
        ]
    );
}

#[test]
fn a_holiday_after_a_dst_change_is_read_in_local_dates() {
    // London: clocks go forward on Sunday 2027-03-28 (01:00 → 02:00);
    // Monday 03-29 is Easter Monday (GB). Nightly 22:00-06:00 runs.
    let tz = chrono_tz::Europe::London;
    let night = keeping(
        "Europe/London",
        "[\"GB\"]",
        &["days = \"all\"\nstart = \"22:00\"\nstop = \"06:00\""],
    );
    let at = |local: &str| local_in(local, tz);
    let events =
        Timeline::new(&night, &[], &[]).events(at("2027-03-27 12:00"), at("2027-03-31 12:00"));
    let utc: Vec<String> = events
        .iter()
        .map(|e| format!("{} {}", e.at.format("%m-%d %H:%M"), e.action))
        .collect();
    assert_eq!(
        utc,
        [
            // Saturday 22:00 GMT, through the change, to Sunday 06:00 BST.
            "03-27 22:00 start",
            "03-28 05:00 stop",
            // Sunday 22:00 BST runs into Easter Monday and ends there.
            "03-28 21:00 start",
            "03-29 05:00 stop",
            // Easter Monday's own night does not begin; Tuesday's does.
            "03-30 05:00 stop",
            "03-30 21:00 start",
            "03-31 05:00 stop",
        ]
    );
    // Good Friday too.
    assert!(night.day_off(date("2027-03-26")).is_some());
}

#[test]
fn an_unknown_country_is_refused_naming_the_known_ones() {
    let text = "[[schedule]]\nname = \"t\"\nholidays = [\"KR\", \"XX\", \"kr\"]\n";
    let Err(super::file::FileError::Invalid(errors)) =
        parse_schedules(text, chrono_tz::Asia::Seoul)
    else {
        panic!("XX is refused");
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "holidays");
    assert!(matches!(&errors[0].reason, Reason::UnknownCountry(unknown)
        if unknown.country == "XX" && unknown.known.contains("KR, SG, US")));
    // Known codes in any case, once each.
    let ok = keeping("Asia/Seoul", "[\"kr\", \"KR\", \"us\"]", &[WEEKDAYS]);
    assert_eq!(ok.holidays, ["KR", "US"]);
}
