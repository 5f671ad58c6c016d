//! A failed AWS call's class decides the job's verdict (STYLE, Errors):
//! transient (throttling) is retried, permanent (access denied, a corrupt
//! item) goes to the DLQ at once, or for a chat command, is told to the
//! room. The faults are injected by the test proxy in front of moto, which
//! never throttles nor denies.

use super::overrides::{handle_command, WEEKDAYS};
use super::stack::{kst, Stack};
use chrono::{DateTime, Utc};
use curfew_shared::job::scheduled_event;
use curfew_testkit::{demo_fleet, local_aws};
use curfew_worker::handler::{Retry, Verdict};

async fn tick(stack: &Stack, at: DateTime<Utc>) -> Verdict {
    stack
        .worker
        .handle(&scheduled_event(at).to_string(), at)
        .await
}

#[tokio::test]
async fn throttling_is_retried_and_the_retry_succeeds() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    // Every attempt the SDK makes (3, in its standard mode) is throttled.
    stack
        .proxy
        .fail_json("Query", 400, "ProvisionedThroughputExceededException", 3);
    let verdict = tick(&stack, kst(9, 8, 0)).await;
    let Verdict::Retry(Retry::Transient(reason)) = &verdict else {
        panic!("throttling must be retried: {verdict:?}");
    };
    assert!(
        reason.contains("transient") && reason.contains("ProvisionedThroughputExceededException"),
        "{reason}"
    );
    assert_eq!(tick(&stack, kst(9, 8, 0)).await, Verdict::Done, "the retry");
}

#[tokio::test]
async fn access_denied_sends_a_tick_to_the_dlq_at_once() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    demo_fleet(&stack.sdk, &stack.tag, true).await;
    stack
        .proxy
        .fail_ec2("DescribeInstances", 403, "UnauthorizedOperation", 1);
    let verdict = tick(&stack, kst(9, 9, 0)).await;
    let Verdict::Poison(reason) = &verdict else {
        panic!("access denied must not be retried: {verdict:?}");
    };
    assert!(
        reason.contains("permanent") && reason.contains("UnauthorizedOperation"),
        "{reason}"
    );
    // Its claim was released: replayed from the DLQ once mended, it runs.
    assert_eq!(tick(&stack, kst(9, 9, 0)).await, Verdict::Done);
}

#[tokio::test]
async fn access_denied_on_a_command_is_told_to_the_room() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    stack
        .proxy
        .fail_ec2("DescribeInstances", 403, "UnauthorizedOperation", 1);
    let verdict = handle_command(&stack, "/서버 dev status", kst(9, 10, 0)).await;
    assert_eq!(verdict, Verdict::Done, "nothing to retry");
    let reply = stack.notices_after(1).await.join("\n");
    assert!(
        reply.starts_with("Failed:") && reply.contains("UnauthorizedOperation"),
        "{reply}"
    );
}

#[tokio::test]
async fn a_corrupt_item_is_permanent() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, WEEKDAYS).await;
    let s = |v: &str| aws_sdk_dynamodb::types::AttributeValue::S(v.to_owned());
    aws_sdk_dynamodb::Client::new(&stack.sdk)
        .put_item()
        .table_name(&stack.tag)
        .item("pk", s("TIMELINE"))
        .item("sk", s("dev#STATE"))
        .item("version", s("not a number"))
        .send()
        .await
        .unwrap();
    let verdict = tick(&stack, kst(9, 9, 0)).await;
    let Verdict::Poison(reason) = &verdict else {
        panic!("a corrupt item fails every time: {verdict:?}");
    };
    assert!(reason.contains("cannot be read"), "{reason}");
}
