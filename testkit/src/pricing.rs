//! A real HTTP server standing in for the AWS Price List Query API
//! (`GetProducts`), which moto does not implement: the SDK's Pricing
//! client talks to it over HTTP exactly as to AWS (the awsJson1_1
//! protocol, `X-Amz-Target: AWSPriceListService.GetProducts`).
//!
//! It holds products in AWS's own shape (`product.attributes`,
//! `terms.OnDemand`, and a `terms.Reserved` term with another price that a
//! reader must ignore) and answers every product whose attributes match
//! all the filters: `TERM_MATCH`, the field by its exact name, the value
//! case-insensitively, as AWS compares them. Beside each product asked
//! for it adds look-alikes with other prices (Windows, an unused capacity
//! reservation, the other deployment) so that a missing or wrong filter
//! shows as a second price. Every request is recorded.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// The operation this stand-in answers, as the SDK names it in `X-Amz-Target`.
const TARGET: &str = "AWSPriceListService.GetProducts";
/// The awsJson1_1 content type of every answer.
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// AWS's on-demand offer term code (the same in every product).
const ON_DEMAND: &str = "JRTCKXETXF";
/// AWS's rate code of an on-demand hourly price dimension.
const HOURLY_RATE: &str = "6YS6EN2CT7";
/// A reserved offer (1 year standard, no upfront) and its hourly rate.
const RESERVED: &str = "4NA7Y494T4";
const RESERVED_RATE: &str = "6YS6EN2CT7";
/// Products per page when the request gives no `MaxResults`.
const DEFAULT_PAGE: usize = 100;

/// One `GetProducts` request as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProductsRequest {
    /// The region the request was signed for (its SigV4 credential scope).
    pub region: String,
    pub service_code: String,
    /// `(Type, Field, Value)`, in the order sent.
    pub filters: Vec<(String, String, String)>,
    pub format_version: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<u64>,
}

/// The stand-in Price List API.
#[derive(Debug, Clone)]
pub struct PriceListStandIn {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// Each a product document; its `serviceCode` and
    /// `product.attributes` are what the filters match.
    products: Vec<Value>,
    requests: Vec<GetProductsRequest>,
    /// Error answers for the next requests: `(status, __type)`.
    faults: Vec<(u16, &'static str)>,
    /// Products per page at most, whatever `MaxResults` says.
    page_size: Option<usize>,
    /// Makes every SKU unique.
    skus: usize,
}

impl PriceListStandIn {
    /// Starts listening on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let standin = Self {
            addr: listener.local_addr()?,
            state: Arc::default(),
        };
        let state = Arc::clone(&standin.state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        answer(request, Arc::clone(&state))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(standin)
    }

    /// The endpoint URL to give the Pricing client.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The on-demand Linux price of `instance_type` in `region` (shared
    /// tenancy, no pre-installed software, used capacity), plus two
    /// products that differ in one attribute and cost more: the same type
    /// as an unused capacity reservation, and on Windows.
    pub fn add_ec2(&self, region: &str, instance_type: &str, usd: &str) {
        let attributes = |os: &str, capacity: &str| {
            json!({
                "servicecode": "AmazonEC2",
                "servicename": "Amazon Elastic Compute Cloud",
                "regionCode": region,
                "locationType": "AWS Region",
                "instanceType": instance_type,
                "operatingSystem": os,
                "tenancy": "Shared",
                "preInstalledSw": "NA",
                "capacitystatus": capacity,
                "licenseModel": "No License required",
                "marketoption": "OnDemand",
                "operation": if os == "Windows" { "RunInstances:0002" } else { "RunInstances" },
                "usagetype": format!("BoxUsage:{instance_type}"),
            })
        };
        self.add(
            "AmazonEC2",
            "Compute Instance",
            attributes("Linux", "Used"),
            usd,
        );
        self.add(
            "AmazonEC2",
            "Compute Instance",
            attributes("Linux", "UnusedCapacityReservation"),
            &other_price(usd, 1.25),
        );
        self.add(
            "AmazonEC2",
            "Compute Instance",
            attributes("Windows", "Used"),
            &other_price(usd, 1.75),
        );
    }

    /// The on-demand price of an RDS `class` in `region` for
    /// `engine_label` as the price list names it (`PostgreSQL`) and
    /// `deployment` (`Single-AZ` or `Multi-AZ`). A test adds the other
    /// deployments and engines it wants beside it.
    pub fn add_rds(
        &self,
        region: &str,
        class: &str,
        engine_label: &str,
        deployment: &str,
        usd: &str,
    ) {
        let attributes = json!({
            "servicecode": "AmazonRDS",
            "servicename": "Amazon Relational Database Service",
            "regionCode": region,
            "locationType": "AWS Region",
            "instanceType": class,
            "databaseEngine": engine_label,
            "deploymentOption": deployment,
            "licenseModel": "No license required",
            "operation": "CreateDBInstance",
            "usagetype": format!("InstanceUsage:{class}"),
        });
        self.add("AmazonRDS", "Database Instance", attributes, usd);
    }

    fn add(&self, service: &str, family: &str, attributes: Value, usd: &str) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.skus += 1;
        let sku = format!("CURFEWSTANDIN{:04}", state.skus);
        let on_demand = format!("{sku}.{ON_DEMAND}");
        let reserved = format!("{sku}.{RESERVED}");
        let document = json!({
            "product": {
                "productFamily": family,
                "attributes": attributes,
                "sku": sku,
            },
            "serviceCode": service,
            "terms": {
                "OnDemand": {
                    on_demand.clone(): {
                        "offerTermCode": ON_DEMAND,
                        "sku": sku,
                        "effectiveDate": "2026-11-01T00:00:00Z",
                        "priceDimensions": {
                            format!("{on_demand}.{HOURLY_RATE}"): {
                                "unit": "Hrs",
                                "endRange": "Inf",
                                "description": format!("${usd} per On Demand hour"),
                                "appliesTo": [],
                                "rateCode": format!("{on_demand}.{HOURLY_RATE}"),
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "termAttributes": {},
                    }
                },
                "Reserved": {
                    reserved.clone(): {
                        "offerTermCode": RESERVED,
                        "sku": sku,
                        "effectiveDate": "2026-11-01T00:00:00Z",
                        "priceDimensions": {
                            format!("{reserved}.{RESERVED_RATE}"): {
                                "unit": "Hrs",
                                "endRange": "Inf",
                                "description": "Reserved, 1 year, no upfront",
                                "appliesTo": [],
                                "rateCode": format!("{reserved}.{RESERVED_RATE}"),
                                "beginRange": "0",
                                "pricePerUnit": {"USD": other_price(usd, 0.6)},
                            }
                        },
                        "termAttributes": {
                            "LeaseContractLength": "1yr",
                            "OfferingClass": "standard",
                            "PurchaseOption": "No Upfront",
                        },
                    }
                },
            },
            "version": "20261101000000",
            "publicationDate": "2026-11-01T00:00:00Z",
        });
        state.products.push(document);
    }

    /// Every `GetProducts` request so far, in order.
    pub fn requests(&self) -> Vec<GetProductsRequest> {
        self.state
            .lock()
            .map(|s| s.requests.clone())
            .unwrap_or_default()
    }

    /// Answers the next `times` requests `500 InternalErrorException`, the
    /// Price List API's own server error. The SDK retries it (the model
    /// marks it retryable, and a 5xx is retried anyway), so an outage the
    /// client sees must outlast its attempts (three by the SDK's default).
    pub fn fail_next(&self, times: usize) {
        self.push_faults(times, 500, "InternalErrorException");
    }

    /// Answers the next `times` requests `400 AccessDeniedException`,
    /// which the SDK does not retry: one refused request is an error.
    pub fn deny_next(&self, times: usize) {
        self.push_faults(times, 400, "AccessDeniedException");
    }

    fn push_faults(&self, times: usize, status: u16, code: &'static str) {
        if let Ok(mut state) = self.state.lock() {
            state
                .faults
                .extend(std::iter::repeat_n((status, code), times));
        }
    }

    /// Cuts every answer into pages of at most `size` products, whatever
    /// `MaxResults` asks: how a test makes a reader follow `NextToken`.
    pub fn page_size(&self, size: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.page_size = Some(size.max(1));
        }
    }

    /// Forgets the requests and pending faults; keeps the products.
    pub fn reset(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.requests.clear();
            state.faults.clear();
        }
    }
}

/// `usd` × `factor`, written as the price list writes prices.
fn other_price(usd: &str, factor: f64) -> String {
    format!("{:.10}", usd.parse::<f64>().unwrap_or(1.0) * factor)
}

type Answer = Result<Response<Full<Bytes>>, hyper::http::Error>;

fn reply(status: u16, body: &Value) -> Answer {
    Response::builder()
        .status(status)
        .header(hyper::header::CONTENT_TYPE, CONTENT_TYPE)
        .body(Full::new(Bytes::from(body.to_string())))
}

fn error(status: u16, code: &str, message: &str) -> Answer {
    reply(status, &json!({"__type": code, "message": message}))
}

async fn answer(request: Request<Incoming>, state: Arc<Mutex<State>>) -> Answer {
    let region = signing_region(request.headers()).unwrap_or_default();
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => Bytes::new(),
    };
    if target != TARGET {
        return error(
            400,
            "UnknownOperationException",
            &format!("the stand-in answers {TARGET} only, not {target:?}"),
        );
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "SerializationException", "the body is not JSON");
    };
    let asked = match parse(&body, region) {
        Ok(asked) => asked,
        Err(message) => return error(400, "InvalidParameterException", &message),
    };
    let Ok(mut state) = state.lock() else {
        return error(500, "InternalErrorException", "a test thread panicked");
    };
    state.requests.push(asked.clone());
    if !state.faults.is_empty() {
        let (status, code) = state.faults.remove(0);
        return error(status, code, "injected by the price list stand-in");
    }
    if asked
        .format_version
        .as_deref()
        .is_some_and(|v| v != "aws_v1")
    {
        return error(
            400,
            "InvalidParameterException",
            "FormatVersion must be aws_v1",
        );
    }
    if let Some((kind, _, _)) = asked
        .filters
        .iter()
        .find(|(kind, _, _)| kind != "TERM_MATCH")
    {
        return error(
            400,
            "InvalidParameterException",
            &format!("the stand-in answers TERM_MATCH filters only, not {kind}"),
        );
    }
    let matching: Vec<String> = state
        .products
        .iter()
        .filter(|p| matches(p, &asked))
        .map(Value::to_string)
        .collect();
    let start = match asked.next_token.as_deref() {
        None => 0,
        Some(token) => match token.strip_prefix("standin-").and_then(|n| n.parse().ok()) {
            Some(start) => start,
            None => return error(400, "InvalidNextTokenException", "unknown NextToken"),
        },
    };
    let asked_size = asked
        .max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE);
    let size = state.page_size.map_or(asked_size, |p| p.min(asked_size));
    let page: Vec<&String> = matching.iter().skip(start).take(size).collect();
    let mut answer = serde_json::Map::new();
    answer.insert("FormatVersion".to_owned(), json!("aws_v1"));
    answer.insert("PriceList".to_owned(), json!(page));
    if start + size < matching.len() {
        answer.insert(
            "NextToken".to_owned(),
            json!(format!("standin-{}", start + size)),
        );
    }
    reply(StatusCode::OK.as_u16(), &Value::Object(answer))
}

/// The request's fields, or why it is invalid.
fn parse(body: &Value, region: String) -> Result<GetProductsRequest, String> {
    let text = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    let service_code = text(body, "ServiceCode").ok_or("ServiceCode is required")?;
    let filters = body
        .get("Filters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|f| Some((text(f, "Type")?, text(f, "Field")?, text(f, "Value")?)))
        .collect::<Option<Vec<_>>>()
        .ok_or("every filter needs Type, Field and Value")?;
    Ok(GetProductsRequest {
        region,
        service_code,
        filters,
        format_version: text(body, "FormatVersion"),
        next_token: text(body, "NextToken"),
        max_results: body.get("MaxResults").and_then(Value::as_u64),
    })
}

/// The region of the SigV4 scope, `Credential=AKID/20261124/us-east-1/pricing/aws4_request`.
fn signing_region(headers: &hyper::HeaderMap) -> Option<String> {
    let auth = headers.get(hyper::header::AUTHORIZATION)?.to_str().ok()?;
    let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
    scope.split('/').nth(2).map(str::to_owned)
}

/// Whether `product` is of the service asked and has every filter's
/// attribute with its value (case-insensitively).
fn matches(product: &Value, asked: &GetProductsRequest) -> bool {
    let service = product.get("serviceCode").and_then(Value::as_str);
    let attributes = product.pointer("/product/attributes");
    service == Some(asked.service_code.as_str())
        && asked.filters.iter().all(|(_, field, value)| {
            attributes
                .and_then(|a| a.get(field))
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_every_attribute_case_insensitively() {
        let product = json!({
            "serviceCode": "AmazonEC2",
            "product": {"attributes": {"instanceType": "t3.medium", "tenancy": "Shared"}}
        });
        let asked = |service: &str, filters: &[(&str, &str)]| GetProductsRequest {
            region: "us-east-1".to_owned(),
            service_code: service.to_owned(),
            filters: filters
                .iter()
                .map(|(f, v)| ("TERM_MATCH".to_owned(), (*f).to_owned(), (*v).to_owned()))
                .collect(),
            format_version: None,
            next_token: None,
            max_results: None,
        };
        assert!(matches(&product, &asked("AmazonEC2", &[])));
        assert!(matches(
            &product,
            &asked(
                "AmazonEC2",
                &[("instanceType", "T3.Medium"), ("tenancy", "shared")]
            )
        ));
        assert!(!matches(&product, &asked("AmazonRDS", &[])));
        assert!(!matches(
            &product,
            &asked("AmazonEC2", &[("tenancy", "Dedicated")])
        ));
        assert!(!matches(
            &product,
            &asked("AmazonEC2", &[("operatingSystem", "Linux")])
        ));
    }
}
