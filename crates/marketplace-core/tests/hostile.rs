//! Hostile servers: success bodies that never end or announce more than the limit fail fast with
//! `Error::BodyTooLarge`, read at most the limit (plus what sits in socket buffers), and are not
//! retried; a body exactly at the limit is still accepted.

mod util;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use marketplace_core::reqwest::Method;
use marketplace_core::{Auth, ClientConfig, Error, HttpClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use util::fast_config;

const MIB: u64 = 1024 * 1024;
/// Upper bound for what loopback socket buffers can hold (send + autotuned receive buffer).
const BUFFERS: u64 = 40 * MIB;

/// What the server answers with a 200.
#[derive(Clone, Copy)]
enum Reply {
    /// A chunked body of `x` characters (inside a JSON string) that never ends.
    Endless,
    /// Announces this `Content-Length`, then sends nothing and keeps the connection open.
    Announce(u64),
    /// A JSON string body of exactly this many bytes, chunked (no `Content-Length`).
    Chunked(usize),
    /// The same, with `Content-Length`.
    Sized(usize),
}

/// A loopback server that answers every request with `reply` and counts the body bytes it
/// managed to write (what the client read, plus what sits in socket buffers).
struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    sent: Arc<AtomicU64>,
    /// Connections whose writer has stopped (peer gone).
    finished: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicU64::new(0));
        let finished = Arc::new(AtomicUsize::new(0));
        let (r, s, f) = (requests.clone(), sent.clone(), finished.clone());
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (r, s, f) = (r.clone(), s.clone(), f.clone());
                tokio::spawn(async move {
                    serve(sock, reply, &r, &s).await;
                    f.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            addr,
            requests,
            sent,
            finished,
            task,
        }
    }

    fn client(&self, limit: u64) -> HttpClient {
        let mut cfg: ClientConfig = fast_config(&format!("http://{}/api", self.addr), 3);
        cfg.max_body_bytes = limit;
        HttpClient::new(cfg, Auth::None).expect("client")
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Waits (briefly) until every connection's writer has noticed the client is gone, then
    /// returns the body bytes written in total.
    async fn sent_after_close(&self) -> u64 {
        for _ in 0..200 {
            if self.finished.load(Ordering::SeqCst) >= self.requests() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(
            self.finished.load(Ordering::SeqCst) >= self.requests(),
            "the server is still writing: the client kept reading"
        );
        self.sent.load(Ordering::SeqCst)
    }
}

async fn serve(mut sock: TcpStream, reply: Reply, requests: &AtomicUsize, sent: &AtomicU64) {
    if !read_head(&mut sock).await {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let json_string = |len: usize| {
        let mut body = vec![b'x'; len];
        if len >= 2 {
            body[0] = b'"';
            body[len - 1] = b'"';
        }
        body
    };
    match reply {
        Reply::Endless => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let piece = vec![b'x'; 64 * 1024];
            let mut first = true;
            loop {
                let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                let start = frame.len();
                frame.extend_from_slice(&piece);
                if first {
                    // The body starts like a JSON string that never closes.
                    frame[start] = b'"';
                    first = false;
                }
                frame.extend_from_slice(b"\r\n");
                if sock.write_all(&frame).await.is_err() {
                    return;
                }
                sent.fetch_add(piece.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Announce(len) => {
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n");
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // Send nothing; return once the client hangs up.
            let mut buf = [0u8; 64];
            while let Ok(n) = sock.read(&mut buf).await {
                if n == 0 {
                    return;
                }
            }
        }
        Reply::Chunked(len) => {
            let body = json_string(len);
            let mut out =
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .to_vec();
            for piece in body.chunks(16 * 1024) {
                out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                out.extend_from_slice(piece);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
            if sock.write_all(&out).await.is_ok() {
                sent.fetch_add(len as u64, Ordering::SeqCst);
            }
        }
        Reply::Sized(len) => {
            let mut out =
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n")
                    .into_bytes();
            out.extend_from_slice(&json_string(len));
            if sock.write_all(&out).await.is_ok() {
                sent.fetch_add(len as u64, Ordering::SeqCst);
            }
        }
    }
}

/// Reads a request head (the tests send no request bodies); false when the peer went away.
async fn read_head(sock: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

/// Runs a future with a generous wall-clock guard, so a client that keeps reading fails the
/// test instead of hanging it.
async fn guarded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the client did not stop reading")
}

fn assert_too_large(err: &Error, limit: u64) {
    match err {
        Error::BodyTooLarge {
            method,
            url,
            limit: l,
        } => {
            assert_eq!(method, "GET");
            assert!(url.ends_with("/api/thing/"), "{url}");
            assert!(!url.contains('?'), "query kept: {url}");
            assert_eq!(*l, limit);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("max_body_bytes"), "{text}");
    assert!(text.contains(&limit.to_string()), "{text}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_endless_body_fails_at_the_limit_and_is_not_retried() {
    let server = Server::start(Reply::Endless).await;
    let limit = 4 * MIB;
    let err = guarded(
        server
            .client(limit)
            .get("thing/")
            .query(&[("sig", "secret")])
            .send_json::<String>(),
    )
    .await
    .unwrap_err();
    assert_too_large(&err, limit);
    assert!(!err.to_string().contains("secret"), "{err}");
    assert_eq!(
        server.requests(),
        1,
        "an oversized body must not be asked for again"
    );
    let sent = server.sent_after_close().await;
    eprintln!("endless body: limit {limit} bytes, server wrote {sent} body bytes before the client hung up");
    // The client read at most the limit; the rest of what the server wrote sat in the loopback
    // socket buffers, bounded by the kernel's maxima (Linux defaults: 6 MiB receive, 4 MiB send;
    // some machines allow a 32 MiB receive buffer), never by the endless body.
    assert!(sent >= limit, "{sent}");
    assert!(sent <= limit + BUFFERS, "{sent}");
}

#[tokio::test]
async fn an_announced_length_over_the_limit_fails_without_reading() {
    let server = Server::start(Reply::Announce(10 * 1024 * MIB)).await;
    // The server sends no body at all: had the client tried to read, it would wait forever.
    let err = guarded(server.client(MIB).get("thing/").send_bytes())
        .await
        .unwrap_err();
    assert_too_large(&err, MIB);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_succeeds_and_one_byte_more_fails() {
    let limit = MIB;
    let exact = usize::try_from(limit).unwrap();
    for reply in [Reply::Chunked(exact), Reply::Sized(exact)] {
        let server = Server::start(reply).await;
        let s: String = guarded(server.client(limit).get("thing/").send_json())
            .await
            .expect("a body at the limit is accepted");
        assert_eq!(s.len(), exact - 2);
    }
    for reply in [Reply::Chunked(exact + 1), Reply::Sized(exact + 1)] {
        let server = Server::start(reply).await;
        let err = guarded(server.client(limit).get("thing/").send_json::<String>())
            .await
            .unwrap_err();
        assert_too_large(&err, limit);
    }
}

#[tokio::test]
async fn the_default_limit_is_64_mib_and_accepts_ordinary_bodies() {
    let server = Server::start(Reply::Sized(1000)).await;
    let cfg = fast_config(&format!("http://{}/api", server.addr), 0);
    assert_eq!(cfg.max_body_bytes, marketplace_core::DEFAULT_MAX_BODY_BYTES);
    assert_eq!(marketplace_core::DEFAULT_MAX_BODY_BYTES, 64 * MIB);
    let client = HttpClient::new(cfg, Auth::None).unwrap();
    let s: String = client.get("thing/").send_json().await.expect("small body");
    assert_eq!(s.len(), 998);
}

#[tokio::test]
async fn read_body_keeps_the_limit_for_raw_responses() {
    let server = Server::start(Reply::Endless).await;
    let client = server.client(2 * MIB);
    let resp = client.get("thing/").send().await.expect("200");
    let err = guarded(client.read_body(&Method::GET, resp)).await.unwrap_err();
    assert_too_large(&err, 2 * MIB);
    let sent = server.sent_after_close().await;
    assert!(sent <= 2 * MIB + BUFFERS, "{sent}");

    let server = Server::start(Reply::Sized(5000)).await;
    let client = server.client(MIB);
    let resp = client.get("thing/").send().await.expect("200");
    let body = client.read_body(&Method::GET, resp).await.expect("body");
    assert_eq!(body.len(), 5000);
}

#[test]
fn a_zero_limit_is_a_config_error() {
    let mut cfg = fast_config("http://127.0.0.1:9/api", 0);
    cfg.max_body_bytes = 0;
    let err = HttpClient::new(cfg, Auth::None).unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("max_body_bytes"), "{err}");
}
