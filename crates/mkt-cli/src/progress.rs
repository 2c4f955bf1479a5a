//! Progress bars on stderr (indicatif), drawn only when [`crate::Context::progress`] allows.
//!
//! Labels may hold server or file names, so they go through [`terminal_safe`] here.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::terminal_safe;
use crate::Context;

/// A byte-transfer progress bar, hidden unless the context allows drawing.
pub fn bytes_bar(ctx: &Context, len: Option<u64>, label: &str) -> ProgressBar {
    let bar = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    if !ctx.progress {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style =
        ProgressStyle::with_template("{msg:20} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(terminal_safe(label).into_owned());
    bar
}

/// A spinner for waiting (polling) with a message, hidden unless the context allows drawing.
pub fn spinner(ctx: &Context, msg: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if !ctx.progress {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_message(terminal_safe(msg).into_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
