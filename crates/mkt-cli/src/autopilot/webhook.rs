//! The webhook listener: an authenticated NumerBay product webhook POST (spec §4.5) asks for a tick.
//!
//! Hardening, because the listener may face the internet:
//! - with a secret, every request must carry it (`?token=SECRET`, which NumerBay's webhook URL can
//!   hold, or `Authorization: Bearer SECRET`), compared in constant time; anything else is a 401
//!   that triggers nothing;
//! - requests only *ask* for a tick ([`Trigger`]): any number of them merge into one pending tick,
//!   which the run loop starts no sooner than `--min-tick-interval` after the previous one;
//! - at most [`MAX_CONNECTIONS`] connections are open at once (more wait in the kernel's backlog),
//!   and a connection that has not sent a whole request [`REQUEST_TIMEOUT`] after it opened (or
//!   after its last response) is closed, so idle or trickling clients cannot starve the listener;
//! - bodies are read only after the secret matched, and only up to [`MAX_BODY`]; every answer
//!   closes its connection (`Connection: close`).

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use marketplace_types::numerbay::WebhookPayload;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore};
use tokio::time::Instant;

use super::Args;
use crate::exit::{self, Failure};
use bounded::Bounded;

/// Connections served at once; further ones wait until one closes.
pub(super) const MAX_CONNECTIONS: usize = 64;
/// Time a connection has to send a whole request (after it opened or after its last response).
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The environment variable holding the secret (also read from ./.env).
pub(super) const SECRET_VAR: &str = "MKT_WEBHOOK_SECRET";
/// Largest webhook body read (NumerBay's payload is a few hundred bytes).
pub(super) const MAX_BODY: usize = 64 * 1024;

/// How to listen.
#[derive(Debug)]
pub(super) struct ListenConfig {
    /// The address to bind.
    pub addr: SocketAddr,
    /// The secret every request must carry; `None` accepts every request (loopback only).
    pub secret: Option<SecretString>,
    /// Connections served at once.
    pub max_connections: usize,
    /// Time a connection has to send a whole request.
    pub request_timeout: Duration,
}

impl ListenConfig {
    /// `addr` with the default limits.
    pub fn new(addr: SocketAddr, secret: Option<SecretString>) -> Self {
        Self {
            addr,
            secret,
            max_connections: MAX_CONNECTIONS,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// A bound listener, serving in the background until the process ends.
pub(super) struct Listening {
    /// The bound address (the real port when `:0` was asked for).
    pub addr: SocketAddr,
    /// Where accepted webhooks ask for a tick.
    pub trigger: Arc<Trigger>,
}

/// Tick requests, merged until the run loop takes them.
#[derive(Debug, Default)]
pub(super) struct Trigger {
    pending: Mutex<Merged>,
    notify: Notify,
}

/// The webhooks merged into one tick.
#[derive(Debug, Default)]
pub(super) struct Merged {
    /// How many requests asked for it.
    pub requests: usize,
    /// The newest payload.
    pub last: Option<WebhookPayload>,
}

impl Trigger {
    /// Asks for a tick; a tick already asked for absorbs this request.
    pub fn request(&self, payload: WebhookPayload) {
        let first = {
            let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            p.requests += 1;
            p.last = Some(payload);
            p.requests == 1
        };
        if first {
            self.notify.notify_one();
        }
    }

    /// Takes every request so far (a tick about to start serves them all).
    pub fn take(&self) -> Merged {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Waits for a request, then until `not_before`, and takes every request merged meanwhile.
    /// Cancel-safe: requests stay pending until [`take`](Self::take)n.
    pub async fn next(&self, not_before: Instant) -> Merged {
        loop {
            self.notify.notified().await;
            tokio::time::sleep_until(not_before).await;
            let merged = self.take();
            // A stale wake-up: a tick took the requests after the notification was stored.
            if merged.requests > 0 {
                return merged;
            }
        }
    }
}

/// What the handler shares with the run loop.
#[derive(Clone)]
struct Shared {
    /// The product id once known (0 = not resolved yet: every webhook asks for a tick).
    product_id: Arc<AtomicU64>,
    secret: Option<Arc<SecretString>>,
    trigger: Arc<Trigger>,
}

/// Binds and serves: a request without the secret → 401; `POST` with the webhook JSON → 202 and a
/// tick request; a webhook for another product → 200 and ignored; a body that is not the
/// payload → 400; other methods → 405.
///
/// # Errors
/// The address cannot be bound.
pub(super) async fn listen(config: ListenConfig, product_id: Arc<AtomicU64>) -> io::Result<Listening> {
    let listener = TcpListener::bind(config.addr).await?;
    let bound = listener.local_addr()?;
    let trigger = Arc::new(Trigger::default());
    let shared = Shared {
        product_id,
        secret: config.secret.map(Arc::new),
        trigger: Arc::clone(&trigger),
    };
    let app = axum::Router::new().fallback(handle).with_state(shared);
    let bounded = Bounded {
        inner: listener,
        permits: Arc::new(Semaphore::new(config.max_connections.max(1))),
        timeout: config.request_timeout,
    };
    tokio::spawn(async move {
        if let Err(e) = axum::serve(bounded, app).await {
            tracing::warn!(error = %e, "webhook listener stopped");
        }
    });
    Ok(Listening { addr: bound, trigger })
}

async fn handle(axum::extract::State(shared): axum::extract::State<Shared>, req: Request<Body>) -> Response {
    if let Some(secret) = &shared.secret {
        if !authorized(secret, req.headers(), req.uri().query()) {
            let mut res = reply(
                StatusCode::UNAUTHORIZED,
                serde_json::json!({"error": "missing or wrong webhook token: add ?token=SECRET to the URL or send Authorization: Bearer SECRET"}),
            );
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return res;
        }
    }
    if req.method() != Method::POST {
        return reply(
            StatusCode::METHOD_NOT_ALLOWED,
            serde_json::json!({"error": "POST the NumerBay webhook JSON"}),
        );
    }
    let body = match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                serde_json::json!({"error": format!("a webhook body is at most {MAX_BODY} bytes")}),
            )
        }
    };
    let payload: WebhookPayload = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return reply(
                StatusCode::BAD_REQUEST,
                serde_json::json!({"error": format!("not a NumerBay webhook payload: {e}")}),
            )
        }
    };
    let ours = shared.product_id.load(Ordering::SeqCst);
    if ours != 0 && payload.product_id.get() != ours {
        return reply(StatusCode::OK, serde_json::json!({"ignored": "another product"}));
    }
    shared.trigger.request(payload);
    reply(StatusCode::ACCEPTED, serde_json::json!({"queued": true}))
}

/// A JSON answer that closes the connection: webhooks come one at a time, and an idle keep-alive
/// connection would hold one of the few connection slots until it times out.
fn reply(status: StatusCode, body: serde_json::Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Whether the request carries `secret` as `?token=` or as a bearer token.
fn authorized(secret: &SecretString, headers: &HeaderMap, query: Option<&str>) -> bool {
    let want = secret.expose_secret().as_bytes();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    // The secret is restricted to URL-safe characters (checked when parsing the arguments), so
    // the raw query value needs no percent-decoding.
    let in_query = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.strip_prefix("token="));
    bearer
        .into_iter()
        .chain(in_query)
        .fold(false, |ok, given| ok | constant_time_eq(given.as_bytes(), want))
}

/// Compares without stopping at the first difference (the length is not hidden).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The next webhook-requested tick, no sooner than `not_before`; never without a listener.
pub(super) async fn next_hook(hooks: Option<&Trigger>, not_before: Instant) -> Merged {
    match hooks {
        Some(t) => t.next(not_before).await,
        None => std::future::pending().await,
    }
}

pub(super) fn line(merged: &Merged) -> String {
    let what = match merged.last.as_ref().map(|p| p.order_id) {
        Some(Some(o)) => format!("order {o} confirmed"),
        _ => "round open".to_owned(),
    };
    let more = match merged.requests {
        0 | 1 => String::new(),
        n => format!(" ({n} requests merged)"),
    };
    format!("webhook: {what}{more}; ticking now")
}

/// `--webhook-listen`: a bare port binds loopback.
pub(super) fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse().map_err(|_| {
        format!("`{text}` is not a port or an address with a port: use e.g. 8787 or 127.0.0.1:8787")
    })
}

/// Never fails, so that clap never echoes a secret in an error; [`config`] checks it.
pub(super) fn parse_secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

/// The listener's configuration, or a usage error (exit 2) for an unsafe or unusable combination.
pub(super) fn config(args: &Args) -> anyhow::Result<Option<ListenConfig>> {
    let Some(addr) = args.webhook_listen else {
        return Ok(None);
    };
    // Clap reads the environment before ./.env is loaded (at startup, after parsing); the secret
    // may sit there too.
    let secret = args
        .webhook_secret
        .clone()
        .or_else(|| std::env::var(SECRET_VAR).ok().map(SecretString::from));
    if let Some(s) = &secret {
        let text = s.expose_secret();
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
        {
            return Err(Failure::new(
                exit::USAGE,
                anyhow::anyhow!(
                    "the webhook secret must be non-empty and use only letters, digits, '-', '_', '.' and '~' (it goes into the webhook URL)"
                ),
            )
            .hint("generate one with `openssl rand -hex 32` and put it in MKT_WEBHOOK_SECRET")
            .into());
        }
    }
    if secret.is_none() && !addr.ip().is_loopback() {
        return Err(Failure::new(
            exit::USAGE,
            anyhow::anyhow!(
                "refusing to listen for webhooks on {addr} without a secret: anyone who can reach it could make the autopilot tick at will"
            ),
        )
        .hint(format!(
            "set MKT_WEBHOOK_SECRET (or --webhook-secret) and register http://HOST:{port}/?token=SECRET as the product's webhook, or listen on 127.0.0.1:{port} behind a reverse proxy",
            port = addr.port()
        ))
        .into());
    }
    Ok(Some(ListenConfig::new(addr, secret)))
}

mod bounded;

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cret-token_1.x~";

    fn body(product: u64, order: u64) -> serde_json::Value {
        serde_json::json!({"date": null, "product_id": product, "product_category": "numerai-predictions",
            "product_name": "x", "product_full_name": "numerai-predictions-x", "model_id": null,
            "tournament": 8, "order_id": order, "round_tournament": 500})
    }

    async fn start(secret: Option<&str>, max_connections: usize, timeout: Duration) -> Listening {
        let config = ListenConfig {
            addr: "127.0.0.1:0".parse().expect("addr"),
            secret: secret.map(SecretString::from),
            max_connections,
            request_timeout: timeout,
        };
        listen(config, Arc::new(AtomicU64::new(7))).await.expect("bind")
    }

    fn client() -> marketplace_core::reqwest::Client {
        marketplace_core::reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn only_requests_with_the_secret_ask_for_a_tick() {
        let l = start(Some(SECRET), MAX_CONNECTIONS, REQUEST_TIMEOUT).await;
        let url = format!("http://{}/hook", l.addr);
        let c = client();
        let status = |res: marketplace_core::reqwest::Response| res.status().as_u16();
        let post = |u: String| c.post(u).json(&body(7, 12)).send();

        let res = post(url.clone()).await.expect("post");
        assert_eq!(res.status().as_u16(), 401);
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            status(post(format!("{url}?token=wrong")).await.expect("post")),
            401
        );
        assert_eq!(
            status(post(format!("{url}?token={SECRET}x")).await.expect("post")),
            401
        );
        assert_eq!(
            status(post(format!("{url}?tok={SECRET}")).await.expect("post")),
            401
        );
        let wrong_bearer = c.post(&url).bearer_auth("wrong").json(&body(7, 12)).send();
        assert_eq!(status(wrong_bearer.await.expect("post")), 401);
        let basic = c
            .post(&url)
            .basic_auth(SECRET, Some(SECRET))
            .json(&body(7, 12))
            .send();
        assert_eq!(status(basic.await.expect("post")), 401);
        // Even a GET or garbage is refused before anything else is looked at.
        assert_eq!(status(c.get(&url).send().await.expect("get")), 401);
        assert_eq!(status(c.post(&url).body("nope").send().await.expect("post")), 401);
        assert_eq!(l.trigger.take().requests, 0, "a 401 triggers nothing");

        let query = post(format!("{url}?a=1&token={SECRET}")).await.expect("post");
        assert_eq!(query.status().as_u16(), 202);
        let bearer = c.post(&url).bearer_auth(SECRET).json(&body(7, 13)).send();
        assert_eq!(status(bearer.await.expect("post")), 202);
        let merged = l.trigger.take();
        assert_eq!(merged.requests, 2);
        assert_eq!(merged.last.and_then(|p| p.order_id).map(|o| o.get()), Some(13));

        let authed = format!("{url}?token={SECRET}");
        let other = serde_json::json!({"product_id": 8});
        assert_eq!(
            status(c.post(&authed).json(&other).send().await.expect("post")),
            200
        );
        assert_eq!(
            status(c.post(&authed).body("nope").send().await.expect("post")),
            400
        );
        assert_eq!(status(c.get(&authed).send().await.expect("get")), 405);
        let big = "x".repeat(MAX_BODY + 1);
        assert_eq!(status(c.post(&authed).body(big).send().await.expect("post")), 413);
        assert_eq!(
            l.trigger.take().requests,
            0,
            "only the matching webhook asks for a tick"
        );
    }

    #[tokio::test]
    async fn without_a_secret_every_webhook_is_accepted() {
        let l = start(None, MAX_CONNECTIONS, REQUEST_TIMEOUT).await;
        let res = client()
            .post(format!("http://{}/", l.addr))
            .json(&body(7, 12))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 202);
        assert_eq!(l.trigger.take().requests, 1);
    }

    #[test]
    fn comparison_needs_the_whole_secret() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
        let secret = SecretString::from("abc");
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert!(authorized(&secret, &headers, None));
        assert!(authorized(&secret, &HeaderMap::new(), Some("token=abc")));
        assert!(!authorized(&secret, &HeaderMap::new(), Some("token=ab")));
        assert!(!authorized(&secret, &HeaderMap::new(), None));
    }

    #[tokio::test]
    async fn a_burst_of_webhooks_makes_one_tick_and_merges_the_rest_into_the_next() {
        let min = REQUEST_TIMEOUT; // the default --min-tick-interval: far longer than the burst
        let l = start(Some(SECRET), MAX_CONNECTIONS, REQUEST_TIMEOUT).await;
        let trigger = Arc::clone(&l.trigger);
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        // The run loop: each tick starts no sooner than `min` after the previous one.
        let ticks = tokio::spawn(async move {
            let mut merged = Vec::new();
            let mut last = Instant::now() - min;
            loop {
                tokio::select! {
                    m = trigger.next(last + min) => {
                        last = Instant::now();
                        merged.push(m.requests);
                    }
                    _ = &mut stop_rx => return merged,
                }
            }
        });
        let url = format!("http://{}/?token={SECRET}", l.addr);
        let c = client();
        let mut posts = tokio::task::JoinSet::new();
        for i in 0..200u64 {
            let (c, url) = (c.clone(), url.clone());
            posts.spawn(async move {
                let res = c.post(url).json(&body(7, i)).send().await;
                res.map(|r| r.status().as_u16()).ok()
            });
        }
        let statuses = posts.join_all().await;
        assert!(statuses.iter().all(|s| *s == Some(202)), "{statuses:?}");
        stop_tx.send(()).expect("loop running");
        let merged = ticks.await.expect("loop");
        assert_eq!(merged.len(), 1, "one tick during the burst: {merged:?}");
        let pending = l.trigger.take().requests;
        assert_eq!(merged[0] + pending, 200, "the rest wait merged for one more tick");
    }

    #[tokio::test]
    async fn a_requested_tick_waits_for_the_minimum_interval() {
        let min = Duration::from_millis(100);
        let trigger = Trigger::default();
        let payload: WebhookPayload = serde_json::from_value(body(7, 1)).expect("payload");
        trigger.request(payload.clone());
        let first = trigger.next(Instant::now() - min).await;
        let t1 = Instant::now();
        trigger.request(payload.clone());
        trigger.request(payload.clone());
        let second = trigger.next(t1 + min).await;
        assert!(t1.elapsed() >= min, "{:?}", t1.elapsed());
        assert_eq!((first.requests, second.requests), (1, 2));
        // A tick that took the requests leaves a stale wake-up behind; it starts no tick.
        trigger.request(payload);
        trigger.take();
        let stale = tokio::time::timeout(min, trigger.next(Instant::now())).await;
        assert!(stale.is_err(), "no request, no tick");
    }

    #[tokio::test]
    async fn idle_connections_beyond_the_limit_are_closed_and_requests_still_served() {
        use tokio::io::AsyncReadExt;
        use tokio::net::TcpStream;
        let timeout = Duration::from_millis(100);
        let l = start(Some(SECRET), 4, timeout).await;
        let mut idle = Vec::new();
        for _ in 0..12 {
            idle.push(TcpStream::connect(l.addr).await.expect("connect"));
        }
        // A client trickling a request it never finishes counts as idle too.
        let mut slow = TcpStream::connect(l.addr).await.expect("connect");
        tokio::io::AsyncWriteExt::write_all(&mut slow, b"POST / HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("write");
        let started = std::time::Instant::now();
        let res = client()
            .post(format!("http://{}/?token={SECRET}", l.addr))
            .json(&body(7, 1))
            .send()
            .await
            .expect("served despite the idle connections");
        assert_eq!(res.status().as_u16(), 202);
        let waited = started.elapsed();
        for mut conn in idle.into_iter().chain([slow]) {
            let mut buf = [0u8; 64];
            let read = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut buf))
                .await
                .expect("the server closes idle connections");
            assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
        }
        assert!(waited < Duration::from_secs(10), "{waited:?}");
    }
}
