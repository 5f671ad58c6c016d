//! `force_start` / `force_stop`: what was done, what waits, when the schedule resumes.

use super::{
    action_text, at_text, pick, source_text, staying_text, Context, ForceView, InstanceRef, Lang,
    Takeover,
};
use super::{Card, Tone};
use crate::schedule::Event;
use crate::Action;
use chrono_tz::Tz;

fn refs(instances: &[InstanceRef]) -> String {
    instances
        .iter()
        .map(|i| super::resource_text(&i.name, &i.id, None))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn render(view: &ForceView, ctx: &Context) -> Card {
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
    if let Takeover::Window { handback, .. } = &view.takeover {
        let at = at_text(handback.at, tz, lang);
        body.push_str(&pick(
            lang,
            format!(" {at}에 정규 일과로 복귀합니다!"),
            format!(" Hands back to the schedule at {at}."),
        ));
    }
    let resumes = takeover_text(&view.takeover, tz, lang);
    let color = if view.waiting.is_empty() {
        Tone::Ok
    } else {
        Tone::Warning
    };
    let mut message = Card::new(color, body);
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
    if !view.caught.is_empty() {
        let title = match view.action {
            Action::Start => pick(lang, "멈추는 대로 기상", "Started once at rest"),
            Action::Stop => pick(lang, "멈추는 대로 취침", "Stopped once at rest"),
        };
        message = message.block(title, refs(&view.caught));
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

/// "hands back to the schedule at 10:12: stays up until 19:00", or for a
/// force without a window, the schedule's next event.
fn takeover_text(takeover: &Takeover, tz: Tz, lang: Lang) -> String {
    let event_text = |event: &Event| {
        format!(
            "{} {} ({})",
            at_text(event.at, tz, lang),
            action_text(event.action, lang),
            source_text(event.source, lang)
        )
    };
    match takeover {
        Takeover::Window { handback, next } => {
            let at = at_text(handback.at, tz, lang);
            let then = match handback.resumes {
                Some(action) if handback.changes() => pick(
                    lang,
                    format!("그때 {}합니다", action_text(action, lang)),
                    format!("{} then", action_text(action, lang)),
                ),
                _ => {
                    let staying = staying_text(handback.held, lang);
                    match next {
                        Some(next) => pick(
                            lang,
                            format!("{}까지 {staying}", at_text(next.at, tz, lang)),
                            format!("{staying} until {}", at_text(next.at, tz, lang)),
                        ),
                        None => staying.to_owned(),
                    }
                }
            };
            let after = match (handback.changes(), next) {
                (true, Some(next)) => pick(
                    lang,
                    format!(", 다음 일정: {}", event_text(next)),
                    format!("; next: {}", event_text(next)),
                ),
                _ => String::new(),
            };
            pick(
                lang,
                format!("{at} 정규 일과 복귀: {then}{after}"),
                format!("Hands back to the schedule at {at}: {then}{after}."),
            )
        }
        Takeover::NextEvent(Some(event)) => pick(
            lang,
            format!(
                "{} 정규 일과 {}(으)로 복귀합니다 ({})",
                at_text(event.at, tz, lang),
                action_text(event.action, lang),
                source_text(event.source, lang)
            ),
            format!(
                "The schedule takes over at {} ({}, {}).",
                at_text(event.at, tz, lang),
                action_text(event.action, lang),
                source_text(event.source, lang)
            ),
        ),
        Takeover::NextEvent(None) => pick(
            lang,
            "일주일 안에 정규 일과가 없습니다".to_owned(),
            "No scheduled event within a week.".to_owned(),
        ),
    }
}
