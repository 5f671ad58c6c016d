//! Exceptions and overrides as the ticks see them.

use super::stack::{kst, Stack};
use chrono::{DateTime, SecondsFormat, Utc};
use curfew_shared::command::parse;
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::{CommandJob, Job};
use curfew_testkit::{demo_fleet, ec2_states, local_aws};
use curfew_worker::handler::Verdict;

pub(super) const WEEKDAYS: &str = r#"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#;

/// A chat command typed at `at`, run by the worker at `at`: its verdict.
pub(super) async fn handle_command(stack: &Stack, text: &str, at: DateTime<Utc>) -> Verdict {
    let payload = serde_json::json!({
        "token": "t", "text": text, "roomName": "dev-ops", "writerName": "kim",
        "createdAt": at.to_rfc3339_opts(SecondsFormat::Millis, true),
    });
    let job = Job::Command(CommandJob::new(
        &OutgoingWebhook::from_json(payload.to_string().as_bytes()).unwrap(),
        parse(text).unwrap(),
        at,
    ));
    stack.worker.handle(&job.encode(), at).await
}

/// The same, which must be done.
pub(super) async fn command(stack: &Stack, text: &str, at: DateTime<Utc>) {
    assert_eq!(
        handle_command(stack, text, at).await,
        Verdict::Done,
        "{text}"
    );
}

#[tokio::test]
async fn an_exception_stop_today_stops_at_its_time() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(7, 9, 0)).await;
    command(
        &stack,
        "/서버 dev exception set today stop 15:00",
        kst(7, 10, 0),
    )
    .await;
    stack.tick(kst(7, 14, 59)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["running", "running"]
    );
    stack.tick(kst(7, 15, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );
    stack.tick(kst(7, 19, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );
}

#[tokio::test]
async fn force_start_for_two_hours_at_22_stops_at_midnight() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let fleet = demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack.tick(kst(7, 21, 59)).await;
    command(&stack, "/서버 dev force_start for 2h", kst(7, 22, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["running", "running"]
    );
    stack.tick(kst(7, 23, 59)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["running", "running"]
    );
    stack.tick(kst(8, 0, 0)).await;
    assert_eq!(
        ec2_states(&stack.sdk, &fleet.app).await,
        ["stopped", "stopped"]
    );
}

#[tokio::test]
async fn plan_from_storage_shows_each_event_with_its_source() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    command(
        &stack,
        "/서버 dev exception set 2026-12-08 stop 15:00",
        kst(7, 10, 0),
    )
    .await;
    command(&stack, "/서버 dev force_start for 2h", kst(7, 22, 0)).await;
    let args = curfew_worker::cli::plan::PlanArgs {
        schedule: "dev".to_owned(),
        file: None,
        from: Some("2026-12-07T20:00:00+09:00".to_owned()),
        days: 2,
        json: false,
    };
    let mut out = Vec::new();
    let services = &stack.worker.services;
    curfew_worker::cli::plan::run_stored(
        &args,
        services.schedules.as_ref(),
        services.timeline.as_ref(),
        chrono_tz::Asia::Seoul,
        &mut out,
    )
    .await
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2026-12-07 Mon 22:00 +09:00  start  override",
            "2026-12-08 Tue 00:00 +09:00  back   override  window ends: the schedule stops it",
            "2026-12-08 Tue 00:00 +09:00  stop   override",
            "2026-12-08 Tue 09:00 +09:00  start  schedule",
            "2026-12-08 Tue 15:00 +09:00  stop   exception",
            "2026-12-09 Wed 09:00 +09:00  start  schedule",
            "2026-12-09 Wed 19:00 +09:00  stop   schedule",
        ],
        "{out}"
    );
}
