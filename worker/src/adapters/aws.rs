//! Timeouts and retries for every AWS call the worker makes, set once on
//! the SDK configuration (STYLE: reuse one `SdkConfig`).
//!
//! Without them a call that hangs waits as long as the Lambda lets it, and
//! the batch times out with every message in it. With them a stuck call
//! fails as a timeout, which [`crate::error::classify`] calls transient:
//! the job is retried a little later, and the other jobs go on.

use crate::limits::{
    AWS_ATTEMPT_TIMEOUT, AWS_CONNECT_TIMEOUT, AWS_MAX_ATTEMPTS, AWS_OPERATION_TIMEOUT,
};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::ConfigLoader;

/// `loader` with curfew's timeouts and standard retries.
pub fn configured(loader: ConfigLoader) -> ConfigLoader {
    loader
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(AWS_CONNECT_TIMEOUT)
                .operation_attempt_timeout(AWS_ATTEMPT_TIMEOUT)
                .operation_timeout(AWS_OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(AWS_MAX_ATTEMPTS))
}
