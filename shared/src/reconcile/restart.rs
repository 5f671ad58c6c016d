//! AWS's own restart (SPEC §5): a stopped RDS DB instance or cluster is
//! started by AWS after seven days. While the schedule still wants it
//! stopped, curfew stops it again and tells the room why; that is not
//! fighting a person. A start at any other time is a person's, and is left
//! alone.
//!
//! The state remembers when curfew stopped each DB ([`SchedulerState::db_stops`]);
//! a schedule becomes due when one of them nears its seventh day, so the
//! fleet is described then even in an otherwise idle week.

use super::{Decision, Instance, SchedulerState};
use crate::resource::{GroupKind, InstanceState};
use crate::Action;
use chrono::{DateTime, Duration, Utc};

/// How long AWS keeps a DB instance or cluster stopped before starting it.
pub const AUTO_START_AFTER: Duration = Duration::days(7);

/// From how long before the seventh day a start counts as AWS's (its start
/// takes minutes, and ticks are a minute apart).
pub const AUTO_START_EARLY: Duration = Duration::minutes(30);

/// How often a DB past its seventh day and still stopped is looked at.
pub const CHECK_EVERY: Duration = Duration::minutes(10);

/// Past its seventh day by this much and still stopped, a DB's watch starts
/// over (AWS did not start it; the next seven days are counted from now).
pub const WATCH_FOR: Duration = Duration::days(1);

/// Whether AWS may have started a DB curfew stopped: the fleet must be
/// described to see.
pub fn is_due(state: &SchedulerState, now: DateTime<Utc>) -> bool {
    let checked_lately = state.db_checked.is_some_and(|at| now - at < CHECK_EVERY);
    !checked_lately
        && state
            .db_stops
            .values()
            .any(|since| near_seventh_day(*since, now))
}

fn near_seventh_day(since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - since >= AUTO_START_AFTER - AUTO_START_EARLY
}

/// Whether `kind` is one AWS starts by itself.
const fn auto_starts(kind: GroupKind) -> bool {
    matches!(kind, GroupKind::Rds | GroupKind::RdsCluster)
}

/// Looks at the DBs curfew stopped (before this reconcile acts): one AWS
/// started on its seventh day is stopped again when `stopped_wanted`; one a
/// person started earlier, or that is gone, is forgotten.
pub(super) fn look(
    decision: &mut Decision,
    instances: &[Instance],
    stopped_wanted: bool,
    now: DateTime<Utc>,
) {
    let mut kept = std::collections::BTreeMap::new();
    for (id, since) in std::mem::take(&mut decision.state.db_stops) {
        let Some(db) = instances.iter().find(|i| i.id == id) else {
            continue;
        };
        match &db.state {
            InstanceState::Running if near_seventh_day(since, now) && stopped_wanted => {
                decision.restopped.push(db.clone());
                kept.insert(id, now);
            }
            // A person's start (or the schedule wants it up): not ours to undo.
            InstanceState::Running | InstanceState::Starting => {}
            _ if now - since >= AUTO_START_AFTER + WATCH_FOR => {
                kept.insert(id, now);
            }
            _ => {
                kept.insert(id, since);
            }
        }
    }
    decision.state.db_stops = kept;
    if decision
        .state
        .db_stops
        .values()
        .any(|since| near_seventh_day(*since, now))
    {
        decision.state.db_checked = Some(now);
    } else {
        decision.state.db_checked = None;
    }
}

/// Remembers the DBs this reconcile stops, and forgets those it starts.
pub(super) fn record(decision: &mut Decision, now: DateTime<Utc>) {
    let Some(action) = decision.action else {
        return;
    };
    for db in decision.act.iter().filter(|i| auto_starts(i.kind)) {
        match action {
            Action::Stop => {
                decision.state.db_stops.insert(db.id.clone(), now);
            }
            Action::Start => {
                decision.state.db_stops.remove(&db.id);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::super::{decide, is_due, Outlook};
    use super::*;
    use crate::schedule::{parse_schedules, Event, Schedule, Source};
    use chrono::TimeZone;

    /// Up on the 1st of the month only: stopped for the rest of it.
    fn monthly() -> Schedule {
        let text = "[[schedule]]\nname = \"dev\"\n[[schedule.period]]\nmonthdays = \"1\"\n\
            start = \"09:00\"\nstop = \"19:00\"\n";
        parse_schedules(text, chrono_tz::Asia::Seoul)
            .unwrap()
            .remove(0)
    }

    /// `days` and `hours` after Tuesday 2026-12-01 19:00 in Seoul (10:00 UTC).
    fn after(days: i64, hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
            + Duration::days(days)
            + Duration::hours(hours)
    }

    fn stop_event() -> Event {
        Event {
            at: after(0, 0),
            action: Action::Stop,
            source: Source::Schedule,
        }
    }

    fn outlook() -> Outlook {
        Outlook {
            latest: Some(stop_event()),
            stop_ahead: None,
        }
    }

    fn db(state: InstanceState) -> Instance {
        Instance {
            kind: GroupKind::Rds,
            id: "dev-db".to_owned(),
            name: "dev-db".to_owned(),
            schedule: "dev".to_owned(),
            group: None,
            state,
            zone: None,
            hibernates: false,
            place: None,
            billing: Default::default(),
            launched: None,
            scale: None,
        }
    }

    fn web(state: InstanceState) -> Instance {
        Instance {
            kind: GroupKind::Ec2,
            id: "i-web".to_owned(),
            ..db(state)
        }
    }

    /// The state after the schedule's stop at 19:00 on the 1st.
    fn stopped_by_curfew() -> SchedulerState {
        let s = monthly();
        let fleet = [db(InstanceState::Running), web(InstanceState::Running)];
        let first = decide(
            &s,
            &outlook(),
            &SchedulerState::default(),
            &fleet,
            after(0, 0),
        );
        assert_eq!(first.act.len(), 2);
        first.state
    }

    #[test]
    fn a_stop_remembers_the_db_it_stopped_and_not_the_ec2() {
        let state = stopped_by_curfew();
        assert_eq!(state.db_stops.keys().collect::<Vec<_>>(), ["dev-db"]);
        assert_eq!(state.db_stops["dev-db"], after(0, 0));
    }

    #[test]
    fn the_week_is_idle_until_the_seventh_day_nears() {
        let (s, state) = (monthly(), stopped_by_curfew());
        for (days, hours) in [(1, 0), (3, 12), (6, 23)] {
            assert!(
                !is_due(&s, &outlook(), &state, after(days, hours)),
                "{days}d {hours}h"
            );
        }
        assert!(is_due(&s, &outlook(), &state, after(7, 0)));
    }

    #[test]
    fn aws_s_start_on_the_seventh_day_is_stopped_again_once() {
        let (s, state) = (monthly(), stopped_by_curfew());
        let fleet = [db(InstanceState::Running), web(InstanceState::Stopped)];
        let seventh = after(7, 0) + Duration::minutes(3);
        let again = decide(&s, &outlook(), &state, &fleet, seventh);
        assert_eq!(again.restopped.len(), 1, "{again:?}");
        assert_eq!(again.restopped[0].id, "dev-db");
        assert!(again.act.is_empty(), "no rollout: the event was applied");
        // A new seven days begin now; the next minutes are idle again.
        assert_eq!(again.state.db_stops["dev-db"], seventh);
        assert!(!is_due(
            &s,
            &outlook(),
            &again.state,
            seventh + Duration::minutes(1)
        ));
    }

    #[test]
    fn a_person_s_start_before_the_seventh_day_is_left_alone_and_forgotten() {
        let (s, state) = (monthly(), stopped_by_curfew());
        let fleet = [db(InstanceState::Running), web(InstanceState::Stopped)];
        let third = decide(&s, &outlook(), &state, &fleet, after(3, 0));
        assert!(
            third.restopped.is_empty() && third.act.is_empty(),
            "{third:?}"
        );
        assert!(third.state.db_stops.is_empty());
        // So on the seventh day nothing is due, and nothing stops it.
        assert!(!is_due(&s, &outlook(), &third.state, after(7, 0)));
    }

    #[test]
    fn a_db_still_stopped_past_its_seventh_day_is_looked_at_now_and_then() {
        let (s, state) = (monthly(), stopped_by_curfew());
        let fleet = [db(InstanceState::Stopped)];
        let seventh = after(7, 0);
        let looked = decide(&s, &outlook(), &state, &fleet, seventh);
        assert!(looked.restopped.is_empty());
        assert!(!is_due(
            &s,
            &outlook(),
            &looked.state,
            seventh + Duration::minutes(5)
        ));
        assert!(is_due(&s, &outlook(), &looked.state, seventh + CHECK_EVERY));
        // A day on and still stopped: the watch starts over.
        let late = seventh + WATCH_FOR;
        let over = decide(&s, &outlook(), &looked.state, &fleet, late);
        assert_eq!(over.state.db_stops["dev-db"], late);
        assert!(!is_due(
            &s,
            &outlook(),
            &over.state,
            late + Duration::hours(1)
        ));
    }

    #[test]
    fn when_the_schedule_wants_it_up_aws_s_start_is_not_undone() {
        let (s, state) = (monthly(), stopped_by_curfew());
        let up = Outlook {
            latest: Some(Event {
                action: Action::Start,
                ..stop_event()
            }),
            stop_ahead: None,
        };
        let fleet = [db(InstanceState::Running)];
        let d = decide(&s, &up, &state, &fleet, after(7, 0));
        assert!(d.restopped.is_empty(), "{d:?}");
    }
}
