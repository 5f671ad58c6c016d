//! Feeds as Google Calendar and Outlook publish them (CRLF lines, folded
//! long lines, `VALUE=DATE` all-day events), and the ways one goes wrong.

#![allow(clippy::indexing_slicing)]
use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A calendar of `events` (each the lines between BEGIN and END:VEVENT),
/// with CRLF line ends as the RFC and Google write them.
fn feed(events: &[&str]) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "X-WR-CALNAME:Company days off",
    ];
    let bodies: Vec<String> = events.iter().map(|e| e.replace('\n', "\r\n")).collect();
    let mut text = lines.join("\r\n");
    for body in &bodies {
        text.push_str("\r\nBEGIN:VEVENT\r\n");
        text.push_str(body);
        text.push_str("\r\nEND:VEVENT");
    }
    lines.clear();
    text.push_str("\r\nEND:VCALENDAR\r\n");
    text.into_bytes()
}

fn days(feed: &[u8]) -> Vec<String> {
    parse(feed, date("2026-01-01"), date("2028-12-31"))
        .unwrap()
        .days
        .iter()
        .map(|(d, name)| format!("{d} {name}"))
        .collect()
}

#[test]
fn an_all_day_event_marks_its_date_and_dtend_is_exclusive() {
    let one = feed(&[
        "UID:1\nSUMMARY:Founding day\nDTSTART;VALUE=DATE:20270301\nDTEND;VALUE=DATE:20270302",
    ]);
    assert_eq!(days(&one), ["2027-03-01 Founding day"]);
    // No DTEND: one day (RFC 5545 §3.6.1).
    let bare = feed(&["UID:2\nSUMMARY:Day off\nDTSTART;VALUE=DATE:20270302"]);
    assert_eq!(days(&bare), ["2027-03-02 Day off"]);
}

#[test]
fn a_multi_day_event_marks_every_day_and_a_duration_counts_the_same() {
    let summer = feed(&[
        "UID:s\nSUMMARY:Summer break\nDTSTART;VALUE=DATE:20270802\nDTEND;VALUE=DATE:20270807",
        "UID:d\nSUMMARY:Workshop\nDTSTART;VALUE=DATE:20271004\nDURATION:P2D",
    ]);
    assert_eq!(
        days(&summer),
        [
            "2027-08-02 Summer break",
            "2027-08-03 Summer break",
            "2027-08-04 Summer break",
            "2027-08-05 Summer break",
            "2027-08-06 Summer break",
            "2027-10-04 Workshop",
            "2027-10-05 Workshop",
        ]
    );
}

#[test]
fn a_yearly_rule_is_expanded_less_its_exdates() {
    let yearly = feed(&[
        "UID:y\nSUMMARY:Company birthday\nDTSTART;VALUE=DATE:20250505\nDTEND;VALUE=DATE:20250506\nRRULE:FREQ=YEARLY\nEXDATE;VALUE=DATE:20270505",
    ]);
    assert_eq!(
        days(&yearly),
        ["2026-05-05 Company birthday", "2028-05-05 Company birthday"]
    );
}

#[test]
fn timed_and_cancelled_events_are_no_days_off() {
    let mixed = feed(&[
        "UID:t\nSUMMARY:All hands\nDTSTART:20270310T090000Z\nDTEND:20270310T100000Z",
        "UID:z\nSUMMARY:Offsite\nDTSTART;TZID=Asia/Seoul:20270311T090000\nDTEND;TZID=Asia/Seoul:20270311T180000",
        "UID:c\nSUMMARY:Cancelled day off\nSTATUS:CANCELLED\nDTSTART;VALUE=DATE:20270312",
        "UID:k\nSUMMARY:Kept day off\nDTSTART;VALUE=DATE:20270313",
    ]);
    let read = parse(&mixed, date("2027-01-01"), date("2027-12-31")).unwrap();
    assert_eq!(read.timed, 2);
    let kept: Vec<String> = read.days.keys().map(ToString::to_string).collect();
    assert_eq!(kept, ["2027-03-13"]);
}

#[test]
fn folded_lines_and_a_byte_order_mark_are_read() {
    let mut folded = vec![0xef, 0xbb, 0xbf];
    folded.extend(feed(&[
        "UID:f\nSUMMARY:A very long name for a day off that an Outlook export\n  folds onto a second line\nDTSTART;VALUE=DATE:20270601",
    ]));
    assert_eq!(
        days(&folded),
        ["2027-06-01 A very long name for a day off that an Outlook export folds onto a second line"]
    );
}

#[test]
fn only_the_range_asked_for_is_kept() {
    let long =
        feed(&["UID:l\nSUMMARY:Year-end\nDTSTART;VALUE=DATE:20261228\nDTEND;VALUE=DATE:20270105"]);
    let read = parse(&long, date("2027-01-01"), date("2027-01-31")).unwrap();
    let kept: Vec<String> = read.days.keys().map(ToString::to_string).collect();
    assert_eq!(
        kept,
        ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]
    );
}

#[test]
fn what_is_not_a_calendar_says_what_and_where() {
    let html = b"<!DOCTYPE html><html><body>404 Not Found</body></html>";
    let error = parse(html, date("2027-01-01"), date("2027-12-31")).unwrap_err();
    assert!(
        matches!(&error, FeedError::NotICal(why) if why.starts_with("line 1 is \"<!DOCTYPE html>")),
        "{error}"
    );
    let binary = [b'B', 0xff, 0xfe, 0x00];
    let error = parse(&binary, date("2027-01-01"), date("2027-12-31")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "not an iCalendar file: not UTF-8 text (byte 2)"
    );

    // A line that is no property (no colon), inside the calendar.
    let broken = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270301\r\nTHIS LINE IS NOT A PROPERTY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let error = parse(broken, date("2027-01-01"), date("2027-12-31")).unwrap_err();
    let FeedError::NotICal(why) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        why,
        "line 5: \"THIS LINE IS NOT A PROPERTY\" is not a property (NAME:value)"
    );
}

#[test]
fn a_feed_over_one_mib_is_refused_before_it_is_read() {
    let mut big = feed(&["UID:1\nSUMMARY:x\nDTSTART;VALUE=DATE:20270301"]);
    big.resize(2 * 1024 * 1024, b' ');
    let error = parse(&big, date("2027-01-01"), date("2027-12-31")).unwrap_err();
    assert_eq!(
        error,
        FeedError::TooLarge {
            bytes: 2 * 1024 * 1024
        }
    );
    assert!(error.to_string().contains("at most 1048576 (1 MiB)"));
}

/// Hostile feeds (SPEC §6 item 6, issue 29): 200 malformed, truncated,
/// binary and oversized calendars each come back as an error or as days
/// off, never a panic; the parse of one cannot touch anything else.
mod hostile {
    use super::*;
    use proptest::prelude::*;

    const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Day off\r\nDTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270303\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nEXDATE;VALUE=DATE:20280301\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn read(bytes: &[u8]) -> Result<DaysOff, FeedError> {
        parse(bytes, date("2020-01-01"), date("2035-12-31"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// Random bytes after a calendar's first line.
        #[test]
        fn random_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let mut feed = b"BEGIN:VCALENDAR\r\n".to_vec();
            feed.extend(body);
            let _ = read(&feed);
        }

        /// A good calendar cut anywhere, or with one byte changed.
        #[test]
        fn cut_or_flipped_calendars_never_panic(at in 0..GOOD.len(), byte in any::<u8>(), cut in any::<bool>()) {
            let mut feed = GOOD.as_bytes().to_vec();
            if cut {
                feed.truncate(at);
            } else if let Some(b) = feed.get_mut(at) {
                *b = byte;
            }
            let _ = read(&feed);
        }
    }

    #[test]
    fn the_good_one_reads_and_oversized_ones_are_refused_whatever_they_hold() {
        let read_good = read(GOOD.as_bytes()).unwrap();
        let kept: Vec<String> = read_good.days.keys().map(ToString::to_string).collect();
        assert_eq!(
            kept,
            ["2027-03-01", "2027-03-02", "2029-03-01", "2029-03-02"],
            "COUNT=3 less the EXDATE"
        );
        for size in [MAX_FEED_BYTES + 1, 2 * MAX_FEED_BYTES, 5 * MAX_FEED_BYTES] {
            let mut big = GOOD.as_bytes().to_vec();
            big.resize(size, b'X');
            assert_eq!(read(&big), Err(FeedError::TooLarge { bytes: size }));
        }
        // Rules that would run away are bounded: a daily rule for ever.
        let daily = GOOD.replace("RRULE:FREQ=YEARLY;COUNT=3", "RRULE:FREQ=DAILY");
        let days = read(daily.as_bytes()).unwrap().days;
        // 1,000 two-day occurrences (one day skipped by the EXDATE),
        // overlapping: 1,002 dates, not for ever.
        assert_eq!(days.len(), usize::from(MAX_OCCURRENCES) + 2);
    }
}
