//! The ledger's batched writes against a real local DynamoDB (moto): a
//! reconcile's items go 25 a `BatchWriteItem` (moto refuses a 26th, as
//! DynamoDB does), each reads back under its own schedule, a redone job
//! rewrites its items instead of adding to them, and a batch that fails
//! leaves the others written and names its schedules. Unprocessed items
//! (which moto never returns) are retried in the adapter's unit tests.

use chrono::{DateTime, Utc};
use curfew_shared::ports::LedgerItem;
use curfew_shared::resource::{Billing, GroupKind};
use curfew_shared::savings::{LedgerEntry, Origin};
use curfew_shared::Action;
use curfew_testkit::{local_aws, sdk_at, CountingProxy};
use curfew_worker::adapters::dynamodb::LedgerStore;
use curfew_worker::cli::setup;

const PAIR: &str = "000000000000/ap-northeast-2";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn item(schedule: &str, when: DateTime<Utc>) -> LedgerItem {
    LedgerItem {
        schedule: schedule.to_owned(),
        entries: vec![LedgerEntry {
            id: format!("i-{schedule}"),
            name: schedule.to_owned(),
            kind: GroupKind::Ec2,
            action: Action::Stop,
            origin: Origin::Curfew,
            at: when,
            billing: Billing::default(),
            region: "ap-northeast-2".to_owned(),
            target: String::new(),
        }],
    }
}

/// A table of its own behind a counting proxy, and its ledger; `None`
/// without a local AWS.
async fn ledger(name: &str) -> Option<(CountingProxy, LedgerStore)> {
    let endpoint = local_aws()?;
    let proxy = CountingProxy::start(endpoint.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    let client = aws_sdk_dynamodb::Client::new(&sdk_at(&proxy.endpoint()).await);
    let table = format!("{name}-{}", std::process::id());
    setup::create_table(&client, &table).await.unwrap();
    Some((proxy, LedgerStore::new(client, table)))
}

#[tokio::test]
async fn sixty_schedules_take_three_batch_writes_and_read_back_each() {
    let Some((proxy, ledger)) = ledger("ledger-batch").await else {
        return;
    };

    let stop = at("2026-12-07T10:00:00Z");
    let items: Vec<LedgerItem> = (0..60).map(|n| item(&format!("s{n:02}"), stop)).collect();
    proxy.reset();
    ledger.record(PAIR, stop, &items).await.unwrap();
    let mut sizes: Vec<usize> = proxy
        .calls()
        .iter()
        .filter(|c| c.operation == "BatchWriteItem")
        .map(|c| c.body.matches("LEDGER#").count())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [10, 25, 25], "25 items a call (sent side by side)");
    assert_eq!(proxy.calls().len(), 3, "nothing but the three writes");

    // The same reconcile redone: the same keys, nothing added.
    ledger.record(PAIR, stop, &items).await.unwrap();
    let (from, to) = (at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
    for n in [0, 24, 25, 59] {
        let schedule = format!("s{n:02}");
        let entries = ledger.read(&schedule, from, to).await.unwrap();
        assert_eq!(entries, item(&schedule, stop).entries, "{schedule}");
    }
}

#[tokio::test]
async fn a_batch_that_fails_leaves_the_others_written_and_names_its_schedules() {
    let Some((proxy, ledger)) = ledger("ledger-fail").await else {
        return;
    };

    let stop = at("2026-12-07T10:00:00Z");
    let items: Vec<LedgerItem> = (0..50).map(|n| item(&format!("s{n:02}"), stop)).collect();
    // One call refused for good (a validation error is not retried).
    proxy.fail_json("BatchWriteItem", 400, "ValidationException", 1);
    let unrecorded = ledger.record(PAIR, stop, &items).await.unwrap_err();
    assert_eq!(unrecorded.schedules.len(), 25, "{unrecorded}");
    assert!(
        unrecorded.to_string().contains("ValidationException"),
        "{unrecorded}"
    );
    let (from, to) = (at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
    for n in 0..50 {
        let schedule = format!("s{n:02}");
        let written = !ledger.read(&schedule, from, to).await.unwrap().is_empty();
        assert_eq!(
            written,
            !unrecorded.schedules.contains(&schedule),
            "{schedule}: written unless named"
        );
    }
}
