//! A working day of a `weekdays 09:00-19:00` schedule, tick by tick.

use super::stack::{kst, Stack};
use curfew_shared::job::scheduled_event;
use curfew_testkit::{any_image, ec2_instance, ec2_states, local_aws, rds_instance, rds_status};
use curfew_worker::handler::Verdict;

const WEEKDAYS: &str = r#"
[[schedule]]
name = "office"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 10
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#;

/// 3 EC2 + 1 RDS tagged for the stack, all stopped. Returns (EC2 ids, DB id).
async fn office_fleet(stack: &Stack) -> (Vec<String>, String) {
    let image = any_image(&stack.sdk).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let name = format!("{}-app-{n}", stack.tag);
        ids.push(
            ec2_instance(&stack.sdk, &image, &stack.tag, &name, None)
                .await
                .unwrap(),
        );
    }
    let ec2 = aws_sdk_ec2::Client::new(&stack.sdk);
    ec2.stop_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .unwrap();
    let db = format!("{}-db", stack.tag);
    assert!(rds_instance(&stack.sdk, &db, &stack.tag, None, true).await);
    (ids, db)
}

#[tokio::test]
async fn a_day_starts_warns_once_and_stops_with_one_notice_each() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let (ec2, db) = office_fleet(&stack).await;
    let all_stopped = ["stopped", "stopped", "stopped"];

    stack.tick(kst(7, 8, 59)).await;
    assert!(stack.notices().is_empty(), "08:59: nothing");
    assert_eq!(ec2_states(&stack.sdk, &ec2).await, all_stopped);

    stack.tick(kst(7, 9, 0)).await;
    let notices = stack.notices_after(1).await;
    assert_eq!(notices.len(), 1, "09:00: one notice: {notices:#?}");
    assert!(notices[0].contains("started 4"), "{}", notices[0]);
    assert!(
        notices[0].contains("ap-northeast-2"),
        "zones are named: {}",
        notices[0]
    );
    assert_eq!(
        ec2_states(&stack.sdk, &ec2).await,
        ["running", "running", "running"]
    );
    assert_eq!(rds_status(&stack.sdk, &db).await, "available");

    stack.proxy.reset();
    stack.tick(kst(7, 9, 1)).await;
    assert!(
        stack.fleet_calls().is_empty(),
        "an idle tick calls no EC2 / RDS: {:?}",
        stack.fleet_calls()
    );
    assert_eq!(stack.notices().len(), 1, "09:01: nothing");

    stack.tick(kst(7, 18, 50)).await;
    let notices = stack.notices_after(2).await;
    assert_eq!(notices.len(), 2, "18:50: one warning: {notices:#?}");
    assert!(
        notices[1].contains("stops at 2026-12-07 (Mon) 19:00"),
        "{}",
        notices[1]
    );
    stack.tick(kst(7, 18, 55)).await;
    assert_eq!(stack.notices().len(), 2, "18:55: no second warning");

    stack.tick(kst(7, 19, 0)).await;
    let notices = stack.notices_after(3).await;
    assert_eq!(notices.len(), 3, "19:00: one notice: {notices:#?}");
    assert!(notices[2].contains("stopped 4"), "{}", notices[2]);
    assert_eq!(ec2_states(&stack.sdk, &ec2).await, all_stopped);
    assert_eq!(rds_status(&stack.sdk, &db).await, "stopped");

    stack.tick(kst(12, 12, 0)).await;
    assert_eq!(stack.notices().len(), 3, "Saturday noon: nothing");
    assert_eq!(ec2_states(&stack.sdk, &ec2).await, all_stopped);
}

#[tokio::test]
async fn a_hand_stopped_instance_stays_stopped_unless_enforced() {
    let Some(endpoint) = local_aws() else { return };
    for enforce in [false, true] {
        let file = WEEKDAYS.replace("stop_warning_minutes = 10", &format!("enforce = {enforce}"));
        let stack = Stack::start(&endpoint, &file).await;
        let (ec2, _) = office_fleet(&stack).await;
        stack.tick(kst(7, 9, 0)).await;
        let one = vec![ec2[0].clone()];
        aws_sdk_ec2::Client::new(&stack.sdk)
            .stop_instances()
            .set_instance_ids(Some(one.clone()))
            .send()
            .await
            .unwrap();
        stack.tick(kst(7, 11, 5)).await;
        let expected = if enforce { "running" } else { "stopped" };
        assert_eq!(
            ec2_states(&stack.sdk, &one).await,
            [expected],
            "enforce = {enforce}"
        );
    }
}

#[tokio::test]
async fn a_tick_delivered_twice_to_two_workers_acts_once() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let (ec2, db) = office_fleet(&stack).await;
    stack.tick(kst(7, 8, 59)).await;
    stack.proxy.reset();
    let second = Stack::worker(&stack.proxy, &stack.tag, &stack.sink).await;
    let at = kst(7, 9, 0);
    let body = scheduled_event(at).to_string();
    let (a, b) = tokio::join!(stack.worker.handle(&body, at), second.handle(&body, at));
    let mut verdicts = [a, b];
    verdicts.sort_by_key(|v| format!("{v:?}"));
    assert_eq!(verdicts[0], Verdict::Done, "{verdicts:?}");
    assert!(
        !verdicts[1].is_finished() || verdicts[1] == Verdict::Duplicate,
        "{verdicts:?}"
    );
    // The loser's redelivery finds the job done.
    assert_eq!(second.handle(&body, at).await, Verdict::Duplicate);
    assert_eq!(stack.proxy.count("StartInstances"), 1);
    assert_eq!(stack.proxy.count("StartDBInstance"), 1);
    assert_eq!(stack.notices_after(1).await.len(), 1);
    assert_eq!(
        ec2_states(&stack.sdk, &ec2).await,
        ["running", "running", "running"]
    );
    assert_eq!(rds_status(&stack.sdk, &db).await, "available");
}

#[tokio::test]
async fn a_missed_tick_loses_nothing() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let (ec2, _) = office_fleet(&stack).await;
    stack.tick(kst(7, 8, 59)).await;
    stack.tick(kst(7, 9, 7)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &ec2).await,
        ["running", "running", "running"]
    );
    let notices = stack.notices_after(1).await;
    assert!(
        notices[0].contains("09:00"),
        "the 09:00 start, applied at 09:07: {}",
        notices[0]
    );
}

#[tokio::test]
async fn a_start_that_does_not_take_is_reported_by_the_verification() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let (ec2, _) = office_fleet(&stack).await;
    stack.tick(kst(7, 9, 0)).await;
    // The instance falls back to stopped (as with a KMS key it may not use).
    aws_sdk_ec2::Client::new(&stack.sdk)
        .stop_instances()
        .instance_ids(&ec2[1])
        .send()
        .await
        .unwrap();
    stack.tick(kst(7, 9, 4)).await;
    assert_eq!(stack.notices().len(), 1, "not yet checked at 09:04");
    stack.tick(kst(7, 9, 5)).await;
    let notices = stack.notices_after(2).await;
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(notices[1].contains("did not come up"), "{}", notices[1]);
    assert!(notices[1].contains(&ec2[1]), "{}", notices[1]);
    assert!(!notices[1].contains(&ec2[0]), "{}", notices[1]);
}

/// SPEC §6 item 6 on the local AWS: `holidays = ["KR"]` and Christmas
/// (Friday 2026-12-25) starts nothing, no call and no notice; an exception
/// on the next public holiday (2027-01-01) makes it a working day.
#[tokio::test]
async fn a_public_holiday_starts_nothing_unless_an_exception_says_so() {
    let Some(endpoint) = local_aws() else { return };
    let file = WEEKDAYS.replace(
        "timezone = \"Asia/Seoul\"\n",
        "timezone = \"Asia/Seoul\"\nholidays = [\"KR\"]\n",
    );
    let stack = Stack::start(
        &endpoint,
        &file.replace("name = \"office\"", "name = \"dev\""),
    )
    .await;
    let (ec2, _db) = office_fleet(&stack).await;
    let all_stopped = ["stopped", "stopped", "stopped"];

    stack.tick(kst(25, 8, 59)).await;
    stack.proxy.reset();
    stack.tick(kst(25, 9, 0)).await;
    stack.tick(kst(25, 9, 1)).await;
    assert_eq!(ec2_states(&stack.sdk, &ec2).await, all_stopped);
    assert!(
        !stack.fleet_calls().iter().any(|c| c.starts_with("Start")),
        "{:?}",
        stack.fleet_calls()
    );
    assert!(stack.notices().is_empty(), "{:?}", stack.notices());

    // 2027-01-01 (Fri) is 신정; an exception starts it at 10:00.
    super::overrides::command(
        &stack,
        "/서버 dev exception set 2027-01-01 start 10:00",
        kst(31, 12, 0),
    )
    .await;
    let new_year = |h, m| {
        use chrono::TimeZone;
        chrono_tz::Asia::Seoul
            .with_ymd_and_hms(2027, 1, 1, h, m, 0)
            .unwrap()
            .to_utc()
    };
    stack.tick(new_year(9, 59)).await;
    assert_eq!(ec2_states(&stack.sdk, &ec2).await, all_stopped);
    stack.tick(new_year(10, 0)).await;
    let states = ec2_states(&stack.sdk, &ec2).await;
    assert!(
        states.iter().all(|s| s == "pending" || s == "running"),
        "{states:?}"
    );
}
