//! Targets on the fakes (no AWS): a tick over several (target, region)
//! pairs fans out one job per pair with something due, each pair reconciles with its own
//! state, a pair that cannot be reached is told once and holds up no
//! other, and a pair job delivered twice acts once. The same on moto, with
//! real AssumeRole across accounts: `tests/it/scheduler/targets.rs`.

use super::tick::{pair_job, run};
use crate::fakes::{at, command_job, World};
use curfew_shared::job::{Job, PairJob};
use curfew_shared::resource::{
    GroupKind::Ec2,
    InstanceState::{Running, Stopped},
};
use curfew_testkit::{instance, MemoryFleet, MemoryQueue};
use std::sync::Arc;

/// `dev` on weekdays 09:00-19:00 in Seoul, in the worker's own account in
/// two regions (`home` is the fakes' home region) and in `stage`'s account.
const TARGETS: &str = r#"
[[schedule]]
name = "dev"
timezone = "Asia/Seoul"
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"

[[target]]
name = "own"
regions = ["ap-northeast-2", "us-east-1"]

[[target]]
name = "stage"
regions = ["us-east-1"]
role = "arn:aws:iam::123456789012:role/curfew-spoke"
"#;

/// Wednesday 2026-12-09 09:00 in Seoul.
const NINE: &str = "2026-12-09T00:00:00Z";
const NINE_ONE: &str = "2026-12-09T00:01:00Z";
const SEVEN_PM: &str = "2026-12-09T10:00:00Z";

const VIRGINIA: &str = "own|us-east-1";
const STAGE: &str = "stage|us-east-1";

/// The three pairs, each with one stopped instance of `dev`.
fn three_pairs() -> (World, [Arc<MemoryFleet>; 2]) {
    let world = World::new(
        TARGETS,
        vec![instance(Ec2, "i-seoul", "dev", None, Stopped)],
    );
    let virginia = Arc::new(MemoryFleet::of(vec![instance(
        Ec2,
        "i-virginia",
        "dev",
        None,
        Stopped,
    )]));
    let stage = Arc::new(MemoryFleet::of(vec![instance(
        Ec2, "i-stage", "dev", None, Stopped,
    )]));
    world.fleets.add(VIRGINIA, Arc::clone(&virginia));
    world.fleets.add(STAGE, Arc::clone(&stage));
    (world, [virginia, stage])
}

fn pair(target: &str, region: &str, instant: &str) -> PairJob {
    PairJob {
        target: target.to_owned(),
        region: region.to_owned(),
        at: at(instant),
    }
}

#[tokio::test]
async fn a_tick_over_several_pairs_sends_one_job_a_pair_and_describes_nothing() {
    let (mut world, [virginia, stage]) = three_pairs();
    let queue = Arc::new(MemoryQueue::default());
    world.queue = Some(Arc::clone(&queue));
    run(&world.app(), at(NINE), at(NINE)).await.unwrap();
    let keys: Vec<(String, String)> = queue
        .jobs()
        .iter()
        .map(|job| (job.idempotency_key(), job.message_group()))
        .collect();
    assert_eq!(
        keys,
        [
            (
                "own|ap-northeast-2|2026-12-09T00:00:00Z".to_owned(),
                "own|ap-northeast-2".to_owned()
            ),
            (
                "own|us-east-1|2026-12-09T00:00:00Z".to_owned(),
                "own|us-east-1".to_owned()
            ),
            (
                "stage|us-east-1|2026-12-09T00:00:00Z".to_owned(),
                "stage|us-east-1".to_owned()
            ),
        ]
    );
    for fleet in [&world.fleet, &virginia, &stage] {
        assert!(fleet.calls().is_empty(), "{:?}", fleet.calls());
    }
}

#[tokio::test]
async fn a_tick_sends_jobs_only_to_the_pairs_with_something_due() {
    let (mut world, _) = three_pairs();
    let queue = Arc::new(MemoryQueue::default());
    world.queue = Some(Arc::clone(&queue));
    let app = world.app();
    // Seoul's 09:00 start is done; the other two pairs have not started yet.
    pair_job(&app, &pair("own", "ap-northeast-2", NINE), at(NINE))
        .await
        .unwrap();
    run(&app, at(NINE_ONE), at(NINE_ONE)).await.unwrap();
    let groups: Vec<String> = queue.jobs().iter().map(Job::message_group).collect();
    assert_eq!(groups, [VIRGINIA, STAGE]);

    // Every pair started: an idle minute sends nothing.
    for (target, region) in [("own", "us-east-1"), ("stage", "us-east-1")] {
        pair_job(&app, &pair(target, region, NINE_ONE), at(NINE_ONE))
            .await
            .unwrap();
    }
    let sent = queue.jobs().len();
    run(&app, at("2026-12-09T00:02:00Z"), at("2026-12-09T00:02:00Z"))
        .await
        .unwrap();
    assert_eq!(queue.jobs().len(), sent, "{:?}", queue.jobs());
}

#[tokio::test]
async fn each_pair_job_starts_its_own_pair_and_keeps_its_own_state() {
    let (world, [virginia, stage]) = three_pairs();
    let app = world.app();
    pair_job(&app, &pair("stage", "us-east-1", NINE), at(NINE))
        .await
        .unwrap();
    assert_eq!(stage.calls(), ["describe", "start ec2 i-stage"]);
    assert!(
        virginia.calls().is_empty(),
        "another pair's job does not act here"
    );
    assert!(world.fleet.calls().is_empty());

    pair_job(&app, &pair("own", "us-east-1", NINE), at(NINE))
        .await
        .unwrap();
    pair_job(&app, &pair("own", "ap-northeast-2", NINE), at(NINE))
        .await
        .unwrap();
    assert_eq!(virginia.state("i-virginia"), Some(Running));
    assert_eq!(world.fleet.state("i-seoul"), Some(Running));
    let data = world.timelines.of("dev");
    let keys: Vec<&String> = data.pair_states.keys().collect();
    assert_eq!(keys, ["own|ap-northeast-2", "own|us-east-1", STAGE]);
    assert_eq!(data.state.version, 0, "no implicit pair where targets are");
    assert_eq!(world.posts().len(), 3, "each pair says what it started");
}

#[tokio::test]
async fn without_a_queue_the_tick_reconciles_every_pair_itself() {
    let (world, [virginia, stage]) = three_pairs();
    run(&world.app(), at(NINE), at(NINE)).await.unwrap();
    assert_eq!(world.fleet.state("i-seoul"), Some(Running));
    assert_eq!(virginia.state("i-virginia"), Some(Running));
    assert_eq!(stage.state("i-stage"), Some(Running));
}

#[tokio::test]
async fn a_pair_that_cannot_be_reached_is_told_once_and_holds_up_no_other() {
    let (world, [virginia, stage]) = three_pairs();
    world.fleets.set_unreachable(STAGE, true);
    let app = world.app();
    run(&app, at(NINE), at(NINE)).await.unwrap();
    assert_eq!(virginia.state("i-virginia"), Some(Running));
    assert_eq!(world.fleet.state("i-seoul"), Some(Running));
    assert_eq!(stage.state("i-stage"), Some(Stopped));
    let told: Vec<String> = world
        .posts()
        .into_iter()
        .filter(|p| p.contains("cannot reach"))
        .collect();
    assert_eq!(told.len(), 1, "{:#?}", world.posts());
    assert!(told[0].contains("123456789012/us-east-1"), "{}", told[0]);
    assert!(told[0].contains("AccessDenied"), "{}", told[0]);

    // Still denied a minute later: retried (the start is still due), not told again.
    let posts = world.posts().len();
    run(&app, at(NINE_ONE), at(NINE_ONE)).await.unwrap();
    assert_eq!(world.posts().len(), posts, "{:#?}", world.posts());

    // The role is mended: the next tick starts it and says so.
    world.fleets.set_unreachable(STAGE, false);
    run(&app, at(NINE_ONE), at(NINE_ONE)).await.unwrap();
    assert_eq!(stage.state("i-stage"), Some(Running));
    let back = world.posts();
    assert!(
        back.iter().any(|p| p.contains("answers again")),
        "{back:#?}"
    );
}

#[tokio::test]
async fn a_pair_job_delivered_twice_acts_once() {
    let (world, [_, stage]) = three_pairs();
    let app = world.app();
    let body = Job::Pair(pair("stage", "us-east-1", SEVEN_PM)).encode();
    stage.set_state("i-stage", Running);
    let first = app.handle(&body, at(SEVEN_PM)).await;
    let second = app.handle(&body, at(SEVEN_PM)).await;
    assert_eq!(format!("{first:?}"), "Done");
    assert_eq!(format!("{second:?}"), "Duplicate");
    assert_eq!(stage.calls(), ["describe", "stop ec2 i-stage"]);
}

#[tokio::test]
async fn a_pair_job_for_a_target_since_removed_is_dropped() {
    let (world, [virginia, stage]) = three_pairs();
    pair_job(&world.app(), &pair("gone", "us-east-1", NINE), at(NINE))
        .await
        .unwrap();
    for fleet in [&world.fleet, &virginia, &stage] {
        assert!(fleet.calls().is_empty());
    }
}

#[tokio::test]
async fn status_covers_every_pair_and_names_the_one_that_did_not_answer() {
    let (world, _) = three_pairs();
    world.fleets.set_unreachable(STAGE, true);
    let now = at(NINE);
    world
        .app()
        .handle(&command_job("/서버 dev status", now), now)
        .await;
    let reply = world.posts().pop().unwrap_or_default();
    assert!(
        reply.contains("i-seoul") && reply.contains("i-virginia"),
        "{reply}"
    );
    assert!(reply.contains("Unreachable"), "{reply}");
    assert!(
        reply.contains("123456789012/us-east-1: AssumeRole failed"),
        "{reply}"
    );
}

#[tokio::test]
async fn force_start_acts_in_every_pair() {
    let (world, [virginia, stage]) = three_pairs();
    let now = at("2026-12-08T23:12:00Z");
    world
        .app()
        .handle(&command_job("/서버 dev force_start for 2h", now), now)
        .await;
    for (fleet, id) in [
        (&world.fleet, "i-seoul"),
        (&virginia, "i-virginia"),
        (&stage, "i-stage"),
    ] {
        assert_eq!(fleet.state(id), Some(Running), "{id}");
    }
    let reply = world.posts().pop().unwrap_or_default();
    for id in ["i-seoul", "i-virginia", "i-stage"] {
        assert!(reply.contains(id), "{reply}");
    }
}
