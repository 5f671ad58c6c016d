//! The Lambda and local-HTTP front ends, in-process: they only translate,
//! so these check the translation (status, JSON body, nothing for strangers).

use curfew_ingress::{http, Config};
use curfew_testkit::MemoryQueue;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn config() -> Config {
    let vars = [
        ("CURFEW_JANDI_TOKENS", "tok"),
        ("CURFEW_QUEUE_URL", "memory"),
        ("CURFEW_REPLAY_WINDOW", "0"),
    ];
    Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap()
}

#[tokio::test]
async fn lambda_function_url_post_is_queued_and_acknowledged() {
    let fixture = include_str!("../fixtures/function-url-post.json");
    let request = lambda_http::request::from_str(fixture).unwrap();
    let queue = MemoryQueue::default();
    let response = http::lambda_response(request, &config(), &queue).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body = std::str::from_utf8(response.body().as_ref())
        .unwrap()
        .to_owned();
    let message: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(message["connectColor"], "#1DDB16");
    assert_eq!(queue.jobs().len(), 1);
}

#[tokio::test]
async fn lambda_wrong_token_is_401_with_an_empty_body() {
    let fixture =
        include_str!("../fixtures/function-url-post.json").replace("\\\"tok\\\"", "\\\"nope\\\"");
    let request = lambda_http::request::from_str(&fixture).unwrap();
    let queue = MemoryQueue::default();
    let response = http::lambda_response(request, &config(), &queue).await;
    assert_eq!(response.status(), 401);
    assert!(response.body().as_ref().is_empty());
    assert!(queue.jobs().is_empty());
}

/// Starts the local server on a free port; returns its address.
async fn local_server(queue: Arc<MemoryQueue>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(http::serve(
        listener,
        Arc::new(config()),
        queue,
        std::future::pending(),
    ));
    addr
}

/// One raw HTTP/1.1 exchange: returns the status code and the body.
async fn exchange(addr: std::net::SocketAddr, method: &str, body: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server may answer 413 and close before reading everything: ignore write errors.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn local_http_answers_like_lambda() {
    let queue = Arc::new(MemoryQueue::default());
    let addr = local_server(Arc::clone(&queue)).await;
    let good = br#"{"token":"tok","text":"/server dev next","roomName":"r"}"#;
    let (status, body) = exchange(addr, "POST", good).await;
    assert_eq!(status, 200);
    assert!(body.contains("connectColor"), "{body}");
    let (status, body) = exchange(
        addr,
        "POST",
        br#"{"token":"bad","text":"/server dev next"}"#,
    )
    .await;
    assert_eq!((status, body.as_str()), (401, ""));
    let (status, _) = exchange(addr, "GET", b"").await;
    assert_eq!(status, 405);
    let (status, _) = exchange(addr, "POST", b"{not json").await;
    assert_eq!(status, 400);
    assert_eq!(queue.jobs().len(), 1);
}

#[tokio::test]
async fn local_http_refuses_a_huge_body_with_413() {
    let queue = Arc::new(MemoryQueue::default());
    let addr = local_server(Arc::clone(&queue)).await;
    let huge = format!(
        r#"{{"token":"tok","text":"/server dev status","data":"{}"}}"#,
        "x".repeat(100 * 1024)
    );
    let (status, _) = exchange(addr, "POST", huge.as_bytes()).await;
    assert_eq!(status, 413);
    assert!(queue.jobs().is_empty());
}
