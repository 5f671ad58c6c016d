//! Targets (SPEC §5): the accounts and regions curfew schedules, and the
//! (target, region) pairs a tick fans out over.
//!
//! Without a `[[target]]` there is one pair, the worker's own account in
//! `AWS_REGION`, with no role to assume: today's single-account deployment
//! keeps working unchanged, with no STS call. Each `[[target]]` covers its
//! `regions` (default: `AWS_REGION`), assuming its `role` where it has one.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use thiserror::Error;

/// One `[[target]]` as written (and as stored and exported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    /// Shown in chat; part of the pair's key, so one word.
    pub name: String,
    /// Omitted: the worker's own region (`AWS_REGION`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// The role to assume (`arn:aws:iam::<account>:role/<name>`); omitted:
    /// the worker's own account and credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A problem in one target: which target, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("target {target:?}, {field}: {reason}")]
pub struct TargetError {
    pub target: String,
    pub field: &'static str,
    pub reason: String,
}

/// One (target, region) pair: the unit a tick reconciles in one job.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    /// The `[[target]]`'s name; empty for the implicit pair of a file
    /// without targets.
    pub target: String,
    pub region: String,
    /// The role to assume; `None`: the worker's own credentials.
    pub role: Option<String>,
}

/// The longest target name: it becomes part of FIFO group ids (128 at most).
const MAX_TARGET_NAME: usize = 40;

impl TargetDef {
    /// The account its role is in (`None`: no role, or not a role ARN).
    pub fn account(&self) -> Option<&str> {
        self.role.as_deref().and_then(|r| role_account(r).ok())
    }

    fn error(&self, field: &'static str, reason: impl Into<String>) -> TargetError {
        TargetError {
            target: self.name.clone(),
            field,
            reason: reason.into(),
        }
    }

    /// Every problem of this target's fields (not those across targets).
    fn problems(&self) -> Vec<TargetError> {
        let mut errors = Vec::new();
        if let Err(reason) = check_target_name(&self.name) {
            errors.push(self.error("name", reason));
        }
        let mut seen = HashSet::new();
        for region in &self.regions {
            if let Err(reason) = check_region(region) {
                errors.push(self.error("regions", reason));
            } else if !seen.insert(region.as_str()) {
                errors.push(self.error("regions", format!("{region} is listed twice")));
            }
        }
        if let Some(Err(reason)) = self.role.as_deref().map(role_account) {
            errors.push(self.error("role", reason));
        }
        errors
    }
}

/// Checks every target and the rules across them: unique names, and no
/// (account, region) covered twice (both pairs would act on the same
/// resources). `None` for the account is the worker's own.
pub fn validate_targets(targets: &[TargetDef]) -> Result<(), Vec<TargetError>> {
    let mut errors: Vec<TargetError> = targets.iter().flat_map(TargetDef::problems).collect();
    let mut names = HashSet::new();
    let mut covered: HashSet<(Option<&str>, &str)> = HashSet::new();
    for target in targets {
        if !names.insert(target.name.to_lowercase()) {
            errors.push(target.error("name", "the name is used by another target too"));
        }
        let account = target.account();
        // No regions: the worker's own, which two such targets share.
        // A region listed twice in one target is reported above, once.
        let regions: BTreeSet<&str> = if target.regions.is_empty() {
            BTreeSet::from(["AWS_REGION"])
        } else {
            target.regions.iter().map(String::as_str).collect()
        };
        for region in regions {
            if !covered.insert((account, region)) {
                let whose = account.map_or("the worker's own account".to_owned(), |a| {
                    format!("account {a}")
                });
                errors.push(target.error(
                    "regions",
                    format!("{whose} in {region} is covered by another target too: both would act on the same resources"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The pairs of `targets` (already validated), in file order; none: the
/// worker's own account in `default_region`. A target without regions
/// covers `default_region`.
pub fn pairs(targets: &[TargetDef], default_region: &str) -> Vec<Pair> {
    if targets.is_empty() {
        return vec![Pair {
            target: String::new(),
            region: default_region.to_owned(),
            role: None,
        }];
    }
    targets
        .iter()
        .flat_map(|target| {
            let regions = if target.regions.is_empty() {
                vec![default_region.to_owned()]
            } else {
                target.regions.clone()
            };
            regions.into_iter().map(|region| Pair {
                target: target.name.clone(),
                region,
                role: target.role.clone(),
            })
        })
        .collect()
}

impl Pair {
    /// The implicit pair of a deployment without targets.
    pub fn is_implicit(&self) -> bool {
        self.target.is_empty()
    }

    /// `target|region` (empty for the implicit pair): the pair job's
    /// message group and the suffix of its scheduler state's key.
    pub fn key(&self) -> String {
        if self.is_implicit() {
            String::new()
        } else {
            format!("{}|{}", self.target, self.region)
        }
    }

    /// The account the role is in, when there is a role.
    pub fn account(&self) -> Option<&str> {
        self.role.as_deref().and_then(|r| role_account(r).ok())
    }

    /// What chat shows beside a resource of this pair: nothing for the
    /// worker's own account in its own region, else `account/region`
    /// (the target's name stands in for an account reached without a role).
    pub fn label(&self, home_region: &str) -> Option<String> {
        match self.account() {
            None if self.region == home_region => None,
            _ => Some(self.place()),
        }
    }

    /// How chat names the pair when it speaks of the pair itself (it could
    /// not be reached, it answers again): `account/region`, or
    /// `target/region` for a target reached without a role.
    pub fn place(&self) -> String {
        if self.is_implicit() {
            return self.region.clone();
        }
        let whose = self.account().unwrap_or(&self.target);
        format!("{whose}/{}", self.region)
    }
}

/// A target name is part of keys (`target|region|T`) and FIFO group ids.
fn check_target_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if name.len() > MAX_TARGET_NAME {
        return Err(format!("must be at most {MAX_TARGET_NAME} characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err("may hold only letters, digits, '-', '_' and '.'".to_owned());
    }
    Ok(())
}

/// A region such as `ap-northeast-2` or `us-gov-west-1`: lowercase words
/// joined by '-', ending in a number.
fn check_region(region: &str) -> Result<(), String> {
    let parts: Vec<&str> = region.split('-').collect();
    let words = parts.len().saturating_sub(1);
    let shaped = parts.len() >= 3
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && parts
            .iter()
            .take(words)
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
    if shaped {
        Ok(())
    } else {
        Err(format!(
            "{region:?} is not an AWS region (such as ap-northeast-2)"
        ))
    }
}

/// The account of a role ARN `arn:<partition>:iam::<12 digits>:role/<name>`.
fn role_account(arn: &str) -> Result<&str, String> {
    let bad = || format!("{arn:?} is not a role ARN (arn:aws:iam::123456789012:role/curfew-spoke)");
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(bad());
    };
    let named = resource
        .strip_prefix("role/")
        .is_some_and(|name| !name.is_empty() && !name.ends_with('/'));
    if !partition.starts_with("aws")
        || account.len() != 12
        || !account.chars().all(|c| c.is_ascii_digit())
        || !named
    {
        return Err(bad());
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, regions: &[&str], role: Option<&str>) -> TargetDef {
        TargetDef {
            name: name.to_owned(),
            regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            role: role.map(str::to_owned),
        }
    }

    const ROLE: &str = "arn:aws:iam::123456789012:role/curfew-spoke";

    #[test]
    fn no_target_is_one_implicit_pair_in_the_workers_region() {
        let pairs = pairs(&[], "ap-northeast-2");
        assert_eq!(pairs.len(), 1);
        assert!(pairs[0].is_implicit());
        assert_eq!(pairs[0].key(), "");
        assert_eq!(pairs[0].label("ap-northeast-2"), None);
    }

    #[test]
    fn each_target_covers_its_regions_or_the_workers() {
        let targets = [
            target("dev", &[], None),
            target("stage", &["us-east-1", "eu-west-3"], Some(ROLE)),
        ];
        validate_targets(&targets).unwrap();
        let pairs = pairs(&targets, "ap-northeast-2");
        let keys: Vec<String> = pairs.iter().map(Pair::key).collect();
        assert_eq!(
            keys,
            ["dev|ap-northeast-2", "stage|us-east-1", "stage|eu-west-3"]
        );
        assert_eq!(pairs[0].label("ap-northeast-2"), None, "the home pair");
        assert_eq!(pairs[0].place(), "dev/ap-northeast-2");
        assert_eq!(
            pairs[1].label("ap-northeast-2").as_deref(),
            Some("123456789012/us-east-1")
        );
        assert_eq!(pairs[1].account(), Some("123456789012"));
    }

    #[test]
    fn bad_fields_are_named_with_their_reason() {
        let errors = validate_targets(&[target(
            "dev seoul",
            &["ap-northeast-2", "Seoul", "ap-northeast-2"],
            Some("arn:aws:iam::1234:role/x"),
        )])
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(text[0].starts_with("target \"dev seoul\", name: may hold only"));
        assert!(text[1].contains("\"Seoul\" is not an AWS region"));
        assert!(text[2].contains("ap-northeast-2 is listed twice"));
        assert!(text[3].contains("role: \"arn:aws:iam::1234:role/x\" is not a role ARN"));
    }

    #[test]
    fn a_role_arn_needs_twelve_digits_and_a_role_name() {
        assert_eq!(role_account(ROLE), Ok("123456789012"));
        assert_eq!(
            role_account("arn:aws-cn:iam::123456789012:role/path/curfew"),
            Ok("123456789012")
        );
        for bad in [
            "arn:aws:iam::123456789012:user/kim",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:sts::123456789012:role/x",
            "123456789012",
        ] {
            assert!(role_account(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn two_targets_on_one_account_and_region_are_refused() {
        let same = "arn:aws:iam::123456789012:role/other";
        let errors = validate_targets(&[
            target("a", &["us-east-1"], Some(ROLE)),
            target("A", &["us-east-1"], Some(same)),
        ])
        .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].to_string().contains("used by another target"));
        assert!(errors[1]
            .to_string()
            .contains("account 123456789012 in us-east-1 is covered by another target too"));
    }

    #[test]
    fn regions_are_aws_shaped() {
        for good in ["ap-northeast-2", "us-gov-west-1", "eu-central-1"] {
            assert!(check_region(good).is_ok(), "{good}");
        }
        for bad in ["", "seoul", "ap-northeast", "AP-NORTHEAST-2", "ap--2"] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }
}
