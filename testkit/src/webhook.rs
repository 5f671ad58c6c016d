//! A real HTTP server standing in for JANDI's incoming webhook: it records
//! every message posted to it, so a test can wait for the worker's reply.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// The stand-in webhook.
#[derive(Debug, Clone)]
pub struct WebhookSink {
    pub url: String,
    received: Arc<Mutex<Vec<serde_json::Value>>>,
    arrived: Arc<Notify>,
    faults: Arc<Faults>,
}

/// How the stand-in misbehaves: a whole outage, or the first attempts of
/// every message answered 503.
#[derive(Debug, Default)]
struct Faults {
    down: AtomicBool,
    fail_first: AtomicUsize,
    attempts: Mutex<HashMap<Bytes, usize>>,
    refused: AtomicUsize,
}

impl WebhookSink {
    /// Starts listening on a free loopback port. The URL looks like JANDI's.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let sink = Self {
            url: format!(
                "http://{}/connect-api/webhook/1/test-token",
                listener.local_addr()?
            ),
            received: Arc::default(),
            arrived: Arc::default(),
            faults: Arc::default(),
        };
        let (received, arrived, faults) = (
            Arc::clone(&sink.received),
            Arc::clone(&sink.arrived),
            Arc::clone(&sink.faults),
        );
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (received, arrived, faults) = (
                    Arc::clone(&received),
                    Arc::clone(&arrived),
                    Arc::clone(&faults),
                );
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        record(
                            request,
                            Arc::clone(&received),
                            Arc::clone(&arrived),
                            Arc::clone(&faults),
                        )
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(sink)
    }

    /// While `down`, every post is answered 503 (an outage).
    pub fn set_down(&self, down: bool) {
        self.faults.down.store(down, Ordering::SeqCst);
    }

    /// Answers the first `n` attempts of every distinct message 503.
    pub fn fail_first(&self, n: usize) {
        self.faults.fail_first.store(n, Ordering::SeqCst);
    }

    /// How many posts were answered 503 so far.
    pub fn refused(&self) -> usize {
        self.faults.refused.load(Ordering::SeqCst)
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits until at least `count` messages have arrived (or `timeout`
    /// passes); returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            let messages = self.messages();
            if messages.len() >= count || tokio::time::Instant::now() >= deadline {
                return messages;
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

async fn record(
    request: Request<Incoming>,
    received: Arc<Mutex<Vec<serde_json::Value>>>,
    arrived: Arc<Notify>,
    faults: Arc<Faults>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let attempt = faults
        .attempts
        .lock()
        .map(|mut attempts| {
            let n = attempts.entry(body.clone()).or_default();
            *n += 1;
            *n
        })
        .unwrap_or(1);
    if faults.down.load(Ordering::SeqCst) || attempt <= faults.fail_first.load(Ordering::SeqCst) {
        faults.refused.fetch_add(1, Ordering::SeqCst);
        let mut response = Response::new(Full::new(Bytes::new()));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return Ok(response);
    }
    // The next message with the same text fails its first attempts again.
    if let Ok(mut attempts) = faults.attempts.lock() {
        attempts.remove(&body);
    }
    let status = match serde_json::from_slice(&body) {
        Ok(message) => {
            if let Ok(mut received) = received.lock() {
                received.push(message);
            }
            arrived.notify_waiters();
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    };
    let mut response = Response::new(Full::new(Bytes::from_static(b"{}")));
    *response.status_mut() = status;
    Ok(response)
}
