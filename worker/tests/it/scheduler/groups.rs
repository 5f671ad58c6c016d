//! `app after db` driven by ticks: db starts at 09:00, app waits while db is
//! held in `starting` (the proxy rewrites moto's answers: moto's RDS is up
//! at once), and starts at the first tick that finds db `available`.

use super::stack::{kst, Stack};
use curfew_testkit::{demo_fleet, ec2_states, local_aws, rds_status};

const GROUPED: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
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

#[tokio::test]
async fn app_starts_only_once_db_is_available_and_the_notices_say_so() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, GROUPED).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(7, 8, 59)).await;

    stack.tick(kst(7, 9, 0)).await;
    let notices = stack.notices_after(1).await;
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert!(notices[0].contains(&fleet.db), "db started: {}", notices[0]);
    assert!(
        notices[0].contains("app : starts once db is up"),
        "{}",
        notices[0]
    );
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );

    // db takes its time: two more describes say `starting`.
    stack.proxy.rewrite(
        "DescribeDBInstances",
        "<DBInstanceStatus>available</DBInstanceStatus>",
        "<DBInstanceStatus>starting</DBInstanceStatus>",
        2,
    );
    for minute in [1, 2] {
        stack.tick(kst(7, 9, minute)).await;
        assert_eq!(
            ec2_states(&stack.sdk, &fleet.app).await,
            ["stopped", "stopped"],
            "09:0{minute}: app waits"
        );
    }
    assert_eq!(stack.notices().len(), 1, "waiting says nothing new");

    stack.tick(kst(7, 9, 3)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["running", "running"]
    );
    let notices = stack.notices_after(2).await;
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(
        notices[1].contains(&format!("{}-web-1", stack.tag)),
        "{}",
        notices[1]
    );

    // 19:00: app stops first; db at the next tick, once app is down.
    stack.tick(kst(7, 19, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );
    assert_eq!(rds_status(&stack.sdk, &fleet.db).await, "available");
    stack.tick(kst(7, 19, 1)).await;
    assert_eq!(rds_status(&stack.sdk, &fleet.db).await, "stopped");
}

/// One bad instance in a batch (here: one AWS does not know) fails alone;
/// the batch is split until it is isolated, and the others start.
#[tokio::test]
async fn a_failing_instance_is_isolated_and_the_rest_of_its_batch_starts() {
    use curfew_shared::reconcile::Decision;
    use curfew_shared::resource::{GroupKind, Instance, InstanceState};
    use curfew_worker::scheduler::act::act;
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, GROUPED).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    let ec2 = |id: &str| Instance {
        kind: GroupKind::Ec2,
        id: id.to_owned(),
        name: id.to_owned(),
        schedule: stack.tag.clone(),
        group: None,
        state: InstanceState::Stopped,
        zone: None,
        hibernates: false,
        place: None,
        billing: Default::default(),
        launched: None,
        scale: None,
    };
    let bad = "i-0123456789abcdef0";
    let decision = Decision {
        action: Some(curfew_shared::Action::Start),
        act: vec![ec2(&fleet.app[0]), ec2(bad), ec2(&fleet.app[1])],
        ..Decision::default()
    };
    stack.proxy.reset();
    let fleets = &stack.worker.services.fleets;
    let home = curfew_shared::target::pairs(&[], fleets.home_region());
    let home_fleet = fleets.fleet(&home[0]).await.unwrap();
    let failures = act(home_fleet.as_ref(), &[&decision]).await;
    assert_eq!(failures.keys().collect::<Vec<_>>(), [bad]);
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["running", "running"]
    );
    let calls = stack.proxy.count("StartInstances");
    println!("bisection: 3 instances, 1 bad: {calls} StartInstances calls");
    assert!(calls <= 5, "{calls} calls");
}
