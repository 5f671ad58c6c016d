//! A month of a `weekdays 09:00-19:00` schedule on moto, tick by tick at
//! its events (SPEC §6 Savings): 3 EC2 of two types and 1 RDS, a person's
//! start at night, a holiday without a start. The ledger's hours, the
//! timeline's planned hours and the money are checked against a hand
//! computation; the prices come from the Price List stand-in (moto has no
//! Price List API).
//!
//! moto keeps no simulated clock: an instance started by hand gets no new
//! `LaunchTime`. The proxy rewrites it in the next `DescribeInstances` to
//! the instant of the test's hand start, as AWS would report it.

use super::stack::Stack;
use aws_sdk_ec2::types::InstanceType;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
use curfew_shared::savings::Month;
use curfew_testkit::{any_image, ec2_instance_of, local_aws, rds_instance, PriceListStandIn};
use curfew_worker::adapters::pricing::AwsPrices;
use std::sync::Arc;

const OFFICE: &str = r#"
[[schedule]]
name = "office"
tag = "{tag}"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"

[[schedule]]
name = "plain"
tag = "{tag}-plain"
timezone = "Asia/Seoul"
stop_warning_minutes = 0
[[schedule.period]]
days = "weekdays"
start = "09:00"
stop = "19:00"
"#;

/// Seoul wall-clock time in early 2027.
fn kst(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2027, month, day, hour, 0, 0)
        .unwrap()
        .to_utc()
}

const T3_MICRO: f64 = 0.0130;
const T3_MEDIUM: f64 = 0.0520;
const DB_T3_MICRO: f64 = 0.0250;

#[tokio::test]
async fn a_month_of_savings_equals_the_hand_computation() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, OFFICE).await;
    let region = stack.worker.services.fleets.home_region().to_owned();
    let prices = PriceListStandIn::start().await.unwrap();
    prices.add_ec2(&region, "t3.micro", "0.0130000000");
    prices.add_ec2(&region, "t3.medium", "0.0520000000");
    prices.add_rds(
        &region,
        "db.t3.micro",
        "PostgreSQL",
        "Single-AZ",
        "0.0250000000",
    );
    price_with(&mut stack, &prices);

    let ids = ec2_fleet(
        &stack,
        &[
            ("a", InstanceType::T3Micro),
            ("b", InstanceType::T3Micro),
            ("c", InstanceType::T3Medium),
        ],
    )
    .await;
    let db = format!("{}-db", stack.tag);
    assert!(rds_instance(&stack.sdk, &db, &stack.tag, None, false).await);

    // The holiday: no start on Wednesday 17 February.
    let holiday = NaiveDate::from_ymd_opt(2027, 2, 17).unwrap();
    let data = curfew_shared::schedule::Exception {
        date: holiday,
        action: curfew_shared::Action::Start,
        time: None,
    };
    stack
        .worker
        .services
        .timeline
        .set_exception("office", data, "kim", kst(1, 20, 12))
        .await
        .unwrap();

    // Friday 29 January 19:00: everything stops, in January's ledger.
    stack.tick(kst(1, 29, 19)).await;
    let mut day = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    while day.month() == 2 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            stack.tick(kst(2, day.day(), 9)).await;
            stack.proxy.reset();
            stack.tick(kst(2, day.day(), 19)).await;
            let ledger_writes: Vec<String> = stack
                .proxy
                .calls()
                .into_iter()
                .filter(|c| c.body.contains("LEDGER#"))
                .map(|c| c.operation)
                .collect();
            assert_eq!(
                ledger_writes,
                ["BatchWriteItem"],
                "{day} 19:00: one write for the schedules that acted"
            );
            let items = stack
                .proxy
                .calls()
                .iter()
                .map(|c| c.body.matches("LEDGER#").count())
                .sum::<usize>();
            // On the holiday office has nothing to stop: only plain acts.
            let acting = if day == holiday { 1 } else { 2 };
            assert_eq!(items, acting, "{day} 19:00: an item per acting schedule");
            if day.day() == 9 {
                // Tuesday 9 February, 22:00: a person starts `a`.
                hand_start(&stack, &ids[0], kst(2, 9, 22)).await;
            }
        }
        day = day.succ_opt().unwrap();
    }

    let now = kst(3, 1, 3);
    let feb = Month::parse("2027-02");
    let report = curfew_worker::commands::savings::report(
        &stack.worker.services,
        &stack.worker.config,
        None,
        feb,
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let of = |name: &str| {
        report
            .iter()
            .find(|r| r.savings.schedule == name)
            .map(|r| r.savings.figures.clone())
            .unwrap()
    };

    // By hand. February 2027 is 672 hours (Mon 1 to Sun 28). 20 weekdays
    // of 10 hours, the holiday's lost: office runs 190 hours, is off 482.
    // `a` ran from Tue 22:00 to Wed 19:00 instead of from Wed 09:00: 11
    // hours fewer stopped. The Friday 29 January stop counts from 1 February.
    let office_figures = of("office");
    let actual_hours = 482.0 * 3.0 + 471.0;
    let planned_hours = 482.0 * 4.0;
    let hourly = 2.0 * T3_MICRO + T3_MEDIUM + DB_T3_MICRO;
    let actual_usd = 471.0 * T3_MICRO + 482.0 * (T3_MICRO + T3_MEDIUM + DB_T3_MICRO);
    close(
        office_figures.hours_stopped.actual,
        actual_hours,
        1e-6,
        "actual hours",
    );
    close(
        office_figures.hours_stopped.planned,
        planned_hours,
        1e-6,
        "planned hours",
    );
    close(
        office_figures.usd_saved.actual.unwrap(),
        actual_usd,
        0.01,
        "actual USD",
    );
    close(
        office_figures.usd_saved.planned.unwrap(),
        482.0 * hourly,
        0.01,
        "planned USD",
    );
    close(
        office_figures.usd_always_on.unwrap(),
        672.0 * hourly,
        0.01,
        "always-on USD",
    );
    assert!(
        office_figures.unpriced.is_empty(),
        "{:?}",
        office_figures.unpriced
    );

    // The plain 10-hours-a-weekday schedule: the 70% of the 2017 blog.
    let plain_share = of("plain").shares().planned.unwrap();
    assert_eq!(format!("{:.1}%", plain_share * 100.0), "70.2%");

    // The same in chat: one block per schedule, and the total.
    let before = stack.notices().len();
    let reply = stack
        .worker
        .handle(&command("/서버 savings 2027-02", now), now)
        .await;
    assert_eq!(reply, curfew_worker::handler::Verdict::Done);
    let posted = stack.notices_after(before + 1).await;
    let text = posted.last().cloned().unwrap_or_default();
    for part in [
        "office: Hours stopped: actual 1917.0 h, planned 1928.0 h",
        "plain: ",
        "70.2%",
        "Total: ",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
}

/// The stack's worker asks `prices` for prices.
fn price_with(stack: &mut Stack, prices: &PriceListStandIn) {
    let pricing = aws_sdk_pricing::Client::from_conf(
        aws_sdk_pricing::config::Builder::from(&stack.sdk)
            .endpoint_url(prices.endpoint())
            .region(aws_sdk_pricing::config::Region::new("us-east-1"))
            .build(),
    );
    stack.worker.services.prices = Arc::new(AwsPrices::with_client(
        pricing,
        aws_sdk_dynamodb::Client::new(&stack.sdk),
        stack.tag.clone(),
    ));
}

/// EC2 instances of the office schedule, `<tag>-<name>` of each type, and
/// `plain-1` (a t3.micro) of the plain one, each launched in a second of
/// its own. Returns the office ones' ids.
async fn ec2_fleet(stack: &Stack, office: &[(&str, InstanceType)]) -> Vec<String> {
    let image = any_image(&stack.sdk).await;
    let mut ids = Vec::new();
    for (name, kind) in office {
        let name = format!("{}-{name}", stack.tag);
        let id = ec2_instance_of(&stack.sdk, &image, &stack.tag, &name, None, kind.clone());
        ids.push(id.await.unwrap());
        // moto dates a launch to the second: one second apart, each
        // instance's LaunchTime is its own, and `hand_start` rewrites one.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    let plain = format!("{}-plain", stack.tag);
    let id = ec2_instance_of(
        &stack.sdk,
        &image,
        &plain,
        "plain-1",
        None,
        InstanceType::T3Micro,
    );
    id.await.unwrap();
    ids
}

/// Starts `id` by hand at `at` (moto's clock is not the test's: the next
/// describe is made to say it launched then).
async fn hand_start(stack: &Stack, id: &str, at: DateTime<Utc>) {
    let ec2 = aws_sdk_ec2::Client::new(&stack.sdk);
    ec2.start_instances().instance_ids(id).send().await.unwrap();
    let described = ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap();
    let launched = described
        .reservations()
        .first()
        .and_then(|r| r.instances().first())
        .and_then(|i| i.launch_time())
        .map(|t| DateTime::from_timestamp(t.secs(), 0).unwrap())
        .unwrap();
    // moto writes it like 2026-12-07T12:00:00.000Z.
    let moto = launched.format("%Y-%m-%dT%H:%M:%S").to_string();
    let ours = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    stack.proxy.rewrite("DescribeInstances", &moto, &ours, 1);
}

fn close(got: f64, want: f64, within: f64, what: &str) {
    assert!((got - want).abs() <= within, "{what}: {got} != {want}");
}

/// `text` typed by kim in the room `dev-ops` at `at`, as a queued job.
fn command(text: &str, at: DateTime<Utc>) -> String {
    let payload = serde_json::json!({
        "token": "t", "text": text, "roomName": "dev-ops", "writerName": "kim",
        "createdAt": at.to_rfc3339(),
    });
    let webhook =
        curfew_shared::jandi::OutgoingWebhook::from_json(payload.to_string().as_bytes()).unwrap();
    let parsed = curfew_shared::command::parse(text).unwrap();
    curfew_shared::job::Job::Command(curfew_shared::job::CommandJob::new(&webhook, parsed, at))
        .encode()
}

/// `curfew savings --json` as an operator runs it, its price list found
/// through the SDK's own `AWS_ENDPOINT_URL_PRICING`.
#[tokio::test]
async fn curfew_savings_json_prints_a_line_per_schedule_then_the_total() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(
        &endpoint,
        &OFFICE.replace(
            "[[schedule]]\nname = \"plain\"",
            "[[schedule]]\nenabled = false\nname = \"plain\"",
        ),
    )
    .await;
    let region = stack.worker.services.fleets.home_region().to_owned();
    let prices = PriceListStandIn::start().await.unwrap();
    prices.add_ec2(&region, "t3.micro", "0.0130000000");
    ec2_fleet(
        &stack,
        &[("m", InstanceType::T3Micro), ("n", InstanceType::T3Nano)],
    )
    .await;
    // Friday 27 November 2026, 19:00 in Seoul: both stop, and stay stopped
    // to the end of the month: 77 hours each.
    let friday = chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 11, 27, 19, 0, 0)
        .unwrap()
        .to_utc();
    stack.tick(friday).await;

    // Off the test's runtime, which serves the stand-in meanwhile.
    let (table, pricing) = (stack.tag.clone(), prices.endpoint());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_curfew"))
            .args(["savings", "--month", "2026-11", "--json"])
            .env("CURFEW_TABLE", table)
            .env("AWS_ENDPOINT_URL_PRICING", pricing)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let office = lines.iter().find(|l| l["schedule"] == "office").unwrap();
    // November 2026: 21 weekdays, so 720 - 210 = 510 hours off, × 2.
    assert_eq!(office["month"], "2026-11", "{stdout}");
    assert!(office["usd_saved"]["actual"].is_number(), "{stdout}");
    assert_eq!(
        office["hours_stopped"],
        serde_json::json!({"actual": 154.0, "planned": 1020.0})
    );
    assert_eq!(
        office["usd_saved"],
        serde_json::json!({"actual": 1.0, "planned": 6.63})
    );
    assert_eq!(office["usd_always_on"], 9.36);
    let unpriced = office["unpriced"].as_array().unwrap();
    assert_eq!(unpriced.len(), 1, "{unpriced:?}");
    let reason = unpriced[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("t3.nano") && reason.contains("not in the AWS price list"),
        "{reason}"
    );
    let plain = lines.iter().find(|l| l["schedule"] == "plain").unwrap();
    assert_eq!(
        plain["hours_stopped"]["planned"], 0.0,
        "a disabled schedule plans nothing"
    );
    assert_eq!(plain["usd_always_on"], 9.36);
    let total = &lines.last().unwrap()["total"];
    assert_eq!(
        total["hours_stopped"],
        serde_json::json!({"actual": 154.0, "planned": 1020.0})
    );
    assert_eq!(
        total["usd_saved"],
        serde_json::json!({"actual": 1.0, "planned": 6.63})
    );
    assert_eq!(total["usd_always_on"], 18.72);
    assert!(
        prices
            .requests()
            .iter()
            .all(|r| r.service_code == "AmazonEC2"),
        "the price list was asked through AWS_ENDPOINT_URL_PRICING"
    );
    assert!(!prices.requests().is_empty());
}

/// `curfew savings --month 2026-11 --json` on `stack`'s table, its price
/// list at `pricing`: its JSON lines and its standard error.
async fn savings_json(stack: &Stack, pricing: String) -> (Vec<serde_json::Value>, String) {
    let table = stack.tag.clone();
    // Off the test's runtime, which serves the stand-in meanwhile.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_curfew"))
            .args(["savings", "--month", "2026-11", "--json"])
            .env("CURFEW_TABLE", table)
            .env("AWS_ENDPOINT_URL_PRICING", pricing)
            .env("RUST_LOG", "warn")
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (lines, stderr)
}

/// The reasons of every resource of `line` (a schedule's or the total's).
fn reasons(line: &serde_json::Value) -> Vec<String> {
    line["unpriced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap().to_owned())
        .collect()
}

/// A price list that fails (a 500 on every attempt, then no server at
/// all) gives each resource one short reason, in the reply's language;
/// the whole error is logged once a report, not once a resource.
#[tokio::test]
async fn a_price_list_outage_is_one_short_reason_a_resource_and_one_log_line() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, OFFICE).await;
    let prices = PriceListStandIn::start().await.unwrap();
    ec2_fleet(
        &stack,
        &[("m", InstanceType::T3Micro), ("n", InstanceType::T3Nano)],
    )
    .await;
    let friday = chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 11, 27, 19, 0, 0)
        .unwrap()
        .to_utc();
    stack.tick(friday).await;

    // More 500s than the SDK's attempts at every key.
    prices.fail_next(1000);
    let (lines, stderr) = savings_json(&stack, prices.endpoint()).await;
    let office = lines.iter().find(|l| l["schedule"] == "office").unwrap();
    assert_eq!(office["usd_saved"]["actual"], serde_json::Value::Null);
    let mut unpriced = office["unpriced"].as_array().unwrap().clone();
    unpriced.sort_by_key(|u| u["resource"].as_str().map(str::to_owned));
    assert_eq!(
        serde_json::Value::Array(unpriced),
        serde_json::json!([
            {"resource": format!("{}-m", stack.tag), "reason": "price list unavailable: HTTP 500"},
            {"resource": format!("{}-n", stack.tag), "reason": "price list unavailable: HTTP 500"},
        ])
    );
    let total = &lines.last().unwrap()["total"];
    assert!(
        reasons(total)
            .iter()
            .all(|r| r == "price list unavailable: HTTP 500"),
        "{total}"
    );
    assert!(
        prices.requests().len() > 2,
        "every key was asked, and retried"
    );
    let logged = stderr.matches("the price list could not be asked").count();
    assert_eq!(logged, 1, "the whole error once: {stderr}");
    assert!(stderr.contains("InternalErrorException"), "{stderr}");

    // No server at all: a refused connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (lines, _) = savings_json(&stack, format!("http://{closed}")).await;
    for line in &lines {
        let text = line.to_string();
        assert!(text.len() < 1000, "{} characters: {text}", text.len());
    }
    let office = lines.iter().find(|l| l["schedule"] == "office").unwrap();
    for reason in reasons(office) {
        assert_eq!(reason, "price list unavailable: connection failed");
        assert!(reason.chars().count() < 80, "{reason}");
    }

    // In a Korean chat reply, the Korean line.
    prices.reset();
    prices.fail_next(1000);
    price_with(&mut stack, &prices);
    stack.worker.config.lang = curfew_shared::reply::Lang::Ko;
    let now = chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 12, 1, 3, 0, 0)
        .unwrap()
        .to_utc();
    let before = stack.notices().len();
    let verdict = stack
        .worker
        .handle(&command("/서버 office savings 2026-11", now), now)
        .await;
    assert_eq!(verdict, curfew_worker::handler::Verdict::Done);
    let posted = stack.notices_after(before + 1).await;
    let text = posted.last().cloned().unwrap_or_default();
    let line = format!("가격 미확인 {}-m : 가격표 조회 실패: HTTP 500", stack.tag);
    assert!(text.contains(&line), "{line} in {text}");
    assert!(!text.contains("price list"), "{text}");
}
