//! Timeouts and retries for every AWS call the worker makes, set once on
//! the SDK configuration (STYLE: reuse one `SdkConfig`).
//!
//! Without them a call that hangs waits as long as the Lambda lets it, and
//! the batch times out with every message in it. With them a stuck call
//! fails as a timeout, which [`crate::error::classify`] calls transient:
//! the job is retried a little later, and the other jobs go on.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::ConfigLoader;
use std::time::Duration;

/// Opening a connection to an AWS endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// One attempt of one operation, reading its answer included. A 1,000-
/// instance `DescribeInstances` page answers in well under a second on AWS.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// One operation over all its attempts: under half the worker's 60-second
/// Lambda timeout, so a failing call still leaves time to answer the room.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(25);
/// Attempts per operation, in the SDK's standard retry mode (exponential
/// backoff with jitter, a token bucket against retry storms): throttling
/// and 5xx are tried again inside the call before curfew sees them.
pub const MAX_ATTEMPTS: u32 = 3;

/// `loader` with curfew's timeouts and standard retries.
pub fn configured(loader: ConfigLoader) -> ConfigLoader {
    loader
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
}
