//! The planned running hours of a month as 7 rows of 24 hours: which
//! hours of which weekday the timeline keeps the servers up (the people
//! who read `savings` would rather look than read numbers).

use super::hours::spans;
use super::Window;
use crate::schedule::Timeline;
use crate::Action;
use chrono::{Datelike, Duration, Timelike};

/// For each weekday (Monday first) and hour of the day, the share of that
/// hour the timeline wanted running over the window (0.0 to 1.0).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    pub rows: Vec<Vec<f64>>,
}

impl HeatMap {
    /// One row as cells: `█` running all of that hour on every such day,
    /// `░` never, `▒` some of it.
    pub fn cells(row: &[f64]) -> String {
        row.iter()
            .map(|share| match *share {
                s if s >= 0.999 => '█',
                s if s <= 0.001 => '░',
                _ => '▒',
            })
            .collect()
    }
}

/// The [`HeatMap`] of `window` in the schedule's time zone.
pub fn heat_map(timeline: &Timeline<'_>, window: Window) -> HeatMap {
    let running = spans(timeline, window, Action::Start);
    let tz = timeline.schedule.timezone;
    let mut sum = vec![vec![0.0_f64; 24]; 7];
    let mut count = vec![vec![0_u32; 24]; 7];
    let mut hour = window.from;
    while hour < window.to {
        let next = hour + Duration::hours(1);
        let local = hour.with_timezone(&tz);
        let day = local.weekday().num_days_from_monday() as usize;
        let slot = local.hour() as usize;
        let up: i64 = running
            .iter()
            .map(|(from, to)| ((*to).min(next) - (*from).max(hour)).num_seconds().max(0))
            .sum();
        if let (Some(s), Some(c)) = (
            sum.get_mut(day).and_then(|r| r.get_mut(slot)),
            count.get_mut(day).and_then(|r| r.get_mut(slot)),
        ) {
            #[allow(clippy::cast_precision_loss)]
            let share = up as f64 / 3600.0;
            *s += share;
            *c += 1;
        }
        hour = next;
    }
    let rows = sum
        .into_iter()
        .zip(count)
        .map(|(sums, counts)| {
            sums.into_iter()
                .zip(counts)
                .map(|(s, c)| if c == 0 { 0.0 } else { s / f64::from(c) })
                .collect()
        })
        .collect();
    HeatMap { rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::savings::Month;

    #[test]
    fn weekdays_nine_to_seven_light_up_ten_hours_of_five_rows() {
        let office = super::super::office();
        let timeline = Timeline::new(&office, &[], &[]);
        let feb = Month::parse("2027-02")
            .unwrap()
            .whole(chrono_tz::Asia::Seoul);
        let map = heat_map(&timeline, feb);
        let rows: Vec<String> = map.rows.iter().map(|r| HeatMap::cells(r)).collect();
        assert_eq!(rows[0], "░░░░░░░░░██████████░░░░░");
        assert_eq!(rows[4], "░░░░░░░░░██████████░░░░░");
        assert_eq!(rows[5], "░".repeat(24));
        assert_eq!(rows[6], "░".repeat(24));
    }
}
