//! Scheduler notifications: a start or stop that acted, the warning before
//! a stop, and anything that went wrong. Short bodies; lists in blocks.

use super::{
    action_text, at_text, pick, source_text, Context, GroupWait, Lang, Notice, NoticeView, Placed,
};
use super::{Card, Offer, Tone};
use crate::schedule::Event;
use crate::Action;
use chrono_tz::Tz;

fn placed_lines(instances: &[Placed]) -> String {
    instances
        .iter()
        .map(|i| super::resource_text(&i.name, &i.id, i.zone.as_deref()))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn render(view: &NoticeView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let tz = view.timezone;
    let name = &view.schedule;
    match &view.notice {
        Notice::Acted {
            action,
            event,
            enforced,
            acted,
            hibernated,
            waiting,
            caught,
        } => {
            let why = acted_why(event.as_ref(), *enforced, tz, lang);
            let message = acted_message(name, *action, &why, acted, waiting, lang);
            hibernated_and_caught(message, *action, hibernated, caught, lang)
        }
        Notice::NotAtRest {
            action,
            minutes,
            resources,
        } => not_at_rest(name, *action, *minutes, resources, lang),
        Notice::StopWarning { stop, running } => Card::new(
            Tone::Warning,
            pick(
                lang,
                format!(
                    "충성! {name} {} {} 예정입니다! 작업 중인 분은 저장해 주십시오!",
                    at_text(stop.at, tz, lang),
                    action_text(Action::Stop, lang)
                ),
                format!(
                    "{name} stops at {} ({}). Save your work.",
                    at_text(stop.at, tz, lang),
                    source_text(stop.source, lang)
                ),
            ),
        )
        .block(
            pick(lang, "실행 중인 서버", "Running"),
            placed_lines(running),
        )
        .offer(keep_for_an_hour(name, stop, tz, lang))
        .offer(keep_until(name, stop, tz, lang))
        .offer(stop_now(name, stop, tz, lang)),
        Notice::Failed { what } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!("{name} 명령 수행에 실패했습니다!"),
                format!("{name}: a start or stop failed."),
            ),
        )
        .block(pick(lang, "실패", "Failures"), what.join("\n")),
        Notice::TimedOut { action, groups } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!(
                    "{name} 그룹 {}이(가) 제한 시간 안에 끝나지 않았습니다!",
                    action_text(*action, lang)
                ),
                format!(
                    "{name}: the grouped {} timed out.",
                    action_text(*action, lang)
                ),
            ),
        )
        .block(pick(lang, "남은 그룹", "Groups left"), groups.join(", ")),
        Notice::Restopped { instances } => Card::new(
            Tone::Warning,
            pick(
                lang,
                format!("충성! AWS가 7일 동안 취침 중이던 {name} DB를 스스로 기상시켜, 다시 취침시켰습니다! (정규 일과는 아직 취침입니다)"),
                format!("{name}: AWS started these after seven days stopped; stopped again, as the schedule still says."),
            ),
        )
        .block(
            pick(lang, "다시 취침시킨 DB", "Stopped again"),
            placed_lines(instances),
        ),
        Notice::Misfiled { resources } => Card::new(
            Tone::Warning,
            pick(
                lang,
                format!("{name}: 그룹 종류와 다른 자원이 있어 손대지 않았습니다! 태그를 확인해 주십시오!"),
                format!("{name}: resources in a group of another kind were left alone; check their tags."),
            ),
        )
        .block(
            pick(lang, "종류가 다른 자원", "Wrong kind"),
            misfiled_lines(resources, lang),
        ),
        Notice::Unreachable { place, error } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!("{name}: 작전 지역 {place}에 연락이 닿지 않습니다! 그곳의 서버는 연락이 닿을 때까지 그대로 둡니다! (다른 지역은 정상 작전 중)"),
                format!("{name}: cannot reach {place}; its resources are left as they are until it answers (the other targets go on)."),
            ),
        )
        .block(pick(lang, "원인", "Why"), error.clone()),
        Notice::Reachable { place } => Card::new(
            Tone::Ok,
            pick(
                lang,
                format!("{name}: 작전 지역 {place}와(과) 다시 연락이 닿았습니다! 정규 일과를 재개합니다!"),
                format!("{name}: {place} answers again; its schedule is kept again."),
            ),
        ),
        Notice::NotUp { instances } => Card::new(
            Tone::Error,
            pick(
                lang,
                format!("{name} 기상 명령을 받고도 일어나지 않은 서버가 있습니다!"),
                format!("{name}: started instances did not come up."),
            ),
        )
        .block(
            pick(lang, "기상 실패", "Not running"),
            placed_lines(instances),
        ),
    }
}

/// A start or stop's notice with the blocks of what hibernated and what
/// was caught mid-way (acted on once at rest), where there are some.
fn hibernated_and_caught(
    mut message: Card,
    action: Action,
    hibernated: &[Placed],
    caught: &[super::Caught],
    lang: Lang,
) -> Card {
    if !hibernated.is_empty() {
        message = message.block(
            pick(lang, "최대 절전(hibernate)", "Hibernated"),
            placed_lines(hibernated),
        );
    }
    if !caught.is_empty() {
        let title = match action {
            Action::Start => pick(lang, "멈추는 대로 기상", "Started once at rest"),
            Action::Stop => pick(lang, "멈추는 대로 취침", "Stopped once at rest"),
        };
        message = message.block(title, caught_lines(caught, lang));
    }
    message
}

/// Caught resources that never came to rest within `minutes`: left as
/// they are, and said once.
fn not_at_rest(
    name: &str,
    action: Action,
    minutes: u32,
    resources: &[super::Caught],
    lang: Lang,
) -> Card {
    Card::new(
        Tone::Error,
        pick(
            lang,
            format!(
                "{name}: {minutes}분 동안 다른 상태로 움직이던 서버가 멈추지 않아 {}하지 못했습니다! 직접 확인해 주십시오!",
                action_text(action, lang)
            ),
            format!(
                "{name}: these were on their way elsewhere and did not come to rest within {minutes} minutes, so the {} left them as they are; check them.",
                action_text(action, lang)
            ),
        ),
    )
    .block(
        pick(lang, "처리하지 못한 서버", "Left as they are"),
        caught_lines(resources, lang),
    )
}

/// `name (id) : starting`, one a line.
fn caught_lines(resources: &[super::Caught], lang: Lang) -> String {
    resources
        .iter()
        .map(|c| {
            format!(
                "{} : {}",
                super::resource_text(&c.placed.name, &c.placed.id, None),
                super::status::state_text(c.kind, &c.state, lang)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `name (id): ecs in group db (rds)`, one a line.
fn misfiled_lines(resources: &[super::Misfiled], lang: Lang) -> String {
    resources
        .iter()
        .map(|m| {
            pick(
                lang,
                format!(
                    "{}: {} 자원이 그룹 {} ({})에 있습니다",
                    super::resource_text(&m.placed.name, &m.placed.id, None),
                    m.kind.as_str(),
                    m.group,
                    m.group_kind.as_str()
                ),
                format!(
                    "{}: {} in group {} ({})",
                    super::resource_text(&m.placed.name, &m.placed.id, None),
                    m.kind.as_str(),
                    m.group,
                    m.group_kind.as_str()
                ),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a start or stop happened: the event applied (when, from what), the
/// steady state, `enforce`, or the rest of an event in progress (groups
/// that waited, resources caught mid-way).
fn acted_why(event: Option<&Event>, enforced: bool, tz: Tz, lang: Lang) -> String {
    match (event, enforced) {
        (Some(event), _) if event.is_steady() => {
            pick(lang, "정규 일과(상시 상태)", "the schedule's steady state").to_owned()
        }
        (Some(event), _) => format!(
            "{} {}",
            at_text(event.at, tz, lang),
            source_text(event.source, lang)
        ),
        (None, true) => pick(lang, "상태 유지(enforce)", "enforce").to_owned(),
        (None, false) => pick(
            lang,
            "진행 중이던 명령 계속",
            "the event in progress, continued",
        )
        .to_owned(),
    }
}

/// The notice of a start or stop: how many, why, which, and the groups
/// still waiting (a warning colour while any wait).
fn acted_message(
    name: &str,
    action: Action,
    why: &str,
    acted: &[Placed],
    waiting: &[GroupWait],
    lang: Lang,
) -> Card {
    let body = match action {
        Action::Start => pick(
            lang,
            format!("충성! {name} {}대 기상시켰습니다! ({why})", acted.len()),
            format!("{name}: started {} instance(s) ({why}).", acted.len()),
        ),
        Action::Stop => pick(
            lang,
            format!("충성! {name} {}대 취침시켰습니다! ({why})", acted.len()),
            format!("{name}: stopped {} instance(s) ({why}).", acted.len()),
        ),
    };
    let color = if waiting.is_empty() {
        Tone::Ok
    } else {
        Tone::Warning
    };
    let mut message = Card::new(color, body);
    if !acted.is_empty() {
        let title = match action {
            Action::Start => pick(lang, "기상시킨 서버", "Started"),
            Action::Stop => pick(lang, "취침시킨 서버", "Stopped"),
        };
        message = message.block(title, placed_lines(acted));
    }
    if !waiting.is_empty() {
        message = message.block(
            pick(lang, "대기 중인 그룹", "Waiting groups"),
            super::waiting_lines(action, waiting, lang).join("\n"),
        );
    }
    message
}

/// The stop warning's offers (Slack's buttons, SPEC §4.2), each good until
/// the stop it warns of.
fn warning_offer(label: String, command: String, stop: &Event, tz: Tz) -> Offer {
    Offer {
        label,
        command,
        until: stop.at,
        stop: stop.at.with_timezone(&tz).format("%H:%M").to_string(),
    }
}

fn keep_for_an_hour(name: &str, stop: &Event, tz: Tz, lang: Lang) -> Offer {
    let label = pick(lang, "1시간 더 켜두기", "Keep running 1h").to_owned();
    warning_offer(label, format!("{name} force_start for 1h"), stop, tz)
}

/// Until two hours past the stop, in the schedule's time zone.
fn keep_until(name: &str, stop: &Event, tz: Tz, lang: Lang) -> Offer {
    let later = (stop.at + chrono::Duration::hours(2)).with_timezone(&tz);
    let time = later.format("%H:%M");
    let label = pick(
        lang,
        format!("{time}까지 켜두기"),
        format!("Keep running until {time}"),
    );
    let command = format!(
        "{name} force_start until {}",
        later.format("%Y-%m-%d %H:%M")
    );
    warning_offer(label, command, stop, tz)
}

fn stop_now(name: &str, stop: &Event, tz: Tz, lang: Lang) -> Offer {
    let label = pick(lang, "지금 끄기", "Stop now").to_owned();
    warning_offer(label, format!("{name} force_stop"), stop, tz)
}
