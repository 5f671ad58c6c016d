//! `curfew apply FILE [--dry-run] [--prune]`: make the stored schedules
//! and targets match the file. Idempotent: applying the same file twice
//! changes nothing.

use crate::adapters::dynamodb::ScheduleStore;

use chrono::Utc;
use curfew_shared::ports::StoreError;
use curfew_shared::schedule::{ScheduleDef, SchedulesFile};
use curfew_shared::target::TargetDef;
use std::collections::BTreeMap;

/// What applying a file does to the schedules and to the targets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub schedules: Changes,
    pub targets: Changes,
}

/// What applying a file does, definition by definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Stored but absent from the file: deleted only with `--prune`.
    pub absent: Vec<String>,
}

/// A definition the file holds by name: a schedule or a target.
pub trait Named: PartialEq {
    fn name(&self) -> &str;
}

impl Named for ScheduleDef {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for TargetDef {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Compares the file's definitions (already validated) with what is stored.
pub fn diff<D: Named>(file: &[D], stored: &[D]) -> Changes {
    let stored: BTreeMap<&str, &D> = stored.iter().map(|d| (d.name(), d)).collect();
    let mut changes = Changes::default();
    for def in file {
        let name = def.name().to_owned();
        match stored.get(def.name()) {
            None => changes.added.push(name),
            Some(old) if *old == def => changes.unchanged.push(name),
            Some(_) => changes.changed.push(name),
        }
    }
    let in_file: Vec<&str> = file.iter().map(Named::name).collect();
    changes.absent = stored
        .keys()
        .filter(|n| !in_file.contains(n))
        .map(|n| (*n).to_owned())
        .collect();
    changes
}

impl Changes {
    /// One line a definition: `+` added, `~` changed, `=` unchanged, `-`
    /// deleted (or kept, without `--prune`); `what` prefixes each name
    /// (`""` for schedules, `"target "` for targets).
    pub fn lines(&self, prune: bool, what: &str) -> Vec<String> {
        let mut lines = Vec::new();
        lines.extend(self.added.iter().map(|n| format!("+ {what}{n}")));
        lines.extend(self.changed.iter().map(|n| format!("~ {what}{n}")));
        lines.extend(self.unchanged.iter().map(|n| format!("= {what}{n}")));
        lines.extend(self.absent.iter().map(|n| {
            if prune {
                format!("- {what}{n}")
            } else {
                format!("  {what}{n} (stored, not in the file: kept; --prune deletes it)")
            }
        }));
        lines
    }

    fn writes<'f, D: Named>(&self, file: &'f [D]) -> impl Iterator<Item = &'f D> {
        let (added, changed) = (self.added.clone(), self.changed.clone());
        file.iter().filter(move |d| {
            let name = d.name().to_owned();
            added.contains(&name) || changed.contains(&name)
        })
    }
}

impl Applied {
    /// The schedules' lines, then the targets'.
    pub fn lines(&self, prune: bool) -> Vec<String> {
        let mut lines = self.schedules.lines(prune, "");
        lines.extend(self.targets.lines(prune, "target "));
        lines
    }
}

/// Writes what changed (unless `dry_run`) and returns the changes. The
/// targets are written first: a schedule applied with them finds them on
/// the next tick.
pub async fn apply(
    store: &ScheduleStore,
    file: &SchedulesFile,
    dry_run: bool,
    prune: bool,
) -> Result<Applied, StoreError> {
    let stored = store.load().await?;
    let applied = Applied {
        schedules: diff(&file.schedule, &stored.schedule),
        targets: diff(&file.target, &stored.target),
    };
    if dry_run {
        return Ok(applied);
    }
    let now = Utc::now();
    for def in applied.targets.writes(&file.target) {
        store.put_target(def, now).await?;
    }
    for def in applied.schedules.writes(&file.schedule) {
        store.put(def, now).await?;
    }
    if prune {
        for name in &applied.schedules.absent {
            store.delete(name).await?;
        }
        for name in &applied.targets.absent {
            store.delete_target(name).await?;
        }
    }
    Ok(applied)
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
        assert_eq!(changes.lines(true, "").last().unwrap(), "- c");
        assert!(changes.lines(false, "").last().unwrap().contains("kept"));
        assert_eq!(
            changes.lines(true, "target ").first().unwrap(),
            "+ target d"
        );
    }
}
