//! `curfew-ingress` as built, started as Lambda starts it (`bootstrap`, no
//! arguments, Lambda's environment and the template's variables) against a
//! Runtime API stand-in (testkit: cargo-lambda's emulator builds the
//! function itself and cannot run the binary cargo test built), answering
//! Function URL events (payload 2.0) warm, one process for them all, and
//! telling Lambda what is missing when it cannot start (SPEC §10).

use aws_sdk_sqs::types::QueueAttributeName;
use base64::Engine as _;
use chrono::{SecondsFormat, Utc};
use curfew_shared::job::Job;
use curfew_testkit::{local_aws, sdk_at, Invocation, RuntimeApi};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

const TOKEN: &str = "lambda-token";
const WAIT: Duration = Duration::from_secs(30);

/// A task root of its own for each test (they run side by side).
fn task_root(test: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ingress-{test}-{}", std::process::id()))
}

fn start(api: &RuntimeApi, test: &str, vars: &[(&str, &str)]) -> Child {
    api.bootstrap(
        env!("CARGO_BIN_EXE_curfew-ingress").as_ref(),
        &task_root(test),
    )
    .unwrap()
    .envs(vars.iter().copied())
    .stdout(Stdio::null())
    .spawn()
    .unwrap()
}

/// A Function URL's event (payload format 2.0) for a JANDI post.
fn function_url_event(body: &Value, base64: bool) -> Value {
    let text = body.to_string();
    let (body, encoded) = if base64 {
        (base64::engine::general_purpose::STANDARD.encode(text), true)
    } else {
        (text, false)
    };
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/",
        "rawQueryString": "",
        "headers": {
            "content-type": "application/json",
            "host": "abc.lambda-url.ap-northeast-2.on.aws",
            "user-agent": "JANDI"
        },
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abc",
            "domainName": "abc.lambda-url.ap-northeast-2.on.aws",
            "domainPrefix": "abc",
            "http": { "method": "POST", "path": "/", "protocol": "HTTP/1.1",
                      "sourceIp": "203.0.113.7", "userAgent": "JANDI" },
            "requestId": "r-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "07/Dec/2026:13:00:00 +0000",
            "timeEpoch": 1796648400000_u64
        },
        "body": body,
        "isBase64Encoded": encoded
    })
}

fn jandi(token: &str, text: &str) -> Value {
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    curfew_testkit::jandi_payload(token, text, &now)
}

async fn answer(api: &RuntimeApi, event: Value) -> Value {
    match api.invoke(event, WAIT).await {
        Some(Invocation::Response(response)) => response,
        other => panic!("no response: {other:?}"),
    }
}

#[tokio::test]
async fn function_url_events_are_answered_warm_and_commands_queued() {
    let Some(endpoint) = local_aws() else { return };
    let sqs = aws_sdk_sqs::Client::new(&sdk_at(&endpoint).await);
    let queue_url = sqs
        .create_queue()
        .queue_name(format!("ingress-lambda-{}.fifo", std::process::id()))
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "true")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let api = RuntimeApi::start().await.unwrap();
    // The template's variables (infra/template.yaml, IngressFunction).
    let mut function = start(
        &api,
        "warm",
        &[
            ("CURFEW_JANDI_TOKENS", &format!("old,{TOKEN}")),
            ("CURFEW_QUEUE_URL", &queue_url),
            ("CURFEW_LANG", "ko"),
            ("AWS_ENDPOINT_URL", &endpoint),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
        ],
    );

    let plain = answer(
        &api,
        function_url_event(&jandi(TOKEN, "/서버 dev status"), false),
    )
    .await;
    assert_eq!(plain["statusCode"], 200, "{plain}");
    assert_eq!(
        plain["headers"]["content-type"],
        "application/json; charset=utf-8"
    );
    let message: Value = serde_json::from_str(plain["body"].as_str().unwrap()).unwrap();
    assert!(
        message["body"].as_str().unwrap().contains("dev"),
        "{message}"
    );

    let encoded = answer(
        &api,
        function_url_event(&jandi(TOKEN, "/서버 dev next"), true),
    )
    .await;
    assert_eq!(
        encoded["statusCode"], 200,
        "a base64 body is decoded: {encoded}"
    );

    let stranger = answer(
        &api,
        function_url_event(&jandi("wrong", "/서버 dev stop"), false),
    )
    .await;
    assert_eq!(stranger["statusCode"], 401, "{stranger}");
    assert!(
        stranger["body"].as_str().unwrap_or_default().is_empty(),
        "{stranger}"
    );

    let help = answer(&api, function_url_event(&jandi(TOKEN, "/서버 help"), true)).await;
    assert_eq!(help["statusCode"], 200);
    assert!(
        help["body"].as_str().unwrap().contains("force_start"),
        "{help}"
    );

    assert!(
        function.try_wait().unwrap().is_none(),
        "one process, still up"
    );
    assert_eq!(
        api.wait_for_polls(5, WAIT).await,
        5,
        "four invocations and the poll for the fifth"
    );
    assert_eq!(api.unknown(), Vec::<String>::new());
    function.kill().unwrap();

    // Exactly the two commands, in the order typed; not the stranger's,
    // not help (answered in place).
    let received = sqs
        .receive_message()
        .queue_url(&queue_url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let texts: Vec<String> = received
        .messages()
        .iter()
        .map(|m| match Job::decode(m.body().unwrap()).unwrap() {
            Job::Command(job) => job.text,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(texts, ["/서버 dev status", "/서버 dev next"]);
}

#[tokio::test]
async fn a_missing_variable_is_the_init_error_and_names_it() {
    let api = RuntimeApi::start().await.unwrap();
    let mut function = start(&api, "init", &[("CURFEW_JANDI_TOKENS", TOKEN)]);
    let (error_type, body) = api.init_error(WAIT).await.expect("an init error");
    assert_eq!(error_type, "Runtime.InitError");
    assert_eq!(body["errorType"], "Curfew.ConfigError");
    let message = body["errorMessage"].as_str().unwrap();
    assert!(message.contains("CURFEW_QUEUE_URL"), "{message}");
    assert!(
        !message.contains(TOKEN),
        "no value of a variable: {message}"
    );
    let status = tokio::task::spawn_blocking(move || function.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(2), "the process ends");
    assert_eq!(api.polls(), 0, "it never asked for an event");
}
