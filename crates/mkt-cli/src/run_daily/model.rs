//! Running the user's model command: `sh -c`, output echoed and tailed, killed at the deadline.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Lines of the model's stderr kept for the failure message.
pub(super) const TAIL_LINES: usize = 20;
/// Longest kept line, in characters.
const MAX_LINE_CHARS: usize = 400;
/// How long the model gets between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(5);
/// How long to wait for the output pipes to close once the shell has exited.
const DRAIN: Duration = Duration::from_secs(2);

/// How the model command ended.
#[derive(Debug)]
pub(super) enum Ended {
    /// It exited on its own.
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// The last lines of its stderr.
        tail: Vec<String>,
    },
    /// It was still running at the deadline and was killed.
    Killed {
        /// The last lines of its stderr.
        tail: Vec<String>,
    },
}

/// Substitutes `{inference}` and `{out}` with single-quoted paths (safe for `sh -c`).
pub(super) fn fill(template: &str, inference: &Path, out: &Path) -> String {
    template
        .replace("{inference}", &sh_quote(&inference.to_string_lossy()))
        .replace("{out}", &sh_quote(&out.to_string_lossy()))
}

/// Quotes one word for a POSIX shell (left bare when it is plainly safe).
pub(super) fn sh_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@=+-,".contains(c));
    if safe {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs `script` with `sh -c` until it exits or `deadline` passes (then it is stopped: SIGTERM to
/// its process group, SIGKILL after a grace period). Its stdout and stderr are echoed to our
/// stderr with a `[model]` prefix when `echo` is set; the last stderr lines are kept either way.
///
/// # Errors
/// When `sh` cannot be started or waited for.
pub(super) async fn run(
    script: &str,
    env: &[(&str, OsString)],
    deadline: Instant,
    echo: bool,
) -> anyhow::Result<Ended> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group, so the deadline (or Ctrl-C) stops the model's children too, not
    // only the shell.
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| anyhow::anyhow!(e).context("cannot start the model command with `sh -c`"))?;
    let mut guard = GroupGuard(child.id());
    let out = child.stdout.take().map(|s| pump(s, echo, false));
    let err = child.stderr.take().map(|s| pump(s, echo, true));
    let status = match tokio::time::timeout_at(deadline, child.wait()).await {
        Ok(status) => {
            Some(status.map_err(|e| anyhow::anyhow!(e).context("cannot wait for the model command"))?)
        }
        Err(_) => {
            guard.signal("TERM").await;
            if tokio::time::timeout(GRACE, child.wait()).await.is_err() {
                guard.signal("KILL").await;
                let _ = child.start_kill();
                let _ = child.wait().await;
            }
            None
        }
    };
    // Leftover background processes would keep the pipes open: give them a moment, then stop them.
    let tail = drain(out, err, &mut guard).await;
    guard.0 = None;
    Ok(match status {
        Some(status) => Ended::Exited { status, tail },
        None => Ended::Killed { tail },
    })
}

/// Reads a pipe line by line, echoing and (for stderr) keeping the tail.
fn pump(stream: impl AsyncRead + Unpin + Send + 'static, echo: bool, keep: bool) -> JoinHandle<Vec<String>> {
    tokio::spawn(async move {
        let mut reader = BufReader::new(stream);
        let mut tail = VecDeque::with_capacity(TAIL_LINES);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\n', '\r']);
            if echo {
                eprintln!("[model] {line}");
            }
            if keep {
                if tail.len() == TAIL_LINES {
                    tail.pop_front();
                }
                tail.push_back(line.chars().take(MAX_LINE_CHARS).collect::<String>());
            }
        }
        tail.into_iter().collect()
    })
}

async fn drain(
    out: Option<JoinHandle<Vec<String>>>,
    err: Option<JoinHandle<Vec<String>>>,
    guard: &mut GroupGuard,
) -> Vec<String> {
    let both = async {
        if let Some(out) = out {
            let _ = out.await;
        }
        match err {
            Some(err) => err.await.unwrap_or_default(),
            None => Vec::new(),
        }
    };
    tokio::pin!(both);
    match tokio::time::timeout(DRAIN, &mut both).await {
        Ok(tail) => tail,
        Err(_) => {
            guard.signal("KILL").await;
            both.await
        }
    }
}

/// The model's process group; killed on drop (e.g. Ctrl-C drops the running future) unless
/// disarmed.
#[derive(Debug)]
struct GroupGuard(Option<u32>);

impl GroupGuard {
    /// Sends `signal` to the whole group with the POSIX `kill` utility (no unsafe code here).
    async fn signal(&self, signal: &str) {
        if let Some(pgid) = self.0 {
            let _ = Command::new("kill")
                .args(["-s", signal, "--", &format!("-{pgid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .await;
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pgid) = self.0.take() {
            let _ = std::process::Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{pgid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(sh_quote("out/p_2025-06-09.parquet"), "out/p_2025-06-09.parquet");
        assert_eq!(sh_quote("my dir/it's.parquet"), r"'my dir/it'\''s.parquet'");
        assert_eq!(sh_quote(""), "''");
        let filled = fill(
            "python predict.py {inference} {out}",
            Path::new("a b/inf.parquet"),
            Path::new("$HOME.parquet"),
        );
        assert_eq!(filled, "python predict.py 'a b/inf.parquet' '$HOME.parquet'");
    }

    #[tokio::test]
    async fn exit_code_and_stderr_tail_are_reported() {
        let far = Instant::now() + Duration::from_secs(60);
        let script = "for i in $(seq 1 30); do echo line$i >&2; done; echo out; exit 3";
        match run(script, &[], far, false).await.expect("ran") {
            Ended::Exited { status, tail } => {
                assert_eq!(status.code(), Some(3));
                assert_eq!(tail.len(), TAIL_LINES);
                assert_eq!(tail.last().map(String::as_str), Some("line30"));
                assert_eq!(tail.first().map(String::as_str), Some("line11"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn env_reaches_the_command() {
        let far = Instant::now() + Duration::from_secs(60);
        let env = [("MKT_OUT", OsString::from("x y"))];
        match run("echo \"$MKT_OUT\" >&2", &env, far, false).await.expect("ran") {
            Ended::Exited { status, tail } => {
                assert!(status.success());
                assert_eq!(tail, vec!["x y".to_owned()]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_command_past_the_deadline_is_killed_with_its_children() {
        let soon = Instant::now() + Duration::from_millis(300);
        // A pipeline keeps a grandchild (sleep) holding the pipes: the group kill must end it.
        let ended = run("echo started >&2; sleep 30 | cat", &[], soon, false)
            .await
            .expect("ran");
        match ended {
            Ended::Killed { tail } => assert_eq!(tail, vec!["started".to_owned()]),
            other => panic!("unexpected {other:?}"),
        }
    }
}
