//! Savings in money (SPEC §6 Savings): what curfew's stops saved in a
//! month, at on-demand prices.
//!
//! The worker keeps a [`LedgerEntry`] for every start and stop it makes
//! (and every start it sees but did not make); [`stopped_hours`] turns a
//! month of them into the hours each resource spent stopped by curfew.
//! [`planned_off_hours`] reads the same month off the timeline. A
//! [`PriceKey`] says which on-demand price a resource has, and
//! [`hourly_usd`] reads it out of the Price List API's answer. [`Savings`]
//! puts hours and prices together, and [`NoPrice`] says why a resource has
//! none; nothing here calls AWS.

mod heatmap;
mod hours;
mod ledger;
mod month;
mod price;
mod report;

pub use heatmap::{heat_map, HeatMap};
pub use hours::{planned_off_hours, stopped_hours, Stopped, Window};
pub use ledger::{LedgerEntry, Origin};
pub use month::Month;
pub use price::{hourly_usd, NoPrice, Outage, PriceKey, PriceListError, PriceService, Quote};
pub use report::{share_text, usd_text, ActualPlanned, Figures, Held, Priced, Savings, Unpriced};

/// `office`: weekdays 09:00-19:00 in Seoul, for the tests of savings and
/// of the ledger's share of a reconcile.
#[cfg(test)]
pub(crate) fn office() -> crate::schedule::Schedule {
    let file = "[[schedule]]\nname = \"office\"\ntimezone = \"Asia/Seoul\"\n\
        [[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n";
    let mut schedules = crate::schedule::parse_schedules(file, chrono_tz::Asia::Seoul)
        .unwrap_or_else(|e| panic!("{e:?}"));
    schedules.remove(0)
}
