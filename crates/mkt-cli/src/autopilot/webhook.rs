//! The webhook listener: a NumerBay product webhook POST (spec §4.5) triggers an immediate tick.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use marketplace_types::numerbay::WebhookPayload;
use tokio::sync::mpsc;

/// What the handler shares with the run loop.
#[derive(Clone)]
struct Shared {
    /// The product id once known (0 = not resolved yet: every webhook triggers a tick).
    product_id: Arc<AtomicU64>,
    tx: mpsc::Sender<WebhookPayload>,
}

/// A bound listener, serving in the background until the process ends.
pub(super) struct Listener {
    /// The bound address (the real port when `:0` was asked for).
    pub addr: SocketAddr,
    /// Webhooks that should trigger a tick.
    pub rx: mpsc::Receiver<WebhookPayload>,
}

/// Binds `addr` and serves: `POST` to any path with the webhook JSON → 202 and a tick request;
/// a webhook for another product → 200 and ignored; a body that is not the payload → 400;
/// other methods → 405.
///
/// # Errors
/// The address cannot be bound.
pub(super) async fn listen(addr: SocketAddr, product_id: Arc<AtomicU64>) -> std::io::Result<Listener> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    // Webhooks arriving during a tick coalesce: one pending request is enough.
    let (tx, rx) = mpsc::channel(4);
    let shared = Shared { product_id, tx };
    let app = axum::Router::new().fallback(handle).with_state(shared);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(error = %e, "webhook listener stopped");
        }
    });
    Ok(Listener { addr: bound, rx })
}

async fn handle(
    axum::extract::State(shared): axum::extract::State<Shared>,
    method: Method,
    body: Bytes,
) -> axum::response::Response {
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(serde_json::json!({"error": "POST the NumerBay webhook JSON"})),
        )
            .into_response();
    }
    let payload: WebhookPayload = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({"error": format!("not a NumerBay webhook payload: {e}")})),
            )
                .into_response()
        }
    };
    let ours = shared.product_id.load(Ordering::SeqCst);
    if ours != 0 && payload.product_id.get() != ours {
        return (
            StatusCode::OK,
            Json(serde_json::json!({"ignored": "another product"})),
        )
            .into_response();
    }
    // A full queue means a tick is already due; dropping this one loses nothing.
    let _ = shared.tx.try_send(payload);
    (StatusCode::ACCEPTED, Json(serde_json::json!({"queued": true}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn webhook_posts_queue_ticks_and_others_are_refused() {
        let id = Arc::new(AtomicU64::new(7));
        let mut l = listen("127.0.0.1:0".parse().expect("addr"), id)
            .await
            .expect("bind");
        let url = format!("http://{}/hook", l.addr);
        let client = marketplace_core::reqwest::Client::new();
        let body = serde_json::json!({"date": null, "product_id": 7, "product_category": "numerai-predictions",
            "product_name": "x", "product_full_name": "numerai-predictions-x", "model_id": null,
            "tournament": 8, "order_id": 12, "round_tournament": 500});
        let res = client.post(&url).json(&body).send().await.expect("post");
        assert_eq!(res.status().as_u16(), 202);
        let got = l.rx.recv().await.expect("queued");
        assert_eq!(got.order_id.map(|o| o.get()), Some(12));

        let other = serde_json::json!({"product_id": 8});
        let res = client.post(&url).json(&other).send().await.expect("post");
        assert_eq!(res.status().as_u16(), 200);
        let res = client.post(&url).body("nope").send().await.expect("post");
        assert_eq!(res.status().as_u16(), 400);
        let res = client.get(&url).send().await.expect("get");
        assert_eq!(res.status().as_u16(), 405);
        assert!(
            l.rx.try_recv().is_err(),
            "only the matching webhook queues a tick"
        );
    }
}
