//! The shape of the code, checked: `src/core` reads bottom-up in five layers (a module imports
//! only from its own layer or below), no group of modules in `src/core` or `src/gui` imports
//! itself round a cycle, and the window's views import neither the app nor the worker.
//! `docs/ARCHITECTURE.md` draws the same map. Comments and `#[cfg(test)]` modules do not count.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod source;
use source::{code_only, is_ident, module_path, tokenize, walk};

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
    ("core::stopping", 1),
    ("core::throttle", 1),
    ("core::expiry", 1),
    ("core::http::error", 1),
    ("core::keychain::error", 1),
    ("core::provider::error", 1),
    ("core::postman::error", 1),
    ("core::postman::sharing", 1),
    ("core::callback::error", 1),
    ("core::assistants::error", 1),
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
    ("core::assistants", 4),
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

/// What each module re-exports (`pub use`, `pub(crate) use`…): the name it is known by there,
/// and the path it stands for.
type Reexports = BTreeMap<String, BTreeMap<String, String>>;

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

/// The names a module re-exports and the paths they stand for: every `pub … use` tree, its
/// aliases (`as`) and groups read (a glob re-export is not used in this code and not read).
fn reexports_of(code: &str, module: &str, children: &BTreeSet<String>) -> BTreeMap<String, String> {
    let tokens = tokenize(code);
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] != "pub" {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t == "(") {
            while j < tokens.len() && tokens[j] != ")" {
                j += 1;
            }
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| t == "use") {
            j += 1;
            let base = use_base(&tokens, &mut j, module, children);
            use_tree(&tokens, &mut j, base, &mut out);
        }
        i = j.max(i + 1);
    }
    out
}

/// Where a use path starts: `crate`, `super`, `self`, or a child module of `module`.
fn use_base(
    tokens: &[String],
    j: &mut usize,
    module: &str,
    children: &BTreeSet<String>,
) -> Vec<String> {
    let here: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match tokens.get(*j).map(String::as_str) {
        Some("crate") => {
            *j += 1;
            Vec::new()
        }
        Some("super") => {
            *j += 1;
            let mut p = here;
            p.pop();
            p
        }
        Some("self") => {
            *j += 1;
            here
        }
        Some(child) if children.contains(child) => here,
        // An external crate's path: nothing of this crate.
        _ => vec!["<extern>".to_owned()],
    }
}

/// Reads one use tree (`a::b`, `a::b as c`, `a::{b, c::d}`) into `out`: visible name → path.
fn use_tree(
    tokens: &[String],
    j: &mut usize,
    mut path: Vec<String>,
    out: &mut BTreeMap<String, String>,
) {
    loop {
        if tokens.get(*j).is_some_and(|t| t == "::") {
            *j += 1;
        }
        match tokens.get(*j).map(String::as_str) {
            Some("{") => {
                *j += 1;
                while let Some(t) = tokens.get(*j).map(String::as_str) {
                    match t {
                        "}" => {
                            *j += 1;
                            return;
                        }
                        "," => *j += 1,
                        _ => use_tree(tokens, j, path.clone(), out),
                    }
                }
                return;
            }
            Some(t) if is_ident(t.chars().next()) => {
                path.push(t.to_owned());
                *j += 1;
                if tokens.get(*j).is_some_and(|t| t == "::") {
                    continue;
                }
                let mut name = t.to_owned();
                if tokens.get(*j).is_some_and(|t| t == "as") {
                    name = tokens.get(*j + 1).cloned().unwrap_or_default();
                    *j += 2;
                }
                if name == "self" {
                    path.pop();
                    name = path.last().cloned().unwrap_or_default();
                }
                if path.first().is_none_or(|p| p != "<extern>") {
                    out.insert(name, path.join("::"));
                }
                return;
            }
            _ => return,
        }
    }
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

/// Reads every module under `src/` (the binary's `main.rs` aside).
fn read_modules(root: &Path) -> BTreeMap<String, Module> {
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    let sources: Vec<(String, String)> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|f| {
            (
                module_path(f.strip_prefix(root.join("src")).unwrap()),
                std::fs::read_to_string(f).unwrap(),
            )
        })
        .collect();
    let sources: Vec<(&str, &str)> = sources
        .iter()
        .map(|(m, t)| (m.as_str(), t.as_str()))
        .collect();
    let mut modules = analyse(&sources);
    for (file, (name, _)) in files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .zip(&sources)
    {
        if let Some(m) = modules.get_mut(*name) {
            m.file = file.display().to_string();
        }
    }
    modules
}

/// Each module's uses, resolved through re-exports to the module that defines what is named.
fn analyse(sources: &[(&str, &str)]) -> BTreeMap<String, Module> {
    let names: BTreeSet<String> = sources.iter().map(|(m, _)| (*m).to_owned()).collect();
    let children = |module: &str| -> BTreeSet<String> {
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}::")
        };
        names
            .iter()
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter(|rest| !rest.is_empty() && !rest.contains("::"))
            .map(str::to_owned)
            .collect()
    };
    let reexports: Reexports = sources
        .iter()
        .map(|(m, text)| {
            (
                (*m).to_owned(),
                reexports_of(&code_only(text), m, &children(m)),
            )
        })
        .collect();
    sources
        .iter()
        .map(|(module, text)| {
            let uses = referenced_paths(&code_only(text), module, &children(module))
                .into_iter()
                .filter_map(|p| resolve(&p, &names, &reexports))
                .filter(|m| m != module)
                .collect();
            let file = format!("src/{}.rs", module.replace("::", "/"));
            ((*module).to_owned(), Module { file, uses })
        })
        .collect()
}

/// The module a path names: its longest prefix that is a module of the crate — or, when what
/// follows that prefix is a name the module re-exports, the module the re-export names (so
/// `crate::agent::Wake` is `agent::engine`, where `Wake` lives).
fn resolve(path: &str, modules: &BTreeSet<String>, reexports: &Reexports) -> Option<String> {
    let mut path = path.to_owned();
    // Re-exports of re-exports, a few deep at most.
    for _ in 0..8 {
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        let found = (0..=parts.len())
            .rev()
            .map(|n| (n, parts[..n].join("::")))
            .find(|(_, p)| modules.contains(p));
        let (n, module) = found?;
        let named = parts
            .get(n)
            .and_then(|next| reexports.get(&module)?.get(*next));
        match named {
            Some(target) if *target != path => {
                let rest = &parts[(n + 1).min(parts.len())..];
                path = std::iter::once(target.as_str())
                    .chain(rest.iter().copied())
                    .collect::<Vec<_>>()
                    .join("::");
            }
            _ => return (!module.is_empty()).then_some(module),
        }
    }
    None
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

/// What each top-level part may not import: the core serves the front-ends and knows none of
/// them (nor their words); the platform ports know no front-end; the agent runs without the
/// window and is not the command line; the window is not the command line, and reaches the
/// agent only through `agent::control` (every other module of `agent` is banned to it).
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("core", &["gui", "cli", "agent", "platform", "i18n", "mcp"]),
    ("platform", &["gui", "cli", "agent", "mcp"]),
    ("mcp", &["gui", "cli", "agent"]),
    ("agent", &["gui", "cli", "mcp"]),
    ("gui", &["cli", "agent", "mcp"]),
];

/// Exceptions to [`FORBIDDEN`]: what a part may still reach of a banned one.
const ALLOWED: &[(&str, &str)] = &[("gui", "agent::control")];

fn front_end_violations(modules: &BTreeMap<String, Module>) -> Vec<String> {
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    let mut out = Vec::new();
    for (name, module) in modules {
        let Some((_, banned)) = FORBIDDEN.iter().find(|(part, _)| top(name) == *part) else {
            continue;
        };
        for used in &module.uses {
            let within = |b: &str| used == b || used.starts_with(&format!("{b}::"));
            let hit = banned.iter().any(|b| top(used) == *b || within(b));
            let allowed = ALLOWED
                .iter()
                .any(|(part, ok)| top(name) == *part && within(ok));
            if hit && !allowed {
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

/// The error codes providers send (RD Station's `error_type`, RFC 6749's `error`): only the
/// provider layer reads them ([`core::provider::error`]); every other part reads its typed
/// reason.
const PROVIDER_CODES: &[&str] = &[
    "ACCESS_DENIED",
    "INVALID_REFRESH_TOKEN",
    "EXPIRED_CODE_GRANT",
    "UNAUTHORIZED",
    "RATE_LIMIT_EXCEDDED",
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "invalid_token",
    "invalid_request",
];

/// Every string literal of a file's code (its comments and `#[cfg(test)]` module aside), as
/// written.
fn literals(text: &str) -> Vec<String> {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let mut end = 0;
        let bytes = after.as_bytes();
        while end < bytes.len() && bytes[end] != b'"' {
            if bytes[end] == b'\\' {
                end += 1;
            }
            end += 1;
        }
        out.push(after[..end.min(after.len())].to_owned());
        rest = &after[(end + 1).min(after.len())..];
    }
    out
}

/// The files of `src/` under these folders, with their text.
fn files_under(dirs: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        walk(&root().join("src").join(dir), &mut files);
        out.extend(files.into_iter().map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f.display().to_string(), text)
        }));
    }
    out
}

#[test]
fn only_the_provider_layer_reads_provider_error_codes() {
    let mut found = Vec::new();
    for (file, text) in files_under(&["gui", "i18n", "cli", "agent"]) {
        for literal in literals(&text) {
            if let Some(code) = PROVIDER_CODES.iter().find(|c| literal.contains(**c)) {
                found.push(format!("{file}: {code}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "read the typed Reason instead:\n{}",
        found.join("\n")
    );
}

/// Every text a person reads in the window, the tray, a notification or the browser's page is in
/// `src/i18n`, in both languages; Portuguese written anywhere else is a text that escaped it.
/// (The command line's `--help` comes from clap and is English.)
#[test]
fn portuguese_lives_only_in_i18n() {
    let mut found = Vec::new();
    for (file, text) in files_under(&["core", "gui", "agent", "platform"]) {
        for literal in literals(&text) {
            if literal
                .chars()
                .any(|c| "ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔ".contains(c))
            {
                found.push(format!("{file}: {literal}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "move these texts to src/i18n:\n{}",
        found.join("\n")
    );
}

/// The checks above catch what they are meant to catch.
mod the_checker {
    use super::*;

    fn modules(files: &[(&str, &str)]) -> BTreeMap<String, Module> {
        analyse(files)
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
    fn a_banned_import_through_a_reexport_is_found() {
        // `agent` re-exports `Wake` from `agent::engine`; the window names it through the
        // re-export, and through a renamed one.
        let m = modules(&[
            (
                "agent",
                "pub mod engine;\npub mod control;\npub use engine::{Agent, Wake};\n",
            ),
            ("agent::engine", "pub struct Wake;\n"),
            ("agent::control", ""),
            (
                "gui",
                "pub mod app;\npub(crate) use crate::agent::Wake as Woken;\n",
            ),
            (
                "gui::app",
                "use crate::agent::Wake;\nuse crate::gui::Woken;\n",
            ),
            (
                "gui::settings",
                "use crate::agent::control::AgentControl;\n",
            ),
        ]);
        assert!(
            m["gui::app"].uses.contains("agent::engine"),
            "{:?}",
            m["gui::app"].uses
        );
        let v = front_end_violations(&m);
        assert!(
            v.iter()
                .any(|v| v.contains("(gui::app) imports agent::engine")),
            "{v:?}"
        );
        assert!(
            v.iter().any(|v| v.contains("(gui) imports agent::engine")),
            "{v:?}"
        );
        assert!(!v.iter().any(|v| v.contains("gui::settings")), "{v:?}");
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
