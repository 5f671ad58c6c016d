//! curfew's worker: the job handler and the operator CLI (SPEC §9), in
//! layers that only point down (docs/ARCHITECTURE.md):
//!
//! ```text
//! adapters   DynamoDB, EC2 / RDS, JANDI, the SDK configuration
//! limits, error, config
//! app        the bundle every job takes (adapters + config + notifier)
//! commands   the chat commands        scheduler  ticks and reconciles
//! handler    one queue message in, a verdict out
//! front      Lambda's SQS batch, the long-polling worker
//! cli        `curfew ...` (clap, anyhow and the chat console live here)
//! ```
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod adapters;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod every_pair;
pub mod front;
pub mod handler;
pub mod limits;
pub mod scheduler;

/// The worker on the ports' in-memory fakes, for the unit tests.
#[cfg(test)]
mod fakes;

/// The layers only point down: no module imports one of a higher layer
/// (commands may use the scheduler, which may not use commands).
#[cfg(test)]
mod layers {
    const RANKS: [(&str, u8); 11] = [
        ("limits", 0),
        ("error", 0),
        ("adapters", 1),
        ("config", 2),
        ("app", 3),
        ("every_pair", 3),
        ("scheduler", 4),
        ("commands", 5),
        ("handler", 6),
        ("front", 7),
        ("cli", 8),
    ];

    fn rank(module: &str) -> Option<u8> {
        RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
    }

    fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    #[test]
    fn no_module_imports_a_layer_above_its_own() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
        let mut files = Vec::new();
        sources(root, &mut files);
        let mut upward = Vec::new();
        for file in &files {
            let relative = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let own = relative.split('/').next().unwrap().trim_end_matches(".rs");
            let Some(own_rank) = rank(own) else { continue };
            let text = std::fs::read_to_string(file).unwrap();
            for (at, _) in text.match_indices("crate::") {
                let used: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if rank(&used).is_some_and(|r| r > own_rank) && used != own {
                    upward.push(format!("{relative} uses crate::{used}"));
                }
            }
        }
        assert!(files.len() > 20, "read the sources: {}", files.len());
        assert!(upward.is_empty(), "{upward:#?}");
    }
}
