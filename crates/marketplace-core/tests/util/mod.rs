//! Shared test helpers: fast client configs, a counting token source, a recording progress sink,
//! and a raw HTTP/1.1 loopback server that can cut bodies mid-stream (httpmock cannot).
#![allow(dead_code)]

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use marketplace_core::{ClientConfig, Progress, RetryConfig};
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A config with tiny backoffs so retry tests run fast (no timing asserts anywhere).
pub fn fast_config(base: &str, max_retries: u32) -> ClientConfig {
    let mut c = ClientConfig::new(base).expect("valid base url");
    c.request_timeout = Duration::from_secs(10);
    c.retry = RetryConfig {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        retry_timeout: Duration::from_secs(30),
        jitter_seed: Some(1),
    };
    c
}

/// Hands out the given tokens in order (repeating the last) and counts logins.
pub struct CountingTokens {
    tokens: Vec<String>,
    pub logins: AtomicUsize,
}

impl CountingTokens {
    pub fn new(tokens: &[&str]) -> Arc<Self> {
        Arc::new(CountingTokens {
            tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
            logins: AtomicUsize::new(0),
        })
    }

    pub fn logins(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for CountingTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountingTokens({} logins)", self.logins())
    }
}

impl marketplace_core::TokenSource for CountingTokens {
    fn login(&self) -> BoxFuture<'_, marketplace_core::Result<SecretString>> {
        let n = self.logins.fetch_add(1, Ordering::SeqCst);
        let token = self
            .tokens
            .get(n)
            .or(self.tokens.last())
            .cloned()
            .unwrap_or_default();
        Box::pin(async move { Ok(SecretString::from(token)) })
    }
}

/// Records every progress call.
#[derive(Debug, Default)]
pub struct Recorder {
    pub totals: Mutex<Vec<Option<u64>>>,
    pub advanced: AtomicUsize,
    pub restarts: AtomicUsize,
}

impl Progress for Recorder {
    fn set_total(&self, total: Option<u64>) {
        self.totals.lock().unwrap().push(total);
    }
    fn advance(&self, bytes: u64) {
        self.advanced.fetch_add(bytes as usize, Ordering::SeqCst);
    }
    fn restart(&self) {
        self.restarts
            .store(self.restarts.load(Ordering::SeqCst) + 1, Ordering::SeqCst);
        self.advanced.store(0, Ordering::SeqCst);
    }
}

/// One request as the raw server saw it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the raw server answers: status, headers, the body it announces (Content-Length), and how
/// many body bytes it really sends before closing the connection.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub send: usize,
    /// Never answer (the connection stays open until the server is dropped).
    pub hang: bool,
    /// After sending the (possibly cut) response, keep the connection open without closing.
    pub stall: bool,
}

impl RawResponse {
    pub fn new(status: u16, body: &[u8]) -> Self {
        RawResponse {
            status,
            headers: Vec::new(),
            body: body.to_vec(),
            send: body.len(),
            hang: false,
            stall: false,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }
    /// Read the request, then never answer.
    pub fn hang() -> Self {
        RawResponse {
            hang: true,
            ..RawResponse::new(200, b"")
        }
    }
    /// Keep the connection open after the (cut) body instead of closing it.
    pub fn then_stall(mut self) -> Self {
        self.stall = true;
        self
    }
    /// Send only the first `n` body bytes, then close.
    pub fn cut_at(mut self, n: usize) -> Self {
        self.send = n.min(self.body.len());
        self
    }
}

/// Serves `content` like object storage: 200 with ETag (when given), or 206 for
/// `Range: bytes=N-` whose `If-Range` matches the ETag (when `honor_range`).
pub fn storage_response(
    req: &RawRequest,
    content: &[u8],
    etag: Option<&str>,
    honor_range: bool,
) -> RawResponse {
    let range_start = req
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    let tag_ok = match (req.header("if-range"), etag) {
        (Some(sent), Some(tag)) => sent == tag,
        (None, _) => true,
        _ => false,
    };
    let mut resp = match range_start {
        Some(start) if honor_range && tag_ok && start < content.len() => {
            RawResponse::new(206, &content[start..]).header(
                "Content-Range",
                &format!("bytes {start}-{}/{}", content.len() - 1, content.len()),
            )
        }
        _ => RawResponse::new(200, content),
    };
    if let Some(tag) = etag {
        resp = resp.header("ETag", tag);
    }
    resp
}

type Handler = dyn Fn(usize, &RawRequest) -> RawResponse + Send + Sync;

/// A loopback HTTP/1.1 server answering every request (one per connection) via a handler that
/// gets the request index and the request.
pub struct RawServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub async fn start(handler: impl Fn(usize, &RawRequest) -> RawResponse + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let requests: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else {
                        return;
                    };
                    let index = {
                        let mut all = recorded.lock().unwrap();
                        all.push(req.clone());
                        all.len() - 1
                    };
                    let resp = handler(index, &req);
                    if resp.hang {
                        std::future::pending::<()>().await;
                    }
                    let mut head = format!(
                        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                        resp.status,
                        resp.body.len()
                    );
                    for (k, v) in &resp.headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(&resp.body[..resp.send]).await;
                    let _ = sock.flush().await;
                    if resp.stall {
                        std::future::pending::<()>().await;
                    }
                    let _ = sock.shutdown().await;
                });
            }
        });
        RawServer { addr, requests, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest {
        method,
        target,
        headers,
        body,
    })
}

/// Names of the entries in a directory.
pub fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Deterministic test content.
pub fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}
