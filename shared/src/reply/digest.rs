//! Many notices for one room in one tick, folded into a few messages.
//!
//! JANDI takes 60 posts a minute per incoming webhook. A 09:00 tick over a
//! few hundred schedules that all notify one room would otherwise queue its
//! notices for minutes (and outlive a Lambda's timeout). A few notices stay
//! separate messages, as before; past [`SEPARATE_UP_TO`] they travel as
//! digests of up to [`PER_DIGEST`] notices each, one `connectInfo` block per
//! notice, coloured by the worst of them.

use super::{pick, Lang};
use crate::jandi::{Color, Message};

/// Up to this many notices for one room in one tick are posted one by one.
pub const SEPARATE_UP_TO: usize = 3;

/// Notices in one digest message: its length stays readable, and 1,000
/// schedules need 50 posts, inside one minute's allowance.
pub const PER_DIGEST: usize = 20;

/// The messages to post for `notices` (all for one room, in order).
pub fn digest(notices: Vec<Message>, lang: Lang) -> Vec<Message> {
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
            let mut message = Message::new(worst(chunk), body);
            for notice in chunk {
                message = message.block(notice.body.clone(), blocks_text(notice));
            }
            message
        })
        .collect()
}

/// A notice's own blocks as plain text under its body.
fn blocks_text(notice: &Message) -> String {
    notice
        .connect_info
        .iter()
        .map(|block| format!("[{}]\n{}", block.title, block.description))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Error over warning over ok.
fn worst(notices: &[Message]) -> Color {
    let has = |color: Color| notices.iter().any(|n| n.connect_color == color.hex());
    if has(Color::Error) {
        Color::Error
    } else if has(Color::Warning) {
        Color::Warning
    } else {
        Color::Ok
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn notice(n: usize, color: Color) -> Message {
        Message::new(color, format!("s{n:03}: started 2 instance(s)."))
            .block("Started", format!("web-{n} (i-{n})\napi-{n} (i-{n}b)"))
    }

    #[test]
    fn a_few_notices_stay_separate() {
        let notices: Vec<_> = (0..SEPARATE_UP_TO).map(|n| notice(n, Color::Ok)).collect();
        assert_eq!(digest(notices.clone(), Lang::En), notices);
    }

    #[test]
    fn many_notices_fold_into_digests_that_keep_every_line() {
        let notices: Vec<_> = (0..45).map(|n| notice(n, Color::Ok)).collect();
        let digests = digest(notices.clone(), Lang::En);
        assert_eq!(digests.len(), 3);
        assert_eq!(digests[0].body, "45 schedule notices from this tick (1/3).");
        assert_eq!(digests[2].body, "45 schedule notices from this tick (3/3).");
        let blocks: Vec<_> = digests.iter().flat_map(|d| &d.connect_info).collect();
        assert_eq!(blocks.len(), 45);
        for (block, original) in blocks.iter().zip(&notices) {
            assert_eq!(block.title, original.body);
            assert!(block.description.starts_with("[Started]\nweb-"));
            assert!(block
                .description
                .contains(&original.connect_info[0].description));
        }
    }

    #[test]
    fn a_digest_takes_the_worst_colour_of_its_notices() {
        let mut notices: Vec<_> = (0..10).map(|n| notice(n, Color::Ok)).collect();
        assert_eq!(
            digest(notices.clone(), Lang::Ko)[0].connect_color,
            Color::Ok.hex()
        );
        notices[4] = notice(4, Color::Warning);
        assert_eq!(
            digest(notices.clone(), Lang::Ko)[0].connect_color,
            Color::Warning.hex()
        );
        notices[7] = notice(7, Color::Error);
        let one = digest(notices, Lang::Ko);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].connect_color, Color::Error.hex());
        assert_eq!(one[0].body, "충성! 스케줄 알림 10건을 모아 보고드립니다!");
    }
}
