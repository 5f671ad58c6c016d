//! On-demand prices in memory (the `Prices` port).

use chrono::{DateTime, Utc};
use curfew_shared::ports::{PortFuture, Prices};
use curfew_shared::savings::{Outage, PriceKey, Quote};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A price list of the test's making: a key not set is not listed.
#[derive(Debug, Default)]
pub struct MemoryPrices {
    quotes: Mutex<BTreeMap<PriceKey, Quote>>,
    /// While set, every key is unavailable for this reason (an outage).
    outage: Mutex<Option<Outage>>,
    asked: Mutex<Vec<PriceKey>>,
}

impl MemoryPrices {
    /// What the price list says of `key` from now on.
    pub fn set(&self, key: PriceKey, quote: Quote) {
        if let Ok(mut quotes) = self.quotes.lock() {
            quotes.insert(key, quote);
        }
    }

    /// Every key is [`Quote::Unavailable`] with `outage` until [`Self::heal`].
    pub fn fail_all(&self, outage: Outage) {
        if let Ok(mut now) = self.outage.lock() {
            *now = Some(outage);
        }
    }

    /// Ends an outage begun by [`Self::fail_all`].
    pub fn heal(&self) {
        if let Ok(mut outage) = self.outage.lock() {
            *outage = None;
        }
    }

    /// Every key asked so far, in order, as often as it was asked.
    pub fn asked(&self) -> Vec<PriceKey> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl Prices for MemoryPrices {
    fn quote<'a>(
        &'a self,
        keys: &'a [PriceKey],
        _now: DateTime<Utc>,
    ) -> PortFuture<'a, BTreeMap<PriceKey, Quote>> {
        Box::pin(async move {
            if let Ok(mut asked) = self.asked.lock() {
                asked.extend(keys.iter().cloned());
            }
            let outage = self.outage.lock().ok().and_then(|o| *o);
            let quotes = self.quotes.lock().map(|q| q.clone()).unwrap_or_default();
            keys.iter()
                .map(|key| {
                    let quote = match outage {
                        Some(outage) => Quote::Unavailable(outage),
                        None => quotes.get(key).cloned().unwrap_or(Quote::NotListed),
                    };
                    (key.clone(), quote)
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::savings::PriceService;

    fn key(class: &str) -> PriceKey {
        PriceKey {
            service: PriceService::Ec2,
            region: "ap-northeast-2".to_owned(),
            class: class.to_owned(),
            engine: None,
            deployment: None,
        }
    }

    #[tokio::test]
    async fn set_prices_until_an_outage_and_after_it() {
        let prices = MemoryPrices::default();
        prices.set(key("t3.medium"), Quote::Hourly(0.052));
        let keys = [key("t3.medium"), key("t9.huge")];
        let quotes = prices.quote(&keys, Utc::now()).await;
        assert_eq!(quotes.get(&keys[0]), Some(&Quote::Hourly(0.052)));
        assert_eq!(quotes.get(&keys[1]), Some(&Quote::NotListed));
        prices.fail_all(Outage::Status(503));
        let quotes = prices.quote(&keys, Utc::now()).await;
        let down = Quote::Unavailable(Outage::Status(503));
        assert!(quotes.values().all(|q| *q == down), "{quotes:?}");
        prices.heal();
        let quotes = prices.quote(&keys, Utc::now()).await;
        assert_eq!(quotes.get(&keys[0]), Some(&Quote::Hourly(0.052)));
        assert_eq!(prices.asked().len(), 6);
    }
}
