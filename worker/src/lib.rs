//! The worker and operator CLI: adapters for DynamoDB / SQS (EC2, RDS and
//! JANDI arrive with the pipeline) and the commands of SPEC §9 built so far.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod apply;
pub mod aws;
pub mod batch;
pub mod chat;
pub mod config;
pub mod error;
pub mod execute;
pub mod fleet;
pub mod jandi;
pub mod lambda;
pub mod limits;
pub mod plan;
pub mod poll;
pub mod reconciler;
pub mod replay;
pub mod runner;
pub mod services;
pub mod setup;
pub mod store;
pub mod tick;

/// The SDK configuration, loaded once: region, credentials and
/// `AWS_ENDPOINT_URL` (a local AWS) from the environment, with curfew's
/// timeouts and retries ([`aws::configured`]).
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws::configured(aws_config::defaults(aws_config::BehaviorVersion::latest()))
        .load()
        .await
}

/// `CURFEW_TABLE`, default `curfew`.
pub fn table_name() -> String {
    std::env::var("CURFEW_TABLE")
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "curfew".to_owned())
}

/// `CURFEW_DEFAULT_TZ`, default `Asia/Seoul`: the zone of schedules that name none.
pub fn default_tz() -> anyhow::Result<chrono_tz::Tz> {
    let name = std::env::var("CURFEW_DEFAULT_TZ").unwrap_or_else(|_| "Asia/Seoul".to_owned());
    name.parse()
        .map_err(|_| anyhow::anyhow!("CURFEW_DEFAULT_TZ: unknown time zone {name:?}"))
}
