//! The ledger a tick writes and `savings` on the fakes (no AWS): hours,
//! money, what was not priced, an outage of the price list, bad months.
//! The same over a whole month on moto: `tests/it/scheduler/savings.rs`.

use crate::fakes::{at, command_job, World};
use crate::handler::Verdict;
use chrono::{DateTime, Utc};
use curfew_shared::ports::Class;
use curfew_shared::reply::Lang;
use curfew_shared::resource::{
    Billing,
    GroupKind::{Ec2, Ecs, Rds},
    Instance,
    InstanceState::Running,
};
use curfew_shared::savings::{NoPrice, Origin, Outage, PriceKey, PriceService, Quote};
use curfew_shared::Action;
use curfew_testkit::{instance, HOME_REGION};

const DEV: &str = "[[schedule]]\nname = \"dev\"\ntimezone = \"Asia/Seoul\"\n\
    stop_warning_minutes = 0\n\
    [[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n";

fn ec2(id: &str, class: &str) -> Instance {
    Instance {
        billing: Billing {
            class: Some(class.to_owned()),
            ..Billing::default()
        },
        ..instance(Ec2, id, "dev", None, Running)
    }
}

fn world() -> World {
    world_with(Vec::new())
}

/// [`world`] with `more` instances beside its three.
fn world_with(more: Vec<Instance>) -> World {
    let db = Instance {
        billing: Billing {
            class: Some("db.t3.micro".to_owned()),
            engine: Some("oracle-ee".to_owned()),
            multi_az: false,
            members: Vec::new(),
        },
        ..instance(Rds, "db-1", "dev", None, Running)
    };
    let mut fleet = vec![ec2("i-1", "t3.micro"), ec2("i-2", "t9.tiny"), db];
    fleet.extend(more);
    let world = World::new(DEV, fleet);
    world.prices.set(key("t3.micro"), Quote::Hourly(0.0130));
    world
}

fn key(class: &str) -> PriceKey {
    PriceKey {
        service: PriceService::Ec2,
        region: HOME_REGION.to_owned(),
        class: class.to_owned(),
        engine: None,
        deployment: None,
    }
}

async fn tick(world: &World, instant: &str) {
    let now = at(instant);
    let verdict = world.app().handle(&crate::fakes::tick_job(now), now).await;
    assert_eq!(verdict, Verdict::Done, "tick {instant}");
}

async fn type_in(world: &World, text: &str, now: DateTime<Utc>) -> String {
    type_in_lang(world, Lang::En, text, now).await
}

/// [`type_in`] to a worker that replies in `lang`.
async fn type_in_lang(world: &World, lang: Lang, text: &str, now: DateTime<Utc>) -> String {
    let before = world.posts().len();
    let mut app = world.app();
    app.config.lang = lang;
    let verdict = app.handle(&command_job(text, now), now).await;
    assert_eq!(verdict, Verdict::Done, "{text}");
    world.posts().get(before).cloned().unwrap_or_default()
}

/// Mon 2026-12-07 19:00 and Tue 09:00 in Seoul.
const MON_STOP: &str = "2026-12-07T10:00:00Z";
const TUE_START: &str = "2026-12-08T00:00:00Z";

#[tokio::test]
async fn a_stop_and_a_start_write_one_ledger_item_each_with_the_region() {
    let world = world();
    tick(&world, MON_STOP).await;
    assert_eq!(
        world.ledger.writes(),
        1,
        "one write for the acting schedule"
    );
    world.fleet.refuse("i-2");
    tick(&world, TUE_START).await;
    assert_eq!(world.ledger.writes(), 2);
    let entries = world.ledger.of("dev");
    let lines: Vec<(&str, Action, Origin)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.action, e.origin))
        .collect();
    assert!(
        lines.contains(&("i-1", Action::Stop, Origin::Curfew)),
        "{lines:?}"
    );
    assert!(
        lines.contains(&("i-1", Action::Start, Origin::Curfew)),
        "{lines:?}"
    );
    assert!(
        !lines.contains(&("i-2", Action::Start, Origin::Curfew)),
        "a refused start is not in the ledger: {lines:?}"
    );
    assert!(entries.iter().all(|e| e.region == HOME_REGION));
    assert_eq!(entries[0].billing.class.as_deref(), Some("t3.micro"));
}

#[tokio::test]
async fn a_start_by_hand_is_recorded_when_a_describe_sees_it() {
    let world = world();
    tick(&world, MON_STOP).await;
    world.fleet.set_state("i-1", Running);
    tick(&world, TUE_START).await;
    let seen: Vec<_> = world
        .ledger
        .of("dev")
        .into_iter()
        .filter(|e| e.origin == Origin::Seen)
        .map(|e| (e.id, e.action))
        .collect();
    assert_eq!(seen, [("i-1".to_owned(), Action::Start)]);
}

#[tokio::test]
async fn savings_in_chat_prices_what_it_can_and_names_what_it_cannot() {
    let world = world();
    tick(&world, MON_STOP).await;
    tick(&world, TUE_START).await;
    // Tuesday 10:00: i-1 was stopped 14 hours at $0.013.
    let reply = type_in(&world, "/서버 dev savings", at("2026-12-08T01:00:00Z")).await;
    for part in [
        "dev, 2026-12: $0.18 saved",
        "Hours stopped: actual 42.0 h",
        "Not priced i-2 : t9.tiny in ap-northeast-2 is not in the AWS price list",
        "Not priced db-1 : engine \\\"oracle-ee\\\"",
        "Planned running hours",
    ] {
        assert!(reply.contains(part), "{part} in {reply}");
    }
    assert_eq!(world.prices.asked(), [key("t3.micro"), key("t9.tiny")]);
}

#[tokio::test]
async fn a_price_list_outage_keeps_the_hours_and_says_the_money_is_unavailable() {
    let world = world();
    tick(&world, MON_STOP).await;
    world.prices.fail_all(Outage::Status(500));
    let reply = type_in(&world, "/서버 savings", at("2026-12-08T01:00:00Z")).await;
    assert!(reply.contains("the money is unavailable"), "{reply}");
    assert!(
        reply.contains("Not priced i-1 : price list unavailable: HTTP 500\\n"),
        "one short line: {reply}"
    );
    assert!(reply.contains("Hours stopped: actual 45.0 h"), "{reply}");
    assert!(!reply.contains("$0.00"), "never zero: {reply}");
}

/// The reasons of a Korean reply are Korean: a kind not priced, an
/// engine, a type not listed, then an outage of the price list.
#[tokio::test]
async fn a_korean_savings_reply_gives_no_english_reason() {
    let world = world_with(vec![instance(Ecs, "web/api", "dev", None, Running)]);
    tick(&world, MON_STOP).await;
    let now = at("2026-12-08T01:00:00Z");
    let listed = type_in_lang(&world, Lang::Ko, "/서버 dev savings", now).await;
    world.prices.fail_all(Outage::Status(500));
    let later = now + chrono::Duration::minutes(1);
    let outage = type_in_lang(&world, Lang::Ko, "/서버 dev savings", later).await;
    for part in [
        "가격 미확인 i-2 : t9.tiny (ap-northeast-2): AWS 가격표에 없습니다",
        "가격 미확인 web/api : ECS 서비스는",
        "가격 미확인 db-1 : 엔진 \\\"oracle-ee\\\": 라이선스·에디션",
    ] {
        assert!(listed.contains(part), "{part} in {listed}");
    }
    assert!(
        outage.contains("가격 미확인 i-1 : 가격표 조회 실패: HTTP 500"),
        "{outage}"
    );
    let english = [
        NoPrice::EcsTasksNotRead.to_string(),
        NoPrice::Unavailable(Outage::Status(500)).to_string(),
        "is not in the AWS price list".to_owned(),
        "its licence and edition".to_owned(),
        "price list".to_owned(),
        "not priced".to_owned(),
        "not read".to_owned(),
    ];
    for reply in [&listed, &outage] {
        for words in &english {
            assert!(
                !reply.to_lowercase().contains(words),
                "{words:?} in {reply}"
            );
        }
    }
}

#[tokio::test]
async fn bad_and_future_months_and_unknown_schedules_are_told() {
    let world = world();
    let now = at("2026-12-08T01:00:00Z");
    let future = type_in(&world, "/서버 dev savings 2027-01", now).await;
    assert!(future.contains("that month has not begun"), "{future}");
    let unknown = type_in(&world, "/서버 stg savings", now).await;
    assert!(
        unknown.contains("dev"),
        "the known ones are listed: {unknown}"
    );
    world.ledger.fail_next(Class::Transient);
    let verdict = world
        .app()
        .handle(&command_job("/서버 dev savings", now), now)
        .await;
    assert!(matches!(verdict, Verdict::Retry(_)), "{verdict:?}");
}

#[tokio::test]
async fn an_aurora_cluster_is_priced_by_its_members_and_a_group_by_its_instances() {
    use curfew_shared::resource::GroupKind::{Asg, RdsCluster};
    let aurora = Instance {
        billing: Billing {
            engine: Some("aurora-postgresql".to_owned()),
            members: vec!["db.r6g.large".to_owned(), "db.r6g.large".to_owned()],
            ..Billing::default()
        },
        ..instance(RdsCluster, "aurora-1", "dev", None, Running)
    };
    let workers = Instance {
        billing: Billing {
            members: vec!["t3.micro".to_owned(), "t3.micro".to_owned()],
            ..Billing::default()
        },
        ..instance(Asg, "workers", "dev", None, Running)
    };
    let world = World::new(DEV, vec![aurora, workers]);
    world.prices.set(key("t3.micro"), Quote::Hourly(0.0130));
    world.prices.set(
        PriceKey {
            service: PriceService::Rds,
            region: HOME_REGION.to_owned(),
            class: "db.r6g.large".to_owned(),
            engine: Some("Aurora PostgreSQL".to_owned()),
            deployment: Some("Single-AZ".to_owned()),
        },
        Quote::Hourly(0.29),
    );
    tick(&world, MON_STOP).await;
    // Tuesday 10:00, no start yet: 15 hours each. 15 × (2 × 0.29 + 2 × 0.013).
    let reply = type_in(&world, "/서버 dev savings", at("2026-12-08T01:00:00Z")).await;
    assert!(reply.contains("dev, 2026-12: $9.09 saved"), "{reply}");
    assert!(!reply.contains("Not priced"), "{reply}");
}

#[tokio::test]
async fn a_ledger_that_cannot_be_written_is_logged_and_the_tick_still_acts() {
    let world = world();
    world.ledger.fail_next(Class::Transient);
    tick(&world, MON_STOP).await;
    assert_eq!(world.ledger.writes(), 0);
    let calls = world.fleet.calls();
    assert!(calls.iter().any(|c| c.starts_with("stop ec2")), "{calls:?}");
    // The next acting tick writes its own item again.
    tick(&world, TUE_START).await;
    assert_eq!(world.ledger.writes(), 1);
}
