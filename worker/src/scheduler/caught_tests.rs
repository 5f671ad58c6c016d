//! Caught mid-way (SPEC §6) on the fakes, tick by tick: the fleet refuses
//! a call on a resource on its way somewhere, as AWS does, so the stop has
//! to wait for it to come to rest.

use super::tests::office_hours;
use super::tick::run;
use crate::fakes::{at, World};
use curfew_shared::resource::{
    GroupKind::{Ec2, Rds},
    InstanceState::{Running, Starting, Stopped},
};
use curfew_testkit::instance;

async fn tick(app: &crate::app::App, instant: &str) {
    run(app, at(instant), at(instant)).await.unwrap();
}

/// Someone started the DB at 18:55; it is still `starting` at 19:00 and
/// 19:01 (RDS refuses to stop it then) and `available` at 19:02.
#[tokio::test]
async fn a_database_starting_at_the_stop_is_stopped_when_available_with_one_notice() {
    let world = World::new(
        &office_hours(&["dev"]),
        vec![
            instance(Ec2, "i-1", "dev", None, Stopped),
            instance(Rds, "db-1", "dev", None, Starting),
        ],
    );
    let app = world.app();
    // Wednesday 2026-12-09 19:00 and 19:01 in Seoul.
    tick(&app, "2026-12-09T10:00:00Z").await;
    tick(&app, "2026-12-09T10:01:00Z").await;
    assert_eq!(world.fleet.calls(), ["describe", "describe"]);
    assert!(world.posts().is_empty(), "{:?}", world.posts());
    world.fleet.set_state("db-1", Running);
    tick(&app, "2026-12-09T10:02:00Z").await;
    assert_eq!(
        world.fleet.calls(),
        ["describe", "describe", "describe", "stop rds db-1"]
    );
    assert_eq!(world.fleet.state("db-1"), Some(Stopped));
    let posts = world.posts();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(posts[0].contains("db-1"), "{}", posts[0]);
    // The stop is done: the next minute is idle again.
    tick(&app, "2026-12-09T10:03:00Z").await;
    assert_eq!(world.fleet.calls().len(), 4, "{:?}", world.fleet.calls());
}

/// One that never comes to rest is told once, past `start_timeout_minutes`.
#[tokio::test]
async fn a_database_that_never_comes_to_rest_is_told_once() {
    let world = World::new(
        &office_hours(&["dev"]),
        vec![instance(Rds, "db-1", "dev", None, Starting)],
    );
    let app = world.app();
    for minute in [0, 1, 29, 30, 31, 45] {
        tick(&app, &format!("2026-12-09T10:{minute:02}:00Z")).await;
    }
    let posts = world.posts();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(
        posts[0].contains("db-1") && posts[0].contains("30"),
        "{}",
        posts[0]
    );
    assert_eq!(
        world.fleet.calls().len(),
        4,
        "describes until given up: {:?}",
        world.fleet.calls()
    );
}

/// The control: after the stop was fully applied, a person's start at
/// 22:00 stays up until the next stop.
#[tokio::test]
async fn an_instance_started_by_hand_after_the_stop_is_left_until_the_next_stop() {
    let world = World::new(
        &office_hours(&["dev"]),
        vec![instance(Ec2, "i-1", "dev", None, Running)],
    );
    let app = world.app();
    tick(&app, "2026-12-09T10:00:00Z").await;
    assert_eq!(world.fleet.state("i-1"), Some(Stopped));
    world.fleet.set_state("i-1", Starting);
    tick(&app, "2026-12-09T13:00:00Z").await;
    world.fleet.set_state("i-1", Running);
    tick(&app, "2026-12-09T13:01:00Z").await;
    assert_eq!(world.fleet.state("i-1"), Some(Running));
    // Thursday's 19:00 stops it.
    tick(&app, "2026-12-10T10:00:00Z").await;
    assert_eq!(world.fleet.state("i-1"), Some(Stopped));
}
