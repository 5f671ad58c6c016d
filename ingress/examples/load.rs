//! The ingress under load (issue 7), from a second process on loopback.
//!
//!   cargo run --release -p curfew-ingress --example load -- [REQUESTS] [CONNECTIONS]
//!
//! The example starts itself again as the server (`serve` mode: the local
//! HTTP ingress with the queue replaced by an in-process sink, so only the
//! ingress's own cost shows), then drives it with CONNECTIONS keep-alive
//! connections and prints requests per second and p50 / p99 / max latency
//! as the client sees them; then the same for Slack's slash commands
//! (`POST /slack/commands`, form-encoded and signed: the signature check
//! and the form decode are the ingress's cost here). With `--sqs` (and `AWS_ENDPOINT_URL`, e.g. from
//! `scripts/bench`) a second run sends to a real FIFO queue: the one in
//! `CURFEW_QUEUE_URL`, else a new `curfew-load.fifo`. Then it
//! measures the cold start of the `curfew-ingress` binary: process start to
//! first answer. A benchmark: it prints figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use curfew_aws::SqsQueue;
use curfew_ingress::Config;
use curfew_shared::job::Job;
use curfew_shared::ports::{JobQueue, PortFuture, QueueError};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "load-token";
const SLACK_SECRET: &str = "load-signing-secret";

/// Counts jobs and drops them: the queue call costs nothing.
#[derive(Debug, Default)]
struct Sink(AtomicUsize);

impl JobQueue for Sink {
    fn send<'a>(&'a self, _job: &'a Job) -> PortFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            self.0.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
    }
}

fn config(queue_url: &str) -> Config {
    Config::from_lookup(|name| match name {
        "CURFEW_JANDI_TOKENS" => Some(TOKEN.to_owned()),
        "CURFEW_SLACK_SIGNING_SECRETS" => Some(SLACK_SECRET.to_owned()),
        "CURFEW_QUEUE_URL" => Some(queue_url.to_owned()),
        // The load repeats one payload for a while; no replay window.
        "CURFEW_REPLAY_WINDOW" => Some("0".to_owned()),
        _ => None,
    })
    .unwrap()
}

/// Server mode: print the address, serve until stdin closes.
async fn serve(sqs: bool) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{}", listener.local_addr().unwrap());
    let stop = async {
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
        })
        .await
        .ok();
    };
    if sqs {
        let url = std::env::var("CURFEW_QUEUE_URL").expect("CURFEW_QUEUE_URL");
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let queue = SqsQueue::new(aws_sdk_sqs::Client::new(&sdk), url.clone());
        curfew_ingress::http::serve(listener, Arc::new(config(&url)), Arc::new(queue), stop)
            .await
            .unwrap();
    } else {
        let queue = Arc::new(Sink::default());
        curfew_ingress::http::serve(listener, Arc::new(config("sink")), queue, stop)
            .await
            .unwrap();
    }
}

fn body(n: usize) -> Bytes {
    Bytes::from(
        serde_json::json!({
            "token": TOKEN, "text": "/서버 dev status", "roomName": "dev-ops",
            "writerName": "load", "createdAt": format!("2026-12-04T00:00:{:02}.{:03}Z", n / 1000 % 60, n % 1000),
        })
        .to_string(),
    )
}

/// A signed slash command, unique per `n` (its text), as Slack posts it.
fn slack_request(addr: &str, n: usize) -> hyper::Request<Full<Bytes>> {
    let body = format!(
        "team_id=T1&channel_id=C1&channel_name=dev-ops&user_id=U{n}&user_name=load&command=%2Fcurfew&text=dev+status&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F{n}"
    );
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signature = curfew_shared::signing::sign(SLACK_SECRET, &timestamp, body.as_bytes());
    hyper::Request::post(format!("http://{addr}/slack/commands"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-request-timestamp", timestamp)
        .header("x-slack-signature", signature)
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

/// One keep-alive connection sending `count` requests one after another
/// (JANDI payloads, or Slack slash commands with `slack`).
async fn connection(addr: String, first: usize, count: usize, slack: bool) -> Vec<Duration> {
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let mut latencies = Vec::with_capacity(count);
    for n in first..first + count {
        let request = if slack {
            slack_request(&addr, n)
        } else {
            hyper::Request::post(format!("http://{addr}/"))
                .header("content-type", "application/json")
                .body(Full::new(body(n)))
                .unwrap()
        };
        let started = Instant::now();
        sender.ready().await.unwrap();
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        response.into_body().collect().await.unwrap();
        latencies.push(started.elapsed());
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// The queue of the `--sqs` run: `CURFEW_QUEUE_URL`, else a new FIFO queue.
async fn sqs_queue_url() -> String {
    if let Ok(url) = std::env::var("CURFEW_QUEUE_URL") {
        return url;
    }
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    aws_sdk_sqs::Client::new(&sdk)
        .create_queue()
        .queue_name("curfew-load.fifo")
        .attributes(aws_sdk_sqs::types::QueueAttributeName::FifoQueue, "true")
        .send()
        .await
        .expect("create the load queue (is AWS_ENDPOINT_URL set?)")
        .queue_url
        .expect("a queue URL")
}

/// Receives and deletes what the `--sqs` run enqueues, as the worker would,
/// until `stop`: moto's SendMessage slows as its queue grows (9 ms a send
/// on an empty FIFO queue, 31 ms with 400 waiting), so a queue left to
/// fill would measure moto's backlog instead of the ingress. Returns how
/// many messages it drained.
async fn drain(url: String, stop: Arc<std::sync::atomic::AtomicBool>) -> usize {
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let mut drained = 0;
    while !stop.load(Ordering::Relaxed) {
        let Ok(received) = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .send()
            .await
        else {
            continue;
        };
        let entries: Vec<_> = received
            .messages()
            .iter()
            .enumerate()
            .filter_map(|(n, m)| {
                aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                    .id(n.to_string())
                    .set_receipt_handle(m.receipt_handle().map(str::to_owned))
                    .build()
                    .ok()
            })
            .collect();
        if entries.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        drained += entries.len();
        let _ = sqs
            .delete_message_batch()
            .queue_url(&url)
            .set_entries(Some(entries))
            .send()
            .await;
    }
    drained
}

async fn drive(sqs: bool, slack: bool, requests: usize, connections: usize) {
    let mut server = Command::new(std::env::current_exe().unwrap());
    let stop_draining = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut drainer = None;
    if sqs {
        let url = sqs_queue_url().await;
        drainer = Some(tokio::spawn(drain(url.clone(), Arc::clone(&stop_draining))));
        server.env("CURFEW_QUEUE_URL", url);
    }
    let mut server = server
        .arg(if sqs { "serve-sqs" } else { "serve" })
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().to_owned();
    // Warm up, then measure.
    connection(addr.clone(), 0, 200.min(requests), slack).await;
    let per = requests / connections;
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|c| tokio::spawn(connection(addr.clone(), 1_000_000 + c * per, per, slack)))
        .collect();
    let mut all = Vec::with_capacity(requests);
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let wall = started.elapsed();
    all.sort();
    println!(
        "{:<28} {:>7} requests, {connections} connections: {:>8.0} req/s, p50 {:>7.3} ms, p99 {:>7.3} ms, max {:>7.3} ms",
        match (sqs, slack) {
            (true, _) => "ingress + SQS (moto)",
            (false, true) => "Slack + in-process sink",
            (false, false) => "ingress + in-process sink",
        },
        all.len(),
        all.len() as f64 / wall.as_secs_f64(),
        percentile(&all, 0.50).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all.last().unwrap().as_secs_f64() * 1000.0,
    );
    drop(server.stdin.take());
    let _ = server.wait();
    stop_draining.store(true, Ordering::Relaxed);
    if let Some(drainer) = drainer {
        println!(
            "(a consumer drained {} messages meanwhile, as the worker would)",
            drainer.await.unwrap()
        );
    }
}

/// Process start to the first 200 of the real binary (with a queue that
/// does not exist: the answer is then a JANDI error message, still a 200).
async fn cold_start() {
    let binary = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("curfew-ingress"))
        .unwrap();
    if !binary.exists() {
        println!(
            "cold start: build curfew-ingress first ({} is missing)",
            binary.display()
        );
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .env("CURFEW_JANDI_TOKENS", TOKEN)
            .env("CURFEW_QUEUE_URL", "http://127.0.0.1:9/none.fifo")
            .env("CURFEW_INGRESS_ADDR", &addr)
            .env("AWS_REGION", "ap-northeast-2")
            .env("AWS_ACCESS_KEY_ID", "x")
            .env("AWS_SECRET_ACCESS_KEY", "x")
            .env("RUST_LOG", "error")
            .spawn()
            .unwrap();
        loop {
            if let Ok(stream) = tokio::net::TcpStream::connect(&addr).await {
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                        .await
                        .unwrap();
                tokio::spawn(conn);
                let request = hyper::Request::post(format!("http://{addr}/"))
                    .body(Full::new(Bytes::from(
                        r#"{"token":"load-token","text":"/서버 help"}"#,
                    )))
                    .unwrap();
                if sender
                    .send_request(request)
                    .await
                    .is_ok_and(|r| r.status() == 200)
                {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        times.push(started.elapsed());
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    println!(
        "cold start of curfew-ingress (process start to first answer), 5 runs: median {:.1} ms, max {:.1} ms",
        times[2].as_secs_f64() * 1000.0,
        times[4].as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => return serve(false).await,
        Some("serve-sqs") => return serve(true).await,
        _ => {}
    }
    let sqs = args.iter().any(|a| a == "--sqs");
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let requests = numbers.first().copied().unwrap_or(20_000);
    let connections = numbers.get(1).copied().unwrap_or(4);
    drive(false, false, requests, connections).await;
    drive(false, true, requests, connections).await;
    if sqs {
        drive(true, false, requests.min(2_000), connections).await;
    }
    cold_start().await;
}
