//! Posting to JANDI incoming webhooks (SPEC §4): replies and notifications;
//! and to Slack (SPEC §4.2): a command's reply to its `response_url`, a
//! notice to a channel's incoming webhook (one a second), with the same
//! retries, a 429's `Retry-After` honoured everywhere.
//!
//! 429, 5xx and transport failures (timeouts, refused connections) are
//! retried with exponential backoff and full jitter; any other 4xx is
//! permanent. Posts to one URL are spaced to stay under 60 a minute. Webhook
//! URLs carry a secret token: no error or log line ever contains one.

use crate::limits::{
    Pace, JANDI_PACE, POST_ATTEMPTS, POST_BASE_DELAY, POST_BUDGET, POST_MAX_DELAY, POST_TIMEOUT,
    SLACK_PACE,
};
use curfew_shared::jandi::{Message, INCOMING_ACCEPT};
use curfew_shared::ports::{Destination, Notify, PortFuture};
use curfew_shared::reply::Card;
use curfew_shared::slack::{self, ResponseType};
use curfew_shared::value::ConfigError;
use curfew_shared::Redacted;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Which webhook a message goes to. The URLs are [`Redacted`]: their path
/// is the webhook's secret token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routes {
    /// `CURFEW_JANDI_WEBHOOK_URL`.
    pub default: Option<Redacted<String>>,
    /// `CURFEW_JANDI_ROOM_WEBHOOKS`: room name → URL.
    pub rooms: HashMap<String, Redacted<String>>,
}

impl Routes {
    /// Reads the two variables through `lookup`. A malformed room map is an
    /// error naming the variable (never its value).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let default = lookup("CURFEW_JANDI_WEBHOOK_URL")
            .filter(|u| !u.trim().is_empty())
            .map(Redacted::new);
        let rooms = match lookup("CURFEW_JANDI_ROOM_WEBHOOKS").filter(|m| !m.trim().is_empty()) {
            None => HashMap::new(),
            Some(json) => serde_json::from_str(&json).map_err(|_| {
                ConfigError::new(
                    "CURFEW_JANDI_ROOM_WEBHOOKS",
                    "must be a JSON object of room name to URL",
                )
            })?,
        };
        Ok(Self { default, rooms })
    }

    /// The room's own webhook, else the default.
    pub fn for_room(&self, room: Option<&str>) -> Option<&str> {
        room.and_then(|r| self.rooms.get(r))
            .or(self.default.as_ref())
            .map(|url| url.expose().as_str())
    }
}

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// One attempt's limit.
    pub timeout: Duration,
    /// The most one post may spend trying, over all its attempts and the
    /// backoff between them (waiting to stay under 60 posts a minute is
    /// pacing, and not counted). An attempt that could not finish inside
    /// it is not started: the post
    /// gives up and its job is retried later, instead of a JANDI outage
    /// eating the worker's whole Lambda timeout (5 attempts × 10 s ≈ 54 s
    /// of its 60).
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: POST_ATTEMPTS,
            base_delay: POST_BASE_DELAY,
            max_delay: POST_MAX_DELAY,
            timeout: POST_TIMEOUT,
            budget: POST_BUDGET,
        }
    }
}

use curfew_shared::ports::NotifyError;

/// Posts messages to incoming webhooks.
#[derive(Debug)]
pub struct Notifier {
    http: reqwest::Client,
    retry: RetryPolicy,
    /// Recent send times per URL, for its front's [`Pace`].
    recent: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// The HTTP client could not be built (its TLS backend did not start).
#[derive(Debug, thiserror::Error)]
#[error("the HTTP client for JANDI could not be built: {0}")]
pub struct ClientError(#[source] reqwest::Error);

impl Notifier {
    /// Fails rather than fall back to a client without the timeout.
    pub fn new(retry: RetryPolicy) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(retry.timeout)
            .build()
            .map_err(ClientError)?;
        Ok(Self {
            http,
            retry,
            recent: Mutex::default(),
        })
    }

    /// Posts `message` to `url`, retrying transient failures within the
    /// policy's attempts and budget.
    pub async fn post(&self, url: &str, message: &Message) -> Result<(), NotifyError> {
        // A `Message` is plain strings: serializing it cannot fail.
        let body = serde_json::to_vec(message).unwrap_or_default();
        self.send(url, body, Some(INCOMING_ACCEPT), JANDI_PACE)
            .await
    }

    /// Posts a card to a Slack `response_url` as Block Kit, every message
    /// of it (a long reply is split to Slack's limits) with the same
    /// retries and budget as a JANDI post, at Slack's pace. What the URL
    /// does not take (past its five uses, or once Slack refuses it as used
    /// or expired) goes to the channel's incoming webhook, `fallback`;
    /// with none, it is logged as undeliverable and dropped (SPEC §4.2).
    pub async fn respond_on_slack(
        &self,
        url: &str,
        fallback: Option<&str>,
        card: &Card,
        response_type: ResponseType,
        replace_original: bool,
    ) -> Result<(), NotifyError> {
        let response = slack::response(card, response_type, replace_original);
        let mut rest = response.overflow;
        let mut messages = response.to_response_url.into_iter();
        while let Some(message) = messages.next() {
            match self.send(url, json(&message), None, SLACK_PACE).await {
                Ok(()) => {}
                Err(NotifyError::Rejected { status }) if fallback.is_some() => {
                    tracing::info!(
                        status,
                        "response_url refused; the channel's webhook takes the rest"
                    );
                    rest = std::iter::once(message)
                        .chain(messages)
                        .map(slack::for_webhook)
                        .chain(rest)
                        .collect();
                    break;
                }
                Err(error) => return Err(error),
            }
        }
        if rest.is_empty() {
            return Ok(());
        }
        let Some(webhook) = fallback else {
            tracing::warn!(
                messages = rest.len(),
                "reply longer than a response_url takes and no webhook for its channel; the rest is undeliverable, dropped"
            );
            return Ok(());
        };
        for message in rest {
            self.send(webhook, json(&message), None, SLACK_PACE).await?;
        }
        Ok(())
    }

    /// Posts a notice to a Slack incoming webhook as Block Kit (with the
    /// body as the notification's `text`), at Slack's pace.
    pub async fn notify_on_slack(&self, url: &str, card: &Card) -> Result<(), NotifyError> {
        for message in slack::messages(card, None) {
            self.send(url, json(&message), None, SLACK_PACE).await?;
        }
        Ok(())
    }

    /// One JSON body to `url`, with JANDI's `Accept` header when given,
    /// paced to `pace`.
    async fn send(
        &self,
        url: &str,
        body: Vec<u8>,
        accept: Option<&str>,
        pace: Pace,
    ) -> Result<(), NotifyError> {
        let started = Instant::now();
        let mut paced = Duration::ZERO;
        let mut last = String::new();
        let mut attempts = 0;
        // What a 429 asked for (`Retry-After`, seconds), honoured over the backoff.
        let mut asked: Option<Duration> = None;
        for attempt in 0..self.retry.attempts {
            if attempt > 0 {
                let wait = asked.take().unwrap_or_else(|| self.backoff(attempt));
                // Pacing to the front's limit is not an outage: only the
                // time spent trying counts against the budget.
                let spent = started.elapsed().saturating_sub(paced);
                if spent + wait + self.retry.timeout > self.retry.budget {
                    tracing::warn!(
                        attempts,
                        "post out of its time budget; the job retries later"
                    );
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            attempts += 1;
            paced += self.wait_for_rate_limit(url, pace).await;
            let mut request = self
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
            if let Some(accept) = accept {
                request = request.header(reqwest::header::ACCEPT, accept);
            }
            let sent = request.send().await;
            match sent {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) => {
                    let status = response.status();
                    asked = retry_after(&response);
                    if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS
                    {
                        return Err(NotifyError::Rejected {
                            status: status.as_u16(),
                        });
                    }
                    last = format!("HTTP {}", status.as_u16());
                }
                // The error's text may quote the URL: keep only its kind.
                Err(error) if error.is_timeout() => last = "timeout".to_owned(),
                Err(error) if error.is_connect() => last = "connection failed".to_owned(),
                Err(_) => last = "transport error".to_owned(),
            }
            tracing::warn!(attempt = attempt + 1, last = %last, "post failed; retrying");
        }
        Err(NotifyError::GaveUp { attempts, last })
    }

    /// Full jitter: a random delay up to base × 2^attempt, capped.
    /// (A 429's `Retry-After` is honoured instead: [`retry_after`].)
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .retry
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(16)))
            .min(self.retry.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }

    /// Waits until a post to `url` keeps it within `pace` (so many posts in
    /// any window of its length), then records it. Returns how long it waited.
    async fn wait_for_rate_limit(&self, url: &str, pace: Pace) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            let wait = {
                let mut recent = self.recent.lock().await;
                let sent = recent.entry(url.to_owned()).or_default();
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= pace.per)
                {
                    sent.pop_front();
                }
                match sent.front() {
                    Some(oldest) if sent.len() >= pace.posts => {
                        pace.per.saturating_sub(now.duration_since(*oldest))
                    }
                    _ => {
                        sent.push_back(now);
                        return waited;
                    }
                }
            };
            tokio::time::sleep(wait).await;
            waited += wait;
        }
    }
}

/// A Slack message's body. A message is plain strings: serializing it
/// cannot fail.
fn json(message: &slack::Message) -> Vec<u8> {
    serde_json::to_vec(message).unwrap_or_default()
}

/// The wait a 429 asks for in its `Retry-After` header, if it is one.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    if response.status() != reqwest::StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    wait_asked(value.to_str().ok()?, std::time::SystemTime::now())
}

/// A `Retry-After` value read at `now`: whole seconds, as Slack and JANDI
/// send it, or an HTTP-date (RFC 9110 §10.2.3), which a proxy may send; a
/// date already past asks for no wait.
fn wait_asked(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The port: a JANDI webhook gets the card as JANDI shows it
/// ([`Notifier::post`]); a Slack `response_url` or incoming webhook gets it
/// as Block Kit ([`Notifier::respond_on_slack`], [`Notifier::notify_on_slack`]).
impl Notify for Notifier {
    fn post<'a>(
        &'a self,
        to: Destination<'a>,
        card: &'a Card,
    ) -> PortFuture<'a, Result<(), NotifyError>> {
        Box::pin(async move {
            match to {
                Destination::Jandi(url) => Self::post(self, url, &Message::from(card)).await,
                Destination::SlackResponse {
                    url,
                    response_type,
                    replace_original,
                    fallback,
                } => {
                    self.respond_on_slack(url, fallback, card, response_type, replace_original)
                        .await
                }
                Destination::SlackWebhook(url) => self.notify_on_slack(url, card).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::wait_asked;
    use std::time::{Duration, SystemTime};

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = httpdate::parse_http_date("Wed, 09 Dec 2026 10:00:00 GMT").unwrap();
        // (header value, wait)
        let cases = [
            ("1", Some(Duration::from_secs(1))),
            (" 30 ", Some(Duration::from_secs(30))),
            (
                "Wed, 09 Dec 2026 10:00:07 GMT",
                Some(Duration::from_secs(7)),
            ),
            ("Wed, 09 Dec 2026 09:59:00 GMT", Some(Duration::ZERO)),
            ("soon", None),
            ("-1", None),
        ];
        for (value, wait) in cases {
            assert_eq!(wait_asked(value, now), wait, "{value:?}");
        }
        assert_eq!(
            wait_asked("0", SystemTime::UNIX_EPOCH),
            Some(Duration::ZERO)
        );
    }
}
