//! Import (SPEC §5 "Import", issue 16): an existing installation's items,
//! already read, turned into a schedules file, the exceptions to set, and
//! a report of every item and attribute, so that everything still goes
//! through `apply`'s validation. Pure, and not the domain: it lives with
//! the worker whose `curfew import` reads the tables (paginated Scans, in
//! `adapters/dynamodb/`) and writes or applies the result (`cli/import.rs`).
//!
//! Two sources: the 2017 bot's three tables ([`legacy`]) and an Instance
//! Scheduler on AWS config table ([`instance_scheduler`]), whose periods
//! are checked against Instance Scheduler's own rules ([`equivalence`]).

pub mod equivalence;
pub mod instance_scheduler;
pub mod legacy;

use chrono::NaiveTime;
use chrono_tz::Tz;
use curfew_shared::schedule::{Exception, SchedulesFile};

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

impl Imported {
    /// The rules across schedules (unique names and tags), checked once
    /// every item is in: a schedule that clashes with an earlier one is
    /// left out, with the reason, and so are its exceptions.
    fn check_across(&mut self, default_tz: Tz) {
        let Err(errors) = self.file.validate(default_tz) else {
            return;
        };
        let mut left_out = Vec::new();
        for error in errors {
            let source_of = |item: &ReportItem| {
                item.became.as_deref() == Some(&format!("schedule {}", error.schedule)[..])
            };
            if let Some(item) = self.report.items.iter_mut().find(|i| source_of(i)) {
                item.became = None;
                item.unmapped(&error.field, error.reason.to_string());
            }
            left_out.push(error.schedule);
        }
        self.file
            .schedule
            .retain(|def| !left_out.contains(&def.name));
        self.exceptions
            .retain(|(schedule, _)| !left_out.contains(schedule));
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

/// Two `H:M`-or-`None` attributes (a start and a stop), or `None` when
/// either cannot be read: each that cannot is noted on `item`.
fn two_times(
    item: &mut ReportItem,
    attributes: [(&str, Option<&str>); 2],
) -> Option<[Option<NaiveTime>; 2]> {
    let [first, second] = attributes.map(|(attribute, text)| (attribute, time_or_none(text)));
    match (first, second) {
        ((_, Ok(first)), (_, Ok(second))) => Some([first, second]),
        (first, second) => {
            for (attribute, parsed) in [first, second] {
                if let Err(reason) = parsed {
                    item.unmapped(attribute, reason);
                }
            }
            None
        }
    }
}

/// `H:M` with hours and minutes of one or two digits (`9:00`, `09:00`,
/// `9:0`), or `None` in any case; a missing or empty attribute is `None` too.
fn time_or_none(text: Option<&str>) -> Result<Option<NaiveTime>, String> {
    let Some(text) = text.map(str::trim) else {
        return Ok(None);
    };
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let parsed = text.split_once(':').and_then(|(h, m)| {
        let number = |s: &str| {
            (1..=2)
                .contains(&s.len())
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        NaiveTime::from_hms_opt(number(h)?, number(m)?, 0)
    });
    parsed
        .map(Some)
        .ok_or_else(|| format!("{text:?} is not a time H:M from 0:00 to 23:59, nor None"))
}
