//! The model-command runner both automations share: a user's shell command with placeholders
//! filled in (quoted with `shlex`), run with `sh -c` in its own process group, its output tailed
//! (and handed to a callback line by line), stopped with its children at a deadline.
//!
//! ```
//! use marketplace_core::command;
//! let line = command::fill("python p.py {out} --round {round}", &[("out", "/tmp/a b.csv"), ("round", "7")]);
//! assert_eq!(line, "python p.py '/tmp/a b.csv' --round 7");
//! ```

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Lines of the command's stderr kept for error messages.
pub const TAIL_LINES: usize = 20;
/// Longest kept line, in characters.
const MAX_LINE_CHARS: usize = 400;
/// How long the command gets between SIGTERM and SIGKILL at the deadline.
const GRACE: Duration = Duration::from_secs(5);
/// How long to wait for the output pipes to close once the shell has exited.
const DRAIN: Duration = Duration::from_secs(2);

/// Quotes one word for a POSIX shell with `shlex` (left bare when it needs no quoting).
/// NUL bytes, which no shell word can hold, are dropped.
pub fn quote(word: &str) -> String {
    match shlex::try_quote(word) {
        Ok(quoted) => quoted.into_owned(),
        Err(_) => quote(&word.replace('\0', "")),
    }
}

/// `template` with every `{name}` of `values` replaced by the quoted value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |line, (name, value)| {
        line.replace(&format!("{{{name}}}"), &quote(value))
    })
}

/// Which stream of the command a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Receives the command's output lines as they come (e.g. to echo them).
pub type LineSink = Arc<dyn Fn(Stream, &str) + Send + Sync>;

/// A shell command to run.
#[derive(Clone)]
pub struct ShellCommand {
    /// The script, passed to `sh -c` (`cmd /C` on Windows).
    pub script: String,
    /// Extra environment variables.
    pub env: Vec<(String, OsString)>,
    /// When given, every output line is handed to it; stdout is discarded otherwise.
    pub on_line: Option<LineSink>,
}

impl fmt::Debug for ShellCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShellCommand")
            .field("script", &self.script)
            .field("env", &self.env)
            .field("on_line", &self.on_line.is_some())
            .finish()
    }
}

impl ShellCommand {
    /// `script` with no extra environment and no line callback.
    pub fn new(script: impl Into<String>) -> Self {
        Self {
            script: script.into(),
            env: Vec::new(),
            on_line: None,
        }
    }
}

/// How a command ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited on its own.
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// The last lines of its stderr (at most [`TAIL_LINES`]).
        tail: Vec<String>,
    },
    /// It was still running at the deadline and was stopped with its whole process group.
    Killed {
        /// The last lines of its stderr.
        tail: Vec<String>,
    },
}

/// Runs `command` until it exits or `deadline` passes; then its process group gets SIGTERM and,
/// after a grace period, SIGKILL. Dropping the future (e.g. on Ctrl-C) kills the group too.
///
/// # Errors
/// When the shell cannot be started or waited for.
pub async fn run(command: &ShellCommand, deadline: Option<Instant>) -> std::io::Result<Ended> {
    let mut cmd = shell(&command.script);
    cmd.envs(command.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(if command.on_line.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group, so the deadline (or Ctrl-C) stops the command's children too.
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd.spawn()?;
    let mut guard = GroupGuard(child.id());
    let out = child
        .stdout
        .take()
        .map(|s| pump(s, command.on_line.clone(), Stream::Stdout));
    let err = child
        .stderr
        .take()
        .map(|s| pump(s, command.on_line.clone(), Stream::Stderr));
    let waited = match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, child.wait()).await.ok(),
        None => Some(child.wait().await),
    };
    let status = match waited {
        Some(status) => Some(status?),
        None => {
            guard.signal(Signal::Term);
            if tokio::time::timeout(GRACE, child.wait()).await.is_err() {
                guard.signal(Signal::Kill);
                let _ = child.start_kill();
                let _ = child.wait().await;
            }
            None
        }
    };
    // Leftover background processes would keep the pipes open: give them a moment, then stop them.
    let tail = drain(out, err, &guard).await;
    guard.0 = None;
    Ok(match status {
        Some(status) => Ended::Exited { status, tail },
        None => Ended::Killed { tail },
    })
}

#[cfg(not(windows))]
fn shell(script: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(script);
    c
}

#[cfg(windows)]
fn shell(script: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(script);
    c
}

/// Reads a pipe line by line, handing lines to the sink and (for stderr) keeping the tail.
fn pump(
    stream: impl AsyncRead + Unpin + Send + 'static,
    sink: Option<LineSink>,
    which: Stream,
) -> JoinHandle<Vec<String>> {
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
            if let Some(sink) = &sink {
                sink(which, line);
            }
            if which == Stream::Stderr {
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
    guard: &GroupGuard,
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
            guard.signal(Signal::Kill);
            both.await
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Signal {
    Term,
    Kill,
}

/// The command's process group; killed on drop unless disarmed.
#[derive(Debug)]
struct GroupGuard(Option<u32>);

impl GroupGuard {
    /// Sends `signal` to the whole group (a group already gone is fine).
    fn signal(&self, signal: Signal) {
        #[cfg(unix)]
        if let Some(pgid) = self
            .0
            .and_then(|id| i32::try_from(id).ok())
            .and_then(rustix::process::Pid::from_raw)
        {
            let sig = match signal {
                Signal::Term => rustix::process::Signal::TERM,
                Signal::Kill => rustix::process::Signal::KILL,
            };
            let _ = rustix::process::kill_process_group(pgid, sig);
        }
        #[cfg(not(unix))]
        let _ = signal;
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.signal(Signal::Kill);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(quote("out/p_2025-06-09.parquet"), "out/p_2025-06-09.parquet");
        assert_eq!(quote("my dir/it's.parquet"), r#""my dir/it's.parquet""#);
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a\0b"), "ab");
        let filled = fill(
            "python predict.py {inference} {out}",
            &[("inference", "a b/inf.parquet"), ("out", "$HOME.parquet")],
        );
        assert_eq!(filled, "python predict.py 'a b/inf.parquet' '$HOME.parquet'");
    }

    #[tokio::test]
    async fn quoted_values_reach_the_command_verbatim() {
        let tricky = "it's $HOME `x` \"q\" a\\b";
        let cmd = ShellCommand::new(fill("printf '%s' {v} >&2", &[("v", tricky)]));
        match run(&cmd, None).await.expect("ran") {
            Ended::Exited { status, tail } => {
                assert!(status.success());
                assert_eq!(tail, vec![tricky.to_owned()]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn exit_code_stderr_tail_env_and_lines_are_reported() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let cmd = ShellCommand {
            script: "echo \"$MKT_X\"; for i in $(seq 1 30); do echo line$i >&2; done; exit 3".into(),
            env: vec![("MKT_X".into(), "x y".into())],
            on_line: Some(Arc::new(move |which, line: &str| {
                if which == Stream::Stdout {
                    sink.lock().expect("lock").push(line.to_owned());
                }
            })),
        };
        match run(&cmd, None).await.expect("ran") {
            Ended::Exited { status, tail } => {
                assert_eq!(status.code(), Some(3));
                assert_eq!(tail.len(), TAIL_LINES);
                assert_eq!(tail.last().map(String::as_str), Some("line30"));
                assert_eq!(tail.first().map(String::as_str), Some("line11"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(*seen.lock().expect("lock"), vec!["x y".to_owned()]);
    }

    #[tokio::test]
    async fn a_command_past_the_deadline_is_killed_with_its_children() {
        let soon = Instant::now() + Duration::from_millis(190);
        // A pipeline keeps a grandchild (sleep) holding the pipes: the group kill must end it.
        let cmd = ShellCommand::new("echo started >&2; sleep 30 | cat");
        match run(&cmd, Some(soon)).await.expect("ran") {
            Ended::Killed { tail } => assert_eq!(tail, vec!["started".to_owned()]),
            other => panic!("unexpected {other:?}"),
        }
    }
}
