//! Test helpers shared by the crates' integration tests.
//!
//! [`CountingProxy`] sits between an SDK client and the local AWS (moto) and
//! records every request's service and operation, so a test can show which
//! AWS calls a code path makes ("the ingress makes no call but SendMessage",
//! "an idle tick makes no EC2 or RDS call") with the real SDK over HTTP.
//! For the benchmarks it also times moto's answers per operation and can
//! serve `DescribeInstances` in AWS's page sizes (the `paging` module).
//! [`WebhookSink`] is a real HTTP server standing in for JANDI.
//! [`RuntimeApi`] is a real HTTP server standing in for the Lambda Runtime
//! API, so a test can run a built function binary and invoke it as Lambda does.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod fleet;
mod kinds;
#[cfg(test)]
mod layering;
mod memory;
mod modules;
mod paging;
mod pricing;
mod runtime_api;
mod webhook;
pub use fleet::{
    any_image, demo_fleet, ec2_instance, ec2_instance_of, ec2_states, rds_instance, rds_status,
    DemoFleet,
};
pub use kinds::{
    aurora_cluster, auto_scaling_group, auto_scaling_group_now, ecs_service, sdk_as, sdk_in,
};
pub use memory::{
    instance, MemoryAudit, MemoryClaims, MemoryFleet, MemoryFleets, MemoryLedger, MemoryNotifier,
    MemoryPrices, MemoryQueue, MemorySchedules, MemoryTimelines, HOME_REGION,
};
pub use modules::ModuleGraph;
pub use pricing::{GetProductsRequest, PriceListStandIn};
pub use runtime_api::{Invocation, RuntimeApi};
pub use webhook::WebhookSink;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use paging::Pager;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// A JANDI outgoing-webhook payload (the flat writer shape) from the room
/// `dev-ops`, as the pipeline tests and the Lambda test post it.
pub fn jandi_payload(token: &str, text: &str, created_at: &str) -> serde_json::Value {
    serde_json::json!({
        "token": token,
        "teamName": "curfew",
        "roomName": "dev-ops",
        "writerName": "김개발",
        "writerEmail": "dev@example.com",
        "text": text,
        "keyword": "서버",
        "createdAt": created_at,
        "platform": "web",
    })
}

/// The local AWS endpoint (`AWS_ENDPOINT_URL`), or `None` when a plain
/// `cargo test` runs without one: the test then returns early and says so.
/// scripts/test sets `CURFEW_REQUIRE_LOCAL_AWS=1`, and there a missing
/// endpoint fails instead, so CI can never skip the integration tests.
pub fn local_aws() -> Option<String> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty());
    if endpoint.is_none() {
        assert!(
            std::env::var_os("CURFEW_REQUIRE_LOCAL_AWS").is_none(),
            "CURFEW_REQUIRE_LOCAL_AWS is set but AWS_ENDPOINT_URL is not"
        );
        eprintln!("skipped: no local AWS (scripts/test starts one)");
    }
    endpoint
}

/// The SDK configuration the binaries use, pointed at `endpoint`.
pub async fn sdk_at(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .load()
        .await
}

/// One request that reached the local AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// From the SigV4 credential scope: `sqs`, `dynamodb`, `ec2`, `rds`, ...
    pub service: String,
    /// From the same scope: the region the call was signed for.
    pub region: String,
    /// The access key that signed it: which account the local AWS acts in
    /// (moto keys an assumed role's credentials to the role's account).
    pub access_key: String,
    /// From `X-Amz-Target` (JSON protocols) or the `Action` form field (query protocols).
    pub operation: String,
    /// The request body as sent (a query-protocol form, or JSON), so a test
    /// can check a parameter moto accepts without acting on it.
    pub body: String,
}

/// A forwarding proxy on a free loopback port that records every call.
#[derive(Debug, Clone)]
pub struct CountingProxy {
    pub addr: SocketAddr,
    state: Arc<ProxyState>,
}

/// What the proxy's connections share.
#[derive(Debug, Default)]
struct ProxyState {
    calls: Mutex<Vec<Call>>,
    rewrites: Mutex<Vec<Rewrite>>,
    /// How long the local AWS took to answer, per call: where a benchmark's time goes.
    latencies: Mutex<Vec<(String, Duration)>>,
    pagers: Mutex<Vec<Pager>>,
    faults: Mutex<Vec<Fault>>,
    /// Makes every page token unique.
    pages_cut: std::sync::atomic::AtomicUsize,
}

/// A change to the next `times` responses of one operation: how a test makes
/// the local AWS show a state it cannot produce itself (an RDS instance that
/// stays `starting` for a few minutes). The only "mock" in the integration
/// tests, and only for that.
#[derive(Debug, Clone)]
struct Rewrite {
    operation: String,
    find: String,
    replace: String,
    times: usize,
}

/// An error answer in place of the next `times` calls of one operation:
/// throttling, a 5xx, access denied, which the local AWS never gives.
#[derive(Debug, Clone)]
struct Fault {
    operation: String,
    status: u16,
    content_type: &'static str,
    body: String,
    times: usize,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

impl CountingProxy {
    /// Starts a proxy forwarding to `upstream` (e.g. moto's `127.0.0.1:PORT`).
    pub async fn start(upstream: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let proxy = Self {
            addr: listener.local_addr()?,
            state: Arc::default(),
        };
        let state = Arc::clone(&proxy.state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        forward(request, upstream, Arc::clone(&state))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(proxy)
    }

    /// The endpoint URL to give the SDK instead of the local AWS's own.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.state
            .calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    /// Replaces `find` with `replace` in the next `times` responses to
    /// `operation` (e.g. `DescribeDBInstances`).
    pub fn rewrite(&self, operation: &str, find: &str, replace: &str, times: usize) {
        if let Ok(mut rewrites) = self.state.rewrites.lock() {
            rewrites.push(Rewrite {
                operation: operation.to_owned(),
                find: find.to_owned(),
                replace: replace.to_owned(),
                times,
            });
        }
    }

    /// Answers the next `times` calls of a DynamoDB `operation` (a JSON
    /// protocol) with HTTP `status` and the error `code`, as DynamoDB does
    /// (`ProvisionedThroughputExceededException` is 400, like every
    /// DynamoDB error but a 500): the faults a local AWS cannot produce.
    pub fn fail_json(&self, operation: &str, status: u16, code: &str, times: usize) {
        let body = format!(
            r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{code}","message":"injected by the test proxy"}}"#
        );
        self.fail(operation, status, "application/x-amz-json-1.0", body, times);
    }

    /// The same for an EC2 `operation` (the EC2 query protocol's XML errors).
    pub fn fail_ec2(&self, operation: &str, status: u16, code: &str, times: usize) {
        let body = format!(
            "<Response><Errors><Error><Code>{code}</Code><Message>injected by the test proxy</Message></Error></Errors><RequestID>test</RequestID></Response>"
        );
        self.fail(operation, status, "text/xml", body, times);
    }

    /// The same for an `operation` of the AWS query protocol (Auto
    /// Scaling's XML errors).
    pub fn fail_query(&self, operation: &str, status: u16, code: &str, times: usize) {
        let body = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected by the test proxy</Message></Error><RequestId>test</RequestId></ErrorResponse>"
        );
        self.fail(operation, status, "text/xml", body, times);
    }

    fn fail(
        &self,
        operation: &str,
        status: u16,
        content_type: &'static str,
        body: String,
        times: usize,
    ) {
        if let Ok(mut faults) = self.state.faults.lock() {
            faults.push(Fault {
                operation: operation.to_owned(),
                status,
                content_type,
                body,
                times,
            });
        }
    }

    /// Answers `operation` in pages of `per_page` top-level items of its
    /// `list` element, cut from one answer of the local AWS (see the
    /// `paging` module: how the tick benchmark gets AWS-sized
    /// `DescribeInstances` pages out of moto). Every page is a counted call.
    pub fn page(&self, operation: &str, list: &str, per_page: usize) {
        if let Ok(mut pagers) = self.state.pagers.lock() {
            pagers.push(Pager {
                operation: operation.to_owned(),
                list: list.to_owned(),
                per_page,
                pending: HashMap::new(),
            });
        }
    }

    /// How many calls of `operation` were made so far.
    pub fn count(&self, operation: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.operation == operation)
            .count()
    }

    /// The local AWS's answering time summed per operation, since the last reset.
    pub fn time_by_operation(&self) -> BTreeMap<String, Duration> {
        let mut total: BTreeMap<String, Duration> = BTreeMap::new();
        if let Ok(latencies) = self.state.latencies.lock() {
            for (operation, took) in latencies.iter() {
                *total.entry(operation.clone()).or_default() += *took;
            }
        }
        total
    }

    /// Forgets the calls so far.
    pub fn reset(&self) {
        if let Ok(mut calls) = self.state.calls.lock() {
            calls.clear();
        }
        if let Ok(mut latencies) = self.state.latencies.lock() {
            latencies.clear();
        }
    }
}

async fn forward(
    request: Request<Incoming>,
    upstream: SocketAddr,
    state: Arc<ProxyState>,
) -> Result<Response<Full<Bytes>>, Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let scope = scope_of(&parts.headers).unwrap_or_default();
    let part = |n: usize| scope.split('/').nth(n).unwrap_or_default().to_owned();
    let call = Call {
        service: part(3),
        region: part(2),
        access_key: part(0),
        operation: operation_of(&parts.headers, &body).unwrap_or_default(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let operation = call.operation.clone();
    if let Ok(mut calls) = state.calls.lock() {
        calls.push(call);
    }
    if let Some(fault) = state.fault_for(&operation) {
        return Ok(Response::builder()
            .status(fault.status)
            .header(hyper::header::CONTENT_TYPE, fault.content_type)
            .body(Full::new(Bytes::from(fault.body)))?);
    }
    if let Some(page) = state.page_asked_for(&operation, &body) {
        return Ok(Response::builder()
            .header(hyper::header::CONTENT_TYPE, "text/xml")
            .body(Full::new(page))?);
    }
    let started = Instant::now();
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let response = sender
        .send_request(Request::from_parts(parts, Full::new(body)))
        .await?;
    let (mut parts, body) = response.into_parts();
    let mut body = body.collect().await?.to_bytes();
    if let Ok(mut latencies) = state.latencies.lock() {
        latencies.push((operation.clone(), started.elapsed()));
    }
    let original_length = body.len();
    body = state.rewritten(&operation, body);
    body = state.first_page(&operation, body);
    if body.len() != original_length {
        parts.headers.remove(hyper::header::CONTENT_LENGTH);
    }
    Ok(Response::from_parts(parts, Full::new(body)))
}

impl ProxyState {
    /// The pending fault of `operation`, if any (one use of it).
    fn fault_for(&self, operation: &str) -> Option<Fault> {
        let mut faults = self.faults.lock().ok()?;
        let fault = faults
            .iter_mut()
            .find(|f| f.operation == operation && f.times > 0)?;
        fault.times -= 1;
        Some(fault.clone())
    }

    /// Applies the pending rewrites of `operation` to its answer.
    fn rewritten(&self, operation: &str, mut body: Bytes) -> Bytes {
        if let Ok(mut rewrites) = self.rewrites.lock() {
            for rewrite in rewrites.iter_mut() {
                if rewrite.operation == operation && rewrite.times > 0 {
                    rewrite.times -= 1;
                    let text =
                        String::from_utf8_lossy(&body).replace(&rewrite.find, &rewrite.replace);
                    body = Bytes::from(text);
                }
            }
        }
        body
    }

    /// A later page of a paged answer, when the request carries its token.
    fn page_asked_for(&self, operation: &str, request: &[u8]) -> Option<Bytes> {
        let token = paging::next_token(request)?;
        let mut pagers = self.pagers.lock().ok()?;
        let pager = pagers.iter_mut().find(|p| p.operation == operation)?;
        pager.pending.remove(&token)
    }

    /// Cuts a paged operation's answer into pages: keeps the later ones,
    /// returns the first.
    fn first_page(&self, operation: &str, body: Bytes) -> Bytes {
        let Ok(mut pagers) = self.pagers.lock() else {
            return body;
        };
        let Some(pager) = pagers.iter_mut().find(|p| p.operation == operation) else {
            return body;
        };
        let cut = self
            .pages_cut
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let token = |n: usize| format!("curfew-page-{cut}-{n}");
        let Some(pages) = paging::split(
            &String::from_utf8_lossy(&body),
            &pager.list,
            pager.per_page,
            token,
        ) else {
            return body;
        };
        let mut pages = pages.into_iter().enumerate();
        let first = pages.next().map(|(_, page)| Bytes::from(page));
        for (n, page) in pages {
            pager.pending.insert(token(n), Bytes::from(page));
        }
        first.unwrap_or(body)
    }
}

/// The SigV4 credential scope, `AKID/20261124/ap-northeast-2/sqs/aws4_request`.
fn scope_of(headers: &hyper::HeaderMap) -> Option<String> {
    let auth = headers.get(hyper::header::AUTHORIZATION)?.to_str().ok()?;
    let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
    Some(scope.to_owned())
}

fn operation_of(headers: &hyper::HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(target) = headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        return target.rsplit('.').next().map(str::to_owned);
    }
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_service_and_operation() {
        let mut headers = hyper::HeaderMap::new();
        headers.insert(
            hyper::header::AUTHORIZATION,
            "AWS4-HMAC-SHA256 Credential=test/20261124/ap-northeast-2/ec2/aws4_request, SignedHeaders=host"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            scope_of(&headers).as_deref(),
            Some("test/20261124/ap-northeast-2/ec2/aws4_request")
        );
        assert_eq!(
            operation_of(&headers, b"Action=DescribeInstances&Version=2016-11-15").as_deref(),
            Some("DescribeInstances")
        );
        headers.insert("x-amz-target", "AmazonSQS.SendMessage".parse().unwrap());
        assert_eq!(
            operation_of(&headers, b"{}").as_deref(),
            Some("SendMessage")
        );
    }
}
