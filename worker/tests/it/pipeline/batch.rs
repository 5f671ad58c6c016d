//! The Lambda front end's batch rules (SPEC §1, §7): a message that fails
//! holds back the rest of its group but not other groups, and a poison
//! message goes to the DLQ at once instead of failing its batch five times.

use super::stack::{now_text, Stack};
use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use curfew_shared::command::parse;
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::{CommandJob, Job};
use curfew_testkit::jandi_payload;
use curfew_testkit::local_aws;
use curfew_worker::front::batch::DeadLetters;
use curfew_worker::front::lambda::handle_event;
use curfew_worker::limits::LEASE;

fn record(id: &str, group: &str, body: String) -> SqsMessage {
    let mut message = SqsMessage::default();
    message.message_id = Some(id.to_owned());
    message.body = Some(body);
    message
        .attributes
        .insert("MessageGroupId".to_owned(), group.to_owned());
    message
}

fn job(text: &str) -> Job {
    let body = jandi_payload(super::stack::TOKEN, text, &now_text()).to_string();
    Job::Command(CommandJob::new(
        &OutgoingWebhook::from_json(body.as_bytes()).unwrap(),
        parse(text).unwrap(),
        chrono::Utc::now(),
    ))
}

#[tokio::test]
async fn a_failure_holds_back_its_group_only_and_poison_goes_to_the_dlq() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let held = job("/서버 dev status");
    // Another worker holds this job's claim: it cannot run now.
    stack
        .worker
        .services
        .claims
        .claim(&held.idempotency_key(), chrono::Utc::now(), LEASE, LEASE)
        .await
        .unwrap();
    let mut event = SqsEvent::default();
    event.records = vec![
        record("1", "dev", held.encode()),
        record("2", "dev", job("/서버 dev info").encode()),
        record("3", "staging", job("/서버 staging status").encode()),
        record("4", "_", "{\"v\":9,\"kind\":\"command\"}".to_owned()),
    ];
    let dlq_url = stack.poller.queue_url.replace(".fifo", "-dlq.fifo");
    let dead_letters = DeadLetters {
        sqs: stack.poller.sqs.clone(),
        url: dlq_url.clone(),
    };
    let response = handle_event(&stack.worker, Some(&dead_letters), None, event)
        .await
        .unwrap();
    let failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(
        failed,
        ["1", "2"],
        "dev's second message waits behind its first"
    );
    let replies = stack
        .sink
        .wait_for(1, std::time::Duration::from_secs(5))
        .await;
    assert_eq!(replies.len(), 1, "staging ran: {replies:#?}");
    let moved = stack
        .poller
        .sqs
        .receive_message()
        .queue_url(&dlq_url)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap_or_default();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].body(), Some("{\"v\":9,\"kind\":\"command\"}"));
}
