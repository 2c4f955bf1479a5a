//! One tokio runtime per process, and [`block`]: runs a future without the GIL, Ctrl-C aware.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How often a running call takes the GIL back to let Python handle signals (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// The runtime and the process that started it.
static RUNTIME: Mutex<Option<(u32, &'static tokio::runtime::Runtime)>> = Mutex::new(None);

/// The process's runtime (created on first use; its worker threads live as long as the process,
/// which keeps a [`crate::sandbox::Sandbox`] serving between calls).
///
/// A process forked after the runtime started (`multiprocessing`'s default on Linux) has none of
/// its threads, so it gets a runtime of its own; the parent's is left alone (never shut down or
/// dropped in the child, since its epoll instance is shared with the parent).
pub fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = *slot {
        if owner == pid {
            return Ok(rt);
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("mkt-worker")
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("could not start mkt's async runtime: {e}")))?;
    let rt: &'static tokio::runtime::Runtime = Box::leak(Box::new(rt));
    *slot = Some((pid, rt));
    Ok(rt)
}

/// A value that belongs to the process that created it: a client or a sandbox holds connections
/// and tasks of that process's runtime, which a forked child must neither use nor drop (dropping
/// would deregister sockets from the epoll instance the child shares with its parent).
#[derive(Debug)]
pub struct ForkGuard<T> {
    pid: u32,
    value: Option<T>,
}

impl<T> ForkGuard<T> {
    /// Wraps `value`, owned by the current process.
    pub fn new(value: T) -> Self {
        Self {
            pid: std::process::id(),
            value: Some(value),
        }
    }

    /// The value, or a `RuntimeError` in a forked child.
    ///
    /// # Errors
    /// `RuntimeError` when called in another process than the one that created the value.
    pub fn get(&self) -> PyResult<&T> {
        match &self.value {
            Some(value) if self.pid == std::process::id() => Ok(value),
            _ => Err(PyRuntimeError::new_err(format!(
                "this mkt object was created in process {} and this process ({}) is a fork of it; \
                 create a new client (or sandbox) in this process, or start workers with \
                 multiprocessing's \"spawn\" or \"forkserver\" method",
                self.pid,
                std::process::id()
            ))),
        }
    }

    /// The value for the owning process's cleanup (`None` in a forked child).
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.pid == std::process::id() {
            self.value.as_mut()
        } else {
            None
        }
    }
}

impl<T> Drop for ForkGuard<T> {
    fn drop(&mut self) {
        if self.pid != std::process::id() {
            // The parent's connections and tasks: leave them untouched.
            std::mem::forget(self.value.take());
        }
    }
}

/// Runs `fut` to completion on the runtime with the GIL released.
///
/// The call runs under its own [`mkt_fs::cancel::Token`]. Every `SIGNAL_POLL` the GIL is taken
/// back for `check_signals`: when a Python signal handler raises (Ctrl-C → `KeyboardInterrupt`,
/// which Python delivers to the main thread), this call's token is cancelled (nothing of it is put
/// in place any more and its blocking work stops at its next chunk), the future is dropped (its
/// temp files are removed) and the exception propagates. Calls running in other threads go on.
///
/// # Errors
/// The exception a signal handler raised; a `RuntimeError` in a process forked from the one that
/// started the runtime.
pub fn block<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let rt = runtime()?;
    let token = mkt_fs::cancel::Token::new();
    let mut fut = token.scope(fut);
    loop {
        let step = py.detach(|| rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, &mut fut).await }));
        match step {
            Ok(out) => return Ok(out),
            Err(_still_running) => {
                if let Err(signal) = py.check_signals() {
                    token.cancel();
                    // Dropping the future runs the writers' cleanup (temp files removed); blocking
                    // work sees the token at its next chunk and removes its own.
                    py.detach(move || drop(fut));
                    return Err(signal);
                }
            }
        }
    }
}

/// Installs a stderr log subscriber for `level` (the official client's `verbosity`) once per
/// process; later calls (another client with another verbosity) keep the first. mkt logs every
/// request at info, which the CLI shows only with `-v`: so `DEBUG` shows requests, `INFO` and
/// `WARNING` show warnings (retries, waits), `ERROR`/`CRITICAL` errors only.
pub fn init_logging(level: &str) {
    let filter = match level.to_ascii_lowercase().as_str() {
        "debug" => "info",
        "error" | "critical" => "error",
        _ => "warn",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
