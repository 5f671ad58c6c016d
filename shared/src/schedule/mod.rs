//! Schedules (SPEC §5) and their timelines (SPEC §6).
//!
//! [`file`] reads and validates the operators' TOML; [`model`] is the validated
//! form; [`days`] evaluates day expressions; [`timeline`] turns a schedule, its
//! exceptions and its overrides into events in time, with [`windows`] for
//! how an override's `for|until` window hands back to the schedule;
//! [`day_plan`] summarises one local day for `info`.

pub mod day_plan;
pub mod days;
mod event;
pub mod file;
pub mod model;
pub mod timeline;
pub mod windows;

pub use day_plan::DayPlan;
pub use event::{Event, Source};
pub use file::{
    parse_schedules, render_schedules, GroupDef, PeriodDef, ScheduleDef, ScheduleError,
    SchedulesFile,
};
pub use model::{Exception, Group, Override, Period, Schedule};
pub use timeline::Timeline;
pub use windows::Handback;

#[cfg(test)]
mod days_off_tests;
#[cfg(test)]
mod tests;
