//! Many notices for one room in one tick, folded into a few messages.
//!
//! JANDI takes 60 posts a minute per incoming webhook. A 09:00 tick over a
//! few hundred schedules that all notify one room would otherwise queue its
//! notices for minutes (and outlive a Lambda's timeout). A few notices stay
//! separate messages, as before; past [`SEPARATE_UP_TO`] they travel as
//! digests of up to [`PER_DIGEST`] notices each, one block per
//! notice, coloured by the worst of them. A notice's offers (the stop
//! warning's buttons) travel with it, each named by its schedule, so a
//! Slack channel warned for many schedules at once can still keep one up.

use super::{pick, Lang};
use super::{Card, Offer, Tone};

/// Up to this many notices for one room in one tick are posted one by one.
pub const SEPARATE_UP_TO: usize = 3;

/// Notices in one digest message: its length stays readable, and 1,000
/// schedules need 50 posts, inside one minute's allowance.
pub const PER_DIGEST: usize = 20;

/// The messages to post for `notices` (all for one room, in order).
pub fn digest(notices: Vec<Card>, lang: Lang) -> Vec<Card> {
    if notices.len() <= SEPARATE_UP_TO {
        return notices;
    }
    let total = notices.len();
    let parts = total.div_ceil(PER_DIGEST);
    notices
        .chunks(PER_DIGEST)
        .enumerate()
        .map(|(index, chunk)| {
            let part = if parts > 1 {
                format!(" ({}/{parts})", index + 1)
            } else {
                String::new()
            };
            let body = pick(
                lang,
                format!("충성! 스케줄 알림 {total}건을 모아 보고드립니다!{part}"),
                format!("{total} schedule notices from this tick{part}."),
            );
            let mut message = Card::new(worst(chunk), body);
            for notice in chunk {
                message = message.block(notice.body.clone(), blocks_text(notice));
                for offer in &notice.offers {
                    message = message.offer(named(offer));
                }
            }
            message
        })
        .collect()
}

/// A notice's own blocks as plain text under its body.
fn blocks_text(notice: &Card) -> String {
    notice
        .blocks
        .iter()
        .map(|block| format!("[{}]\n{}", block.title, block.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An offer labelled with its schedule (the first word of its command),
/// as it reads among other schedules' offers: "dev: Keep running 1h".
fn named(offer: &Offer) -> Offer {
    let schedule = offer.command.split_whitespace().next().unwrap_or_default();
    Offer {
        label: format!("{schedule}: {}", offer.label),
        ..offer.clone()
    }
}

/// Error over warning over ok.
fn worst(notices: &[Card]) -> Tone {
    notices.iter().map(|n| n.tone).max().unwrap_or(Tone::Ok)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn notice(n: usize, color: Tone) -> Card {
        Card::new(color, format!("s{n:03}: started 2 instance(s)."))
            .block("Started", format!("web-{n} (i-{n})\napi-{n} (i-{n}b)"))
    }

    #[test]
    fn a_few_notices_stay_separate() {
        let notices: Vec<_> = (0..SEPARATE_UP_TO).map(|n| notice(n, Tone::Ok)).collect();
        assert_eq!(digest(notices.clone(), Lang::En), notices);
    }

    #[test]
    fn many_notices_fold_into_digests_that_keep_every_line() {
        let notices: Vec<_> = (0..45).map(|n| notice(n, Tone::Ok)).collect();
        let digests = digest(notices.clone(), Lang::En);
        assert_eq!(digests.len(), 3);
        assert_eq!(digests[0].body, "45 schedule notices from this tick (1/3).");
        assert_eq!(digests[2].body, "45 schedule notices from this tick (3/3).");
        let blocks: Vec<_> = digests.iter().flat_map(|d| &d.blocks).collect();
        assert_eq!(blocks.len(), 45);
        for (block, original) in blocks.iter().zip(&notices) {
            assert_eq!(block.title, original.body);
            assert!(block.text.starts_with("[Started]\nweb-"));
            assert!(block.text.contains(&original.blocks[0].text));
        }
    }

    #[test]
    fn a_digest_keeps_each_warnings_offers_named_by_schedule() {
        let warning = |n: usize| {
            let offer = |label: &str, command: &str| Offer {
                label: label.to_owned(),
                command: format!("s{n:03} {command}"),
                until: chrono::DateTime::UNIX_EPOCH,
                stop: "19:00".to_owned(),
            };
            notice(n, Tone::Warning)
                .offer(offer("Keep running 1h", "force_start for 1h"))
                .offer(offer("Stop now", "force_stop"))
        };
        let notices: Vec<_> = (0..5).map(warning).collect();
        let digests = digest(notices, Lang::En);
        assert_eq!(digests.len(), 1);
        let labels: Vec<&str> = digests[0].offers.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels.len(), 10);
        assert_eq!(labels[0], "s000: Keep running 1h");
        assert_eq!(labels[9], "s004: Stop now");
        assert_eq!(digests[0].offers[9].command, "s004 force_stop");
    }

    #[test]
    fn a_digest_takes_the_worst_colour_of_its_notices() {
        let mut notices: Vec<_> = (0..10).map(|n| notice(n, Tone::Ok)).collect();
        assert_eq!(digest(notices.clone(), Lang::Ko)[0].tone, Tone::Ok);
        notices[4] = notice(4, Tone::Warning);
        assert_eq!(digest(notices.clone(), Lang::Ko)[0].tone, Tone::Warning);
        notices[7] = notice(7, Tone::Error);
        let one = digest(notices, Lang::Ko);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].tone, Tone::Error);
        assert_eq!(one[0].body, "충성! 스케줄 알림 10건을 모아 보고드립니다!");
    }
}
