//! One memory fleet per (target, region) pair (the `Fleets` port): the
//! home fleet for the implicit pair and any pair not given its own, and
//! pairs told to be unreachable fail as a role that cannot be assumed.

use super::fleet::MemoryFleet;
use curfew_shared::ports::{CallError, Class, Fleet, FleetError, Fleets, PortFuture};
use curfew_shared::target::Pair;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// The worker's own region in the fakes.
pub const HOME_REGION: &str = "ap-northeast-2";

#[derive(Debug, Default)]
pub struct MemoryFleets {
    home: Arc<MemoryFleet>,
    pairs: Mutex<BTreeMap<String, Arc<MemoryFleet>>>,
    unreachable: Mutex<BTreeSet<String>>,
}

impl MemoryFleets {
    /// `home` answers for every pair not given its own.
    pub fn new(home: Arc<MemoryFleet>) -> Self {
        Self {
            home,
            ..Self::default()
        }
    }

    /// The pair `key` (`target|region`) answers with `fleet`.
    pub fn add(&self, key: &str, fleet: Arc<MemoryFleet>) {
        if let Ok(mut pairs) = self.pairs.lock() {
            pairs.insert(key.to_owned(), fleet);
        }
    }

    /// The pair `key` cannot be reached (`true`) or can again (`false`).
    pub fn set_unreachable(&self, key: &str, unreachable: bool) {
        if let Ok(mut keys) = self.unreachable.lock() {
            if unreachable {
                keys.insert(key.to_owned());
            } else {
                keys.remove(key);
            }
        }
    }
}

impl Fleets for MemoryFleets {
    fn fleet<'a>(&'a self, pair: &'a Pair) -> PortFuture<'a, Result<Arc<dyn Fleet>, FleetError>> {
        Box::pin(async move {
            let key = pair.key();
            let refused = self
                .unreachable
                .lock()
                .map(|keys| keys.contains(&key))
                .unwrap_or(true);
            if refused {
                let message = format!("the role of {key} could not be assumed: AccessDenied");
                return Err(FleetError {
                    ids: Vec::new(),
                    source: CallError {
                        operation: "AssumeRole",
                        class: Class::Permanent,
                        code: Some("AccessDenied".to_owned()),
                        message: message.clone(),
                        source: Box::new(std::io::Error::other(message)),
                    },
                });
            }
            let own = self.pairs.lock().ok().and_then(|p| p.get(&key).cloned());
            let fleet: Arc<dyn Fleet> = own.unwrap_or_else(|| Arc::clone(&self.home));
            Ok(fleet)
        })
    }

    fn home_region(&self) -> &str {
        HOME_REGION
    }
}
