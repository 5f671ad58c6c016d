//! Import (SPEC §5 "Import", issue 16): an existing installation's items,
//! already read, turned into a schedules file, the exceptions to set, and
//! a report of every item and attribute, so that everything still goes
//! through `apply`'s validation. Pure: the worker's `curfew import` reads
//! the tables (paginated Scans) and writes or applies the result.
//!
//! Built so far: the 2017 bot's three tables ([`legacy`]). Not yet: the
//! Instance Scheduler on AWS config table, and the command itself.

pub mod legacy;

use crate::schedule::{Exception, SchedulesFile};

/// What an import produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub file: SchedulesFile,
    /// Each with the schedule it belongs to: `apply` sets them with
    /// `--apply`, the report lists them otherwise.
    pub exceptions: Vec<(String, Exception)>,
    pub report: Report,
}

/// One line per source item, in the order read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub items: Vec<ReportItem>,
}

/// A source item: what it became, and each attribute that was not mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportItem {
    /// How the source names it: `Schedule dev`, `ScheduleServerGroup dev/app`.
    pub source: String,
    /// What it became (`schedule dev`, `group app of dev`), or `None` when
    /// it was left out.
    pub became: Option<String>,
    pub unmapped: Vec<Unmapped>,
}

/// An attribute not carried over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub attribute: String,
    pub reason: String,
}

impl Report {
    /// Whether anything was left out or reported (exit status 3).
    pub fn has_findings(&self) -> bool {
        self.items
            .iter()
            .any(|item| item.became.is_none() || !item.unmapped.is_empty())
    }

    /// Whether some item was left out: then nothing may be written or
    /// applied (SPEC §5: never half a result).
    pub fn blocks(&self) -> bool {
        self.items.iter().any(|item| item.became.is_none())
    }

    /// The report as text, one item a line and one indented line per
    /// attribute not mapped.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for item in &self.items {
            let became = item.became.as_deref().unwrap_or("(not imported)");
            lines.push(format!("{} -> {became}", item.source));
            for unmapped in &item.unmapped {
                lines.push(format!("    {}: {}", unmapped.attribute, unmapped.reason));
            }
        }
        lines
    }
}

impl ReportItem {
    fn new(source: String, became: Option<String>) -> Self {
        Self {
            source,
            became,
            unmapped: Vec::new(),
        }
    }

    fn unmapped(&mut self, attribute: &str, reason: impl Into<String>) {
        self.unmapped.push(Unmapped {
            attribute: attribute.to_owned(),
            reason: reason.into(),
        });
    }
}
