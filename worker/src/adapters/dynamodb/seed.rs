//! The 2017 bot's items (SPEC §5 "Import", issue 16) read into
//! `curfew_shared::import::legacy`'s types. The seed was written by hand
//! and by a Python bot, so each attribute is taken in every shape it was
//! seen to have: booleans as `BOOL` or as the strings `true` / `false`,
//! `Dependency` as a list, a string set or one comma-separated string.
//! An item without its key attribute is refused, naming it. The tables are
//! read with paginated Scans ([`scan_all`]): an import is not a hot path.

use aws_sdk_dynamodb::types::AttributeValue;
use curfew_shared::import::legacy::{SeedException, SeedGroup, SeedSchedule};
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

/// A `Schedule` item.
pub fn seed_schedule(item: &Item) -> Result<SeedSchedule, String> {
    Ok(SeedSchedule {
        name: key(item, "Schedule", "ScheduleName")?,
        tag_value: text(item, "TagValue"),
        days_active: text(item, "DaysActive"),
        enabled: flag(item, "Enabled")?,
        start_time: text(item, "StartTime"),
        stop_time: text(item, "StopTime"),
        force_start: flag(item, "ForceStart")?,
    })
}

/// A `ScheduleServerGroup` item.
pub fn seed_group(item: &Item) -> Result<SeedGroup, String> {
    Ok(SeedGroup {
        schedule: key(item, "ScheduleServerGroup", "ScheduleName")?,
        group: key(item, "ScheduleServerGroup", "GroupName")?,
        instance_type: text(item, "InstanceType"),
        dependency: names(item.get("Dependency")),
    })
}

/// A `ScheduleException` item.
pub fn seed_exception(item: &Item) -> Result<SeedException, String> {
    Ok(SeedException {
        uuid: key(item, "ScheduleException", "ExceptionUuid")?,
        schedule: key(item, "ScheduleException", "ScheduleName")?,
        date: text(item, "ExceptionDate"),
        kind: text(item, "ExceptionType"),
        value: text(item, "ExceptionValue"),
    })
}

/// A string attribute the item cannot do without.
pub(super) fn key(item: &Item, table: &str, name: &str) -> Result<String, String> {
    text(item, name)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| format!("a {table} item without {name}: {}", shown(item)))
}

/// A string (or number) attribute, as written.
pub(super) fn text(item: &Item, name: &str) -> Option<String> {
    match item.get(name)? {
        AttributeValue::S(value) | AttributeValue::N(value) => Some(value.clone()),
        _ => None,
    }
}

/// `BOOL`, or the strings `true` / `false` in any case; anything else is
/// refused rather than guessed.
pub(super) fn flag(item: &Item, name: &str) -> Result<Option<bool>, String> {
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

/// Group names from a list, a string set, or one comma-separated string.
fn names(value: Option<&AttributeValue>) -> Vec<String> {
    let split = |text: &str| -> Vec<String> {
        text.split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect()
    };
    match value {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    #[test]
    fn a_schedule_item_reads_booleans_in_both_shapes() {
        let schedule = seed_schedule(&item(&[
            ("ScheduleName", s("dev")),
            ("TagValue", s("dev")),
            ("DaysActive", s("weekdays")),
            ("Enabled", AttributeValue::Bool(true)),
            ("StartTime", s("9:00")),
            ("StopTime", s("None")),
            ("ForceStart", s("False")),
        ]))
        .unwrap();
        assert_eq!(schedule.name, "dev");
        assert_eq!(schedule.enabled, Some(true));
        assert_eq!(schedule.force_start, Some(false));
        assert_eq!(schedule.stop_time.as_deref(), Some("None"));
        let odd = seed_schedule(&item(&[("ScheduleName", s("dev")), ("Enabled", s("yes"))]));
        assert!(odd.unwrap_err().contains("Enabled"), "not guessed");
    }

    #[test]
    fn a_dependency_is_read_as_a_list_a_set_or_a_string() {
        for dependency in [
            AttributeValue::L(vec![s("db"), s("cache")]),
            AttributeValue::Ss(vec!["db".to_owned(), "cache".to_owned()]),
            s("db, cache"),
        ] {
            let group = seed_group(&item(&[
                ("ScheduleName", s("dev")),
                ("GroupName", s("app")),
                ("InstanceType", s("EC2")),
                ("Dependency", dependency),
            ]))
            .unwrap();
            assert_eq!(group.dependency, ["db", "cache"]);
        }
    }

    #[test]
    fn an_item_without_its_key_is_refused_naming_it() {
        let error = seed_exception(&item(&[("ScheduleName", s("dev"))])).unwrap_err();
        assert!(error.contains("ExceptionUuid"), "{error}");
        assert!(error.contains("attributes ScheduleName"), "{error}");
    }
}
