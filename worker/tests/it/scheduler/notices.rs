//! A tick over many schedules that notify one room: their notices arrive
//! folded into a few digest messages (JANDI takes 60 posts a minute per
//! webhook), every line kept; a schedule with its own `notify_room` still
//! gets its notice on its own webhook, as a message of its own.

use super::stack::{kst, text_of, Stack};
use curfew_shared::reply::PER_DIGEST;
use curfew_testkit::{any_image, ec2_instance, ec2_states, local_aws, WebhookSink};
use curfew_worker::handler::Verdict;

const SCHEDULES: usize = 25;

fn schedules_file() -> String {
    (0..SCHEDULES)
        .map(|n| {
            let room = if n == 0 {
                "notify_room = \"ops\"\n"
            } else {
                ""
            };
            format!(
                r#"
[[schedule]]
name = "n{n:02}"
tag = "{{tag}}-{n}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
{room}[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#
            )
        })
        .collect()
}

#[tokio::test]
async fn many_notices_for_one_room_arrive_as_digests_with_every_line() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, &schedules_file()).await;
    let ops = WebhookSink::start().await.unwrap();
    let rooms = serde_json::json!({ "ops": ops.url }).to_string();
    let worker = Stack::worker_with(
        &stack.proxy,
        &stack.tag,
        &stack.sink,
        &[("CURFEW_JANDI_ROOM_WEBHOOKS", rooms)],
    )
    .await;
    let image = any_image(&stack.sdk).await;
    let mut ids = Vec::new();
    for n in 0..SCHEDULES {
        let tag = format!("{}-{n}", stack.tag);
        let name = format!("web-{n:02}");
        ids.push(
            ec2_instance(&stack.sdk, &image, &tag, &name, None)
                .await
                .unwrap(),
        );
    }
    let tick = |at| {
        let worker = &worker;
        async move {
            let event = curfew_shared::job::scheduled_event(at).to_string();
            assert_eq!(worker.handle(&event, at).await, Verdict::Done);
        }
    };

    tick(kst(7, 18, 59)).await;
    assert!(stack.notices().is_empty(), "{:?}", stack.notices());
    tick(kst(7, 19, 0)).await;

    assert!(ec2_states(&stack.sdk, &ids)
        .await
        .iter()
        .all(|s| s == "stopping" || s == "stopped"));
    let digests = stack.sink.messages();
    let others = SCHEDULES - 1;
    assert_eq!(digests.len(), others.div_ceil(PER_DIGEST), "{digests:#?}");
    assert_eq!(
        digests[0]["body"],
        format!("{others} schedule notices from this tick (1/2).")
    );
    let blocks: Vec<String> = digests
        .iter()
        .flat_map(|d| d["connectInfo"].as_array().unwrap().clone())
        .map(|b| {
            format!(
                "{} {}",
                b["title"].as_str().unwrap(),
                b["description"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(blocks.len(), others);
    for (n, block) in (1..SCHEDULES).zip(&blocks) {
        assert!(
            block.starts_with(&format!("n{n:02}: stopped 1 instance(s)")),
            "{block}"
        );
        assert!(
            block.contains(&format!("web-{n:02} ({}", ids[n])),
            "{block}"
        );
    }
    let own = ops.messages();
    assert_eq!(own.len(), 1, "{own:#?}");
    assert!(
        text_of(&own[0]).starts_with("n00: stopped 1 instance(s)"),
        "{}",
        text_of(&own[0])
    );
}

/// SPEC §4.2: a schedule with `notify_channel` only is warned in Slack, as
/// Block Kit on its channel's incoming webhook, and JANDI hears nothing.
#[tokio::test]
async fn a_stop_warning_reaches_the_schedules_slack_channel_in_block_kit() {
    let Some(endpoint) = local_aws() else { return };
    let file = r##"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
notify_channel = "#Dev"
stop_warning_minutes = 10
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"##;
    let stack = Stack::start(&endpoint, file).await;
    let slack = WebhookSink::start().await.unwrap();
    let channels = serde_json::json!({ "dev": slack.url }).to_string();
    let worker = Stack::worker_with(
        &stack.proxy,
        &stack.tag,
        &stack.sink,
        &[("CURFEW_SLACK_ROOM_WEBHOOKS", channels)],
    )
    .await;
    let image = any_image(&stack.sdk).await;
    ec2_instance(&stack.sdk, &image, &stack.tag, "web-1", None)
        .await
        .unwrap();
    let at = kst(7, 18, 50);
    let verdict = worker
        .handle(&curfew_shared::job::scheduled_event(at).to_string(), at)
        .await;
    assert_eq!(verdict, Verdict::Done);
    let received = slack.wait_for(1, std::time::Duration::from_secs(3)).await;
    assert_eq!(received.len(), 1, "{received:#?}");
    let warning = &received[0];
    assert!(
        warning["text"].as_str().unwrap().contains("dev"),
        "{warning}"
    );
    let blocks = serde_json::to_string(&warning["blocks"]).unwrap();
    assert!(blocks.contains("web-1"), "{blocks}");
    // Its three buttons (SPEC §4.2), each carrying the command it offers.
    let buttons = warning["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .map(|b| b["elements"].as_array().unwrap().clone())
        .unwrap_or_default();
    let labels: Vec<&str> = buttons
        .iter()
        .map(|b| b["text"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["Keep running 1h", "Keep running until 21:00", "Stop now"]
    );
    assert!(buttons[2]["value"]
        .as_str()
        .unwrap()
        .contains("dev force_stop"));
    assert!(
        warning.get("connectColor").is_none(),
        "Block Kit, not JANDI"
    );
    assert!(
        stack.sink.messages().is_empty(),
        "notify_channel only: JANDI hears nothing"
    );
}
