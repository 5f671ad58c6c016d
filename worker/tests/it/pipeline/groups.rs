//! `force_start` on a schedule with `app after db`: the database first, the
//! app servers only once it is `available`, moved on by the next tick.

use super::stack::Stack;
use chrono::Utc;
use curfew_shared::job::{scheduled_event, tick_key};
use curfew_testkit::{ec2_states, local_aws, rds_status};

#[tokio::test]
async fn force_start_starts_the_database_first_and_the_app_after_it() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let reply = stack.say("/서버 dev force_start for 1h").await;
    assert_eq!(rds_status(&stack.sdk, &stack.fleet.db).await, "available");
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["stopped", "stopped"],
        "app waits for db: {reply}"
    );
    assert!(reply.contains(&format!("{}-db", stack.tag)), "{reply}");
    assert!(reply.contains("app"), "the reply says app waits: {reply}");
    // The next tick finds db up and starts app.
    let at = Utc::now();
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&stack.poller.queue_url)
        .message_body(scheduled_event(at).to_string())
        .message_group_id("tick")
        .message_deduplication_id(tick_key(at))
        .send()
        .await
        .unwrap();
    stack.drain().await;
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["running", "running"]
    );
    let status = stack.say("/서버 dev status").await;
    assert!(status.contains("3 running"), "{status}");
    // force_stop goes the other way: app first, db once app is down.
    stack.say("/서버 dev force_stop").await;
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["stopped", "stopped"]
    );
}
