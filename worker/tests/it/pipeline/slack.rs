//! A Slack slash command end to end on the local AWS (SPEC §4.2): signed
//! as Slack signs it, answered at once by the ingress (routed by path as
//! both its front ends route), queued on the real FIFO queue, run by the
//! worker, and its Block Kit reply received at the command's
//! `response_url` by a real HTTP server standing in for Slack.

use super::stack::Stack;
use chrono::Utc;
use curfew_ingress::http::answer;
use curfew_shared::signing::sign;
use curfew_testkit::local_aws;
use std::time::Duration;

const SECRET: &str = "slack-signing-secret";

fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_signed_slash_command_is_answered_at_its_response_url_in_block_kit() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, "en").await;
    // The stand-in is Slack: its URLs are the only ones followed.
    let base = stack
        .sink
        .url
        .split("/connect-api")
        .next()
        .unwrap()
        .to_owned();
    stack.worker.config.slack_response_prefix = format!("{base}/");
    let ingress = curfew_ingress::Config::from_lookup(|name| match name {
        "CURFEW_SLACK_SIGNING_SECRETS" => Some(SECRET.to_owned()),
        "CURFEW_QUEUE_URL" => Some(stack.poller.queue_url.clone()),
        "CURFEW_LANG" => Some("en".to_owned()),
        _ => None,
    })
    .unwrap();

    let body = format!(
        "team_id=T1&channel_id=C0123ABC&channel_name=dev-ops&user_id=U42&user_name=alice&command=%2Fcurfew&text=dev+status&response_url={}",
        encoded(&stack.sink.url)
    );
    let timestamp = Utc::now().timestamp().to_string();
    let signature = sign(SECRET, &timestamp, body.as_bytes());
    let header = |name: &str| match name {
        "x-slack-request-timestamp" => Some(timestamp.as_str()),
        "x-slack-signature" => Some(signature.as_str()),
        _ => None,
    };
    let ack = answer(
        "/slack/commands",
        header,
        body.as_bytes(),
        &ingress,
        &stack.queue,
    )
    .await;
    assert_eq!(ack.status, 200);
    assert_eq!(ack.body.as_ref().unwrap()["response_type"], "ephemeral");

    stack.drain().await;
    let received = stack.sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1, "{received:#?}");
    let reply = &received[0];
    assert_eq!(reply["response_type"], "in_channel", "{reply}");
    assert!(
        reply.get("connectColor").is_none(),
        "Block Kit, not JANDI: {reply}"
    );
    let blocks = reply["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50);
    let text: String = blocks
        .iter()
        .map(|b| b["text"]["text"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    for id in stack.fleet.app.iter().chain([&stack.fleet.db]) {
        assert!(text.contains(id.as_str()), "{id} in the status: {text}");
    }
}
