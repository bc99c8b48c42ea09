//! Cuts the secrets a request carried out of whatever text came back: a server that quotes the
//! request in its error would otherwise put a client secret on screen, in `state.json` or in a
//! log. Each secret is looked for as sent, percent-encoded (a form body echoed back) and
//! JSON-escaped (a JSON body echoed back); a client's `id:secret` also as Basic auth's base64.
//! A form cut short by the server itself, at either end of the text, goes too. Then the text is
//! made plain: control characters (ESC, CR, LF, BEL…) cannot reach a terminal or a file.

use base64::Engine;
use zeroize::Zeroizing;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// The shortest piece of a secret, cut short by a server at the start or the end of its text,
/// that is still looked for.
pub(crate) const MIN_PIECE: usize = 6;

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
        if secret.len() < 4 {
            return;
        }
        let encoded: Zeroizing<String> =
            Zeroizing::new(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
        let quoted = Zeroizing::new(serde_json::to_string(secret).unwrap_or_default());
        let escaped = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
        for form in [secret, encoded.as_str(), escaped] {
            if form.len() >= 4 && !self.forms.iter().any(|f| f.as_str() == form) {
                self.forms.push(Zeroizing::new(form.to_owned()));
            }
        }
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

    /// `text` with every form of every secret replaced by `[redacted]`, and made plain.
    pub(crate) fn clean(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REDACTED);
            }
        }
        for form in &self.forms {
            out = cut_piece(&out, form);
        }
        plain(&out)
    }
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
mod tests {
    use super::*;

    #[test]
    fn secrets_are_cut_in_every_form() {
        assert_eq!(
            redact("echo fake-secret-1 back", &["fake-secret-1"]),
            "echo [redacted] back"
        );
        assert_eq!(redact("abc", &["a"]), "abc");
        // Echoed back from a form body or inside a JSON string.
        assert_eq!(
            redact("got refresh_token=fake%2Frt+1%3D", &["fake/rt 1="]),
            "got refresh_token=[redacted]"
        );
        assert_eq!(
            redact(r#"{"code":"fake\"code\\x"}"#, &["fake\"code\\x"]),
            r#"{"code":"[redacted]"}"#
        );
    }

    #[test]
    fn basic_auth_pieces_and_control_characters_go_too() {
        let mut r = Redactor::default();
        r.add_basic("fake-id", "fake-secret");
        // base64("fake-id:fake-secret")
        assert_eq!(
            r.clean("got ZmFrZS1pZDpmYWtlLXNlY3JldA== back"),
            "got [redacted] back"
        );
        let r = Redactor::of(&["fake-secret-abcdef"]);
        // The server stopped quoting after 9 characters, or started quoting late.
        assert_eq!(r.clean("body: fake-secr"), "body: [redacted]");
        assert_eq!(r.clean("t-abcdef was sent"), "[redacted] was sent");
        // Five characters are not a secret's piece: ordinary words stay.
        assert_eq!(r.clean("fake-"), "fake-");
        assert_eq!(
            plain("red \u{1b}[31mtext\r\n\u{7}bell"),
            "red [31mtext bell"
        );
    }
}
