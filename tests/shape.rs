//! The size of the code, checked, so that no part grows past what one reader holds in mind:
//! at most 3 functions of `src/` over 80 lines, no type with more than 25 methods of its own
//! (trait implementations aside), no file over 500 lines. Comments, strings and
//! `#[cfg(test)]` modules do not count toward functions and methods; a file counts whole.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;

mod source;
use source::{code_only, walk};

const LONG_FUNCTION: usize = 80;
const LONG_FUNCTIONS_ALLOWED: usize = 3;
const METHODS_ALLOWED: usize = 25;
const LINES_ALLOWED: usize = 500;

/// The position of the `}` that closes the `{` at `open`.
fn closing(code: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in code.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    code.len()
}

fn line_of(code: &[char], at: usize) -> usize {
    code[..at.min(code.len())]
        .iter()
        .filter(|c| **c == '\n')
        .count()
        + 1
}

fn word_at(code: &[char], at: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    let before = at.checked_sub(1).map(|i| code[i]);
    let after = code.get(at + w.len()).copied();
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    code.get(at..at + w.len()) == Some(&w[..]) && !ident(before) && !ident(after)
}

/// `(lines, name, first line)` of every function with a body.
fn functions(code: &[char]) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    for at in 0..code.len() {
        if !word_at(code, at, "fn") {
            continue;
        }
        let name: String = code[at + 2..]
            .iter()
            .skip_while(|c| c.is_whitespace())
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect();
        // The body's `{`, unless a `;` ends a declaration first.
        let Some(open) = (at..code.len()).find(|i| code[*i] == '{' || code[*i] == ';') else {
            continue;
        };
        if code[open] == ';' {
            continue;
        }
        let close = closing(code, open);
        let lines = line_of(code, close) - line_of(code, at) + 1;
        out.push((lines, name, line_of(code, at)));
    }
    out
}

/// Methods of each type's own `impl` blocks (not trait implementations).
fn methods(code: &[char], counts: &mut BTreeMap<String, usize>) {
    for at in 0..code.len() {
        if !word_at(code, at, "impl") {
            continue;
        }
        let Some(open) = (at..code.len()).find(|i| code[*i] == '{' || code[*i] == ';') else {
            continue;
        };
        let head: String = code[at + 4..open].iter().collect();
        if code[open] == ';' || head.split_whitespace().any(|w| w == "for") {
            continue;
        }
        // The type: the last path segment before any generics.
        let head = head.trim();
        let head = match head.strip_prefix('<') {
            Some(rest) => rest.split_once('>').map_or(rest, |(_, r)| r).trim(),
            None => head,
        };
        let ty: String = head
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let ty = ty.rsplit("::").next().unwrap_or_default().to_owned();
        let close = closing(code, open);
        let mut depth = 0;
        let mut n = 0;
        for i in open + 1..close {
            match code[i] {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 && word_at(code, i, "fn") => n += 1,
                _ => {}
            }
        }
        *counts.entry(ty).or_default() += n;
    }
}

struct Shape {
    long_functions: Vec<String>,
    methods: BTreeMap<String, usize>,
    long_files: Vec<String>,
}

fn shape_of(files: &[(String, String)]) -> Shape {
    let mut shape = Shape {
        long_functions: Vec::new(),
        methods: BTreeMap::new(),
        long_files: Vec::new(),
    };
    for (file, text) in files {
        let lines = text.lines().count();
        if lines > LINES_ALLOWED {
            shape.long_files.push(format!("{file} ({lines} lines)"));
        }
        let code: Vec<char> = code_only(text).chars().collect();
        for (n, name, line) in functions(&code) {
            if n > LONG_FUNCTION {
                shape
                    .long_functions
                    .push(format!("{file}:{line} {name} ({n} lines)"));
            }
        }
        methods(&code, &mut shape.methods);
    }
    shape
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f.strip_prefix(root).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn at_most_three_functions_over_80_lines() {
    let long = shape_of(&sources()).long_functions;
    assert!(
        long.len() <= LONG_FUNCTIONS_ALLOWED,
        "{} functions over {LONG_FUNCTION} lines (at most {LONG_FUNCTIONS_ALLOWED}):\n{}",
        long.len(),
        long.join("\n")
    );
}

#[test]
fn no_type_has_more_than_25_methods() {
    let crowded: Vec<String> = shape_of(&sources())
        .methods
        .into_iter()
        .filter(|(_, n)| *n > METHODS_ALLOWED)
        .map(|(ty, n)| format!("{ty}: {n} methods"))
        .collect();
    assert!(crowded.is_empty(), "{}", crowded.join("\n"));
}

#[test]
fn no_file_over_500_lines() {
    let long = shape_of(&sources()).long_files;
    assert!(long.is_empty(), "split by idea: {}", long.join(", "));
}

/// The checks above count what they are meant to count.
#[test]
fn the_counter_counts() {
    let body = "    let x = 1;\n".repeat(85);
    let text = format!(
        "impl Big {{\n{}}}\nimpl Display for Big {{ fn fmt(&self) {{}} }}\n\
         fn long() {{\n{body}}}\nfn short() {{ let s = \"fn x() {{\"; }}\n\
         #[cfg(test)]\nmod tests {{\n    fn long_test() {{\n{body}    }}\n}}\n",
        (0..26)
            .map(|i| format!("    fn m{i}(&self) {{}}\n"))
            .collect::<String>()
    );
    let shape = shape_of(&[("big.rs".to_owned(), text)]);
    assert_eq!(shape.methods.get("Big"), Some(&26));
    assert_eq!(shape.long_functions.len(), 1, "{:?}", shape.long_functions);
    assert!(shape.long_functions[0].contains("long (87 lines)"));
}
