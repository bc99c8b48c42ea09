//! The redactor against every form a server may quote a secret in.

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
    // The server stopped quoting after 7 characters, or started quoting late.
    assert_eq!(r.clean("body: fake-se"), "body: [redacted]");
    assert_eq!(r.clean("-abcdef was sent"), "[redacted] was sent");
    // Five characters are not a secret's piece: ordinary words stay.
    assert_eq!(r.clean("fake-"), "fake-");
    assert_eq!(
        plain("red \u{1b}[31mtext\r\n\u{7}bell"),
        "red [31mtext bell"
    );
}

/// The forms a server was seen to quote a secret in, and a few more.
fn echoes(secret: &str) -> Vec<(&'static str, String)> {
    let upper: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent_all = |lower: bool| -> String {
        secret
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else if lower {
                    format!("%{b:02x}")
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let html: String = secret
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("&#x{:X};", c as u32)
            }
        })
        .collect();
    let html_named = secret.replace('&', "&amp;").replace('/', "&sol;");
    let json = serde_json::to_string(secret)
        .unwrap()
        .trim_matches('"')
        .replace('/', "\\/");
    let json_unicode: String = secret
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    let middle: String = secret
        .chars()
        .skip(4)
        .take(secret.chars().count() - 8)
        .collect();
    vec![
        ("plain", secret.to_owned()),
        ("form-encoded", upper),
        ("percent, upper case", percent_all(false)),
        ("percent, lower case", percent_all(true)),
        ("HTML numeric", html),
        ("HTML named", html_named),
        ("JSON escaped", json),
        ("JSON \\u escapes", json_unicode),
        ("a middle piece", middle),
        (
            "JSON inside a form",
            url::form_urlencoded::byte_serialize(serde_json::to_string(secret).unwrap().as_bytes())
                .collect(),
        ),
    ]
}

/// Every piece of 8 characters of `secret`.
fn pieces(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(MIN_RUN).map(|w| w.iter().collect()).collect()
}

#[test]
fn no_eight_characters_of_a_secret_survive_any_echo() {
    let secrets = [
        "cs/evil+SECRET=Zq81Kx",
        "fake-refresh-Zq8Rw3XyK7abcdefghijklmn",
    ];
    let r = Redactor::of(&secrets);
    for secret in secrets {
        for (form, echo) in echoes(secret) {
            for text in [
                echo.clone(),
                format!("the request said client_secret={echo}&grant_type=refresh_token"),
                format!("{{\"echo\":\"{echo}\"}}"),
            ] {
                let cleaned = r.clean(&text);
                for piece in pieces(secret) {
                    assert!(
                        !cleaned.contains(&piece),
                        "{form}: {piece:?} survived in {cleaned:?} (from {text:?})"
                    );
                }
            }
        }
        // A quote cut at every offset, at either end of the text.
        let chars: Vec<char> = secret.chars().collect();
        for k in 0..=chars.len() {
            let head: String = chars[..k].iter().collect();
            let tail: String = chars[k..].iter().collect();
            for text in [format!("it said: {head}"), format!("{tail} was sent")] {
                let cleaned = r.clean(&text);
                for piece in pieces(secret) {
                    assert!(!cleaned.contains(&piece), "{piece:?} in {cleaned:?}");
                }
            }
        }
    }
    // Basic auth's base64 of id:secret, whole or in part.
    let mut basic = Redactor::of(&secrets);
    basic.add_basic("fake-client-id", secrets[0]);
    let b64 =
        base64::engine::general_purpose::STANDARD.encode(format!("fake-client-id:{}", secrets[0]));
    let cleaned = basic.clean(&format!("Authorization: Basic {b64}"));
    for piece in pieces(&b64) {
        assert!(!cleaned.contains(&piece), "{piece:?} in {cleaned:?}");
    }
}

#[test]
fn ordinary_text_is_left_readable() {
    let r = Redactor::of(&["cs/evil+SECRET=Zq81Kx"]);
    assert_eq!(
        r.clean("Wrong credentials provided. 100% sure &amp; done"),
        "Wrong credentials provided. 100% sure & done"
    );
}

#[test]
fn a_megabyte_of_text_is_cleaned_in_one_pass_a_character() {
    let r = Redactor::of(&[
        "fake-refresh-Zq8Rw3XyK7abcdefghijklmn",
        "cs/evil+SECRET=Zq81Kx",
    ]);
    let mut text = "a".repeat(1024 * 1024);
    text.push_str("fake-refresh-Zq8Rw3XyK7abc");
    let cleaned = r.clean(&text);
    assert!(
        cleaned.ends_with(REDACTED),
        "{}",
        &cleaned[cleaned.len() - 40..]
    );
}

#[test]
fn scrub_keeps_a_body_as_it_came_and_cuts_every_echo() {
    let secrets = [
        "cs/evil+SECRET=Zq81Kx",
        "fake-refresh-Zq8Rw3XyK7abcdefghijklmn",
    ];
    let r = Redactor::of(&secrets);
    let body = "{\n  \"contacts\": [{\"name\": \"Ana \\\"Ze\\\"\", \"url\": \"https:\\/\\/x\"}]\n}";
    assert_eq!(
        r.scrub(body),
        (body.to_owned(), false),
        "nothing to cut: untouched"
    );
    for secret in secrets {
        for (form, echo) in echoes(secret) {
            let text = format!("{{\n  \"echo\": \"{echo}\",\n  \"n\": 1\n}}");
            let (scrubbed, cut) = r.scrub(&text);
            assert!(cut, "{form}: {scrubbed}");
            for piece in pieces(secret) {
                assert!(
                    !scrubbed.contains(&piece),
                    "{form}: {piece:?} in {scrubbed:?}"
                );
                assert!(
                    !r.clean(&scrubbed).contains(&piece),
                    "{form}: {piece:?} decodable from {scrubbed:?}"
                );
            }
        }
    }
    // The forms foreseen keep the body's shape: still JSON, still on several lines.
    let (scrubbed, _) = r.scrub("{\n  \"echo\": \"cs\\/evil+SECRET=Zq81Kx\"\n}");
    assert_eq!(scrubbed, "{\n  \"echo\": \"[redacted]\"\n}");
    let parsed: serde_json::Value =
        serde_json::from_str(&r.scrub("{\"a\": \"cs%2Fevil%2BSECRET%3DZq81Kx\"}").0).unwrap();
    assert_eq!(parsed["a"], "[redacted]");
}
