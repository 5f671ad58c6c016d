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

use crate::app::{App, ExecError};
use crate::commands::execute;
use crate::limits::{DONE_TTL, FAILED_RETRY, HELD_RETRY};
use crate::scheduler::tick;
use chrono::{DateTime, Utc};
use curfew_shared::front::Front;
use curfew_shared::jandi::DEFAULT_KEYWORD;
use curfew_shared::job::{CommandJob, Job};
use curfew_shared::ports::{Claim, Class, Destination, NotifyError};
use curfew_shared::reply::{clicked_by, render, Context, ErrorView, Reply};
use curfew_shared::slack::{ResponseType, RESPONSE_URL_MINUTES};

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its effects are durable: delete it.
    Done,
    /// Already done by an earlier delivery: delete it.
    Duplicate,
    /// Could not finish now; deliver it again after [`Retry::after`].
    Retry(Retry),
    /// Can never succeed (malformed, unknown version), or failed for a
    /// reason that would repeat (access denied, a corrupt item):
    /// dead-letter it at once, with the reason.
    Poison(String),
}

/// Why a message is to be delivered again, which says how soon.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Retry {
    /// Another worker holds its claim: most likely finishing right now.
    #[error("another worker holds it until {lease_until}")]
    HeldElsewhere { lease_until: DateTime<Utc> },
    /// An earlier message of its FIFO group failed in this batch: it keeps
    /// its place behind that one.
    #[error("an earlier message of its group failed")]
    GroupHeldBack,
    /// A failure that may pass (throttling, a 5xx, a timeout, contention,
    /// JANDI down), as its error said it.
    #[error("{0}")]
    Transient(String),
}

impl Retry {
    /// How long the message stays invisible before its next delivery.
    pub const fn after(&self) -> std::time::Duration {
        match self {
            Self::HeldElsewhere { .. } | Self::GroupHeldBack => HELD_RETRY,
            Self::Transient(_) => FAILED_RETRY,
        }
    }
}

impl Verdict {
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
                return Verdict::Retry(Retry::HeldElsewhere { lease_until });
            }
            Err(error) => return verdict_of(error.class(), error.to_string()),
        }
        let result = match &job {
            Job::Command(command) => self.command(command, now).await,
            Job::Tick(tick) => tick::run(self, tick.at, now).await.map_err(Failure::Exec),
            Job::Reconcile(job) => tick::reconcile_job(self, &job.schedule, job.at)
                .await
                .map_err(Failure::Exec),
            Job::Pair(job) => tick::pair_job(self, job, now).await.map_err(Failure::Exec),
        };
        match result {
            Ok(()) => match claims.done(&key, now, DONE_TTL).await {
                Ok(()) => Verdict::Done,
                // Whatever its class: the effects are durable, and the
                // redelivery redoes them harmlessly (each is keyed by the job).
                Err(error) => Verdict::Retry(Retry::Transient(error.to_string())),
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
        // A click on an offer past the stop it was made for does nothing.
        let expired = job.offer.as_ref().filter(|offer| now >= offer.until);
        let outcome = match expired {
            Some(offer) => Ok(Reply::Error(ErrorView::OfferExpired {
                stop: offer.stop.clone(),
            })),
            None => execute(&self.services, &self.config, job, now).await,
        };
        let reply = match outcome {
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
        let Some(to) = self.reply_destination(job, &reply, now) else {
            return Ok(());
        };
        let mut card = render(&reply, &ctx);
        if let Some(offer) = &job.offer {
            let who = job.writer_name.as_deref().unwrap_or(&job.writer);
            card = clicked_by(card, who, &offer.label, self.config.lang);
        }
        match self.notifier.post(to, &card).await {
            Ok(()) => Ok(()),
            Err(error @ NotifyError::Rejected { .. }) => {
                // The front refused this message for good: retrying cannot help.
                tracing::error!(%error, room = ?job.room, "reply refused");
                Ok(())
            }
            Err(error) => Err(Failure::Notify(error)),
        }
    }

    /// Where a command's reply goes: the JANDI room's webhook (else the
    /// default), or the Slack command's `response_url`, which the channel
    /// sees unless the reply is an error (SPEC §4.2); past the URL's 30
    /// minutes, the channel's own incoming webhook. `None`, logged, when
    /// there is nowhere to post: no webhook, or no usable `response_url`
    /// (one outside `CURFEW_SLACK_RESPONSE_PREFIX` is never followed) and
    /// no webhook for the channel.
    fn reply_destination<'a>(
        &'a self,
        job: &'a CommandJob,
        reply: &Reply,
        now: DateTime<Utc>,
    ) -> Option<Destination<'a>> {
        match job.front {
            Front::Jandi => {
                let url = self.config.routes.for_room(job.room.as_deref());
                if url.is_none() {
                    tracing::warn!(room = ?job.room, "no incoming webhook for this room; reply dropped");
                }
                url.map(Destination::Jandi)
            }
            Front::Slack => {
                let routes = &self.config.slack_routes;
                let webhook = routes
                    .own(job.room_id.as_deref())
                    .or_else(|| routes.own(job.room.as_deref()));
                let url = job
                    .response_url
                    .as_ref()
                    .map(|u| u.expose().as_str())
                    .filter(|u| u.starts_with(&self.config.slack_response_prefix))
                    .filter(|_| !response_url_expired(job, now));
                let Some(url) = url else {
                    if webhook.is_none() {
                        tracing::warn!(room = ?job.room, "no usable response_url (none, outside CURFEW_SLACK_RESPONSE_PREFIX, or past its 30 minutes) and no webhook for the channel; reply undeliverable, dropped");
                    }
                    return webhook.map(Destination::SlackWebhook);
                };
                let error = matches!(reply, Reply::Error(_));
                let response_type = if error {
                    ResponseType::Ephemeral
                } else {
                    ResponseType::InChannel
                };
                // A click's answer replaces the warning; a refusal leaves
                // the warning (and its buttons) for someone else.
                let replace_original = job.offer.is_some() && !error;
                Some(Destination::SlackResponse {
                    url,
                    response_type,
                    replace_original,
                    fallback: webhook,
                })
            }
        }
    }
}

/// Whether Slack no longer takes a reply at the job's `response_url`: 30
/// minutes after the command (a job whose instant cannot be read is
/// treated as fresh; Slack refuses it if not, and the webhook takes it).
fn response_url_expired(job: &CommandJob, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&job.created_at).is_ok_and(|at| {
        now.signed_duration_since(at) >= chrono::Duration::minutes(RESPONSE_URL_MINUTES)
    })
}

/// The verdict of a job that failed: a transient failure is retried soon;
/// a permanent one (access denied, validation, a corrupt item) would fail
/// the same way on every delivery, so it goes to the DLQ at once with its
/// reason, where `replay-dlq` can bring it back once someone has mended
/// the cause.
fn verdict_of(class: Class, reason: String) -> Verdict {
    match class {
        Class::Transient => Verdict::Retry(Retry::Transient(reason)),
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod chat_tests;
#[cfg(test)]
mod savings_tests;
