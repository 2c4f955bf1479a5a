//! Progress bars on stderr (indicatif), drawn only when [`crate::Context::progress`] allows
//! (stderr is a terminal, not `--quiet`, not JSON, not `--no-progress`); otherwise every bar is
//! hidden and nothing at all reaches stderr.
//!
//! Labels may hold server or file names, so they go through [`terminal_safe`] here.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use marketplace_core::Progress;

use crate::output::terminal_safe;
use crate::Context;

/// How often spinners move while nothing else happens.
const TICK: Duration = Duration::from_millis(120);

/// A byte-transfer bar with a known length (a spinner with a byte count while `len` is unknown;
/// [`set_total`](Progress::set_total) through [`sink`] switches it to a bar). Hidden unless the
/// context allows drawing.
pub fn bytes_bar(ctx: &Context, len: Option<u64>, label: &str) -> ProgressBar {
    let bar = configured(len, label);
    if ctx.progress {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.enable_steady_tick(TICK);
    }
    bar
}

/// The bar of one transfer as the library's progress sink: the first known total turns the
/// spinner into a bar, a restart goes back to zero.
pub fn sink(bar: &ProgressBar) -> Arc<dyn Progress> {
    Arc::new(Sink(bar.clone()))
}

struct Sink(ProgressBar);

impl Progress for Sink {
    fn set_total(&self, total: Option<u64>) {
        if let Some(t) = total {
            self.0.set_length(t);
            self.0.set_style(bar_style());
        }
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
    fn restart(&self) {
        self.0.set_position(0);
    }
}

/// Several concurrent transfers, one line each, labels padded to the widest one. Every line is
/// removed by [`finish`](Transfers::finish), so no `0 B/0 B` line is left behind.
#[derive(Debug)]
pub struct Transfers {
    multi: MultiProgress,
    bars: Mutex<Vec<(String, ProgressBar)>>,
}

impl Transfers {
    /// No lines yet; hidden unless the context allows drawing.
    pub fn new(ctx: &Context) -> Self {
        let target = if ctx.progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(Vec::new()),
        }
    }

    /// Adds a line for `label` (a spinner until its total is known).
    pub fn add(&self, label: &str) -> ProgressBar {
        // Created hidden and only then added: a bar drawn on its own before joining the group
        // would leave its first line behind.
        let bar = self.multi.add(configured(None, label));
        if !self.multi.is_hidden() {
            bar.enable_steady_tick(TICK);
        }
        if let Ok(mut bars) = self.bars.lock() {
            bars.push((terminal_safe(label).into_owned(), bar.clone()));
            let width = bars.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
            for (l, b) in bars.iter() {
                b.set_message(pad(l, width));
            }
        }
        bar
    }

    /// Removes every line.
    pub fn finish(&self) {
        if let Ok(bars) = self.bars.lock() {
            for (_, b) in bars.iter() {
                b.finish_and_clear();
            }
        }
        let _ = self.multi.clear();
    }
}

fn pad(label: &str, width: usize) -> String {
    format!("{label:<width$}")
}

/// A hidden bar with the style for `len` and the label as its message.
fn configured(len: Option<u64>, label: &str) -> ProgressBar {
    let bar = ProgressBar::hidden();
    match len {
        Some(n) => {
            bar.set_length(n);
            bar.set_style(bar_style());
        }
        None => bar.set_style(counter_style()),
    }
    bar.set_message(terminal_safe(label).into_owned());
    bar
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn counter_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {bytes} {bytes_per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::OutputFormat;

    fn ctx(progress: bool) -> Context {
        Context {
            output: OutputFormat::Table,
            base_url: None,
            quiet: false,
            verbose: 0,
            progress,
        }
    }

    #[test]
    fn bars_are_hidden_unless_allowed() {
        assert!(bytes_bar(&ctx(false), Some(10), "x").is_hidden());
        let t = Transfers::new(&ctx(false));
        assert!(t.add("a").is_hidden());
    }

    #[test]
    fn labels_are_padded_to_the_widest() {
        let t = Transfers::new(&ctx(false));
        let a = t.add("order 1");
        let b = t.add("product artifact");
        assert_eq!(a.message().chars().count(), "product artifact".len());
        assert_eq!(b.message(), "product artifact");
        t.finish();
        assert!(a.is_finished() && b.is_finished());
    }

    #[test]
    fn a_known_total_turns_the_counter_into_a_bar() {
        let bar = bytes_bar(&ctx(false), None, "x");
        assert_eq!(bar.length(), None);
        let s = sink(&bar);
        s.set_total(Some(100));
        s.advance(40);
        assert_eq!((bar.length(), bar.position()), (Some(100), 40));
        s.restart();
        assert_eq!(bar.position(), 0);
    }
}
