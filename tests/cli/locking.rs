//! One writer at a time: concurrent processes on one account, and a lock held too long.

use std::time::Duration;

use crate::support::*;

#[tokio::test]
async fn eight_concurrent_token_calls_on_an_expired_token_make_one_refresh() {
    let env = Env::with_rd_answering(
        rd::issued("fake-access-once").set_delay(Duration::from_millis(300)),
    )
    .await;
    for out in env.run_at_once(8, &["token", "loja"]) {
        assert!(out.success(), "{}", out.stderr);
        assert_eq!(out.stdout, "fake-access-once\n");
    }
    env.rd().verify().await;
}

#[tokio::test]
async fn a_lock_held_too_long_is_exit_1_naming_the_holder() {
    let env = Env::with_rd().await;
    rd::token_endpoint()
        .respond_with(rd::issued("fake-access-never"))
        .expect(0)
        .mount(env.rd())
        .await;
    let id = env.add_rd("loja");
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
    let out = Run::of(
        env.renova()
            .env("RENOVA_LOCK_WAIT", "1s")
            .args(["refresh", "loja"]),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("4242"), "{}", out.stderr);
    drop(file);
    assert!(env.rd().received_requests().await.unwrap().is_empty());
}
