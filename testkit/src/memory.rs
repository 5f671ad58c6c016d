//! In-memory fakes of the ports in `curfew_shared::ports`, for tests that
//! run in milliseconds without a local AWS: the moto tests are the
//! adapters' contract tests, these fakes follow the same contract.

use chrono::{DateTime, Duration, Utc};
use curfew_shared::jandi::Message;
use curfew_shared::ports::{
    CallError, Claim, Class, JobClaims, Notify, NotifyError, PortFuture, Schedules, StoreError,
};
use curfew_shared::schedule::ScheduleDef;
use std::collections::BTreeMap;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// One job key's record, as the DynamoDB adapter keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    InProgress { lease_until: DateTime<Utc> },
    Done,
}

/// Job claims in memory, with failures to inject (`fail_next`).
#[derive(Debug, Default)]
pub struct MemoryClaims {
    records: Mutex<HashMap<String, Record>>,
    /// What each next call does: pass (`None`) or fail with that class.
    faults: Mutex<VecDeque<Option<Class>>>,
}

impl MemoryClaims {
    /// The next call fails with an error of `class` (throttling when
    /// transient, access denied when permanent), as the adapter would.
    pub fn fail_next(&self, class: Class) {
        self.fail_next_after(0, class);
    }

    /// The call after the next `calls` calls fails with an error of `class`.
    pub fn fail_next_after(&self, calls: usize, class: Class) {
        if let Ok(mut faults) = self.faults.lock() {
            faults.extend(std::iter::repeat_n(None, calls));
            faults.push_back(Some(class));
        }
    }

    /// Another worker holds `key` until `lease_until`.
    pub fn hold(&self, key: &str, lease_until: DateTime<Utc>) {
        self.set(key, Record::InProgress { lease_until });
    }

    /// `key`'s job was done by an earlier delivery.
    pub fn mark_done(&self, key: &str) {
        self.set(key, Record::Done);
    }

    /// Whether `key` is done now.
    pub fn done_now(&self, key: &str) -> bool {
        self.get(key) == Some(Record::Done)
    }

    /// Whether `key` has any record (claimed, held or done).
    pub fn known(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn set(&self, key: &str, record: Record) {
        if let Ok(mut records) = self.records.lock() {
            records.insert(key.to_owned(), record);
        }
    }

    fn get(&self, key: &str) -> Option<Record> {
        self.records.lock().ok()?.get(key).copied()
    }

    /// The injected failure of this call, if any.
    fn fault(&self, operation: &'static str) -> Result<(), StoreError> {
        let class = self
            .faults
            .lock()
            .ok()
            .and_then(|mut f| f.pop_front())
            .flatten();
        match class {
            None => Ok(()),
            Some(class) => {
                let code = match class {
                    Class::Transient => "ProvisionedThroughputExceededException",
                    Class::Permanent => "AccessDeniedException",
                };
                Err(StoreError::Call(CallError {
                    operation,
                    class,
                    code: Some(code.to_owned()),
                    message: "injected by MemoryClaims".to_owned(),
                    source: Box::new(std::io::Error::other("injected")),
                }))
            }
        }
    }

    fn claim_now(
        &self,
        key: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Claim, StoreError> {
        self.fault("PutItem")?;
        let mut records = self.records.lock().map_err(|_| poisoned())?;
        match records.get(key).copied() {
            Some(Record::Done) => Ok(Claim::AlreadyDone),
            Some(Record::InProgress { lease_until }) if lease_until >= now => {
                Ok(Claim::HeldElsewhere { lease_until })
            }
            _ => {
                let lease_until = now + lease;
                records.insert(key.to_owned(), Record::InProgress { lease_until });
                Ok(Claim::Acquired)
            }
        }
    }
}

fn poisoned() -> StoreError {
    StoreError::Corrupt {
        name: "MemoryClaims".to_owned(),
        message: "a test thread panicked holding the lock".to_owned(),
    }
}

impl JobClaims for MemoryClaims {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        now: DateTime<Utc>,
        lease: Duration,
        _ttl: Duration,
    ) -> PortFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move { self.claim_now(key, now, lease) })
    }

    fn is_done<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            self.fault("GetItem")?;
            Ok(self.done_now(key))
        })
    }

    fn done<'a>(
        &'a self,
        key: &'a str,
        _now: DateTime<Utc>,
        _ttl: Duration,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.fault("UpdateItem")?;
            self.mark_done(key);
            Ok(())
        })
    }

    fn release<'a>(&'a self, key: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.fault("DeleteItem")?;
            let mut records = self.records.lock().map_err(|_| poisoned())?;
            if matches!(records.get(key), Some(Record::InProgress { .. })) {
                records.remove(key);
            }
            Ok(())
        })
    }
}

/// Posts recorded in memory, with answers to script (`answer_next`).
#[derive(Debug, Default)]
pub struct MemoryNotifier {
    posted: Mutex<Vec<(String, Message)>>,
    answers: Mutex<VecDeque<NotifyError>>,
}

impl MemoryNotifier {
    /// The next post fails with `error` (and is not recorded as delivered).
    pub fn answer_next(&self, error: NotifyError) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.push_back(error);
        }
    }

    /// The messages delivered so far, with their webhook URL.
    pub fn posted(&self) -> Vec<(String, Message)> {
        self.posted.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

impl Notify for MemoryNotifier {
    fn post<'a>(
        &'a self,
        url: &'a str,
        message: &'a Message,
    ) -> PortFuture<'a, Result<(), NotifyError>> {
        Box::pin(async move {
            if let Some(error) = self.answers.lock().ok().and_then(|mut a| a.pop_front()) {
                return Err(error);
            }
            if let Ok(mut posted) = self.posted.lock() {
                posted.push((url.to_owned(), message.clone()));
            }
            Ok(())
        })
    }
}

/// Schedule definitions in memory, by name.
#[derive(Debug, Default)]
pub struct MemorySchedules {
    defs: Mutex<BTreeMap<String, ScheduleDef>>,
}

impl MemorySchedules {
    /// The schedules of a TOML file, stored (the file must parse).
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file =
            curfew_shared::schedule::SchedulesFile::from_toml(text).map_err(|e| e.to_string())?;
        let store = Self::default();
        if let Ok(mut defs) = store.defs.lock() {
            for def in file.schedule {
                defs.insert(def.name.clone(), def);
            }
        }
        Ok(store)
    }
}

impl Schedules for MemorySchedules {
    fn list(&self) -> PortFuture<'_, Result<Vec<ScheduleDef>, StoreError>> {
        Box::pin(async move {
            let defs = self.defs.lock().map_err(|_| poisoned())?;
            Ok(defs.values().cloned().collect())
        })
    }

    fn put<'a>(
        &'a self,
        def: &'a ScheduleDef,
        _now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut defs = self.defs.lock().map_err(|_| poisoned())?;
            defs.insert(def.name.clone(), def.clone());
            Ok(())
        })
    }

    fn delete<'a>(&'a self, name: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut defs = self.defs.lock().map_err(|_| poisoned())?;
            defs.remove(name);
            Ok(())
        })
    }
}
