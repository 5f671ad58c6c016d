//! One schedule's savings in a month, and the total over schedules: the
//! figures `savings` shows and `curfew savings --json` prints (SPEC §9).

use super::{Month, NoPrice, Outage, Stopped, Window};
use crate::resource::{Billing, GroupKind};
use serde::{Serialize, Serializer};

/// What a resource's hour costs, as far as it is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Priced {
    /// USD an hour, on demand.
    Usd(f64),
    /// It has no price curfew can find; the reason is shown.
    Unpriced(NoPrice),
    /// The price list could not be asked: no money figure can be given.
    Unavailable(Outage),
}

/// A resource the schedule holds now, for the planned figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
    pub billing: Billing,
    pub region: String,
}

/// A figure from the ledger (what curfew did) and from the timeline
/// (what the schedule planned × what it holds now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ActualPlanned<T> {
    pub actual: T,
    pub planned: T,
}

/// A resource whose hours are counted but not priced, and why. In JSON
/// the reason is its English line (SPEC §9: `{"resource", "reason"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unpriced {
    pub resource: String,
    #[serde(serialize_with = "english")]
    pub reason: NoPrice,
}

/// The figures of one schedule, or of all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Instance-hours stopped.
    #[serde(serialize_with = "two_decimals")]
    pub hours_stopped: ActualPlanned<f64>,
    /// USD saved at on-demand rates; `None` (JSON `null`): unavailable.
    #[serde(serialize_with = "two_decimals_or_null")]
    pub usd_saved: ActualPlanned<Option<f64>>,
    /// What the resources held now would cost running all the time.
    #[serde(serialize_with = "cents_or_null")]
    pub usd_always_on: Option<f64>,
    pub unpriced: Vec<Unpriced>,
}

/// One schedule's savings in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Savings {
    pub schedule: String,
    pub month: Month,
    #[serde(flatten)]
    pub figures: Figures,
}

impl Figures {
    /// The figures of one schedule over `window`: `stopped` from its
    /// ledger, `planned_off` hours from its timeline, `held` the resources
    /// it holds now, each priced by `price`.
    pub fn of(
        window: Window,
        stopped: &[Stopped],
        planned_off: f64,
        held: &[Held],
        price: impl Fn(GroupKind, &Billing, &str) -> Priced,
    ) -> Self {
        let mut figures = Self::default();
        let mut actual = Some(0.0);
        let mut planned = Some(0.0);
        let mut always_on = Some(0.0);
        let note = |figures: &mut Self, name: &str, reason: NoPrice| {
            if !figures.unpriced.iter().any(|u| u.resource == name) {
                figures.unpriced.push(Unpriced {
                    resource: name.to_owned(),
                    reason,
                });
            }
        };
        for s in stopped {
            figures.hours_stopped.actual += s.hours;
            match price(s.kind, &s.billing, &s.region) {
                Priced::Usd(usd) => actual = actual.map(|a| a + s.hours * usd),
                Priced::Unpriced(reason) => note(&mut figures, &s.name, reason),
                Priced::Unavailable(outage) => {
                    actual = None;
                    note(&mut figures, &s.name, NoPrice::Unavailable(outage));
                }
            }
        }
        for h in held {
            figures.hours_stopped.planned += planned_off;
            match price(h.kind, &h.billing, &h.region) {
                Priced::Usd(usd) => {
                    planned = planned.map(|p| p + planned_off * usd);
                    always_on = always_on.map(|a| a + window.hours() * usd);
                }
                Priced::Unpriced(reason) => note(&mut figures, &h.name, reason),
                Priced::Unavailable(outage) => {
                    planned = None;
                    always_on = None;
                    note(&mut figures, &h.name, NoPrice::Unavailable(outage));
                }
            }
        }
        figures.usd_saved = ActualPlanned { actual, planned };
        figures.usd_always_on = always_on;
        figures
    }

    /// The sum of several schedules' figures: money is unavailable in the
    /// total when it is in any of them.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Self>) -> Self {
        let add = |a: Option<f64>, b: Option<f64>| Some(a? + b?);
        let mut total = Self {
            usd_saved: ActualPlanned {
                actual: Some(0.0),
                planned: Some(0.0),
            },
            usd_always_on: Some(0.0),
            ..Self::default()
        };
        for f in all {
            total.hours_stopped.actual += f.hours_stopped.actual;
            total.hours_stopped.planned += f.hours_stopped.planned;
            total.usd_saved.actual = add(total.usd_saved.actual, f.usd_saved.actual);
            total.usd_saved.planned = add(total.usd_saved.planned, f.usd_saved.planned);
            total.usd_always_on = add(total.usd_always_on, f.usd_always_on);
            total.unpriced.extend(f.unpriced.iter().cloned());
        }
        total
    }

    /// The share of the always-on bill saved: (actual, planned), where the
    /// money is known and the bill is not zero.
    pub fn shares(&self) -> ActualPlanned<Option<f64>> {
        let share = |saved: Option<f64>| {
            let bill = self.usd_always_on.filter(|b| *b > 0.0)?;
            Some(saved? / bill)
        };
        ActualPlanned {
            actual: share(self.usd_saved.actual),
            planned: share(self.usd_saved.planned),
        }
    }
}

/// `$12.34`, or `unavailable` (in the reader's words) when the money
/// could not be known: chat and `curfew savings` show money alike.
pub fn usd_text(usd: Option<f64>, unavailable: &str) -> String {
    usd.map_or_else(|| unavailable.to_owned(), |usd| format!("${usd:.2}"))
}

/// `70.2%`, or `-` where there is no share.
pub fn share_text(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

/// Rounded to cents (money) or hundredths of an hour.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn two_decimals<S: Serializer>(pair: &ActualPlanned<f64>, s: S) -> Result<S::Ok, S::Error> {
    ActualPlanned {
        actual: round2(pair.actual),
        planned: round2(pair.planned),
    }
    .serialize(s)
}

fn two_decimals_or_null<S: Serializer>(
    pair: &ActualPlanned<Option<f64>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    ActualPlanned {
        actual: pair.actual.map(round2),
        planned: pair.planned.map(round2),
    }
    .serialize(s)
}

fn cents_or_null<S: Serializer>(usd: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    usd.map(round2).serialize(s)
}

fn english<S: Serializer>(reason: &NoPrice, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::savings::PriceKey;
    use chrono::{DateTime, Utc};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn stopped(name: &str, class: &str, hours: f64) -> Stopped {
        Stopped {
            id: name.to_owned(),
            name: name.to_owned(),
            kind: GroupKind::Ec2,
            billing: billing(class),
            region: "ap-northeast-2".to_owned(),
            hours,
        }
    }

    fn billing(class: &str) -> Billing {
        Billing {
            class: Some(class.to_owned()),
            ..Billing::default()
        }
    }

    fn held(name: &str, class: &str) -> Held {
        Held {
            id: name.to_owned(),
            name: name.to_owned(),
            kind: GroupKind::Ec2,
            billing: billing(class),
            region: "ap-northeast-2".to_owned(),
        }
    }

    fn prices(_: GroupKind, billing: &Billing, region: &str) -> Priced {
        match billing.class.as_deref() {
            Some("t3.micro") => Priced::Usd(0.013),
            Some("m5.large") => Priced::Usd(0.118),
            _ => Priced::Unpriced(match PriceKey::keys(GroupKind::Ec2, billing, region) {
                Ok(keys) => NoPrice::NotListed(keys[0].clone()),
                Err(reason) => reason,
            }),
        }
    }

    fn week() -> Window {
        Window {
            from: at("2027-02-01T00:00:00Z"),
            to: at("2027-02-08T00:00:00Z"),
        }
    }

    #[test]
    fn hours_are_priced_and_unpriced_resources_listed() {
        let figures = Figures::of(
            week(),
            &[
                stopped("a", "t3.micro", 100.0),
                stopped("b", "x9.huge", 50.0),
            ],
            118.0,
            &[
                held("a", "t3.micro"),
                held("c", "m5.large"),
                held("b", "x9.huge"),
            ],
            prices,
        );
        assert!((figures.hours_stopped.actual - 150.0).abs() < 1e-9);
        assert!((figures.hours_stopped.planned - 354.0).abs() < 1e-9);
        assert!((figures.usd_saved.actual.unwrap() - 1.3).abs() < 1e-9);
        assert!((figures.usd_saved.planned.unwrap() - 118.0 * 0.131).abs() < 1e-9);
        assert!((figures.usd_always_on.unwrap() - 168.0 * 0.131).abs() < 1e-9);
        assert_eq!(figures.unpriced.len(), 1, "b once: {:?}", figures.unpriced);
        let planned = figures.shares().planned.unwrap();
        assert_eq!(format!("{:.1}%", planned * 100.0), "70.2%");
    }

    #[test]
    fn an_outage_leaves_the_hours_and_makes_the_money_unavailable() {
        let figures = Figures::of(
            week(),
            &[stopped("a", "t3.micro", 100.0)],
            118.0,
            &[held("a", "t3.micro")],
            |_, _, _| Priced::Unavailable(Outage::Status(500)),
        );
        assert!((figures.hours_stopped.actual - 100.0).abs() < 1e-9);
        assert_eq!(figures.usd_saved, ActualPlanned::default());
        assert_eq!(figures.usd_always_on, None);
        let json = serde_json::to_value(&figures).unwrap();
        assert_eq!(json["usd_saved"]["actual"], serde_json::Value::Null);
        assert_eq!(json["hours_stopped"]["actual"], 100.0);
        assert_eq!(
            json["unpriced"],
            serde_json::json!([{"resource": "a", "reason": "price list unavailable: HTTP 500"}]),
            "once a resource, one short line"
        );
        let total = Figures::total([&figures, &Figures::default()]);
        assert_eq!(
            total.usd_saved.actual, None,
            "unavailable in one: in the total"
        );
    }

    #[test]
    fn json_has_the_spec_fields_in_cents() {
        let savings = Savings {
            schedule: "dev".to_owned(),
            month: Month::parse("2027-02").unwrap(),
            figures: Figures::of(
                week(),
                &[stopped("a", "t3.micro", 10.0 / 3.0)],
                0.0,
                &[held("b", "x9.huge")],
                prices,
            ),
        };
        let json = serde_json::to_value(&savings).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "schedule": "dev", "month": "2027-02",
                "hours_stopped": {"actual": 3.33, "planned": 0.0},
                "usd_saved": {"actual": 0.04, "planned": 0.0},
                "usd_always_on": 0.0,
                "unpriced": [{
                    "resource": "b",
                    "reason": "x9.huge in ap-northeast-2 is not in the AWS price list"
                }]
            })
        );
    }
}
