//! AWS-sized pages out of one moto answer, for the tick benchmark at scale.
//!
//! moto pages `DescribeInstances` by reservation, and each page filters the
//! whole fleet again, comparing every instance's tags with every tag in the
//! region: with 10,000 instances in one-instance reservations (the only way
//! to get AWS's 1,000-instance pages out of moto) one tick's describe takes
//! tens of minutes. Launched 10 to a reservation, the fleet comes back as
//! a single page of 10,000 instances — a page AWS never sends, which makes
//! the worker's memory ten times what it is on AWS.
//!
//! So the proxy asks moto once, cuts the real answer into pages of whole
//! reservations, and answers each `NextToken` it handed out from those
//! pages. The worker sees AWS's page sizes, its real call count, and moto's
//! own data; nothing is invented.

use hyper::body::Bytes;
use std::collections::HashMap;

/// How to page one operation's answers.
#[derive(Debug, Clone)]
pub(crate) struct Pager {
    pub operation: String,
    /// The element holding the paged items, e.g. `reservationSet`.
    pub list: String,
    pub per_page: usize,
    /// Pages not yet asked for, by the token that asks for them.
    pub pending: HashMap<String, Bytes>,
}

/// The `NextToken` of a query-protocol form body, if any.
pub(crate) fn next_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("NextToken="))
        .map(str::to_owned)
}

/// Cuts `xml` into pages of `per_page` top-level `<item>`s of `<list>`,
/// each a whole answer, every page but the last ending with a `nextToken`
/// named by `token(n)` for page n. `None` if the answer has no such list
/// or already carries a token of its own.
pub(crate) fn split(
    xml: &str,
    list: &str,
    per_page: usize,
    token: impl Fn(usize) -> String,
) -> Option<Vec<String>> {
    let open = format!("<{list}>");
    let close = format!("</{list}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml.get(start..)?.find(&close)?;
    if xml.contains("<nextToken>") {
        return None;
    }
    let (head, items, tail) = (
        xml.get(..start)?,
        top_level_items(xml.get(start..end)?),
        xml.get(end..)?,
    );
    // The token goes just before the root element's closing tag.
    let (tail, root_close) = tail.split_at(tail.rfind("</")?);
    let chunks: Vec<&[&str]> = items.chunks(per_page.max(1)).collect();
    let pages = chunks.len().max(1);
    Some(
        (0..pages)
            .map(|n| {
                let body: String = chunks.get(n).map(|c| c.concat()).unwrap_or_default();
                let next = if n + 1 < pages {
                    format!("<nextToken>{}</nextToken>", token(n + 1))
                } else {
                    String::new()
                };
                format!("{head}{body}{tail}{next}{root_close}")
            })
            .collect(),
    )
}

/// The `<item>…</item>` elements directly inside `inner`, nested items kept
/// whole.
fn top_level_items(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut from, mut at) = (0usize, 0usize, 0usize);
    while let Some(offset) = inner.get(at..).and_then(|rest| rest.find('<')) {
        let tag_at = at + offset;
        let rest = inner.get(tag_at..).unwrap_or_default();
        if rest.starts_with("<item>") {
            if depth == 0 {
                from = tag_at;
            }
            depth += 1;
            at = tag_at + "<item>".len();
        } else if rest.starts_with("</item>") {
            depth = depth.saturating_sub(1);
            at = tag_at + "</item>".len();
            if depth == 0 {
                items.extend(inner.get(from..at));
            }
        } else {
            at = tag_at + 1;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    const ANSWER: &str = "<DescribeInstancesResponse><requestId>r</requestId><reservationSet>\
        <item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-1</instanceId></item><item><instanceId>i-2</instanceId></item></instancesSet></item>\
        <item><reservationId>r-2</reservationId><instancesSet><item><instanceId>i-3</instanceId></item></instancesSet></item>\
        <item><reservationId>r-3</reservationId><instancesSet><item><instanceId>i-4</instanceId></item></instancesSet></item>\
        </reservationSet></DescribeInstancesResponse>";

    #[test]
    fn pages_hold_whole_reservations_and_chain_by_token() {
        let pages = split(ANSWER, "reservationSet", 2, |n| format!("p{n}")).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(pages[0].contains("i-1") && pages[0].contains("i-2") && pages[0].contains("i-3"));
        assert!(!pages[0].contains("i-4"));
        assert!(pages[0]
            .ends_with("</reservationSet><nextToken>p1</nextToken></DescribeInstancesResponse>"));
        assert!(pages[1].contains("<reservationSet><item><reservationId>r-3"));
        assert!(!pages[1].contains("nextToken"));
        assert!(pages[1].starts_with("<DescribeInstancesResponse><requestId>r</requestId>"));
    }

    #[test]
    fn one_page_when_everything_fits_and_none_for_other_answers() {
        let pages = split(ANSWER, "reservationSet", 10, |n| format!("p{n}")).unwrap();
        assert_eq!(pages, [ANSWER]);
        assert!(split("<Other/>", "reservationSet", 2, |n| format!("p{n}")).is_none());
        // moto paged it itself: its own token must reach the client untouched.
        let paged = ANSWER.replace(
            "</DescribeInstancesResponse>",
            "<nextToken>r-3</nextToken></DescribeInstancesResponse>",
        );
        assert!(split(&paged, "reservationSet", 2, |n| format!("p{n}")).is_none());
        let empty = "<R><reservationSet></reservationSet></R>";
        assert_eq!(
            split(empty, "reservationSet", 2, |n| format!("p{n}")).unwrap(),
            [empty]
        );
    }

    #[test]
    fn the_token_is_read_from_a_form_body() {
        assert_eq!(
            next_token(b"Action=DescribeInstances&NextToken=p3&MaxResults=1000").as_deref(),
            Some("p3")
        );
        assert_eq!(next_token(b"Action=DescribeInstances"), None);
    }
}
