//! Ticks on the fakes (no AWS): which schedules are due, one describe for
//! all of them, batched starts, what the room hears, and what a failure
//! does. The same behaviour on moto: `tests/it/scheduler/`.

use super::reconcile::reconcile_now;
use super::tick::run;
use crate::fakes::{at, World, WEBHOOK};
use crate::limits::STATE_WRITE_ATTEMPTS;
use curfew_shared::ports::{Class, NotifyError};
use curfew_shared::resource::{
    GroupKind::{Asg, Ec2, Ecs, Rds, RdsCluster},
    Instance,
    InstanceState::{Running, Stopped},
    Scale,
};
use curfew_testkit::instance;

/// The tick of `instant` (RFC 3339), handled at that instant.
async fn tick(app: &crate::app::App, instant: &str) {
    run(app, at(instant), at(instant)).await.unwrap();
}

/// `names`, each on weekdays 09:00-19:00 in Seoul.
pub(super) fn office_hours(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            format!(
                "[[schedule]]\nname = \"{name}\"\ntimezone = \"Asia/Seoul\"\n\
                 [[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n"
            )
        })
        .collect()
}

/// Wednesday 2026-12-09 09:00 in Seoul, the schedules' start.
const NINE: &str = "2026-12-09T00:00:00Z";

/// `dev` with two stopped EC2 instances and a stopped RDS instance.
fn dev_world() -> World {
    World::new(
        &office_hours(&["dev"]),
        vec![
            instance(Ec2, "i-1", "dev", None, Stopped),
            instance(Ec2, "i-2", "dev", None, Stopped),
            instance(Rds, "db-1", "dev", None, Stopped),
        ],
    )
}

#[tokio::test]
async fn the_start_describes_once_starts_in_one_call_a_kind_and_tells_the_room() {
    let world = dev_world();
    tick(&world.app(), NINE).await;
    assert_eq!(
        world.fleet.calls(),
        ["describe", "start ec2 i-1,i-2", "start rds db-1"]
    );
    for id in ["i-1", "i-2", "db-1"] {
        assert_eq!(world.fleet.state(id), Some(Running), "{id}");
    }
    assert_eq!(world.timelines.saves(), 1, "one state write");
    let posts = world.notifier.posted();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0].0, WEBHOOK);
    let text = &world.posts()[0];
    assert!(text.contains("i-1") && text.contains("db-1"), "{text}");
}

#[tokio::test]
async fn a_minute_with_nothing_due_calls_no_fleet_api_and_a_stop_is_warned_once() {
    let world = dev_world();
    let app = world.app();
    tick(&app, NINE).await;
    // The verification of the start, five minutes on: a describe, no notice
    // (everything came up).
    tick(&app, "2026-12-09T00:05:00Z").await;
    let (calls, posts) = (world.fleet.calls().len(), world.notifier.attempts());
    assert_eq!(calls, 4, "{:?}", world.fleet.calls());
    for minute in ["01:00", "02:30", "09:49"] {
        tick(&app, &format!("2026-12-09T{minute}:00Z")).await;
    }
    assert_eq!(
        world.fleet.calls().len(),
        calls,
        "{:?}",
        world.fleet.calls()
    );
    assert_eq!(world.notifier.attempts(), posts);
    // 18:50 in Seoul, ten minutes before the stop: one warning, once.
    for minute in ["09:50", "09:51"] {
        tick(&app, &format!("2026-12-09T{minute}:00Z")).await;
    }
    assert_eq!(
        world.fleet.calls().len(),
        calls + 1,
        "{:?}",
        world.fleet.calls()
    );
    assert_eq!(world.notifier.attempts(), posts + 1);
    assert!(
        world.posts().last().unwrap().contains("19:00"),
        "{:?}",
        world.posts()
    );
    // 19:00 in Seoul: due again.
    tick(&app, "2026-12-09T10:00:00Z").await;
    assert_eq!(world.fleet.state("i-1"), Some(Stopped));
}

#[tokio::test]
async fn due_schedules_share_one_describe_and_one_batched_call() {
    let world = World::new(
        &office_hours(&["dev", "staging"]),
        vec![
            instance(Ec2, "i-dev", "dev", None, Stopped),
            instance(Ec2, "i-stg", "staging", None, Stopped),
        ],
    );
    tick(&world.app(), NINE).await;
    let calls = world.fleet.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0], "describe");
    assert!(
        calls[1].starts_with("start ec2")
            && calls[1].contains("i-dev")
            && calls[1].contains("i-stg"),
        "{calls:?}"
    );
    assert_eq!(world.notifier.posted().len(), 2, "one notice a schedule");
}

#[tokio::test]
async fn one_refused_instance_is_found_by_halving_and_the_others_start() {
    let world = World::new(
        &office_hours(&["dev"]),
        ["i-1", "i-2", "i-3", "i-4"]
            .iter()
            .map(|id| instance(Ec2, id, "dev", None, Stopped))
            .collect(),
    );
    world.fleet.refuse("i-3");
    tick(&world.app(), NINE).await;
    for (id, state) in [
        ("i-1", Running),
        ("i-2", Running),
        ("i-3", Stopped),
        ("i-4", Running),
    ] {
        assert_eq!(world.fleet.state(id), Some(state), "{id}");
    }
    let text = world.posts().join("\n");
    assert!(
        text.contains("i-3") && text.contains("AccessDenied"),
        "{text}"
    );
}

#[tokio::test]
async fn many_notices_for_one_room_are_folded_into_digests() {
    let names: Vec<String> = (1..=6).map(|n| format!("s{n}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let world = World::new(
        &office_hours(&names),
        names
            .iter()
            .map(|name| instance(Ec2, &format!("i-{name}"), name, None, Stopped))
            .collect(),
    );
    tick(&world.app(), NINE).await;
    let posts = world.posts();
    assert_eq!(posts.len(), 1, "six notices, one digest: {posts:?}");
    for name in names {
        assert!(
            posts[0].contains(&format!("i-{name}")),
            "{name}: {}",
            posts[0]
        );
    }
}

#[tokio::test]
async fn a_webhook_that_is_down_gets_one_try_a_tick_not_one_a_digest() {
    // 25 notices for one room: two digests (20 a digest).
    let names: Vec<String> = (1..=25).map(|n| format!("s{n:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let fleet = || {
        names
            .iter()
            .map(|name| instance(Ec2, &format!("i-{name}"), name, None, Stopped))
            .collect()
    };
    let up = World::new(&office_hours(&names), fleet());
    tick(&up.app(), NINE).await;
    assert_eq!(up.notifier.attempts(), 2, "two digests");

    let down = World::new(&office_hours(&names), fleet());
    down.notifier.answer_next(NotifyError::GaveUp {
        attempts: 5,
        last: "HTTP 503".to_owned(),
    });
    tick(&down.app(), NINE).await;
    assert_eq!(
        down.notifier.attempts(),
        1,
        "the second digest is not tried"
    );
    assert_eq!(
        down.fleet.state("i-s25"),
        Some(Running),
        "the tick still acted"
    );
}

#[tokio::test]
async fn a_throttled_describe_fails_the_tick_as_transient_and_acts_on_nothing() {
    let world = dev_world();
    world.fleet.fail_next(Class::Transient);
    let error = run(&world.app(), at(NINE), at(NINE)).await.unwrap_err();
    assert_eq!(error.class(), Class::Transient, "{error}");
    assert_eq!(world.fleet.calls(), ["describe"]);
    assert_eq!(world.timelines.saves(), 0);
    // The retry of the same tick does it all.
    run(&world.app(), at(NINE), at("2026-12-09T00:00:40Z"))
        .await
        .unwrap();
    assert_eq!(world.fleet.state("i-1"), Some(Running));
}

#[tokio::test]
async fn a_lost_state_write_reads_and_describes_again_before_acting() {
    let world = dev_world();
    world.timelines.lose_next_saves(1);
    tick(&world.app(), NINE).await;
    assert_eq!(
        world.fleet.calls(),
        [
            "describe",
            "describe dev",
            "start ec2 i-1,i-2",
            "start rds db-1"
        ]
    );
}

#[tokio::test]
async fn a_state_that_keeps_changing_is_contention_and_nothing_is_done() {
    let world = dev_world();
    world.timelines.lose_next_saves(STATE_WRITE_ATTEMPTS);
    let app = world.app();
    let schedule = app
        .services
        .schedules
        .list()
        .await
        .unwrap()
        .remove(0)
        .validate(app.config.default_tz)
        .unwrap();
    let home = curfew_shared::target::pairs(&[], curfew_testkit::HOME_REGION);
    let error = reconcile_now(&app.services, &schedule, &home, at(NINE))
        .await
        .unwrap_err();
    assert_eq!(error.class(), Class::Transient, "{error}");
    assert!(error.to_string().contains("kept changing"), "{error}");
    assert!(world
        .fleet
        .calls()
        .iter()
        .all(|c| c.starts_with("describe")));
}

#[tokio::test]
async fn an_aurora_db_starts_before_the_ecs_app_after_it_and_stops_after_it() {
    let schedules = format!(
        "{}[[schedule.group]]\nname = \"db\"\nkind = \"rds-cluster\"\n\
         [[schedule.group]]\nname = \"app\"\nkind = \"ecs\"\nafter = [\"db\"]\n",
        office_hours(&["dev"])
    );
    let world = World::new(
        &schedules,
        vec![
            instance(RdsCluster, "aurora-dev", "dev", Some("db"), Stopped),
            instance(Ecs, "dev-cluster/web", "dev", Some("app"), Stopped),
        ],
    );
    let app = world.app();
    tick(&app, NINE).await;
    assert_eq!(
        world.fleet.calls(),
        ["describe", "start rds-cluster aurora-dev"]
    );
    assert_eq!(
        world.fleet.state("dev-cluster/web"),
        Some(Stopped),
        "app waits for db"
    );
    tick(&app, "2026-12-09T00:01:00Z").await;
    assert_eq!(
        world.fleet.calls().last().unwrap(),
        "start (2,2,2) ecs dev-cluster/web",
        "the desired count the tag saved"
    );

    tick(&app, "2026-12-09T10:00:00Z").await;
    assert_eq!(
        world.fleet.calls().last().unwrap(),
        "stop (2,2,2) ecs dev-cluster/web",
        "app first, its count saved"
    );
    assert_eq!(world.fleet.state("aurora-dev"), Some(Running));
    tick(&app, "2026-12-09T10:01:00Z").await;
    assert_eq!(
        world.fleet.calls().last().unwrap(),
        "stop rds-cluster aurora-dev"
    );
    assert!(
        world.posts().iter().any(|p| p.contains("aurora-dev")),
        "{:?}",
        world.posts()
    );
}

#[tokio::test]
async fn a_db_aws_starts_after_seven_days_stopped_is_stopped_again_with_one_notice() {
    // Up on the 1st only: stopped from Tuesday 2026-12-01 19:00 for a month.
    let world = World::new(
        "[[schedule]]\nname = \"dev\"\ntimezone = \"Asia/Seoul\"\n\
         [[schedule.period]]\nmonthdays = \"1\"\nstart = \"09:00\"\nstop = \"19:00\"\n",
        vec![
            instance(Rds, "dev-db", "dev", None, Running),
            instance(Ec2, "i-web", "dev", None, Running),
        ],
    );
    let app = world.app();
    tick(&app, "2026-12-01T10:00:00Z").await;
    assert_eq!(world.fleet.state("dev-db"), Some(Stopped));
    let (calls, posts) = (world.fleet.calls().len(), world.notifier.attempts());
    // Six idle days: no describe at all.
    for day in 2..=7 {
        tick(&app, &format!("2026-12-0{day}T10:00:00Z")).await;
    }
    assert_eq!(
        world.fleet.calls().len(),
        calls,
        "{:?}",
        world.fleet.calls()
    );
    // AWS starts it on the seventh day; a person starts the web server.
    world.fleet.set_state("dev-db", Running);
    world.fleet.set_state("i-web", Running);
    tick(&app, "2026-12-08T10:02:00Z").await;
    assert_eq!(
        world.fleet.calls()[calls..],
        ["describe", "stop rds dev-db"]
    );
    assert_eq!(world.fleet.state("dev-db"), Some(Stopped));
    assert_eq!(
        world.fleet.state("i-web"),
        Some(Running),
        "a person's start stays"
    );
    assert_eq!(world.notifier.attempts(), posts + 1);
    let notice = world.posts().pop().unwrap();
    assert!(
        notice.contains("seven days") && notice.contains("dev-db"),
        "{notice}"
    );
    // Once: the next minute is idle.
    tick(&app, "2026-12-08T10:03:00Z").await;
    assert_eq!(world.fleet.calls().len(), calls + 2);
}

#[tokio::test]
async fn a_hibernating_schedule_hibernates_the_instances_configured_for_it_and_says_which() {
    let schedules = office_hours(&["dev"]).replacen(
        "timezone = \"Asia/Seoul\"\n",
        "timezone = \"Asia/Seoul\"\nhibernate = true\n",
        1,
    );
    let ready = curfew_shared::resource::Instance {
        hibernates: true,
        ..instance(Ec2, "i-ready", "dev", None, Running)
    };
    let world = World::new(
        &schedules,
        vec![ready, instance(Ec2, "i-plain", "dev", None, Running)],
    );
    tick(&world.app(), "2026-12-09T10:00:00Z").await;
    let calls = world.fleet.calls();
    assert!(
        calls.contains(&"hibernate ec2 i-ready".to_owned()),
        "{calls:?}"
    );
    assert!(calls.contains(&"stop ec2 i-plain".to_owned()), "{calls:?}");
    let notice = world.posts().pop().unwrap();
    assert!(
        notice.contains("Hibernated") && notice.contains("i-ready"),
        "{notice}"
    );
    assert_eq!(world.fleet.state("i-ready"), Some(Stopped));
}

#[tokio::test]
async fn a_resource_in_a_group_of_another_kind_is_left_alone_and_reported() {
    let schedules = format!(
        "{}[[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n",
        office_hours(&["dev"])
    );
    let world = World::new(
        &schedules,
        vec![
            instance(Rds, "dev-db", "dev", Some("db"), Stopped),
            instance(Ecs, "dev/api", "dev", Some("db"), Stopped),
        ],
    );
    tick(&world.app(), NINE).await;
    assert_eq!(world.fleet.calls(), ["describe", "start rds dev-db"]);
    assert_eq!(
        world.fleet.state("dev/api"),
        Some(Stopped),
        "never acted on"
    );
    let posts = world.posts().join("\n");
    assert!(
        posts.contains("Wrong kind") && posts.contains("\"dev/api: ecs in group db (rds)\""),
        "{posts}"
    );
}

#[tokio::test]
async fn an_asg_with_no_saved_capacity_is_not_started_and_the_notice_names_it() {
    let stopped = instance(Asg, "web", "dev", None, Stopped);
    let scale = stopped.scale.clone().map(|s| Scale { saved: None, ..s });
    let world = World::new(&office_hours(&["dev"]), vec![Instance { scale, ..stopped }]);
    tick(&world.app(), NINE).await;
    assert_eq!(world.fleet.calls(), ["describe"], "nothing guessed");
    let posts = world.posts().join("\n");
    assert!(
        posts.contains("web") && posts.contains("no saved capacity"),
        "{posts}"
    );
}

#[tokio::test]
async fn an_asg_stopped_with_its_capacity_in_the_state_gets_it_back_without_its_tag() {
    let world = World::new(
        &office_hours(&["dev"]),
        vec![instance(Asg, "web", "dev", None, Running)],
    );
    let app = world.app();
    tick(&app, "2026-12-09T10:00:00Z").await;
    assert_eq!(world.fleet.calls().last().unwrap(), "stop (1,2,4) asg web");
    // A person deletes the tag overnight: the state's copy restores.
    world.fleet.lose_saved_capacity("web");
    tick(&app, "2026-12-10T00:00:00Z").await;
    assert_eq!(world.fleet.calls().last().unwrap(), "start (1,2,4) asg web");
}
