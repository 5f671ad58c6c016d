//! On-demand prices from the AWS Price List Query API (SPEC §6 Savings),
//! the [`Prices`] port.
//!
//! A quote reads the whole price cache with one Query (`pk = PRICE`,
//! `sk = <PriceKey::cache_key()>`, with `usd`, `fetched_at` and `ttl`) and
//! asks `GetProducts` only for the keys it does not hold, a few at once.
//! A price that was read is cached; a product the price list does not have
//! is not (it may be listed later), and neither is a failure. A failed
//! cache read or write costs only calls, never a quote.
//!
//! A price list that cannot be asked gives each key a short [`Outage`]
//! (`HTTP 500`, a failed connection), which the report shows; the whole
//! SDK error goes to the log, once a quote however many keys it cost.

use crate::adapters::dynamodb::items::text;
use crate::adapters::dynamodb::s;
use crate::limits::{PRICE_CACHE_LIFETIME, PRICING_CONCURRENCY};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_pricing::config::Region;
use aws_sdk_pricing::operation::get_products::GetProductsError;
use aws_sdk_pricing::types::{Filter, FilterType};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use chrono::{DateTime, SecondsFormat, Utc};
use curfew_aws::aws_error;
use curfew_shared::ports::{CallError, PortFuture, Prices};
use curfew_shared::savings::{hourly_usd, Outage, PriceKey, Quote};
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The region the Price List Query API is asked in, whatever region the
/// worker runs in: the API has endpoints in only a few regions (us-east-1
/// first among them), and each answers for the prices of every region.
pub const PRICING_REGION: &str = "us-east-1";

/// The partition holding every cached price (docs/DYNAMODB.md's one table).
const PARTITION: &str = "PRICE";

/// The only `FormatVersion` of `GetProducts`; `hourly_usd` reads its shape.
const FORMAT_VERSION: &str = "aws_v1";

/// Products per `GetProducts` page: the API's maximum. The filters match
/// one product, so one page answers a key.
const PAGE_SIZE: i32 = 100;

/// Prices from the Price List Query API, cached in the table.
#[derive(Debug, Clone)]
pub struct AwsPrices {
    pricing: aws_sdk_pricing::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    table: String,
}

impl AwsPrices {
    /// The Pricing client from the worker's `sdk` configuration, in
    /// [`PRICING_REGION`]. Its endpoint is still the SDK's to resolve, so
    /// `AWS_ENDPOINT_URL_PRICING` (or `AWS_ENDPOINT_URL`) points it
    /// elsewhere, e.g. at a local stand-in.
    pub fn new(
        sdk: &aws_config::SdkConfig,
        dynamodb: aws_sdk_dynamodb::Client,
        table: String,
    ) -> Self {
        let config = aws_sdk_pricing::config::Builder::from(sdk)
            .region(Region::from_static(PRICING_REGION))
            .build();
        Self::with_client(aws_sdk_pricing::Client::from_conf(config), dynamodb, table)
    }

    /// With a Pricing client built elsewhere (the tests' stand-in).
    pub const fn with_client(
        pricing: aws_sdk_pricing::Client,
        dynamodb: aws_sdk_dynamodb::Client,
        table: String,
    ) -> Self {
        Self {
            pricing,
            dynamodb,
            table,
        }
    }

    /// The quote of every distinct key in `keys`: from the cache while it
    /// is younger than [`PRICE_CACHE_LIFETIME`] at `now`, else from
    /// `GetProducts`. Keys it could not ask about are unavailable, and the
    /// first one's whole error is logged, once.
    pub async fn quote(&self, keys: &[PriceKey], now: DateTime<Utc>) -> BTreeMap<PriceKey, Quote> {
        let wanted: BTreeSet<&PriceKey> = keys.iter().collect();
        if wanted.is_empty() {
            return BTreeMap::new();
        }
        let cached = match self.cached(now).await {
            Ok(cached) => cached,
            Err(error) => {
                tracing::warn!(%error, "could not read the price cache; asking the price list");
                HashMap::new()
            }
        };
        let mut quotes = BTreeMap::new();
        let mut missing = Vec::new();
        for key in wanted {
            match cached.get(&key.cache_key()) {
                Some(usd) => {
                    quotes.insert(key.clone(), Quote::Hourly(*usd));
                }
                None => missing.push(key),
            }
        }
        tracing::debug!(
            cached = quotes.len(),
            asked = missing.len(),
            "quoting prices"
        );
        let asked: Vec<(PriceKey, Result<Quote, Failure>)> =
            futures::stream::iter(missing.into_iter().cloned())
                .map(|key| async move {
                    let quote = self.ask(&key, now).await;
                    (key, quote)
                })
                .buffer_unordered(PRICING_CONCURRENCY)
                .collect()
                .await;
        let mut failed = 0_usize;
        let mut first = None;
        for (key, asked) in asked {
            let quote = match asked {
                Ok(quote) => quote,
                Err(failure) => {
                    failed += 1;
                    let outage = failure.outage;
                    first.get_or_insert((key.clone(), failure));
                    Quote::Unavailable(outage)
                }
            };
            quotes.insert(key, quote);
        }
        if let Some((key, failure)) = first {
            tracing::warn!(
                keys = failed,
                first = %key,
                outage = %failure.outage,
                error = %failure.error,
                "the price list could not be asked; the money is unavailable"
            );
        }
        quotes
    }

    /// Every cached price still in its lifetime at `now`, by cache key.
    async fn cached(&self, now: DateTime<Utc>) -> Result<HashMap<String, f64>, CallError> {
        let mut pages = self
            .dynamodb
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(PARTITION))
            .into_paginator()
            .send();
        let mut cached = HashMap::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| aws_error("Query", e))?;
            for item in page.items() {
                match fresh_price(item, now) {
                    Ok(Some((key, usd))) => {
                        cached.insert(key, usd);
                    }
                    Ok(None) => {}
                    Err(reason) => {
                        tracing::warn!(%reason, "ignoring an unreadable cached price");
                    }
                }
            }
        }
        Ok(cached)
    }

    /// Asks the price list about one key, and caches a price it gives.
    async fn ask(&self, key: &PriceKey, now: DateTime<Utc>) -> Result<Quote, Failure> {
        let price_list = self.products(key).await?;
        match hourly_usd(&price_list) {
            Ok(Some(usd)) => {
                self.remember(key, usd, now).await;
                Ok(Quote::Hourly(usd))
            }
            Ok(None) => Ok(Quote::NotListed),
            Err(error) => Err(Failure {
                outage: Outage::Unreadable,
                error: format!("GetProducts gave {key}: {error}"),
            }),
        }
    }

    /// Every `PriceList` document matching `key`'s filters, over all pages.
    async fn products(&self, key: &PriceKey) -> Result<Vec<String>, Failure> {
        let filters = key
            .filters()
            .into_iter()
            .map(|(field, value)| {
                Filter::builder()
                    .r#type(FilterType::TermMatch)
                    .field(field)
                    .value(value)
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure {
                outage: Outage::NotAsked,
                error: format!("GetProducts for {key} could not be built: {e}"),
            })?;
        let mut pages = self
            .pricing
            .get_products()
            .service_code(key.service.code())
            .format_version(FORMAT_VERSION)
            .set_filters(Some(filters))
            .max_results(PAGE_SIZE)
            .into_paginator()
            .send();
        let mut price_list = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| Failure {
                outage: outage(&e),
                error: aws_error("GetProducts", e).to_string(),
            })?;
            price_list.extend(page.price_list.unwrap_or_default());
        }
        Ok(price_list)
    }

    /// Caches `usd` for `key`, read at `now`. A failure is logged: the
    /// quote stands, and the next report asks again.
    async fn remember(&self, key: &PriceKey, usd: f64, now: DateTime<Utc>) {
        let written = self
            .dynamodb
            .put_item()
            .table_name(&self.table)
            .item("pk", s(PARTITION))
            .item("sk", s(key.cache_key()))
            // The shortest text that reads back as the same f64.
            .item("usd", AttributeValue::N(usd.to_string()))
            .item(
                "fetched_at",
                s(now.to_rfc3339_opts(SecondsFormat::Secs, true)),
            )
            .item(
                "ttl",
                AttributeValue::N((now + PRICE_CACHE_LIFETIME).timestamp().to_string()),
            )
            .send()
            .await;
        if let Err(error) = written {
            let error = aws_error("PutItem", error);
            tracing::warn!(key = %key, %error, "could not cache a price");
        }
    }
}

/// Why one key could not be quoted: the short outage the report shows,
/// and the whole error for the log.
#[derive(Debug)]
struct Failure {
    outage: Outage,
    error: String,
}

/// A failed `GetProducts`, in a word or two. Its typed error says denied
/// and throttled; any other answer is its HTTP status.
fn outage(error: &SdkError<GetProductsError, HttpResponse>) -> Outage {
    match error {
        SdkError::ServiceError(context) => match context.err() {
            GetProductsError::AccessDeniedException(_) => Outage::Denied,
            GetProductsError::ThrottlingException(_) => Outage::Throttled,
            _ => Outage::Status(context.raw().status().as_u16()),
        },
        SdkError::TimeoutError(_) => Outage::Timeout,
        SdkError::DispatchFailure(failure) if failure.is_timeout() => Outage::Timeout,
        SdkError::ResponseError(_) => Outage::Unreadable,
        SdkError::ConstructionFailure(_) => Outage::NotAsked,
        // A connection refused, reset, or not resolved; any future kind.
        _ => Outage::Connection,
    }
}

/// A cached item's key and price, `None` once it is [`PRICE_CACHE_LIFETIME`]
/// old at `now`, or why it cannot be read.
fn fresh_price(
    item: &HashMap<String, AttributeValue>,
    now: DateTime<Utc>,
) -> Result<Option<(String, f64)>, String> {
    let sk = text(item, "sk").ok_or("no sk")?;
    let usd = text(item, "usd").ok_or_else(|| format!("{sk}: no usd"))?;
    let usd: f64 = usd.parse().map_err(|e| format!("{sk}: usd {usd:?}: {e}"))?;
    let fetched_at = text(item, "fetched_at").ok_or_else(|| format!("{sk}: no fetched_at"))?;
    let fetched_at = DateTime::parse_from_rfc3339(&fetched_at)
        .map_err(|e| format!("{sk}: fetched_at {fetched_at:?}: {e}"))?;
    if now.signed_duration_since(fetched_at) >= PRICE_CACHE_LIFETIME {
        return Ok(None);
    }
    Ok(Some((sk, usd)))
}

/// The port, by the Query, the `GetProducts` calls and the writes above.
impl Prices for AwsPrices {
    fn quote<'a>(
        &'a self,
        keys: &'a [PriceKey],
        now: DateTime<Utc>,
    ) -> PortFuture<'a, BTreeMap<PriceKey, Quote>> {
        Box::pin(Self::quote(self, keys, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_pricing::types::error::{
        AccessDeniedException, InternalErrorException, ThrottlingException,
    };
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use chrono::Duration;

    fn answered(status: u16, error: GetProductsError) -> SdkError<GetProductsError, HttpResponse> {
        let raw = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        SdkError::service_error(error, raw)
    }

    #[test]
    fn a_failed_call_is_one_word_or_two() {
        let server = InternalErrorException::builder().message("boom").build();
        let denied = AccessDeniedException::builder().message("no").build();
        let slow = ThrottlingException::builder().message("wait").build();
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        for (error, expected) in [
            (
                answered(500, GetProductsError::InternalErrorException(server)),
                Outage::Status(500),
            ),
            (
                answered(400, GetProductsError::AccessDeniedException(denied)),
                Outage::Denied,
            ),
            (
                answered(400, GetProductsError::ThrottlingException(slow)),
                Outage::Throttled,
            ),
            (
                answered(503, GetProductsError::unhandled("Service Unavailable")),
                Outage::Status(503),
            ),
            (
                SdkError::dispatch_failure(ConnectorError::io(refused.into())),
                Outage::Connection,
            ),
            (
                SdkError::dispatch_failure(ConnectorError::timeout("connect".into())),
                Outage::Timeout,
            ),
            (SdkError::timeout_error("attempt"), Outage::Timeout),
            (
                SdkError::construction_failure("no region"),
                Outage::NotAsked,
            ),
        ] {
            assert_eq!(outage(&error), expected, "{error:?}");
        }
    }

    fn item(usd: &str, fetched_at: &str) -> HashMap<String, AttributeValue> {
        HashMap::from([
            ("pk".to_owned(), s(PARTITION)),
            ("sk".to_owned(), s("AmazonEC2#ap-northeast-2#t3.medium##")),
            ("usd".to_owned(), AttributeValue::N(usd.to_owned())),
            ("fetched_at".to_owned(), s(fetched_at)),
        ])
    }

    #[test]
    fn a_cached_price_is_used_for_thirty_days_only() {
        let fetched = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let cached = item("0.052", "2026-11-01T00:00:00Z");
        let key = "AmazonEC2#ap-northeast-2#t3.medium##".to_owned();
        for (age, fresh) in [
            (Duration::zero(), true),
            (PRICE_CACHE_LIFETIME - Duration::seconds(1), true),
            (PRICE_CACHE_LIFETIME, false),
            (Duration::days(31), false),
        ] {
            let expected = fresh.then(|| (key.clone(), 0.052));
            assert_eq!(fresh_price(&cached, fetched + age), Ok(expected), "{age}");
        }
        assert!(fresh_price(&item("cheap", "2026-11-01T00:00:00Z"), fetched).is_err());
        assert!(fresh_price(&item("0.052", "yesterday"), fetched).is_err());
    }
}
