//! Predictions for a round: a file, or a command run once per round; validated before any upload.

use std::path::{Path, PathBuf};

use frame_io::{RuleSet, ValidationReport};
use marketplace_core::command::{self, Ended, ShellCommand};
use serde::Serialize;

use super::state::PredictionsRecord;
use super::AutopilotError;

/// Bytes of the command's stderr kept for the error message.
const STDERR_TAIL: usize = 2000;

/// Where the round's predictions come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PredictionsSource {
    /// An existing file (validated again whenever its size or modification time changes).
    File(PathBuf),
    /// A shell command run once per round. `{out}` is replaced by the path the command must
    /// write (quoted with `shlex`), `{round}` by the selling round. Run with `sh -c` (`cmd /C` on
    /// Windows) in its own process group.
    Command(String),
}

/// The predictions used by a tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredictionsInfo {
    /// The validated file.
    pub path: PathBuf,
    /// Data rows.
    pub rows: u64,
    /// Whether the command was run during this tick (false: reused or a plain file).
    pub ran_command: bool,
}

/// Produces (if needed) and validates the predictions of `round`.
///
/// `cached` is what the state file remembers for the round: a command is not run again when its
/// output is still there with the same size; a file is not validated again when its size did not
/// change. Returns the record to remember and what the tick used.
pub(crate) async fn prepare(
    source: &PredictionsSource,
    rules: RuleSet,
    work_dir: &Path,
    output_name: &str,
    round: u32,
    cached: Option<&PredictionsRecord>,
) -> Result<(PredictionsRecord, PredictionsInfo), AutopilotError> {
    let (path, from_command) = match source {
        PredictionsSource::File(p) => (p.clone(), false),
        PredictionsSource::Command(_) => (work_dir.join(format!("r{round}-{output_name}")), true),
    };
    let unchanged = |c: &PredictionsRecord| {
        c.path == path
            && c.from_command == from_command
            && std::fs::metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() == c.len && modified_ns(&m) == c.modified_ns)
    };
    if let Some(c) = cached.filter(|c| unchanged(c)) {
        let info = PredictionsInfo {
            path: c.path.clone(),
            rows: c.rows,
            ran_command: false,
        };
        return Ok((c.clone(), info));
    }
    let mut ran_command = false;
    if let PredictionsSource::Command(cmd) = source {
        std::fs::create_dir_all(work_dir).map_err(|e| AutopilotError::state(work_dir, "create", e))?;
        // A stale output of an earlier, failed run must not pass for this run's.
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AutopilotError::state(&path, "remove", e)),
        }
        run_command(cmd, &path, round).await?;
        ran_command = true;
    }
    let (len, modified) = match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => (m.len(), modified_ns(&m)),
        Ok(_) => {
            return Err(AutopilotError::PredictionsMissing {
                path,
                source: std::io::Error::other("not a regular file"),
            });
        }
        Err(e) => return Err(AutopilotError::PredictionsMissing { path, source: e }),
    };
    let report = validate(&path, rules).await?;
    if !report.is_valid() {
        return Err(AutopilotError::InvalidPredictions {
            report: Box::new(report),
        });
    }
    let record = PredictionsRecord {
        path: path.clone(),
        len,
        modified_ns: modified,
        rows: report.rows,
        from_command,
    };
    let info = PredictionsInfo {
        path,
        rows: report.rows,
        ran_command,
    };
    Ok((record, info))
}

fn modified_ns(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
}

async fn validate(path: &Path, rules: RuleSet) -> Result<ValidationReport, AutopilotError> {
    let p = path.to_owned();
    tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
        frame_io::validate_path(&p, &rules, None)
    }))
    .await
    .map_err(|e| AutopilotError::state(path, "validate", std::io::Error::other(e)))
}

/// `cmd` with `{out}` (quoted) and `{round}` filled in.
pub(crate) fn expand(cmd: &str, out: &Path, round: u32) -> String {
    command::fill(
        cmd,
        &[("out", &out.to_string_lossy()), ("round", &round.to_string())],
    )
}

async fn run_command(cmd: &str, out: &Path, round: u32) -> Result<(), AutopilotError> {
    let shell = ShellCommand {
        script: expand(cmd, out, round),
        env: vec![
            ("MKT_PREDICTIONS_OUT".to_owned(), out.as_os_str().to_owned()),
            ("MKT_ROUND".to_owned(), round.to_string().into()),
        ],
        on_line: None,
    };
    tracing::info!(command = %cmd, round, "running the predictions command");
    // No deadline: a round's command runs as long as it needs; dropping the tick (Ctrl-C) stops
    // it with its whole process group.
    let ended = command::run(&shell, None)
        .await
        .map_err(|e| AutopilotError::CommandSpawn {
            command: cmd.to_owned(),
            source: e,
        })?;
    let (status, tail) = match ended {
        Ended::Exited { status, tail } => (Some(status), tail),
        Ended::Killed { tail } => (None, tail),
    };
    if !status.is_some_and(|s| s.success()) {
        let stderr_tail = tail.join("\n");
        let start = stderr_tail
            .char_indices()
            .rev()
            .nth(STDERR_TAIL)
            .map_or(0, |(i, _)| i);
        return Err(AutopilotError::CommandFailed {
            command: cmd.to_owned(),
            code: status.and_then(|s| s.code()),
            stderr_tail: stderr_tail[start..].trim().to_owned(),
        });
    }
    if !out.is_file() {
        return Err(AutopilotError::CommandNoOutput {
            command: cmd.to_owned(),
            path: out.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_quoted() {
        let line = expand(
            "python p.py {out} --round {round}",
            Path::new("/tmp/a b/o.csv"),
            512,
        );
        #[cfg(not(windows))]
        assert_eq!(line, "python p.py '/tmp/a b/o.csv' --round 512");
        assert!(line.contains("512"));
    }

    #[cfg(not(windows))]
    #[tokio::test]
    async fn command_runs_once_and_is_reused_while_its_output_is_unchanged() {
        let dir = tempfile::tempdir().expect("dir");
        let counter = dir.path().join("runs");
        let cmd = format!(
            "echo x >> '{}'; printf 'id,prediction\\na,0.5\\nb,0.25\\n' > {{out}}",
            counter.display()
        );
        let source = PredictionsSource::Command(cmd);
        let rules = *RuleSet::by_name("numerai-classic").expect("rules");
        let (record, info) = prepare(&source, rules, dir.path(), "preds.csv", 7, None)
            .await
            .expect("first run");
        assert!(info.ran_command);
        assert_eq!(info.rows, 2);
        let (_, again) = prepare(&source, rules, dir.path(), "preds.csv", 7, Some(&record))
            .await
            .expect("reuse");
        assert!(!again.ran_command);
        assert_eq!(
            std::fs::read_to_string(&counter)
                .expect("counter")
                .lines()
                .count(),
            1
        );
    }

    #[cfg(not(windows))]
    #[tokio::test]
    async fn failing_command_and_invalid_output_are_errors() {
        let dir = tempfile::tempdir().expect("dir");
        let rules = *RuleSet::by_name("numerai-classic").expect("rules");
        let failing = PredictionsSource::Command("echo boom >&2; exit 3".into());
        let err = prepare(&failing, rules, dir.path(), "p.csv", 1, None)
            .await
            .expect_err("fails");
        assert!(
            matches!(&err, AutopilotError::CommandFailed { code: Some(3), stderr_tail, .. } if stderr_tail == "boom"),
            "{err}"
        );
        let silent = PredictionsSource::Command("true".into());
        let err = prepare(&silent, rules, dir.path(), "p.csv", 1, None)
            .await
            .expect_err("no output");
        assert!(matches!(err, AutopilotError::CommandNoOutput { .. }), "{err}");
        let out_of_range = PredictionsSource::Command("printf 'id,prediction\\na,1.5\\n' > {out}".into());
        let err = prepare(&out_of_range, rules, dir.path(), "p.csv", 1, None)
            .await
            .expect_err("invalid");
        assert!(matches!(err, AutopilotError::InvalidPredictions { .. }), "{err}");
        assert!(err.is_validation());
    }
}
