//! Reading the items of tables curfew did not write (SPEC §5 "Import"):
//! whole tables with paginated Scans (an import is not a hot path), and
//! attributes taken in every shape such tables were seen to have. Shared by
//! [`super::seed`] and [`super::instance_scheduler`].

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// Every item of `table`, one Scan page at a time; `progress` hears the
/// count so far after each page (a large table takes a while).
pub async fn scan_all(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Item>, super::StoreError> {
    let mut items = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let page = client
            .scan()
            .table_name(table)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| super::failed("Scan", e))?;
        items.extend(page.items.unwrap_or_default());
        progress(items.len());
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return Ok(items),
        }
    }
}

/// A string attribute the item cannot do without.
pub fn key(item: &Item, table: &str, name: &str) -> Result<String, String> {
    text(item, name)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| format!("a {table} item without {name}: {}", shown(item)))
}

/// A string (or number) attribute, as written.
pub fn text(item: &Item, name: &str) -> Option<String> {
    match item.get(name)? {
        AttributeValue::S(value) | AttributeValue::N(value) => Some(value.clone()),
        _ => None,
    }
}

/// `BOOL`, or the strings `true` / `false` in any case; anything else is
/// refused rather than guessed.
pub fn flag(item: &Item, name: &str) -> Result<Option<bool>, String> {
    match item.get(name) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(AttributeValue::Bool(value)) => Ok(Some(*value)),
        Some(AttributeValue::S(value)) if value.trim().eq_ignore_ascii_case("true") => {
            Ok(Some(true))
        }
        Some(AttributeValue::S(value)) if value.trim().eq_ignore_ascii_case("false") => {
            Ok(Some(false))
        }
        Some(other) => Err(format!("{name} is {other:?}, not true or false")),
    }
}

/// Names from a list, a string set, or one comma-separated string (each
/// element split on commas too: hand-edited tables have `"db, cache"`).
pub fn strings(item: &Item, name: &str) -> Vec<String> {
    let split = |text: &str| -> Vec<String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect()
    };
    match item.get(name) {
        Some(AttributeValue::L(list)) => list
            .iter()
            .filter_map(|v| v.as_s().ok())
            .flat_map(|s| split(s))
            .collect(),
        Some(AttributeValue::Ss(set)) => set.iter().flat_map(|s| split(s)).collect(),
        Some(AttributeValue::S(text)) => split(text),
        _ => Vec::new(),
    }
}

/// The item's attribute names, for an error that points at it.
fn shown(item: &Item) -> String {
    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    format!("attributes {}", names.join(", "))
}
