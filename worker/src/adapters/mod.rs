//! The worker's side of every service it talks to, each small enough to
//! read in one sitting: DynamoDB ([`dynamodb`]), EC2 and RDS ([`fleet`]),
//! JANDI's incoming webhooks ([`jandi`]), and the SDK configuration they
//! share ([`aws`]). Nothing here knows about jobs, commands or ticks.

pub mod aws;
pub mod dynamodb;
pub mod fleet;
pub mod jandi;
pub mod pricing;
pub mod slack;
