//! Cuts the secrets a request carried out of whatever text came back: a server that quotes the
//! request in its error would otherwise put a client secret on screen, in `state.json` or in a
//! log. Each secret is looked for as sent, percent-encoded (a form body echoed back) and
//! JSON-escaped (a JSON body echoed back).

use zeroize::Zeroizing;

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// The secrets one request carried, in every form they may come back in.
#[derive(Default)]
pub struct Redactor {
    forms: Vec<Zeroizing<String>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} forms)", self.forms.len())
    }
}

impl Redactor {
    /// A redactor for these secrets.
    pub fn of(secrets: &[&str]) -> Self {
        let mut r = Self::default();
        for s in secrets {
            r.add(s);
        }
        r
    }

    /// Adds a secret. Very short ones (under 4 characters) are ignored: replacing them would
    /// mangle ordinary words and they are not secrets anyone issues.
    pub fn add(&mut self, secret: &str) {
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

    /// `text` with every form of every secret replaced by `[redacted]`.
    pub fn clean(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REDACTED);
            }
        }
        out
    }
}

/// [`Redactor::clean`] for a one-off list of secrets.
pub fn redact(text: &str, secrets: &[&str]) -> String {
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
}
