//! The edges of delivery: both payload shapes, a wrong token, and the same
//! message delivered twice.

use super::stack::{now_text, Stack, TOKEN};
use curfew_ingress::handler::Outcome;
use curfew_shared::job::Job;
use curfew_testkit::jandi_payload;
use curfew_testkit::{ec2_states, local_aws, rds_status};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn both_payload_shapes_are_answered() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let flat = jandi_payload(TOKEN, "/서버 dev status", &now_text());
    let object = json!({
        "token": TOKEN,
        "roomName": "dev-ops",
        "writer": {"id": 12345, "name": "Kim", "email": "kim@example.com"},
        "text": "/서버 staging status",
        "createdAt": now_text(),
    });
    for body in [flat, object] {
        let answer = stack.post_body(body).await;
        assert_eq!((answer.status, answer.outcome), (200, Outcome::Queued));
    }
    stack.drain().await;
    let replies = stack.sink.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(replies.len(), 2, "{replies:#?}");
}

#[tokio::test]
async fn a_wrong_token_gets_401_and_nothing_is_queued() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    for body in [
        jandi_payload("not-the-token", "/서버 dev force_start", &now_text()),
        json!({"text": "/서버 dev force_start"}),
    ] {
        let answer = stack.post_body(body).await;
        assert_eq!(
            (answer.status, answer.outcome),
            (401, Outcome::Unauthorized)
        );
        assert!(answer.body.is_none(), "no detail for a stranger");
    }
    assert_eq!(
        stack.poller.poll_once(&stack.worker).await.unwrap(),
        0,
        "nothing queued"
    );
    assert!(stack.sink.messages().is_empty());
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["stopped", "stopped"]
    );
}

#[tokio::test]
async fn the_same_payload_delivered_twice_acts_once_and_replies_once() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let body = jandi_payload(TOKEN, "/서버 dev force_start", &now_text());
    // JANDI retries: the ingress enqueues both, SQS deduplicates on the key.
    for _ in 0..2 {
        assert_eq!(stack.post_body(body.clone()).await.outcome, Outcome::Queued);
    }
    // And past SQS's deduplication (e.g. after its 5-minute window): the same
    // job twice on the queue; the worker's claim keeps it to one effect.
    let job = curfew_shared::job::CommandJob::new(
        &curfew_shared::jandi::OutgoingWebhook::from_json(body.to_string().as_bytes()).unwrap(),
        curfew_shared::command::parse("/서버 dev force_start").unwrap(),
        chrono::Utc::now(),
    );
    let job = Job::Command(job);
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&stack.poller.queue_url)
        .message_body(job.encode())
        .message_group_id(job.message_group())
        .message_deduplication_id("another-delivery")
        .send()
        .await
        .unwrap();
    stack.drain().await;
    let replies = stack.sink.wait_for(2, Duration::from_millis(500)).await;
    assert_eq!(replies.len(), 1, "one reply: {replies:#?}");
    assert_eq!(rds_status(&stack.sdk, &stack.fleet.db).await, "available");
    let history = stack.say("/서버 dev history").await;
    assert_eq!(
        history.matches("force_start").count(),
        1,
        "one audit record:\n{history}"
    );
}
