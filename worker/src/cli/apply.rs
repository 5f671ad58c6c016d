//! `curfew apply FILE [--dry-run] [--prune]`: make the stored schedules
//! match the file. Idempotent: applying the same file twice changes nothing.

use crate::adapters::dynamodb::{ScheduleStore, StoreError};
use chrono::Utc;
use curfew_shared::schedule::ScheduleDef;
use std::collections::BTreeMap;

/// What applying a file does, schedule by schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Stored but absent from the file: deleted only with `--prune`.
    pub absent: Vec<String>,
}

/// Compares the file (already validated) with what is stored.
pub fn diff(file: &[ScheduleDef], stored: &[ScheduleDef]) -> Changes {
    let stored: BTreeMap<&str, &ScheduleDef> =
        stored.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut changes = Changes::default();
    for def in file {
        match stored.get(def.name.as_str()) {
            None => changes.added.push(def.name.clone()),
            Some(old) if *old == def => changes.unchanged.push(def.name.clone()),
            Some(_) => changes.changed.push(def.name.clone()),
        }
    }
    let in_file: Vec<&str> = file.iter().map(|d| d.name.as_str()).collect();
    changes.absent = stored
        .keys()
        .filter(|n| !in_file.contains(n))
        .map(|n| (*n).to_owned())
        .collect();
    changes
}

impl Changes {
    /// One line a schedule: `+` added, `~` changed, `=` unchanged, `-` deleted
    /// (or kept, without `--prune`).
    pub fn lines(&self, prune: bool) -> Vec<String> {
        let mut lines = Vec::new();
        lines.extend(self.added.iter().map(|n| format!("+ {n}")));
        lines.extend(self.changed.iter().map(|n| format!("~ {n}")));
        lines.extend(self.unchanged.iter().map(|n| format!("= {n}")));
        lines.extend(self.absent.iter().map(|n| {
            if prune {
                format!("- {n}")
            } else {
                format!("  {n} (stored, not in the file: kept; --prune deletes it)")
            }
        }));
        lines
    }
}

/// Writes what changed (unless `dry_run`) and returns the changes.
pub async fn apply(
    store: &ScheduleStore,
    file: &[ScheduleDef],
    dry_run: bool,
    prune: bool,
) -> Result<Changes, StoreError> {
    let changes = diff(file, &store.list().await?);
    if dry_run {
        return Ok(changes);
    }
    let now = Utc::now();
    for def in file
        .iter()
        .filter(|d| changes.added.contains(&d.name) || changes.changed.contains(&d.name))
    {
        store.put(def, now).await?;
    }
    if prune {
        for name in &changes.absent {
            store.delete(name).await?;
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::schedule::SchedulesFile;

    fn defs(text: &str) -> Vec<ScheduleDef> {
        SchedulesFile::from_toml(text).unwrap().schedule
    }

    #[test]
    fn diff_sorts_schedules_into_added_changed_unchanged_absent() {
        let stored = defs(
            "[[schedule]]\nname = \"a\"\n[[schedule]]\nname = \"b\"\n[[schedule]]\nname = \"c\"",
        );
        let file = defs("[[schedule]]\nname = \"a\"\n[[schedule]]\nname = \"b\"\nenforce = true\n[[schedule]]\nname = \"d\"");
        let changes = diff(&file, &stored);
        assert_eq!(changes.added, ["d"]);
        assert_eq!(changes.changed, ["b"]);
        assert_eq!(changes.unchanged, ["a"]);
        assert_eq!(changes.absent, ["c"]);
        assert_eq!(changes.lines(true).last().unwrap(), "- c");
        assert!(changes.lines(false).last().unwrap().contains("kept"));
    }
}
