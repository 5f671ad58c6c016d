//! Exceptions and overrides against a real local DynamoDB (moto): set is an
//! upsert, del reports what it removed, and what is stored is what the
//! timeline then shows.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use curfew_shared::schedule::{parse_schedules, Exception, Override, Timeline};
use curfew_shared::value::{ForDuration, ForceEnd};
use curfew_shared::Action::{Start, Stop};
use curfew_worker::adapters::dynamodb::TimelineStore;
use curfew_worker::cli::setup;

async fn store(name: &str) -> Option<TimelineStore> {
    let sdk = curfew_testkit::sdk_at(&curfew_testkit::local_aws()?).await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let table = format!("{name}-{}", std::process::id());
    setup::create_table(&client, &table).await.unwrap();
    Some(TimelineStore::new(client, table))
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn hm(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[tokio::test]
async fn exception_set_is_an_upsert_and_the_timeline_shows_it() {
    let Some(store) = store("timeline-exc").await else {
        return;
    };
    let now = at("2026-12-20T00:00:00Z");
    let eve = Exception {
        date: date("2026-12-24"),
        action: Stop,
        time: Some(hm("16:00")),
    };
    assert_eq!(
        store.set_exception("dev", eve, "kim", now).await.unwrap(),
        None
    );
    let changed = Exception {
        time: Some(hm("15:00")),
        ..eve
    };
    assert_eq!(
        store
            .set_exception("dev", changed, "kim", now)
            .await
            .unwrap(),
        Some(Some(hm("16:00")))
    );
    let other_schedule = Exception {
        date: date("2026-12-24"),
        action: Start,
        time: None,
    };
    store
        .set_exception("dev2", other_schedule, "kim", now)
        .await
        .unwrap();

    let data = store.load("dev").await.unwrap();
    assert_eq!(
        data.exceptions,
        [changed],
        "one exception per (date, action), none from dev2"
    );

    let schedule = parse_schedules(
        "[[schedule]]\nname = \"dev\"\n[[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"",
        chrono_tz::Asia::Seoul,
    )
    .unwrap()
    .remove(0);
    let timeline = Timeline::new(&schedule, &data.exceptions, &data.overrides);
    let day = timeline.events(
        at("2026-12-24T00:00:00+09:00"),
        at("2026-12-25T00:00:00+09:00"),
    );
    assert_eq!(day[1].at, at("2026-12-24T15:00:00+09:00"));

    assert_eq!(
        store
            .delete_exception("dev", date("2026-12-24"), Stop)
            .await
            .unwrap(),
        Some(Some(hm("15:00")))
    );
    assert_eq!(
        store
            .delete_exception("dev", date("2026-12-24"), Stop)
            .await
            .unwrap(),
        None,
        "nothing to delete"
    );
    assert!(store.load("dev").await.unwrap().exceptions.is_empty());
}

#[tokio::test]
async fn exception_none_and_overrides_round_trip() {
    let Some(store) = store("timeline-ovr").await else {
        return;
    };
    let now = at("2026-12-03T13:00:00Z");
    let none = Exception {
        date: date("2026-12-24"),
        action: Stop,
        time: None,
    };
    store.set_exception("dev", none, "kim", now).await.unwrap();
    let two_hours = Some(ForceEnd::For(ForDuration::from_minutes(120).unwrap()));
    let seoul = chrono_tz::Asia::Seoul;
    let start = Override::forced(Start, now, two_hours, seoul).unwrap();
    let one_hour = Some(ForceEnd::For(ForDuration::from_minutes(60).unwrap()));
    let stop = Override::forced(Stop, now + Duration::minutes(30), one_hour, seoul).unwrap();
    store.add_override("dev", &start, "kim").await.unwrap();
    store.add_override("dev", &stop, "lee").await.unwrap();

    let data = store.load("dev").await.unwrap();
    assert_eq!(data.exceptions, [none]);
    assert_eq!(data.overrides, [start, stop]);
}

#[tokio::test]
async fn each_pair_keeps_its_own_state_with_its_own_version() {
    use curfew_shared::reconcile::SchedulerState;
    let Some(store) = store("timeline-pairs").await else {
        return;
    };
    let stage = "stage|us-east-1";
    let home = SchedulerState {
        warned: Some(at("2026-12-09T09:50:00Z")),
        ..SchedulerState::default()
    };
    let away = SchedulerState {
        unreachable: Some(at("2026-12-09T00:00:00Z")),
        ..SchedulerState::default()
    };
    assert!(store.save_state("dev", "", 0, &home).await.unwrap());
    assert!(store.save_state("dev", stage, 0, &away).await.unwrap());
    assert!(
        !store.save_state("dev", stage, 0, &home).await.unwrap(),
        "the pair's first write happened: a second first write loses"
    );

    let data = store.load("dev").await.unwrap();
    assert_eq!((data.state.version, &data.state.state), (1, &home));
    let paired = &data.pair_states[stage];
    assert_eq!((paired.version, &paired.state), (1, &away));
    assert_eq!(data.clone().for_pair(stage).state.state, away);
    assert_eq!(store.load_all().await.unwrap()["dev"], data);
    assert!(store.save_state("dev", stage, 1, &home).await.unwrap());
    assert_eq!(
        store
            .load("dev")
            .await
            .unwrap()
            .for_pair(stage)
            .state
            .version,
        2
    );
}
