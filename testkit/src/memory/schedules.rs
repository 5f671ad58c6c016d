//! Schedule definitions in memory (the `Schedules` port).

use super::poisoned;
use chrono::{DateTime, Utc};
use curfew_shared::ports::{PortFuture, Schedules, StoreError};
use curfew_shared::schedule::{ScheduleDef, SchedulesFile};
use curfew_shared::target::TargetDef;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Schedule definitions in memory, by name, and the file's targets.
#[derive(Debug, Default)]
pub struct MemorySchedules {
    defs: Mutex<BTreeMap<String, ScheduleDef>>,
    targets: Vec<TargetDef>,
}

impl MemorySchedules {
    /// The schedules of a TOML file, stored (the file must parse).
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file = SchedulesFile::from_toml(text).map_err(|e| e.to_string())?;
        let mut targets = file.target;
        targets.sort_by(|a, b| a.name.cmp(&b.name));
        let store = Self {
            targets,
            ..Self::default()
        };
        if let Ok(mut defs) = store.defs.lock() {
            for def in file.schedule {
                defs.insert(def.name.clone(), def);
            }
        }
        Ok(store)
    }
}

impl Schedules for MemorySchedules {
    fn load(&self) -> PortFuture<'_, Result<SchedulesFile, StoreError>> {
        Box::pin(async move {
            let defs = self.defs.lock().map_err(|_| poisoned("MemorySchedules"))?;
            Ok(SchedulesFile {
                schedule: defs.values().cloned().collect(),
                target: self.targets.clone(),
            })
        })
    }

    fn put<'a>(
        &'a self,
        def: &'a ScheduleDef,
        _now: DateTime<Utc>,
    ) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut defs = self.defs.lock().map_err(|_| poisoned("MemorySchedules"))?;
            defs.insert(def.name.clone(), def.clone());
            Ok(())
        })
    }

    fn delete<'a>(&'a self, name: &'a str) -> PortFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut defs = self.defs.lock().map_err(|_| poisoned("MemorySchedules"))?;
            defs.remove(name);
            Ok(())
        })
    }
}
