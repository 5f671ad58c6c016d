//! The crates' layers only point down, and no files form a cycle (issue
//! 26): checked on the sources as they are, with both kinds of path
//! (`crate::` and `super::`), by [`crate::ModuleGraph`]. Run on its own:
//! `cargo test -p curfew-testkit --lib layering`. And every source file is
//! named in docs/ARCHITECTURE.md, so the document stays true.

use crate::modules::sources;
use crate::ModuleGraph;
use std::path::{Path, PathBuf};

/// `shared`: values at the bottom, then resources, the schedule and its
/// timeline, reconciling and savings, the chat protocol (grammar, replies,
/// the fronts' wire types, jobs), and the ports the worker implements.
const SHARED: [(&str, u8); 20] = [
    ("value", 0),
    ("action", 0),
    ("front", 0),
    ("redacted", 0),
    ("holidays", 0),
    ("resource", 1),
    ("target", 1),
    ("schedule", 2),
    ("reconcile", 3),
    ("savings", 3),
    ("command", 4),
    ("reply", 4),
    ("jandi", 4),
    ("slack", 4),
    ("signing", 4),
    ("job", 4),
    ("ports", 5),
    ("lib", 6),
    ("main", 6),
    ("tests", 6),
];

/// `worker` (docs/ARCHITECTURE.md): commands may use the scheduler, which
/// may not use commands.
const WORKER: [(&str, u8); 14] = [
    ("limits", 0),
    ("error", 0),
    ("calendar", 0),
    ("adapters", 1),
    ("import", 1),
    ("config", 2),
    ("app", 3),
    ("every_pair", 3),
    ("scheduler", 4),
    ("commands", 5),
    ("handler", 6),
    ("front", 7),
    ("cli", 8),
    ("main", 9),
];

fn src(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

fn graph(krate: &str) -> ModuleGraph {
    let graph = ModuleGraph::read(&src(krate)).unwrap();
    assert!(graph.files().count() > 2, "read {krate}'s sources");
    graph
}

#[test]
fn no_files_form_a_cycle_in_any_crate() {
    for krate in ["shared", "worker", "worker/aws", "ingress", "testkit"] {
        let cycles = graph(krate).cycles();
        assert!(cycles.is_empty(), "{krate}: {cycles:#?}");
    }
}

#[test]
fn shareds_layers_only_point_down() {
    let graph = graph("shared");
    let unranked: Vec<&String> = graph
        .files()
        .filter(|f| {
            let top = f.split('/').next().unwrap_or(f).trim_end_matches(".rs");
            !SHARED.iter().any(|(m, _)| *m == top)
        })
        .collect();
    assert!(
        unranked.is_empty(),
        "give each module a layer: {unranked:?}"
    );
    let upward = graph.upward(&SHARED);
    assert!(upward.is_empty(), "{upward:#?}");
}

#[test]
fn the_workers_layers_only_point_down() {
    let upward = graph("worker").upward(&WORKER);
    assert!(upward.is_empty(), "{upward:#?}");
}

/// Every source file is named in docs/ARCHITECTURE.md (issue 26): by its
/// path from its crate's `src/` (`scheduler/act.rs`) or from the
/// repository (`worker/tests/it/main.rs`), or by a folder that holds it
/// (`adapters/`, `worker/tests/it/`), never by a whole crate or `src/`.
#[test]
fn every_source_file_is_named_in_the_architecture_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let named = |path: &str| doc.contains(&format!("`{path}"));
    let mut missing = Vec::new();
    for krate in ["shared", "worker", "ingress", "testkit"] {
        let mut files = Vec::new();
        sources(&root.join(krate), &mut files).unwrap();
        for file in files {
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let in_src = relative
                .strip_prefix(&format!("{krate}/src/"))
                .map(str::to_owned);
            let mut names = vec![relative.clone()];
            names.extend(in_src.clone());
            // Each folder on the way, from the repository and from `src/`.
            let folders = |path: &str| -> Vec<String> {
                let parts: Vec<&str> = path.split('/').collect();
                (1..parts.len())
                    .map(|n| {
                        format!(
                            "{}/",
                            parts.iter().take(n).copied().collect::<Vec<_>>().join("/")
                        )
                    })
                    .collect()
            };
            let roots = [format!("{krate}/"), format!("{krate}/src/")];
            names.extend(
                folders(&relative)
                    .into_iter()
                    .filter(|f| !roots.contains(f)),
            );
            names.extend(in_src.iter().flat_map(|p| folders(p)));
            if !names.iter().any(|name| named(name)) {
                missing.push(relative);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "name these in docs/ARCHITECTURE.md: {missing:#?}"
    );
}
