//! `next`: the coming week's starts, stops and warnings.

use super::{at_text, lines_or, pick, source_text, Context, Lang, NextView};
use crate::jandi::{Color, Message};
use crate::schedule::timeline::UpcomingKind;

fn kind_text(kind: UpcomingKind, lang: Lang) -> &'static str {
    match kind {
        UpcomingKind::Start => pick(lang, "기상(start)", "start"),
        UpcomingKind::Stop => pick(lang, "취침(stop)", "stop"),
        UpcomingKind::StopWarning => pick(lang, "취침 예고(warning)", "stop warning"),
    }
}

pub(super) fn render(view: &NextView, ctx: &Context) -> Message {
    let lang = ctx.lang;
    if view.events.is_empty() {
        return Message::new(
            Color::Ok,
            pick(
                lang,
                format!(
                    "보고드립니다! {}은(는) 7일 안에 일정이 없습니다!",
                    view.schedule
                ),
                format!("{}: nothing planned in the next 7 days.", view.schedule),
            ),
        );
    }
    let lines: Vec<String> = view
        .events
        .iter()
        .map(|u| {
            format!(
                "{} {} ({})",
                at_text(u.at, view.timezone, lang),
                kind_text(u.kind, lang),
                source_text(u.source, lang)
            )
        })
        .collect();
    Message::new(
        Color::Ok,
        pick(
            lang,
            format!("충성! {} 향후 7일 일정 보고드립니다!", view.schedule),
            format!("{}: the next 7 days.", view.schedule),
        ),
    )
    .block(
        format!("{} ({})", pick(lang, "일정", "Upcoming"), view.timezone),
        lines_or(lines, ""),
    )
}
