//! The autopilot's log: one timestamped line per action on stderr.

use numerbay_client::autopilot::{AutopilotEvent, AutopilotObserver};
use numerbay_client::TickReport;

use crate::output::count;

/// One line for a tick.
pub(super) fn summary(r: &TickReport) -> String {
    format!(
        "tick: {} round {}: {}, {} needed, {} already delivered, {} uploaded, {} failed{}{}{}",
        r.sku,
        r.selling_round,
        count(r.active_sales, "active sale", "active sales"),
        count(r.planned.len(), "copy", "copies"),
        r.delivered.len(),
        r.uploaded.len(),
        r.failed.len(),
        if r.in_flight.is_empty() {
            String::new()
        } else {
            format!(", {} pending elsewhere (not sent again yet)", r.in_flight.len())
        },
        if r.not_attempted.is_empty() {
            String::new()
        } else {
            format!(", {} left for the next run", r.not_attempted.len())
        },
        r.locked
            .map_or_else(String::new, |n| format!(", locked for round {n}")),
    )
}

/// Timestamped lines on stderr.
#[derive(Debug, Clone, Copy)]
pub(super) struct Log {
    pub quiet: bool,
}

impl Log {
    pub fn line(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            Self::error(msg);
        }
    }

    /// A line printed even under `--quiet` (failures).
    pub fn error(msg: impl std::fmt::Display) {
        eprintln!(
            "{} {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            crate::output::terminal_safe(&msg.to_string())
        );
    }
}

impl AutopilotObserver for Log {
    fn event(&self, event: &AutopilotEvent<'_>) {
        match event {
            AutopilotEvent::Predictions { round, info } => self.line(format!(
                "predictions for round {round}: {} ({} rows{})",
                info.path.display(),
                info.rows,
                if info.ran_command {
                    ", from the command"
                } else {
                    ""
                }
            )),
            AutopilotEvent::Uploading { target } => self.line(format!("uploading {}", target.label())),
            AutopilotEvent::Uploaded { target, artifact } => self.line(format!(
                "uploaded {} as artifact {} ({} bytes)",
                target.label(),
                artifact.artifact_id,
                artifact.bytes
            )),
            AutopilotEvent::UploadFailed { target, message } => {
                Self::error(format!(
                    "upload of {} failed (retried next tick): {message}",
                    target.label()
                ));
            }
            AutopilotEvent::Locked { round } => self.line(format!("locked the product for round {round}")),
            _ => {}
        }
    }
}

pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let t = s.to_string();
        if !text.contains(&t) {
            text.push_str(": ");
            text.push_str(&t);
        }
        source = s.source();
    }
    text
}
