//! `savings`: hours stopped and money saved, a block per schedule (SPEC §3).

use super::info::ruler;
use super::{pick, weekday_name, Context, Lang, SavingsBlock, SavingsView};
use super::{Card, Tone};
use crate::savings::{share_text, usd_text, Figures, HeatMap, NoPrice, Outage, PriceKey};
use chrono::Weekday;

pub(super) fn render(view: &SavingsView, ctx: &Context) -> Card {
    let lang = ctx.lang;
    let month = view.month;
    let Some(headline) = view
        .total
        .as_ref()
        .or(view.schedules.first().map(|b| &b.figures))
    else {
        return Card::new(
            Tone::Ok,
            pick(
                lang,
                format!("보고드립니다! {month}에는 스케줄이 없습니다!"),
                format!("{month}: there are no schedules."),
            ),
        );
    };
    let who = match view.schedules.as_slice() {
        [one] if view.total.is_none() => one.schedule.clone(),
        _ => pick(lang, "전체 스케줄", "All schedules").to_owned(),
    };
    let saved = money(headline.usd_saved.actual, lang);
    let body = match (headline.usd_saved.actual, lang) {
        (_, Lang::Ko) => format!("충성! {who} {month} 취침 전과 보고드립니다! 아낀 돈 {saved}!"),
        (Some(_), Lang::En) => format!("{who}, {month}: {saved} saved by stopping."),
        (None, Lang::En) => {
            format!("{who}, {month}: the hours stopped are below; the money is unavailable.")
        }
    };
    let trouble = view
        .schedules
        .iter()
        .any(|b| !b.figures.unpriced.is_empty() || b.figures.usd_saved.actual.is_none());
    let mut message = Card::new(if trouble { Tone::Warning } else { Tone::Ok }, body);
    for block in &view.schedules {
        message = message.block(block.schedule.clone(), schedule_text(block, lang));
    }
    if let Some(total) = &view.total {
        message = message.block(
            pick(lang, "합계", "Total"),
            figures_lines(total, lang).join("\n"),
        );
    }
    message
}

fn schedule_text(block: &SavingsBlock, lang: Lang) -> String {
    let mut lines = figures_lines(&block.figures, lang);
    lines.push(
        pick(
            lang,
            "계획된 기상 시간 (요일 × 시)",
            "Planned running hours (weekday × hour)",
        )
        .to_owned(),
    );
    lines.extend(heat_map_lines(&block.heat_map, lang));
    lines.join("\n")
}

/// Hours, money, the share of an always-on bill, and what was not priced.
fn figures_lines(figures: &Figures, lang: Lang) -> Vec<String> {
    let hours = figures.hours_stopped;
    let usd = figures.usd_saved;
    let shares = figures.shares();
    let mut lines = vec![
        pick(
            lang,
            format!(
                "취침 시간: 실제 {:.1}h / 계획 {:.1}h",
                hours.actual, hours.planned
            ),
            format!(
                "Hours stopped: actual {:.1} h, planned {:.1} h",
                hours.actual, hours.planned
            ),
        ),
        pick(
            lang,
            format!(
                "아낀 돈: 실제 {} / 계획 {}",
                money(usd.actual, lang),
                money(usd.planned, lang)
            ),
            format!(
                "Saved: actual {}, planned {}",
                money(usd.actual, lang),
                money(usd.planned, lang)
            ),
        ),
        pick(
            lang,
            format!(
                "상시 가동 요금 {} 대비: 실제 {} / 계획 {}",
                money(figures.usd_always_on, lang),
                share_text(shares.actual),
                share_text(shares.planned)
            ),
            format!(
                "Of an always-on bill of {}: actual {}, planned {}",
                money(figures.usd_always_on, lang),
                share_text(shares.actual),
                share_text(shares.planned)
            ),
        ),
    ];
    for unpriced in &figures.unpriced {
        let reason = reason_text(&unpriced.reason, lang);
        lines.push(pick(
            lang,
            format!("가격 미확인 {} : {reason}", unpriced.resource),
            format!("Not priced {} : {reason}", unpriced.resource),
        ));
    }
    lines
}

/// Why a resource has no price, in one short line of the reply's language.
fn reason_text(reason: &NoPrice, lang: Lang) -> String {
    match lang {
        Lang::En => reason.to_string(),
        Lang::Ko => match reason {
            NoPrice::NoClass => "인스턴스 타입을 읽지 못했습니다".to_owned(),
            NoPrice::Licensed { engine } => {
                format!("엔진 {engine:?}: 라이선스·에디션을 아직 읽지 않습니다")
            }
            NoPrice::ClusterEngine { engine } => {
                format!("{engine} 클러스터는 아직 가격을 매기지 않습니다")
            }
            NoPrice::NoMembers => "가격을 매길 멤버 인스턴스가 없습니다".to_owned(),
            NoPrice::NoInstances => "타입을 읽을 실행 중 인스턴스가 없습니다".to_owned(),
            NoPrice::EcsTasksNotRead => {
                "ECS 서비스는 태스크의 vCPU·메모리로 가격을 매기는데, 아직 읽지 않습니다".to_owned()
            }
            NoPrice::NotListed(key) => format!("{}: AWS 가격표에 없습니다", key_text(key)),
            NoPrice::Unavailable(outage) => format!("가격표 조회 실패: {}", outage_text(*outage)),
            NoPrice::Undescribed => "조회 실패".to_owned(),
        },
    }
}

/// `db.t3.medium (ap-northeast-2, PostgreSQL, Multi-AZ)`: a price key
/// without English words.
fn key_text(key: &PriceKey) -> String {
    let mut parts = vec![key.region.as_str()];
    parts.extend(key.engine.as_deref());
    parts.extend(key.deployment.as_deref());
    format!("{} ({})", key.class, parts.join(", "))
}

/// What went wrong asking the price list, in Korean.
fn outage_text(outage: Outage) -> String {
    match outage {
        Outage::Status(status) => format!("HTTP {status}"),
        Outage::Denied => "권한 없음".to_owned(),
        Outage::Throttled => "요청 한도 초과".to_owned(),
        Outage::Connection => "연결 실패".to_owned(),
        Outage::Timeout => "시간 초과".to_owned(),
        Outage::Unreadable => "읽을 수 없는 응답".to_owned(),
        Outage::NotAsked => "조회하지 않음".to_owned(),
    }
}

/// `$12.34`, or that the money could not be known.
fn money(usd: Option<f64>, lang: Lang) -> String {
    usd_text(usd, pick(lang, "금액 확인 불가", "unavailable"))
}

/// A ruler and one row a weekday, in `info`'s timeline cells.
fn heat_map_lines(map: &HeatMap, lang: Lang) -> Vec<String> {
    let days = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let width = 4;
    let mut lines = vec![format!("{:width$}{}", "", ruler(24))];
    for (day, row) in days.iter().zip(&map.rows) {
        let name = weekday_name(*day, lang);
        // Korean day names are one wide character: pad them to line up.
        let pad = match lang {
            Lang::Ko => width - 2,
            Lang::En => width - name.chars().count(),
        };
        lines.push(format!("{name}{:pad$}{}", "", HeatMap::cells(row)));
    }
    lines.push(
        pick(
            lang,
            "█ 기상  ░ 취침  ▒ 일부",
            "█ running  ░ stopped  ▒ part of the time",
        )
        .to_owned(),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{render, Reply};
    use crate::savings::{ActualPlanned, Month, PriceService, Unpriced};

    fn block(name: &str, actual: Option<f64>) -> SavingsBlock {
        SavingsBlock {
            schedule: name.to_owned(),
            figures: Figures {
                hours_stopped: ActualPlanned {
                    actual: 1400.25,
                    planned: 1416.0,
                },
                usd_saved: ActualPlanned {
                    actual,
                    planned: actual.map(|a| a + 1.0),
                },
                usd_always_on: actual.map(|_| 20.16),
                unpriced: vec![Unpriced {
                    resource: "old-1".to_owned(),
                    reason: NoPrice::NotListed(PriceKey {
                        service: PriceService::Ec2,
                        region: "ap-northeast-2".to_owned(),
                        class: "t1.micro".to_owned(),
                        engine: None,
                        deployment: None,
                    }),
                }],
            },
            heat_map: HeatMap {
                rows: vec![vec![0.0; 24]; 7],
            },
        }
    }

    fn text(view: &SavingsView, lang: Lang) -> String {
        let card = render(&Reply::Savings(view.clone()), &Context::new(lang, "서버"));
        serde_json::to_string(&crate::jandi::Message::from(&card)).unwrap()
    }

    #[test]
    fn one_block_a_schedule_with_money_share_and_what_was_not_priced() {
        let view = SavingsView {
            month: Month::parse("2027-02").unwrap(),
            schedules: vec![block("dev", Some(13.15)), block("stg", None)],
            total: Some(Figures::total([&block("dev", Some(13.15)).figures])),
        };
        let en = text(&view, Lang::En);
        for part in [
            "All schedules, 2027-02: $13.15 saved",
            "\"title\":\"dev\"",
            "\"title\":\"stg\"",
            "\"title\":\"Total\"",
            "Hours stopped: actual 1400.2 h, planned 1416.0 h",
            "Saved: actual $13.15, planned $14.15",
            "Of an always-on bill of $20.16: actual 65.2%, planned 70.2%",
            "Saved: actual unavailable, planned unavailable",
            "Not priced old-1 : t1.micro in ap-northeast-2 is not in the AWS price list",
            "Mon ░░░░",
            "#FFBB00",
        ] {
            assert!(en.contains(part), "{part} in {en}");
        }
        let ko = text(&view, Lang::Ko);
        for part in [
            "취침 전과",
            "아낀 돈: 실제 $13.15",
            "금액 확인 불가",
            "가격 미확인 old-1 : t1.micro (ap-northeast-2): AWS 가격표에 없습니다",
            "월  ░░",
        ] {
            assert!(ko.contains(part), "{part} in {ko}");
        }
    }

    /// One of every reason; a new variant fails to compile here until it
    /// is added (and so has its Korean words checked below).
    fn every_reason() -> Vec<NoPrice> {
        let key = PriceKey {
            service: PriceService::Rds,
            region: "ap-northeast-2".to_owned(),
            class: "db.t3.medium".to_owned(),
            engine: Some("PostgreSQL".to_owned()),
            deployment: Some("Multi-AZ".to_owned()),
        };
        let outages = [
            Outage::Status(500),
            Outage::Denied,
            Outage::Throttled,
            Outage::Connection,
            Outage::Timeout,
            Outage::Unreadable,
            Outage::NotAsked,
        ];
        for outage in outages {
            match outage {
                Outage::Status(_)
                | Outage::Denied
                | Outage::Throttled
                | Outage::Connection
                | Outage::Timeout
                | Outage::Unreadable
                | Outage::NotAsked => {}
            }
        }
        let reasons = [
            NoPrice::NoClass,
            NoPrice::Licensed {
                engine: "oracle-ee".to_owned(),
            },
            NoPrice::ClusterEngine {
                engine: "DocumentDB".to_owned(),
            },
            NoPrice::NoMembers,
            NoPrice::NoInstances,
            NoPrice::EcsTasksNotRead,
            NoPrice::NotListed(key),
            NoPrice::Undescribed,
        ];
        for reason in &reasons {
            match reason {
                NoPrice::NoClass
                | NoPrice::Licensed { .. }
                | NoPrice::ClusterEngine { .. }
                | NoPrice::NoMembers
                | NoPrice::NoInstances
                | NoPrice::EcsTasksNotRead
                | NoPrice::NotListed(_)
                | NoPrice::Unavailable(_)
                | NoPrice::Undescribed => {}
            }
        }
        reasons
            .into_iter()
            .chain(outages.into_iter().map(NoPrice::Unavailable))
            .collect()
    }

    #[test]
    fn an_outage_is_one_short_line_in_the_replys_language() {
        let reason = NoPrice::Unavailable(Outage::Status(500));
        assert_eq!(
            reason_text(&reason, Lang::En),
            "price list unavailable: HTTP 500"
        );
        assert_eq!(reason_text(&reason, Lang::Ko), "가격표 조회 실패: HTTP 500");
        let refused = NoPrice::Unavailable(Outage::Connection);
        assert_eq!(
            reason_text(&refused, Lang::Ko),
            "가격표 조회 실패: 연결 실패"
        );
        // One line each; an outage's a few words, the others at most a
        // price key's length (`db.t3.medium in ap-northeast-2 (...)`) more.
        for reason in every_reason() {
            let most = match reason {
                NoPrice::Unavailable(_) => 50,
                _ => 100,
            };
            for lang in [Lang::Ko, Lang::En] {
                let text = reason_text(&reason, lang);
                assert!(!text.contains('\n'), "{text}");
                assert!(text.chars().count() <= most, "{text}");
            }
        }
    }

    #[test]
    fn a_korean_reply_gives_every_reason_in_korean() {
        let mut view = SavingsView {
            month: Month::parse("2027-02").unwrap(),
            schedules: vec![block("dev", None)],
            total: None,
        };
        let reasons = every_reason();
        view.schedules[0].figures.unpriced = reasons
            .iter()
            .enumerate()
            .map(|(n, reason)| Unpriced {
                resource: format!("r-{n}"),
                reason: reason.clone(),
            })
            .collect();
        let ko = text(&view, Lang::Ko);
        for (n, reason) in reasons.iter().enumerate() {
            let english = reason.to_string();
            assert!(!ko.contains(&english), "{english:?} in {ko}");
            let korean = reason_text(reason, Lang::Ko);
            assert!(
                korean.chars().any(|c| ('가'..='힣').contains(&c)),
                "{korean:?} has no Korean word"
            );
            assert!(ko.contains(&format!("가격 미확인 r-{n} : ")), "{ko}");
        }
        // The words of the English lines that are not names (of engines,
        // classes, services) never appear in the Korean reply.
        for word in [
            "price list",
            "unavailable",
            "not priced",
            "not read",
            "not in the",
            "connection",
            "described",
            "instance",
            "licence",
            "member",
            "tasks",
            "denied",
        ] {
            assert!(!ko.to_lowercase().contains(word), "{word:?} in {ko}");
        }
    }

    #[test]
    fn no_schedules_says_so() {
        let view = SavingsView {
            month: Month::parse("2027-02").unwrap(),
            schedules: vec![],
            total: None,
        };
        assert!(text(&view, Lang::En).contains("there are no schedules"));
    }
}
