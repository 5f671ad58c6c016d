//! Caught mid-way (SPEC §6) on moto, tick by tick. moto's instances and DBs
//! change state at once, so where a resource must be seen on its way
//! somewhere (EC2 `pending`, RDS `starting`) the proxy rewrites the
//! describe's answer, and the test says so. moto runs no ECS tasks, so a
//! service of desired 2 reads as its tasks never coming up, which is the
//! case under test there.

use super::overrides::WEEKDAYS;
use super::stack::{kst, Stack};
use curfew_testkit::{demo_fleet, ec2_states, ecs_service, local_aws, rds_status, sdk_in};
use curfew_worker::adapters::fleet::{AwsFleets, TagKeys};
use std::sync::Arc;

#[tokio::test]
async fn what_is_on_its_way_up_at_the_stop_is_stopped_once_it_is_up() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, false).await;
    // Monday 18:59: the 09:00 start is applied (everything is up already).
    stack.tick(kst(7, 18, 59)).await;

    // 19:00: the web servers read `pending` once, the DB `starting` twice.
    stack.proxy.rewrite(
        "DescribeInstances",
        "<name>running</name>",
        "<name>pending</name>",
        1,
    );
    stack.proxy.rewrite(
        "DescribeDBInstances",
        "<DBInstanceStatus>available</DBInstanceStatus>",
        "<DBInstanceStatus>starting</DBInstanceStatus>",
        2,
    );
    stack.proxy.reset();
    stack.tick(kst(7, 19, 0)).await;
    let calls = stack.fleet_calls();
    assert!(
        !calls
            .iter()
            .any(|c| c == "StopInstances" || c == "StopDBInstance"),
        "AWS would refuse both now: {calls:?}"
    );
    assert!(
        stack.notices().is_empty(),
        "nothing stopped yet: {:#?}",
        stack.notices()
    );

    // 19:01: the web servers are up and stopped; the DB is still starting.
    stack.tick(kst(7, 19, 1)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );
    assert_eq!(rds_status(&stack.sdk, &fleet.db).await, "available");
    let notices = stack.notices_after(1).await;
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert!(
        notices[0].contains(&format!("{}-web-1", stack.tag)) && notices[0].contains(&fleet.db),
        "the web servers stopped, the DB named as caught: {}",
        notices[0]
    );

    // 19:02: the DB is available, and stopped.
    stack.tick(kst(7, 19, 2)).await;
    assert_eq!(rds_status(&stack.sdk, &fleet.db).await, "stopped");
    let notices = stack.notices_after(2).await;
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(notices[1].contains(&fleet.db), "{}", notices[1]);

    // The stop is done: 19:03 describes nothing, and a start by hand at
    // 22:00 is left up.
    stack.proxy.reset();
    stack.tick(kst(7, 19, 3)).await;
    aws_sdk_rds::Client::new(&stack.sdk)
        .start_db_instance()
        .db_instance_identifier(&fleet.db)
        .send()
        .await
        .unwrap();
    stack.tick(kst(7, 22, 0)).await;
    assert_eq!(stack.fleet_calls(), Vec::<String>::new());
    assert_eq!(rds_status(&stack.sdk, &fleet.db).await, "available");
}

/// The demo's `staging/api`: desired 2, its tasks never running (moto runs
/// none). The stop scales it to 0 all the same, in its own region so no
/// other test's describe sees the service.
#[tokio::test]
async fn a_service_whose_tasks_never_came_up_is_scaled_to_zero_at_the_stop() {
    const REGION: &str = "sa-east-1";
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, WEEKDAYS).await;
    let direct = sdk_in(&endpoint, REGION).await;
    let cluster = format!("{}-ecs", stack.tag);
    ecs_service(&direct, &cluster, "api", 2, &[("ScheduleName", &stack.tag)]).await;
    let via_proxy = sdk_in(&stack.proxy.endpoint(), REGION).await;
    stack.worker.services.fleets = Arc::new(AwsFleets::new(&via_proxy, TagKeys::default()));

    stack.tick(kst(7, 19, 0)).await;
    let out = aws_sdk_ecs::Client::new(&direct)
        .describe_services()
        .cluster(&cluster)
        .services("api")
        .send()
        .await
        .unwrap();
    assert_eq!(out.services()[0].desired_count(), 0);
    let notices = stack.notices_after(1).await;
    assert!(
        notices.iter().any(|n| n.contains("api")),
        "the notice names it: {notices:#?}"
    );
}
