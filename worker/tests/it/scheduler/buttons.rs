//! The stop warning's buttons end to end on the local AWS (SPEC §4.2):
//! the 18:50 tick posts the warning with three buttons to the channel's
//! incoming webhook (a real HTTP server standing in for Slack); a click on
//! *Keep running 1h*, signed as Slack signs it, passes the ingress onto
//! the real FIFO queue, and the worker takes it from there at the click's
//! simulated instant. The servers stay up past 19:00 and stop at 19:50,
//! when the hour hands back to the schedule (SPEC §6); a double click acts
//! once; a click from a channel outside the schedule's `rooms`, or after
//! the stop it was for, changes nothing and says why.

use super::stack::{kst, Stack};
use chrono::{DateTime, Utc};
use curfew_aws::SqsQueue;
use curfew_ingress::slack::{action, Signed};
use curfew_shared::signing::sign;
use curfew_testkit::{any_image, ec2_instance, ec2_states, local_aws, WebhookSink};
use curfew_worker::cli::setup::create_queues;
use curfew_worker::handler::Verdict;
use serde_json::{json, Value};
use std::time::Duration;

const SECRET: &str = "slack-signing-secret";

const SCHEDULE: &str = r##"
[[schedule]]
name = "dev"
tag = "{tag}"
timezone = "Asia/Seoul"
notify_channel = "#dev"
rooms = ["#dev"]
stop_warning_minutes = 10
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"##;

/// The ingress and the queue it writes to; what the worker reads back.
struct Front {
    ingress: curfew_ingress::Config,
    queue: SqsQueue,
    sqs: aws_sdk_sqs::Client,
    url: String,
}

impl Front {
    async fn start(stack: &Stack) -> Self {
        let sqs = aws_sdk_sqs::Client::new(&stack.sdk);
        let (url, _dlq) = create_queues(&sqs, &stack.tag).await.unwrap();
        let ingress = curfew_ingress::Config::from_lookup(|name| match name {
            "CURFEW_SLACK_SIGNING_SECRETS" => Some(SECRET.to_owned()),
            "CURFEW_QUEUE_URL" => Some(url.clone()),
            "CURFEW_LANG" => Some("en".to_owned()),
            _ => None,
        })
        .unwrap();
        Self {
            ingress,
            queue: SqsQueue::new(sqs.clone(), url.clone()),
            sqs,
            url,
        }
    }

    /// `button` of `warning` clicked at `at` by `user` in `channel` (id,
    /// name): the signed `block_actions` request Slack would send. Returns
    /// the ingress's status.
    async fn click(
        &self,
        warning: &Value,
        button: usize,
        (user, channel_id, channel): (&str, &str, &str),
        response_url: &str,
        at: DateTime<Utc>,
    ) -> u16 {
        let pressed = &buttons(warning)[button];
        let payload = json!({
            "type": "block_actions",
            "user": {"id": format!("U-{user}"), "username": user},
            "channel": {"id": channel_id, "name": channel},
            "container": {"type": "message", "message_ts": "1796648400.000100"},
            "response_url": response_url,
            "actions": [{
                "type": "button",
                "action_id": pressed["action_id"],
                "value": pressed["value"],
                "action_ts": format!("{}.0", at.timestamp()),
            }],
        });
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
        let timestamp = at.timestamp().to_string();
        let signature = sign(SECRET, &timestamp, body.as_bytes());
        let signed = Signed {
            timestamp: Some(&timestamp),
            signature: Some(&signature),
        };
        action(body.as_bytes(), signed, at, &self.ingress, &self.queue)
            .await
            .status
    }

    /// Every job on the queue, handled by the worker at `at` (the clicks'
    /// simulated instant) and deleted.
    async fn drain(&self, stack: &Stack, at: DateTime<Utc>) -> usize {
        let mut handled = 0;
        loop {
            let received = self
                .sqs
                .receive_message()
                .queue_url(&self.url)
                .max_number_of_messages(10)
                .send()
                .await
                .unwrap();
            let messages = received.messages.unwrap_or_default();
            if messages.is_empty() {
                return handled;
            }
            for message in messages {
                let verdict = stack.worker.handle(message.body().unwrap(), at).await;
                assert_eq!(verdict, Verdict::Done);
                self.sqs
                    .delete_message()
                    .queue_url(&self.url)
                    .receipt_handle(message.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
                handled += 1;
            }
        }
    }
}

fn buttons(warning: &Value) -> Vec<Value> {
    warning["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .map(|b| b["elements"].as_array().unwrap().clone())
        .unwrap_or_default()
}

fn text(message: &Value) -> String {
    serde_json::to_string(&message["blocks"]).unwrap()
}

#[tokio::test]
async fn keep_running_1h_clicked_under_the_warning_keeps_the_servers_up_for_an_hour() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, SCHEDULE).await;
    // Two stand-ins for Slack: the channel's incoming webhook, and the
    // clicks' response_url (followed: it is under the prefix).
    let channel = WebhookSink::start().await.unwrap();
    let responses = WebhookSink::start().await.unwrap();
    let prefix = responses.url.split("/connect-api").next().unwrap();
    stack.worker = Stack::worker_with(
        &stack.proxy,
        &stack.tag,
        &stack.sink,
        &[
            (
                "CURFEW_SLACK_ROOM_WEBHOOKS",
                json!({ "dev": channel.url }).to_string(),
            ),
            ("CURFEW_SLACK_RESPONSE_PREFIX", format!("{prefix}/")),
        ],
    )
    .await;
    let front = Front::start(&stack).await;
    let image = any_image(&stack.sdk).await;
    let ids = vec![ec2_instance(&stack.sdk, &image, &stack.tag, "web-1", None)
        .await
        .unwrap()];

    stack.tick(kst(7, 18, 50)).await;
    let warning = channel.wait_for(1, Duration::from_secs(3)).await;
    assert_eq!(warning.len(), 1, "{warning:#?}");
    let warning = warning[0].clone();
    assert_eq!(buttons(&warning).len(), 3, "{warning}");

    // alice clicks Keep running 1h twice; bob clicks Stop now in #random.
    let alice = ("alice", "C0DEV", "dev");
    let clicked = kst(7, 18, 50);
    assert_eq!(
        front
            .click(&warning, 0, alice, &responses.url, clicked)
            .await,
        200
    );
    assert_eq!(
        front
            .click(&warning, 0, alice, &responses.url, clicked)
            .await,
        200
    );
    let bob = ("bob", "C0RANDOM", "random");
    assert_eq!(
        front.click(&warning, 2, bob, &responses.url, clicked).await,
        200
    );
    front.drain(&stack, clicked).await;

    let answers = responses.wait_for(2, Duration::from_secs(3)).await;
    assert_eq!(
        answers.len(),
        2,
        "one for alice (once), one for bob: {answers:#?}"
    );
    let kept = answers
        .iter()
        .find(|a| a["replace_original"] == true)
        .unwrap_or_else(|| panic!("alice's answer replaces the warning: {answers:#?}"));
    assert_eq!(kept["response_type"], "in_channel");
    assert!(text(kept).contains("19:50"), "{kept}");
    assert!(text(kept).contains("@alice"), "{kept}");
    let refused = answers
        .iter()
        .find(|a| a["response_type"] == "ephemeral")
        .unwrap_or_else(|| panic!("bob hears why, alone: {answers:#?}"));
    assert!(refused.get("replace_original").is_none(), "{refused}");
    assert!(text(refused).contains("rooms"), "names the rule: {refused}");

    // 19:00: the schedule's stop, but the hour holds.
    stack.tick(kst(7, 19, 0)).await;
    stack.tick(kst(7, 19, 49)).await;
    assert_eq!(ec2_states(&stack.sdk, &ids).await, ["running"]);
    // 19:50: the hour is over and hands back to the schedule.
    stack.tick(kst(7, 19, 50)).await;
    let state = &ec2_states(&stack.sdk, &ids).await[0];
    assert!(state == "stopping" || state == "stopped", "{state}");

    // A click on the 18:50 warning after its stop: said, nothing done.
    let late = kst(7, 19, 55);
    assert_eq!(
        front.click(&warning, 1, alice, &responses.url, late).await,
        200
    );
    front.drain(&stack, late).await;
    let answers = responses.wait_for(3, Duration::from_secs(3)).await;
    assert_eq!(answers.len(), 3, "{answers:#?}");
    assert_eq!(answers[2]["response_type"], "ephemeral", "{}", answers[2]);
    assert!(text(&answers[2]).contains("19:00"), "{}", answers[2]);
    stack.tick(kst(7, 19, 56)).await;
    let state = &ec2_states(&stack.sdk, &ids).await[0];
    assert!(state == "stopping" || state == "stopped", "{state}");
}
