//! One tokio runtime per process, and [`block`]: runs a future without the GIL, Ctrl-C aware.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// How often a running call takes the GIL back to let Python handle signals (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(50);

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// The process's runtime (created on first use; its worker threads live as long as the process,
/// which keeps a [`crate::sandbox::Sandbox`] serving between calls).
pub fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("mkt-worker")
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("could not start mkt's async runtime: {e}")))?;
    Ok(RUNTIME.get_or_init(|| rt))
}

/// Runs `fut` to completion on the runtime with the GIL released.
///
/// Every `SIGNAL_POLL` the GIL is taken back for `check_signals`: when a Python signal
/// handler raises (Ctrl-C → `KeyboardInterrupt`), the interruption is recorded for the file
/// writer (`mkt_fs::cancel`, so nothing is put in place any more and blocking work stops at its
/// next chunk), the future is dropped (its temp files are removed) and the exception propagates.
/// The flag is cleared again at the start of the next call.
///
/// # Errors
/// The exception a signal handler raised.
pub fn block<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let rt = runtime()?;
    mkt_fs::cancel::reset();
    let mut fut = Box::pin(fut);
    loop {
        let step = py.detach(|| rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, &mut fut).await }));
        match step {
            Ok(out) => return Ok(out),
            Err(_still_running) => {
                if let Err(signal) = py.check_signals() {
                    mkt_fs::cancel::interrupt(mkt_fs::cancel::Signal::Interrupt);
                    // Dropping the future runs the writers' cleanup (temp files removed); blocking
                    // work sees the flag at its next chunk and removes its own.
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
