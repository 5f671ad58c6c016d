//! Local wall-clock times → instants, by the DST rules of SPEC §6.4.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant of `time` on `date` in `tz`. A time that does not exist (the
/// hour skipped by a DST change) moves forward to the first valid instant; an
/// ambiguous one (the repeated hour) takes the earlier instant.
pub fn resolve(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    resolve_naive(tz, date.and_time(time))
}

/// [`resolve`] for a naive local date-time.
pub fn resolve_naive(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => first_valid_after_gap(tz, local),
    }
}

/// Time zone transitions fall on whole local minutes, so the first valid
/// local minute after the skipped one is the instant of the jump itself.
fn first_valid_after_gap(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    // Gaps are at most a day long (Samoa skipped 2011-12-30 entirely).
    let mut probe = local;
    for _ in 0..(26 * 60) {
        probe += Duration::minutes(1);
        if let LocalResult::Single(at) | LocalResult::Ambiguous(at, _) =
            tz.from_local_datetime(&probe)
        {
            return at.with_timezone(&Utc);
        }
    }
    // No time zone has a gap this long; read the time as UTC rather than panic.
    Utc.from_utc_datetime(&local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Asia::Seoul;
    use chrono_tz::Europe::Berlin;

    fn at(date: &str, time: &str, tz: Tz) -> String {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        let t = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
        resolve(tz, d, t).with_timezone(&tz).to_rfc3339()
    }

    #[test]
    fn plain_time_in_seoul() {
        assert_eq!(
            at("2026-12-04", "09:00", Seoul),
            "2026-12-04T09:00:00+09:00"
        );
    }

    #[test]
    fn gap_moves_forward_to_first_valid_instant_new_york() {
        assert_eq!(
            at("2026-03-08", "02:30", New_York),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            at("2026-03-08", "02:00", New_York),
            "2026-03-08T03:00:00-04:00"
        );
        assert_eq!(
            at("2026-03-08", "03:00", New_York),
            "2026-03-08T03:00:00-04:00"
        );
    }

    #[test]
    fn gap_moves_forward_berlin() {
        assert_eq!(
            at("2026-03-29", "02:15", Berlin),
            "2026-03-29T03:00:00+02:00"
        );
    }

    #[test]
    fn ambiguous_takes_the_earlier_instant() {
        assert_eq!(
            at("2026-11-01", "01:30", New_York),
            "2026-11-01T01:30:00-04:00"
        );
        assert_eq!(
            at("2026-10-25", "02:30", Berlin),
            "2026-10-25T02:30:00+02:00"
        );
    }

    #[test]
    fn samoa_skipped_day_lands_on_the_next_day() {
        let tz = chrono_tz::Pacific::Apia;
        assert_eq!(at("2011-12-30", "09:00", tz), "2011-12-31T00:00:00+14:00");
    }
}
