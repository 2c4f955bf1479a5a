//! Switchable faults applied in front of every route (NumerBay, CrowdCent and storage).
//!
//! A [`FaultRule`] matches requests whose path starts with `prefix` (and optionally whose method
//! is `method`) and can add latency, answer with an error status instead of the real handler, or
//! cut the response body after some bytes (the connection is then aborted, as a network failure
//! would). `count` limits how many matching requests a rule applies to; without it the rule stays
//! until the faults are reset. The control API (`/_sandbox/faults`) is never faulted.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::AppState;

/// One fault rule, as accepted by `POST /_sandbox/faults`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Path prefix the rule applies to, e.g. `/storage/` or `/backend-api/v1/orders/search`.
    pub prefix: String,
    /// Only requests with this HTTP method (any method when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Delay before the request is handled, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Answer with this status instead of calling the handler (500 → `text/plain`
    /// `Internal Server Error`, like Starlette; 429/503 carry `Retry-After: 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Send only the first this-many bytes of the response body, then abort the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_after_bytes: Option<u64>,
    /// Apply to the next `count` matching requests only (forever when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// The current fault configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultConfig {
    /// Active rules, in the order they were added.
    pub rules: Vec<FaultRule>,
    /// When true, NumerBay's simulated Numerai submission (validation of a Numerai-direct order
    /// artifact) fails with 404 `Submission failed`.
    pub numerai_submission_fails: bool,
}

/// Shared, mutable fault switches.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    inner: Arc<Mutex<FaultConfig>>,
}

/// What the middleware decided for one request.
#[derive(Debug, Default)]
struct Plan {
    latency: Duration,
    status: Option<u16>,
    cut_after: Option<u64>,
}

impl Faults {
    /// No faults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule.
    pub fn add(&self, rule: FaultRule) {
        self.lock().rules.push(rule);
    }

    /// Removes every rule and switch.
    pub fn reset(&self) {
        *self.lock() = FaultConfig::default();
    }

    /// A copy of the current configuration.
    pub fn snapshot(&self) -> FaultConfig {
        self.lock().clone()
    }

    /// Turns the simulated Numerai submission failure on or off.
    pub fn set_numerai_submission_fails(&self, fail: bool) {
        self.lock().numerai_submission_fails = fail;
    }

    /// Whether simulated Numerai submissions fail.
    pub fn numerai_submission_fails(&self) -> bool {
        self.lock().numerai_submission_fails
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultConfig> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Consumes one use of every matching rule and returns the combined effect.
    fn plan(&self, method: &str, path: &str) -> Plan {
        let mut plan = Plan::default();
        let mut cfg = self.lock();
        for rule in &mut cfg.rules {
            if !path.starts_with(&rule.prefix) || rule.count == Some(0) {
                continue;
            }
            if rule
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            if let Some(ms) = rule.latency_ms {
                plan.latency += Duration::from_millis(ms);
            }
            if plan.status.is_none() {
                plan.status = rule.status;
            }
            if plan.cut_after.is_none() {
                plan.cut_after = rule.cut_after_bytes;
            }
            if let Some(n) = rule.count.as_mut() {
                *n -= 1;
            }
        }
        cfg.rules.retain(|r| r.count != Some(0));
        plan
    }
}

/// The fault middleware; install it on the whole router.
pub(crate) async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/_sandbox") {
        return next.run(req).await;
    }
    let plan = state.faults.plan(req.method().as_str(), path);
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    if let Some(code) = plan.status {
        return status_response(code);
    }
    let resp = next.run(req).await;
    match plan.cut_after {
        Some(limit) => cut_body(resp, limit),
        None => resp,
    }
}

fn status_response(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = status.canonical_reason().unwrap_or("Error").to_string();
    let mut resp = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response();
    if matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    }
    resp
}

enum Step {
    Data(bytes::Bytes),
    Abort,
    Stop,
    Fail(std::io::Error),
}

fn cut_body(resp: Response, limit: u64) -> Response {
    let (parts, body) = resp.into_parts();
    // `scan` ends the stream at the limit without reading the rest of the body. A body that ends
    // early is shorter than its Content-Length, so the server aborts the connection; when more
    // data follows the limit, an explicit error aborts it. The pause before the abort lets the
    // server flush the headers and the bytes sent so far. Bodies within the limit pass untouched.
    let stream = body
        .into_data_stream()
        .scan((0u64, false), move |(sent, aborted), chunk| {
            let step = if *aborted {
                Step::Stop
            } else {
                match chunk {
                    Ok(_) if *sent >= limit => {
                        *aborted = true;
                        Step::Abort
                    }
                    Ok(mut bytes) => {
                        let room = limit - *sent;
                        if (bytes.len() as u64) > room {
                            // room < bytes.len() here, so it fits in usize.
                            bytes.truncate(usize::try_from(room).unwrap_or(0));
                        }
                        *sent += bytes.len() as u64;
                        Step::Data(bytes)
                    }
                    Err(e) => Step::Fail(std::io::Error::other(e)),
                }
            };
            async move {
                match step {
                    Step::Data(b) => Some(Ok(b)),
                    Step::Fail(e) => Some(Err(e)),
                    Step::Stop => None,
                    Step::Abort => {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Some(Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "sandbox fault: body cut",
                        )))
                    }
                }
            }
        });
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_expire() {
        let faults = Faults::new();
        faults.add(FaultRule {
            prefix: "/storage/".into(),
            status: Some(503),
            count: Some(2),
            ..FaultRule::default()
        });
        assert_eq!(faults.plan("GET", "/storage/a").status, Some(503));
        assert_eq!(faults.plan("GET", "/other").status, None);
        assert_eq!(faults.plan("PUT", "/storage/b").status, Some(503));
        assert_eq!(faults.plan("GET", "/storage/a").status, None);
        assert!(faults.snapshot().rules.is_empty());
    }

    #[test]
    fn method_filter_and_latency_add_up() {
        let faults = Faults::new();
        faults.add(FaultRule {
            prefix: "/a".into(),
            latency_ms: Some(5),
            ..FaultRule::default()
        });
        faults.add(FaultRule {
            prefix: "/a".into(),
            method: Some("post".into()),
            latency_ms: Some(7),
            ..FaultRule::default()
        });
        assert_eq!(faults.plan("GET", "/a/b").latency, Duration::from_millis(5));
        assert_eq!(faults.plan("POST", "/a/b").latency, Duration::from_millis(12));
        faults.reset();
        assert_eq!(faults.plan("POST", "/a/b").latency, Duration::ZERO);
    }
}
