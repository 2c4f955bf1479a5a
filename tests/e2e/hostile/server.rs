//! A tiny HTTP/1.1 server for the hostile tests: routes keyed by method and path prefix whose
//! handlers write raw responses (so they can lie about lengths), or a body that never ends.

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::API;
use crate::util;

/// One request as the server saw it.
pub(super) struct Request {
    pub(super) method: String,
    pub(super) target: String,
    /// Header lines, lowercased.
    pub(super) head: String,
    /// `http://127.0.0.1:port` of this server.
    pub(super) base: String,
}

impl Request {
    pub(super) fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// A header's value (names are lowercased).
    pub(super) fn header(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
    }
}

/// What a route answers.
pub(super) enum Reply {
    /// Written as it is (status line, headers, body); then the connection closes.
    Raw(Vec<u8>),
    /// A chunked 200 whose body never ends: written until the client hangs up.
    Endless,
    /// Written as it is, then the connection stays open without another byte (a stalled body).
    Stall(Vec<u8>),
}

impl Reply {
    /// A response with exactly these headers (no implicit `Content-Length`), so it can lie.
    pub(super) fn raw(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut out = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let mut out = out.into_bytes();
        out.extend_from_slice(body);
        Reply::Raw(out)
    }

    pub(super) fn json(status: u16, body: &Value) -> Reply {
        let body = body.to_string();
        let len = body.len().to_string();
        Reply::raw(
            status,
            &[("content-type", "application/json"), ("content-length", &len)],
            body.as_bytes(),
        )
    }
}

type Handler = Box<dyn Fn(&Request) -> Reply + Send + Sync>;

/// Routes keyed by method and path prefix; the first match answers, anything else is a 404.
#[derive(Default)]
pub(super) struct Routes(Vec<(&'static str, String, Handler)>);

impl Routes {
    pub(super) fn on(
        mut self,
        method: &'static str,
        prefix: impl Into<String>,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Self {
        self.0.push((method, prefix.into(), Box::new(handler)));
        self
    }

    fn answer(&self, req: &Request) -> Reply {
        self.0
            .iter()
            .find(|(m, p, _)| *m == req.method && req.target.starts_with(p.as_str()))
            .map_or_else(
                || Reply::json(404, &json!({"detail": "no such route in the test server"})),
                |(_, _, h)| h(req),
            )
    }

    pub(super) fn start(self) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let server = Server {
            base: base.clone(),
            log: Arc::default(),
            sent: Arc::default(),
            runtime,
        };
        let (routes, log, sent) = (Arc::new(self), server.log.clone(), server.sent.clone());
        server.runtime.spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (routes, log, sent, base) = (routes.clone(), log.clone(), sent.clone(), base.clone());
                tokio::spawn(async move { serve(sock, &routes, &log, &sent, base).await });
            }
        });
        server
    }
}

/// A running test server.
pub(super) struct Server {
    pub(super) base: String,
    /// `METHOD target` of every request, in order.
    pub(super) log: Arc<Mutex<Vec<String>>>,
    /// Response bytes the client accepted (written without error).
    pub(super) sent: Arc<AtomicU64>,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    /// `mkt` in `cwd` with NumerBay and CrowdCent credentials, both pointed at this server.
    pub(super) fn mkt(&self, cwd: &Path, args: &[&str]) -> Output {
        self.mkt_cmd(cwd).args(args).output().expect("run mkt")
    }

    /// The command [`Server::mkt`] runs, for tests that spawn and signal it.
    pub(super) fn mkt_cmd(&self, cwd: &Path) -> std::process::Command {
        let mut cmd = util::mkt_cmd(cwd);
        cmd.env("NUMERBAY_API_URL", format!("{}{API}", self.base))
            .env("NUMERBAY_USERNAME", "buyer")
            .env("NUMERBAY_PASSWORD", "pw")
            .env("CROWDCENT_API_URL", format!("{}/api", self.base))
            .env("CROWDCENT_API_KEY", "key");
        cmd
    }

    /// How many requests started with `prefix` (`METHOD path`).
    pub(super) fn hits(&self, prefix: &str) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }
}

async fn serve(
    mut sock: tokio::net::TcpStream,
    routes: &Routes,
    log: &Mutex<Vec<String>>,
    sent: &AtomicU64,
    base: String,
) {
    let Some((method, target, head)) = read_request(&mut sock).await else {
        return;
    };
    log.lock().expect("log").push(format!("{method} {target}"));
    let req = Request {
        method,
        target,
        head,
        base,
    };
    match routes.answer(&req) {
        Reply::Raw(bytes) => {
            if sock.write_all(&bytes).await.is_ok() {
                sent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Stall(bytes) => {
            if sock.write_all(&bytes).await.is_ok() {
                sent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
                // Hold the connection until the client goes away (or the test ends).
                let mut scratch = [0u8; 64];
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(60), sock.read(&mut scratch)).await;
            }
        }
        Reply::Endless => {
            let head =
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
            chunk.extend(b"0,".repeat(32 * 1024));
            chunk.extend_from_slice(b"\r\n");
            let mut next: &[u8] = head;
            while sock.write_all(next).await.is_ok() {
                sent.fetch_add(next.len() as u64, Ordering::SeqCst);
                next = &chunk;
            }
        }
    }
    let _ = sock.shutdown().await;
}

/// Reads one request: the request line, lowercased headers, and drains a `Content-Length` body.
async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<(String, String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = sock.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    let (line, head) = text.split_once("\r\n")?;
    let head = head.to_ascii_lowercase();
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut got = buf.len() - end;
    while got < len {
        got += sock.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
    }
    Some((method, target, head))
}
