//! Micro-benchmarks of the pure hot paths (issue 7): what the ingress does
//! for every message, what a tick does for every schedule, and the largest
//! reply. `cargo bench -p curfew-shared --bench hot_paths`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use curfew_shared::command::parse;
use curfew_shared::jandi::OutgoingWebhook;
use curfew_shared::reconcile::{is_due, Outlook, SchedulerState};
use curfew_shared::reply::{
    render, BlockTitle, Context, InstanceBlock, InstanceLine, Lang, Reply, StatusView,
};
use curfew_shared::resource::{GroupKind, InstanceState};
use curfew_shared::schedule::{parse_schedules, Timeline};
use std::hint::black_box;

const PAYLOAD: &str = include_str!("../../examples/jandi/outgoing-writer-object.json");

fn payload_and_command(c: &mut Criterion) {
    c.bench_function("decode a JANDI payload and parse its command", |b| {
        b.iter(|| {
            let payload = OutgoingWebhook::from_json(black_box(PAYLOAD.as_bytes())).unwrap();
            parse(&payload.text).unwrap()
        });
    });
}

/// 1,000 schedules of the example's kinds, each with two periods and
/// groups, and `extra` lines (e.g. `holidays = ["KR"]`) at their top.
fn thousand_schedules(extra: &str) -> Vec<curfew_shared::schedule::Schedule> {
    let file: String = (0..1000)
        .map(|n| {
            format!(
                "[[schedule]]\nname = \"s{n}\"\n{extra}[[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n\
                 [[schedule.period]]\ndays = \"sat\"\nstart = \"10:00\"\nstop = \"14:00\"\n\
                 [[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n[[schedule.group]]\nname = \"app\"\nkind = \"ec2\"\nafter = [\"db\"]\n"
            )
        })
        .collect();
    parse_schedules(&file, chrono_tz::Asia::Seoul).unwrap()
}

fn tick_evaluation(c: &mut Criterion) {
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 3, 30, 0).unwrap();
    let state = SchedulerState::default();
    // The same tick, then with every schedule keeping two countries'
    // public holidays (issue 29): the lookup's cost per tick.
    for (name, extra) in [
        ("evaluate 1,000 timelines for one tick", ""),
        (
            "evaluate 1,000 timelines keeping KR and US holidays",
            "holidays = [\"KR\", \"US\"]\n",
        ),
    ] {
        let schedules = thousand_schedules(extra);
        c.bench_function(name, |b| {
            b.iter(|| {
                schedules
                    .iter()
                    .filter(|s| {
                        let outlook = Outlook::of(&Timeline::new(s, &[], &[]), black_box(at));
                        is_due(s, &outlook, &state, at)
                    })
                    .count()
            });
        });
    }
}

fn status_reply(c: &mut Criterion) {
    let line = |n: usize| InstanceLine {
        name: format!("app-{n}"),
        id: format!("i-{n:017x}"),
        state: if n.is_multiple_of(3) {
            InstanceState::Stopped
        } else {
            InstanceState::Running
        },
        kind: curfew_shared::resource::GroupKind::Ec2,
    };
    let reply = Reply::Status(StatusView {
        schedule: "dev".to_owned(),
        unreachable: Vec::new(),
        blocks: vec![
            InstanceBlock {
                title: BlockTitle::Group {
                    name: "db".to_owned(),
                    kind: GroupKind::Rds,
                },
                instances: (0..50).map(line).collect(),
            },
            InstanceBlock {
                title: BlockTitle::Group {
                    name: "app".to_owned(),
                    kind: GroupKind::Ec2,
                },
                instances: (50..500).map(line).collect(),
            },
        ],
    });
    let ctx = Context::new(Lang::Ko, "서버");
    c.bench_function("render a status reply for 500 instances", |b| {
        b.iter(|| serde_json::to_string(&render(black_box(&reply), &ctx)).unwrap());
    });
}

/// A 09:00 tick over 1,000 schedules notifying one room: 1,000 notices
/// (10 instances each) folded into the 50 digest messages it posts.
fn notice_digests(c: &mut Criterion) {
    use curfew_shared::jandi::Message;
    use curfew_shared::reply::{digest, Card, Tone};
    let notices: Vec<Card> = (0..1000)
        .map(|n| {
            let lines: Vec<String> = (0..10)
                .map(|i| format!("web-{n}-{i} (i-0{n:05}{i:02}abcdef, ap-northeast-2a)"))
                .collect();
            Card::new(
                Tone::Ok,
                format!("s{n:04}: started 10 instance(s) (09:00 schedule)."),
            )
            .block("Started", lines.join("\n"))
        })
        .collect();
    c.bench_function("fold 1,000 notices into digests (to JSON)", |b| {
        b.iter(|| {
            digest(black_box(notices.clone()), Lang::En)
                .iter()
                .map(|card| serde_json::to_vec(&Message::from(card)).unwrap().len())
                .sum::<usize>()
        });
    });
}

criterion_group!(
    hot_paths,
    payload_and_command,
    tick_evaluation,
    status_reply,
    notice_digests
);
criterion_main!(hot_paths);
