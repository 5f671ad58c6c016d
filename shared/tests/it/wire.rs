//! The JANDI payload samples in `examples/jandi/` and the job envelopes.

use chrono::{DateTime, Utc};
use curfew_shared::command::parse;
use curfew_shared::jandi::{Message, OutgoingWebhook};
use curfew_shared::job::{self, CommandJob, Job, JobError};

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/../examples/jandi/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn flat_writer_payload_parses() {
    let payload = OutgoingWebhook::from_json(&sample("outgoing-flat.json")).unwrap();
    assert_eq!(payload.writer_name(), Some("김개발"));
    assert_eq!(payload.writer_identity(), "dev@example.com");
    assert_eq!(payload.room_name.as_deref(), Some("dev-ops"));
    assert_eq!(payload.created_at(), Some(at("2026-12-04T09:00:00Z")));
}

#[test]
fn writer_object_with_numeric_id_parses() {
    let payload = OutgoingWebhook::from_json(&sample("outgoing-writer-object.json")).unwrap();
    assert_eq!(payload.writer.as_ref().unwrap().id.as_deref(), Some("123"));
    assert_eq!(payload.writer_name(), Some("김개발"));
    assert_eq!(payload.writer_email(), Some("dev@example.com"));
}

#[test]
fn writer_object_with_string_id_parses() {
    let body = br#"{"token":"t","text":"/x list","writer":{"id":"u-9","name":"Lee"}}"#;
    let payload = OutgoingWebhook::from_json(body).unwrap();
    assert_eq!(payload.writer_identity(), "Lee");
    assert_eq!(payload.writer.unwrap().id.as_deref(), Some("u-9"));
}

#[test]
fn only_token_and_text_are_required_and_unknown_fields_are_ignored() {
    let payload =
        OutgoingWebhook::from_json(br#"{"token":"t","text":"/x help","newField":[1,2]}"#).unwrap();
    assert_eq!(payload.writer_identity(), "");
    assert_eq!(payload.created_at(), None);
}

#[test]
fn nulls_are_absent_fields() {
    let body =
        br#"{"token":"t","text":"/x help","writerEmail":null,"writer":null,"createdAt":null}"#;
    assert!(OutgoingWebhook::from_json(body).is_ok());
}

#[test]
fn missing_text_is_an_error_that_does_not_quote_the_body() {
    let error = OutgoingWebhook::from_json(br#"{"token":"SECRET-TOKEN"}"#).unwrap_err();
    assert!(!error.to_string().contains("SECRET"), "{error}");
    assert_eq!(error.category, "a field has the wrong type or is missing");
}

#[test]
fn broken_json_is_an_error() {
    let error = OutgoingWebhook::from_json(b"{\"token\": \"abc").unwrap_err();
    assert!(!error.to_string().contains("abc"));
}

#[test]
fn debug_never_shows_the_token() {
    let payload =
        OutgoingWebhook::from_json(br#"{"token":"SECRET-TOKEN","text":"/x help"}"#).unwrap();
    assert!(!format!("{payload:?}").contains("SECRET"));
}

#[test]
fn bad_created_at_is_none_not_a_failure() {
    let payload =
        OutgoingWebhook::from_json(br#"{"token":"t","text":"x","createdAt":"yesterday"}"#).unwrap();
    assert_eq!(payload.created_at(), None);
}

#[test]
fn incoming_message_sample_matches_the_type() {
    let message: Message = serde_json::from_slice(&sample("incoming-reply.json")).unwrap();
    assert_eq!(message.connect_color, "#1DDB16");
    let json = serde_json::to_value(&message).unwrap();
    assert!(json.get("connectInfo").is_some() && json.get("connect_info").is_none());
}

fn command_job() -> CommandJob {
    let payload = OutgoingWebhook::from_json(&sample("outgoing-writer-object.json")).unwrap();
    let command = parse(&payload.text).unwrap();
    CommandJob::new(&payload, command, at("2026-12-04T13:00:01Z"))
}

#[test]
fn command_key_is_sha256_of_created_at_writer_room_text() {
    let job = command_job();
    let expected = job::command_key(
        "2026-12-04T13:00:00.000Z",
        "dev@example.com",
        "dev-ops",
        "/서버 dev force_start for 2h",
    );
    assert_eq!(job.key, expected);
    assert_eq!(job.key.len(), 64);
    assert!(job.key.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn command_key_known_vector() {
    // printf '%s' 'a|b|c|d' | sha256sum
    assert_eq!(
        job::command_key("a", "b", "c", "d"),
        "b54856b7a8705958e13238b3d67eac1cf256afefd4ad405d644ac956b1164870"
    );
}

#[test]
fn the_same_message_twice_has_one_key_and_another_has_another() {
    let first = command_job();
    assert_eq!(first.key, command_job().key);
    let mut payload = OutgoingWebhook::from_json(&sample("outgoing-flat.json")).unwrap();
    let other = CommandJob::new(
        &payload,
        parse(&payload.text).unwrap(),
        at("2026-12-04T09:00:00Z"),
    );
    payload.created_at_text = Some("2026-12-04T09:00:01.000Z".to_owned());
    let later = CommandJob::new(
        &payload,
        parse(&payload.text).unwrap(),
        at("2026-12-04T09:00:00Z"),
    );
    assert_ne!(first.key, other.key);
    assert_ne!(other.key, later.key);
}

#[test]
fn the_token_never_enters_a_job() {
    let encoded = Job::Command(command_job()).encode();
    assert!(!encoded.contains("REPLACE-WITH-YOUR-OUTGOING-TOKEN"));
}

#[test]
fn command_job_round_trips_through_the_envelope() {
    let job = Job::Command(command_job());
    let encoded = job.encode();
    let value: serde_json::Value = serde_json::from_str(&encoded).unwrap();
    assert_eq!(value["v"], 1);
    assert_eq!(value["kind"], "command");
    assert_eq!(Job::decode(&encoded).unwrap(), job);
    assert_eq!(job.message_group(), "dev");
}

#[test]
fn list_commands_go_to_the_underscore_group() {
    let payload = OutgoingWebhook::from_json(br#"{"token":"t","text":"/x list"}"#).unwrap();
    let job = Job::Command(CommandJob::new(
        &payload,
        parse(&payload.text).unwrap(),
        Utc::now(),
    ));
    assert_eq!(job.message_group(), "_");
}

#[test]
fn group_ids_stay_within_what_sqs_accepts() {
    let payload =
        OutgoingWebhook::from_json("{\"token\":\"t\",\"text\":\"/x 개발 status\"}".as_bytes())
            .unwrap();
    let job = Job::Command(CommandJob::new(
        &payload,
        parse(&payload.text).unwrap(),
        Utc::now(),
    ));
    let group = job.message_group();
    assert!(
        group.starts_with("h-") && group.len() == 34 && group.is_ascii(),
        "{group}"
    );
    assert_eq!(group, job.message_group(), "stable");
}

#[test]
fn eventbridge_scheduled_event_is_a_tick() {
    let body = r#"{"version":"0","id":"89d1a02d","detail-type":"Scheduled Event","source":"aws.events",
        "account":"123456789012","time":"2026-12-04T00:00:00Z","region":"ap-northeast-2",
        "resources":["arn:aws:events:ap-northeast-2:123456789012:rule/curfew-tick"],"detail":{}}"#;
    let Job::Tick(tick) = Job::decode(body).unwrap() else {
        panic!("not a tick")
    };
    assert_eq!(tick.at, at("2026-12-04T09:00:00+09:00"));
    assert_eq!(tick.region.as_deref(), Some("ap-northeast-2"));
    assert_eq!(Job::Tick(tick).message_group(), "tick");
}

#[test]
fn curfew_tick_enqueues_the_eventbridge_shape() {
    let event = job::scheduled_event(at("2026-12-04T00:00:30Z"));
    let Job::Tick(tick) = Job::decode(&event.to_string()).unwrap() else {
        panic!("not a tick")
    };
    assert_eq!(tick.at, at("2026-12-04T00:00:30Z"));
}

#[test]
fn reconcile_and_tick_keys_truncate_to_the_minute() {
    assert_eq!(
        job::reconcile_key("dev", at("2026-12-04T09:00:59.9Z")),
        "dev|2026-12-04T09:00:00Z"
    );
    assert_eq!(
        job::tick_key(at("2026-12-04T09:00:01Z")),
        "tick|2026-12-04T09:00:00Z"
    );
}

#[test]
fn a_pair_job_is_keyed_and_grouped_by_its_pair() {
    let job = Job::Pair(job::PairJob {
        target: "stage".into(),
        region: "us-east-1".into(),
        at: at("2026-12-04T09:00:31Z"),
    });
    assert_eq!(
        job.idempotency_key(),
        "stage|us-east-1|2026-12-04T09:00:00Z"
    );
    assert_eq!(job.message_group(), "stage|us-east-1");
    let body = job.encode();
    assert!(body.contains(r#""kind":"pair""#), "{body}");
    assert_eq!(Job::decode(&body).unwrap(), job);
}

#[test]
fn decode_refuses_what_can_never_succeed() {
    assert!(matches!(Job::decode("not json"), Err(JobError::NotJson(_))));
    assert!(matches!(
        Job::decode(r#"{"kind":"tick"}"#),
        Err(JobError::MissingVersion)
    ));
    assert!(
        matches!(Job::decode(r#"{"v":2,"kind":"tick"}"#), Err(JobError::UnknownVersion(v)) if v == "2")
    );
    assert!(matches!(
        Job::decode(r#"{"v":1,"kind":"explode"}"#),
        Err(JobError::Malformed(_))
    ));
    assert!(matches!(
        Job::decode(r#"{"source":"aws.events","detail-type":"Scheduled Event"}"#),
        Err(JobError::Malformed(_))
    ));
    assert!(matches!(
        Job::decode(
            r#"{"source":"aws.events","detail-type":"EC2 Instance State-change Notification"}"#
        ),
        Err(JobError::Malformed(_))
    ));
}
