//! `list`: one line per schedule.

use super::{lines_or, pick, Context, ScheduleLine};
use crate::jandi::{Color, Message};

pub(super) fn render(lines: &[ScheduleLine], ctx: &Context) -> Message {
    let lang = ctx.lang;
    if lines.is_empty() {
        return Message::new(
            Color::Ok,
            pick(
                lang,
                "보고드립니다! 등록된 스케줄이 하나도 없습니다!",
                "There are no schedules.",
            ),
        );
    }
    let rows: Vec<String> = lines
        .iter()
        .map(|line| {
            let enabled = match (line.enabled, lang) {
                (true, super::Lang::Ko) => "근무 중(enabled)",
                (false, super::Lang::Ko) => "휴가 중(disabled)",
                (true, super::Lang::En) => "enabled",
                (false, super::Lang::En) => "disabled",
            };
            let periods = lines_or(line.periods.clone(), pick(lang, "기간 없음", "no periods"))
                .replace('\n', ", ");
            let mut row = format!("{} — {enabled}, {}, {periods}", line.name, line.timezone);
            if !line.groups.is_empty() {
                row.push_str(&format!(
                    ", {} {}",
                    pick(lang, "그룹", "groups"),
                    line.groups.join(" → ")
                ));
            }
            row
        })
        .collect();
    Message::new(
        Color::Ok,
        pick(
            lang,
            format!("충성! 스케줄 {}개를 보고드립니다!", lines.len()),
            format!("{} schedule(s):", lines.len()),
        ),
    )
    .block(pick(lang, "스케줄", "Schedules"), lines_or(rows, ""))
}
