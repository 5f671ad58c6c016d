//! `history`: the latest changes, newest first.

use super::Card;
use super::{at_text, listing, pick, Context, HistoryView};

pub(super) fn render(view: &HistoryView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let mut entries: Vec<_> = view.entries.iter().collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            let room = e
                .room
                .as_deref()
                .map_or_else(String::new, |r| format!(" @{r}"));
            let room = format!("{room} ({})", e.front.as_str());
            format!(
                "{} {}{room} : {}",
                at_text(e.at, view.timezone, lang),
                e.writer,
                e.text
            )
        })
        .collect();
    let heading = pick(
        lang,
        format!(
            "충성! {} 최근 변경 {}건 보고드립니다!",
            view.schedule,
            lines.len()
        ),
        format!("{}: the last {} change(s).", view.schedule, lines.len()),
    );
    listing(
        lines,
        pick(
            lang,
            format!("보고드립니다! {}에는 변경 기록이 없습니다!", view.schedule),
            format!("{}: no changes recorded.", view.schedule),
        ),
        heading,
        pick(lang, "변경 기록", "History").to_owned(),
    )
}
