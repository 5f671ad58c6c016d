//! The Slack slash command, in-process (SPEC §4.2): signed requests in,
//! answers and queued jobs out, routed by path as both front ends route.

use chrono::{DateTime, Utc};
use curfew_ingress::handler::Outcome;
use curfew_ingress::http::answer;
use curfew_ingress::slack::{command, Signed};
use curfew_ingress::{Answer, Config};
use curfew_shared::front::Front;
use curfew_shared::job::Job;
use curfew_shared::signing::sign;
use curfew_testkit::MemoryQueue;
use serde_json::Value;

const SECRET: &str = "slack-signing-secret";
/// Slack's own example (api.slack.com, "Verifying requests from Slack").
const EXAMPLE_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const EXAMPLE_TIMESTAMP: &str = "1531420618";
const EXAMPLE_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const EXAMPLE_SIGNATURE: &str =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn config(vars: &[(&str, &str)]) -> Config {
    Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap()
}

fn slack_only() -> Config {
    config(&[
        (
            "CURFEW_SLACK_SIGNING_SECRETS",
            &format!("old-secret,{SECRET}"),
        ),
        ("CURFEW_QUEUE_URL", "q"),
        ("CURFEW_LANG", "en"),
    ])
}

fn form(text: &str) -> String {
    format!(
        "team_id=T1&team_domain=acme&channel_id=C0123ABC&channel_name=dev-ops&user_id=U42&user_name=alice&command=%2Fcurfew&text={}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fsecret&trigger_id=1.2.3",
        text.replace(' ', "+")
    )
}

/// Posts `body` to `path`, signed with `secret` at `at` (Unix seconds).
async fn post(
    path: &str,
    body: &str,
    secret: &str,
    at: i64,
    config: &Config,
) -> (Answer, Vec<Job>) {
    let timestamp = at.to_string();
    let signature = sign(secret, &timestamp, body.as_bytes());
    let header = |name: &str| match name {
        "x-slack-request-timestamp" => Some(timestamp.as_str()),
        "x-slack-signature" => Some(signature.as_str()),
        _ => None,
    };
    let queue = MemoryQueue::default();
    let answer = answer(path, header, body.as_bytes(), config, &queue).await;
    (answer, queue.jobs())
}

async fn signed_now(body: &str) -> (Answer, Vec<Job>) {
    post(
        "/slack/commands",
        body,
        SECRET,
        Utc::now().timestamp(),
        &slack_only(),
    )
    .await
}

fn text_of(answer: &Answer) -> String {
    let body = answer.body.as_ref().expect("a Slack message");
    assert_eq!(body["response_type"], "ephemeral", "{body}");
    body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"]["text"].as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_signed_command_is_acknowledged_and_queued_as_the_slack_users() {
    let (answer, jobs) = signed_now(&form("dev force_start for 2h")).await;
    assert_eq!((answer.status, answer.outcome), (200, Outcome::Queued));
    assert!(text_of(&answer).contains("dev"), "{:?}", answer.body);
    let [Job::Command(job)] = jobs.as_slice() else {
        panic!("{jobs:?}")
    };
    assert_eq!(job.front, Front::Slack);
    assert_eq!(job.text, "/curfew dev force_start for 2h");
    assert_eq!(job.command.schedule(), Some("dev"));
    assert_eq!(
        (
            job.writer.as_str(),
            job.writer_name.as_deref(),
            job.room.as_deref()
        ),
        ("U42", Some("alice"), Some("dev-ops"))
    );
    assert_eq!(job.keyword.as_deref(), Some("curfew"));
    assert_eq!(
        job.response_url.as_ref().unwrap().expose(),
        "https://hooks.slack.com/commands/T1/1/secret"
    );
    assert!(
        !format!("{job:?}").contains("hooks.slack.com"),
        "never in a log line"
    );
    assert_eq!(jobs[0].message_group(), "dev");
}

#[tokio::test]
async fn the_same_request_delivered_twice_makes_the_same_job() {
    let at = Utc::now().timestamp();
    let config = slack_only();
    let body = form("dev status");
    let (_, first) = post("/slack/commands", &body, SECRET, at, &config).await;
    let (_, again) = post("/slack/commands", &body, SECRET, at, &config).await;
    assert_eq!(first[0].idempotency_key(), again[0].idempotency_key());
    let (_, later) = post("/slack/commands", &body, SECRET, at + 1, &config).await;
    assert_ne!(first[0].idempotency_key(), later[0].idempotency_key());
}

#[tokio::test]
async fn help_and_syntax_errors_are_answered_in_place_with_the_apps_command() {
    let (help, jobs) = signed_now(&form("help")).await;
    assert_eq!(
        (help.status, help.outcome, jobs.len()),
        (200, Outcome::AnsweredHere, 0)
    );
    assert!(text_of(&help).contains("/curfew"), "{}", text_of(&help));
    let (wrong, jobs) = signed_now(&form("dev force_start for 9d")).await;
    assert_eq!(
        (wrong.status, wrong.outcome, jobs.len()),
        (200, Outcome::AnsweredHere, 0)
    );
    assert!(
        text_of(&wrong).contains("/curfew"),
        "the usage line: {}",
        text_of(&wrong)
    );
}

#[tokio::test]
async fn slacks_documented_example_is_verified_and_answered_with_help() {
    let config = config(&[
        ("CURFEW_SLACK_SIGNING_SECRETS", EXAMPLE_SECRET),
        ("CURFEW_QUEUE_URL", "q"),
        // The example is from 2018: no replay window for it.
        ("CURFEW_REPLAY_WINDOW", "0"),
    ]);
    let header = |name: &str| match name {
        "x-slack-request-timestamp" => Some(EXAMPLE_TIMESTAMP),
        "x-slack-signature" => Some(EXAMPLE_SIGNATURE),
        _ => None,
    };
    let queue = MemoryQueue::default();
    let answer = answer(
        "/slack/commands",
        header,
        EXAMPLE_BODY.as_bytes(),
        &config,
        &queue,
    )
    .await;
    assert_eq!(
        (answer.status, answer.outcome),
        (200, Outcome::AnsweredHere)
    );
    assert!(
        text_of(&answer).contains("/webhook-collect"),
        "{}",
        text_of(&answer)
    );
    assert!(queue.jobs().is_empty());
}

#[tokio::test]
async fn strangers_get_401_with_nothing_and_nothing_is_queued() {
    let at = Utc::now().timestamp();
    let config = slack_only();
    let body = form("dev force_stop");
    let cases: [(&str, &str, i64); 4] = [
        ("a wrong secret", "not-the-secret", at),
        ("five minutes and a second old", SECRET, at - 301),
        ("from the future", SECRET, at + 301),
        ("an empty secret", "", at),
    ];
    for (what, secret, at) in cases {
        let (answer, jobs) = post("/slack/commands", &body, secret, at, &config).await;
        assert_eq!(
            (answer.status, &answer.body, jobs.len()),
            (401, &None, 0),
            "{what}"
        );
    }
    let queue = MemoryQueue::default();
    let unsigned = command(body.as_bytes(), Signed::default(), now(), &config, &queue).await;
    assert_eq!((unsigned.status, unsigned.body), (401, None));
    // Signed, but not a slash command.
    let (answer, jobs) = signed_now("payload=%7B%7D").await;
    assert_eq!((answer.status, jobs.len()), (400, 0));
}

#[tokio::test]
async fn size_paths_and_fronts_are_kept_apart() {
    let big = form(&"a".repeat(70 * 1024));
    let (answer, _) = signed_now(&big).await;
    assert_eq!(answer.status, 413);
    let at = Utc::now().timestamp();
    let slack = slack_only();
    for path in ["/slack", "/slack/other", "/jandi", "/slack/commands/"] {
        let (answer, jobs) = post(path, &form("dev status"), SECRET, at, &slack).await;
        assert_eq!((answer.status, jobs.len()), (404, 0), "{path}");
    }
    // Slack alone: JANDI's path serves nothing.
    let (answer, _) = post(
        "/",
        "{\"token\":\"t\",\"text\":\"/x help\"}",
        SECRET,
        at,
        &slack,
    )
    .await;
    assert_eq!(answer.status, 404);
    // JANDI alone: no Slack front.
    let jandi = config(&[("CURFEW_JANDI_TOKENS", "t"), ("CURFEW_QUEUE_URL", "q")]);
    let (answer, _) = post("/slack/commands", &form("dev status"), SECRET, at, &jandi).await;
    assert_eq!(answer.status, 404);
    let (answer, _) = post(
        "/",
        "{\"token\":\"t\",\"text\":\"/x help\"}",
        SECRET,
        at,
        &jandi,
    )
    .await;
    assert_eq!(answer.status, 200, "JANDI still answers on /");
    let body: &Value = answer.body.as_ref().unwrap();
    assert!(
        body.get("connectColor").is_some(),
        "a JANDI message: {body}"
    );
}

#[test]
fn neither_front_configured_is_an_error_naming_both() {
    let error = Config::from_lookup(|name| (name == "CURFEW_QUEUE_URL").then(|| "q".to_owned()))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("CURFEW_JANDI_TOKENS") && error.contains("CURFEW_SLACK_SIGNING_SECRETS"),
        "{error}"
    );
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A click on a warning's button, as Slack posts it.
fn click(user: &str, command: &str) -> String {
    let value = serde_json::json!({
        "label": "Keep running 1h", "command": command, "until": "2099-12-07T10:00:00Z", "stop": "19:00"
    });
    let payload = serde_json::json!({
        "type": "block_actions",
        "user": {"id": user, "username": "alice"},
        "channel": {"id": "C0123ABC", "name": "dev-ops"},
        "container": {"type": "message", "message_ts": "1796648400.000100"},
        "response_url": "https://hooks.slack.com/actions/T1/1/secret",
        "actions": [{"type": "button", "action_id": "offer-0", "value": value.to_string()}]
    });
    format!("payload={}", percent(&payload.to_string()))
}

#[tokio::test]
async fn a_click_queues_the_command_its_button_offers_once_per_user() {
    let config = slack_only();
    let at = Utc::now().timestamp();
    let (answer, jobs) = post(
        "/slack/actions",
        &click("U42", "dev force_start for 1h"),
        SECRET,
        at,
        &config,
    )
    .await;
    assert_eq!(
        (answer.status, answer.outcome, &answer.body),
        (200, Outcome::Queued, &None)
    );
    let [Job::Command(job)] = jobs.as_slice() else {
        panic!("{jobs:?}")
    };
    assert_eq!(job.text, "dev force_start for 1h");
    assert_eq!(
        (job.writer.as_str(), job.room.as_deref()),
        ("U42", Some("dev-ops"))
    );
    assert_eq!(job.offer.as_ref().unwrap().stop, "19:00");
    assert_eq!(
        job.response_url.as_ref().unwrap().expose(),
        "https://hooks.slack.com/actions/T1/1/secret"
    );
    // A double click (even a second later) is the same job; another user's is not.
    let (_, again) = post(
        "/slack/actions",
        &click("U42", "dev force_start for 1h"),
        SECRET,
        at + 1,
        &config,
    )
    .await;
    assert_eq!(again[0].idempotency_key(), jobs[0].idempotency_key());
    let (_, other) = post(
        "/slack/actions",
        &click("U7", "dev force_start for 1h"),
        SECRET,
        at,
        &config,
    )
    .await;
    assert_ne!(other[0].idempotency_key(), jobs[0].idempotency_key());
}

#[tokio::test]
async fn a_forged_or_foreign_click_queues_nothing() {
    let config = slack_only();
    let at = Utc::now().timestamp();
    let body = click("U42", "dev force_stop");
    let (forged, jobs) = post("/slack/actions", &body, "not-the-secret", at, &config).await;
    assert_eq!((forged.status, jobs.len()), (401, 0));
    let (stale, jobs) = post("/slack/actions", &body, SECRET, at - 600, &config).await;
    assert_eq!((stale.status, jobs.len()), (401, 0));
    let (foreign, jobs) = post(
        "/slack/actions",
        &click("U42", "rm -rf /"),
        SECRET,
        at,
        &config,
    )
    .await;
    assert_eq!((foreign.status, jobs.len()), (400, 0), "not a command");
    let (not_a_click, jobs) =
        post("/slack/actions", &form("dev status"), SECRET, at, &config).await;
    assert_eq!((not_a_click.status, jobs.len()), (400, 0));
}

#[tokio::test]
async fn a_queue_failure_is_told_to_the_typist_and_fails_the_click() {
    let config = slack_only();
    let at = Utc::now().timestamp().to_string();
    let queue = MemoryQueue::default();
    queue.set_down(true);
    for (path, body) in [
        ("/slack/commands", form("dev status")),
        ("/slack/actions", click("U42", "dev force_stop")),
    ] {
        let signature = sign(SECRET, &at, body.as_bytes());
        let header = |name: &str| match name {
            "x-slack-request-timestamp" => Some(at.as_str()),
            "x-slack-signature" => Some(signature.as_str()),
            _ => None,
        };
        let answer = answer(path, header, body.as_bytes(), &config, &queue).await;
        assert_eq!(answer.outcome, Outcome::QueueFailed, "{path}");
        if path == "/slack/commands" {
            assert_eq!(answer.status, 200, "the typist reads why");
            assert!(text_of(&answer).contains("Failed"), "{}", text_of(&answer));
        } else {
            assert_eq!(answer.status, 503, "Slack shows the click failed");
        }
    }
    assert!(queue.jobs().is_empty());
}
