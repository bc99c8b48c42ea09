//! Cuts the secrets a request carried out of whatever text came back: a server that quotes the
//! request in its error would otherwise put a client secret on screen, in `state.json` or in a
//! log. The text is first decoded of every form a quote may take — JSON escapes (`\/`,
//! `\u002f`), HTML entities (`&#x2F;`, `&amp;`), percent-encoding in either case, `+` as a
//! space — until nothing more decodes; then every secret (and a client's `id:secret` as Basic
//! auth's base64) is cut whole, then **any run of 8 or more characters of a secret anywhere**,
//! and a shorter piece (6 or more) at either end, where a server cut its quote short. Last the
//! text is made plain: control characters (ESC, CR, LF, BEL…) cannot reach a terminal or a
//! file.

use base64::Engine;
use zeroize::Zeroizing;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// The shortest piece of a secret, cut short by a server at the start or the end of its text,
/// that is still looked for.
pub(crate) const MIN_PIECE: usize = 6;

/// The shortest run of a secret's characters cut wherever it stands in a text.
pub(crate) const MIN_RUN: usize = 8;

/// How many times a text is decoded at most (a secret JSON-escaped inside a percent-encoded
/// form inside an HTML page is three).
const DECODE_PASSES: usize = 4;

/// The secrets one request carried, in every form they may come back in.
#[derive(Default)]
pub(crate) struct Redactor {
    forms: Vec<Zeroizing<String>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} forms)", self.forms.len())
    }
}

impl Redactor {
    /// A redactor for these secrets.
    pub(crate) fn of(secrets: &[&str]) -> Self {
        let mut r = Self::default();
        for s in secrets {
            r.add(s);
        }
        r
    }

    /// Adds a secret. Very short ones (under 4 characters) are ignored: replacing them would
    /// mangle ordinary words and they are not secrets anyone issues.
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.len() < 4 || self.forms.iter().any(|f| f.as_str() == secret) {
            return;
        }
        self.forms.push(Zeroizing::new(secret.to_owned()));
        // Longest first, so a form that contains another is replaced whole.
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    }

    /// Adds a client's credentials as HTTP Basic carries them: the base64 of `id:secret`
    /// (plain, and with both parts form-encoded as RFC 6749 asks), with and without padding.
    pub(crate) fn add_basic(&mut self, id: &str, secret: &str) {
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        for pair in [
            format!("{id}:{secret}"),
            format!("{}:{}", enc(id), enc(secret)),
        ] {
            let pair = Zeroizing::new(pair);
            for engine in [
                &base64::engine::general_purpose::STANDARD,
                &base64::engine::general_purpose::STANDARD_NO_PAD,
            ] {
                self.add(&engine.encode(pair.as_bytes()));
            }
        }
    }

    /// `text` decoded, with every secret and every run of one cut out, and made plain. The
    /// secrets are cut before and after each decoding step, so that no step can hide one (a
    /// `+` in a secret decoded to a space, say).
    pub(crate) fn clean(&self, text: &str) -> String {
        if self.forms.is_empty() {
            return plain(text);
        }
        let steps: [fn(&str) -> String; 3] = [json_unescaped, html_decoded, percent_decoded];
        let mut out = self.cut(text);
        for _ in 0..DECODE_PASSES {
            let mut next = out.clone();
            for step in steps {
                next = self.cut(&step(&next));
            }
            if next == out {
                break;
            }
            out = next;
        }
        for form in &self.forms {
            *out = cut_piece(&out, form);
        }
        plain(&out)
    }

    /// `text` with every secret cut out but otherwise as it came, so that a JSON or HTML body
    /// stays one (an API's answer handed to a program): each secret is cut whole, in each form
    /// a server may write it in (JSON-escaped, HTML entities, percent- and form-encoded), and
    /// as any run of [`MIN_RUN`] of its characters. If a secret can still be read after
    /// decoding (a form not foreseen), the text is given as [`Redactor::clean`] makes it
    /// instead: decoded and plain, but without the secret. Returns the text and whether
    /// anything was cut.
    pub(crate) fn scrub(&self, text: &str) -> (String, bool) {
        if self.forms.is_empty() {
            return (text.to_owned(), false);
        }
        let mut out = Zeroizing::new(text.to_owned());
        for form in &self.forms {
            for written in written_forms(form) {
                if out.contains(written.as_str()) {
                    *out = out.replace(written.as_str(), REDACTED);
                }
            }
        }
        let out = self.cut(&out);
        if self.still_shows(&out) {
            return (self.clean(text), true);
        }
        let cut = out.as_str() != text;
        (out.to_string(), cut)
    }

    /// Whether a secret (or a run of one) can be read in `text`, as it is or once decoded.
    fn still_shows(&self, text: &str) -> bool {
        let steps: [fn(&str) -> String; 3] = [json_unescaped, html_decoded, percent_decoded];
        let mut seen = text.to_owned();
        for _ in 0..=DECODE_PASSES {
            if self.cut(&seen).as_str() != seen {
                return true;
            }
            let next = steps.iter().fold(seen.clone(), |t, step| step(&t));
            if next == seen {
                return false;
            }
            seen = next;
        }
        false
    }

    /// Every secret cut whole, then every run of one.
    fn cut(&self, text: &str) -> Zeroizing<String> {
        let mut out = Zeroizing::new(text.to_owned());
        for form in &self.forms {
            if out.contains(form.as_str()) {
                *out = out.replace(form.as_str(), REDACTED);
            }
        }
        for form in &self.forms {
            *out = cut_runs(&out, form);
        }
        out
    }
}

/// The ways a server may write `secret` in its answer: JSON-escaped (`\/`, `\u002f`), as HTML
/// entities (hex, decimal), percent-encoded in either case, and form-encoded (`+` for a space).
fn written_forms(secret: &str) -> Vec<Zeroizing<String>> {
    let mut forms = Vec::new();
    let special = |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    if !secret.chars().any(special) {
        return forms;
    }
    let each = |f: &dyn Fn(char) -> String| -> Zeroizing<String> {
        Zeroizing::new(
            secret
                .chars()
                .map(|c| if special(c) { f(c) } else { c.to_string() })
                .collect(),
        )
    };
    let percent = |c: char, upper: bool| -> String {
        let mut buf = [0u8; 4];
        c.encode_utf8(&mut buf)
            .bytes()
            .map(|b| {
                if upper {
                    format!("%{b:02X}")
                } else {
                    format!("%{b:02x}")
                }
            })
            .collect()
    };
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"');
    forms.push(Zeroizing::new(json.to_owned()));
    forms.push(Zeroizing::new(json.replace('/', "\\/")));
    forms.push(each(&|c| format!("\\u{:04x}", u32::from(c))));
    forms.push(each(&|c| format!("\\u{:04X}", u32::from(c))));
    forms.push(each(&|c| format!("&#x{:x};", u32::from(c))));
    forms.push(each(&|c| format!("&#x{:X};", u32::from(c))));
    forms.push(each(&|c| format!("&#{};", u32::from(c))));
    forms.push(each(&|c| percent(c, true)));
    forms.push(each(&|c| percent(c, false)));
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    forms.push(Zeroizing::new(form));
    forms.retain(|f| f.as_str() != secret);
    forms
}

/// JSON string escapes made plain: `\/`, `\"`, `\\`, `\uXXXX` (surrogate pairs too), `\n`…
fn json_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(e @ ('/' | '"' | '\\')) => {
                chars.next();
                out.push(e);
            }
            Some('n' | 'r' | 't' | 'b' | 'f') => {
                chars.next();
                out.push(' ');
            }
            Some('u') => {
                let hex: String = chars.clone().skip(1).take(4).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                {
                    Some(code) => {
                        for _ in 0..5 {
                            chars.next();
                        }
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    None => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// HTML character references made plain: `&#x2F;`, `&#47;`, and the named ones a server
/// escapes with (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&sol;`, `&plus;`, `&equals;`…).
fn html_decoded(text: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("sol", '/'),
        ("plus", '+'),
        ("equals", '='),
        ("percnt", '%'),
        ("num", '#'),
        ("colon", ':'),
        ("nbsp", ' '),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let reference = after
            .find(';')
            .filter(|end| *end <= 10)
            .map(|end| (&after[..end], end));
        let decoded = reference.and_then(|(name, end)| {
            let c = if let Some(num) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Percent-encoding in either case (`%2f`, `%2F`), and `+` as a space, made plain. A `%` that
/// starts no escape stays, and bytes that are not UTF-8 once decoded are kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Cuts every run of [`MIN_RUN`] or more characters of `form` that stands anywhere in `text`.
/// Only where the text's next [`MIN_RUN`] characters are a window of the form is the run
/// measured, so a long text costs one lookup a character.
fn cut_runs(text: &str, form: &str) -> String {
    let form_chars: Vec<char> = form.chars().collect();
    if form_chars.len() < MIN_RUN {
        return text.to_owned();
    }
    let windows: std::collections::HashSet<&[char]> = form_chars.windows(MIN_RUN).collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_a_run = chars
            .get(i..i + MIN_RUN)
            .is_some_and(|w| windows.contains(w));
        // The longest run of the form's characters that starts here.
        let longest = if starts_a_run {
            (0..form_chars.len())
                .map(|start| {
                    chars[i..]
                        .iter()
                        .zip(&form_chars[start..])
                        .take_while(|(a, b)| a == b)
                        .count()
                })
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        if longest >= MIN_RUN {
            out.push_str(REDACTED);
            i += longest;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Cuts a piece of `form` (at least [`MIN_PIECE`] characters) that `text` ends with (a prefix
/// of the form: the server stopped quoting there) or starts with (a suffix of it).
fn cut_piece(text: &str, form: &str) -> String {
    let boundaries = |s: &str| {
        s.char_indices()
            .map(|(i, _)| i)
            .chain([s.len()])
            .collect::<Vec<_>>()
    };
    for end in boundaries(form).into_iter().rev() {
        let prefix = &form[..end];
        if prefix.len() >= MIN_PIECE && text.ends_with(prefix) {
            return format!("{}{REDACTED}", &text[..text.len() - prefix.len()]);
        }
    }
    for start in boundaries(form) {
        let suffix = &form[start..];
        if suffix.len() >= MIN_PIECE && text.starts_with(suffix) {
            return format!("{REDACTED}{}", &text[suffix.len()..]);
        }
    }
    text.to_owned()
}

/// A text from a server made safe to print or keep: control characters become spaces, and
/// runs of white space one space.
pub(crate) fn plain(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`Redactor::clean`] for a one-off list of secrets.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    Redactor::of(secrets).clean(text)
}

#[cfg(test)]
mod tests;
