//! A real HTTP server standing in for JANDI's incoming webhook: it records
//! every message posted to it, so a test can wait for the worker's reply.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
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
        };
        let (received, arrived) = (Arc::clone(&sink.received), Arc::clone(&sink.arrived));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (received, arrived) = (Arc::clone(&received), Arc::clone(&arrived));
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        record(request, Arc::clone(&received), Arc::clone(&arrived))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(sink)
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
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => Bytes::new(),
    };
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
