//! The handler's verdicts on the fakes (no AWS, no HTTP): every verdict,
//! the claim released for a retry, the reply path.

use super::*;
use crate::adapters::slack::SlackRoutes;
use crate::fakes::{at, command_job, tick_job, World, WEBHOOK};
use crate::limits::{FAILED_RETRY, HELD_RETRY};
use curfew_testkit::{MemoryClaims, MemoryNotifier};
use std::sync::Arc;

/// A worker on the fakes whose claims are `claims`.
fn app(claims: &Arc<MemoryClaims>) -> App {
    World {
        claims: Arc::clone(claims),
        ..World::default()
    }
    .app()
}

fn now() -> DateTime<Utc> {
    at("2026-12-09T00:00:00Z")
}

/// A tick an hour old: stale, so it is done without touching AWS.
fn stale_tick() -> (String, String) {
    let body = tick_job(now() - chrono::Duration::hours(1));
    let key = Job::decode(&body).unwrap().idempotency_key();
    (body, key)
}

#[tokio::test]
async fn a_body_that_is_no_job_is_poison_and_claims_nothing() {
    let claims = Arc::new(MemoryClaims::default());
    let verdict = app(&claims)
        .handle("{\"v\":1,\"kind\":\"what\"}", now())
        .await;
    assert!(matches!(verdict, Verdict::Poison(_)), "{verdict:?}");
}

#[tokio::test]
async fn a_finished_job_is_marked_done_and_a_second_delivery_is_a_duplicate() {
    let claims = Arc::new(MemoryClaims::default());
    let (body, key) = stale_tick();
    let app = app(&claims);
    assert_eq!(app.handle(&body, now()).await, Verdict::Done);
    assert!(claims.done_now(&key));
    assert_eq!(app.handle(&body, now()).await, Verdict::Duplicate);
}

#[tokio::test]
async fn a_job_another_worker_holds_is_looked_at_again_soon() {
    let claims = Arc::new(MemoryClaims::default());
    let (body, key) = stale_tick();
    claims.hold(&key, now() + chrono::Duration::seconds(60));
    let verdict = app(&claims).handle(&body, now()).await;
    assert!(
        matches!(verdict, Verdict::Retry(Retry::HeldElsewhere { .. })),
        "{verdict:?}"
    );
    // Once the holder's lease has run out, the job is taken over.
    let later = now() + chrono::Duration::seconds(61);
    assert_eq!(app(&claims).handle(&body, later).await, Verdict::Done);
}

#[tokio::test]
async fn a_throttled_claim_is_retried_and_a_denied_one_goes_to_the_dlq() {
    let claims = Arc::new(MemoryClaims::default());
    let (body, key) = stale_tick();
    let app = app(&claims);
    claims.fail_next(Class::Transient);
    let verdict = app.handle(&body, now()).await;
    let Verdict::Retry(Retry::Transient(reason)) = &verdict else {
        panic!("{verdict:?}");
    };
    assert!(reason.contains("ThrottlingException"), "{reason}");
    claims.fail_next(Class::Permanent);
    let verdict = app.handle(&body, now()).await;
    assert!(
        matches!(&verdict, Verdict::Poison(reason) if reason.contains("permanent")),
        "{verdict:?}"
    );
    assert!(!claims.known(&key), "nothing was claimed");
    assert_eq!(
        app.handle(&body, now()).await,
        Verdict::Done,
        "and later it runs"
    );
}

#[tokio::test]
async fn a_failed_done_mark_is_retried() {
    let claims = Arc::new(MemoryClaims::default());
    let (body, _) = stale_tick();
    let app = app(&claims);
    // The claim succeeds; the done mark after it is throttled.
    claims.fail_next_after(1, Class::Transient);
    let verdict = app.handle(&body, now()).await;
    assert!(
        matches!(verdict, Verdict::Retry(Retry::Transient(_))),
        "{verdict:?}"
    );
}

/// A `help` command (it needs no AWS) typed at `now()`.
fn help_job() -> String {
    command_job("/서버 help", now())
}

fn app_with(claims: &Arc<MemoryClaims>, notifier: &Arc<MemoryNotifier>) -> App {
    World {
        claims: Arc::clone(claims),
        notifier: Arc::clone(notifier),
        ..World::default()
    }
    .app()
}

#[tokio::test]
async fn a_reply_is_posted_to_the_room_and_the_job_is_done() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let verdict = app_with(&claims, &notifier)
        .handle(&help_job(), now())
        .await;
    assert_eq!(verdict, Verdict::Done);
    let posted = notifier.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].0, WEBHOOK);
    assert!(
        posted[0].1.body.contains("curfew commands"),
        "{:?}",
        posted[0].1
    );
}

#[tokio::test]
async fn a_reply_jandi_refuses_is_not_retried_and_an_outage_is() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = app_with(&claims, &notifier);
    notifier.answer_next(NotifyError::Rejected { status: 400 });
    assert_eq!(
        app.handle(&help_job(), now()).await,
        Verdict::Done,
        "refused for good"
    );

    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = app_with(&claims, &notifier);
    notifier.answer_next(NotifyError::GaveUp {
        attempts: 2,
        last: "HTTP 503".to_owned(),
    });
    let verdict = app.handle(&help_job(), now()).await;
    assert!(
        matches!(verdict, Verdict::Retry(Retry::Transient(_))),
        "{verdict:?}"
    );
    let key = Job::decode(&help_job()).unwrap().idempotency_key();
    assert!(!claims.known(&key), "the claim is released for the retry");
    assert_eq!(
        app.handle(&help_job(), now()).await,
        Verdict::Done,
        "the retry posts it"
    );
    assert_eq!(notifier.posted().len(), 1);
}

const SCHEDULES: &str = "[[schedule]]\nname = \"dev\"\ntimezone = \"Asia/Seoul\"\n\
    [[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n\
    [[schedule]]\nname = \"staging\"\n";

/// The reply a command gets from the stored `SCHEDULES`, in English.
async fn reply_to(text: &str) -> String {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = World {
        claims,
        notifier: Arc::clone(&notifier),
        ..World::new(SCHEDULES, Vec::new())
    }
    .app();
    assert_eq!(
        app.handle(&command_job(text, now()), now()).await,
        Verdict::Done,
        "{text}"
    );
    let posted = notifier.posted();
    let message = &posted.first().expect("a reply").1;
    serde_json::to_string(message).unwrap()
}

#[tokio::test]
async fn list_names_every_stored_schedule() {
    let reply = reply_to("/서버 list").await;
    assert!(
        reply.contains("dev") && reply.contains("staging"),
        "{reply}"
    );
    assert!(reply.contains("weekdays 09:00-19:00"), "{reply}");
}

#[tokio::test]
async fn an_unknown_schedule_is_answered_with_the_closest_name() {
    let reply = reply_to("/서버 dve next").await;
    assert!(
        reply.contains("no schedule named 'dve'") && reply.contains("Did you mean 'dev'?"),
        "{reply}"
    );
}

#[tokio::test]
async fn a_writer_not_among_the_admins_may_not_force() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let mut app = World {
        claims,
        notifier: Arc::clone(&notifier),
        ..World::new(SCHEDULES, Vec::new())
    }
    .app();
    app.config.admins = vec!["ops@example.com".to_owned()];
    let verdict = app
        .handle(&command_job("/서버 dev force_start", now()), now())
        .await;
    assert_eq!(verdict, Verdict::Done);
    let reply = serde_json::to_string(&notifier.posted()[0].1).unwrap();
    assert!(reply.contains("kim may not change schedules"), "{reply}");
}

#[test]
fn a_held_job_comes_back_sooner_than_a_failed_one() {
    assert_eq!(
        Retry::HeldElsewhere { lease_until: now() }.after(),
        HELD_RETRY
    );
    assert_eq!(Retry::GroupHeldBack.after(), HELD_RETRY);
    assert_eq!(
        Retry::Transient("throttled".to_owned()).after(),
        FAILED_RETRY
    );
    assert!(HELD_RETRY < FAILED_RETRY);
}

/// A Slack slash command typed at `now()`, its reply due at `response_url`
/// (form-encoded as Slack sends it).
fn slack_job(text: &str, response_url: &str) -> String {
    let form = format!(
        "user_id=U42&user_name=alice&channel_id=C1&channel_name=dev-ops&command=%2Fcurfew&text={}&response_url={response_url}",
        text.replace(' ', "+")
    );
    let request = curfew_shared::slack::SlashCommand::from_form(form.as_bytes()).unwrap();
    let command = curfew_shared::command::parse(&request.line()).unwrap();
    Job::Command(CommandJob::from_slack(&request, command, now())).encode()
}

const RESPONSE_URL: &str = "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fsecret";

#[tokio::test]
async fn a_slack_reply_goes_to_its_response_url_as_block_kit_for_the_channel() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = app_with(&claims, &notifier);
    let verdict = app.handle(&slack_job("help", RESPONSE_URL), now()).await;
    assert_eq!(verdict, Verdict::Done);
    assert!(notifier.posted().is_empty(), "nothing to JANDI");
    let posted = notifier.slack_posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    let (url, message) = &posted[0];
    assert_eq!(url, "https://hooks.slack.com/commands/T1/1/secret");
    assert_eq!(message.response_type, Some(ResponseType::InChannel));
    let json = serde_json::to_string(message).unwrap();
    assert!(
        json.contains("/curfew"),
        "usage lines show the app's command: {json}"
    );
    assert!(json.contains("\"type\":\"header\""), "{json}");
}

#[tokio::test]
async fn a_slack_error_is_for_the_asker_alone() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = app_with(&claims, &notifier);
    let verdict = app
        .handle(&slack_job("nosuch status", RESPONSE_URL), now())
        .await;
    assert_eq!(verdict, Verdict::Done);
    let posted = notifier.slack_posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].1.response_type, Some(ResponseType::Ephemeral));
    assert!(posted[0].1.text.contains("nosuch"), "{:?}", posted[0].1);
}

/// SPEC §4.2: past its 30 minutes a `response_url` takes nothing; the
/// reply goes to the channel's own incoming webhook, else nowhere (the
/// default webhook may post to another channel).
#[tokio::test]
async fn a_reply_too_late_for_its_response_url_goes_to_the_channels_webhook() {
    const CHANNEL: &str = "https://hooks.slack.com/services/T1/B1/dev-ops";
    const DEFAULT: &str = "https://hooks.slack.com/services/T1/B2/general";
    let late = now() + chrono::Duration::minutes(31);
    for (channels, expected) in [
        (serde_json::json!({ "#Dev-Ops": CHANNEL }), Some(CHANNEL)),
        (serde_json::json!({ "C1": CHANNEL }), Some(CHANNEL)),
        (serde_json::json!({ "other": CHANNEL }), None),
    ] {
        let world = World::default();
        let mut app = world.app();
        app.config.slack_routes = SlackRoutes::from_lookup(|name| match name {
            "CURFEW_SLACK_ROOM_WEBHOOKS" => Some(channels.to_string()),
            "CURFEW_SLACK_WEBHOOK_URL" => Some(DEFAULT.to_owned()),
            _ => None,
        })
        .unwrap();
        let verdict = app.handle(&slack_job("help", RESPONSE_URL), late).await;
        assert_eq!(verdict, Verdict::Done, "never retried for ever");
        let posted = world.notifier.slack_posted();
        match expected {
            Some(url) => {
                assert_eq!(posted.len(), 1, "{posted:?}");
                assert_eq!(posted[0].0, url);
                assert_eq!(posted[0].1.response_type, None, "a webhook's message");
            }
            None => assert!(posted.is_empty(), "undeliverable: {posted:?}"),
        }
    }

    // Within the 30 minutes, the response_url.
    let world = World::default();
    let app = world.app();
    let soon = now() + chrono::Duration::minutes(29);
    app.handle(&slack_job("help", RESPONSE_URL), soon).await;
    assert_eq!(
        world.notifier.slack_posted()[0].0,
        "https://hooks.slack.com/commands/T1/1/secret"
    );
}

#[tokio::test]
async fn a_response_url_outside_slacks_prefix_is_never_followed() {
    let (claims, notifier) = (
        Arc::new(MemoryClaims::default()),
        Arc::new(MemoryNotifier::default()),
    );
    let app = app_with(&claims, &notifier);
    let forged = "https%3A%2F%2Fevil.example%2Fhooks.slack.com%2F";
    let verdict = app.handle(&slack_job("help", forged), now()).await;
    assert_eq!(verdict, Verdict::Done, "nothing to retry");
    assert_eq!(notifier.attempts(), 0, "not even tried");
}
