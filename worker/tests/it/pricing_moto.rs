//! On-demand prices (`AwsPrices`) against a real local DynamoDB (moto) for
//! the cache and the Price List stand-in for `GetProducts` (moto has no
//! Price List API): the documented filters are sent, the on-demand price
//! comes back, a cached price saves the call for 30 days, and an outage or
//! a missing product is said as such, never as a price.

use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_pricing::config::Region;
use chrono::{DateTime, Duration, Utc};
use curfew_shared::savings::{NoPrice, Outage, PriceKey, PriceService, Quote};
use curfew_testkit::{local_aws, sdk_at, PriceListStandIn};
use curfew_worker::adapters::pricing::{AwsPrices, PRICING_REGION};
use curfew_worker::cli::setup::create_table;
use curfew_worker::limits::PRICE_CACHE_LIFETIME;
use std::collections::BTreeMap;

const SEOUL: &str = "ap-northeast-2";

struct Fixture {
    sdk: aws_config::SdkConfig,
    prices: AwsPrices,
    standin: PriceListStandIn,
    dynamodb: aws_sdk_dynamodb::Client,
    table: String,
}

/// A table of its own (`name`) in moto, a stand-in price list, and the
/// adapter on both; `None` without a local AWS.
async fn fixture(name: &str) -> Option<Fixture> {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let sdk = sdk_at(&local_aws()?).await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
    let table = format!("{name}-{}", std::process::id());
    create_table(&dynamodb, &table).await.unwrap();
    let standin = PriceListStandIn::start().await.unwrap();
    let prices = AwsPrices::with_client(
        pricing_client(&sdk, &standin),
        dynamodb.clone(),
        table.clone(),
    );
    Some(Fixture {
        sdk,
        prices,
        standin,
        dynamodb,
        table,
    })
}

fn pricing_client(
    sdk: &aws_config::SdkConfig,
    standin: &PriceListStandIn,
) -> aws_sdk_pricing::Client {
    let config = aws_sdk_pricing::config::Builder::from(sdk)
        .endpoint_url(standin.endpoint())
        .region(Region::from_static("us-east-1"))
        .build();
    aws_sdk_pricing::Client::from_conf(config)
}

impl Fixture {
    /// The cached items, by sort key.
    async fn cache(&self) -> BTreeMap<String, std::collections::HashMap<String, AttributeValue>> {
        let items = self
            .dynamodb
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S("PRICE".to_owned()))
            .send()
            .await
            .unwrap()
            .items
            .unwrap_or_default();
        items
            .into_iter()
            .map(|item| (item["sk"].as_s().unwrap().clone(), item))
            .collect()
    }

    async fn quote(&self, keys: &[PriceKey], now: DateTime<Utc>) -> BTreeMap<PriceKey, Quote> {
        self.prices.quote(keys, now).await
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

fn ec2(class: &str) -> PriceKey {
    PriceKey {
        service: PriceService::Ec2,
        region: SEOUL.to_owned(),
        class: class.to_owned(),
        engine: None,
        deployment: None,
    }
}

fn rds(class: &str, engine: &str, deployment: &str) -> PriceKey {
    PriceKey {
        service: PriceService::Rds,
        region: SEOUL.to_owned(),
        class: class.to_owned(),
        engine: Some(engine.to_owned()),
        deployment: Some(deployment.to_owned()),
    }
}

/// `(Type, Field, Value)` triples, sorted, all `TERM_MATCH`.
fn term_matches(pairs: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let mut filters: Vec<_> = pairs
        .iter()
        .map(|(field, value)| {
            (
                "TERM_MATCH".to_owned(),
                (*field).to_owned(),
                (*value).to_owned(),
            )
        })
        .collect();
    filters.sort();
    filters
}

/// A Seoul price list with look-alikes that differ from the products
/// asked for in one attribute each: another region, the other deployment,
/// another engine (and `add_ec2`'s own Windows and capacity reservation).
fn seoul_price_list(standin: &PriceListStandIn) {
    standin.add_ec2(SEOUL, "t3.medium", "0.0520000000");
    standin.add_ec2("us-east-1", "t3.medium", "0.0416000000");
    standin.add_ec2(SEOUL, "t3.large", "0.1040000000");
    standin.add_rds(
        SEOUL,
        "db.t3.medium",
        "PostgreSQL",
        "Single-AZ",
        "0.0730000000",
    );
    standin.add_rds(
        SEOUL,
        "db.t3.medium",
        "PostgreSQL",
        "Multi-AZ",
        "0.1460000000",
    );
    standin.add_rds(SEOUL, "db.t3.medium", "MySQL", "Single-AZ", "0.0720000000");
    standin.add_rds(
        "us-east-1",
        "db.t3.medium",
        "PostgreSQL",
        "Single-AZ",
        "0.0720000000",
    );
}

#[tokio::test]
async fn the_documented_filters_are_sent_and_the_on_demand_price_comes_back() {
    let Some(f) = fixture("prices-filters").await else {
        return;
    };
    seoul_price_list(&f.standin);
    let server = ec2("t3.medium");
    let db = rds("db.t3.medium", "PostgreSQL", "Single-AZ");
    // A key asked twice is one key, asked of the price list once.
    let quotes = f
        .quote(&[server.clone(), db.clone(), server.clone()], t0())
        .await;
    assert_eq!(
        quotes,
        BTreeMap::from([
            (server.clone(), Quote::Hourly(0.052)),
            (db.clone(), Quote::Hourly(0.073)),
        ])
    );

    let requests = f.standin.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let sent = |service: &str| {
        let request = requests
            .iter()
            .find(|r| r.service_code == service)
            .unwrap_or_else(|| panic!("no GetProducts for {service}: {requests:#?}"));
        assert_eq!(request.format_version.as_deref(), Some("aws_v1"));
        assert_eq!(
            request.region, "us-east-1",
            "signed for the Price List API's region"
        );
        let mut filters = request.filters.clone();
        filters.sort();
        filters
    };
    assert_eq!(
        sent("AmazonEC2"),
        term_matches(&[
            ("regionCode", SEOUL),
            ("instanceType", "t3.medium"),
            ("operatingSystem", "Linux"),
            ("tenancy", "Shared"),
            ("preInstalledSw", "NA"),
            ("capacitystatus", "Used"),
        ])
    );
    assert_eq!(
        sent("AmazonRDS"),
        term_matches(&[
            ("regionCode", SEOUL),
            ("instanceType", "db.t3.medium"),
            ("databaseEngine", "PostgreSQL"),
            ("deploymentOption", "Single-AZ"),
        ])
    );

    // Both prices are cached in the documented shape.
    let cache = f.cache().await;
    assert_eq!(cache.len(), 2, "{cache:#?}");
    let item = &cache[&server.cache_key()];
    assert_eq!(item["usd"], AttributeValue::N("0.052".to_owned()));
    assert_eq!(
        item["fetched_at"],
        AttributeValue::S("2026-12-01T00:00:00Z".to_owned())
    );
    let ttl = (t0() + Duration::days(30)).timestamp().to_string();
    assert_eq!(item["ttl"], AttributeValue::N(ttl));
    assert_eq!(
        cache[&db.cache_key()]["usd"],
        AttributeValue::N("0.073".to_owned())
    );
}

#[tokio::test]
async fn a_price_is_served_from_the_table_for_thirty_days_then_asked_again() {
    let Some(f) = fixture("prices-cache").await else {
        return;
    };
    seoul_price_list(&f.standin);
    let keys = [
        ec2("t3.medium"),
        rds("db.t3.medium", "PostgreSQL", "Multi-AZ"),
    ];
    let first = f.quote(&keys, t0()).await;
    assert_eq!(first[&keys[0]], Quote::Hourly(0.052));
    assert_eq!(first[&keys[1]], Quote::Hourly(0.146));
    assert_eq!(f.standin.requests().len(), 2);

    // Another worker (another client, the same table), 29 days on.
    f.standin.reset();
    let other = AwsPrices::with_client(
        pricing_client(&f.sdk, &f.standin),
        f.dynamodb.clone(),
        f.table.clone(),
    );
    let later = other.quote(&keys, t0() + Duration::days(29)).await;
    assert_eq!(later, first);
    assert_eq!(f.standin.requests(), [], "a cached price asks nothing");

    // 31 days on, the cache is too old: the price list is asked again and
    // the cache refreshed.
    let stale = t0() + Duration::days(31);
    assert!(Duration::days(31) > PRICE_CACHE_LIFETIME);
    let again = f.quote(&keys, stale).await;
    assert_eq!(again, first);
    assert_eq!(f.standin.requests().len(), 2);
    let cache = f.cache().await;
    assert_eq!(
        cache[&keys[0].cache_key()]["fetched_at"],
        AttributeValue::S("2027-01-01T00:00:00Z".to_owned())
    );
    f.standin.reset();
    f.quote(&keys, stale + Duration::days(1)).await;
    assert_eq!(f.standin.requests(), [], "the refreshed price is cached");
}

#[tokio::test]
async fn a_type_missing_from_the_price_list_is_not_listed_and_not_cached() {
    let Some(f) = fixture("prices-missing").await else {
        return;
    };
    seoul_price_list(&f.standin);
    let keys = [
        ec2("t9.huge"),
        // Listed, but not for this engine.
        rds("db.t3.medium", "MariaDB", "Single-AZ"),
        ec2("t3.medium"),
    ];
    let quotes = f.quote(&keys, t0()).await;
    assert_eq!(quotes[&keys[0]], Quote::NotListed);
    assert_eq!(quotes[&keys[1]], Quote::NotListed);
    assert_eq!(quotes[&keys[2]], Quote::Hourly(0.052));
    let cache = f.cache().await;
    assert_eq!(cache.keys().collect::<Vec<_>>(), [&keys[2].cache_key()]);
    // Not cached: it may be listed tomorrow, so it is asked again.
    f.standin.reset();
    f.quote(&keys[..1], t0() + Duration::hours(1)).await;
    assert_eq!(f.standin.requests().len(), 1);
}

#[tokio::test]
async fn an_outage_is_unavailable_never_a_price_and_nothing_is_cached() {
    let Some(f) = fixture("prices-outage").await else {
        return;
    };
    seoul_price_list(&f.standin);
    let server = ec2("t3.medium");
    let db = rds("db.t3.medium", "PostgreSQL", "Single-AZ");
    f.quote(std::slice::from_ref(&server), t0()).await;
    f.standin.reset();

    // More failures than the SDK has attempts: the outage outlasts its retries.
    f.standin.fail_next(10);
    let quotes = f
        .quote(&[server.clone(), db.clone()], t0() + Duration::hours(1))
        .await;
    assert_eq!(
        quotes[&server],
        Quote::Hourly(0.052),
        "the cached price stands"
    );
    assert_eq!(
        quotes[&db],
        Quote::Unavailable(Outage::Status(500)),
        "a server error is its status, not its dump"
    );
    assert_eq!(
        NoPrice::Unavailable(Outage::Status(500)).to_string(),
        "price list unavailable: HTTP 500"
    );
    let attempts = f.standin.requests().len();
    assert!(
        attempts > 1,
        "the SDK retries a server error; {attempts} attempt(s)"
    );
    assert_eq!(f.cache().await.len(), 1, "only the earlier price is cached");

    // A refusal is not retried, and is unavailable too.
    f.standin.reset();
    f.standin.deny_next(1);
    let quotes = f
        .quote(std::slice::from_ref(&db), t0() + Duration::hours(2))
        .await;
    assert_eq!(quotes[&db], Quote::Unavailable(Outage::Denied));
    assert_eq!(f.standin.requests().len(), 1);

    // Once it is over, the price is asked and found.
    f.standin.reset();
    let quotes = f
        .quote(std::slice::from_ref(&db), t0() + Duration::hours(3))
        .await;
    assert_eq!(quotes[&db], Quote::Hourly(0.073));
}

#[tokio::test]
async fn a_refused_connection_is_a_failed_connection_in_a_few_words() {
    let Some(f) = fixture("prices-refused").await else {
        return;
    };
    // A loopback port nothing listens on: the connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = aws_sdk_pricing::config::Builder::from(&f.sdk)
        .endpoint_url(format!("http://{closed}"))
        .region(Region::from_static("us-east-1"))
        .build();
    let prices = AwsPrices::with_client(
        aws_sdk_pricing::Client::from_conf(config),
        f.dynamodb.clone(),
        f.table.clone(),
    );
    let keys = [
        ec2("t3.medium"),
        rds("db.t3.medium", "PostgreSQL", "Single-AZ"),
    ];
    let quotes = prices.quote(&keys, t0()).await;
    for key in &keys {
        assert_eq!(quotes[key], Quote::Unavailable(Outage::Connection), "{key}");
    }
    let line = NoPrice::Unavailable(Outage::Connection).to_string();
    assert_eq!(line, "price list unavailable: connection failed");
    assert!(line.len() < 80);
    assert!(f.cache().await.is_empty(), "nothing is cached");
}

#[tokio::test]
async fn every_page_is_read_and_two_prices_for_one_key_are_never_a_guess() {
    let Some(f) = fixture("prices-pages").await else {
        return;
    };
    f.standin.page_size(1);
    // The same price written two ways, on two pages.
    f.standin.add_ec2(SEOUL, "m5.large", "0.1180000000");
    f.standin.add_ec2(SEOUL, "m5.large", "0.118");
    // Two different prices for one key, on two pages.
    f.standin.add_ec2(SEOUL, "c5.large", "0.0960000000");
    f.standin.add_ec2(SEOUL, "c5.large", "0.1010000000");
    let keys = [ec2("m5.large"), ec2("c5.large")];
    let quotes = f.quote(&keys, t0()).await;
    assert_eq!(quotes[&keys[0]], Quote::Hourly(0.118));
    assert_eq!(
        quotes[&keys[1]],
        Quote::Unavailable(Outage::Unreadable),
        "two prices are no price"
    );
    let requests = f.standin.requests();
    assert_eq!(requests.len(), 4, "two pages a key: {requests:#?}");
    assert_eq!(
        requests.iter().filter(|r| r.next_token.is_some()).count(),
        2
    );
    assert_eq!(
        f.cache().await.len(),
        1,
        "the ambiguous price is not cached"
    );
}

#[tokio::test]
async fn without_a_readable_cache_every_key_is_asked_and_still_priced() {
    let Some(f) = fixture("prices-nocache").await else {
        return;
    };
    seoul_price_list(&f.standin);
    // A table that does not exist: the cache Query and writes fail.
    let prices = AwsPrices::with_client(
        pricing_client(&f.sdk, &f.standin),
        f.dynamodb.clone(),
        format!("{}-missing", f.table),
    );
    let keys = [
        ec2("t3.medium"),
        rds("db.t3.medium", "PostgreSQL", "Single-AZ"),
    ];
    let quotes = prices.quote(&keys, t0()).await;
    assert_eq!(quotes[&keys[0]], Quote::Hourly(0.052));
    assert_eq!(quotes[&keys[1]], Quote::Hourly(0.073));
    assert_eq!(f.standin.requests().len(), 2);
}

#[tokio::test]
async fn the_worker_asks_in_us_east_1_at_the_configured_endpoint() {
    let Some(f) = fixture("prices-region").await else {
        return;
    };
    seoul_price_list(&f.standin);
    // The worker's configuration, in Seoul, its endpoint set for every service.
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(f.standin.endpoint())
        .region(Region::from_static(SEOUL))
        .load()
        .await;
    let prices = AwsPrices::new(&sdk, f.dynamodb.clone(), f.table.clone());
    let quotes = prices.quote(&[ec2("t3.medium")], t0()).await;
    assert_eq!(quotes[&ec2("t3.medium")], Quote::Hourly(0.052));
    let requests = f.standin.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].region, PRICING_REGION);
}
