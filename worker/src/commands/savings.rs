//! `savings [MONTH]` and `<schedule> savings [MONTH]` (SPEC §3, §6 Savings),
//! and the report `curfew savings` prints: per schedule, the hours its
//! resources spent stopped by curfew (the ledger) and the hours the
//! timeline had it off × what it holds now, priced at on-demand rates.
//!
//! The reads: the definitions and every timeline (two Queries), one ledger
//! Query per schedule, one describe per pair (every schedule) or of the
//! schedule's tag in every pair, and one price lookup for every distinct
//! price (a Query of the cache, `GetProducts` for what it lacks).

use crate::app::{ExecError, Services};
use crate::config::WorkerConfig;
use crate::every_pair::in_every_pair;
use crate::limits::LEDGER_LOOK_BACK;
use chrono::{DateTime, Utc};
use curfew_shared::command::{Argument, CommandError, Usage};
use curfew_shared::ports::TimelineData;
use curfew_shared::reply::{ErrorView, Reply, SavingsBlock, SavingsView};
use curfew_shared::resource::Instance;
use curfew_shared::savings::{
    heat_map, planned_off_hours, stopped_hours, Figures, HeatMap, Held, Month, NoPrice, Outage,
    PriceKey, Priced, Quote, Savings, Stopped, Unpriced,
};
use curfew_shared::schedule::{Schedule, Timeline};
use curfew_shared::target::{pairs, Pair};
use curfew_shared::value::ValueError;
use std::collections::{BTreeMap, HashMap};

/// One schedule's savings, with its planned hours to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub savings: Savings,
    pub heat_map: HeatMap,
}

/// Why no report could be made (besides AWS failing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The month has not begun in the schedule's time zone.
    FutureMonth(Month),
}

/// The savings of the stored schedule named `only` (every one when
/// `None`; an unknown name gives none) in `month` (this month in each
/// schedule's time zone when `None`), at `now`.
pub async fn report(
    services: &Services,
    config: &WorkerConfig,
    only: Option<&str>,
    month: Option<Month>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Report>, Refused>, ExecError> {
    let stored = services.schedules.load().await?;
    let pairs = pairs(&stored.target, services.fleets.home_region());
    let schedules: Vec<Schedule> = stored
        .schedule
        .into_iter()
        .filter(|def| only.is_none_or(|name| def.name == name))
        .filter_map(|def| match def.validate(config.default_tz) {
            Ok(schedule) => Some(schedule),
            Err(_) => {
                tracing::warn!(schedule = %def.name, "stored schedule is invalid; left out of savings");
                None
            }
        })
        .collect();
    report_for(services, &schedules, &pairs, month, now).await
}

/// [`report`] of schedules already read.
pub async fn report_for(
    services: &Services,
    schedules: &[Schedule],
    pairs: &[Pair],
    month: Option<Month>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Report>, Refused>, ExecError> {
    let mut months = Vec::new();
    for schedule in schedules {
        let month = month.unwrap_or_else(|| Month::of(now, schedule.timezone));
        match month.so_far(schedule.timezone, now) {
            Some(window) => months.push((schedule, month, window)),
            None => return Ok(Err(Refused::FutureMonth(month))),
        }
    }
    let timelines = match schedules {
        [one] => HashMap::from([(one.name.clone(), services.timeline.load(&one.name).await?)]),
        _ => services.timeline.load_all().await?,
    };
    let (held, unreachable) = held(services, schedules, pairs).await?;
    let ledgers = futures::future::try_join_all(months.iter().map(|(schedule, _, window)| {
        services
            .ledger
            .read(&schedule.name, window.from - LEDGER_LOOK_BACK, window.to)
    }))
    .await?;
    let mut work = Vec::new();
    let mut keys = Vec::new();
    for ((schedule, month, window), entries) in months.into_iter().zip(ledgers) {
        let stopped = stopped_hours(&entries, window);
        let mut mine: Vec<Held> = held.get(&schedule.tag).cloned().unwrap_or_default();
        priced_as_last_seen(&mut mine, &stopped);
        let keyed = stopped
            .iter()
            .map(|s| PriceKey::keys(s.kind, &s.billing, &s.region))
            .chain(
                mine.iter()
                    .map(|h| PriceKey::keys(h.kind, &h.billing, &h.region)),
            );
        keys.extend(keyed.filter_map(Result::ok).flatten());
        work.push((schedule, month, window, stopped, mine));
    }
    keys.sort();
    keys.dedup();
    let quotes = services.prices.quote(&keys, now).await;
    let price =
        |kind, billing: &_, region: &str| priced(&quotes, PriceKey::keys(kind, billing, region));
    let none = TimelineData::default();
    let reports = work
        .into_iter()
        .map(|(schedule, month, window, stopped, mine)| {
            let data = timelines.get(&schedule.name).unwrap_or(&none);
            let timeline = Timeline::new(schedule, &data.exceptions, &data.overrides);
            // A disabled schedule plans nothing: curfew does not act on it.
            let planned_off = if schedule.enabled {
                planned_off_hours(&timeline, window)
            } else {
                0.0
            };
            let mut figures = Figures::of(window, &stopped, planned_off, &mine, price);
            figures.unpriced.extend(unreachable.iter().cloned());
            Report {
                savings: Savings {
                    schedule: schedule.name.clone(),
                    month,
                    figures,
                },
                heat_map: heat_map(&timeline, month.whole(schedule.timezone)),
            }
        })
        .collect();
    Ok(Ok(reports))
}

/// What a resource's hour costs: the sum of its keys' quotes (one key for
/// an instance, one per member of a cluster or group), or why it has none.
/// An outage outweighs a missing price: the money is then unavailable.
fn priced(quotes: &BTreeMap<PriceKey, Quote>, keys: Result<Vec<PriceKey>, NoPrice>) -> Priced {
    let keys = match keys {
        Ok(keys) => keys,
        Err(reason) => return Priced::Unpriced(reason),
    };
    let mut usd = 0.0;
    let mut missing = None;
    for key in keys {
        match quotes.get(&key) {
            Some(Quote::Hourly(hourly)) => usd += hourly,
            Some(Quote::Unavailable(outage)) => return Priced::Unavailable(*outage),
            Some(Quote::NotListed) => {
                missing.get_or_insert(NoPrice::NotListed(key));
            }
            None => return Priced::Unavailable(Outage::NotAsked),
        }
    }
    match missing {
        Some(reason) => Priced::Unpriced(reason),
        None => Priced::Usd(usd),
    }
}

/// A group scaled to zero now has no instance to read its types from: it
/// is priced as the ledger last saw it (at its stop, when it had them).
fn priced_as_last_seen(held: &mut [Held], stopped: &[Stopped]) {
    for h in held.iter_mut().filter(|h| h.billing.members.is_empty()) {
        let seen = stopped
            .iter()
            .find(|s| s.id == h.id && !s.billing.members.is_empty());
        if let Some(seen) = seen {
            h.billing.members.clone_from(&seen.billing.members);
        }
    }
}

/// The resources each schedule tag holds now, with their regions, and the
/// pairs that could not be described (listed as unpriced: what they hold
/// is not in the planned figures; each one's error is logged here, once).
async fn held(
    services: &Services,
    schedules: &[Schedule],
    pairs: &[Pair],
) -> Result<(HashMap<String, Vec<Held>>, Vec<Unpriced>), ExecError> {
    let fleets = &services.fleets;
    let one_tag = match schedules {
        [one] => Some(one.tag.as_str()),
        _ => None,
    };
    let outcomes = in_every_pair(pairs, |pair| async move {
        let fleet = fleets.fleet(pair).await?;
        let instances: Vec<Instance> = match one_tag {
            Some(tag) => fleet.describe_schedule(tag).await?,
            None => fleet.describe().await?,
        };
        Ok((pair.region.clone(), instances))
    })
    .await?;
    let mut held: HashMap<String, Vec<Held>> = HashMap::new();
    for (region, instances) in outcomes.done {
        for instance in instances {
            held.entry(instance.schedule.clone())
                .or_default()
                .push(Held {
                    id: instance.id.clone(),
                    name: instance.shown_name(),
                    kind: instance.kind,
                    billing: instance.billing,
                    region: region.clone(),
                });
        }
    }
    let unreachable = outcomes
        .unreachable
        .into_iter()
        .map(|(place, error)| {
            tracing::warn!(%place, %error, "could not describe a pair for savings");
            Unpriced {
                resource: place,
                reason: NoPrice::Undescribed,
            }
        })
        .collect();
    Ok((held, unreachable))
}

/// The chat reply: one block per schedule, the total when there are several.
pub(super) fn reply(
    reports: Result<Vec<Report>, Refused>,
    config: &WorkerConfig,
    month: Option<Month>,
    now: DateTime<Utc>,
) -> Reply {
    let reports = match reports {
        Ok(reports) => reports,
        Err(Refused::FutureMonth(month)) => {
            return Reply::Error(ErrorView::Syntax(CommandError::BadValue {
                what: Argument::Month,
                input: month.to_string(),
                reason: ValueError::FutureMonth,
                usage: Usage::Savings,
            }));
        }
    };
    let shown_month = month
        .or_else(|| reports.first().map(|r| r.savings.month))
        .unwrap_or_else(|| Month::of(now, config.default_tz));
    let total =
        (reports.len() > 1).then(|| Figures::total(reports.iter().map(|r| &r.savings.figures)));
    Reply::Savings(SavingsView {
        month: shown_month,
        schedules: reports
            .into_iter()
            .map(|r| SavingsBlock {
                schedule: r.savings.schedule,
                figures: r.savings.figures,
                heat_map: r.heat_map,
            })
            .collect(),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use curfew_shared::resource::{Billing, GroupKind};

    #[test]
    fn a_group_at_zero_is_priced_as_the_ledger_last_saw_it() {
        let held = |id: &str| Held {
            id: id.to_owned(),
            name: id.to_owned(),
            kind: GroupKind::Asg,
            billing: Billing::default(),
            region: "ap-northeast-2".to_owned(),
        };
        let seen = Stopped {
            id: "workers".to_owned(),
            name: "workers".to_owned(),
            kind: GroupKind::Asg,
            billing: Billing {
                members: vec!["t3.micro".to_owned()],
                ..Billing::default()
            },
            region: "ap-northeast-2".to_owned(),
            hours: 10.0,
        };
        let mut now = vec![held("workers"), held("other")];
        priced_as_last_seen(&mut now, &[seen]);
        assert_eq!(now[0].billing.members, ["t3.micro"]);
        assert!(now[1].billing.members.is_empty());
    }

    #[test]
    fn a_missing_member_price_leaves_the_resource_unpriced_and_an_outage_unavailable() {
        let key = |class: &str| PriceKey {
            service: curfew_shared::savings::PriceService::Ec2,
            region: "r".to_owned(),
            class: class.to_owned(),
            engine: None,
            deployment: None,
        };
        let quotes = BTreeMap::from([
            (key("a"), Quote::Hourly(0.5)),
            (key("b"), Quote::NotListed),
            (key("c"), Quote::Unavailable(Outage::Status(500))),
        ]);
        assert_eq!(
            priced(&quotes, Ok(vec![key("a"), key("a")])),
            Priced::Usd(1.0)
        );
        assert_eq!(
            priced(&quotes, Ok(vec![key("a"), key("b")])),
            Priced::Unpriced(NoPrice::NotListed(key("b")))
        );
        assert_eq!(
            priced(&quotes, Ok(vec![key("b"), key("c")])),
            Priced::Unavailable(Outage::Status(500))
        );
        assert_eq!(
            priced(&quotes, Ok(vec![key("d")])),
            Priced::Unavailable(Outage::NotAsked)
        );
        assert_eq!(
            priced(&quotes, Err(NoPrice::EcsTasksNotRead)),
            Priced::Unpriced(NoPrice::EcsTasksNotRead)
        );
    }
}
