//! Process-wide interruption: once [`interrupt`] returns, no destination is put in place any more.
//!
//! A signal handler calls [`interrupt`]; blocking loops call [`check`] between pieces of work;
//! [`Output::commit`](crate::Output::commit) checks the flag under the same lock it renames under,
//! so a rename either finished before the interruption was recorded or never happens.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

use crate::{Error, Result};

/// 0 = running; otherwise the [`Signal`] code.
static STATE: AtomicU8 = AtomicU8::new(0);
/// Held while a destination is renamed into place and while an interruption is recorded.
static COMMIT: Mutex<()> = Mutex::new(());

/// Why the process is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signal {
    /// Ctrl-C (SIGINT), or `KeyboardInterrupt` in an embedding interpreter.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Signal {
    fn code(self) -> u8 {
        match self {
            Signal::Interrupt => 2,
            Signal::Terminate => 15,
        }
    }
}

/// Records an interruption. After this returns, every later [`check`] fails and no
/// [`Output::commit`](crate::Output::commit) renames anything; a rename already under way has
/// finished.
pub fn interrupt(signal: Signal) {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    // The first signal wins: a SIGTERM after Ctrl-C does not change the exit code.
    let _ = STATE.compare_exchange(0, signal.code(), Ordering::SeqCst, Ordering::SeqCst);
}

/// The interruption recorded so far, if any.
pub fn interrupted() -> Option<Signal> {
    match STATE.load(Ordering::SeqCst) {
        0 => None,
        15 => Some(Signal::Terminate),
        _ => Some(Signal::Interrupt),
    }
}

/// Fails with [`Error::Interrupted`] once [`interrupt`] was called. Cheap: call it per chunk.
///
/// # Errors
/// [`Error::Interrupted`].
pub fn check() -> Result<()> {
    match STATE.load(Ordering::Relaxed) {
        0 => Ok(()),
        _ => Err(Error::Interrupted),
    }
}

/// Clears the flag, for a host process (an interpreter) that goes on after an interrupted call.
pub fn reset() {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    STATE.store(0, Ordering::SeqCst);
}

/// Runs `place` (a rename) unless the process was interrupted, under the commit lock.
pub(crate) fn commit_with<T>(place: impl FnOnce() -> Result<T>) -> Result<T> {
    let _guard = COMMIT.lock().unwrap_or_else(|p| p.into_inner());
    if STATE.load(Ordering::SeqCst) != 0 {
        return Err(Error::Interrupted);
    }
    place()
}
