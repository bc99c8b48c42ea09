//! One writer at a time: concurrent processes on one account, and a lock held too long.

use std::process::Stdio;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

#[tokio::test]
async fn eight_concurrent_token_calls_on_an_expired_token_make_one_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(rd_tokens("fake-access-once", 86400, REFRESH_TOKEN))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new();
    env.add("loja", &server.uri());
    let children: Vec<_> = (0..8)
        .map(|_| {
            env.renova_std()
                .args(["token", "loja"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), "fake-access-once\n");
    }
    server.verify().await;
}

#[tokio::test]
async fn a_lock_held_too_long_is_exit_1_naming_the_holder() {
    let server = MockServer::start().await;
    let env = Env::new();
    let id = env.add("loja", &server.uri());
    let lock_path = env
        .dir("state")
        .join("renova")
        .join("locks")
        .join(format!("{id}.lock"));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .unwrap();
    file.lock().unwrap();
    std::fs::write(&lock_path, "4242").unwrap();
    let out = env
        .renova()
        .env("RENOVA_LOCK_WAIT", "1s")
        .args(["refresh", "loja"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("4242"), "{}", stderr(&out));
    drop(file);
    assert!(server.received_requests().await.unwrap().is_empty());
}
