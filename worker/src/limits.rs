//! Every duration and limit of the worker, in one table, each with why
//! (STYLE: named, documented constants in one place). Values that must
//! agree with `infra/template.yaml` are checked against it by a test below.

use chrono::Duration;
use std::time::Duration as StdDuration;

// --- The queue and the job claims (SPEC §7) ---

/// How long a received job stays invisible, as the template sets it: six
/// times the worker's 60-second Lambda timeout (AWS's advice for SQS event
/// sources). `curfew setup` creates its queues with the same.
pub const VISIBILITY_TIMEOUT_SECONDS: u32 = 360;
/// How many receives before a message goes to the DLQ (SPEC §1).
pub const MAX_RECEIVE_COUNT: u32 = 5;
/// How long a claim keeps other workers off a job, unless
/// `CURFEW_CLAIM_LEASE` says otherwise: longer than a job takes, shorter
/// than [`VISIBILITY_TIMEOUT_SECONDS`], so a crashed worker's job can be
/// taken over when it is delivered again.
pub const LEASE: Duration = Duration::seconds(90);
/// How long a done record is kept: far longer than any redelivery.
pub const DONE_TTL: Duration = Duration::days(7);
/// When to look again at a job another worker holds (most likely it is
/// finishing right now).
pub const HELD_RETRY: StdDuration = StdDuration::from_secs(2);
/// When to retry a job that failed transiently: long enough to let a brief
/// outage pass, short next to the visibility timeout that would otherwise
/// hold up the job's FIFO group.
pub const FAILED_RETRY: StdDuration = StdDuration::from_secs(10);
/// A tick older than this is dropped as stale, unless `CURFEW_TICK_MAX_AGE`
/// says otherwise (SPEC §6).
pub const TICK_MAX_AGE_SECONDS: i64 = 600;

// --- Scheduler state and overrides ---

/// How often a reconcile re-reads after another worker wrote the state first.
pub const STATE_WRITE_ATTEMPTS: usize = 3;
/// An override item outlives its window's end by this long: past the
/// reconciler's 8-day look-back ([`curfew_shared::schedule::timeline::LOOK_BACK`]),
/// so it is never gone while the timeline still needs it.
pub const OVERRIDE_TTL_AFTER_END: Duration = Duration::days(9);

// --- Savings (SPEC §6) ---

/// How long the ledger keeps a start or stop: 13 months, so `savings` can
/// compare a month with the same month a year before.
pub const LEDGER_KEEP_MONTHS: u32 = 13;
/// Items in one `BatchWriteItem`: DynamoDB's own limit.
pub const LEDGER_BATCH: usize = 25;
/// `BatchWriteItem` calls in flight at once for one reconcile's ledger: a
/// 1,000-schedule tick writes its 40 batches in 10 rounds.
pub const LEDGER_BATCHES_AT_ONCE: usize = 4;
/// `BatchWriteItem` calls for one batch while DynamoDB leaves items
/// unprocessed: the first and four more after 50, 100, 200, 400 ms.
pub const LEDGER_BATCH_CALLS: u32 = 5;
/// How far before a month `savings` reads the ledger: a stop made last
/// month and still in force counts from the month's first hour. A
/// resource stopped longer than this before the month, and not started
/// since, is not counted (docs/SAVINGS.md).
pub const LEDGER_LOOK_BACK: Duration = Duration::days(35);

/// How long a cached price is used (SPEC §6): on-demand prices change
/// seldom, and a month-old one is good enough for a monthly savings
/// figure. The item's `ttl` lets DynamoDB delete it afterwards; until it
/// does, an older item is ignored.
pub const PRICE_CACHE_LIFETIME: Duration = Duration::days(30);

/// `GetProducts` calls in flight at once: keys are few, and a small number
/// keeps a first report (nothing cached) clear of the API's throttling.
pub const PRICING_CONCURRENCY: usize = 4;

// --- EC2, RDS and DynamoDB calls of a tick (SPEC §6, cost of a tick) ---

/// EC2 ids per StartInstances / StopInstances call.
pub const EC2_BATCH: usize = 1000;
/// EC2 StartInstances / StopInstances batches in flight at once.
pub const EC2_CONCURRENCY: usize = 4;
/// RDS start / stop calls in flight at once (RDS takes one instance a call).
pub const RDS_CONCURRENCY: usize = 8;
/// Schedules' state writes (and webhooks' notices) in flight at once.
pub const TICK_CONCURRENCY: usize = 16;

// --- AWS calls (worker/src/aws.rs sets them on the SDK configuration) ---

/// Opening a connection to an AWS endpoint.
pub const AWS_CONNECT_TIMEOUT: StdDuration = StdDuration::from_secs(3);
/// One attempt of one operation, reading its answer included. A 1,000-
/// instance `DescribeInstances` page answers in well under a second on AWS.
pub const AWS_ATTEMPT_TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// One operation over all its attempts: under half the worker's 60-second
/// Lambda timeout, so a failing call still leaves time to answer the room.
pub const AWS_OPERATION_TIMEOUT: StdDuration = StdDuration::from_secs(25);
/// Attempts per operation, in the SDK's standard retry mode (exponential
/// backoff with jitter, a token bucket against retry storms): throttling
/// and 5xx are tried again inside the call before curfew sees them.
pub const AWS_MAX_ATTEMPTS: u32 = 3;
/// A target's assumed-role credentials are fetched again this long before
/// they expire (SPEC §5: "cached until shortly before they expire"), so no
/// call is signed with credentials that lapse while it is in flight.
pub const REFRESH_BEFORE: StdDuration = StdDuration::from_secs(5 * 60);

// --- JANDI (SPEC §4) ---

/// How many posts one URL takes in a window: what the notifier paces to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub posts: usize,
    pub per: StdDuration,
}

/// JANDI's limit: 60 posts a minute per incoming webhook.
pub const JANDI_PACE: Pace = Pace {
    posts: 60,
    per: StdDuration::from_secs(60),
};
/// Slack's: one message a second per channel (a webhook, a `response_url`).
pub const SLACK_PACE: Pace = Pace {
    posts: 1,
    per: StdDuration::from_secs(1),
};
/// The most one post may take over all its attempts: two full attempts and
/// their waits, well inside the worker's 60-second Lambda timeout.
pub const POST_BUDGET: StdDuration = StdDuration::from_secs(20);
/// One post attempt's limit.
pub const POST_TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// Attempts per post, and the backoff between them (full jitter).
pub const POST_ATTEMPTS: u32 = 5;
pub const POST_BASE_DELAY: StdDuration = StdDuration::from_millis(250);
pub const POST_MAX_DELAY: StdDuration = StdDuration::from_secs(8);

// --- Replies ---

/// How far `next` looks ahead (SPEC §3: 7 days).
pub const NEXT_HORIZON: Duration = Duration::days(7);
/// How far a force reply looks for the schedule's next event (a week and a
/// day: a window may end 7 days ahead).
pub const TAKEOVER_HORIZON: Duration = Duration::days(8);
/// How many changes `history` shows (SPEC §3).
pub const HISTORY_LENGTH: usize = 10;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn template() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../infra/template.yaml"
        ))
        .unwrap()
    }

    /// The value after `key:` on the template's first line with that key.
    fn value_of(template: &str, key: &str) -> String {
        template
            .lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| v.trim().trim_end_matches(',').to_owned())
            .unwrap_or_else(|| panic!("no {key} in the template"))
    }

    #[test]
    fn the_queue_as_setup_makes_it_is_the_queue_the_template_makes() {
        let template = template();
        assert_eq!(
            value_of(&template, "VisibilityTimeout"),
            VISIBILITY_TIMEOUT_SECONDS.to_string()
        );
        assert_eq!(
            value_of(&template, "maxReceiveCount"),
            MAX_RECEIVE_COUNT.to_string()
        );
    }

    #[test]
    fn a_lease_ends_before_the_job_is_delivered_again() {
        assert!(LEASE.num_seconds() < i64::from(VISIBILITY_TIMEOUT_SECONDS));
        assert!(OVERRIDE_TTL_AFTER_END > curfew_shared::schedule::timeline::LOOK_BACK);
    }
}
