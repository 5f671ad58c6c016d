//! Posts in memory (the `Notify` port).

use curfew_shared::jandi::Message;
use curfew_shared::ports::{Destination, Notify, NotifyError, PortFuture};
use curfew_shared::reply::Card;
use curfew_shared::slack;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Posts recorded in memory, with answers to script (`answer_next`).
#[derive(Debug, Default)]
pub struct MemoryNotifier {
    posted: Mutex<Vec<(String, Message)>>,
    slack_posted: Mutex<Vec<(String, slack::Message)>>,
    answers: Mutex<VecDeque<NotifyError>>,
    attempts: AtomicUsize,
}

impl MemoryNotifier {
    /// The next post fails with `error` (and is not recorded as delivered).
    pub fn answer_next(&self, error: NotifyError) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.push_back(error);
        }
    }

    /// Posts tried so far, delivered or not.
    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }

    /// The JANDI messages delivered so far, with their webhook URL.
    pub fn posted(&self) -> Vec<(String, Message)> {
        self.posted.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// The Slack messages delivered so far, with their `response_url` or
    /// incoming webhook.
    pub fn slack_posted(&self) -> Vec<(String, slack::Message)> {
        self.slack_posted
            .lock()
            .map(|p| p.clone())
            .unwrap_or_default()
    }

    fn record_slack(&self, url: &str, messages: Vec<slack::Message>) {
        if let Ok(mut posted) = self.slack_posted.lock() {
            posted.extend(messages.into_iter().map(|m| (url.to_owned(), m)));
        }
    }
}

impl Notify for MemoryNotifier {
    /// Records the card as its front would receive it.
    fn post<'a>(
        &'a self,
        to: Destination<'a>,
        card: &'a Card,
    ) -> PortFuture<'a, Result<(), NotifyError>> {
        Box::pin(async move {
            self.attempts.fetch_add(1, Ordering::SeqCst);
            if let Some(error) = self.answers.lock().ok().and_then(|mut a| a.pop_front()) {
                return Err(error);
            }
            match to {
                Destination::Jandi(url) => {
                    if let Ok(mut posted) = self.posted.lock() {
                        posted.push((url.to_owned(), Message::from(card)));
                    }
                }
                Destination::SlackResponse {
                    url,
                    response_type,
                    replace_original,
                    fallback,
                } => {
                    let response = slack::response(card, response_type, replace_original);
                    self.record_slack(url, response.to_response_url);
                    // With no webhook the rest is dropped, as the real one drops it.
                    if let Some(webhook) = fallback {
                        self.record_slack(webhook, response.overflow);
                    }
                }
                Destination::SlackWebhook(url) => {
                    self.record_slack(url, slack::messages(card, None));
                }
            }
            Ok(())
        })
    }
}
