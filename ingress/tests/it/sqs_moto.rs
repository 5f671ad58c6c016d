//! The ingress against a real local SQS (moto server, started by scripts/test):
//! a command becomes exactly one FIFO message in its schedule's group.

use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use chrono::Utc;
use curfew_aws::SqsQueue;
use curfew_ingress::handler::Outcome;
use curfew_ingress::{handle, Config};
use curfew_shared::job::Job;
use serde_json::json;

use curfew_testkit::{local_aws, sdk_at};

async fn sqs_at(endpoint: &str) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&sdk_at(endpoint).await)
}

async fn local_sqs() -> Option<aws_sdk_sqs::Client> {
    Some(sqs_at(&local_aws()?).await)
}

async fn fifo_queue(client: &aws_sdk_sqs::Client, name: &str) -> String {
    let name = format!("{name}-{}.fifo", std::process::id());
    client
        .create_queue()
        .queue_name(name)
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap()
}

fn config(queue_url: &str) -> Config {
    let vars = [
        ("CURFEW_JANDI_TOKENS", "tok"),
        ("CURFEW_QUEUE_URL", queue_url),
        ("CURFEW_REPLAY_WINDOW", "0"),
    ];
    Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap()
}

fn body(text: &str) -> Vec<u8> {
    json!({"token": "tok", "text": text, "roomName": "dev-ops", "writerName": "kim",
           "createdAt": "2026-12-04T13:00:00.000Z"})
    .to_string()
    .into_bytes()
}

#[tokio::test]
async fn a_command_becomes_one_fifo_message_and_a_retry_is_deduplicated() {
    let Some(client) = local_sqs().await else {
        return;
    };
    let url = fifo_queue(&client, "ingress-one").await;
    let queue = SqsQueue::new(client.clone(), url.clone());
    let config = config(&url);
    for _ in 0..2 {
        let answer = handle(&body("/서버 dev force_stop"), Utc::now(), &config, &queue).await;
        assert_eq!(answer.outcome, Outcome::Queued);
    }
    let answer = handle(&body("/서버 dev foo"), Utc::now(), &config, &queue).await;
    assert_eq!(answer.outcome, Outcome::AnsweredHere);

    let received = client
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
        .send()
        .await
        .unwrap();
    let messages = received.messages.unwrap_or_default();
    assert_eq!(
        messages.len(),
        1,
        "the retry is deduplicated and the syntax error never queued"
    );
    let message = &messages[0];
    let group =
        message.attributes.as_ref().unwrap()[&MessageSystemAttributeName::MessageGroupId].clone();
    assert_eq!(group, "dev");
    let job = Job::decode(message.body.as_deref().unwrap()).unwrap();
    let Job::Command(job) = job else {
        panic!("not a command job")
    };
    assert_eq!(job.command.to_string(), "dev force_stop");
    assert_eq!(job.room.as_deref(), Some("dev-ops"));
}

#[tokio::test]
async fn a_missing_queue_is_told_to_the_writer() {
    let Some(client) = local_sqs().await else {
        return;
    };
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap();
    let url = format!("{endpoint}/123456789012/no-such-queue.fifo");
    let queue = SqsQueue::new(client, url.clone());
    let answer = handle(&body("/서버 dev status"), Utc::now(), &config(&url), &queue).await;
    assert_eq!((answer.status, answer.outcome), (200, Outcome::QueueFailed));
}

#[tokio::test]
async fn the_ingress_calls_nothing_but_send_message() {
    let Some(endpoint) = local_aws() else { return };
    let setup = sqs_at(&endpoint).await;
    let url = fifo_queue(&setup, "ingress-calls").await;
    let upstream = endpoint.trim_start_matches("http://").parse().unwrap();
    let proxy = curfew_testkit::CountingProxy::start(upstream)
        .await
        .unwrap();
    let queue = SqsQueue::new(sqs_at(&proxy.endpoint()).await, url.clone());
    let config = config(&url);
    let texts = [
        "/서버 dev status",
        "/서버 list",
        "/서버 help",
        "/서버 dev foo",
        "/서버 dev e s 2026-12-24 stop 15:00",
    ];
    for text in texts {
        handle(&body(text), Utc::now(), &config, &queue).await;
    }
    let calls = proxy.calls();
    let operations: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| (c.service.as_str(), c.operation.as_str()))
        .collect();
    assert_eq!(
        operations,
        [("sqs", "SendMessage"); 3],
        "help and the syntax error make no call"
    );
}
