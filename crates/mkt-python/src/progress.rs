//! Progress bars on stderr for transfers (the `show_progress_bars` flag), fed by the clients'
//! progress callbacks.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
// marketplace-core's progress callback, as the clients re-export it.
use crowdcent_client::Progress;

/// One bar for one transfer.
#[derive(Debug)]
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar labelled `label`, or `None` when bars are off.
    pub fn sink(show: bool, label: &str) -> Option<Arc<dyn Progress>> {
        if !show {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
        ) {
            bar.set_style(style);
        }
        bar.set_message(label.to_owned());
        Some(Arc::new(Bar(bar)))
    }
}

impl Progress for Bar {
    fn set_total(&self, total: Option<u64>) {
        if let Some(t) = total {
            self.0.set_length(t);
        }
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn restart(&self) {
        self.0.reset();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
