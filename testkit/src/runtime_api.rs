//! A real HTTP server standing in for the AWS Lambda Runtime API
//! (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>), so a
//! test can start a built function binary with `AWS_LAMBDA_RUNTIME_API`
//! pointed at it and invoke it the way Lambda does: the binary long-polls
//! `invocation/next`, gets the event, and posts its response or error back.
//! What reaches the stand-in is the binary's own `lambda_runtime` loop, so a
//! test sees the function as Lambda would, start-up and all.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// The API version every path starts with.
const PREFIX: &str = "/2018-06-01/runtime";
/// The function every invocation says it is for.
const FUNCTION_ARN: &str = "arn:aws:lambda:ap-northeast-2:123456789012:function:curfew-test";
/// The X-Ray trace header every invocation carries.
const TRACE_ID: &str = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
/// How long each invocation is given, as the `Lambda-Runtime-Deadline-Ms` header says.
const DEADLINE: Duration = Duration::from_secs(60);
/// The header a function's error and init-error posts carry their type in.
const ERROR_TYPE: &str = "lambda-runtime-function-error-type";

/// The stand-in Runtime API.
#[derive(Debug, Clone)]
pub struct RuntimeApi {
    address: String,
    shared: Arc<Shared>,
}

/// How one invocation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Invocation {
    /// The function posted a response: its body (for `lambda_http`, the
    /// Function URL answer `{"statusCode","headers","body",...}`). A body
    /// that is not JSON is kept as a JSON string.
    Response(serde_json::Value),
    /// The function posted an error.
    Error {
        /// The `Lambda-Runtime-Function-Error-Type` header (`lambda_runtime`
        /// sends `unhandled`).
        error_type: String,
        /// The body, `{"errorType","errorMessage"}`.
        body: serde_json::Value,
    },
}

/// What the connections and the test share.
#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes `next` requests waiting for an invocation.
    queued: Notify,
    /// Wakes `invoke` and `init_error` calls waiting for an answer.
    answered: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// Invocations not yet handed out, in order of `invoke` calls.
    queue: VecDeque<(String, serde_json::Value)>,
    /// Invocations handed out and not yet answered.
    in_flight: HashSet<String>,
    /// Answers not yet taken by their `invoke`.
    outcomes: HashMap<String, Invocation>,
    init_error: Option<(String, serde_json::Value)>,
    polls: usize,
    /// `next` requests waiting now (one whose connection closed is dropped).
    waiting: usize,
    unknown: Vec<String>,
    issued: u64,
}

impl RuntimeApi {
    /// Starts listening on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let api = Self {
            address: listener.local_addr()?.to_string(),
            shared: Arc::default(),
        };
        let shared = Arc::clone(&api.shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        serve(request, Arc::clone(&shared))
                    });
                    // No timer is set, so a `next` held open waits as long as
                    // the function's client does.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(api)
    }

    /// `127.0.0.1:PORT`: the value to give the function as `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.address.clone()
    }

    /// Queues `event` under a fresh request id and waits until the function
    /// answers it; `None` if it has not within `timeout` (an invocation
    /// nobody picked up by then is taken off the queue).
    pub async fn invoke(&self, event: serde_json::Value, timeout: Duration) -> Option<Invocation> {
        let deadline = tokio::time::Instant::now() + timeout;
        let id = {
            let mut state = self.shared.state.lock().ok()?;
            state.issued += 1;
            let id = request_id(state.issued);
            state.queue.push_back((id.clone(), event));
            id
        };
        self.shared.queued.notify_waiters();
        loop {
            let notified = self.shared.answered.notified();
            {
                let mut state = self.shared.state.lock().ok()?;
                if let Some(outcome) = state.outcomes.remove(&id) {
                    return Some(outcome);
                }
                if tokio::time::Instant::now() >= deadline {
                    state.queue.retain(|(queued, _)| *queued != id);
                    return None;
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }

    /// Waits until the function reports an init error (or `timeout`
    /// passes): its `Lambda-Runtime-Function-Error-Type` header and body.
    pub async fn init_error(&self, timeout: Duration) -> Option<(String, serde_json::Value)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.answered.notified();
            let init_error = self.shared.state.lock().ok()?.init_error.clone();
            if init_error.is_some() || tokio::time::Instant::now() >= deadline {
                return init_error;
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }

    /// How many `invocation/next` requests have arrived: a warm function
    /// polls again after each invocation.
    pub fn polls(&self) -> usize {
        self.shared
            .state
            .lock()
            .map(|s| s.polls)
            .unwrap_or_default()
    }

    /// Every request the stand-in did not expect, as `METHOD path`: a path
    /// it does not serve (answered 404), or an answer for a request id that
    /// is not in flight (answered 400).
    pub fn unknown(&self) -> Vec<String> {
        self.shared
            .state
            .lock()
            .map(|s| s.unknown.clone())
            .unwrap_or_default()
    }

    /// Waits until `count` `next` requests have arrived (or `timeout`
    /// passes) and returns how many did: a warm function asks for the next
    /// event right after it answers one, a moment after its answer arrives.
    pub async fn wait_for_polls(&self, count: usize, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.polls() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.polls()
    }

    /// A command that starts `binary` as Lambda starts a `provided.al2023`
    /// function: as `bootstrap` in its task root (`dir`, made if missing;
    /// the file is a link to `binary`), with no arguments and an
    /// environment of Lambda's own variables only, the Runtime API pointing
    /// here. The caller adds the template's variables (and the local AWS).
    pub fn bootstrap(&self, binary: &Path, dir: &Path) -> std::io::Result<Command> {
        std::fs::create_dir_all(dir)?;
        let bootstrap = dir.join("bootstrap");
        let _ = std::fs::remove_file(&bootstrap);
        std::os::unix::fs::symlink(binary, &bootstrap)?;
        let mut command = Command::new(&bootstrap);
        command.current_dir(dir).env_clear().envs([
            ("AWS_LAMBDA_RUNTIME_API", self.address.as_str()),
            ("AWS_LAMBDA_FUNCTION_NAME", "curfew-test"),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
            ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/curfew-test"),
            (
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "2026/12/07/[$LATEST]0123456789abcdef",
            ),
            ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
            ("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023"),
            ("AWS_REGION", "ap-northeast-2"),
            ("AWS_DEFAULT_REGION", "ap-northeast-2"),
            ("_HANDLER", "bootstrap"),
            ("TZ", ":UTC"),
            ("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin"),
        ]);
        command.env("LAMBDA_TASK_ROOT", dir);
        Ok(command)
    }
}

/// A unique, UUID-shaped request id.
fn request_id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// What an invocation's answer path names.
enum Answer {
    Response,
    Error,
}

async fn serve(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Full<Bytes>>, hyper::http::Error> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = path.strip_prefix(PREFIX).unwrap_or_default();
    if method == Method::GET && route == "/invocation/next" {
        return next(&shared).await;
    }
    if method == Method::POST && route == "/init/error" {
        let (headers, body) = read(request).await;
        if let Ok(mut state) = shared.state.lock() {
            state.init_error = Some((error_type(&headers), body));
        }
        shared.answered.notify_waiters();
        return accepted();
    }
    let answer = route.strip_prefix("/invocation/").and_then(|rest| {
        let (id, kind) = rest.split_once('/')?;
        let kind = match kind {
            "response" => Answer::Response,
            "error" => Answer::Error,
            _ => return None,
        };
        Some((id.to_owned(), kind))
    });
    let unknown = format!("{method} {path}");
    let Some((id, kind)) = answer.filter(|_| method == Method::POST) else {
        if let Ok(mut state) = shared.state.lock() {
            state.unknown.push(unknown);
        }
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from_static(
                br#"{"errorMessage":"Unknown path","errorType":"NotFound"}"#,
            )));
    };
    let (headers, body) = read(request).await;
    let outcome = match kind {
        Answer::Response => Invocation::Response(body),
        Answer::Error => Invocation::Error {
            error_type: error_type(&headers),
            body,
        },
    };
    let recorded = shared
        .state
        .lock()
        .map(|mut state| {
            if state.in_flight.remove(&id) {
                state.outcomes.insert(id, outcome);
                true
            } else {
                state.unknown.push(unknown);
                false
            }
        })
        .unwrap_or_default();
    if !recorded {
        return Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from_static(
                br#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#,
            )));
    }
    shared.answered.notify_waiters();
    accepted()
}

/// Long-polls for the next invocation, however long that takes.
async fn next(shared: &Shared) -> Result<Response<Full<Bytes>>, hyper::http::Error> {
    if let Ok(mut state) = shared.state.lock() {
        state.polls += 1;
        state.waiting += 1;
    }
    let waiting = Waiting(shared);
    let (id, event) = loop {
        let notified = shared.queued.notified();
        let popped = shared.state.lock().ok().and_then(|mut state| {
            let (id, event) = state.queue.pop_front()?;
            state.in_flight.insert(id.clone());
            Some((id, event))
        });
        if let Some(invocation) = popped {
            break invocation;
        }
        notified.await;
    };
    drop(waiting);
    let deadline = SystemTime::now()
        .checked_add(DEADLINE)
        .and_then(|d| d.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis())
        .unwrap_or_default();
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, "application/json")
        .header("Lambda-Runtime-Aws-Request-Id", id)
        .header("Lambda-Runtime-Deadline-Ms", deadline.to_string())
        .header("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN)
        .header("Lambda-Runtime-Trace-Id", TRACE_ID)
        .body(Full::new(Bytes::from(event.to_string())))
}

/// Counts a `next` request as waiting until it is answered or dropped.
struct Waiting<'a>(&'a Shared);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Ok(mut state) = self.0.state.lock() {
            state.waiting = state.waiting.saturating_sub(1);
        }
    }
}

/// The request's headers and its body as JSON (a JSON string if it is not JSON).
async fn read(request: Request<Incoming>) -> (HeaderMap, serde_json::Value) {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let body = serde_json::from_slice(&body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&body).into_owned()));
    (parts.headers, body)
}

fn error_type(headers: &HeaderMap) -> String {
    headers
        .get(ERROR_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn accepted() -> Result<Response<Full<Bytes>>, hyper::http::Error> {
    Response::builder()
        .status(StatusCode::ACCEPTED)
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from_static(br#"{"status":"OK"}"#)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::client::conn::http1::SendRequest;
    use serde_json::json;
    use tokio::net::TcpStream;

    const WAIT: Duration = Duration::from_secs(5);

    /// A connection to the stand-in, as the function's client holds one.
    async fn connect(api: &RuntimeApi) -> SendRequest<Full<Bytes>> {
        let stream = TcpStream::connect(api.address()).await.unwrap();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        sender
    }

    /// Sends one request the way `lambda_runtime` does (with its User-Agent).
    async fn send(
        sender: &mut SendRequest<Full<Bytes>>,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (StatusCode, HeaderMap, serde_json::Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost")
            .header("user-agent", "aws-lambda-rust/1.5.0");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(body.to_owned())))
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        (parts.status, parts.headers, body)
    }

    fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
        headers.get(name).unwrap().to_str().unwrap()
    }

    /// `GET …/invocation/next`: the request id and the event.
    async fn next(sender: &mut SendRequest<Full<Bytes>>) -> (String, serde_json::Value) {
        let (_, headers, event) = send(
            sender,
            Method::GET,
            "/2018-06-01/runtime/invocation/next",
            &[],
            "",
        )
        .await;
        let id = header(&headers, "lambda-runtime-aws-request-id").to_owned();
        (id, event)
    }

    /// `POST …/invocation/{id}/response` with `body`: the status.
    async fn respond(sender: &mut SendRequest<Full<Bytes>>, id: &str, body: &str) -> StatusCode {
        let path = format!("/2018-06-01/runtime/invocation/{id}/response");
        send(sender, Method::POST, &path, &[], body).await.0
    }

    #[tokio::test]
    async fn hands_out_an_event_and_takes_its_response() {
        let api = RuntimeApi::start().await.unwrap();
        let invoked = tokio::spawn({
            let api = api.clone();
            async move { api.invoke(json!({"Records": []}), WAIT).await }
        });
        let mut client = connect(&api).await;
        let (status, headers, event) = send(
            &mut client,
            Method::GET,
            "/2018-06-01/runtime/invocation/next",
            &[],
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(event, json!({"Records": []}));
        assert_eq!(header(&headers, "content-type"), "application/json");
        assert_eq!(
            header(&headers, "lambda-runtime-invoked-function-arn"),
            FUNCTION_ARN
        );
        assert_eq!(header(&headers, "lambda-runtime-trace-id"), TRACE_ID);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis();
        let deadline: u128 = header(&headers, "lambda-runtime-deadline-ms")
            .parse()
            .unwrap();
        assert!(deadline > now + 50_000 && deadline <= now + 60_000);
        let id = header(&headers, "lambda-runtime-aws-request-id").to_owned();

        // The same connection, as a pooled client reuses it.
        let (status, _, body) = send(
            &mut client,
            Method::POST,
            &format!("/2018-06-01/runtime/invocation/{id}/response"),
            &[("content-type", "application/json")],
            r#"{"statusCode":200,"headers":{},"body":"ok","isBase64Encoded":false,"cookies":[]}"#,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(body, json!({"status": "OK"}));
        assert_eq!(
            invoked.await.unwrap(),
            Some(Invocation::Response(json!({
                "statusCode": 200, "headers": {}, "body": "ok",
                "isBase64Encoded": false, "cookies": []
            })))
        );
        assert_eq!(api.polls(), 1);
        assert!(api.unknown().is_empty());
    }

    #[tokio::test]
    async fn an_error_post_comes_back_with_its_type() {
        let api = RuntimeApi::start().await.unwrap();
        let invoked = tokio::spawn({
            let api = api.clone();
            async move { api.invoke(json!({}), WAIT).await }
        });
        let mut client = connect(&api).await;
        let (id, _) = next(&mut client).await;
        let (status, _, _) = send(
            &mut client,
            Method::POST,
            &format!("/2018-06-01/runtime/invocation/{id}/error"),
            &[("lambda-runtime-function-error-type", "unhandled")],
            r#"{"errorType":"&str","errorMessage":"no table"}"#,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(
            invoked.await.unwrap(),
            Some(Invocation::Error {
                error_type: "unhandled".to_owned(),
                body: json!({"errorType": "&str", "errorMessage": "no table"}),
            })
        );

        // A second answer for the same id is not expected.
        let status = respond(&mut client, &id, "{}").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            api.unknown(),
            vec![format!("POST /2018-06-01/runtime/invocation/{id}/response")]
        );
    }

    #[tokio::test]
    async fn records_an_init_error() {
        let api = RuntimeApi::start().await.unwrap();
        assert_eq!(api.init_error(Duration::from_millis(10)).await, None);
        let mut client = connect(&api).await;
        let (status, _, _) = send(
            &mut client,
            Method::POST,
            "/2018-06-01/runtime/init/error",
            &[("lambda-runtime-function-error-type", "Runtime.InitError")],
            r#"{"errorType":"&str","errorMessage":"CURFEW_TABLE is not set"}"#,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(
            api.init_error(WAIT).await,
            Some((
                "Runtime.InitError".to_owned(),
                json!({"errorType": "&str", "errorMessage": "CURFEW_TABLE is not set"})
            ))
        );
    }

    #[tokio::test]
    async fn next_waits_for_an_invocation_and_a_warm_function_polls_again() {
        let api = RuntimeApi::start().await.unwrap();
        let mut client = connect(&api).await;
        let polling = tokio::spawn(async move {
            let mut events = Vec::new();
            for _ in 0..2 {
                let (id, event) = next(&mut client).await;
                respond(&mut client, &id, &json!({"echo": event}).to_string()).await;
                events.push((id, event));
            }
            events
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(api.polls(), 1);
        assert!(!polling.is_finished());

        assert_eq!(
            api.invoke(json!(1), WAIT).await,
            Some(Invocation::Response(json!({"echo": 1})))
        );
        assert_eq!(
            api.invoke(json!(2), WAIT).await,
            Some(Invocation::Response(json!({"echo": 2})))
        );
        let events = polling.await.unwrap();
        assert_eq!(
            events.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(),
            vec![json!(1), json!(2)]
        );
        assert_ne!(events.first().unwrap().0, events.get(1).unwrap().0);
        assert_eq!(api.polls(), 2);
    }

    #[tokio::test]
    async fn an_invocation_nobody_picks_up_times_out_and_leaves_the_queue() {
        let api = RuntimeApi::start().await.unwrap();
        assert_eq!(
            api.invoke(json!("late"), Duration::from_millis(10)).await,
            None
        );
        let invoked = tokio::spawn({
            let api = api.clone();
            async move { api.invoke(json!("on time"), WAIT).await }
        });
        let mut client = connect(&api).await;
        let (id, event) = next(&mut client).await;
        assert_eq!(event, json!("on time"));
        respond(&mut client, &id, "\"done\"").await;
        assert_eq!(
            invoked.await.unwrap(),
            Some(Invocation::Response(json!("done")))
        );
    }

    #[tokio::test]
    async fn a_poller_that_hangs_up_does_not_take_the_next_invocation() {
        let api = RuntimeApi::start().await.unwrap();
        let mut gone = connect(&api).await;
        let abandoned = tokio::spawn(async move {
            send(
                &mut gone,
                Method::GET,
                "/2018-06-01/runtime/invocation/next",
                &[],
                "",
            )
            .await
        });
        while api.polls() == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // The function is killed while it waits: its connection closes.
        abandoned.abort();
        let _ = abandoned.await;
        while api.shared.state.lock().unwrap().waiting > 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }

        let invoked = tokio::spawn({
            let api = api.clone();
            async move { api.invoke(json!("for the new one"), WAIT).await }
        });
        let mut client = connect(&api).await;
        let (id, event) = next(&mut client).await;
        assert_eq!(event, json!("for the new one"));
        respond(&mut client, &id, "null").await;
        assert_eq!(
            invoked.await.unwrap(),
            Some(Invocation::Response(serde_json::Value::Null))
        );
    }

    #[tokio::test]
    async fn an_unknown_path_is_404_and_listed() {
        let api = RuntimeApi::start().await.unwrap();
        let mut client = connect(&api).await;
        let (status, _, _) = send(
            &mut client,
            Method::GET,
            "/2018-06-01/runtime/restore/next",
            &[],
            "",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = send(
            &mut client,
            Method::POST,
            "/2018-06-01/runtime/invocation/next",
            &[],
            "",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            api.unknown(),
            vec![
                "GET /2018-06-01/runtime/restore/next".to_owned(),
                "POST /2018-06-01/runtime/invocation/next".to_owned(),
            ]
        );
        assert_eq!(api.polls(), 0);
    }
}
