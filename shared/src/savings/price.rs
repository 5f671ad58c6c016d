//! Which on-demand price a resource has (or why it has none), and reading
//! it out of the AWS Price List Query API's answer (`GetProducts`).
//!
//! The filters are the ones AWS documents for on-demand Linux EC2 and for
//! RDS ("Using the AWS Price List Query API"): every one is `TERM_MATCH` on
//! a product attribute. Each `PriceList` element is a JSON document in a
//! string, with `product.attributes` and `terms.OnDemand.*.priceDimensions`.

use crate::resource::{Billing, GroupKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The Price List service code a key is asked of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PriceService {
    #[serde(rename = "AmazonEC2")]
    Ec2,
    #[serde(rename = "AmazonRDS")]
    Rds,
}

impl PriceService {
    /// The `ServiceCode` of `GetProducts`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ec2 => "AmazonEC2",
            Self::Rds => "AmazonRDS",
        }
    }
}

/// Everything one on-demand hourly price depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PriceKey {
    pub service: PriceService,
    /// `regionCode`, e.g. `ap-northeast-2`.
    pub region: String,
    /// `instanceType`: `t3.micro`, `db.t3.medium`.
    pub class: String,
    /// RDS `databaseEngine` as the price list names it (`PostgreSQL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// RDS `deploymentOption`: `Single-AZ` or `Multi-AZ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<String>,
}

impl PriceKey {
    /// The keys whose hourly prices add up to a resource's of `kind` billed
    /// as `billing` in `region` (one for an instance, one per member for a
    /// cluster or a group), or why it has none.
    pub fn keys(kind: GroupKind, billing: &Billing, region: &str) -> Result<Vec<Self>, NoPrice> {
        let class = || billing.class.clone().ok_or(NoPrice::NoClass);
        match kind {
            GroupKind::Ec2 => Ok(vec![Self::ec2(region, class()?)]),
            GroupKind::Rds => {
                let engine = rds_engine(billing)?;
                let deployment = if billing.multi_az {
                    "Multi-AZ"
                } else {
                    "Single-AZ"
                };
                Ok(vec![Self::rds(region, class()?, engine, deployment)])
            }
            GroupKind::RdsCluster => {
                let engine = rds_engine(billing)?;
                if !engine.starts_with("Aurora") {
                    return Err(NoPrice::ClusterEngine {
                        engine: engine.to_owned(),
                    });
                }
                if billing.members.is_empty() {
                    return Err(NoPrice::NoMembers);
                }
                // Aurora bills each instance; the cluster is their sum.
                Ok(billing
                    .members
                    .iter()
                    .map(|class| Self::rds(region, class.clone(), engine, "Single-AZ"))
                    .collect())
            }
            GroupKind::Asg => {
                if billing.members.is_empty() {
                    return Err(NoPrice::NoInstances);
                }
                Ok(billing
                    .members
                    .iter()
                    .map(|t| Self::ec2(region, t.clone()))
                    .collect())
            }
            GroupKind::Ecs => Err(NoPrice::EcsTasksNotRead),
        }
    }

    fn ec2(region: &str, class: String) -> Self {
        Self {
            service: PriceService::Ec2,
            region: region.to_owned(),
            class,
            engine: None,
            deployment: None,
        }
    }

    fn rds(region: &str, class: String, engine: &str, deployment: &str) -> Self {
        Self {
            service: PriceService::Rds,
            region: region.to_owned(),
            class,
            engine: Some(engine.to_owned()),
            deployment: Some(deployment.to_owned()),
        }
    }

    /// `GetProducts`' filters: `(Field, Value)`, each `TERM_MATCH`.
    pub fn filters(&self) -> Vec<(&'static str, String)> {
        let mut filters = vec![
            ("regionCode", self.region.clone()),
            ("instanceType", self.class.clone()),
        ];
        match self.service {
            PriceService::Ec2 => filters.extend([
                ("operatingSystem", "Linux".to_owned()),
                ("tenancy", "Shared".to_owned()),
                ("preInstalledSw", "NA".to_owned()),
                ("capacitystatus", "Used".to_owned()),
            ]),
            PriceService::Rds => {
                filters.extend(self.engine.clone().map(|e| ("databaseEngine", e)));
                filters.extend(self.deployment.clone().map(|d| ("deploymentOption", d)));
            }
        }
        filters
    }

    /// One string for a cache key: service, region, class, engine, deployment.
    pub fn cache_key(&self) -> String {
        format!(
            "{}#{}#{}#{}#{}",
            self.service.code(),
            self.region,
            self.class,
            self.engine.as_deref().unwrap_or_default(),
            self.deployment.as_deref().unwrap_or_default()
        )
    }
}

impl fmt::Display for PriceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {}", self.class, self.region)?;
        if let Some(engine) = &self.engine {
            write!(f, " ({engine}")?;
            if let Some(deployment) = &self.deployment {
                write!(f, ", {deployment}")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// RDS's engine name → the price list's `databaseEngine`, for the engines
/// whose price needs nothing more (no licence model, no edition).
fn rds_engine(billing: &Billing) -> Result<&'static str, NoPrice> {
    let engine = billing.engine.as_deref().unwrap_or_default();
    Ok(match engine {
        "mysql" => "MySQL",
        "postgres" => "PostgreSQL",
        "mariadb" => "MariaDB",
        "aurora" | "aurora-mysql" => "Aurora MySQL",
        "aurora-postgresql" => "Aurora PostgreSQL",
        "docdb" => "DocumentDB",
        "neptune" => "Neptune",
        _ => {
            return Err(NoPrice::Licensed {
                engine: engine.to_owned(),
            })
        }
    })
}

/// What the price list says of one key.
#[derive(Debug, Clone, PartialEq)]
pub enum Quote {
    /// USD an hour, on demand.
    Hourly(f64),
    /// The price list has no such product (an old type, a typo, a region
    /// without it): the resource is listed as unpriced.
    NotListed,
    /// The price list could not be asked (an outage, access denied) or
    /// gave no one price: the money is unavailable, never zero.
    Unavailable(Outage),
}

/// Why a resource is listed under `unpriced` (SPEC §9): a short reason,
/// typed, so that each front says it in its reader's words. `Display` is
/// the English line (`curfew savings --json`'s `reason`); the reply layer
/// has the Korean one. No error dump reaches a report: the whole error,
/// where there is one, is the worker's log's, once a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPrice {
    /// The describe gave no instance type or class.
    NoClass,
    /// An RDS engine whose price depends on a licence model and edition
    /// (Oracle, SQL Server, Db2), named as RDS names it.
    Licensed { engine: String },
    /// A cluster of an engine curfew does not price yet (DocumentDB,
    /// Neptune), named as the price list names it.
    ClusterEngine { engine: String },
    /// A cluster with no member instance described.
    NoMembers,
    /// An Auto Scaling group with no instance in service (and none in the
    /// ledger) to read the types of.
    NoInstances,
    /// An ECS service: Fargate prices its tasks' vCPU and memory, which
    /// curfew does not read yet.
    EcsTasksNotRead,
    /// The price list has no such product.
    NotListed(PriceKey),
    /// The price list could not be asked: the money is unavailable.
    Unavailable(Outage),
    /// The resource's account and region could not be described: what it
    /// holds is not in the planned figures.
    Undescribed,
}

/// What went wrong asking the price list, in a word or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// It answered with this HTTP error status (after the SDK's retries).
    Status(u16),
    /// It refused curfew's credentials (`AccessDeniedException`).
    Denied,
    /// It throttled every attempt.
    Throttled,
    /// No answer: the connection could not be made or was lost.
    Connection,
    /// No answer in time.
    Timeout,
    /// An answer that is not one hourly price (unparsable, or several
    /// prices for one product).
    Unreadable,
    /// Not asked: the request could not be built, or no quote came back
    /// for the key.
    NotAsked,
}

impl fmt::Display for NoPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoClass => f.write_str("its describe gave no instance type or class"),
            Self::Licensed { engine } => {
                write!(
                    f,
                    "engine {engine:?}: its licence and edition are not read yet"
                )
            }
            Self::ClusterEngine { engine } => write!(f, "{engine} clusters are not priced yet"),
            Self::NoMembers => f.write_str("no member instance was described to price it by"),
            Self::NoInstances => f.write_str("no instance in service to read the type of"),
            Self::EcsTasksNotRead => f.write_str(
                "an ECS service is priced by its tasks' vCPU and memory, which are not read yet",
            ),
            Self::NotListed(key) => write!(f, "{key} is not in the AWS price list"),
            Self::Unavailable(outage) => write!(f, "price list unavailable: {outage}"),
            Self::Undescribed => f.write_str("could not be described"),
        }
    }
}

impl fmt::Display for Outage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(status) => write!(f, "HTTP {status}"),
            Self::Denied => f.write_str("access denied"),
            Self::Throttled => f.write_str("throttled"),
            Self::Connection => f.write_str("connection failed"),
            Self::Timeout => f.write_str("timed out"),
            Self::Unreadable => f.write_str("unreadable answer"),
            Self::NotAsked => f.write_str("not asked"),
        }
    }
}

/// A `PriceList` answer that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceListError {
    #[error("a PriceList entry is not a price document: {0}")]
    Malformed(String),
    #[error("the price list gives several hourly prices for one product: {0:?}")]
    Ambiguous(Vec<String>),
}

#[derive(Deserialize)]
struct Document {
    terms: Terms,
}

#[derive(Deserialize)]
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: std::collections::BTreeMap<String, Term>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions", default)]
    dimensions: std::collections::BTreeMap<String, Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    unit: String,
    #[serde(rename = "pricePerUnit", default)]
    price: std::collections::BTreeMap<String, String>,
}

/// The on-demand USD an hour of the products in `price_list` (each a JSON
/// document as `GetProducts` returns it): `None` when there are none.
/// Every hourly dimension of every product must agree: the filters are
/// meant to match one product, and two prices would be a guess.
pub fn hourly_usd(price_list: &[String]) -> Result<Option<f64>, PriceListError> {
    let mut prices = BTreeSet::new();
    for text in price_list {
        let document: Document =
            serde_json::from_str(text).map_err(|e| PriceListError::Malformed(e.to_string()))?;
        for dimension in document
            .terms
            .on_demand
            .values()
            .flat_map(|t| t.dimensions.values())
            .filter(|d| d.unit.eq_ignore_ascii_case("hrs"))
        {
            let usd = dimension.price.get("USD").ok_or_else(|| {
                PriceListError::Malformed("an hourly dimension without a USD price".to_owned())
            })?;
            prices.insert(usd.trim().to_owned());
        }
    }
    let parsed: Vec<f64> = prices
        .iter()
        .map(|p| {
            p.parse::<f64>()
                .map_err(|e| PriceListError::Malformed(format!("{p:?}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    match parsed.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        // The same price written two ways ("0.0416" and "0.0416000000").
        [first, rest @ ..] if rest.iter().all(|p| (p - first).abs() < 1e-12) => Ok(Some(*first)),
        _ => Err(PriceListError::Ambiguous(prices.into_iter().collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A price document in the shape `GetProducts` returns.
    fn document(instance_type: &str, usd: &str) -> String {
        serde_json::json!({
            "product": {
                "productFamily": "Compute Instance",
                "attributes": {"instanceType": instance_type, "regionCode": "ap-northeast-2",
                               "operatingSystem": "Linux", "tenancy": "Shared"},
                "sku": "SKU1"
            },
            "serviceCode": "AmazonEC2",
            "terms": {"OnDemand": {"SKU1.JRTCKXETXF": {
                "priceDimensions": {"SKU1.JRTCKXETXF.6YS6EN2CT7": {
                    "unit": "Hrs", "pricePerUnit": {"USD": usd},
                    "description": "$0.052 per On Demand Linux t3.medium Instance Hour"
                }},
                "sku": "SKU1", "effectiveDate": "2026-11-01T00:00:00Z"
            }}},
            "version": "20261101000000",
            "publicationDate": "2026-11-01T00:00:00Z"
        })
        .to_string()
    }

    #[test]
    fn the_hourly_usd_is_read_from_on_demand_terms() {
        assert_eq!(
            hourly_usd(&[document("t3.medium", "0.0520000000")]),
            Ok(Some(0.052))
        );
        assert_eq!(hourly_usd(&[]), Ok(None));
        let two = [
            document("t3.medium", "0.052"),
            document("t3.medium", "0.0520000000"),
        ];
        assert_eq!(hourly_usd(&two), Ok(Some(0.052)));
        let clash = [
            document("t3.medium", "0.052"),
            document("t3.medium", "0.06"),
        ];
        assert!(matches!(
            hourly_usd(&clash),
            Err(PriceListError::Ambiguous(_))
        ));
        assert!(matches!(
            hourly_usd(&["{".to_owned()]),
            Err(PriceListError::Malformed(_))
        ));
    }

    #[test]
    fn keys_follow_the_documented_filters() {
        let ec2 = Billing {
            class: Some("t3.micro".to_owned()),
            ..Billing::default()
        };
        let [key] = <[PriceKey; 1]>::try_from(
            PriceKey::keys(GroupKind::Ec2, &ec2, "ap-northeast-2").unwrap(),
        )
        .unwrap();
        assert_eq!(
            key.filters(),
            [
                ("regionCode", "ap-northeast-2".to_owned()),
                ("instanceType", "t3.micro".to_owned()),
                ("operatingSystem", "Linux".to_owned()),
                ("tenancy", "Shared".to_owned()),
                ("preInstalledSw", "NA".to_owned()),
                ("capacitystatus", "Used".to_owned()),
            ]
        );
        let db = Billing {
            class: Some("db.t3.medium".to_owned()),
            engine: Some("postgres".to_owned()),
            multi_az: true,
            members: Vec::new(),
        };
        let key = PriceKey::keys(GroupKind::Rds, &db, "ap-northeast-2").unwrap()[0].clone();
        assert_eq!(key.service.code(), "AmazonRDS");
        assert!(key
            .filters()
            .contains(&("databaseEngine", "PostgreSQL".to_owned())));
        assert!(key
            .filters()
            .contains(&("deploymentOption", "Multi-AZ".to_owned())));
        assert_eq!(
            key.to_string(),
            "db.t3.medium in ap-northeast-2 (PostgreSQL, Multi-AZ)"
        );
        let oracle = Billing {
            engine: Some("oracle-ee".to_owned()),
            ..db
        };
        assert_eq!(
            PriceKey::keys(GroupKind::Rds, &oracle, "ap-northeast-2"),
            Err(NoPrice::Licensed {
                engine: "oracle-ee".to_owned()
            })
        );
        assert_eq!(
            PriceKey::keys(GroupKind::Ec2, &Billing::default(), "x"),
            Err(NoPrice::NoClass)
        );
    }

    #[test]
    fn a_cluster_is_its_members_and_a_group_its_instances() {
        let aurora = Billing {
            engine: Some("aurora-postgresql".to_owned()),
            members: vec!["db.r6g.large".to_owned(), "db.r6g.large".to_owned()],
            ..Billing::default()
        };
        let keys = PriceKey::keys(GroupKind::RdsCluster, &aurora, "ap-northeast-2").unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys[0].to_string(),
            "db.r6g.large in ap-northeast-2 (Aurora PostgreSQL, Single-AZ)"
        );
        let docdb = Billing {
            engine: Some("docdb".to_owned()),
            ..aurora.clone()
        };
        assert_eq!(
            PriceKey::keys(GroupKind::RdsCluster, &docdb, "x"),
            Err(NoPrice::ClusterEngine {
                engine: "DocumentDB".to_owned()
            })
        );
        let bare = Billing {
            members: Vec::new(),
            ..aurora
        };
        assert_eq!(
            PriceKey::keys(GroupKind::RdsCluster, &bare, "x"),
            Err(NoPrice::NoMembers)
        );
        let group = Billing {
            members: vec!["t3.micro".to_owned(), "t3.small".to_owned()],
            ..Billing::default()
        };
        let keys = PriceKey::keys(GroupKind::Asg, &group, "ap-northeast-2").unwrap();
        assert_eq!(
            keys.iter().map(|k| k.class.as_str()).collect::<Vec<_>>(),
            ["t3.micro", "t3.small"]
        );
        assert_eq!(keys[0].service, PriceService::Ec2);
        assert_eq!(
            PriceKey::keys(GroupKind::Asg, &Billing::default(), "x"),
            Err(NoPrice::NoInstances)
        );
        assert_eq!(
            PriceKey::keys(GroupKind::Ecs, &group, "x"),
            Err(NoPrice::EcsTasksNotRead)
        );
    }

    #[test]
    fn an_outage_is_one_short_english_line() {
        for (outage, line) in [
            (Outage::Status(500), "price list unavailable: HTTP 500"),
            (Outage::Denied, "price list unavailable: access denied"),
            (Outage::Throttled, "price list unavailable: throttled"),
            (
                Outage::Connection,
                "price list unavailable: connection failed",
            ),
            (Outage::Timeout, "price list unavailable: timed out"),
            (
                Outage::Unreadable,
                "price list unavailable: unreadable answer",
            ),
            (Outage::NotAsked, "price list unavailable: not asked"),
        ] {
            assert_eq!(NoPrice::Unavailable(outage).to_string(), line);
        }
    }
}
