//! What every job takes: the adapters (the stores and the fleet, built once
//! per process from one SDK configuration), the configuration and the
//! notifier. Commands, the scheduler and the handler all work on an [`App`].

use crate::adapters::dynamodb::{
    AuditStore, ClaimStore, LedgerStore, ScheduleStore, TimelineStore,
};
use crate::adapters::fleet::AwsFleets;
use crate::adapters::pricing::AwsPrices;
use crate::config::WorkerConfig;
use curfew_aws::SqsQueue;
use curfew_shared::ports::{
    AuditLog, Class, FleetError, Fleets, JobClaims, JobQueue, Ledger, Notify, Prices, QueueError,
    Schedules, StoreError, Timelines,
};
use std::sync::Arc;

/// The job handler's world: its adapters, its configuration, its notifier.
#[derive(Debug)]
pub struct App {
    pub services: Services,
    pub config: WorkerConfig,
    /// Behind the port: unit tests record posts in memory.
    pub notifier: Arc<dyn Notify>,
}

/// Every adapter a job may use, each behind its port: production plugs in
/// DynamoDB, EC2 / RDS; the unit tests plug in testkit's memory fakes.
#[derive(Debug, Clone)]
pub struct Services {
    pub schedules: Arc<dyn Schedules>,
    pub timeline: Arc<dyn Timelines>,
    pub audit: Arc<dyn AuditLog>,
    pub claims: Arc<dyn JobClaims>,
    /// The fleet of each (target, region) pair.
    pub fleets: Arc<dyn Fleets>,
    /// What curfew started and stopped (SPEC §6 Savings).
    pub ledger: Arc<dyn Ledger>,
    /// On-demand prices, for `savings`.
    pub prices: Arc<dyn Prices>,
    /// Where a tick over several pairs puts its pair jobs; `None` (no
    /// `CURFEW_QUEUE_URL`): the tick reconciles every pair itself.
    pub queue: Option<Arc<dyn JobQueue>>,
}

impl Services {
    pub fn new(sdk: &aws_config::SdkConfig, config: &WorkerConfig) -> Self {
        let dynamodb = aws_sdk_dynamodb::Client::new(sdk);
        let table = config.table.clone();
        Self {
            schedules: Arc::new(ScheduleStore::new(dynamodb.clone(), table.clone())),
            timeline: Arc::new(TimelineStore::new(dynamodb.clone(), table.clone())),
            audit: Arc::new(AuditStore::new(dynamodb.clone(), table.clone())),
            ledger: Arc::new(LedgerStore::new(dynamodb.clone(), table.clone())),
            prices: Arc::new(AwsPrices::new(sdk, dynamodb.clone(), table.clone())),
            claims: Arc::new(ClaimStore::new(dynamodb, table)),
            fleets: Arc::new(AwsFleets::new(sdk, config.tags.clone())),
            queue: config.queue_url.clone().map(|url| {
                let queue = SqsQueue::new(aws_sdk_sqs::Client::new(sdk), url);
                Arc::new(queue) as Arc<dyn JobQueue>
            }),
        }
    }
}

/// A job that could not finish because AWS did not answer as hoped;
/// [`Self::class`] says whether a later delivery may succeed.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fleet(#[from] FleetError),
    /// A tick's pair jobs could not all be sent.
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// The schedule's state changed under us on every attempt.
    #[error("the scheduler state of {0:?} kept changing; try again")]
    Contention(String),
}

impl ExecError {
    /// Transient (throttling, 5xx, timeouts, contention) or permanent
    /// (access denied, validation, a corrupt item).
    pub const fn class(&self) -> Class {
        match self {
            Self::Store(error) => error.class(),
            Self::Fleet(error) => error.class(),
            Self::Queue(error) => error.class(),
            Self::Contention(_) => Class::Transient,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::ports::CallError;

    /// A refused queue is dead-lettered, a throttled one retried: the
    /// queue's error keeps the class its call had.
    #[test]
    fn a_queue_failure_keeps_the_class_of_its_call() {
        for class in [Class::Transient, Class::Permanent] {
            let error = ExecError::from(QueueError(CallError {
                operation: "SendMessage",
                class,
                code: None,
                message: "refused".to_owned(),
                source: Box::new(std::io::Error::other("refused")),
            }));
            assert_eq!(error.class(), class);
        }
    }
}
