use super::*;
use crate::resource::GroupKind;
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

pub(super) fn instance(id: &str, group: Option<&str>, state: InstanceState) -> Instance {
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
        zone: Some("ap-northeast-2a".to_owned()),
        hibernates: false,
        place: None,
        billing: Default::default(),
        launched: None,
        scale: None,
    }
}

/// An outlook with `latest` and no stop ahead.
fn seen(latest: Option<Event>) -> Outlook {
    Outlook {
        latest,
        stop_ahead: None,
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

mod caught;

#[test]
fn a_start_goes_to_the_database_first_and_remembers_the_app() {
    let start = event(Action::Start, 0);
    let d = decide(
        &schedule(),
        &seen(Some(start)),
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
        is_due(&schedule(), &seen(Some(start)), &d.state, at(0, 0)),
        "a rollout in progress is due"
    );
}

#[test]
fn the_app_waits_while_the_database_is_starting_then_starts() {
    let start = event(Action::Start, 0);
    let first = decide(
        &schedule(),
        &seen(Some(start)),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let waiting = decide(
        &schedule(),
        &seen(Some(start)),
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
        &seen(Some(start)),
        &waiting.state,
        &fleet(Running, Stopped),
        at(0, 2),
    );
    assert_eq!(ids(&up.act), ["app-1", "app-2"]);
    assert!(up.waiting.is_empty());
    assert_eq!(up.state.rollout, None);
    assert!(!is_due(
        &schedule(),
        &seen(Some(start)),
        &up.state,
        at(0, 0)
    ));
}

#[test]
fn a_database_already_up_lets_the_app_start_at_once() {
    let d = decide(
        &schedule(),
        &seen(Some(event(Action::Start, 0))),
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
        &seen(Some(stop)),
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
        &seen(Some(stop)),
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
        &seen(Some(start)),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let late = decide(
        &schedule(),
        &seen(Some(start)),
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
        ..SchedulerState::default()
    };
    assert!(!is_due(&schedule(), &seen(Some(start)), &state, at(0, 0)));
    let d = decide(
        &schedule(),
        &seen(Some(start)),
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
        &seen(Some(event(Action::Start, 0))),
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
        &seen(Some(event(Action::Start, 0))),
        &SchedulerState::default(),
        &fleet(Stopped, Stopped),
        at(0, 0),
    );
    let stop = event(Action::Stop, 1);
    let d = decide(
        &schedule(),
        &seen(Some(stop)),
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
fn an_instance_on_its_way_to_the_wanted_state_is_left_to_get_there() {
    let d = decide(
        &schedule(),
        &seen(Some(event(Action::Start, 0))),
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
        &seen(None),
        &SchedulerState::default(),
        &fleet(Running, Running),
        at(0, 0),
    );
    assert_eq!(d, Decision::default());
    assert!(!is_due(
        &schedule(),
        &seen(None),
        &SchedulerState::default(),
        at(0, 0)
    ));
}

#[test]
fn the_state_round_trips_through_json() {
    let first = decide(
        &schedule(),
        &seen(Some(event(Action::Start, 0))),
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
        ..SchedulerState::default()
    };
    let older_stop = Event {
        at: at(0, 0) - Duration::hours(5),
        ..event(Action::Stop, 0)
    };
    assert!(!is_due(
        &schedule(),
        &seen(Some(older_stop)),
        &state,
        at(0, 0)
    ));
    let d = decide(
        &schedule(),
        &seen(Some(older_stop)),
        &state,
        &fleet(Running, Running),
        at(0, 0),
    );
    assert!(d.act.is_empty(), "the force_start stands");
    assert_eq!(d.state, state);
}

fn applied(event: Event) -> SchedulerState {
    SchedulerState {
        applied: Some(event),
        ..SchedulerState::default()
    }
}

#[test]
fn a_stop_ahead_is_warned_about_once_while_something_runs() {
    let start = event(Action::Start, 0);
    let stop = event(Action::Stop, 10);
    let outlook = Outlook {
        latest: Some(start),
        stop_ahead: Some(stop),
    };
    let state = applied(start);
    assert!(is_due(&schedule(), &outlook, &state, at(9, 50)));
    let first = decide(
        &schedule(),
        &outlook,
        &state,
        &fleet(Running, Running),
        at(9, 50),
    );
    assert_eq!(first.warn, Some(stop));
    assert!(first.act.is_empty());
    assert!(!is_due(&schedule(), &outlook, &first.state, at(9, 55)));
    let second = decide(
        &schedule(),
        &outlook,
        &first.state,
        &fleet(Running, Running),
        at(9, 55),
    );
    assert_eq!(second.warn, None, "one warning per stop");
}

#[test]
fn no_warning_when_nothing_runs() {
    let start = event(Action::Start, 0);
    let outlook = Outlook {
        latest: Some(start),
        stop_ahead: Some(event(Action::Stop, 10)),
    };
    let d = decide(
        &schedule(),
        &outlook,
        &applied(start),
        &fleet(Stopped, Stopped),
        at(9, 50),
    );
    assert_eq!(d.warn, None);
}

#[test]
fn a_start_that_falls_back_is_reported_by_the_verification() {
    let start = event(Action::Start, 0);
    let first = decide(
        &schedule(),
        &seen(Some(start)),
        &SchedulerState::default(),
        &fleet(Running, Stopped),
        at(0, 0),
    );
    let verify = first.state.verify.clone().unwrap();
    assert_eq!(verify.ids, ["app-1", "app-2"]);
    assert_eq!(verify.due, at(0, 5));
    assert!(!is_due(
        &schedule(),
        &seen(Some(start)),
        &first.state,
        at(0, 4)
    ));
    assert!(is_due(
        &schedule(),
        &seen(Some(start)),
        &first.state,
        at(0, 5)
    ));
    let mut instances = fleet(Running, Running);
    instances[2].state = Stopped;
    let check = decide(
        &schedule(),
        &seen(Some(start)),
        &first.state,
        &instances,
        at(0, 5),
    );
    assert_eq!(ids(&check.not_up), ["app-2"]);
    assert_eq!(check.state.verify, None);
    assert!(
        check.act.is_empty(),
        "a failed start is reported, not retried in a loop"
    );
}

#[test]
fn an_instance_still_starting_is_checked_again_until_the_timeout() {
    let start = event(Action::Start, 0);
    let first = decide(
        &schedule(),
        &seen(Some(start)),
        &SchedulerState::default(),
        &fleet(Running, Stopped),
        at(0, 0),
    );
    let later = decide(
        &schedule(),
        &seen(Some(start)),
        &first.state,
        &fleet(Running, Starting),
        at(0, 5),
    );
    assert!(later.not_up.is_empty());
    assert_eq!(later.state.verify.as_ref().unwrap().due, at(0, 6));
    let late = decide(
        &schedule(),
        &seen(Some(start)),
        &later.state,
        &fleet(Running, Starting),
        at(0, 30),
    );
    assert_eq!(ids(&late.not_up), ["app-1", "app-2"]);
}

#[test]
fn enforce_puts_back_what_a_person_changed() {
    let mut schedule = schedule();
    let start = event(Action::Start, 0);
    let state = applied(start);
    let mut instances = fleet(Running, Running);
    instances[1].state = Stopped;
    let relaxed = decide(&schedule, &seen(Some(start)), &state, &instances, at(2, 0));
    assert!(
        relaxed.act.is_empty(),
        "without enforce curfew does not fight people"
    );
    schedule.enforce = true;
    assert!(is_due(&schedule, &seen(Some(start)), &state, at(2, 0)));
    let enforced = decide(&schedule, &seen(Some(start)), &state, &instances, at(2, 0));
    assert!(enforced.enforced);
    assert_eq!(ids(&enforced.act), ["app-1"]);
    assert_eq!(enforced.applied_now, None);
    let steady = decide(
        &schedule,
        &seen(Some(start)),
        &state,
        &fleet(Running, Running),
        at(2, 1),
    );
    assert!(steady.act.is_empty() && !steady.enforced);
}

#[test]
fn a_group_without_instances_holds_nobody_up() {
    let app_only = vec![instance("app-1", Some("app"), Running)];
    let d = decide(
        &schedule(),
        &seen(Some(event(Action::Stop, 10))),
        &SchedulerState::default(),
        &app_only,
        at(10, 0),
    );
    assert_eq!(ids(&d.act), ["app-1"]);
    assert!(d.waiting.is_empty());
    assert_eq!(
        d.state.rollout, None,
        "the empty db group does not wait for app"
    );
}

/// A schedule that runs all the time: no edge, only a steady state.
fn always() -> Schedule {
    parse_schedules(
        "[[schedule]]\nname = \"always\"\n[[schedule.period]]\ndays = \"all\"\n",
        chrono_tz::Asia::Seoul,
    )
    .unwrap()
    .remove(0)
}

fn outlook_of(schedule: &Schedule, now: DateTime<Utc>) -> Outlook {
    Outlook::of(&crate::schedule::Timeline::new(schedule, &[], &[]), now)
}

#[test]
fn a_new_schedule_that_runs_all_the_time_starts_its_stopped_servers_once() {
    let s = always();
    let outlook = outlook_of(&s, at(3, 0));
    assert_eq!(outlook.latest, Some(Event::steady(Action::Start)));
    let fresh = SchedulerState::default();
    assert!(is_due(&s, &outlook, &fresh, at(3, 0)));
    let servers = [
        instance("web-1", None, Stopped),
        instance("web-2", None, Running),
    ];
    let first = decide(&s, &outlook, &fresh, &servers, at(3, 0));
    assert_eq!(ids(&first.act), ["web-1"]);
    assert_eq!(first.state.applied, Some(Event::steady(Action::Start)));

    // The next minute: applied already, so a server a person stopped stays stopped.
    let later = outlook_of(&s, at(3, 1));
    let mut state = first.state;
    state.verify = None;
    assert!(!is_due(&s, &later, &state, at(3, 1)));
    let servers = [
        instance("web-1", None, Running),
        instance("web-2", None, Stopped),
    ];
    let second = decide(&s, &later, &state, &servers, at(3, 1));
    assert!(second.act.is_empty() && second.applied_now.is_none());
}

#[test]
fn enforce_keeps_a_steady_schedule_up() {
    let mut s = always();
    s.enforce = true;
    let outlook = outlook_of(&s, at(3, 0));
    let state = SchedulerState {
        applied: Some(Event::steady(Action::Start)),
        ..SchedulerState::default()
    };
    assert!(is_due(&s, &outlook, &state, at(3, 0)));
    let d = decide(
        &s,
        &outlook,
        &state,
        &[instance("web-1", None, Stopped)],
        at(3, 0),
    );
    assert!(d.enforced);
    assert_eq!(ids(&d.act), ["web-1"]);
}

#[test]
fn a_schedule_changed_to_run_all_the_time_starts_what_its_last_stop_stopped() {
    let s = always();
    let outlook = outlook_of(&s, at(3, 0));
    let stopped_friday = SchedulerState {
        applied: Some(event(Action::Stop, 1)),
        ..SchedulerState::default()
    };
    let d = decide(
        &s,
        &outlook,
        &stopped_friday,
        &[instance("web-1", None, Stopped)],
        at(3, 0),
    );
    assert_eq!(d.applied_now, Some(Event::steady(Action::Start)));
    assert_eq!(ids(&d.act), ["web-1"]);
    // An edge of the same action already brought them up: nothing to redo.
    let started = SchedulerState {
        applied: Some(event(Action::Start, 1)),
        ..SchedulerState::default()
    };
    assert!(!is_due(&s, &outlook, &started, at(3, 0)));
}
