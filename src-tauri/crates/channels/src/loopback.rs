//! The loopback redirect (RFC 8252 §7.3): for a registration that uses it,
//! Counterline listens on `127.0.0.1` for the one browser request that
//! carries the sign-in's `code` and `state`, answers it with a page telling
//! the merchant to return to the app, and hands the parameters to the same
//! verification a deep link gets. Bound to 127.0.0.1 only (never all
//! interfaces), closed after the first well-formed callback or the attempt's
//! expiry.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::callback::{self, CALLBACK_PATH};
use crate::{CallbackProblem, Error, Result};

/// A bound listener waiting for its callback.
#[derive(Debug)]
pub struct Pending {
    listener: TcpListener,
    redirect: Url,
}

const DONE_PAGE: &str = "<!doctype html><meta charset=utf-8><title>Counterline</title>\
<body style=\"font-family:system-ui;margin:3rem\"><h1>You're signed in</h1>\
<p>Counterline received the sign-in. You can close this tab and return to the app.</p>";

/// Binds `127.0.0.1:{port}` (0 picks a free port).
pub async fn listen(port: u16) -> Result<Pending> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        Error::Registration { platform: "loopback redirect", detail: format!("port {port} is not available ({e})") }
    })?;
    let bound = listener.local_addr().map_err(|e| Error::Internal(format!("loopback address: {e}")))?;
    let redirect = Url::parse(&format!("http://127.0.0.1:{}{CALLBACK_PATH}", bound.port()))
        .map_err(|e| Error::Internal(format!("loopback URL: {e}")))?;
    Ok(Pending { listener, redirect })
}

impl Pending {
    /// The `redirect_uri` to register with this attempt.
    pub fn redirect(&self) -> &Url {
        &self.redirect
    }

    /// Waits for the callback; other requests (a favicon, a stray probe)
    /// get a 404 and the wait goes on.
    pub async fn wait(self, within: Duration) -> std::result::Result<(Vec<(String, String)>, Url), CallbackProblem> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let accepted = tokio::time::timeout_at(deadline, self.listener.accept()).await;
            let Ok(Ok((stream, _))) = accepted else {
                return Err(CallbackProblem::Expired);
            };
            if let Some(params) = answer(stream).await {
                return Ok((params, self.redirect));
            }
        }
    }
}

/// Reads one request; `Some` when it was a well-formed callback.
async fn answer(mut stream: TcpStream) -> Option<Vec<(String, String)>> {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut read = 0;
    let head = loop {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer[read..])).await.ok()?.ok()?;
        if n == 0 {
            return None;
        }
        read += n;
        if let Some(end) = buffer[..read].windows(4).position(|w| w == b"\r\n\r\n") {
            break String::from_utf8_lossy(&buffer[..end]).into_owned();
        }
        if read == buffer.len() {
            return None;
        }
    };
    let mut parts = head.lines().next()?.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    let params = (method == "GET").then(|| callback::parse_loopback(target).ok()).flatten();
    let (status, body) = match params {
        Some(_) => ("200 OK", DONE_PAGE),
        None => ("404 Not Found", "Not found"),
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_listener_takes_the_callback_and_ignores_other_requests() {
        let pending = listen(0).await.unwrap();
        let redirect = pending.redirect().clone();
        assert_eq!(redirect.host_str(), Some("127.0.0.1"), "loopback only, never all interfaces");
        let waiter = tokio::spawn(pending.wait(Duration::from_secs(10)));
        let http = reqwest::Client::new();
        let origin = format!("http://127.0.0.1:{}", redirect.port().unwrap());
        let stray = http.get(format!("{origin}/favicon.ico")).send().await.unwrap();
        assert_eq!(stray.status(), 404);
        let done = http.get(format!("{redirect}?code=c1&state=s1")).send().await.unwrap();
        assert_eq!(done.status(), 200);
        assert!(done.text().await.unwrap().contains("return to the app"));
        let (params, used) = waiter.await.unwrap().unwrap();
        assert_eq!(callback::param(&params, "code"), Some("c1"));
        assert_eq!(used, redirect);
    }

    #[tokio::test]
    async fn an_unanswered_listener_expires() {
        let pending = listen(0).await.unwrap();
        assert_eq!(pending.wait(Duration::from_millis(50)).await.unwrap_err(), CallbackProblem::Expired);
    }
}
