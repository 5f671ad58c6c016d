//! `next`: the coming week's starts, stops and warnings.

use super::{action_text, at_text, date_text, listing, pick, source_text, Context, Lang, NextView};
use super::{days_off::day_off_name, Card};
use crate::schedule::timeline::UpcomingKind;
use crate::schedule::{Exception, Override, Schedule, Timeline};
use crate::value::local_time::resolve;
use crate::Action;
use chrono::{DateTime, Duration, NaiveTime, Utc};

impl NextView {
    /// What `schedule` does after `now` within `horizon`, and the days off
    /// (local dates) it skips from today to the horizon's end.
    pub fn of(
        schedule: &Schedule,
        exceptions: &[Exception],
        overrides: &[Override],
        now: DateTime<Utc>,
        horizon: Duration,
    ) -> Self {
        let timeline = Timeline::new(schedule, exceptions, overrides);
        let tz = schedule.timezone;
        let today = now.with_timezone(&tz).date_naive();
        let last = (now + horizon).with_timezone(&tz).date_naive();
        let days_off = today
            .iter_days()
            .take_while(|date| *date <= last)
            .filter_map(|date| schedule.day_off(date).map(Into::into))
            .collect();
        Self {
            schedule: schedule.name.clone(),
            timezone: tz,
            events: timeline.upcoming(now, horizon),
            days_off,
        }
    }
}

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
    // Each line with the instant it sorts at: a day off at its midnight,
    // before that day's events.
    let mut lines: Vec<(DateTime<Utc>, String)> = view
        .events
        .iter()
        .map(|u| {
            let line = format!(
                "{} {} ({})",
                at_text(u.at, view.timezone, lang),
                kind_text(u.kind, lang),
                source_text(u.source, lang)
            );
            (u.at, line)
        })
        .collect();
    for day in &view.days_off {
        let line = pick(
            lang,
            format!(
                "{} {}: 쉽니다, 기상하지 않습니다 [{}]",
                date_text(day.date, lang),
                day_off_name(day, lang),
                day.source
            ),
            format!(
                "{} {}: a day off, nothing starts [{}]",
                date_text(day.date, lang),
                day_off_name(day, lang),
                day.source
            ),
        );
        lines.push((resolve(view.timezone, day.date, NaiveTime::MIN), line));
    }
    lines.sort_by_key(|(at, _)| *at);
    let lines: Vec<String> = lines.into_iter().map(|(_, line)| line).collect();
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
