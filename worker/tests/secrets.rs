//! No secret in any log line (SPEC §8, issue 5): every log line of a full
//! run — the HTTP ingress with good, wrong and oversized requests, the worker
//! executing commands, JANDI failing and refusing, a tick — is captured at
//! TRACE level (the SDKs' and HTTP clients' too) and searched for the
//! outgoing-webhook tokens and the incoming-webhook URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "it/pipeline/stack.rs"]
mod stack;

use curfew_aws::SqsQueue;
use curfew_shared::job::scheduled_event;
use curfew_testkit::jandi_payload;
use curfew_testkit::local_aws;
use stack::{now_text, Stack, TOKEN};
use std::io::Write;
use std::sync::{Arc, Mutex};

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn faults_no_secret_in_any_log_line_of_a_full_run() {
    let Some(endpoint) = local_aws() else { return };
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(|| Capture)
        .init();
    let mut stack = Stack::start(&endpoint, "en").await;
    stack.worker.notifier = std::sync::Arc::new(
        curfew_worker::adapters::jandi::Notifier::new(
            curfew_worker::adapters::jandi::RetryPolicy {
                attempts: 2,
                base_delay: std::time::Duration::from_millis(5),
                max_delay: std::time::Duration::from_millis(10),
                timeout: std::time::Duration::from_secs(2),
                budget: std::time::Duration::from_secs(20),
            },
        )
        .unwrap(),
    );

    // The ingress over real HTTP.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let queue = SqsQueue::new(stack.poller.sqs.clone(), stack.poller.queue_url.clone());
    tokio::spawn(curfew_ingress::http::serve(
        listener,
        Arc::new(stack.ingress.clone()),
        Arc::new(queue),
        std::future::pending(),
    ));
    let http = reqwest::Client::new();
    let bodies = [
        jandi_payload(TOKEN, "/서버 dev status", &now_text()).to_string(),
        jandi_payload(TOKEN, "/서버 dev force_start for 1h", &now_text()).to_string(),
        jandi_payload(
            TOKEN,
            "/서버 dev exception set 2026-12-24 stop 15:00",
            &now_text(),
        )
        .to_string(),
        jandi_payload(
            TOKEN,
            "/서버 dev exception set 2026-02-30 stop 15:00",
            &now_text(),
        )
        .to_string(),
        jandi_payload("old-token", "/서버 dev next", &now_text()).to_string(),
        jandi_payload("wrong-token-zzz", "/서버 dev force_stop", &now_text()).to_string(),
        jandi_payload(TOKEN, "/서버 dev status", "2020-01-01T00:00:00.000Z").to_string(),
        "x".repeat(70_000),
        "{not json".to_owned(),
    ];
    for body in bodies {
        let _ = http.post(&url).body(body).send().await.unwrap();
    }
    stack.drain().await;
    // JANDI down for one command (retries, then the job is retried).
    stack.sink.set_down(true);
    stack.post("/서버 dev history").await;
    stack.poller.poll_once(&stack.worker).await.unwrap();
    stack.sink.set_down(false);
    // A tick.
    let at = chrono::Utc::now();
    stack
        .worker
        .handle(&scheduled_event(at).to_string(), at)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    stack.drain().await;

    let logs = String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned();
    let lines = logs.lines().count();
    assert!(lines > 50, "the run logged ({lines} lines)");
    assert!(logs.contains("answered"), "the ingress logged its answers");
    let webhook_path = stack
        .sink
        .url
        .split("/connect-api")
        .nth(1)
        .unwrap()
        .to_owned();
    for secret in [
        TOKEN,
        "old-token",
        "wrong-token-zzz",
        stack.sink.url.as_str(),
        webhook_path.as_str(),
    ] {
        let leaks: Vec<&str> = logs
            .lines()
            .filter(|l| l.contains(secret))
            .take(3)
            .collect();
        assert!(leaks.is_empty(), "{secret:?} in the logs: {leaks:#?}");
    }
    println!("secrets: {lines} log lines searched, no token and no webhook URL in any");
}
