//! Caught mid-way (SPEC §6), tick by tick: a resource on its way the other
//! way when the event came is acted on once it comes to rest, within
//! `start_timeout_minutes`; past that it is given up and told once.

use super::*;
use InstanceState::Stopping;

fn web(state: InstanceState) -> Instance {
    instance("web-1", None, state)
}

fn db(state: InstanceState) -> Instance {
    Instance {
        kind: GroupKind::Rds,
        ..instance("db-9", None, state)
    }
}

/// One reconcile of the stop (or start) at `hour`:00, `minute` minutes on.
fn reconcile(
    action: Action,
    hour: u32,
    minute: u32,
    state: &SchedulerState,
    fleet: &[Instance],
) -> Decision {
    decide(
        &schedule(),
        &seen(Some(event(action, hour))),
        state,
        fleet,
        at(hour, minute),
    )
}

#[test]
fn a_database_starting_at_the_stop_is_stopped_once_it_is_available() {
    let first = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &[db(Starting)],
    );
    assert!(first.act.is_empty(), "RDS refuses to stop a starting DB");
    assert_eq!(ids(&first.caught), ["db-9"]);
    let rollout = first.state.rollout.clone().expect("the stop is not done");
    assert_eq!(rollout.caught, ["db-9"]);
    assert!(is_due(
        &schedule(),
        &seen(Some(event(Action::Stop, 10))),
        &first.state,
        at(10, 1)
    ));

    let still = reconcile(Action::Stop, 10, 1, &first.state, &[db(Starting)]);
    assert!(still.act.is_empty());
    assert!(
        !still.changes(&first.state),
        "nothing to write while it comes up"
    );

    let up = reconcile(Action::Stop, 10, 2, &still.state, &[db(Running)]);
    assert_eq!(ids(&up.act), ["db-9"]);
    assert_eq!(up.action, Some(Action::Stop));
    assert_eq!(up.applied_now, None, "the event was applied at 10:00");
    assert!(up.caught.is_empty());
    assert_eq!(up.state.rollout, None, "the stop is done");
    assert_eq!(up.ledger.len(), 1, "the stop is in the ledger");
}

#[test]
fn an_instance_a_person_was_stopping_at_the_start_is_started_once_stopped() {
    let first = reconcile(
        Action::Start,
        0,
        0,
        &SchedulerState::default(),
        &[web(Stopping)],
    );
    assert!(first.act.is_empty());
    assert_eq!(ids(&first.caught), ["web-1"]);
    let stopped = reconcile(Action::Start, 0, 1, &first.state, &[web(Stopped)]);
    assert_eq!(ids(&stopped.act), ["web-1"]);
    assert_eq!(stopped.state.rollout, None);
    assert!(
        stopped.state.verify.is_some(),
        "the start is verified like any other"
    );
}

#[test]
fn a_caught_instance_that_gets_there_by_itself_is_settled() {
    let first = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &[web(Starting)],
    );
    // A person stopped it again before it was up: the stop has nothing left to do.
    let done = reconcile(Action::Stop, 10, 3, &first.state, &[web(Stopped)]);
    assert!(done.act.is_empty());
    assert_eq!(done.state.rollout, None);
    // Gone (terminated, untagged): likewise.
    let gone = reconcile(Action::Stop, 10, 3, &first.state, &[]);
    assert_eq!(gone.state.rollout, None);
    assert!(gone.not_at_rest.is_empty());
}

#[test]
fn past_the_timeout_a_caught_resource_is_given_up_once() {
    let busy = || db(InstanceState::Other("modifying".to_owned()));
    let first = reconcile(Action::Stop, 10, 0, &SchedulerState::default(), &[busy()]);
    assert_eq!(ids(&first.caught), ["db-9"]);
    let within = reconcile(Action::Stop, 10, 29, &first.state, &[busy()]);
    assert!(within.not_at_rest.is_empty());
    let past = reconcile(Action::Stop, 10, 30, &within.state, &[busy()]);
    assert_eq!(ids(&past.not_at_rest), ["db-9"]);
    assert!(past.act.is_empty());
    assert_eq!(past.state.rollout, None);
    let after = reconcile(Action::Stop, 10, 31, &past.state, &[busy()]);
    assert!(after.not_at_rest.is_empty(), "told once");
    assert!(!is_due(
        &schedule(),
        &seen(Some(event(Action::Stop, 10))),
        &past.state,
        at(10, 31)
    ));
}

#[test]
fn a_group_waits_for_a_member_caught_mid_way() {
    // The stop goes app first, then db; app-2 is still starting.
    let fleet = |app2: InstanceState| {
        vec![
            instance("db-1", Some("db"), Running),
            instance("app-1", Some("app"), Running),
            instance("app-2", Some("app"), app2),
        ]
    };
    let first = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &fleet(Starting),
    );
    assert_eq!(ids(&first.act), ["app-1"]);
    assert_eq!(ids(&first.caught), ["app-2"]);
    assert_eq!(first.waiting.len(), 1, "db waits on app");
    let mut app_up = fleet(Running);
    app_up[1].state = Stopped;
    let second = reconcile(Action::Stop, 10, 2, &first.state, &app_up);
    assert_eq!(ids(&second.act), ["app-2"], "caught, now at rest");
    assert_eq!(
        second.waiting.len(),
        1,
        "db still waits: app-2 is not down yet"
    );
    let mut app_down = fleet(Stopped);
    app_down[1].state = Stopped;
    let third = reconcile(Action::Stop, 10, 3, &second.state, &app_down);
    assert_eq!(ids(&third.act), ["db-1"]);
    assert_eq!(third.state.rollout, None);
}

#[test]
fn a_newer_event_drops_what_the_older_one_caught() {
    let stop = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &[web(Starting)],
    );
    let start = reconcile(Action::Start, 11, 0, &stop.state, &[web(Starting)]);
    assert!(start.act.is_empty());
    assert!(
        start.caught.is_empty(),
        "starting is where the start wants it"
    );
    assert_eq!(start.state.rollout, None);
}

/// The control: once the stop is done, a person's start at night is theirs
/// until the next stop (SPEC §6: curfew does not fight people).
#[test]
fn an_instance_started_by_hand_after_the_stop_is_left_alone() {
    let stop = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &[web(Running)],
    );
    assert_eq!(ids(&stop.act), ["web-1"]);
    assert_eq!(stop.state.rollout, None);
    for (hour, state) in [(13, Starting), (13, Running), (20, Running)] {
        let night = decide(
            &schedule(),
            &seen(Some(event(Action::Stop, 10))),
            &stop.state,
            &[web(state)],
            at(hour, 0),
        );
        assert!(night.act.is_empty() && night.caught.is_empty(), "{night:?}");
        assert_eq!(night.state.rollout, None);
    }
}

#[test]
fn groups_and_services_are_scaled_whatever_their_state() {
    use crate::resource::{Capacity, Scale};
    let service = |state: InstanceState, desired: i32| Instance {
        kind: GroupKind::Ecs,
        scale: Some(Scale {
            now: Capacity::service(desired),
            saved: None,
            arn: None,
        }),
        ..instance("api", None, state)
    };
    // Tasks that never come up: scaled to zero all the same, its size saved.
    let stop = reconcile(
        Action::Stop,
        10,
        0,
        &SchedulerState::default(),
        &[service(Starting, 2)],
    );
    assert_eq!(ids(&stop.act), ["api"]);
    assert_eq!(
        stop.state.capacities.get("api"),
        Some(&Capacity::service(2))
    );
    // Tasks still draining at the start: restored at once.
    let start = reconcile(Action::Start, 11, 0, &stop.state, &[service(Stopping, 0)]);
    assert_eq!(ids(&start.act), ["api"]);
    assert_eq!(
        start.capacity_for(&start.act[0], Action::Start),
        Some(Capacity::service(2))
    );
}
