//! `curfew` as built, started as Lambda starts it (`bootstrap`, no
//! arguments, Lambda's environment and the template's variables) against a
//! Runtime API stand-in (testkit: cargo-lambda's emulator builds the
//! function itself and cannot run the binary cargo test built). One SQS
//! event with the messages as the queue gave them: a chat job held by
//! another worker and one behind it in its group, a tick, a poison message
//! and another group's command. Answered with `batchItemFailures` exactly
//! as SPEC §1/§7 say; the failed messages visible again within seconds, not
//! the queue's 360 s; a second event in the same warm process; and a
//! missing variable told to Lambda as the init error.

use super::stack::{now_text, Stack, TOKEN};
use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};
use curfew_shared::command::parse;
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::{scheduled_event, CommandJob, Job};
use curfew_testkit::jandi_payload;
use curfew_testkit::{local_aws, Invocation, RuntimeApi, WebhookSink};
use curfew_worker::limits::LEASE;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);
const POISON: &str = "{\"v\":9,\"kind\":\"command\"}";

fn job(text: &str) -> Job {
    let body = jandi_payload(TOKEN, text, &now_text()).to_string();
    Job::Command(CommandJob::new(
        &OutgoingWebhook::from_json(body.as_bytes()).unwrap(),
        parse(text).unwrap(),
        chrono::Utc::now(),
    ))
}

/// The worker function with the template's variables (infra/template.yaml,
/// WorkerFunction), the empty parameters as the template's defaults but
/// one: replies to the room `dev-ops` go to the stack's sink, and the
/// tick's notices (a tick at the real now may meet 09:00 or 19:00) to a
/// sink of their own, so the test counts replies alone at any hour.
async fn start(
    stack: &Stack,
    endpoint: &str,
    test: &str,
    queue: Option<&str>,
) -> (RuntimeApi, Child) {
    let api = RuntimeApi::start().await.unwrap();
    // Serves on after its handle is dropped (its task owns the listener).
    let notices = WebhookSink::start().await.unwrap();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("worker-{test}-{}", std::process::id()));
    let mut command = api
        .bootstrap(env!("CARGO_BIN_EXE_curfew").as_ref(), &root)
        .unwrap();
    command
        .env("CURFEW_TABLE", &stack.worker.config.table)
        .env("CURFEW_DLQ_URL", dlq(stack))
        .env("CURFEW_JANDI_WEBHOOK_URL", &notices.url)
        .env(
            "CURFEW_JANDI_ROOM_WEBHOOKS",
            json!({ "dev-ops": stack.sink.url }).to_string(),
        )
        .env("CURFEW_LANG", "en")
        .env("CURFEW_DEFAULT_TZ", "Asia/Seoul")
        .env("CURFEW_TAG_KEY", "ScheduleName")
        .env("CURFEW_GROUP_TAG_KEY", "ScheduleGroupName")
        .env("CURFEW_ADMINS", "")
        .env("CURFEW_TICK_MAX_AGE", "600")
        .env("CURFEW_CLAIM_LEASE", "90")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .stdout(Stdio::null());
    if let Some(queue) = queue {
        command.env("CURFEW_QUEUE_URL", queue);
    }
    (api, command.spawn().unwrap())
}

fn dlq(stack: &Stack) -> String {
    stack.poller.queue_url.replace(".fifo", "-dlq.fifo")
}

async fn send(stack: &Stack, group: &str, body: &str) -> String {
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&stack.poller.queue_url)
        .message_group_id(group)
        .message_body(body)
        .send()
        .await
        .unwrap()
        .message_id
        .unwrap()
}

async fn receive(stack: &Stack, url: &str, wait: i32) -> Vec<Message> {
    stack
        .poller
        .sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .wait_time_seconds(wait)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap_or_default()
}

async fn delete(stack: &Stack, message: &Message) {
    stack
        .poller
        .sqs
        .delete_message()
        .queue_url(&stack.poller.queue_url)
        .receipt_handle(message.receipt_handle().unwrap())
        .send()
        .await
        .unwrap();
}

/// The SQS event Lambda's poller makes of received messages (AWS's
/// documented shape for a FIFO queue).
fn sqs_event(messages: &[Message]) -> Value {
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            let attributes: serde_json::Map<String, Value> = m
                .attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.as_str().to_owned(), json!(v)))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "messageId": m.message_id(),
                "receiptHandle": m.receipt_handle(),
                "body": m.body(),
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": m.md5_of_body(),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:ap-northeast-2:123456789012:curfew.fifo",
                "awsRegion": "ap-northeast-2"
            })
        })
        .collect();
    json!({ "Records": records })
}

async fn failures(api: &RuntimeApi, event: Value) -> Value {
    match api.invoke(event, WAIT).await {
        Some(Invocation::Response(response)) => response,
        other => panic!("no response: {other:?}"),
    }
}

#[tokio::test]
async fn an_sqs_event_is_answered_with_exactly_the_failed_messages_and_warm_again() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let held = job("/서버 dev status");
    // Another worker holds this job's claim: it cannot run now.
    let claims = &stack.worker.services.claims;
    claims
        .claim(&held.idempotency_key(), chrono::Utc::now(), LEASE, LEASE)
        .await
        .unwrap();
    let ids = [
        send(&stack, "dev", &held.encode()).await,
        send(
            &stack,
            "tick",
            &scheduled_event(chrono::Utc::now()).to_string(),
        )
        .await,
        send(&stack, "_", POISON).await,
        send(&stack, "staging", &job("/서버 staging status").encode()).await,
        send(&stack, "dev", &job("/서버 dev info").encode()).await,
    ];
    let mut received = receive(&stack, &stack.poller.queue_url, 0).await;
    received.extend(receive(&stack, &stack.poller.queue_url, 0).await);
    assert_eq!(received.len(), 5, "the whole batch, as Lambda would get it");

    let (api, mut function) =
        start(&stack, &endpoint, "batch", Some(&stack.poller.queue_url)).await;
    let response = failures(&api, sqs_event(&received)).await;
    assert_eq!(
        response,
        json!({"batchItemFailures": [
            {"itemIdentifier": ids[0]},
            {"itemIdentifier": ids[4]},
        ]}),
        "dev's first is held elsewhere and its second waits behind it; the tick, \
         staging and the poison message (moved to the DLQ) are done"
    );
    // Lambda deletes what was not reported failed.
    let failed = [ids[0].as_str(), ids[4].as_str()];
    for message in &received {
        if !failed.contains(&message.message_id().unwrap()) {
            delete(&stack, message).await;
        }
    }
    let replies = stack.sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(replies.len(), 1, "staging answered: {replies:#?}");
    let dead = receive(&stack, &dlq(&stack), 0).await;
    assert_eq!(
        dead.iter().map(|m| m.body().unwrap()).collect::<Vec<_>>(),
        [POISON]
    );

    // The failed two come back within seconds (the worker shortens their
    // visibility), not after the queue's 360 s. (Their order is not
    // checked: moto hands back two in-flight messages of a FIFO group that
    // become visible together in either order; SQS keeps the group's.)
    let started = std::time::Instant::now();
    let mut back = Vec::new();
    while back.len() < 2 && started.elapsed() < Duration::from_secs(20) {
        for message in receive(&stack, &stack.poller.queue_url, 5).await {
            back.push(message.message_id().unwrap().to_owned());
            // Taken, as a worker would: the group's next one may come.
            delete(&stack, &message).await;
        }
    }
    back.sort();
    let mut expected = failed.to_vec();
    expected.sort_unstable();
    assert_eq!(back, expected);
    assert!(started.elapsed() < Duration::from_secs(20));

    // Warm: the same process takes the next event.
    send(&stack, "staging", &job("/서버 staging info").encode()).await;
    let next = receive(&stack, &stack.poller.queue_url, 5).await;
    let response = failures(&api, sqs_event(&next)).await;
    assert_eq!(response, json!({"batchItemFailures": []}));
    assert_eq!(
        stack.sink.wait_for(2, Duration::from_secs(5)).await.len(),
        2
    );
    assert!(
        function.try_wait().unwrap().is_none(),
        "one process, still up"
    );
    assert_eq!(
        api.wait_for_polls(3, WAIT).await,
        3,
        "two events and the poll for the third"
    );
    assert_eq!(api.unknown(), Vec::<String>::new());
    function.kill().unwrap();
}

#[tokio::test]
async fn without_its_queue_the_worker_tells_lambda_at_init() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let (api, mut function) = start(&stack, &endpoint, "init", None).await;
    let (error_type, body) = api.init_error(WAIT).await.expect("an init error");
    assert_eq!(error_type, "Runtime.InitError");
    assert_eq!(body["errorType"], "Curfew.ConfigError");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(message.contains("CURFEW_QUEUE_URL"), "{message}");
    let status = tokio::task::spawn_blocking(move || function.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(!status.success(), "the process ends: {status}");
    assert_eq!(api.polls(), 0, "it never asked for an event");
}
