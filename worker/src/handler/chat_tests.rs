//! Every chat command of SPEC §3, typed into the room and run through the
//! handler on the fakes (no AWS, no HTTP): what the room is told, and what
//! was written and started. The same commands on moto, end to end:
//! `tests/it/pipeline/`.

use super::Verdict;
use crate::fakes::{at, command_job, World};
use chrono::{DateTime, Duration, Utc};
use curfew_shared::ports::Class;
use curfew_shared::resource::{
    GroupKind::{Ec2, Ecs, Rds, RdsCluster},
    InstanceState::{Running, Stopped},
};
use curfew_shared::Action;
use curfew_testkit::instance;

const DEV: &str = "[[schedule]]\nname = \"dev\"\ntimezone = \"Asia/Seoul\"\n\
    [[schedule.period]]\ndays = \"weekdays\"\nstart = \"09:00\"\nstop = \"19:00\"\n";

/// Wednesday 2026-12-09 08:12 in Seoul, before the working day.
const EIGHT_TWELVE: &str = "2026-12-08T23:12:00Z";

/// `dev` with a web server and a database, both stopped.
fn world() -> World {
    World::new(
        DEV,
        vec![
            instance(Ec2, "i-web", "dev", None, Stopped),
            instance(Rds, "db-1", "dev", None, Stopped),
        ],
    )
}

/// Types `text` at `now`: the verdict and the reply the room got.
async fn type_in(world: &World, text: &str, now: DateTime<Utc>) -> (Verdict, String) {
    let before = world.posts().len();
    let verdict = world.app().handle(&command_job(text, now), now).await;
    let reply = world.posts().get(before).cloned().unwrap_or_default();
    (verdict, reply)
}

/// Types `text` at `now` and expects it done; the reply.
async fn reply(world: &World, text: &str, now: DateTime<Utc>) -> String {
    let (verdict, reply) = type_in(world, text, now).await;
    assert_eq!(verdict, Verdict::Done, "{text}: {reply}");
    assert!(!reply.is_empty(), "{text}: no reply");
    reply
}

#[tokio::test]
async fn help_and_list_need_no_schedule() {
    let world = world();
    let help = reply(&world, "/서버 help", at(EIGHT_TWELVE)).await;
    assert!(help.contains("force_start"), "{help}");
    let list = reply(&world, "/서버 list", at(EIGHT_TWELVE)).await;
    assert!(
        list.contains("dev") && list.contains("09:00-19:00"),
        "{list}"
    );
    assert!(world.fleet.calls().is_empty());
}

#[tokio::test]
async fn status_describes_the_schedules_resources_and_changes_nothing() {
    let world = world();
    world.fleet.set_state("i-web", Running);
    let status = reply(&world, "/서버 dev status", at(EIGHT_TWELVE)).await;
    assert!(
        status.contains("i-web") && status.contains("db-1"),
        "{status}"
    );
    assert_eq!(world.fleet.calls(), ["describe dev"]);
    assert_eq!(world.timelines.saves(), 0);
}

#[tokio::test]
async fn force_start_for_2h_at_08_12_starts_now_and_hands_back_at_10_12() {
    let world = world();
    let now = at(EIGHT_TWELVE);
    let text = reply(&world, "/서버 dev force_start for 2h", now).await;
    assert!(text.contains("10:12") && text.contains("19:00"), "{text}");
    assert_eq!(world.fleet.state("i-web"), Some(Running));
    assert_eq!(world.fleet.state("db-1"), Some(Running));
    let stored = world.timelines.of("dev");
    assert_eq!(stored.overrides.len(), 1);
    assert_eq!(stored.overrides[0].action, Action::Start);
    assert_eq!(stored.overrides[0].until, Some(now + Duration::hours(2)));
    let audit = world.audit.of("dev");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].writer, "kim");
    // At 10:12 the window hands back to a schedule that is on: no stop.
    let handback = now + Duration::hours(2);
    crate::scheduler::tick::run(&world.app(), handback, handback)
        .await
        .unwrap();
    assert_eq!(world.fleet.state("i-web"), Some(Running));
}

#[tokio::test]
async fn force_stop_for_1h_at_noon_stops_and_the_schedule_starts_them_at_13_00() {
    let world = world();
    world.fleet.set_state("i-web", Running);
    world.fleet.set_state("db-1", Running);
    let noon = at("2026-12-09T03:00:00Z");
    let text = reply(&world, "/서버 dev force_stop for 1h", noon).await;
    assert!(text.contains("13:00"), "{text}");
    assert_eq!(world.fleet.state("i-web"), Some(Stopped));
    let one = noon + Duration::hours(1);
    crate::scheduler::tick::run(&world.app(), one, one)
        .await
        .unwrap();
    assert_eq!(world.fleet.state("i-web"), Some(Running));
}

#[tokio::test]
async fn exception_set_info_and_del_round_trip() {
    let world = world();
    let now = at(EIGHT_TWELVE);
    let set = reply(&world, "/서버 dev exception set 2026-12-24 stop 15:00", now).await;
    assert!(set.contains("2026-12-24") && set.contains("15:00"), "{set}");
    let stored = world.timelines.of("dev").exceptions;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].time.map(|t| t.to_string()),
        Some("15:00:00".to_owned())
    );

    let info = reply(&world, "/서버 dev exception info 2026-12-24", now).await;
    assert!(info.contains("15:00"), "{info}");
    let day = reply(&world, "/서버 dev info 2026-12-24", now).await;
    assert!(day.contains("15:00"), "{day}");

    let del = reply(&world, "/서버 dev exception del 2026-12-24 stop", now).await;
    assert!(del.contains("2026-12-24"), "{del}");
    assert!(world.timelines.of("dev").exceptions.is_empty());
    // The same message again is the same job: done once.
    let (again, _) = type_in(&world, "/서버 dev exception del 2026-12-24 stop", now).await;
    assert_eq!(again, Verdict::Duplicate);
    // Typed again a minute later, deleting what is not there is answered.
    let later = now + Duration::minutes(1);
    reply(&world, "/서버 dev exception del 2026-12-24 stop", later).await;
    assert_eq!(
        world.audit.of("dev").len(),
        2,
        "every change is audited; deleting nothing changed nothing"
    );
    assert!(
        world.fleet.calls().is_empty(),
        "no exception acts by itself"
    );
}

#[tokio::test]
async fn next_and_history_read_what_is_stored() {
    let world = world();
    let now = at(EIGHT_TWELVE);
    let next = reply(&world, "/서버 dev next", now).await;
    assert!(next.contains("09:00") && next.contains("19:00"), "{next}");
    reply(&world, "/서버 dev force_start", now).await;
    let history = reply(&world, "/서버 dev history", now + Duration::minutes(1)).await;
    assert!(
        history.contains("kim") && history.contains("force_start"),
        "{history}"
    );
}

#[tokio::test]
async fn a_throttled_start_is_retried_and_the_retry_writes_nothing_twice() {
    let world = world();
    let now = at(EIGHT_TWELVE);
    world.fleet.fail_next(Class::Transient);
    let (verdict, reply_text) = type_in(&world, "/서버 dev force_start", now).await;
    assert!(matches!(verdict, Verdict::Retry(_)), "{verdict:?}");
    assert!(
        reply_text.is_empty(),
        "no reply before it worked: {reply_text}"
    );
    let later = now + Duration::seconds(30);
    let text = reply_after_retry(&world, "/서버 dev force_start", now, later).await;
    assert!(text.contains("i-web"), "{text}");
    assert_eq!(world.timelines.of("dev").overrides.len(), 1);
    assert_eq!(world.audit.of("dev").len(), 1);
    assert_eq!(world.fleet.state("i-web"), Some(Running));
}

/// The same job typed at `typed`, delivered again at `now`.
async fn reply_after_retry(
    world: &World,
    text: &str,
    typed: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let before = world.posts().len();
    let verdict = world.app().handle(&command_job(text, typed), now).await;
    assert_eq!(verdict, Verdict::Done);
    world.posts().get(before).cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_refused_write_is_told_to_the_room_at_once_and_nothing_is_half_written() {
    let world = world();
    world.timelines.fail_next(Class::Permanent);
    let (verdict, text) = type_in(
        &world,
        "/서버 dev exception set 2026-12-24 stop 15:00",
        at(EIGHT_TWELVE),
    )
    .await;
    assert_eq!(verdict, Verdict::Done, "no retry can help");
    assert!(text.contains("AccessDenied"), "{text}");
    assert!(world.timelines.of("dev").exceptions.is_empty());
    assert!(world.audit.of("dev").is_empty());
}

#[tokio::test]
async fn status_lists_a_cluster_in_its_own_block_and_force_stop_stops_it_whole() {
    let world = World::new(
        DEV,
        vec![
            instance(Ec2, "i-web", "dev", None, Running),
            instance(RdsCluster, "aurora-dev", "dev", None, Running),
        ],
    );
    let status = reply(&world, "/서버 dev status", at(EIGHT_TWELVE)).await;
    assert!(
        status.contains("RDS clusters") && status.contains("aurora-dev"),
        "{status}"
    );
    reply(&world, "/서버 dev force_stop", at(EIGHT_TWELVE)).await;
    assert_eq!(world.fleet.state("aurora-dev"), Some(Stopped));
    assert!(world
        .fleet
        .calls()
        .contains(&"stop rds-cluster aurora-dev".to_owned()));
}

#[tokio::test]
async fn status_marks_a_resource_in_a_group_of_another_kind() {
    let world = World::new(
        &format!("{DEV}[[schedule.group]]\nname = \"db\"\nkind = \"rds\"\n"),
        vec![instance(Ecs, "dev/api", "dev", Some("db"), Running)],
    );
    let status = reply(&world, "/서버 dev status", at(EIGHT_TWELVE)).await;
    assert!(
        status.contains("dev/api") && status.contains("— ecs, not this group's kind: left alone"),
        "{status}"
    );
}

/// A Slack slash command typed in `channel` (`channel_id`, `channel_name`).
fn slack_job(text: &str, channel: (&str, &str), now: DateTime<Utc>) -> String {
    let form = format!(
        "user_id=U42&user_name=alice&channel_id={}&channel_name={}&command=%2Fcurfew&text={}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2Fx",
        channel.0,
        channel.1,
        text.replace(' ', "+")
    );
    let request = curfew_shared::slack::SlashCommand::from_form(form.as_bytes()).unwrap();
    let command = curfew_shared::command::parse(&request.line()).unwrap();
    curfew_shared::job::Job::Command(curfew_shared::job::CommandJob::from_slack(
        &request, command, now,
    ))
    .encode()
}

#[tokio::test]
async fn rooms_take_changes_only_from_their_rooms_and_reads_from_anywhere() {
    let file = DEV.replace("timezone", "rooms = [\"#Ops\", \"C0123ABC\"]\ntimezone");
    let world = World::new(&file, vec![instance(Ec2, "i-web", "dev", None, Stopped)]);
    let now = at(EIGHT_TWELVE);
    // JANDI's room `dev-ops` is not one of them: refused, naming the rule.
    let refused = reply(&world, "/서버 dev force_start", now).await;
    assert!(
        refused.contains("rooms") && refused.contains("dev-ops"),
        "{refused}"
    );
    assert!(
        refused.contains("#Ops") && refused.contains("C0123ABC"),
        "{refused}"
    );
    assert!(world.fleet.calls().is_empty(), "nothing started");
    // A read is answered from anywhere.
    let status = reply(&world, "/서버 dev status", now).await;
    assert!(!status.contains("rooms"), "{status}");
    // A Slack channel named `ops` (any case, no `#`) may.
    let app = world.app();
    let ops = slack_job("dev force_start for 1h", ("C999", "OPS"), now);
    assert_eq!(app.handle(&ops, now).await, Verdict::Done);
    assert!(
        world
            .fleet
            .calls()
            .iter()
            .any(|c| c.starts_with("start ec2")),
        "{:?}",
        world.fleet.calls()
    );
    // And one listed by its id, whatever its name.
    let by_id = slack_job(
        "dev force_stop",
        ("C0123ABC", "random"),
        now + Duration::minutes(1),
    );
    assert_eq!(
        app.handle(&by_id, now + Duration::minutes(1)).await,
        Verdict::Done
    );
    let notifier = world.notifier.slack_posted();
    assert_eq!(notifier.len(), 2, "{notifier:?}");
    assert!(!serde_json::to_string(&notifier)
        .unwrap()
        .contains("not in its rooms"));
    // `history` says where each change was typed.
    let history = reply(&world, "/서버 dev history", now + Duration::minutes(2)).await;
    assert!(
        history.contains("alice @OPS (slack) : /curfew dev force_start for 1h"),
        "{history}"
    );
}

/// A click on the 19:00 warning's button that offers `command`, by `user`.
fn click_job(user: &str, command: &str, clicked_at: DateTime<Utc>) -> String {
    use curfew_shared::slack::BlockActions;
    let value = serde_json::json!({
        "label": "Keep running 1h", "command": command, "until": "2026-12-09T10:00:00Z", "stop": "19:00"
    });
    let payload = serde_json::json!({
        "type": "block_actions",
        "user": {"id": user, "username": user.to_lowercase()},
        "channel": {"id": "C1", "name": "dev-ops"},
        "container": {"message_ts": "1796648400.000100"},
        "response_url": "https://hooks.slack.com/actions/T1/1/secret",
        "actions": [{"action_id": "offer-0", "value": value.to_string()}]
    })
    .to_string();
    let form: String = payload
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let click = BlockActions::from_form(format!("payload={form}").as_bytes()).unwrap();
    let (action, offer) = click.offer().unwrap();
    let command = curfew_shared::command::parse(&offer.command).unwrap();
    curfew_shared::job::Job::Command(curfew_shared::job::CommandJob::from_slack_click(
        &click, action, offer, command, clicked_at,
    ))
    .encode()
}

/// Wednesday 2026-12-09 18:52 and 19:03 in Seoul.
const EIGHTEEN_FIFTY_TWO: &str = "2026-12-09T09:52:00Z";
const NINETEEN_OH_THREE: &str = "2026-12-09T10:03:00Z";

#[tokio::test]
async fn a_click_on_keep_running_keeps_the_servers_up_and_replaces_the_warning() {
    let world = World::new(DEV, vec![instance(Ec2, "i-web", "dev", None, Running)]);
    let app = world.app();
    let at = at(EIGHTEEN_FIFTY_TWO);
    let job = click_job("ALICE", "dev force_start for 1h", at);
    assert_eq!(app.handle(&job, at).await, Verdict::Done);
    // A double click acts once.
    assert_eq!(
        app.handle(&job, at + Duration::seconds(1)).await,
        Verdict::Duplicate
    );
    let posted = world.notifier.slack_posted();
    assert_eq!(posted.len(), 1, "{posted:?}");
    let (url, answer) = &posted[0];
    assert_eq!(url, "https://hooks.slack.com/actions/T1/1/secret");
    assert!(
        answer.replace_original,
        "the answer takes the warning's place"
    );
    assert!(
        answer
            .text
            .starts_with("@alice pressed “Keep running 1h”: dev: force start"),
        "who pressed what, then what was done: {answer:?}"
    );
    // 19:00 passes without a stop: the override holds until 19:52.
    let seven = at + Duration::minutes(8);
    let tick = crate::fakes::tick_job(seven);
    assert_eq!(app.handle(&tick, seven).await, Verdict::Done);
    assert!(
        !world.fleet.calls().iter().any(|c| c.starts_with("stop")),
        "{:?}",
        world.fleet.calls()
    );
    let history = reply(&world, "/서버 dev history", at + Duration::minutes(1)).await;
    assert!(
        history.contains("alice @dev-ops (slack) : dev force_start for 1h"),
        "{history}"
    );
}

#[tokio::test]
async fn a_click_after_the_stop_changes_nothing_and_says_so() {
    let world = World::new(DEV, vec![instance(Ec2, "i-web", "dev", None, Stopped)]);
    let at = at(NINETEEN_OH_THREE);
    let job = click_job("BOB", "dev force_start for 1h", at);
    assert_eq!(world.app().handle(&job, at).await, Verdict::Done);
    assert!(world.fleet.calls().is_empty(), "nothing started");
    let posted = world.notifier.slack_posted();
    let (_, answer) = &posted[0];
    assert!(!answer.replace_original, "the warning stays");
    let text = serde_json::to_string(answer).unwrap();
    assert!(
        text.contains("The stop at 19:00 has already come"),
        "{text}"
    );
}

/// `holidays [YEAR]` (SPEC §3): the year's days off with the exception
/// that makes one a working day; a schedule without `holidays` says how
/// to keep them; a day off starts nothing on a tick.
#[tokio::test]
async fn holidays_lists_the_days_off_and_a_day_off_starts_nothing() {
    let kr = DEV.replace(
        "timezone = \"Asia/Seoul\"\n",
        "timezone = \"Asia/Seoul\"\nholidays = [\"KR\"]\n",
    );
    let world = World::new(&kr, vec![instance(Ec2, "i-web", "dev", None, Stopped)]);
    // Monday 2027-02-08, 설날 다음날, 08:30 in Seoul.
    let morning = at("2027-02-07T23:30:00Z");
    let set = reply(
        &world,
        "/서버 dev exception set 2027-02-09 start 10:00",
        morning,
    )
    .await;
    assert!(set.contains("2027-02-09"), "{set}");
    let days = reply(&world, "/서버 dev holidays 2027", morning).await;
    assert!(days.contains("24 day(s) off in 2027"), "{days}");
    assert!(
        days.contains("2027-02-07 (Sun) Korean New Year [KR] (past)"),
        "{days}"
    );
    assert!(
        days.contains("Alternative holiday for Korean New Year [KR]\\n  exception: start 10:00 → a working day"),
        "{days}"
    );
    let this_year = reply(&world, "/서버 dev holidays", morning).await;
    assert_eq!(this_year, days, "this year is 2027 in Seoul");

    // 09:00 that Monday: nothing starts.
    let nine = at("2027-02-08T00:00:00Z");
    assert_eq!(
        world
            .app()
            .handle(&crate::fakes::tick_job(nine), nine)
            .await,
        Verdict::Done
    );
    assert!(
        !world.fleet.calls().iter().any(|c| c.starts_with("start")),
        "{:?}",
        world.fleet.calls()
    );

    let plain = World::new(DEV, Vec::new());
    let none = reply(&plain, "/서버 dev holidays", morning).await;
    assert!(none.contains("dev keeps no days off"), "{none}");
}
