//! Crash safety (issue 5): a real `curfew worker` process SIGKILLed five
//! times at random points during 100 jobs, and one stopped with SIGTERM.
//! Every job ends up done, each effect exactly once; the one thing that may
//! repeat is a reply whose post went out just before a kill (counted).

use crate::pipeline::stack::{now_text, Stack, TOKEN};
use curfew_ingress::handler::Outcome;
use curfew_testkit::jandi_payload;
use curfew_testkit::local_aws;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const JOBS: usize = 100;

fn spawn_worker(stack: &Stack, endpoint: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_curfew"))
        .arg("worker")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("CURFEW_TABLE", &stack.worker.config.table)
        .env("CURFEW_QUEUE_URL", &stack.poller.queue_url)
        .env("CURFEW_JANDI_WEBHOOK_URL", &stack.sink.url)
        .env("CURFEW_JANDI_ROOM_WEBHOOKS", rooms(stack).to_string())
        .env("CURFEW_LANG", "en")
        .env("CURFEW_CLAIM_LEASE", "2")
        .env(
            "RUST_LOG",
            std::env::var("CRASH_LOG_LEVEL").unwrap_or_else(|_| "error".to_owned()),
        )
        .stderr(match std::env::var("CRASH_LOG_FILE") {
            Ok(path) => std::process::Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .unwrap(),
            ),
            Err(_) => std::process::Stdio::inherit(),
        })
        .spawn()
        .unwrap()
}

async fn effects(stack: &Stack) -> (usize, usize) {
    let data = stack.worker.services.timeline.load("dev").await.unwrap();
    let audit = stack
        .worker
        .services
        .audit
        .recent("dev", 1000)
        .await
        .unwrap();
    (data.exceptions.len(), audit.len())
}

/// Rooms with a webhook each (paths of the one stand-in): JANDI allows 60
/// posts a minute per webhook, and 100 replies to one would take the test
/// past a minute for no reason of its own.
const ROOMS: usize = 4;

fn rooms(stack: &Stack) -> serde_json::Value {
    (0..ROOMS)
        .map(|r| {
            (
                format!("room-{r}"),
                serde_json::Value::from(format!("{}/room-{r}", stack.sink.url)),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Queues `JOBS` exception commands, each with its own date.
async fn queue_jobs(stack: &Stack) {
    for n in 0..JOBS {
        let date =
            chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap() + chrono::Days::new(n as u64);
        let text = format!("/서버 dev exception set {date} stop 18:00");
        let mut body = jandi_payload(TOKEN, &text, &now_text());
        body["roomName"] = format!("room-{}", n % ROOMS).into();
        let answer = stack.post_body(body).await;
        assert_eq!(answer.outcome, Outcome::Queued);
    }
}

/// Waits until every job's effects are there and the queue is empty.
async fn wait_all_done(stack: &Stack, within: Duration) {
    let started = Instant::now();
    while started.elapsed() < within {
        if effects(stack).await == (JOBS, JOBS) && stack.sink.messages().len() >= JOBS {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Lets `worker` finish every job (waiting up to `within`), stops it, and
/// counts what came out: (exceptions, audit records, replies).
async fn finish(stack: &Stack, mut worker: Child, within: Duration) -> (usize, usize, usize) {
    wait_all_done(stack, within).await;
    let _ = worker.kill();
    let _ = worker.wait();
    let (exceptions, audit) = effects(stack).await;
    (exceptions, audit, stack.sink.messages().len())
}

// Multi-threaded: the test blocks on child processes while its JANDI
// stand-in must keep answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_a_worker_killed_five_times_finishes_every_job_with_no_double_effect() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    stack.set_visibility_timeout(3).await;
    queue_jobs(&stack).await;
    let mut rng = fastrand::Rng::with_seed(5);
    let mut kills = 0;
    let mut worker = spawn_worker(&stack, &endpoint);
    while kills < 5 {
        tokio::time::sleep(Duration::from_millis(rng.u64(150..700))).await;
        worker.kill().unwrap(); // SIGKILL
        worker.wait().unwrap();
        kills += 1;
        worker = spawn_worker(&stack, &endpoint);
    }
    let (exceptions, audit, replies) = finish(&stack, worker, Duration::from_secs(120)).await;
    println!(
        "crash: {JOBS} jobs, {kills} SIGKILLs: {exceptions} exceptions, {audit} audit records, \
         {replies} replies ({} repeated in the documented crash window)",
        replies.saturating_sub(JOBS)
    );
    assert_eq!(
        (exceptions, audit),
        (JOBS, JOBS),
        "each effect exactly once"
    );
    assert!(replies >= JOBS, "every job answered");
    assert!(
        replies <= JOBS + kills,
        "at most one repeated reply per kill"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_sigterm_lets_the_batch_in_hand_finish() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    queue_jobs(&stack).await;
    let mut worker = spawn_worker(&stack, &endpoint);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let pid = worker.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = worker.wait().unwrap();
    assert!(status.success(), "a clean exit on SIGTERM: {status}");
    let after_term = stack.sink.messages().len();
    // Nothing in flight was lost: a new worker finishes the rest at once
    // (no message waits out a visibility timeout).
    let worker = spawn_worker(&stack, &endpoint);
    let (exceptions, audit, replies) = finish(&stack, worker, Duration::from_secs(60)).await;
    println!(
        "sigterm: {after_term} replies before SIGTERM, {replies} in all, {exceptions} exceptions"
    );
    assert_eq!((exceptions, audit, replies), (JOBS, JOBS, JOBS));
}
