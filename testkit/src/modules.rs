//! A crate's sources as a graph of files (issue 26): which file uses which,
//! read from the `crate::`, `super::` and `self::` paths in its code (in
//! `use` trees and inline), each resolved to the file that defines what it
//! names, through the `use` declarations of the modules on the way (so
//! `super::Instance`, re-exported by the parent from `resource.rs`, is an
//! edge to `resource.rs`, not to the parent). Comments, string literals and
//! inline `#[cfg(test)]` modules are left out. A parent reaching into its
//! own submodule by its bare name (`capacity::record`) is the parent's own
//! structure and is not an edge.
//!
//! The crates' tests use it to check that their layers only point down and
//! that no files form a cycle.
// A scanner of source text: each index is one its own loop just found
// (a match, a bracket, a key read from the same map).
#![allow(clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One crate's files and the edges between them, by path relative to `src/`.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    /// Module path (`["reconcile", "caught"]`) → file.
    modules: BTreeMap<Vec<String>, String>,
    /// File → its code with comments, strings and inline tests removed.
    code: BTreeMap<String, String>,
    /// File → the files it uses.
    pub edges: BTreeMap<String, BTreeSet<String>>,
}

impl ModuleGraph {
    /// Reads every `.rs` file under `src`.
    pub fn read(src: &Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        sources(src, &mut files)?;
        let mut graph = Self::default();
        for file in &files {
            let relative = file
                .strip_prefix(src)
                .unwrap_or(file)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(file)?;
            // A binary's `main.rs` beside a `lib.rs` is a crate of its own.
            let module = if relative == "main.rs" && src.join("lib.rs").exists() {
                vec!["<main>".to_owned()]
            } else {
                module_path(&relative)
            };
            graph.modules.insert(module, relative.clone());
            graph.code.insert(relative, code_of(&text));
        }
        let files: Vec<String> = graph.code.keys().cloned().collect();
        let by_file: BTreeMap<String, Vec<String>> = graph
            .modules
            .iter()
            .map(|(module, file)| (file.clone(), module.clone()))
            .collect();
        for file in files {
            let module = by_file[&file].clone();
            let mut used = BTreeSet::new();
            for path in paths_in(&graph.code[&file]) {
                if let Some(absolute) = absolute(&module, &path) {
                    if let Some(target) = graph.resolve(&absolute, 0) {
                        if target != file {
                            used.insert(target);
                        }
                    }
                }
            }
            graph.edges.insert(file, used);
        }
        Ok(graph)
    }

    /// The files, by path relative to `src/`.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.code.keys()
    }

    /// The edges that point up: from a file whose top-level module has a
    /// lower rank than the one it uses (`ranks`: module → rank; a module
    /// not listed is not checked), as `from -> to` lines.
    pub fn upward(&self, ranks: &[(&str, u8)]) -> Vec<String> {
        let rank = |file: &str| {
            let top = file
                .split('/')
                .next()
                .unwrap_or(file)
                .trim_end_matches(".rs");
            ranks.iter().find(|(m, _)| *m == top).map(|(_, r)| *r)
        };
        let mut upward = Vec::new();
        for (file, used) in &self.edges {
            let Some(own) = rank(file) else { continue };
            for target in used {
                if rank(target).is_some_and(|r| r > own) {
                    upward.push(format!("{file} -> {target}"));
                }
            }
        }
        upward
    }

    /// The cycles: each set of two or more files that reach each other
    /// (Tarjan's strongly connected components), each sorted.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let mut tarjan = Tarjan {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            next: 0,
            found: Vec::new(),
        };
        for file in self.code.keys() {
            if !tarjan.index.contains_key(file.as_str()) {
                tarjan.visit(file);
            }
        }
        tarjan.found
    }

    /// The file that defines what `path` (absolute, from the crate root)
    /// names.
    fn resolve(&self, path: &[String], depth: usize) -> Option<String> {
        let split = (0..=path.len())
            .rev()
            .find(|n| self.modules.contains_key(&path[..*n]))?;
        let (module, rest) = path.split_at(split);
        let file = self.modules.get(module)?;
        let Some(name) = rest.first() else {
            return Some(file.clone());
        };
        if depth < 8 && !defines(&self.code[file], name) {
            for source in uses_naming(&self.code[file], name) {
                let Some(mut absolute) = absolute(module, &source) else {
                    continue;
                };
                absolute.extend(rest.iter().skip(1).cloned());
                if let Some(found) = self.resolve(&absolute, depth + 1) {
                    return Some(found);
                }
            }
        }
        Some(file.clone())
    }
}

struct Tarjan<'g> {
    graph: &'g ModuleGraph,
    index: BTreeMap<&'g str, usize>,
    low: BTreeMap<&'g str, usize>,
    stack: Vec<&'g str>,
    on_stack: BTreeSet<&'g str>,
    next: usize,
    found: Vec<Vec<String>>,
}

impl<'g> Tarjan<'g> {
    fn visit(&mut self, file: &'g str) {
        self.index.insert(file, self.next);
        self.low.insert(file, self.next);
        self.next += 1;
        self.stack.push(file);
        self.on_stack.insert(file);
        for next in self.graph.edges.get(file).into_iter().flatten() {
            let next = next.as_str();
            if !self.index.contains_key(next) {
                self.visit(next);
                let low = self.low[file].min(self.low[next]);
                self.low.insert(file, low);
            } else if self.on_stack.contains(next) {
                let low = self.low[file].min(self.index[next]);
                self.low.insert(file, low);
            }
        }
        if self.low[file] == self.index[file] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack.remove(top);
                component.push(top.to_owned());
                if top == file {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                self.found.push(component);
            }
        }
    }
}

/// Every `.rs` file under `dir`.
pub(crate) fn sources(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    Ok(())
}

/// `reconcile/caught.rs` → `["reconcile", "caught"]`; `lib.rs`, `main.rs`
/// and `x/mod.rs` are their folder's module.
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) {
        parts.pop();
    }
    if parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main") {
        parts.clear();
    }
    parts
}

/// `path` (`crate::a::b`, `super::c`, `self::d`, or bare `e::f` inside a
/// `use` of `module`) from the crate root; `None` for another crate's.
fn absolute(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Whether `code` defines `name` itself (an item or an inline module).
fn defines(code: &str, name: &str) -> bool {
    let words: Vec<&str> = code.split(|c: char| !is_ident(c)).collect();
    words.windows(2).any(|w| {
        w[1] == name
            && matches!(
                w[0],
                "struct" | "enum" | "fn" | "trait" | "type" | "const" | "static" | "mod" | "union"
            )
    }) || code.contains(&format!("macro_rules! {name}"))
}

/// The sources of the `use` declarations in `code` that bring `name` into
/// scope: a `use a::b::Name` (or `as Name`) gives `a::b::Name`, a glob
/// `use a::*` gives `a::Name`.
fn uses_naming(code: &str, name: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for tree in use_trees(code) {
        for (path, alias) in expand(&tree) {
            if path.last().map(String::as_str) == Some("*") {
                let mut glob = path[..path.len() - 1].to_vec();
                glob.push(name.to_owned());
                found.push(glob);
            } else if alias == name {
                found.push(path);
            }
        }
    }
    found
}

/// Every path of this crate named in `code`: each `use` tree expanded, and
/// each inline `crate::` / `super::` / `self::` path.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    // A glob names its module (`use super::*` uses the parent).
    let mut paths: Vec<Vec<String>> = use_trees(code)
        .iter()
        .flat_map(|tree| expand(tree))
        .map(|(mut path, _)| {
            if path.last().map(String::as_str) == Some("*") {
                path.pop();
            }
            path
        })
        .filter(|path| {
            matches!(
                path.first().map(String::as_str),
                Some("crate" | "super" | "self")
            )
        })
        .collect();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(start) {
            if at > 0 && (is_ident(bytes[at - 1] as char) || bytes[at - 1] == b':') {
                continue;
            }
            let path = path_at(&code[at..]);
            if path.len() > 1 {
                paths.push(path);
            }
        }
    }
    paths
}

/// The path `text` begins with: names joined by `::`.
fn path_at(text: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut rest = text;
    loop {
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        path.push(name);
        match rest.strip_prefix("::") {
            Some(more) => rest = more,
            None => break,
        }
    }
    path
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The trees of the `use` declarations in `code`, without `use` and `;`.
fn use_trees(code: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut trees = Vec::new();
    for (at, _) in code.match_indices("use ") {
        if at > 0 && is_ident(bytes[at - 1] as char) {
            continue;
        }
        if let Some(end) = code[at..].find(';') {
            trees.push(code[at + 4..at + end].trim().to_owned());
        }
    }
    trees
}

/// A `use` tree's paths, each with the name it brings in:
/// `a::{b::C, d as e, f::*}` → `a::b::C` (C), `a::d` (e), `a::f::*` (*).
fn expand(tree: &str) -> Vec<(Vec<String>, String)> {
    let tree: String = tree
        .chars()
        .filter(|c| !c.is_whitespace() || *c == ' ')
        .collect();
    let mut out = Vec::new();
    expand_into(tree.trim().trim_start_matches("::"), &[], &mut out);
    out
}

fn expand_into(tree: &str, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let mut base = prefix.to_vec();
        base.extend(
            head.split("::")
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_owned()),
        );
        let inner = tree[open + 1..].trim_end().trim_end_matches('}');
        for part in split_top(inner) {
            if part.trim() == "self" {
                let name = base.last().cloned().unwrap_or_default();
                out.push((base.clone(), name));
            } else if !part.trim().is_empty() {
                expand_into(part, &base, out);
            }
        }
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((path, alias)) => (path.trim(), Some(alias.trim().to_owned())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(
        path.split("::")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
    );
    let name = alias.unwrap_or_else(|| full.last().cloned().unwrap_or_default());
    out.push((full, name));
}

/// `a, b::{c, d}, e` → its top-level parts.
fn split_top(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

/// `text` without comments, string and char literals, and inline
/// `#[cfg(test)] mod x { ... }` blocks.
fn code_of(text: &str) -> String {
    let stripped = strip_literals(text);
    let mut code = String::with_capacity(stripped.len());
    let mut rest = stripped.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        code.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let mut trimmed = after.trim_start();
        // Further attributes (`#[allow(...)]`) before the item.
        while trimmed.starts_with("#[") {
            let end = trimmed.find(']').map_or(trimmed.len(), |i| i + 1);
            trimmed = trimmed[end..].trim_start();
        }
        let inline_mod = trimmed.starts_with("mod ")
            && trimmed
                .find(['{', ';'])
                .is_some_and(|i| trimmed.as_bytes()[i] == b'{');
        if !inline_mod {
            rest = after;
            continue;
        }
        let open = after.find('{').unwrap_or(0);
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    code.push_str(rest);
    code
}

/// Comments and the insides of string and char literals blanked out.
fn strip_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && matches!(next, Some('#' | '"')) && !prev_ident(&chars, i) {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let closing: Vec<char> = closing.chars().collect();
            while j < chars.len() && !chars[j..].starts_with(&closing) {
                j += 1;
            }
            out.push_str("\"\"");
            i = j + closing.len();
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' && char_literal_end(&chars, i).is_some() {
            out.push_str("' '");
            i = char_literal_end(&chars, i).unwrap_or(i) + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_ident(chars: &[char], i: usize) -> bool {
    i > 0 && is_ident(chars[i - 1])
}

/// Where a char literal opened at `i` closes (`'a'`, `'\n'`, `'\u{1F600}'`),
/// or `None` for a lifetime.
fn char_literal_end(chars: &[char], i: usize) -> Option<usize> {
    match chars.get(i + 1)? {
        '\\' => (i + 3..(i + 12).min(chars.len())).find(|j| chars[*j] == '\''),
        _ => (chars.get(i + 2) == Some(&'\'')).then_some(i + 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The graph of `files` written to a folder of this test's own (tests
    /// run side by side).
    fn graph(files: &[(&str, &str)]) -> ModuleGraph {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("curfew-modules-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let graph = ModuleGraph::read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        graph
    }

    fn edges(graph: &ModuleGraph, file: &str) -> Vec<String> {
        graph.edges[file].iter().cloned().collect()
    }

    #[test]
    fn paths_resolve_through_the_uses_of_the_modules_on_the_way() {
        let g = graph(&[
            ("lib.rs", "mod a; mod b; pub use b::Thing;\n"),
            ("a/mod.rs", "mod child;\npub use crate::b::Other;\npub struct Own;\n"),
            ("a/child.rs", "use super::{Own, Other};\nfn f() { crate::Thing; }\n"),
            ("b.rs", "pub struct Thing; pub struct Other;\n// crate::a::Own in a comment\nconst S: &str = \"crate::a::Own\";\n"),
        ]);
        assert_eq!(edges(&g, "a/child.rs"), ["a/mod.rs", "b.rs"]);
        assert!(
            edges(&g, "b.rs").is_empty(),
            "comments and strings are no edges"
        );
        assert!(g.cycles().is_empty());
    }

    #[test]
    fn an_edge_from_a_lower_layer_to_a_higher_one_points_up() {
        let g = graph(&[
            ("lib.rs", "mod low; mod high; mod free;\n"),
            ("low/mod.rs", "mod part;\npub struct L;\n"),
            ("low/part.rs", "use crate::high::H; use super::L;\n"),
            ("high.rs", "use crate::low::L; pub struct H;\n"),
            ("free.rs", "use crate::high::H;\n"),
        ]);
        let ranks = [("low", 0), ("high", 1)];
        assert_eq!(g.upward(&ranks), ["low/part.rs -> high.rs"]);
    }

    #[test]
    fn a_cycle_of_files_is_found_and_a_parent_using_its_child_by_name_is_not_one() {
        let g = graph(&[
            ("lib.rs", "mod x; mod y; mod p;\n"),
            ("x.rs", "use crate::y::Y; pub struct X;\n"),
            ("y.rs", "use super::x::{self, X}; pub struct Y;\n"),
            ("p/mod.rs", "mod c; pub struct P; fn f() { c::g(); }\n#[cfg(test)]\nmod tests { use crate::x::X; }\n"),
            ("p/c.rs", "use super::P; pub fn g() {}\n"),
        ]);
        assert_eq!(g.cycles(), [vec!["x.rs".to_owned(), "y.rs".to_owned()]]);
        assert!(
            edges(&g, "p/mod.rs").is_empty(),
            "inline tests are left out"
        );
    }
}
