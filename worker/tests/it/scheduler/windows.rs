//! Override windows that hand back to the schedule (SPEC §6.3), and a
//! schedule that runs all the time (SPEC §6.5), tick by tick on moto.
//! 2026-12-09 is a Wednesday; `dev` runs weekdays 09:00-19:00 (Seoul).

use super::overrides::{command, WEEKDAYS};
use super::stack::{kst, Stack};
use curfew_testkit::{demo_fleet, ec2_states, local_aws};

const UP: [&str; 2] = ["running", "running"];
const DOWN: [&str; 2] = ["stopped", "stopped"];

#[tokio::test]
async fn force_start_for_2h_at_0812_keeps_the_servers_up_through_the_working_day() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(9, 8, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
    command(&stack, "/서버 dev force_start for 2h", kst(9, 8, 12)).await;
    let reply = stack.notices_after(1).await.join("\n");
    assert!(
        reply.contains("Hands back to the schedule at 2026-12-09 (Wed) 10:12: stays up until 2026-12-09 (Wed) 19:00."),
        "{reply}"
    );
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, UP);
    for (hour, minute) in [(9, 0), (10, 11), (10, 12), (10, 13), (10, 30), (18, 59)] {
        stack.tick(kst(9, hour, minute)).await;
        assert_eq!(
            ec2_states(&stack.sdk, &fleet.app).await,
            UP,
            "at {hour:02}:{minute:02}"
        );
    }
    stack.tick(kst(9, 19, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
}

#[tokio::test]
async fn force_start_for_2h_at_1830_stops_at_2030() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(9, 18, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, UP);
    command(&stack, "/서버 dev force_start for 2h", kst(9, 18, 30)).await;
    for (hour, minute) in [(19, 0), (20, 29)] {
        stack.tick(kst(9, hour, minute)).await;
        assert_eq!(
            ec2_states(&stack.sdk, &fleet.app).await,
            UP,
            "at {hour:02}:{minute:02}"
        );
    }
    stack.tick(kst(9, 20, 30)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
}

#[tokio::test]
async fn force_stop_for_1h_at_noon_starts_them_again_at_1300() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(9, 9, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, UP);
    command(&stack, "/서버 dev force_stop for 1h", kst(9, 12, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
    stack.tick(kst(9, 12, 59)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
    stack.tick(kst(9, 13, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, UP);
}

#[tokio::test]
async fn until_a_past_instant_is_refused_with_the_usage_line_and_changes_nothing() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(9, 8, 0)).await;
    command(
        &stack,
        "/서버 dev force_start until 2026-12-08 09:00",
        kst(9, 8, 12),
    )
    .await;
    let reply = stack.notices_after(1).await.join("\n");
    assert!(reply.contains("that moment has already passed"), "{reply}");
    assert!(
        reply.contains("force_start [for DURATION | until [DATE] TIME]"),
        "{reply}"
    );
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, DOWN);
    let data = stack.worker.services.timeline.load("dev").await.unwrap();
    assert!(data.overrides.is_empty(), "nothing written: {data:?}");
}

const ALWAYS: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "all"
"#;

#[tokio::test]
async fn a_new_schedule_that_runs_all_the_time_starts_its_servers_once() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, ALWAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(9, 3, 0)).await;
    assert_eq!(ec2_states(&stack.sdk, &fleet.app).await, UP);
    // A person stops one: curfew does not fight them (no `enforce`).
    let first = fleet.app.first().cloned().unwrap();
    aws_sdk_ec2::Client::new(&stack.sdk)
        .stop_instances()
        .instance_ids(&first)
        .send()
        .await
        .unwrap();
    stack.proxy.reset();
    stack.tick(kst(9, 3, 1)).await;
    stack.tick(kst(10, 3, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "running"]
    );
    let acting: Vec<String> = stack
        .fleet_calls()
        .into_iter()
        .filter(|op| op.starts_with("Start") || op.starts_with("Stop"))
        .collect();
    assert!(acting.is_empty(), "{acting:?}");
}
