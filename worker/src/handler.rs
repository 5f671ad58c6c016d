//! The job handler (SPEC §7): one queue message in, its effects out, exactly
//! once in effect. Both front ends (Lambda's SQS batch and the long-polling
//! `curfew worker`) hand every message body to [`App::handle`] and act on
//! its verdict: delete, retry, or dead-letter.
//!
//! Each job's key is claimed with a conditional write before anything is
//! done and marked done after, so a second delivery of a finished job does
//! nothing. When a job fails half-way its claim is released, and the retry
//! redoes it: every effect is keyed by the job (override, audit record,
//! exception) or guarded by the scheduler state, so redoing is safe.

use crate::adapters::dynamodb::Claim;
use crate::adapters::jandi::NotifyError;
use crate::app::{App, ExecError};
use crate::commands::execute;
use crate::error::Class;
use crate::limits::{DONE_TTL, FAILED_RETRY, HELD_RETRY};
use crate::scheduler::tick;
use chrono::{DateTime, Utc};
use curfew_shared::jandi::DEFAULT_KEYWORD;
use curfew_shared::job::{CommandJob, Job};
use curfew_shared::reply::{render, Context, ErrorView, Reply};

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its effects are durable: delete it.
    Done,
    /// Already done by an earlier delivery: delete it.
    Duplicate,
    /// Could not finish now; deliver it again after `after`.
    Retry {
        reason: String,
        after: std::time::Duration,
    },
    /// Can never succeed (malformed, unknown version), or failed for a
    /// reason that would repeat (access denied, a corrupt item):
    /// dead-letter it at once, with the reason.
    Poison(String),
}

impl Verdict {
    pub fn retry(reason: impl Into<String>, after: std::time::Duration) -> Self {
        Self::Retry {
            reason: reason.into(),
            after,
        }
    }

    /// Whether the message may be deleted from the queue.
    pub const fn is_finished(&self) -> bool {
        matches!(self, Self::Done | Self::Duplicate)
    }
}

/// The job handler: [`App::handle`] is the one entry of both front ends.
impl App {
    /// Handles one message body at `now`.
    pub async fn handle(&self, body: &str, now: DateTime<Utc>) -> Verdict {
        let job = match Job::decode(body) {
            Ok(job) => job,
            Err(error) => {
                // The error describes the shape, never the content.
                tracing::error!(%error, "poison message");
                return Verdict::Poison(error.to_string());
            }
        };
        let key = job.idempotency_key();
        let claims = &self.services.claims;
        match claims.claim(&key, now, self.config.lease, DONE_TTL).await {
            Ok(Claim::Acquired) => {}
            Ok(Claim::AlreadyDone) => {
                tracing::info!(%key, "already done; skipped");
                return Verdict::Duplicate;
            }
            Ok(Claim::HeldElsewhere { lease_until }) => {
                // Most likely finishing right now: look again soon.
                return Verdict::retry(
                    format!("another worker holds it until {lease_until}"),
                    HELD_RETRY,
                );
            }
            Err(error) => return verdict_of(error.class(), error.to_string()),
        }
        let result = match &job {
            Job::Command(command) => self.command(command, now).await,
            Job::Tick(tick) => tick::run(self, tick.at, now).await.map_err(Failure::Exec),
            Job::Reconcile(job) => tick::reconcile_job(self, &job.schedule, job.at)
                .await
                .map_err(Failure::Exec),
        };
        match result {
            Ok(()) => match claims.done(&key, Utc::now(), DONE_TTL).await {
                Ok(()) => Verdict::Done,
                // Whatever its class: the effects are durable, and the
                // redelivery redoes them harmlessly (each is keyed by the job).
                Err(error) => Verdict::retry(error.to_string(), FAILED_RETRY),
            },
            Err(failure) => {
                let class = failure.class();
                tracing::warn!(%key, error = %failure, %class, "job failed");
                // Released either way: a retry, or a replay from the DLQ, redoes it.
                if let Err(error) = claims.release(&key).await {
                    tracing::warn!(%key, %error, "could not release the claim; the lease will expire");
                }
                verdict_of(class, failure.to_string())
            }
        }
    }

    /// Executes a chat command and posts the reply to its room.
    async fn command(&self, job: &CommandJob, now: DateTime<Utc>) -> Result<(), Failure> {
        let reply = match execute(&self.services, &self.config, job, now).await {
            Ok(reply) => reply,
            // The writer hears why at once: contention would most likely
            // repeat, and a permanent error (access denied, a corrupt item)
            // surely would.
            Err(error @ ExecError::Contention(_)) => Reply::Error(ErrorView::Failed {
                what: error.to_string(),
            }),
            Err(error) if error.class() == Class::Permanent => {
                tracing::error!(%error, "command failed for good; the room is told");
                Reply::Error(ErrorView::Failed {
                    what: error.to_string(),
                })
            }
            Err(error) => return Err(Failure::Exec(error)),
        };
        let ctx = Context::new(
            self.config.lang,
            job.keyword.as_deref().unwrap_or(DEFAULT_KEYWORD),
        );
        let Some(url) = self.config.routes.for_room(job.room.as_deref()) else {
            tracing::warn!(room = ?job.room, "no incoming webhook for this room; reply dropped");
            return Ok(());
        };
        match self.notifier.post(url, &render(&reply, &ctx)).await {
            Ok(()) => Ok(()),
            Err(error @ NotifyError::Rejected { .. }) => {
                // JANDI refused this message for good: retrying cannot help.
                tracing::error!(%error, room = ?job.room, "reply refused");
                Ok(())
            }
            Err(error) => Err(Failure::Notify(error)),
        }
    }
}

/// The verdict of a job that failed: a transient failure is retried soon;
/// a permanent one (access denied, validation, a corrupt item) would fail
/// the same way on every delivery, so it goes to the DLQ at once with its
/// reason, where `replay-dlq` can bring it back once someone has mended
/// the cause.
fn verdict_of(class: Class, reason: String) -> Verdict {
    match class {
        Class::Transient => Verdict::retry(reason, FAILED_RETRY),
        Class::Permanent => Verdict::Poison(reason),
    }
}

/// Why a job did not finish this time.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error(transparent)]
    Notify(NotifyError),
}

impl Failure {
    const fn class(&self) -> Class {
        match self {
            Self::Exec(error) => error.class(),
            // A refused reply never fails its job (see `command`): what
            // reaches here is an outage.
            Self::Notify(_) => Class::Transient,
        }
    }
}

/// The handler's verdicts against in-memory claims (no AWS at all: the
/// jobs here stop before any other adapter is called).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::jandi::RetryPolicy;
    use crate::app::Services;
    use crate::config::WorkerConfig;
    use crate::limits::{FAILED_RETRY, HELD_RETRY};
    use curfew_shared::job::scheduled_event;
    use curfew_testkit::{MemoryClaims, MemoryNotifier};
    use std::sync::Arc;

    /// An app whose claims are `claims`; its other adapters are never reached.
    fn app(claims: &Arc<MemoryClaims>) -> App {
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("ap-northeast-2"))
            .build();
        let config = WorkerConfig::from_lookup(|_| None).unwrap();
        let mut services = Services::new(&sdk, &config);
        services.claims = Arc::clone(claims) as Arc<dyn curfew_shared::ports::JobClaims>;
        App {
            services,
            config,
            notifier: Arc::new(
                crate::adapters::jandi::Notifier::new(RetryPolicy::default()).unwrap(),
            ),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-09T00:00:00Z")
            .unwrap()
            .to_utc()
    }

    /// A tick an hour old: stale, so it is done without touching AWS.
    fn stale_tick() -> (String, String) {
        let body = scheduled_event(now() - chrono::Duration::hours(1)).to_string();
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
            matches!(verdict, Verdict::Retry { after, .. } if after == HELD_RETRY),
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
        let Verdict::Retry { reason, after } = &verdict else {
            panic!("{verdict:?}");
        };
        assert_eq!(*after, FAILED_RETRY);
        assert!(
            reason.contains("ProvisionedThroughputExceededException"),
            "{reason}"
        );
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
        assert!(matches!(verdict, Verdict::Retry { .. }), "{verdict:?}");
    }

    /// A `help` command (it needs no AWS) typed at `now()`.
    fn help_job() -> String {
        command_job("/서버 help")
    }

    fn app_with(claims: &Arc<MemoryClaims>, notifier: &Arc<MemoryNotifier>) -> App {
        let mut app = app(claims);
        app.config.routes.default =
            Some("https://wh.jandi.com/connect-api/webhook/1/secret".to_owned());
        app.notifier = Arc::clone(notifier) as Arc<dyn curfew_shared::ports::Notify>;
        app
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
        assert!(posted[0].0.ends_with("/secret"));
        assert!(posted[0].1.body.contains("충성"), "{:?}", posted[0].1);
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
            matches!(verdict, Verdict::Retry { after, .. } if after == FAILED_RETRY),
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

    /// A command typed in the room `dev-ops` at `now()`.
    fn command_job(text: &str) -> String {
        let payload = serde_json::json!({
            "token": "t", "text": text, "roomName": "dev-ops", "writerName": "kim",
            "createdAt": "2026-12-09T00:00:00.000Z",
        });
        let webhook =
            curfew_shared::jandi::OutgoingWebhook::from_json(payload.to_string().as_bytes())
                .unwrap();
        let command = curfew_shared::command::parse(text).unwrap();
        Job::Command(CommandJob::new(&webhook, command, now())).encode()
    }

    /// The reply a command gets from the stored `SCHEDULES`, in English.
    async fn reply_to(text: &str) -> String {
        let (claims, notifier) = (
            Arc::new(MemoryClaims::default()),
            Arc::new(MemoryNotifier::default()),
        );
        let mut app = app_with(&claims, &notifier);
        app.config.lang = curfew_shared::reply::Lang::En;
        app.services.schedules =
            Arc::new(curfew_testkit::MemorySchedules::from_toml(SCHEDULES).unwrap());
        assert_eq!(
            app.handle(&command_job(text), now()).await,
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
        let mut app = app_with(&claims, &notifier);
        app.config.lang = curfew_shared::reply::Lang::En;
        app.config.admins = vec!["ops@example.com".to_owned()];
        app.services.schedules =
            Arc::new(curfew_testkit::MemorySchedules::from_toml(SCHEDULES).unwrap());
        let verdict = app
            .handle(&command_job("/서버 dev force_start"), now())
            .await;
        assert_eq!(verdict, Verdict::Done);
        let reply = serde_json::to_string(&notifier.posted()[0].1).unwrap();
        assert!(reply.contains("kim may not change schedules"), "{reply}");
    }
}
