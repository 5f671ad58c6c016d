//! Posting to a real HTTP server standing in for JANDI's incoming webhook
//! (and for a Slack incoming webhook: the same notifier, Slack's shape).

use curfew_shared::jandi::{Color, Message};
use curfew_shared::ports::NotifyError;
use curfew_worker::adapters::jandi::{Notifier, RetryPolicy, Routes};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the stand-in received: (Accept, Content-Type, body) per request.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// A webhook that answers the scripted statuses in order, then 200.
async fn stand_in(script: &[u16]) -> (String, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/connect-api/webhook/123/SECRET-TOKEN",
        listener.local_addr().unwrap()
    );
    let seen: Seen = Arc::default();
    let script = Arc::new(Mutex::new(
        script.iter().copied().collect::<VecDeque<u16>>(),
    ));
    let (seen2, script2) = (Arc::clone(&seen), Arc::clone(&script));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (seen, script) = (Arc::clone(&seen2), Arc::clone(&script2));
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: hyper::Request<hyper::body::Incoming>| {
                        let (seen, script) = (Arc::clone(&seen), Arc::clone(&script));
                        async move {
                            let header = |name| {
                                request
                                    .headers()
                                    .get(name)
                                    .map(|v: &hyper::header::HeaderValue| {
                                        v.to_str().unwrap().to_owned()
                                    })
                                    .unwrap_or_default()
                            };
                            let (accept, content_type) = (header("accept"), header("content-type"));
                            let body = request.into_body().collect().await.unwrap().to_bytes();
                            seen.lock().unwrap().push((
                                accept,
                                content_type,
                                String::from_utf8_lossy(&body).into_owned(),
                            ));
                            let status = script.lock().unwrap().pop_front().unwrap_or(200);
                            let mut response =
                                hyper::Response::new(Full::new(Bytes::from_static(b"{}")));
                            *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            if status == 429 {
                                // As Slack and JANDI send it: whole seconds.
                                response.headers_mut().insert(
                                    "retry-after",
                                    hyper::header::HeaderValue::from_static("1"),
                                );
                            }
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, seen)
}

fn fast() -> Notifier {
    Notifier::new(RetryPolicy {
        attempts: 5,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        timeout: Duration::from_secs(2),
        budget: Duration::from_secs(20),
    })
    .unwrap()
}

fn message() -> Message {
    Message::new(Color::Ok, "충성! dev 기상 완료").block("app", "dev-app-1 (i-0abc)")
}

#[tokio::test]
async fn a_message_arrives_with_jandis_headers() {
    let (url, seen) = stand_in(&[]).await;
    fast().post(&url, &message()).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "application/vnd.tosslab.jandi-v2+json");
    assert_eq!(seen[0].1, "application/json");
    let body: serde_json::Value = serde_json::from_str(&seen[0].2).unwrap();
    assert_eq!(body["connectColor"], "#1DDB16");
    assert_eq!(body["connectInfo"][0]["title"], "app");
}

#[tokio::test]
async fn failures_429_and_5xx_are_retried_until_delivered() {
    let (url, seen) = stand_in(&[503, 429, 500]).await;
    fast().post(&url, &message()).await.unwrap();
    assert_eq!(
        seen.lock().unwrap().len(),
        4,
        "three failures, then delivered once"
    );
}

#[tokio::test]
async fn other_4xx_are_permanent_and_not_retried() {
    let (url, seen) = stand_in(&[404]).await;
    let error = fast().post(&url, &message()).await.unwrap_err();
    assert_eq!(error, NotifyError::Rejected { status: 404 });
    assert!(!error.is_transient());
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_webhook_that_never_recovers_gives_up_without_naming_the_url() {
    let (url, seen) = stand_in(&[502; 10]).await;
    let error = fast().post(&url, &message()).await.unwrap_err();
    assert!(error.is_transient());
    assert_eq!(seen.lock().unwrap().len(), 5);
    assert!(!error.to_string().contains("SECRET-TOKEN"), "{error}");
}

#[tokio::test]
async fn an_unreachable_webhook_gives_up_without_naming_the_url() {
    let error = fast()
        .post(
            "http://127.0.0.1:9/connect-api/webhook/1/SECRET-TOKEN",
            &message(),
        )
        .await
        .unwrap_err();
    assert!(error.is_transient());
    assert!(!error.to_string().contains("SECRET"), "{error}");
}

#[test]
fn routes_prefer_the_room_then_the_default_and_hide_urls_in_debug() {
    let vars = [
        (
            "CURFEW_JANDI_WEBHOOK_URL",
            "https://wh.jandi.com/connect-api/webhook/1/default-secret",
        ),
        (
            "CURFEW_JANDI_ROOM_WEBHOOKS",
            r#"{"dev-ops": "https://wh.jandi.com/connect-api/webhook/1/room-secret"}"#,
        ),
    ];
    let routes = Routes::from_lookup(|n| {
        vars.iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap();
    assert!(routes
        .for_room(Some("dev-ops"))
        .unwrap()
        .ends_with("room-secret"));
    assert!(routes
        .for_room(Some("other"))
        .unwrap()
        .ends_with("default-secret"));
    assert!(routes.for_room(None).unwrap().ends_with("default-secret"));
    let debug = format!("{routes:?}");
    assert!(
        !debug.contains("secret") && debug.contains("dev-ops"),
        "{debug}"
    );
    let bad =
        Routes::from_lookup(|n| (n == "CURFEW_JANDI_ROOM_WEBHOOKS").then(|| "not json".to_owned()));
    assert!(bad
        .unwrap_err()
        .to_string()
        .contains("CURFEW_JANDI_ROOM_WEBHOOKS"));
}

/// A JANDI outage gives up inside the post's budget instead of spending
/// every attempt: the job is retried later and the batch keeps its time.
#[tokio::test]
async fn an_outage_gives_up_within_the_budget() {
    let (url, seen) = stand_in(&[503; 10]).await;
    let notifier = Notifier::new(RetryPolicy {
        attempts: 10,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_millis(200),
        timeout: Duration::from_millis(500),
        budget: Duration::from_millis(900),
    })
    .unwrap();
    let started = std::time::Instant::now();
    let error = notifier.post(&url, &message()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_transient(), "the job may be retried later");
    let NotifyError::GaveUp { attempts, .. } = error else {
        panic!("{error:?}");
    };
    assert!((1..10).contains(&attempts), "{attempts} attempts");
    assert_eq!(seen.lock().unwrap().len(), attempts as usize);
}

fn card() -> curfew_shared::reply::Card {
    curfew_shared::reply::Card::new(
        curfew_shared::reply::Tone::Warning,
        "dev stops in 10 minutes",
    )
    .block("app", "dev-app-1 (i-0abc)")
}

#[tokio::test]
async fn a_slack_429_is_retried_after_what_retry_after_says() {
    let (url, seen) = stand_in(&[429]).await;
    let started = std::time::Instant::now();
    fast().notify_on_slack(&url, &card()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 honoured"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let (accept, content_type, body) = &seen[1];
    assert_eq!(content_type, "application/json");
    assert!(!accept.contains("tosslab"), "not JANDI's Accept: {accept}");
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        json["text"], "dev stops in 10 minutes",
        "the notification's fallback"
    );
    assert!(
        json.get("response_type").is_none(),
        "a webhook post: {json}"
    );
    assert_eq!(json["blocks"][1]["type"], "header", "{json}");
}

/// SPEC §4.2: a `response_url` Slack no longer takes (404 `used_url` or
/// `expired_url`) hands the reply to the channel's incoming webhook, as a
/// webhook's message; with no webhook the reply is dropped, not retried.
#[tokio::test]
async fn a_refused_response_url_hands_the_reply_to_the_channels_webhook() {
    use curfew_shared::slack::ResponseType;
    let (response_url, refused) = stand_in(&[404]).await;
    let (webhook, channel) = stand_in(&[]).await;
    let notifier = fast();
    notifier
        .respond_on_slack(
            &response_url,
            Some(&webhook),
            &card(),
            ResponseType::InChannel,
            true,
        )
        .await
        .unwrap();
    assert_eq!(refused.lock().unwrap().len(), 1, "tried once, not retried");
    let channel = channel.lock().unwrap().clone();
    assert_eq!(channel.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&channel[0].2).unwrap();
    assert_eq!(json["text"], "dev stops in 10 minutes");
    assert!(json.get("response_type").is_none(), "{json}");
    assert!(json.get("replace_original").is_none(), "{json}");

    let (gone, tried) = stand_in(&[404]).await;
    notifier
        .respond_on_slack(&gone, None, &card(), ResponseType::InChannel, false)
        .await
        .expect_err("refused, and nowhere else to go");
    assert_eq!(tried.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn posts_to_one_slack_webhook_are_a_second_apart() {
    let (url, seen) = stand_in(&[]).await;
    let notifier = fast();
    let started = std::time::Instant::now();
    for _ in 0..3 {
        notifier.notify_on_slack(&url, &card()).await.unwrap();
    }
    assert_eq!(seen.lock().unwrap().len(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
