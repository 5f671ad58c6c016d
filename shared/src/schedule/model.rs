//! The validated schedule: what the timeline and the reconciler work from.
//!
//! Build one with [`super::file::parse_schedules`] (from TOML) or
//! [`super::ScheduleDef::validate`] (from storage); both check everything, so
//! a `Schedule` in hand is always consistent (known time zone, valid day
//! expressions, no dependency cycle).

use super::days::DayRule;
use crate::resource::GroupKind;
use crate::value::{local_time, ForDuration, ForceEnd, ValueError};
use crate::Action;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// One schedule: its periods, its server groups and how it behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The name typed in chat.
    pub name: String,
    /// Instances carry the tag `ScheduleName=<tag>`.
    pub tag: String,
    pub timezone: Tz,
    /// A disabled schedule keeps its timeline (so `plan` and `info` still
    /// show it) but the reconciler leaves its instances alone.
    pub enabled: bool,
    /// The JANDI room its notices go to.
    pub notify_room: Option<String>,
    /// The Slack channel its notices go to. With neither, every configured
    /// front's default; with one, only that front (SPEC §4.2).
    pub notify_channel: Option<String>,
    /// The rooms / channels mutating commands are taken from; empty = any.
    pub rooms: Vec<String>,
    /// Countries whose public holidays are days off, upper case, known to
    /// [`crate::holidays`] (validated).
    pub holidays: Vec<String>,
    /// Minutes before a stop to warn the room; 0 = never.
    pub stop_warning_minutes: u32,
    /// Re-apply the desired state at every tick instead of only at events.
    pub enforce: bool,
    /// Stop EC2 instances configured for hibernation by hibernating them
    /// (memory kept on the root volume); the others stop normally.
    pub hibernate: bool,
    /// A grouped start still waiting after this long is reported as failed.
    pub start_timeout_minutes: u32,
    pub periods: Vec<Period>,
    /// Server groups in dependency order (every group after its `after` groups).
    pub groups: Vec<Group>,
}

/// A running period on the days its expressions match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub days: DayRule,
    /// `None`: no start event (a lone stop, or with `stop` also `None` the whole day).
    pub start: Option<NaiveTime>,
    /// `None`: no stop event. Earlier than `start`: the period runs overnight.
    pub stop: Option<NaiveTime>,
}

/// A server group: the instances tagged `ScheduleGroupName=<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub kind: GroupKind,
    /// Groups that must be fully up before this one starts (and stop after it).
    pub after: Vec<String>,
}

/// A one-date change: replaces that date's start (or stop), or with `time:
/// None` removes it. Keyed by (schedule, date, action): setting twice replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Exception {
    pub date: NaiveDate,
    pub action: Action,
    pub time: Option<NaiveTime>,
}

/// A `force_start` / `force_stop`: an event at the moment it was issued and,
/// with `for|until`, a window that ends by handing back to the schedule
/// (SPEC §6.3).
///
/// Stored as it is (`action`, `until`): an override written before windows
/// handed back reads the same, and now means what its writer meant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Override {
    pub issued_at: DateTime<Utc>,
    pub action: Action,
    /// The end of a `for|until` window. Until then no earlier-issued event
    /// changes the state; there the state becomes the schedule's again.
    pub until: Option<DateTime<Utc>>,
}

impl Override {
    /// A `force_start` (or `force_stop`) issued at `now`, with its window's
    /// end resolved in `tz`. Fails when `until DATE TIME` is not ahead of
    /// `now`, or is more than [`ForDuration::MAX_MINUTES`] ahead.
    pub fn forced(
        action: Action,
        now: DateTime<Utc>,
        end: Option<ForceEnd>,
        tz: Tz,
    ) -> Result<Self, ValueError> {
        let until = end.map(|end| end.resolve(now, tz)).transpose()?;
        Ok(Self {
            issued_at: now,
            action,
            until,
        })
    }
}

impl ForceEnd {
    /// The instant a window typed at `now` ends, on the wall clock of `tz`:
    /// `for` counts real time (a DST night's `for 2h` is two hours);
    /// `until TIME` is the next such wall-clock time, today or tomorrow;
    /// `until DATE TIME` names the day and must lie ahead, by at most 7 days
    /// (an override has to stay inside the reconciler's look-back).
    pub fn resolve(self, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, ValueError> {
        match self {
            Self::For(duration) => Ok(now + duration.to_chrono()),
            Self::Until(time) => Ok(next_wall_clock(now, time, tz)),
            Self::UntilOn { date, time } => {
                let at = local_time::resolve(tz, date.resolve(now, tz), time);
                let longest = Duration::minutes(i64::from(ForDuration::MAX_MINUTES));
                if at <= now {
                    Err(ValueError::InPast)
                } else if at - now > longest {
                    Err(ValueError::TooFarAhead)
                } else {
                    Ok(at)
                }
            }
        }
    }
}

/// The first instant after `now` at which the wall clock in `tz` reads `time`.
pub fn next_wall_clock(now: DateTime<Utc>, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let today = now.with_timezone(&tz).date_naive();
    let candidate = local_time::resolve(tz, today, time);
    if candidate > now {
        return candidate;
    }
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
    local_time::resolve(tz, tomorrow, time)
}

impl Schedule {
    /// The public holiday that makes `date` (local) a day off, if any: on
    /// it the periods start nothing (SPEC §6 item 6).
    pub fn day_off(&self, date: NaiveDate) -> Option<crate::holidays::Holiday> {
        crate::holidays::on(&self.holidays, date)
    }

    /// The groups in the order they start (dependencies first).
    pub fn start_order(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter()
    }

    /// The groups in the order they stop (dependants first).
    pub fn stop_order(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().rev()
    }
}

impl Period {
    /// One line for `list` and `info`, e.g. `weekdays 09:00-19:00`,
    /// `sat monthdays 1-7 10:00-`, `all -06:00`, `weekends all day`.
    pub fn describe(&self) -> String {
        let mut words = vec![self.days.weekdays.as_str().to_owned()];
        if let Some(monthdays) = &self.days.monthdays {
            words.push(format!("monthdays {monthdays}"));
        }
        if let Some(months) = &self.days.months {
            words.push(format!("months {months}"));
        }
        let hhmm = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
        words.push(match (hhmm(self.start), hhmm(self.stop)) {
            (None, None) => "00:00-24:00".to_owned(),
            (start, stop) => format!("{}-{}", start.unwrap_or_default(), stop.unwrap_or_default()),
        });
        words.join(" ")
    }
}

/// Finds a schedule by the name typed in chat: exactly first, then ignoring case.
pub fn find_by_name<'a, T>(
    items: &'a [T],
    name: &str,
    name_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    items.iter().find(|item| name_of(item) == name).or_else(|| {
        items
            .iter()
            .find(|item| name_of(item).eq_ignore_ascii_case(name))
    })
}

/// The known name closest to a mistyped one, if it is close enough to be a typo
/// (edit distance at most a third of the name, and at most 3).
pub fn closest_name<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let limit = (typed.chars().count() / 3).clamp(1, 3);
    known
        .into_iter()
        .map(|name| (edit_distance(&typed, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, name)| (*distance, *name))
        .map(|(_, name)| name)
}

/// Edit distance over chars, counting a swap of two neighbours as one edit
/// (optimal string alignment): `dve` is one typo away from `dev`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let at = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX - 1);
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = at(&previous, j) + usize::from(ca != cb);
            let delete = at(&previous, j + 1) + 1;
            let insert = at(&current, j) + 1;
            let mut best = substitute.min(delete).min(insert);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca);
            if swapped {
                best = best.min(at(&before, j - 1) + 1);
            }
            current.push(best);
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous.last().copied().unwrap_or(0)
}
