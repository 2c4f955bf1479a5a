//! Starting, describing and stopping a sandbox: [`Sandbox`], [`SandboxOptions`], [`SandboxInfo`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{clock, control, crowdcent, faults, numerbay, storage, AppState, Error, Result};

/// How to start a sandbox.
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Port on 127.0.0.1 (an ephemeral one when `None`).
    pub port: Option<u16>,
    /// Where to keep objects and key files (a temporary directory, removed on shutdown, when `None`).
    pub data_dir: Option<PathBuf>,
}

/// A seeded username and password. Debug output hides the password.
#[derive(Clone, Serialize, PartialEq, Eq)]
pub struct Credentials {
    /// Login name.
    pub username: String,
    /// Password (a sandbox fixture, printed on purpose by `mkt sandbox serve`).
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"******")
            .finish()
    }
}

/// Where a running sandbox listens and what it was seeded with (`GET /_sandbox/info`).
#[derive(Clone, Serialize, PartialEq, Eq)]
pub struct SandboxInfo {
    /// NumerBay API base, ending in `/backend-api/v1`.
    pub numerbay_url: String,
    /// CrowdCent API base, ending in `/api`.
    pub crowdcent_url: String,
    /// Control API base, ending in `/_sandbox`.
    pub control_url: String,
    /// Storage base, ending in `/storage`.
    pub storage_url: String,
    /// The seller owning both seeded products.
    pub seller: Credentials,
    /// The buyer holding one current file-mode order on each seeded product.
    pub buyer: Credentials,
    /// The buyer's `numerbay.json` key file (mode 0600).
    pub buyer_key_file: PathBuf,
    /// The seeded CrowdCent API key.
    pub crowdcent_api_key: String,
    /// Full name (sku) of the encrypted product.
    pub encrypted_product: String,
    /// Full name (sku) of the unencrypted product.
    pub plain_product: String,
    /// Slug of the seeded CrowdCent challenge.
    pub challenge: String,
    /// The data directory.
    pub data_dir: PathBuf,
}

impl std::fmt::Debug for SandboxInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxInfo")
            .field("numerbay_url", &self.numerbay_url)
            .field("crowdcent_url", &self.crowdcent_url)
            .field("control_url", &self.control_url)
            .field("seller", &self.seller)
            .field("buyer", &self.buyer)
            .field("buyer_key_file", &self.buyer_key_file)
            .field("crowdcent_api_key", &"******")
            .field("encrypted_product", &self.encrypted_product)
            .field("plain_product", &self.plain_product)
            .field("challenge", &self.challenge)
            .finish_non_exhaustive()
    }
}

/// A running sandbox server. Dropping it without [`Sandbox::shutdown`] leaves the server task
/// running until the runtime ends.
#[derive(Debug)]
pub struct Sandbox {
    info: SandboxInfo,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    _tmp: Option<tempfile::TempDir>,
}

impl Sandbox {
    /// Starts a sandbox on an ephemeral `127.0.0.1` port with a temporary data directory.
    ///
    /// # Errors
    /// [`Error::Bind`] when no port can be bound, [`Error::Io`] / [`Error::Seed`] when the data
    /// directory or the seed files cannot be written.
    pub async fn start() -> Result<Sandbox> {
        Self::start_with(SandboxOptions::default()).await
    }

    /// Starts a sandbox with explicit options.
    ///
    /// # Errors
    /// As [`Sandbox::start`].
    pub async fn start_with(opts: SandboxOptions) -> Result<Sandbox> {
        let (tmp, data_dir) = match opts.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                    op: "create",
                    path: dir.clone(),
                    source,
                })?;
                // Absolute paths in SandboxInfo, so scripts can use them from any directory.
                let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
                (None, dir)
            }
            None => {
                let tmp = tempfile::Builder::new()
                    .prefix("mkt-sandbox-")
                    .tempdir()
                    .map_err(|source| Error::Io {
                        op: "create a temporary directory in",
                        path: std::env::temp_dir(),
                        source,
                    })?;
                let path = tmp.path().to_path_buf();
                (Some(tmp), path)
            }
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], opts.port.unwrap_or(0)));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind {
                addr: addr.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: addr.to_string(),
            source,
        })?;
        let base = format!("http://{addr}");
        let public_base = url::Url::parse(&base).map_err(|e| Error::Seed {
            what: "base url",
            source: Box::new(e),
        })?;

        let clock = clock::Clock::new();
        let storage = Arc::new(storage::Storage::new(
            data_dir.join("objects"),
            public_base,
            rand::random(),
        ));
        let (numerbay, seeded) = numerbay::seed(&data_dir, &clock)?;
        let crowdcent = crowdcent::seed(&data_dir, &storage, &clock).await?;
        let info = SandboxInfo {
            numerbay_url: format!("{base}/backend-api/v1"),
            crowdcent_url: format!("{base}{}", crowdcent::MOUNT),
            control_url: format!("{base}/_sandbox"),
            storage_url: format!("{base}/storage"),
            seller: seeded.seller,
            buyer: seeded.buyer,
            buyer_key_file: seeded.buyer_key_file,
            crowdcent_api_key: crowdcent.api_key().to_string(),
            encrypted_product: seeded.encrypted_product,
            plain_product: seeded.plain_product,
            challenge: crowdcent.challenge_slug().to_string(),
            data_dir: data_dir.clone(),
        };
        let state = AppState {
            storage,
            clock,
            faults: faults::Faults::new(),
            numerbay: Arc::new(numerbay),
            crowdcent,
            info: Arc::new(info.clone()),
        };
        let app = app(state);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        tracing::info!(%addr, data_dir = %data_dir.display(), "sandbox listening");
        Ok(Sandbox {
            info,
            addr,
            shutdown: Some(tx),
            task,
            _tmp: tmp,
        })
    }

    /// URLs and seeded credentials.
    pub fn info(&self) -> &SandboxInfo {
        &self.info
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server (in-flight requests finish) and removes a temporary data directory.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Serves until Ctrl-C, then shuts down.
    ///
    /// # Errors
    /// [`Error::Serve`] when the server stops on its own with an I/O error.
    pub async fn wait(self) -> Result<()> {
        self.serve_until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    }

    /// Serves until `stop` completes, then shuts down: for a host that owns the signal handling
    /// (pass `std::future::pending()` to serve until the future is dropped).
    ///
    /// # Errors
    /// [`Error::Serve`] when the server stops on its own with an I/O error.
    pub async fn serve_until(mut self, stop: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::select! {
            () = stop => {
                self.shutdown().await;
                Ok(())
            }
            res = &mut self.task => match res {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(Error::Serve(e)),
                Err(e) => Err(Error::Serve(std::io::Error::other(e))),
            },
        }
    }
}

/// The full router: NumerBay, CrowdCent, storage and control API behind the fault middleware.
pub(crate) fn app(state: AppState) -> Router {
    Router::new()
        .nest("/backend-api/v1", numerbay::router())
        .nest(crowdcent::MOUNT, crowdcent::router())
        .merge(storage::router())
        .nest("/_sandbox", control::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(numerbay::slash_redirect))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::middleware,
        ))
        .with_state(state)
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({"detail": "Not Found"})),
    )
        .into_response()
}
