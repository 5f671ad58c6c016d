//! The fault suite (issue 5): each test counts what it did and prints the
//! counts (scripts/test runs these with `--nocapture`). Every test's name
//! starts with `faults_`.

use super::stack::{now_text, Stack, TOKEN};
use curfew_ingress::handler::Outcome;
use curfew_shared::command::parse;
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::job::{CommandJob, Job};
use curfew_testkit::jandi_payload;
use curfew_testkit::local_aws;
use curfew_testkit::MemoryQueue;
use curfew_worker::adapters::jandi::{Notifier, RetryPolicy};
use curfew_worker::app::App;
use curfew_worker::app::Services;
use curfew_worker::cli::replay::{ReplayArgs, Replayed, Replayer};
use curfew_worker::front::batch::DeadLetters;
use curfew_worker::front::poll::Poller;
use std::collections::BTreeMap;
use std::time::Duration;

/// Retries as in production, only faster (the test's JANDI answers at once).
fn quick_retries() -> Notifier {
    Notifier::new(RetryPolicy {
        attempts: 5,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        timeout: Duration::from_secs(2),
        budget: Duration::from_secs(20),
    })
    .unwrap()
}

fn dlq_url(stack: &Stack) -> String {
    stack.poller.queue_url.replace(".fifo", "-dlq.fifo")
}

async fn queue_depth(stack: &Stack, url: &str) -> usize {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let attributes = stack
        .poller
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(A::ApproximateNumberOfMessages)
        .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap_or_default();
    [
        A::ApproximateNumberOfMessages,
        A::ApproximateNumberOfMessagesNotVisible,
    ]
    .iter()
    .filter_map(|a| attributes.get(a).and_then(|n| n.parse::<usize>().ok()))
    .sum()
}

/// The same command job as the ingress would queue for `body`.
fn job_of(body: &serde_json::Value) -> Job {
    let payload = OutgoingWebhook::from_json(body.to_string().as_bytes()).unwrap();
    let command = parse(&payload.text).unwrap();
    Job::Command(CommandJob::new(&payload, command, chrono::Utc::now()))
}

/// Puts `job` on the queue again with a new deduplication id: a redelivery
/// past SQS's five-minute deduplication window.
async fn redeliver(stack: &Stack, job: &Job, copy: usize) {
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&stack.poller.queue_url)
        .message_body(job.encode())
        .message_group_id(job.message_group())
        .message_deduplication_id(format!("copy-{copy}-{}", job.idempotency_key()))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn faults_a_jandi_failing_the_first_three_attempts_still_gets_every_reply() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, "en").await;
    stack.worker.notifier = std::sync::Arc::new(quick_retries());
    stack.sink.fail_first(3);
    let commands = [
        "/서버 dev status",
        "/서버 dev info",
        "/서버 dev next",
        "/서버 list",
    ];
    let total = 20;
    for n in 0..total {
        let answer = stack.post(commands[n % commands.len()]).await;
        assert_eq!(answer.outcome, Outcome::Queued);
    }
    stack.drain().await;
    let replies = stack
        .sink
        .wait_for(total, Duration::from_secs(5))
        .await
        .len();
    println!(
        "faults/jandi: {total} commands, {} posts refused with 503, {replies} replies delivered",
        stack.sink.refused()
    );
    assert_eq!(replies, total);
    assert_eq!(stack.sink.refused(), 3 * total);
}

#[tokio::test]
async fn faults_dlq_round_trip_delivers_the_reply_once_after_the_outage() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, "en").await;
    stack.worker.notifier = std::sync::Arc::new(quick_retries());
    let dlq = dlq_url(&stack);
    stack.poller.dead_letters = Some(DeadLetters {
        sqs: stack.poller.sqs.clone(),
        url: dlq.clone(),
    });
    // Redeliveries after one second instead of two minutes.
    stack.set_visibility_timeout(1).await;

    // A poison job goes to the DLQ at once.
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&stack.poller.queue_url)
        .message_body(r#"{"v":9,"kind":"command"}"#)
        .message_group_id("_")
        .message_deduplication_id("poison")
        .send()
        .await
        .unwrap();
    stack.drain().await;
    assert_eq!(
        queue_depth(&stack, &dlq).await,
        1,
        "poison in the DLQ after one receive"
    );

    // JANDI is down: the reply job fails every receive and SQS redrives it.
    stack.sink.set_down(true);
    assert_eq!(
        stack.post("/서버 dev status").await.outcome,
        Outcome::Queued
    );
    let mut receives = 0;
    while queue_depth(&stack, &stack.poller.queue_url).await > 0 && receives < 20 {
        receives += stack.poller.poll_once(&stack.worker).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(
        queue_depth(&stack, &dlq).await,
        2,
        "after {receives} receives"
    );
    assert!(stack.sink.messages().is_empty());

    // The outage ends; the replay delivers the reply once.
    stack.sink.set_down(false);
    let replayer = Replayer {
        sqs: stack.poller.sqs.clone(),
        dlq_url: dlq.clone(),
        queue_url: stack.poller.queue_url.clone(),
        claims: stack.worker.services.claims.clone(),
    };
    let args = ReplayArgs {
        max: None,
        dry_run: true,
    };
    let dry = replayer.run(&args, |_| {}).await.unwrap();
    assert_eq!(
        dry,
        Replayed {
            moved: 1,
            skipped_done: 0,
            kept_unreadable: 1
        }
    );
    let args = ReplayArgs {
        max: None,
        dry_run: false,
    };
    let replayed = replayer.run(&args, |_| {}).await.unwrap();
    stack.drain().await;
    let replies = stack.sink.wait_for(1, Duration::from_secs(5)).await.len();
    // A copy of the done job, dead-lettered again, is dropped by the next replay.
    let done_job = stack.sink.messages().len();
    let again = replayer.run(&args, |_| {}).await.unwrap();
    println!(
        "faults/dlq: {receives} receives during the outage, {} refused posts; replay: {replayed:?}; \
         replies after replay: {replies}; second replay: {again:?}",
        stack.sink.refused()
    );
    assert_eq!(
        replayed,
        Replayed {
            moved: 1,
            skipped_done: 0,
            kept_unreadable: 1
        }
    );
    assert_eq!(replies, 1);
    assert_eq!(done_job, 1);
    assert_eq!(
        again,
        Replayed {
            moved: 0,
            skipped_done: 0,
            kept_unreadable: 1
        }
    );
}

#[tokio::test]
async fn faults_a_replay_skips_jobs_already_done() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let body = jandi_payload(TOKEN, "/서버 dev status", &now_text());
    assert_eq!(stack.post_body(body.clone()).await.outcome, Outcome::Queued);
    stack.drain().await;
    let job = job_of(&body);
    let dlq = dlq_url(&stack);
    stack
        .poller
        .sqs
        .send_message()
        .queue_url(&dlq)
        .message_body(job.encode())
        .message_group_id(job.message_group())
        .message_deduplication_id("late-copy")
        .send()
        .await
        .unwrap();
    let replayer = Replayer {
        sqs: stack.poller.sqs.clone(),
        dlq_url: dlq.clone(),
        queue_url: stack.poller.queue_url.clone(),
        claims: stack.worker.services.claims.clone(),
    };
    let args = ReplayArgs {
        max: None,
        dry_run: false,
    };
    let replayed = replayer.run(&args, |_| {}).await.unwrap();
    assert_eq!(
        replayed,
        Replayed {
            moved: 0,
            skipped_done: 1,
            kept_unreadable: 0
        }
    );
    assert_eq!(queue_depth(&stack, &dlq).await, 0);
}

#[tokio::test]
async fn faults_two_hundred_commands_some_twice_two_workers_each_effect_once() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, "en").await;
    stack.worker.notifier = std::sync::Arc::new(quick_retries());
    // Four rooms, a webhook each: JANDI's 60 posts a minute per webhook would
    // otherwise make 200 replies take over three minutes.
    let rooms = 4;
    stack.worker.config.routes.rooms = (0..rooms)
        .map(|r| {
            let url = format!("{}/room-{r}", stack.sink.url);
            (format!("room-{r}"), url.into())
        })
        .collect();
    let total = 200;
    let mut twice = 0;
    let mut bodies = Vec::new();
    for n in 0..total {
        // Half change something (an exception on its own date, audited), half read.
        let text = if n % 2 == 0 {
            let date = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
                + chrono::Days::new(n as u64 / 2);
            format!(
                "/서버 {} exception set {date} stop 15:00",
                if n % 4 == 0 { "dev" } else { "staging" }
            )
        } else {
            ["/서버 dev status", "/서버 staging next", "/서버 list"][n % 3].to_owned()
        };
        let mut body = jandi_payload(TOKEN, &text, &now_text());
        body["roomName"] = format!("room-{}", n % rooms).into();
        assert_eq!(
            stack.post_body(body.clone()).await.outcome,
            Outcome::Queued,
            "{text}"
        );
        if n % 5 == 0 {
            // JANDI's retry: the same payload again (SQS deduplicates it) ...
            assert_eq!(stack.post_body(body.clone()).await.outcome, Outcome::Queued);
            // ... and a copy past the deduplication window (the worker's claim
            // must catch this one).
            redeliver(&stack, &job_of(&body), n).await;
            twice += 1;
        }
        bodies.push(text);
    }
    let second = App {
        services: Services::new(&stack.sdk, &stack.worker.config),
        config: stack.worker.config.clone(),
        notifier: std::sync::Arc::new(quick_retries()),
    };
    let other = Poller {
        sqs: stack.poller.sqs.clone(),
        queue_url: stack.poller.queue_url.clone(),
        dead_letters: None,
        wait: Duration::ZERO,
        retry_cap: Duration::from_secs(1),
    };
    tokio::join!(drain(&stack.poller, &stack.worker), drain(&other, &second));
    let replies = stack.sink.wait_for(total + 1, Duration::from_secs(2)).await;
    let mut exceptions = 0;
    let mut audit = 0;
    for schedule in ["dev", "staging"] {
        exceptions += stack
            .worker
            .services
            .timeline
            .load(schedule)
            .await
            .unwrap()
            .exceptions
            .len();
        audit += stack
            .worker
            .services
            .audit
            .recent(schedule, 1000)
            .await
            .unwrap()
            .len();
    }
    let mut by_color: BTreeMap<String, usize> = BTreeMap::new();
    for reply in &replies {
        *by_color
            .entry(reply["connectColor"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }
    println!(
        "faults/load: {total} commands, {twice} delivered twice (and once more past dedup), 2 workers: \
         {} replies {by_color:?}, {exceptions} exceptions, {audit} audit records",
        replies.len()
    );
    assert_eq!(replies.len(), total, "one reply per command");
    assert_eq!(exceptions, total / 2, "one exception per exception command");
    assert_eq!(audit, total / 2, "one audit record per mutating command");
}

#[tokio::test]
async fn faults_a_thousand_hostile_payloads_enqueue_nothing() {
    let config = curfew_ingress::Config::from_lookup(|name| match name {
        "CURFEW_JANDI_TOKENS" => Some(TOKEN.to_owned()),
        "CURFEW_QUEUE_URL" => Some("http://unused.invalid/queue.fifo".to_owned()),
        _ => None,
    })
    .unwrap();
    let queue = MemoryQueue::default();
    let mut rng = fastrand::Rng::with_seed(20261124);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let now = chrono::Utc::now();
    let fresh = now.to_rfc3339();
    for n in 0..1000 {
        let body: Vec<u8> = match n % 10 {
            // Random bytes, and truncated JSON.
            0 => (0..rng.usize(0..200)).map(|_| rng.u8(..)).collect(),
            1 => {
                let whole = jandi_payload(TOKEN, "/서버 dev status", &fresh)
                    .to_string()
                    .into_bytes();
                whole[..rng.usize(1..40)].to_vec()
            }
            // Wrong types.
            2 => serde_json::json!({"token": rng.u32(..), "text": ["/서버", "dev"]})
                .to_string()
                .into_bytes(),
            // Huge bodies.
            3 => {
                let text = "가".repeat(22_000 + rng.usize(..5_000));
                jandi_payload(TOKEN, &text, &fresh).to_string().into_bytes()
            }
            // Control characters in the command, with the right token.
            4 => {
                let c = char::from_u32(rng.u32(0..32))
                    .filter(|c| !c.is_whitespace())
                    .unwrap_or('\u{7}');
                jandi_payload(TOKEN, &format!("/서버 dev{c} force_start"), &fresh)
                    .to_string()
                    .into_bytes()
            }
            // Wrong or missing token.
            5 => jandi_payload(&format!("{TOKEN}x"), "/서버 dev force_start", &fresh)
                .to_string()
                .into_bytes(),
            6 => serde_json::json!({"text": "/서버 dev force_stop"})
                .to_string()
                .into_bytes(),
            7 => jandi_payload("", "/서버 dev force_stop", &fresh)
                .to_string()
                .into_bytes(),
            // A stale (or far future) createdAt: a replay.
            8 => {
                let skew = chrono::Duration::minutes(rng.i64(6..100_000))
                    * if rng.bool() { 1 } else { -1 };
                jandi_payload(TOKEN, "/서버 dev force_start", &(now + skew).to_rfc3339())
                    .to_string()
                    .into_bytes()
            }
            // Gibberish commands.
            _ => {
                let word: String = (0..rng.usize(1..12)).map(|_| rng.alphanumeric()).collect();
                jandi_payload(TOKEN, &format!("/서버 dev {word} {word}"), &fresh)
                    .to_string()
                    .into_bytes()
            }
        };
        let answer = curfew_ingress::handle(&body, now, &config, &queue).await;
        let allowed = matches!(
            (answer.status, answer.outcome),
            (400, Outcome::BadPayload)
                | (401, Outcome::Unauthorized)
                | (413, Outcome::TooLarge)
                | (200, Outcome::Replay)
                | (200, Outcome::AnsweredHere)
        );
        assert!(
            allowed,
            "payload {n}: {} {:?}",
            answer.status, answer.outcome
        );
        *outcomes
            .entry(format!("{} {:?}", answer.status, answer.outcome))
            .or_default() += 1;
    }
    println!(
        "faults/hostile: 1000 payloads → {outcomes:?}; queued {}",
        queue.jobs().len()
    );
    assert!(queue.jobs().is_empty(), "nothing enqueued");
}

/// Polls until the queue has been empty three times in a row.
async fn drain(poller: &Poller, worker: &App) {
    let mut empty = 0;
    while empty < 3 {
        match poller.poll_once(worker).await.unwrap() {
            0 => empty += 1,
            _ => empty = 0,
        }
    }
}

/// Issue 28: 300 hostile Slack requests to `/slack/commands` (forged,
/// stale, oversized, malformed, on a wrong path) enqueue nothing and never
/// panic; a genuine one after them is still queued.
#[tokio::test]
async fn faults_three_hundred_hostile_slack_requests_enqueue_nothing() {
    const SECRET: &str = "slack-secret";
    let config = curfew_ingress::Config::from_lookup(|name| match name {
        "CURFEW_SLACK_SIGNING_SECRETS" => Some(SECRET.to_owned()),
        "CURFEW_QUEUE_URL" => Some("http://unused.invalid/queue.fifo".to_owned()),
        _ => None,
    })
    .unwrap();
    let queue = MemoryQueue::default();
    let mut rng = fastrand::Rng::with_seed(20261207);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let now = chrono::Utc::now().timestamp();
    let form = |text: &str| {
        format!("user_id=U1&channel_id=C1&command=%2Fcurfew&text={text}&response_url=https%3A%2F%2Fhooks.slack.com%2Fx")
    };
    let sign = curfew_shared::signing::sign;
    for n in 0..300 {
        let (path, body, timestamp, signature): (&str, Vec<u8>, String, String) = match n % 6 {
            // Forged: signed with another secret, or a made-up signature.
            0 => {
                let body = form("dev+force_stop");
                let signature = sign("not-the-secret", &now.to_string(), body.as_bytes());
                (
                    "/slack/commands",
                    body.into_bytes(),
                    now.to_string(),
                    signature,
                )
            }
            1 => {
                let hex: String = (0..64).map(|_| rng.digit(16)).collect();
                (
                    "/slack/commands",
                    form("dev+force_stop").into_bytes(),
                    now.to_string(),
                    format!("v0={hex}"),
                )
            }
            // Stale or future, correctly signed for that instant.
            2 => {
                let at = now + rng.i64(301..1_000_000) * if rng.bool() { 1 } else { -1 };
                let body = form("dev+force_start");
                let signature = sign(SECRET, &at.to_string(), body.as_bytes());
                (
                    "/slack/commands",
                    body.into_bytes(),
                    at.to_string(),
                    signature,
                )
            }
            // Oversized, signed.
            3 => {
                let body = form(&"a".repeat(65 * 1024 + rng.usize(..4096)));
                let signature = sign(SECRET, &now.to_string(), body.as_bytes());
                (
                    "/slack/commands",
                    body.into_bytes(),
                    now.to_string(),
                    signature,
                )
            }
            // Random bytes with garbage headers.
            4 => {
                let body: Vec<u8> = (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect();
                let timestamp: String = (0..rng.usize(0..12)).map(|_| rng.alphanumeric()).collect();
                ("/slack/commands", body, timestamp, "v0=".to_owned())
            }
            // Correctly signed, on a path no front serves.
            _ => {
                let body = form("dev+force_stop");
                let signature = sign(SECRET, &now.to_string(), body.as_bytes());
                (
                    "/slack/actions/x",
                    body.into_bytes(),
                    now.to_string(),
                    signature,
                )
            }
        };
        let header = |name: &str| match name {
            "x-slack-request-timestamp" => Some(timestamp.as_str()),
            "x-slack-signature" => Some(signature.as_str()),
            _ => None,
        };
        let answer = curfew_ingress::http::answer(path, header, &body, &config, &queue).await;
        let allowed = matches!(
            (answer.status, answer.outcome),
            (401, Outcome::Unauthorized)
                | (401, Outcome::Replay)
                | (413, Outcome::TooLarge)
                | (404, Outcome::NotFound)
        );
        assert!(
            allowed,
            "request {n}: {} {:?}",
            answer.status, answer.outcome
        );
        assert!(answer.body.is_none(), "request {n}: no detail");
        *outcomes
            .entry(format!("{} {:?}", answer.status, answer.outcome))
            .or_default() += 1;
    }
    println!(
        "faults/hostile-slack: 300 requests → {outcomes:?}; queued {}",
        queue.jobs().len()
    );
    assert!(queue.jobs().is_empty(), "nothing enqueued");
    // Still answering: a genuine command goes through.
    let body = form("dev+status");
    let signature = sign(SECRET, &now.to_string(), body.as_bytes());
    let timestamp = now.to_string();
    let header = |name: &str| match name {
        "x-slack-request-timestamp" => Some(timestamp.as_str()),
        "x-slack-signature" => Some(signature.as_str()),
        _ => None,
    };
    let answer =
        curfew_ingress::http::answer("/slack/commands", header, body.as_bytes(), &config, &queue)
            .await;
    assert_eq!((answer.status, queue.jobs().len()), (200, 1));
}
