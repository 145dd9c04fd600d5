//! The offline switch at the connection level: a listener whose
//! connections stop working while the sandbox is offline.
//!
//! A real outage gives the client no HTTP answer at all, so an answer
//! (even a 503) would test the wrong thing. Axum's middleware can only
//! answer, so the switch lives below HTTP: while it is set, a new
//! connection is closed as soon as it is accepted, and any open
//! (keep-alive) connection fails its next read or write, which makes hyper
//! drop it without answering. Clients see "connection closed before message
//! completed" or a reset, never a status. It covers the whole sandbox host,
//! `/_sandbox/` pages included; tests read the truth through [`crate::Sandbox`]
//! methods, which need no connection.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener that honours the offline switch.
pub(crate) struct SwitchedListener {
    inner: TcpListener,
    offline: Arc<AtomicBool>,
}

impl SwitchedListener {
    pub(crate) fn new(inner: TcpListener, offline: Arc<AtomicBool>) -> SwitchedListener {
        SwitchedListener { inner, offline }
    }
}

impl axum::serve::Listener for SwitchedListener {
    type Io = SwitchedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (SwitchedStream, SocketAddr) {
        loop {
            let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
            if self.offline.load(Ordering::SeqCst) {
                // Closing at once: the client's request never gets an answer.
                drop(stream);
                continue;
            }
            let offline = self.offline.clone();
            return (SwitchedStream { stream, offline }, addr);
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A connection that fails every read and write while offline.
pub(crate) struct SwitchedStream {
    stream: TcpStream,
    offline: Arc<AtomicBool>,
}

impl SwitchedStream {
    fn cut(&self) -> Option<io::Error> {
        self.offline
            .load(Ordering::SeqCst)
            .then(|| io::Error::new(io::ErrorKind::ConnectionReset, "the sandbox is offline"))
    }
}

impl AsyncRead for SwitchedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(e) = self.cut() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for SwitchedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.cut() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
