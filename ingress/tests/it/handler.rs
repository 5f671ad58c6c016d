//! The ingress decision, in-process: JSON fixtures in, answers and queued jobs out.

use chrono::{DateTime, Utc};
use curfew_ingress::handler::Outcome;
use curfew_ingress::{handle, Answer, Config};
use curfew_shared::job::Job;
use curfew_testkit::MemoryQueue;
use serde_json::{json, Value};

const NOW: &str = "2026-12-04T13:00:30Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).unwrap().to_utc()
}

fn config(extra: &[(&str, &str)]) -> Config {
    let mut vars = vec![
        ("CURFEW_JANDI_TOKENS", "old-token,new-token"),
        ("CURFEW_QUEUE_URL", "q"),
    ];
    vars.extend_from_slice(extra);
    Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap()
}

fn payload(text: &str) -> Value {
    json!({
        "token": "new-token", "teamName": "t", "roomName": "dev-ops",
        "writerName": "김개발", "writerEmail": "dev@example.com",
        "text": text, "keyword": "서버", "createdAt": "2026-12-04T13:00:00.000Z"
    })
}

async fn answer(body: &[u8], config: &Config) -> (Answer, Vec<Job>) {
    let queue = MemoryQueue::default();
    let answer = handle(body, now(), config, &queue).await;
    (answer, queue.jobs())
}

async fn post(value: &Value) -> (Answer, Vec<Job>) {
    answer(value.to_string().as_bytes(), &config(&[])).await
}

fn text_of(answer: &Answer) -> String {
    serde_json::to_string(answer.body.as_ref().expect("a JANDI message")).unwrap()
}

#[tokio::test]
async fn a_command_is_queued_once_and_acknowledged() {
    let (answer, jobs) = post(&payload("/서버 dev status")).await;
    assert_eq!((answer.status, answer.outcome), (200, Outcome::Queued));
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].message_group(), "dev");
    assert!(
        text_of(&answer).contains("dev status"),
        "{}",
        text_of(&answer)
    );
}

#[tokio::test]
async fn the_writer_object_shape_is_queued_too() {
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/jandi/outgoing-writer-object.json"
    ))
    .unwrap();
    let body = String::from_utf8(body)
        .unwrap()
        .replace("REPLACE-WITH-YOUR-OUTGOING-TOKEN", "old-token");
    let (answer, jobs) = answer(body.as_bytes(), &config(&[("CURFEW_REPLAY_WINDOW", "0")])).await;
    assert_eq!(answer.outcome, Outcome::Queued);
    let Job::Command(job) = &jobs[0] else {
        panic!("not a command job")
    };
    assert_eq!(job.writer, "dev@example.com");
}

#[tokio::test]
async fn a_wrong_token_gets_401_and_nothing_is_queued() {
    let mut value = payload("/서버 dev force_stop");
    value["token"] = json!("guess");
    let (answer, jobs) = post(&value).await;
    assert_eq!((answer.status, answer.body, jobs.len()), (401, None, 0));
}

#[tokio::test]
async fn a_missing_token_gets_401_too() {
    let mut value = payload("/서버 dev force_stop");
    value.as_object_mut().unwrap().remove("token");
    let (answer, jobs) = post(&value).await;
    assert_eq!((answer.status, jobs.len()), (401, 0));
}

#[tokio::test]
async fn both_rotated_tokens_are_accepted() {
    let mut value = payload("/서버 list");
    value["token"] = json!("old-token");
    let (answer, jobs) = post(&value).await;
    assert_eq!((answer.status, jobs.len()), (200, 1));
    assert_eq!(jobs[0].message_group(), "_");
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_nothing_is_queued() {
    let mut value = payload("/서버 dev status");
    value["data"] = json!("x".repeat(70 * 1024));
    let (answer, jobs) = post(&value).await;
    assert_eq!((answer.status, jobs.len()), (413, 0));
}

#[tokio::test]
async fn a_body_that_is_not_a_payload_gets_400() {
    for body in [
        &b"not json"[..],
        b"{\"token\":\"new-token\"}",
        b"{\"token\":5,\"text\":\"x\"}",
        b"",
    ] {
        let (answer, jobs) = answer(body, &config(&[])).await;
        assert_eq!(
            (answer.status, jobs.len()),
            (400, 0),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[tokio::test]
async fn help_is_answered_here() {
    let (answer, jobs) = post(&payload("/서버 help")).await;
    assert_eq!(
        (answer.status, answer.outcome, jobs.len()),
        (200, Outcome::AnsweredHere, 0)
    );
    assert!(text_of(&answer).contains("/서버 <schedule> force_start"));
}

#[tokio::test]
async fn a_bad_date_is_answered_here_with_the_usage() {
    let (answer, jobs) = post(&payload("/서버 dev exception set 2026-02-30 stop 15:00")).await;
    assert_eq!((answer.status, jobs.len()), (200, 0));
    let text = text_of(&answer);
    assert!(
        text.contains("2026-02-30") && text.contains("#FF0000"),
        "{text}"
    );
    assert!(
        text.contains("/서버 <schedule> exception|e set|s DATE start|stop TIME|None"),
        "{text}"
    );
}

#[tokio::test]
async fn a_bad_time_is_answered_here() {
    let (answer, jobs) = post(&payload("/서버 dev exception set 2026-12-24 stop 25:00")).await;
    assert_eq!(jobs.len(), 0);
    assert!(text_of(&answer).contains("25:00"));
}

/// Bad windows for `force_start` / `force_stop` never reach the queue: the
/// answer names what was wrong and shows that command's usage line.
#[tokio::test]
async fn bad_force_windows_are_answered_here_with_the_usage() {
    let start = "/서버 <schedule> force_start [for DURATION | until [DATE] TIME]";
    let stop = "/서버 <schedule> force_stop [for DURATION | until [DATE] TIME]";
    for (text, says, usage) in [
        ("/서버 dev force_start for 9d", "7일", start),
        ("/서버 dev force_start for 0m", "0보다", start),
        ("/서버 dev force_start until 25:00", "25:00", start),
        (
            "/서버 dev force_start until 2026-02-30 09:00",
            "2026-02-30",
            start,
        ),
        ("/서버 dev force_stop for", "기간", stop),
        ("/서버 dev force_stop for 9d", "7일", stop),
    ] {
        let (answer, jobs) = post(&payload(text)).await;
        assert_eq!((answer.status, jobs.len()), (200, 0), "{text}");
        let answer = text_of(&answer);
        assert!(
            answer.contains("#FF0000") && answer.contains(says) && answer.contains(usage),
            "{text}: {answer}"
        );
    }
}

#[tokio::test]
async fn force_windows_with_days_and_dates_are_queued() {
    for text in [
        "/서버 dev force_start for 2d12h",
        "/서버 dev force_stop for 1h",
        "/서버 dev force_start until tomorrow 09:00",
        "/서버 dev force_stop until 2026-12-26 09:00",
    ] {
        let (answer, jobs) = post(&payload(text)).await;
        assert_eq!((answer.status, jobs.len()), (200, 1), "{text}");
    }
}

#[tokio::test]
async fn an_unknown_command_is_answered_with_the_usage() {
    let (answer, jobs) = post(&payload("/서버 dev foo")).await;
    assert_eq!(jobs.len(), 0);
    let text = text_of(&answer);
    assert!(
        text.contains("foo") && text.contains("/서버 <schedule> status"),
        "{text}"
    );
}

#[tokio::test]
async fn a_stale_created_at_is_refused_as_a_replay() {
    let mut value = payload("/서버 dev force_stop");
    value["createdAt"] = json!("2026-12-04T12:50:00.000Z");
    let (answer, jobs) = post(&value).await;
    assert_eq!(
        (answer.status, answer.outcome, jobs.len()),
        (200, Outcome::Replay, 0)
    );
    value["createdAt"] = json!("2026-12-04T13:10:00.000Z");
    assert_eq!(
        post(&value).await.0.outcome,
        Outcome::Replay,
        "from the future too"
    );
    value["createdAt"] = json!("a while ago");
    assert_eq!(post(&value).await.0.outcome, Outcome::Replay, "unreadable");
}

#[tokio::test]
async fn the_replay_window_can_be_disabled() {
    let mut value = payload("/서버 dev force_stop");
    value["createdAt"] = json!("2026-12-04T12:50:00.000Z");
    let (answer, jobs) = answer(
        value.to_string().as_bytes(),
        &config(&[("CURFEW_REPLAY_WINDOW", "0")]),
    )
    .await;
    assert_eq!((answer.outcome, jobs.len()), (Outcome::Queued, 1));
}

#[tokio::test]
async fn a_queue_failure_is_told_to_the_writer() {
    let queue = MemoryQueue::default();
    queue.set_down(true);
    let answer = handle(
        payload("/서버 dev status").to_string().as_bytes(),
        now(),
        &config(&[]),
        &queue,
    )
    .await;
    assert_eq!((answer.status, answer.outcome), (200, Outcome::QueueFailed));
    assert!(text_of(&answer).contains("#FF0000"));
}

#[tokio::test]
async fn the_same_payload_twice_gives_the_same_key() {
    let (_, first) = post(&payload("/서버 dev force_stop")).await;
    let (_, second) = post(&payload("/서버 dev force_stop")).await;
    assert_eq!(first[0].idempotency_key(), second[0].idempotency_key());
}

#[tokio::test]
async fn english_replies_with_curfew_lang_en() {
    let (answer, _) = answer(
        payload("/서버 help").to_string().as_bytes(),
        &config(&[("CURFEW_LANG", "en")]),
    )
    .await;
    let english = text_of(&answer);
    assert!(
        english.contains("Commands") && !english.contains("충성"),
        "{english}"
    );
    let (answer, _) = post(&payload("/서버 help")).await;
    assert!(text_of(&answer).contains("충성"), "Korean is the default");
}

#[tokio::test]
async fn the_queued_job_never_carries_the_token() {
    let (_, jobs) = post(&payload("/서버 dev status")).await;
    assert!(!jobs[0].encode().contains("new-token"));
}
