//! `next`: the coming week's starts, stops and warnings.

use super::Card;
use super::{action_text, at_text, listing, pick, source_text, Context, Lang, NextView};
use crate::schedule::timeline::UpcomingKind;
use crate::Action;

fn kind_text(kind: UpcomingKind, lang: Lang) -> String {
    match kind {
        UpcomingKind::Start => action_text(Action::Start, lang).to_owned(),
        UpcomingKind::Stop => action_text(Action::Stop, lang).to_owned(),
        UpcomingKind::StopWarning => pick(lang, "취침 예고(warning)", "stop warning").to_owned(),
        UpcomingKind::Handback { held, resumes } => {
            let then = match resumes {
                Some(action) if action != held => pick(lang, "전환", "changes over").to_owned(),
                Some(_) | None => super::staying_text(held, lang).to_owned(),
            };
            pick(
                lang,
                format!("정규 일과 복귀: {then}"),
                format!("hands back to the schedule: {then}"),
            )
        }
    }
}

pub(super) fn render(view: &NextView, ctx: &Context) -> Card {
    let lang = ctx.lang;
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
    listing(
        lines,
        pick(
            lang,
            format!(
                "보고드립니다! {}은(는) 7일 안에 일정이 없습니다!",
                view.schedule
            ),
            format!("{}: nothing planned in the next 7 days.", view.schedule),
        ),
        pick(
            lang,
            format!("충성! {} 향후 7일 일정 보고드립니다!", view.schedule),
            format!("{}: the next 7 days.", view.schedule),
        ),
        format!("{} ({})", pick(lang, "일정", "Upcoming"), view.timezone),
    )
}
