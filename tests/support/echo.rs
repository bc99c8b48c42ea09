//! A provider that quotes back what it was sent: the worst case for secrets in error texts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use wiremock::{Request, Respond, ResponseTemplate};

/// A provider that answers 400 quoting what it was sent (the `Authorization` header, its
/// credentials alone, and the body) after `pad` characters of padding, maybe cut short after
/// `cut` characters as servers shorten their messages, as plain text or inside RD's JSON
/// error.
#[derive(Clone, Default)]
pub struct Echo {
    /// Characters of padding before the quote.
    pub pad: Arc<AtomicUsize>,
    /// The server keeps only this many characters of its quote (0: all of it).
    pub cut: Arc<AtomicUsize>,
    /// Quote inside RD's JSON error rather than as plain text.
    pub json: Arc<AtomicBool>,
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let credentials = auth.split_once(' ').map_or("", |(_, c)| c);
        let mut quoted = format!(
            "{}{auth} {credentials} {}",
            "x".repeat(self.pad.load(Ordering::SeqCst)),
            String::from_utf8_lossy(&request.body)
        );
        let cut = self.cut.load(Ordering::SeqCst);
        if cut > 0 {
            quoted = quoted.chars().take(cut).collect();
        }
        if self.json.load(Ordering::SeqCst) {
            ResponseTemplate::new(400).set_body_json(
                serde_json::json!({"error_type": "BAD_REQUEST", "error_message": quoted}),
            )
        } else {
            ResponseTemplate::new(400)
                .insert_header("content-type", "text/plain")
                .set_body_string(quoted)
        }
    }
}

/// How a hostile provider writes the secrets it quotes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// As they are.
    Plain,
    /// JSON string escapes (`\/`, `\u002b`) in a text/plain body.
    JsonEscaped,
    /// Inside RD's JSON error, written with `\/` by hand.
    JsonBody,
    /// HTML numeric entities, hexadecimal (`&#x2F;`).
    HtmlHex,
    /// HTML numeric entities, decimal (`&#47;`).
    HtmlDecimal,
    /// HTML named entities (`&sol;`, `&plus;`, `&equals;`).
    HtmlNamed,
    /// Percent-encoding, upper case (`%2F`).
    PercentUpper,
    /// Percent-encoding, lower case (`%2f`).
    PercentLower,
    /// `application/x-www-form-urlencoded`: lower-case percent and `+` for a space.
    WwwUrlEncoded,
    /// HTTP Basic's base64 of `client_id:secret` (and nothing else).
    Basic,
    /// Each secret cut after this many characters: the tail first, then the head.
    CutAt(usize),
    /// A middle piece of each secret (characters 5 to 27), mid-sentence.
    Middle,
}

impl Form {
    /// Every form, with a cut at every offset up to `longest`.
    pub fn all(longest: usize) -> Vec<Form> {
        let mut forms = vec![
            Form::Plain,
            Form::JsonEscaped,
            Form::JsonBody,
            Form::HtmlHex,
            Form::HtmlDecimal,
            Form::HtmlNamed,
            Form::PercentUpper,
            Form::PercentLower,
            Form::WwwUrlEncoded,
            Form::Basic,
            Form::Middle,
        ];
        forms.extend((1..longest).map(Form::CutAt));
        forms
    }

    fn each_char(text: &str, f: impl Fn(char) -> String) -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    f(c)
                }
            })
            .collect()
    }

    /// One secret in this form.
    fn write(&self, secret: &str, client_id: &str) -> String {
        match self {
            Form::Plain => secret.to_owned(),
            Form::JsonEscaped | Form::JsonBody => Self::each_char(secret, |c| match c {
                '/' => "\\/".to_owned(),
                '-' | '_' | '.' => c.to_string(),
                c => format!("\\u{:04x}", c as u32),
            }),
            Form::HtmlHex => Self::each_char(secret, |c| format!("&#x{:X};", c as u32)),
            Form::HtmlDecimal => Self::each_char(secret, |c| format!("&#{};", c as u32)),
            Form::HtmlNamed => Self::each_char(secret, |c| match c {
                '/' => "&sol;".to_owned(),
                '+' => "&plus;".to_owned(),
                '=' => "&equals;".to_owned(),
                '&' => "&amp;".to_owned(),
                c => c.to_string(),
            }),
            Form::PercentUpper => Self::each_char(secret, |c| format!("%{:02X}", c as u32)),
            Form::PercentLower => Self::each_char(secret, |c| format!("%{:02x}", c as u32)),
            Form::WwwUrlEncoded => {
                let sentence = format!("the secret {secret} was refused");
                Self::each_char(&sentence, |c| match c {
                    ' ' => "+".to_owned(),
                    c => format!("%{:02x}", c as u32),
                })
            }
            Form::Basic => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"))
            }
            Form::CutAt(k) => {
                let k = (*k).min(secret.len());
                format!("…{} was cut; it began {}…", &secret[k..], &secret[..k])
            }
            Form::Middle => {
                let end = secret.len().min(27);
                format!("the token {} is not valid", &secret[5.min(end)..end])
            }
        }
    }
}

/// A provider that answers 400 quoting the secrets of each request (JSON or form fields
/// named `client_secret` and `refresh_token`) in the next of `forms`, round robin, after
/// `pad` characters.
#[derive(Clone)]
pub struct EncodingEcho {
    /// The forms, in order.
    pub forms: Arc<Vec<Form>>,
    /// Requests answered so far (the next form is `forms[next % len]`).
    pub next: Arc<AtomicUsize>,
    /// Characters of padding before the quote.
    pub pad: Arc<AtomicUsize>,
}

impl EncodingEcho {
    /// An echo going through `forms`.
    pub fn new(forms: Vec<Form>) -> Self {
        Self {
            forms: Arc::new(forms),
            next: Arc::default(),
            pad: Arc::default(),
        }
    }
}

/// The secrets a request carried: JSON or form fields.
fn request_secrets(request: &Request) -> (String, Vec<String>) {
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&request.body) {
        if let Some(map) = json.as_object() {
            for (k, v) in map {
                fields.push((k.clone(), v.as_str().unwrap_or_default().to_owned()));
            }
        }
    } else {
        fields.extend(url::form_urlencoded::parse(&request.body).into_owned());
    }
    let mut client_id = String::new();
    let mut secrets = Vec::new();
    for (k, v) in fields {
        match k.as_str() {
            "client_id" => client_id = v,
            "client_secret" | "refresh_token" | "code" => secrets.push(v),
            _ => {}
        }
    }
    // HTTP Basic: the client's id and secret are in the header.
    if let Some(basic) = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic)
            .unwrap_or_default();
        let decoded = String::from_utf8_lossy(&decoded).into_owned();
        if let Some((id, secret)) = decoded.split_once(':') {
            client_id = id.to_owned();
            secrets.push(secret.to_owned());
        }
    }
    (client_id, secrets)
}

impl Respond for EncodingEcho {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let form = &self.forms[n % self.forms.len()];
        let (client_id, secrets) = request_secrets(request);
        let quoted: Vec<String> = secrets.iter().map(|s| form.write(s, &client_id)).collect();
        let text = format!(
            "{}invalid request: {}",
            "x".repeat(self.pad.load(Ordering::SeqCst)),
            quoted.join(" and ")
        );
        if *form == Form::JsonBody {
            // Written by hand: serde_json would not escape the slash.
            let body =
                format!("{{\"error_type\": \"BAD_REQUEST\", \"error_message\": \"{text}\"}}");
            ResponseTemplate::new(400)
                .insert_header("content-type", "application/json")
                .set_body_string(body)
        } else {
            ResponseTemplate::new(400)
                .insert_header("content-type", "text/plain")
                .set_body_string(text)
        }
    }
}
