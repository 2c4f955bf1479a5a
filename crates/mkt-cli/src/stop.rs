//! Stop requests. `main` owns the only signal handler: on Ctrl-C/SIGTERM it records the signal
//! ([`mkt_fs::cancel::interrupt`]) and drops the running command, unless the command declared
//! with [`graceful`] that it observes the stop itself ([`requested`]): then it is left to finish
//! its report, and only a second signal drops it.

use std::sync::atomic::{AtomicUsize, Ordering};

static GRACEFUL: AtomicUsize = AtomicUsize::new(0);

/// While alive, the running command handles a stop request itself.
#[must_use = "the command observes stop requests only while the guard lives"]
pub(crate) struct Graceful(());

impl Drop for Graceful {
    fn drop(&mut self) {
        GRACEFUL.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Declares that the running command polls [`requested`] and winds down by itself.
pub(crate) fn graceful() -> Graceful {
    GRACEFUL.fetch_add(1, Ordering::SeqCst);
    Graceful(())
}

/// Whether a command holding a [`Graceful`] guard is running.
pub(crate) fn is_graceful() -> bool {
    GRACEFUL.load(Ordering::SeqCst) > 0
}

/// Whether Ctrl-C or SIGTERM was received.
pub(crate) fn requested() -> bool {
    mkt_fs::cancel::interrupted().is_some()
}
