//! Timeouts and retries for every AWS call the worker makes, set once on
//! the SDK configuration (STYLE: reuse one `SdkConfig`).
//!
//! Without them a call that hangs waits as long as the Lambda lets it, and
//! the batch times out with every message in it. With them a stuck call
//! fails as a timeout, which [`curfew_aws::classify`] calls transient:
//! the job is retried a little later, and the other jobs go on.

use crate::limits::{
    AWS_ATTEMPT_TIMEOUT, AWS_CONNECT_TIMEOUT, AWS_MAX_ATTEMPTS, AWS_OPERATION_TIMEOUT,
};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use curfew_shared::value::ConfigError;
use std::time::Duration;

/// The per-call timeouts: curfew's defaults, or longer ones for a local AWS
/// that answers slowly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub attempt: Duration,
    pub operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            attempt: AWS_ATTEMPT_TIMEOUT,
            operation: AWS_OPERATION_TIMEOUT,
        }
    }
}

impl Timeouts {
    /// From `CURFEW_AWS_ATTEMPT_TIMEOUT` (whole seconds), unset = the
    /// defaults. Only the benchmarks set it: moto answers one 10,000-
    /// instance `DescribeInstances` in about 90 s, where AWS takes a second
    /// or two a page, and a timed-out attempt would leave moto computing
    /// the abandoned answer while the retry asks again. A longer attempt
    /// makes the operation timeout every attempt's worth; neither ever
    /// drops below its default.
    pub fn from_env_value(value: Option<&str>) -> Result<Self, ConfigError> {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            return Ok(Self::default());
        };
        let seconds: u64 = value.trim().parse().map_err(|_| ConfigError {
            var: "CURFEW_AWS_ATTEMPT_TIMEOUT",
            reason: format!("{value:?} is not a whole number of seconds"),
        })?;
        let attempt = Duration::from_secs(seconds).max(AWS_ATTEMPT_TIMEOUT);
        let operation = if attempt > AWS_ATTEMPT_TIMEOUT {
            (attempt * AWS_MAX_ATTEMPTS).max(AWS_OPERATION_TIMEOUT)
        } else {
            AWS_OPERATION_TIMEOUT
        };
        Ok(Self { attempt, operation })
    }
}

/// `loader` with curfew's timeouts and standard retries.
pub fn configured(loader: ConfigLoader, timeouts: Timeouts) -> ConfigLoader {
    loader
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(AWS_CONNECT_TIMEOUT)
                .operation_attempt_timeout(timeouts.attempt)
                .operation_timeout(timeouts.operation)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(AWS_MAX_ATTEMPTS))
}

/// The SDK configuration, loaded once: region, credentials and
/// `AWS_ENDPOINT_URL` (a local AWS) from the environment, with curfew's
/// timeouts and retries ([`configured`]); `CURFEW_AWS_ATTEMPT_TIMEOUT`
/// (seconds) lengthens them for a slow local AWS ([`Timeouts`]).
pub async fn sdk_config() -> Result<SdkConfig, ConfigError> {
    let timeouts =
        Timeouts::from_env_value(std::env::var("CURFEW_AWS_ATTEMPT_TIMEOUT").ok().as_deref())?;
    Ok(
        configured(aws_config::defaults(BehaviorVersion::latest()), timeouts)
            .load()
            .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_is_the_default_and_a_longer_attempt_stretches_the_operation() {
        assert_eq!(Timeouts::from_env_value(None).unwrap(), Timeouts::default());
        assert_eq!(
            Timeouts::from_env_value(Some("")).unwrap(),
            Timeouts::default()
        );
        let slow = Timeouts::from_env_value(Some("300")).unwrap();
        assert_eq!(slow.attempt, Duration::from_secs(300));
        assert_eq!(slow.operation, Duration::from_secs(900));
        assert_eq!(
            Timeouts::from_env_value(Some("1")).unwrap(),
            Timeouts::default(),
            "never shorter than the defaults"
        );
        let bad = Timeouts::from_env_value(Some("5m")).unwrap_err();
        assert_eq!(bad.var, "CURFEW_AWS_ATTEMPT_TIMEOUT");
        assert!(bad.reason.contains("whole number"), "{}", bad.reason);
    }
}
