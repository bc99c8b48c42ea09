//! The accept loop of Renova's two small loopback servers (the browser's callback and the
//! local token endpoint): at most as many connections at once as `slots` allows, each handled
//! on a task of its own, and a pause instead of a spin when accepting fails.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Accepts connections until `slots` is closed, handing each to `handle` on its own task; a
/// slot is held until that task ends.
pub async fn accept_each<F, Fut>(
    listener: &TcpListener,
    slots: Arc<Semaphore>,
    what: &str,
    handle: F,
) where
    F: Fn(TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: wait a moment rather than spin.
                tracing::debug!("accepting a {what} connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let served = handle(stream);
        tokio::spawn(async move {
            let _slot = slot;
            served.await;
        });
    }
}
