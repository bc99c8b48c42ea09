//! The shape of the code, checked: `src/core` reads bottom-up in five layers (a module imports
//! only from its own layer or below), no group of modules in `src/core` or `src/gui` imports
//! itself round a cycle, and the window's views import neither the app nor the worker.
//! `docs/ARCHITECTURE.md` draws the same map. Comments and `#[cfg(test)]` modules do not count.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layer of each module of `src/core` (longest prefix wins).
const CORE_LAYERS: &[(&str, u8)] = &[
    // 1. Leaf types and errors.
    ("core::clock", 1),
    ("core::account", 1),
    ("core::input", 1),
    ("core::files", 1),
    ("core::paths", 1),
    ("core::lock", 1),
    ("core::secrets", 1),
    ("core::pasted", 1),
    ("core::random", 1),
    ("core::expiry", 1),
    ("core::http::error", 1),
    ("core::keychain::error", 1),
    ("core::provider::error", 1),
    ("core::postman::error", 1),
    ("core::callback::error", 1),
    // 2. Storage and transport.
    ("core::config", 2),
    ("core::state", 2),
    ("core::keychain", 2),
    ("core::audit", 2),
    ("core::http", 2),
    ("core::error", 2),
    ("core::store", 2),
    // 3. Protocol clients.
    ("core::provider", 3),
    ("core::postman", 3),
    ("core::callback", 3),
    // 4. Operations.
    ("core::context", 4),
    ("core::status", 4),
    ("core::refresh", 4),
    ("core::check", 4),
    ("core::revoke", 4),
    ("core::accounts", 4),
    ("core::authorize", 4),
    ("core::binding", 4),
    ("core::sync", 4),
    ("core::token_format", 4),
    ("core::endpoint", 4),
    // 5. The facade.
    ("core::renova", 5),
    ("core::autopass", 5),
];

/// Modules of `src/gui` that draw: they may not know the app or the worker.
const VIEWS: &[&str] = &[
    "gui::view",
    "gui::dialog",
    "gui::settings",
    "gui::authorize",
    "gui::toast",
];

/// A module of the crate and the modules it refers to.
#[derive(Debug, Default)]
struct Module {
    file: String,
    uses: BTreeSet<String>,
}

/// The module path of a source file: `src/core/provider/error.rs` → `core::provider::error`.
fn module_path(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts.join("::")
}

/// Source text without comments, string and char literals, and without the `#[cfg(test)]`
/// module at the end of a file.
fn code_only(text: &str) -> String {
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
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !is_ident(out.chars().last())
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
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
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('x', '\n'); a lifetime ('a) is left alone.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    match out.find("#[cfg(test)]\nmod tests") {
        Some(at) => out[..at].to_owned(),
        None => out,
    }
}

fn is_ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Every path the code names: `crate::a::b`, `crate::a::{b, c::d}`, `super::x`, `self::x`, and
/// paths that start with one of the file's own child modules.
fn referenced_paths(code: &str, module: &str, children: &BTreeSet<String>) -> BTreeSet<String> {
    let tokens = tokenize(code);
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < tokens.len() {
        let start = tokens[i].as_str();
        let prev_is_sep = i > 0 && tokens[i - 1] == "::";
        let base: Option<Vec<String>> = match start {
            "crate" if !prev_is_sep => Some(Vec::new()),
            "super" if !prev_is_sep => {
                let mut p: Vec<String> = module.split("::").map(str::to_owned).collect();
                p.pop();
                Some(p)
            }
            "self" if !prev_is_sep && tokens.get(i + 1).is_some_and(|t| t == "::") => {
                Some(module.split("::").map(str::to_owned).collect())
            }
            child
                if !prev_is_sep
                    && children.contains(child)
                    && tokens.get(i + 1).is_some_and(|t| t == "::") =>
            {
                let mut p: Vec<String> = module.split("::").map(str::to_owned).collect();
                p.push(child.to_owned());
                i += 1;
                collect(&tokens, &mut i, p.clone(), &mut out);
                out.insert(p.join("::"));
                continue;
            }
            _ => None,
        };
        i += 1;
        if let Some(base) = base {
            collect(&tokens, &mut i, base, &mut out);
        }
    }
    out
}

/// Reads `::seg::seg…` or `::{…}` after a path start, adding each full path to `out`.
fn collect(tokens: &[String], i: &mut usize, mut path: Vec<String>, out: &mut BTreeSet<String>) {
    while *i < tokens.len() && tokens[*i] == "::" {
        *i += 1;
        match tokens.get(*i).map(String::as_str) {
            Some("{") => {
                *i += 1;
                loop {
                    match tokens.get(*i).map(String::as_str) {
                        None => return,
                        Some("}") => {
                            *i += 1;
                            return;
                        }
                        Some(",") => *i += 1,
                        Some(t) if is_ident(t.chars().next()) => {
                            let mut inner = path.clone();
                            if t != "self" {
                                inner.push(t.to_owned());
                            }
                            *i += 1;
                            collect(tokens, i, inner.clone(), out);
                            out.insert(inner.join("::"));
                        }
                        Some(_) => *i += 1,
                    }
                }
            }
            Some(t) if is_ident(t.chars().next()) => {
                path.push(t.to_owned());
                *i += 1;
            }
            _ => break,
        }
    }
    out.insert(path.join("::"));
}

fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_owned());
            i += 2;
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    tokens
}

/// Reads every module under `src/`.
fn read_modules(root: &Path) -> BTreeMap<String, Module> {
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    let names: BTreeSet<String> = files
        .iter()
        .map(|f| module_path(f.strip_prefix(root.join("src")).unwrap()))
        .collect();
    let mut modules = BTreeMap::new();
    for file in files {
        let module = module_path(file.strip_prefix(root.join("src")).unwrap());
        let text = std::fs::read_to_string(&file).unwrap();
        let children: BTreeSet<String> = names
            .iter()
            .filter_map(|n| n.strip_prefix(&format!("{module}::")))
            .filter(|rest| !rest.contains("::"))
            .map(str::to_owned)
            .collect();
        let uses = referenced_paths(&code_only(&text), &module, &children)
            .into_iter()
            .filter_map(|p| resolve(&p, &names))
            .filter(|m| *m != module)
            .collect();
        modules.insert(
            module,
            Module {
                file: file.display().to_string(),
                uses,
            },
        );
    }
    modules
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a path names: its longest prefix that is a module of the crate.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|p| modules.contains(p))
}

fn core_layer(module: &str) -> Option<u8> {
    CORE_LAYERS
        .iter()
        .filter(|(prefix, _)| module == *prefix || module.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, layer)| *layer)
}

/// The unit a module belongs to for the cycle check: its top-level module under `core` or
/// `gui` (a folder module and its files are one unit; the root `mod.rs` is one too), except
/// that a leaf error type is a unit of its own.
fn unit(module: &str) -> Option<String> {
    let parts: Vec<&str> = module.split("::").collect();
    match parts.as_slice() {
        ["core", m, "error"] => Some(format!("core::{m}::error")),
        [top @ ("core" | "gui"), m, ..] => Some(format!("{top}::{m}")),
        [top @ ("core" | "gui")] => Some((*top).to_owned()),
        _ => None,
    }
}

/// The layer violations: `module (layer) -> used (layer)`.
fn layer_violations(modules: &BTreeMap<String, Module>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, m) in modules {
        let Some(own) = core_layer(name) else {
            continue;
        };
        for used in &m.uses {
            if let Some(theirs) = core_layer(used)
                && theirs > own
            {
                out.push(format!(
                    "{name} (layer {own}) imports {used} (layer {theirs}), in {}",
                    m.file
                ));
            }
        }
    }
    out
}

/// Groups of units that import each other round a cycle (Tarjan's algorithm).
fn cycles(modules: &BTreeMap<String, Module>, top: &str) -> Vec<Vec<String>> {
    let within = |u: &String| u.starts_with(top) || format!("{u}::") == top;
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, m) in modules {
        let Some(from) = unit(name).filter(within) else {
            continue;
        };
        let entry = edges.entry(from.clone()).or_default();
        for used in &m.uses {
            if let Some(to) = unit(used).filter(|u| within(u) && *u != from) {
                entry.insert(to);
            }
        }
    }
    struct Tarjan<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: &str) {
            self.index.insert(v.to_owned(), self.next);
            self.low.insert(v.to_owned(), self.next);
            self.next += 1;
            self.stack.push(v.to_owned());
            self.on_stack.insert(v.to_owned());
            for w in self.edges.get(v).cloned().unwrap_or_default() {
                if !self.index.contains_key(&w) {
                    self.visit(&w);
                    let low = self.low[v].min(self.low[&w]);
                    self.low.insert(v.to_owned(), low);
                } else if self.on_stack.contains(&w) {
                    let low = self.low[v].min(self.index[&w]);
                    self.low.insert(v.to_owned(), low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(&w);
                    let done = w == v;
                    group.push(w);
                    if done {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.found
}

fn view_violations(modules: &BTreeMap<String, Module>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, m) in modules {
        let is_view = VIEWS
            .iter()
            .any(|v| name == v || name.starts_with(&format!("{v}::")));
        if !is_view {
            continue;
        }
        for used in &m.uses {
            if ["gui::app", "gui::worker"]
                .iter()
                .any(|f| used == f || used.starts_with(&format!("{f}::")))
            {
                out.push(format!("the view {name} imports {used}, in {}", m.file));
            }
        }
    }
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_core_module_has_a_layer() {
    let modules = read_modules(root());
    let missing: Vec<&String> = modules
        .keys()
        .filter(|m| m.starts_with("core::") && core_layer(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "give these modules a layer in tests/layers.rs and docs/ARCHITECTURE.md: {missing:?}"
    );
}

#[test]
fn core_modules_import_only_from_their_layer_or_below() {
    let violations = layer_violations(&read_modules(root()));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn neither_core_nor_gui_has_an_import_cycle() {
    let modules = read_modules(root());
    for top in ["core::", "gui::"] {
        let found = cycles(&modules, top);
        assert!(found.is_empty(), "import cycles in {top}: {found:?}");
    }
}

#[test]
fn views_import_neither_the_app_nor_the_worker() {
    let violations = view_violations(&read_modules(root()));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// What each top-level part may not import: the core and the platform ports serve the
/// front-ends and know none of them; the agent runs without the window; the window and the
/// agent are not the command line (the window only controls the agent, through
/// `agent::control`).
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("core", &["gui", "cli", "agent", "platform", "i18n"]),
    ("platform", &["gui", "cli", "agent"]),
    ("agent", &["gui", "cli"]),
    (
        "gui",
        &["cli", "agent::engine", "agent::tray", "agent::watch"],
    ),
];

fn front_end_violations(modules: &BTreeMap<String, Module>) -> Vec<String> {
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    let mut out = Vec::new();
    for (name, module) in modules {
        let Some((_, banned)) = FORBIDDEN.iter().find(|(part, _)| top(name) == *part) else {
            continue;
        };
        for used in &module.uses {
            let hit = banned
                .iter()
                .any(|b| top(used) == *b || used == b || used.starts_with(&format!("{b}::")));
            if hit {
                out.push(format!("{} ({name}) imports {used}", module.file));
            }
        }
    }
    out
}

#[test]
fn the_core_and_the_agent_know_no_front_end_they_do_not_need() {
    let violations = front_end_violations(&read_modules(root()));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The checks above catch what they are meant to catch.
mod the_checker {
    use super::*;

    fn modules(files: &[(&str, &str)]) -> BTreeMap<String, Module> {
        let names: BTreeSet<String> = files.iter().map(|(m, _)| (*m).to_owned()).collect();
        files
            .iter()
            .map(|(name, text)| {
                let children: BTreeSet<String> = names
                    .iter()
                    .filter_map(|n| n.strip_prefix(&format!("{name}::")))
                    .filter(|rest| !rest.contains("::"))
                    .map(str::to_owned)
                    .collect();
                let uses = referenced_paths(&code_only(text), name, &children)
                    .into_iter()
                    .filter_map(|p| resolve(&p, &names))
                    .filter(|m| m != name)
                    .collect();
                (
                    (*name).to_owned(),
                    Module {
                        file: format!("{name}.rs"),
                        uses,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn an_upward_import_is_found() {
        let m = modules(&[
            ("core::config", "use crate::core::renova::Renova;\n"),
            ("core::renova", "use crate::core::config::Config;\n"),
        ]);
        let v = layer_violations(&m);
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].contains("core::config (layer 2) imports core::renova (layer 5)"));
    }

    #[test]
    fn an_agent_that_reaches_for_the_window_is_found() {
        let m = modules(&[
            ("agent::engine", "use crate::gui::app::RenovaApp;\n"),
            (
                "gui::app",
                "use crate::platform::clipboard::ClipboardHandle;\n",
            ),
            ("platform::clipboard", ""),
        ]);
        let v = front_end_violations(&m);
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].contains("(agent::engine) imports gui::app"), "{v:?}");
    }

    #[test]
    fn grouped_super_and_child_imports_are_read() {
        let m = modules(&[
            ("core::keychain::error", "use super::Keychain;\n"),
            (
                "core::keychain",
                "pub mod error;\npub use error::KeychainError;\n",
            ),
            (
                "core::lock",
                "use crate::core::{files::IoError, store::{Store}};\n",
            ),
            ("core::files", ""),
            ("core::store", ""),
        ]);
        assert!(m["core::keychain::error"].uses.contains("core::keychain"));
        assert!(m["core::keychain"].uses.contains("core::keychain::error"));
        assert!(m["core::lock"].uses.contains("core::store"));
        assert_eq!(layer_violations(&m).len(), 2);
    }

    #[test]
    fn comments_strings_and_tests_do_not_count() {
        let m = modules(&[
            (
                "core::clock",
                "//! See [`crate::core::renova::Renova`].\n\
                 const URL: &str = \"crate::core::renova\";\n\
                 /* crate::core::store */\n\
                 #[cfg(test)]\nmod tests {\n    use crate::core::renova::Renova;\n}\n",
            ),
            ("core::renova", ""),
            ("core::store", ""),
        ]);
        assert!(
            m["core::clock"].uses.is_empty(),
            "{:?}",
            m["core::clock"].uses
        );
    }

    #[test]
    fn a_cycle_is_found_and_a_leaf_error_breaks_none() {
        let m = modules(&[
            ("gui::app", "use crate::gui::view::card;\n"),
            ("gui::view", "use crate::gui::app::RenovaApp;\n"),
            (
                "core::error",
                "use crate::core::callback::error::AuthorizeError;\n",
            ),
            ("core::callback", "use crate::core::error::Error;\n"),
            ("core::callback::error", ""),
        ]);
        assert_eq!(
            cycles(&m, "gui::"),
            [vec!["gui::app".to_owned(), "gui::view".to_owned()]]
        );
        assert!(cycles(&m, "core::").is_empty());
        assert_eq!(view_violations(&m).len(), 1);
    }
}
