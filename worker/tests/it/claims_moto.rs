//! Idempotency claims against a real local DynamoDB (moto): one winner, a
//! crashed worker's lease taken over, a done key never redone.

use chrono::{DateTime, Duration, Utc};
use curfew_shared::ports::Claim;
use curfew_worker::adapters::dynamodb::ClaimStore;
use curfew_worker::cli::setup;

async fn claims(name: &str) -> Option<ClaimStore> {
    let sdk = curfew_testkit::sdk_at(&curfew_testkit::local_aws()?).await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let table = format!("{name}-{}", std::process::id());
    setup::create_table(&client, &table).await.unwrap();
    Some(ClaimStore::new(client, table))
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T09:00:00Z")
        .unwrap()
        .to_utc()
}

const LEASE: Duration = Duration::minutes(2);
const TTL: Duration = Duration::days(7);

#[tokio::test]
async fn a_key_is_claimed_once_until_its_lease_ends_and_never_after_done() {
    let Some(store) = claims("claims-life").await else {
        return;
    };
    assert_eq!(
        store.claim("k1", t0(), LEASE, TTL).await.unwrap(),
        Claim::Acquired
    );
    let held = store
        .claim("k1", t0() + Duration::seconds(30), LEASE, TTL)
        .await
        .unwrap();
    assert_eq!(
        held,
        Claim::HeldElsewhere {
            lease_until: t0() + LEASE
        }
    );
    // The first worker crashed: after its lease, another takes over.
    let later = t0() + LEASE + Duration::seconds(1);
    assert_eq!(
        store.claim("k1", later, LEASE, TTL).await.unwrap(),
        Claim::Acquired
    );
    store.done("k1", later, TTL).await.unwrap();
    let much_later = later + Duration::hours(1);
    assert_eq!(
        store.claim("k1", much_later, LEASE, TTL).await.unwrap(),
        Claim::AlreadyDone
    );
    assert_eq!(
        store.claim("k2", much_later, LEASE, TTL).await.unwrap(),
        Claim::Acquired
    );
}

#[tokio::test]
async fn of_many_concurrent_claims_exactly_one_wins() {
    let Some(store) = claims("claims-race").await else {
        return;
    };
    let attempts = (0..12).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.claim("race", t0(), LEASE, TTL).await.unwrap() })
    });
    let mut won = 0;
    for attempt in attempts {
        if attempt.await.unwrap() == Claim::Acquired {
            won += 1;
        }
    }
    assert_eq!(won, 1);
}
