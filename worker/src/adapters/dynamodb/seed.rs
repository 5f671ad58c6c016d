//! The 2017 bot's items (SPEC §5 "Import", issue 16) read into
//! `crate::import::legacy`'s types. The seed was written by hand
//! and by a Python bot, so each attribute is taken in every shape it was
//! seen to have: booleans as `BOOL` or as the strings `true` / `false`,
//! `Dependency` as a list, a string set or one comma-separated string.
//! An item without its key attribute is refused, naming it.

use super::items::{flag, key, strings, text, Item};
use crate::import::legacy::{SeedException, SeedGroup, SeedSchedule};

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
        dependency: strings(item, "Dependency"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::AttributeValue;

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
