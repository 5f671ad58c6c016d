//! On-demand prices (SPEC §6 Savings): the AWS Price List Query API.

use super::PortFuture;
use crate::savings::{PriceKey, Quote};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The on-demand hourly price of each key. The AWS adapter asks
/// `GetProducts` for what its cache (in the table, 30 days) does not hold;
/// `curfew_testkit::MemoryPrices` a map. A key it could not ask about is
/// [`Quote::Unavailable`], never a price of zero.
pub trait Prices: Send + Sync + std::fmt::Debug {
    fn quote<'a>(
        &'a self,
        keys: &'a [PriceKey],
        now: DateTime<Utc>,
    ) -> PortFuture<'a, BTreeMap<PriceKey, Quote>>;
}
