//! Every command of SPEC §3, in Korean and in English, through the whole
//! pipeline: each gets exactly one reply, and the reply carries what the
//! command is about.

use super::stack::Stack;
use curfew_ingress::handler::Outcome;
use curfew_testkit::{ec2_states, local_aws, rds_status};

/// Each command with what its reply must mention (`{tag}` is the fleet's tag).
const COMMANDS: &[(&str, &[&str])] = &[
    ("/서버 list", &["dev", "staging", "db → app"]),
    (
        "/서버 dev status",
        &["{tag}-web-1", "{tag}-web-2", "{tag}-db"],
    ),
    ("/서버 dev s", &["{tag}-web-1"]),
    ("/서버 dev info", &["Asia/Seoul"]),
    ("/서버 dev i 2026-12-04", &["2026-12-04", "09:00", "19:00"]),
    (
        "/서버 dev exception set 2026-12-24 stop 15:00",
        &["2026-12-24", "15:00"],
    ),
    ("/서버 dev e i 2026-12-24", &["2026-12-24", "15:00"]),
    ("/서버 dev info 2026-12-24", &["15:00", "09:00"]),
    ("/서버 dev e d 2026-12-24 stop", &["2026-12-24", "15:00"]),
    ("/서버 dev exception info 2026-12-24", &["2026-12-24"]),
    ("/서버 dev force_start for 2h", &["{tag}-db", "app"]),
    ("/서버 dev force_stop", &["dev"]),
    ("/서버 dev next", &["dev"]),
    (
        "/서버 dev history",
        &[
            "force_start for 2h",
            "force_stop",
            "exception set 2026-12-24 stop 15:00",
            "김개발",
        ],
    ),
];

async fn every_command(lang: &str) {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, lang).await;
    for (command, expected) in COMMANDS {
        let reply = stack.say(command).await;
        for piece in *expected {
            let piece = piece.replace("{tag}", &stack.tag);
            assert!(
                reply.contains(&piece),
                "{command} ({lang}): no {piece:?} in\n{reply}"
            );
        }
        let korean = reply.contains("충성") || reply.contains("보고");
        assert_eq!(korean, lang == "ko", "{command} in {lang}:\n{reply}");
    }
    // help and syntax errors are answered by the ingress itself.
    for text in [
        "/서버 help",
        "/서버",
        "/서버 dev exception set 2026-02-30 stop 15:00",
    ] {
        let answer = stack.post(text).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.outcome, Outcome::AnsweredHere, "{text}");
    }
    stack.drain().await;
    assert_eq!(
        stack.sink.messages().len(),
        COMMANDS.len(),
        "no reply beyond one per queued command"
    );
    // force_stop undid force_start: everything is down again.
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["stopped", "stopped"]
    );
    assert_eq!(rds_status(&stack.sdk, &stack.fleet.db).await, "stopped");
}

#[tokio::test]
async fn every_command_in_korean() {
    every_command("ko").await;
}

#[tokio::test]
async fn every_command_in_english() {
    every_command("en").await;
}

#[tokio::test]
async fn an_unknown_schedule_names_the_known_ones_and_suggests_one() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let reply = stack.say("/서버 dve status").await;
    for piece in ["dve", "dev", "staging"] {
        assert!(reply.contains(piece), "no {piece:?} in\n{reply}");
    }
    let reply = stack.say("/서버 DEV status").await;
    assert!(
        reply.contains(&format!("{}-web-1", stack.tag)),
        "names match ignoring case:\n{reply}"
    );
}

#[tokio::test]
async fn exception_set_then_info_shows_the_new_time() {
    let Some(endpoint) = local_aws() else { return };
    let stack = Stack::start(&endpoint, "en").await;
    let before = stack.say("/서버 dev info 2026-12-04").await;
    assert!(!before.contains("17:30"), "{before}");
    stack
        .say("/서버 dev exception set 2026-12-04 stop 17:30")
        .await;
    let after = stack.say("/서버 dev info 2026-12-04").await;
    let stop_line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("Stop"))
            .map(str::to_owned)
    };
    assert_eq!(
        stop_line(&before).as_deref(),
        Some("Stop : 19:00"),
        "{before}"
    );
    assert_eq!(
        stop_line(&after).as_deref(),
        Some("Stop : 17:30 ★ exception"),
        "{after}"
    );
}

#[tokio::test]
async fn mutating_commands_are_limited_to_admins_when_set() {
    let Some(endpoint) = local_aws() else { return };
    let mut stack = Stack::start(&endpoint, "en").await;
    stack.worker.config.admins = vec!["ops@example.com".to_owned()];
    let refused = stack.say("/서버 dev force_start").await;
    assert!(refused.contains("dev@example.com"), "{refused}");
    assert_eq!(
        ec2_states(&stack.sdk, &stack.fleet.app).await,
        ["stopped", "stopped"]
    );
    // Reading is for everyone.
    let status = stack.say("/서버 dev status").await;
    assert!(status.contains(&format!("{}-db", stack.tag)), "{status}");
    let history = stack.say("/서버 dev history").await;
    assert!(
        !history.contains("force_start"),
        "a refused command is not a change:\n{history}"
    );
}
