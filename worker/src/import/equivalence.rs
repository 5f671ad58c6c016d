//! Instance Scheduler on AWS's own reading of a set of periods, and where
//! curfew's timeline of the same periods would run or stop servers
//! differently. An import translates periods one to one; most mean the
//! same in both (a begin and an end time, or a whole day), but a period
//! with only a begin or only an end time does not: Instance Scheduler
//! leaves the state as it is before such a begin time ("any") and stops
//! everything on a day none of the periods matches, where curfew has lone
//! events. Rather than guess, the import compares the two over a year and
//! refuses a schedule where they differ ([`first_difference`]).
//!
//! Instance Scheduler's rules, from its `running_period.py` and
//! `instance_schedule.py` (v1.5–v3): a period whose weekdays, months and
//! monthdays all match the date is *running* in `[begintime, endtime)`,
//! *stopped* outside it; with only a begin time *running* from it and
//! *any* before; with only an end time *stopped* from it and *any* before;
//! with neither *running* all day. On a date it does not match it is
//! *stopped*. A schedule is *running* when any period is, else *any* when
//! any period is, else *stopped*; `override_status` (not read here: the
//! import turns it into periods) beats them all. *Any* changes nothing, so
//! the state it leaves is the last *running* or *stopped* before it.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _};
use curfew_shared::schedule::{
    timeline::{latest_within_look_back, LOOK_BACK},
    Period, Schedule, Timeline,
};
use curfew_shared::value::local_time::resolve;
use curfew_shared::Action;

/// What Instance Scheduler wants of a period, or of a schedule, at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desired {
    Running,
    Stopped,
    /// Leave the state as it is.
    Any,
}

/// An instant at which the two readings disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Local wall-clock time in the schedule's time zone.
    pub at: NaiveDateTime,
    pub instance_scheduler: Action,
    /// `None`: curfew's timeline gives no state there.
    pub curfew: Option<Action>,
}

impl Difference {
    /// `2027-01-08 00:30 (Asia/Seoul): Instance Scheduler keeps them running, curfew stops them`.
    pub fn describe(&self, schedule: &Schedule) -> String {
        let verb = |action: Option<Action>| match action {
            Some(Action::Start) => "runs them",
            Some(Action::Stop) => "stops them",
            None => "leaves them as they are",
        };
        format!(
            "at {} ({}) Instance Scheduler {}, curfew {}",
            self.at.format("%Y-%m-%d %H:%M"),
            schedule.timezone.name(),
            verb(Some(self.instance_scheduler)),
            verb(self.curfew),
        )
    }
}

/// Instance Scheduler's desired state of one period at a local instant.
pub fn period_state(period: &Period, at: NaiveDateTime) -> Desired {
    if !period.days.matches(at.date()) {
        return Desired::Stopped;
    }
    let time = at.time();
    match (period.start, period.stop) {
        (None, None) => Desired::Running,
        (None, Some(end)) if time >= end => Desired::Stopped,
        (Some(begin), None) if time >= begin => Desired::Running,
        (None, Some(_)) | (Some(_), None) => Desired::Any,
        (Some(begin), Some(end)) if begin <= time && time < end => Desired::Running,
        (Some(_), Some(_)) => Desired::Stopped,
    }
}

/// Instance Scheduler's desired state of a schedule's periods: running
/// beats any beats stopped (no periods at all: stopped).
pub fn schedule_state(periods: &[Period], at: NaiveDateTime) -> Desired {
    let states: Vec<Desired> = periods.iter().map(|p| period_state(p, at)).collect();
    if states.contains(&Desired::Running) {
        Desired::Running
    } else if states.contains(&Desired::Any) {
        Desired::Any
    } else {
        Desired::Stopped
    }
}

/// The first instant, over the `days` local dates from `from`, at which
/// curfew's timeline of `schedule` (no exceptions, no overrides) runs or
/// stops servers differently from Instance Scheduler's reading of the same
/// periods. Sampled in the middle of every stretch between the periods'
/// times on each date; a stretch of a minute or less is skipped, as both
/// bridge it (Instance Scheduler's adjacent-period check, curfew's merge).
/// Until Instance Scheduler has said running or stopped once, its *any*
/// has nothing to compare.
pub fn first_difference(schedule: &Schedule, from: NaiveDate, days: u32) -> Option<Difference> {
    let tz = schedule.timezone;
    let timeline = Timeline::new(schedule, &[], &[]);
    let last = from + Duration::days(i64::from(days));
    let events = timeline.events(
        resolve(tz, from, NaiveTime::MIN) - LOOK_BACK,
        resolve(tz, last, NaiveTime::MIN),
    );
    let mut breakpoints: Vec<NaiveTime> = schedule
        .periods
        .iter()
        .flat_map(|p| [p.start, p.stop])
        .flatten()
        .chain([NaiveTime::MIN])
        .collect();
    breakpoints.sort_unstable();
    breakpoints.dedup();
    let mut held: Option<Action> = None;
    for date in from.iter_days().take_while(|d| *d < last) {
        let ends = breakpoints.iter().skip(1).map(|t| date.and_time(*t));
        let ends = ends.chain([(date + Duration::days(1)).and_time(NaiveTime::MIN)]);
        for (begin, end) in breakpoints.iter().map(|t| date.and_time(*t)).zip(ends) {
            if end - begin <= Duration::minutes(1) {
                continue;
            }
            let at = begin + (end - begin) / 2;
            held = match schedule_state(&schedule.periods, at) {
                Desired::Running => Some(Action::Start),
                Desired::Stopped => Some(Action::Stop),
                Desired::Any => held,
            };
            let (Some(wanted), Some(instant)) = (held, tz.from_local_datetime(&at).earliest())
            else {
                continue;
            };
            let instant = instant.to_utc();
            let curfew = match latest_within_look_back(&events, instant) {
                Some(event) => Some(event.action),
                None => timeline.steady(instant),
            };
            if curfew != Some(wanted) {
                return Some(Difference {
                    at,
                    instance_scheduler: wanted,
                    curfew,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::schedule::SchedulesFile;

    fn schedule(periods: &str) -> Schedule {
        let text = format!("[[schedule]]\nname = \"dev\"\ntimezone = \"Asia/Seoul\"\n{periods}");
        let file = SchedulesFile::from_toml(&text).unwrap();
        file.validate(chrono_tz::UTC).unwrap().remove(0)
    }

    fn january(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, day).unwrap()
    }

    #[test]
    fn begin_and_end_times_and_whole_days_mean_the_same_in_both() {
        for periods in [
            "[[schedule.period]]\ndays = \"mon-fri\"\nstart = \"09:00\"\nstop = \"17:00\"",
            "[[schedule.period]]\ndays = \"sat,sun\"\n[[schedule.period]]\ndays = \"mon#1\"\nmonthdays = \"1-7\"\nstart = \"08:00\"\nstop = \"12:00\"",
            "[[schedule.period]]\nstart = \"00:00\"\nstop = \"23:59\"",
            "[[schedule.period]]\nmonthdays = \"L\"\nstart = \"10:00\"\nstop = \"11:00\"\n[[schedule.period]]\nmonthdays = \"L\"\nstart = \"11:00\"\nstop = \"12:00\"",
        ] {
            let found = first_difference(&schedule(periods), january(1), 366);
            assert_eq!(found, None, "{periods}");
        }
    }

    #[test]
    fn a_lone_begin_time_differs_on_the_days_it_does_not_match() {
        // Instance Scheduler stops the servers at Saturday 00:00 (no period
        // matches); curfew's lone start has no stop at all.
        let dev = schedule("[[schedule.period]]\ndays = \"mon-fri\"\nstart = \"09:00\"");
        let found = first_difference(&dev, january(4), 14).unwrap();
        assert_eq!(found.at.to_string(), "2027-01-09 04:30:00");
        assert_eq!(found.instance_scheduler, Action::Stop);
        assert_eq!(found.curfew, Some(Action::Start));
        assert!(found
            .describe(&dev)
            .contains("Instance Scheduler stops them, curfew runs them"));
    }

    #[test]
    fn the_monday_to_friday_pattern_of_three_periods_differs_on_friday_morning() {
        // IS runs Mon 09:00 to Fri 17:00 (Fri before 17:00 is "any");
        // curfew's whole-day Tue-Thu ends at Friday 00:00.
        let dev = schedule(
            "[[schedule.period]]\ndays = \"mon\"\nstart = \"09:00\"\n[[schedule.period]]\ndays = \"tue-thu\"\n[[schedule.period]]\ndays = \"fri\"\nstop = \"17:00\"",
        );
        let found = first_difference(&dev, january(4), 14).unwrap();
        assert_eq!(found.at.to_string(), "2027-01-08 04:30:00");
        assert_eq!(found.curfew, Some(Action::Stop));
    }

    #[test]
    fn the_states_follow_instance_schedulers_rules() {
        let at = |h, m| january(4).and_hms_opt(h, m, 0).unwrap(); // a Monday
        let dev = schedule(
            "[[schedule.period]]\ndays = \"mon\"\nstart = \"09:00\"\n[[schedule.period]]\ndays = \"mon\"\nstop = \"18:00\"\n[[schedule.period]]\ndays = \"tue\"\nstart = \"10:00\"\nstop = \"11:00\"",
        );
        let [begin, end, other_day] = [&dev.periods[0], &dev.periods[1], &dev.periods[2]];
        assert_eq!(period_state(begin, at(8, 59)), Desired::Any);
        assert_eq!(period_state(begin, at(9, 0)), Desired::Running);
        assert_eq!(period_state(end, at(17, 59)), Desired::Any);
        assert_eq!(period_state(end, at(18, 0)), Desired::Stopped);
        assert_eq!(period_state(other_day, at(10, 30)), Desired::Stopped);
        assert_eq!(schedule_state(&dev.periods, at(8, 0)), Desired::Any);
        assert_eq!(schedule_state(&dev.periods, at(19, 0)), Desired::Running);
        assert_eq!(schedule_state(&[], at(12, 0)), Desired::Stopped);
    }
}
