//! The newer kinds driven by ticks on moto: an Aurora cluster `db` and an
//! ECS service `app` after it. They live in a region of their own (the
//! worker's fleet is pointed there; its table stays where it is), so no
//! other test's describe sees a cluster member. moto runs no ECS tasks
//! (`runningCount` stays 0): where the service must look up, the proxy
//! rewrites `runningCount` in `DescribeServices`, and the test says so.
//! Also AWS's own start of a DB stopped for seven days (the test starts it,
//! as moto never would), which curfew stops again.

use super::stack::{kst, Stack};
use curfew_shared::resource::Capacity;
use curfew_testkit::{
    aurora_cluster, auto_scaling_group, auto_scaling_group_now, ecs_service, local_aws, sdk_in,
};
use curfew_worker::adapters::fleet::{AwsFleets, TagKeys, CAPACITY_TAG, DESIRED_TAG};
use std::sync::Arc;

const KINDS: &str = r#"
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
kind = "rds-cluster"
[[schedule.group]]
name = "app"
kind = "ecs"
after = ["db"]
"#;

const REGION: &str = "ap-southeast-2";

/// A stopped Aurora cluster (with its writer) and an ECS service curfew
/// had stopped (desired 0, 2 saved), both tagged `tag`.
async fn stopped_fleet(sdk: &aws_config::SdkConfig, tag: &str) -> (String, String) {
    let cluster = format!("{tag}-aurora");
    aurora_cluster(
        sdk,
        &cluster,
        &[("ScheduleName", tag), ("ScheduleGroupName", "db")],
    )
    .await;
    aws_sdk_rds::Client::new(sdk)
        .stop_db_cluster()
        .db_cluster_identifier(&cluster)
        .send()
        .await
        .unwrap();
    let ecs_cluster = format!("{tag}-ecs");
    let tags = [
        ("ScheduleName", tag),
        ("ScheduleGroupName", "app"),
        (DESIRED_TAG, "2"),
    ];
    ecs_service(sdk, &ecs_cluster, "api", 0, &tags).await;
    (cluster, ecs_cluster)
}

async fn cluster_status(sdk: &aws_config::SdkConfig, cluster: &str) -> String {
    let out = aws_sdk_rds::Client::new(sdk)
        .describe_db_clusters()
        .db_cluster_identifier(cluster)
        .send()
        .await
        .unwrap();
    out.db_clusters()[0].status().unwrap().to_owned()
}

async fn desired(sdk: &aws_config::SdkConfig, cluster: &str) -> i32 {
    let out = aws_sdk_ecs::Client::new(sdk)
        .describe_services()
        .cluster(cluster)
        .services("api")
        .send()
        .await
        .unwrap();
    out.services()[0].desired_count()
}

#[tokio::test]
async fn an_aurora_db_starts_before_its_ecs_app_and_stops_after_it() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, KINDS).await;
    let direct = sdk_in(&endpoint, REGION).await;
    let (aurora, ecs_cluster) = stopped_fleet(&direct, &stack.tag).await;
    let via_proxy = sdk_in(&stack.proxy.endpoint(), REGION).await;
    stack.worker.services.fleets = Arc::new(AwsFleets::new(&via_proxy, TagKeys::default()));

    // Monday 08:59: the last event is Friday's stop, and both are stopped.
    stack.tick(kst(7, 8, 59)).await;
    assert_eq!(cluster_status(&direct, &aurora).await, "stopped");
    assert_eq!(desired(&direct, &ecs_cluster).await, 0);

    // 09:00: the cluster starts; the service waits for it.
    stack.tick(kst(7, 9, 0)).await;
    assert_eq!(cluster_status(&direct, &aurora).await, "available");
    assert_eq!(desired(&direct, &ecs_cluster).await, 0, "app waits for db");
    // 09:01: db is up, so app gets its 2 back.
    stack.tick(kst(7, 9, 1)).await;
    assert_eq!(desired(&direct, &ecs_cluster).await, 2);

    // 19:00: the service first. moto never runs its tasks: the proxy makes
    // the tick's describe see them running.
    stack.proxy.rewrite(
        "DescribeServices",
        "\"runningCount\": 0",
        "\"runningCount\": 2",
        1,
    );
    stack.tick(kst(7, 19, 0)).await;
    assert_eq!(desired(&direct, &ecs_cluster).await, 0);
    assert_eq!(
        cluster_status(&direct, &aurora).await,
        "available",
        "db waits for app"
    );
    stack.tick(kst(7, 19, 1)).await;
    assert_eq!(cluster_status(&direct, &aurora).await, "stopped");

    let notices = stack.notices_after(4).await;
    assert!(
        notices.iter().any(|n| n.contains(&aurora)) && notices.iter().any(|n| n.contains("api")),
        "{notices:#?}"
    );
}

/// Up on the 1st of the month only: stopped from Tuesday 2026-12-01 19:00.
const MONTHLY: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
monthdays = "1"
start = "09:00"
stop = "19:00"
"#;

#[tokio::test]
async fn a_db_aws_starts_on_the_seventh_day_stopped_is_stopped_again_with_one_notice() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, MONTHLY).await;
    let fleet = curfew_testkit::demo_fleet(&stack.sdk, &stack.tag, false).await;
    stack.tick(kst(1, 19, 0)).await;
    assert_eq!(
        curfew_testkit::rds_status(&stack.sdk, &fleet.db).await,
        "stopped"
    );
    let before = stack.notices_after(1).await.len();

    // AWS's own start, seven days on (moto never does it: the test does).
    aws_sdk_rds::Client::new(&stack.sdk)
        .start_db_instance()
        .db_instance_identifier(&fleet.db)
        .send()
        .await
        .unwrap();
    stack.proxy.reset();
    stack.tick(kst(8, 19, 2)).await;
    assert_eq!(
        curfew_testkit::rds_status(&stack.sdk, &fleet.db).await,
        "stopped"
    );
    assert!(stack.fleet_calls().contains(&"StopDBInstance".to_owned()));
    let notices = stack.notices_after(before + 1).await;
    assert_eq!(notices.len(), before + 1, "{notices:#?}");
    let last = notices.last().unwrap();
    assert!(
        last.contains("seven days") && last.contains(&fleet.db),
        "{last}"
    );

    // Once: the next minute describes nothing.
    stack.proxy.reset();
    stack.tick(kst(8, 19, 3)).await;
    assert!(stack.fleet_calls().is_empty(), "{:?}", stack.fleet_calls());
}

/// Weekdays 09:00–19:00, re-applied while anything is off (`enforce`).
const ENFORCED: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
enforce = true
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#;

/// A worker that dies after saving a group's capacity (in its state, then
/// in the group's tag) and before scaling it to 0: the proxy refuses that
/// `UpdateAutoScalingGroup` once, standing in for the crash. The next
/// stop saves the same capacity, not the 0 it is about to set; the tag is
/// then lost to a person, and the morning's start restores from the
/// state.
#[tokio::test]
async fn an_asg_keeps_its_saved_capacity_across_a_crash_between_the_save_and_the_update() {
    const REGION: &str = "eu-west-3";
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, ENFORCED).await;
    let direct = sdk_in(&endpoint, REGION).await;
    let web = format!("{}-web", stack.tag);
    let tags = [("ScheduleName", stack.tag.as_str())];
    auto_scaling_group(&direct, &web, &tags, (1, 2, 4), "eu-west-3a").await;
    let via_proxy = sdk_in(&stack.proxy.endpoint(), REGION).await;
    stack.worker.services.fleets = Arc::new(AwsFleets::new(&via_proxy, TagKeys::default()));
    let now = || auto_scaling_group_now(&direct, &web, CAPACITY_TAG);
    let saved = || async {
        let data = stack.worker.services.timeline.load("dev").await.unwrap();
        data.state.state.capacities.get(&web).copied()
    };
    let size = Capacity {
        min: 1,
        desired: 2,
        max: 4,
    };

    stack.proxy.fail_query(
        "UpdateAutoScalingGroup",
        400,
        "ScalingActivityInProgress",
        1,
    );
    stack.tick(kst(7, 19, 0)).await;
    assert_eq!(
        now().await,
        ((1, 2, 4), Some("1,2,4".to_owned())),
        "crashed"
    );
    assert_eq!(saved().await, Some(size));

    stack.tick(kst(7, 19, 1)).await;
    assert_eq!(now().await, ((0, 0, 4), Some("1,2,4".to_owned())));
    assert_eq!(saved().await, Some(size), "the same, not the 0 it set");

    aws_sdk_autoscaling::Client::new(&direct)
        .delete_tags()
        .tags(
            aws_sdk_autoscaling::types::Tag::builder()
                .resource_id(&web)
                .resource_type("auto-scaling-group")
                .key(CAPACITY_TAG)
                .build(),
        )
        .send()
        .await
        .unwrap();
    stack.tick(kst(8, 9, 0)).await;
    assert_eq!(now().await, ((1, 2, 4), None), "restored from the state");
}
