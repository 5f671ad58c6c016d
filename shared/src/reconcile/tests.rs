use super::*;
use crate::schedule::{parse_schedules, Source};
use chrono::{Duration, TimeZone};

const GROUPED: &str = r#"
[[schedule]]
name = "dev"
start_timeout_minutes = 30
[[schedule.period]]
days = "all"
start = "09:00"
stop = "19:00"
[[schedule.group]]
name = "db"
kind = "rds"
[[schedule.group]]
name = "app"
kind = "ec2"
after = ["db"]
"#;

fn schedule() -> Schedule {
    parse_schedules(GROUPED, chrono_tz::Asia::Seoul)
        .unwrap()
        .remove(0)
}

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, hour, minute, 0).unwrap()
}

fn event(action: Action, hour: u32) -> Event {
    Event {
        at: at(hour, 0),
        action,
        source: Source::Schedule,
    }
}

fn instance(id: &str, group: Option<&str>, state: InstanceState) -> Instance {
    Instance {
        kind: if group == Some("db") {
            GroupKind::Rds
        } else {
            GroupKind::Ec2
        },
        id: id.to_owned(),
        name: id.to_owned(),
        schedule: "dev".to_owned(),
        group: group.map(str::to_owned),
        state,
    }
}

fn fleet(db: InstanceState, app: InstanceState) -> Vec<Instance> {
    vec![
        instance("db-1", Some("db"), db),
        instance("app-1", Some("app"), app.clone()),
        instance("app-2", Some("app"), app),
    ]
}

fn ids(instances: &[Instance]) -> Vec<&str> {
    instances.iter().map(|i| i.id.as_str()).collect()
}

use InstanceState::{Running, Starting, Stopped};

#[test]
fn a_start_goes_to_the_database_first_and_remembers_the_app() {
    let start = event(Action::Start, 0);
    let d = decide(
        &schedule(),
        Some(start),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    assert_eq!(d.applied_now, Some(start));
    assert_eq!(ids(&d.act), ["db-1"]);
    assert_eq!(
        d.waiting,
        [GroupWait {
            group: "app".into(),
            on: vec!["db".into()]
        }]
    );
    let rollout = d.state.rollout.clone().unwrap();
    assert_eq!(rollout.remaining, ["app"]);
    assert_eq!(d.state.applied, Some(start));
    assert!(
        is_due(Some(start), &d.state),
        "a rollout in progress is due"
    );
}

#[test]
fn the_app_waits_while_the_database_is_starting_then_starts() {
    let start = event(Action::Start, 0);
    let first = decide(
        &schedule(),
        Some(start),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let waiting = decide(
        &schedule(),
        Some(start),
        &first.state,
        &fleet(Starting, Stopped),
        at(0, 1),
    );
    assert!(waiting.act.is_empty());
    assert_eq!(waiting.applied_now, None);
    assert_eq!(
        waiting.state, first.state,
        "nothing to write while it waits"
    );
    let up = decide(
        &schedule(),
        Some(start),
        &waiting.state,
        &fleet(Running, Stopped),
        at(0, 2),
    );
    assert_eq!(ids(&up.act), ["app-1", "app-2"]);
    assert!(up.waiting.is_empty());
    assert_eq!(up.state.rollout, None);
    assert!(!is_due(Some(start), &up.state));
}

#[test]
fn a_database_already_up_lets_the_app_start_at_once() {
    let d = decide(
        &schedule(),
        Some(event(Action::Start, 0)),
        &SchedulerState::default(),
        &fleet(Running, Stopped),
        at(0, 0),
    );
    assert_eq!(ids(&d.act), ["app-1", "app-2"]);
    assert_eq!(ids(&d.unchanged), ["db-1"]);
    assert_eq!(d.state.rollout, None);
}

#[test]
fn a_stop_goes_the_other_way_round() {
    let stop = event(Action::Stop, 10);
    let first = decide(
        &schedule(),
        Some(stop),
        &SchedulerState::default(),
        &fleet(Running, Running),
        at(10, 0),
    );
    assert_eq!(ids(&first.act), ["app-1", "app-2"]);
    assert_eq!(
        first.waiting,
        [GroupWait {
            group: "db".into(),
            on: vec!["app".into()]
        }]
    );
    let second = decide(
        &schedule(),
        Some(stop),
        &first.state,
        &fleet(Running, Stopped),
        at(10, 1),
    );
    assert_eq!(ids(&second.act), ["db-1"]);
    assert_eq!(second.state.rollout, None);
}

#[test]
fn a_start_still_waiting_after_the_timeout_fails() {
    let start = event(Action::Start, 0);
    let first = decide(
        &schedule(),
        Some(start),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let late = decide(
        &schedule(),
        Some(start),
        &first.state,
        &fleet(Starting, Stopped),
        at(0, 30),
    );
    assert_eq!(late.timed_out, ["app"]);
    assert_eq!(late.state.rollout, None);
    assert!(late.act.is_empty());
}

#[test]
fn an_applied_event_with_nothing_in_progress_is_idle() {
    let start = event(Action::Start, 0);
    let state = SchedulerState {
        applied: Some(start),
        rollout: None,
    };
    assert!(!is_due(Some(start), &state));
    let d = decide(
        &schedule(),
        Some(start),
        &state,
        &fleet(Stopped, Stopped),
        at(0, 5),
    );
    assert!(
        d.act.is_empty(),
        "between events curfew does not fight people"
    );
    assert!(!d.changes(&state));
}

#[test]
fn instances_outside_every_group_act_with_the_first_step() {
    let mut instances = fleet(Stopped, Stopped);
    instances.push(instance("loose", None, Stopped));
    instances.push(instance("typo", Some("dbb"), Stopped));
    let d = decide(
        &schedule(),
        Some(event(Action::Start, 0)),
        &SchedulerState::default(),
        &instances,
        at(0, 0),
    );
    assert_eq!(ids(&d.act), ["loose", "typo", "db-1"]);
}

#[test]
fn a_newer_event_replaces_a_rollout_in_progress() {
    let first = decide(
        &schedule(),
        Some(event(Action::Start, 0)),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let stop = event(Action::Stop, 1);
    let d = decide(
        &schedule(),
        Some(stop),
        &first.state,
        &fleet(Running, Stopped),
        at(1, 0),
    );
    assert_eq!(d.applied_now, Some(stop));
    assert_eq!(d.action, Some(Action::Stop));
    assert_eq!(
        ids(&d.act),
        ["db-1"],
        "app is already stopped, so db may stop"
    );
    assert_eq!(d.state.rollout, None);
}

#[test]
fn instances_on_their_way_are_left_alone() {
    let d = decide(
        &schedule(),
        Some(event(Action::Start, 0)),
        &SchedulerState::default(),
        &fleet(Starting, InstanceState::Stopping),
        at(0, 0),
    );
    assert!(d.act.is_empty());
    assert_eq!(ids(&d.unchanged), ["db-1"]);
}

#[test]
fn no_event_at_all_does_nothing() {
    let d = decide(
        &schedule(),
        None,
        &SchedulerState::default(),
        &fleet(Running, Running),
        at(0, 0),
    );
    assert_eq!(d, Decision::default());
    assert!(!is_due(None, &SchedulerState::default()));
}

#[test]
fn the_state_round_trips_through_json() {
    let first = decide(
        &schedule(),
        Some(event(Action::Start, 0)),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let json = serde_json::to_string(&first.state).unwrap();
    assert_eq!(
        serde_json::from_str::<SchedulerState>(&json).unwrap(),
        first.state
    );
}

#[test]
fn a_tick_evaluated_before_an_applied_event_does_not_go_back_in_time() {
    let forced = Event {
        at: at(0, 0) + Duration::milliseconds(500),
        action: Action::Start,
        source: Source::Override,
    };
    let state = SchedulerState {
        applied: Some(forced),
        rollout: None,
    };
    let older_stop = Event {
        at: at(0, 0) - Duration::hours(5),
        ..event(Action::Stop, 0)
    };
    assert!(!is_due(Some(older_stop), &state));
    let d = decide(
        &schedule(),
        Some(older_stop),
        &state,
        &fleet(Running, Running),
        at(0, 0),
    );
    assert!(d.act.is_empty(), "the force_start stands");
    assert_eq!(d.state, state);
}
