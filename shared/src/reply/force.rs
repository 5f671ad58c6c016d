//! `force_start` / `force_stop`: what was done, what waits, when the schedule resumes.

use super::{action_text, at_text, pick, Context, ForceView, InstanceRef};
use crate::jandi::{Color, Message};
use crate::Action;

fn refs(instances: &[InstanceRef]) -> String {
    instances
        .iter()
        .map(|i| format!("{} ({})", i.name, i.id))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn render(view: &ForceView, ctx: &Context) -> Message {
    let lang = ctx.lang;
    let tz = view.timezone;
    let mut body = match view.action {
        Action::Start => pick(
            lang,
            format!(
                "충성! {} 긴급 기상 명령 수행하였습니다! {}대 기상시켰습니다!",
                view.schedule,
                view.acted.len()
            ),
            format!(
                "{}: force start, {} instance(s) started.",
                view.schedule,
                view.acted.len()
            ),
        ),
        Action::Stop => pick(
            lang,
            format!(
                "충성! {} 긴급 취침 명령 수행하였습니다! {}대 취침시켰습니다!",
                view.schedule,
                view.acted.len()
            ),
            format!(
                "{}: force stop, {} instance(s) stopped.",
                view.schedule,
                view.acted.len()
            ),
        ),
    };
    if let Some(until) = view.until {
        let until = at_text(until, tz, lang);
        body.push_str(&pick(
            lang,
            format!(" {until}까지 기상 상태를 유지합니다!"),
            format!(" Running until {until}."),
        ));
    }
    let resumes = match view.resumes {
        Some(event) => pick(
            lang,
            format!(
                "{} 정규 일과 {}(으)로 복귀합니다 ({})",
                at_text(event.at, tz, lang),
                action_text(event.action, lang),
                super::source_text(event.source, lang)
            ),
            format!(
                "The schedule takes over at {} ({}, {}).",
                at_text(event.at, tz, lang),
                action_text(event.action, lang),
                super::source_text(event.source, lang)
            ),
        ),
        None => pick(
            lang,
            "일주일 안에 정규 일과가 없습니다".to_owned(),
            "No scheduled event within a week.".to_owned(),
        ),
    };
    let color = if view.waiting.is_empty() {
        Color::Ok
    } else {
        Color::Warning
    };
    let mut message = Message::new(color, body);
    if !view.acted.is_empty() {
        let title = match view.action {
            Action::Start => pick(lang, "기상시킨 서버", "Started"),
            Action::Stop => pick(lang, "취침시킨 서버", "Stopped"),
        };
        message = message.block(title, refs(&view.acted));
    }
    if !view.unchanged.is_empty() {
        message = message.block(
            pick(lang, "이미 그 상태인 서버", "Already in that state"),
            refs(&view.unchanged),
        );
    }
    if !view.waiting.is_empty() {
        let lines = super::waiting_lines(view.action, &view.waiting, lang);
        message = message.block(
            pick(lang, "대기 중인 그룹", "Waiting groups"),
            lines.join("\n"),
        );
    }
    message.block(pick(lang, "정규 일과 복귀", "Schedule resumes"), resumes)
}
