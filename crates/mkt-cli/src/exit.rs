//! Exit codes and the single place where errors are printed.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also a broken pipe on stdout) |
//! | 1 | the command failed (a missing or unreadable input file, key files included, in every command) |
//! | 2 | usage error |
//! | 3 | missing or rejected credentials |
//! | 4 | not found |
//! | 5 | validation failed (nothing was sent) |
//! | 130 | interrupted (Ctrl-C) |
//! | 143 | terminated (SIGTERM) |

use std::process::ExitCode;

use crate::output::terminal_safe;

mod classify;

pub use classify::code_of;
use classify::{library_code, library_hint};

/// Success.
pub const OK: u8 = 0;
/// The command failed.
pub const FAILED: u8 = 1;
/// Usage error.
pub const USAGE: u8 = 2;
/// Missing or rejected credentials.
pub const AUTH: u8 = 3;
/// Not found.
pub const NOT_FOUND: u8 = 4;
/// Local validation rejected the input.
pub const VALIDATION: u8 = 5;
/// Interrupted by Ctrl-C.
pub const INTERRUPTED: u8 = 130;
/// Terminated by SIGTERM.
pub const TERMINATED: u8 = 143;

/// The exit code of an interruption recorded with [`mkt_fs::cancel::interrupt`].
pub fn interrupted_code() -> Option<u8> {
    mkt_fs::cancel::interrupted().map(|s| match s {
        mkt_fs::cancel::Signal::Terminate => TERMINATED,
        _ => INTERRUPTED,
    })
}

/// The hint for a signed storage link that was refused even after a fresh one was requested.
pub const LINK_REFUSED_HINT: &str =
    "the download or upload link expired or was refused by the storage host; \
run the command again (a fresh link is requested each time)";

/// An error with an explicit exit code and an optional hint for the user.
#[derive(Debug)]
pub struct Failure {
    /// Exit code to return.
    pub code: u8,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// The underlying error.
    pub source: anyhow::Error,
}

impl Failure {
    /// Wraps `source` with an exit code.
    pub fn new(code: u8, source: impl Into<anyhow::Error>) -> Self {
        Self {
            code,
            hint: None,
            source: source.into(),
        }
    }

    /// Adds a hint shown after the error.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.source)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.source()
    }
}

/// The exit code for an error: an explicit [`Failure`] wins, then library errors are classified.
pub fn code_for(err: &anyhow::Error) -> u8 {
    // Once a signal was recorded, whatever failed afterwards failed because of it.
    if let Some(code) = interrupted_code() {
        return code;
    }
    // A file that is missing or cannot be read fails with 1 in every command, whatever code the
    // command gave the step that needed it (a key file is an input file too).
    if unreadable_file(err) {
        return FAILED;
    }
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return f.code;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return OK;
            }
        }
        if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            if json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
                return OK;
            }
        }
        if let Some(fs) = cause.downcast_ref::<mkt_fs::Error>() {
            return match fs {
                mkt_fs::Error::SameAsInput { .. }
                | mkt_fs::Error::IsDirectory { .. }
                | mkt_fs::Error::NotStdout { .. } => USAGE,
                _ => FAILED,
            };
        }
        // Library errors carry their own classification: the first one found decides.
        if let Some(code) = library_code(cause) {
            return code;
        }
    }
    FAILED
}

/// Whether `err` was caused by a file that does not exist or may not be read.
fn unreadable_file(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind;
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            if unreadable_file(&f.source) {
                return true;
            }
        }
        // A destination the writer refused is classified by the writer's rules.
        if cause.downcast_ref::<mkt_fs::Error>().is_some() {
            return false;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::IsADirectory
            );
        }
    }
    false
}

/// Checks that `path` is a file that can be opened for reading, before a command spends time or
/// network calls on it.
///
/// # Errors
/// The file is missing, unreadable or not a regular file: exit code 1 (see [`code_for`]).
pub fn input_file(path: &std::path::Path) -> anyhow::Result<()> {
    let context = || format!("could not read {}", path.display());
    let file = std::fs::File::open(path).map_err(|e| anyhow::Error::new(e).context(context()))?;
    let meta = file
        .metadata()
        .map_err(|e| anyhow::Error::new(e).context(context()))?;
    if meta.is_dir() {
        return Err(
            Failure::new(FAILED, anyhow::anyhow!("{} is a directory", path.display()))
                .hint("give the path of a file")
                .into(),
        );
    }
    Ok(())
}

fn hint_for(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|c| c.downcast_ref::<Failure>().and_then(|f| f.hint.as_deref()))
        .or_else(|| causes(err).into_iter().find_map(library_hint))
        .or_else(|| {
            err.chain()
                .find_map(|c| c.downcast_ref::<mkt_fs::Error>().and_then(writer_hint))
        })
        .or_else(|| link_refused(err).then_some(LINK_REFUSED_HINT))
}

/// Every cause of `err`, including the errors a [`Failure`] wraps (its own chain skips them).
fn causes(err: &anyhow::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    for cause in err.chain() {
        out.push(cause);
        if let Some(f) = cause.downcast_ref::<Failure>() {
            out.extend(causes(&f.source));
        }
    }
    out
}

/// What to do about a destination the writer refused (the rules are in docs/cli.md, "Files mkt
/// writes").
fn writer_hint(e: &mkt_fs::Error) -> Option<&'static str> {
    Some(match e {
        mkt_fs::Error::Exists { .. } => {
            "mkt does not replace a file under a name it chose itself: pass --force to replace it, or --out PATH"
        }
        mkt_fs::Error::IsDirectory { .. } => "give a file path (or - for standard output)",
        mkt_fs::Error::SameAsInput { .. } => "write to another path; the input would be destroyed",
        mkt_fs::Error::UnsafeName { .. } => "pass --out PATH to choose the file name",
        mkt_fs::Error::TooManyLinks { .. } => "fix the symbolic link or pass another path",
        _ => return None,
    })
}

/// Whether a signed storage link was refused (expired or revoked) somewhere in `err`: the
/// transport's error or a client error wrapping it, also inside a [`Failure`].
fn link_refused(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<Failure>()
            .is_some_and(|f| link_refused(&f.source))
            || cause
                .downcast_ref::<marketplace_core::Error>()
                .is_some_and(marketplace_core::Error::is_link_refused)
            || cause
                .downcast_ref::<numerbay_client::Error>()
                .is_some_and(numerbay_client::Error::is_link_refused)
            || cause
                .downcast_ref::<crowdcent_client::Error>()
                .is_some_and(crowdcent_client::Error::is_link_refused)
    })
}

/// Makes a closed stdout (`mkt ... | head`) end the process quietly with exit 0.
///
/// `println!` (and some libraries' writers) panic when stdout is a broken pipe (Rust ignores
/// SIGPIPE); this hook turns exactly those panics into a clean exit and leaves every other panic
/// to the default hook.
pub fn exit_quietly_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if payload.contains("Broken pipe") || payload.contains("kind: BrokenPipe") {
            std::process::exit(i32::from(OK));
        }
        // parquet-rs and arrow-rs panic on some corrupt files; frame-io contains those panics and
        // reports a typed "file is corrupt" error, so the raw panic text would only be noise.
        if frame_io::panic_is_contained() {
            return;
        }
        default(info);
    }));
}

/// Prints `err` once on stderr (`error:`, the cause chain, a hint) and returns its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let code = code_for(err);
    if code == OK {
        return ExitCode::from(OK);
    }
    if code == INTERRUPTED || code == TERMINATED {
        eprintln!(
            "error: {}",
            if code == TERMINATED {
                "terminated"
            } else {
                "interrupted"
            }
        );
        return ExitCode::from(code);
    }
    eprint!("{}", render(err));
    ExitCode::from(code)
}

/// The text [`report`] prints: every message is [`terminal_safe`], since causes carry server
/// details and file contents (a line break in one cannot fake a `hint:` line either).
fn render(err: &anyhow::Error) -> String {
    let mut out = format!("error: {}\n", terminal_safe(&err.to_string()));
    for cause in err.chain().skip(1) {
        out.push_str(&format!("  caused by: {}\n", terminal_safe(&cause.to_string())));
    }
    if let Some(hint) = hint_for(err) {
        out.push_str(&format!("hint: {}\n", terminal_safe(hint)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use classify::Class;

    #[test]
    fn explicit_failure_code_is_found_through_context() {
        let err = anyhow::Error::new(Failure::new(AUTH, anyhow::anyhow!("no key"))).context("calling api");
        assert_eq!(code_for(&err), AUTH);
    }

    #[test]
    fn broken_pipe_is_success() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(code_for(&err), OK);
    }

    fn api(status: u16) -> marketplace_core::Error {
        let url = marketplace_core::reqwest::Url::parse("http://127.0.0.1/api/challenges/").unwrap();
        marketplace_core::ApiError::new(status, "GET", &url, "nope").into_error()
    }

    #[test]
    fn transport_errors_map_auth_and_not_found() {
        let auth = anyhow::Error::new(api(401)).context("listing");
        assert_eq!(code_for(&auth), AUTH);
        let missing = anyhow::Error::new(api(404));
        assert_eq!(code_for(&missing), NOT_FOUND);
        let server = anyhow::Error::new(api(500));
        assert_eq!(code_for(&server), FAILED);
    }

    #[test]
    fn a_404_means_not_found_in_both_clients_however_it_arrives() {
        // crowdcent `list_challenges` passes a 404 on as `Error::Http` (there is no name to give).
        let cc = crowdcent_client::Error::from(api(404));
        assert!(matches!(cc, crowdcent_client::Error::Http(_)));
        assert_eq!(code_of(&cc), NOT_FOUND);
        assert_eq!(
            code_for(&anyhow::Error::new(cc).context("listing challenges")),
            NOT_FOUND
        );
        let nb = numerbay_client::Error::from(api(404));
        assert_eq!(code_for(&anyhow::Error::new(nb)), NOT_FOUND);
        let ap = numerbay_client::AutopilotError::from(numerbay_client::Error::from(api(404)));
        assert_eq!(code_for(&anyhow::Error::new(ap)), NOT_FOUND);
        // Wrapped in a Failure whose code came from the same classification.
        let cc = crowdcent_client::Error::from(api(404));
        assert_eq!(code_for(&Failure::new(code_of(&cc), cc).into()), NOT_FOUND);
    }

    #[test]
    fn the_class_table() {
        let class = |f: fn(&mut Class)| {
            let mut c = Class::default();
            f(&mut c);
            c.code()
        };
        assert_eq!(class(|_| {}), FAILED);
        assert_eq!(class(|c| c.auth = true), AUTH);
        assert_eq!(class(|c| c.not_found = true), NOT_FOUND);
        assert_eq!(class(|c| c.validation = true), VALIDATION);
        assert_eq!(class(|c| c.usage = true), USAGE);
        // A refused link wins over auth: it is never a credentials problem.
        assert_eq!(
            class(|c| {
                c.link_refused = true;
                c.auth = true
            }),
            FAILED
        );
        assert_eq!(code_of(&api(429)), FAILED);
    }

    #[test]
    fn neutral_library_errors_get_the_cli_hints() {
        let order = numerbay_client::Error::OrderNotApplicable { product_id: 7.into() };
        let err = anyhow::Error::new(Failure::new(code_of(&order), order));
        assert_eq!(hint_for(&err), Some("upload without --order-id"));
        let missing = crowdcent_client::Error::ChallengeNotFound {
            slug: "x".into(),
            source: Box::new(api(404)),
        };
        assert_eq!(
            hint_for(&anyhow::Error::new(missing)),
            Some("run `mkt crowdcent challenges` to list them")
        );
        let state = numerbay_client::AutopilotError::StateParse {
            path: "s.json".into(),
            source: serde_json::from_str::<u8>("x").unwrap_err(),
        };
        let err = anyhow::Error::new(state);
        let text = hint_for(&err).unwrap_or_default();
        assert!(text.contains("--state-file"), "{text}");
    }

    #[test]
    fn refused_storage_links_fail_with_one_and_a_link_hint() {
        let refused = || marketplace_core::Error::LinkRefused {
            status: 403,
            method: "GET".into(),
            url: "http://127.0.0.1/storage/x.csv".into(),
            message: "ExpiredToken".into(),
        };
        let raw = anyhow::Error::new(refused()).context("downloading");
        assert_eq!(code_for(&raw), FAILED);
        assert_eq!(hint_for(&raw), Some(LINK_REFUSED_HINT));
        // As the CLI wraps client errors: a Failure around the client's error.
        let nb = anyhow::Error::new(Failure::new(FAILED, numerbay_client::Error::from(refused())));
        assert_eq!(code_for(&nb), FAILED);
        assert_eq!(hint_for(&nb), Some(LINK_REFUSED_HINT));
        let cc = anyhow::Error::new(Failure::new(FAILED, crowdcent_client::Error::from(refused())));
        assert_eq!(hint_for(&cc), Some(LINK_REFUSED_HINT));
        assert!(!LINK_REFUSED_HINT.contains("NUMERBAY_") && !LINK_REFUSED_HINT.contains("CROWDCENT_"));
        // An explicit hint still wins; other errors get none.
        let explicit = anyhow::Error::new(Failure::new(FAILED, refused()).hint("do this"));
        assert_eq!(hint_for(&explicit), Some("do this"));
        assert_eq!(hint_for(&anyhow::anyhow!("boom")), None);
    }

    #[test]
    fn unreadable_files_fail_with_one_whatever_the_command_said() {
        let missing = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let as_auth = anyhow::Error::new(Failure::new(
            AUTH,
            anyhow::Error::new(missing()).context("key file"),
        ));
        assert_eq!(code_for(&as_auth), FAILED);
        let as_validation = anyhow::Error::new(Failure::new(VALIDATION, missing())).context("validating");
        assert_eq!(code_for(&as_validation), FAILED);
        let denied = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(code_for(&denied), FAILED);
        // Other explicit codes are kept.
        let usage = anyhow::Error::new(Failure::new(USAGE, anyhow::anyhow!("bad flag")));
        assert_eq!(code_for(&usage), USAGE);
        let dir = tempfile::tempdir().unwrap();
        let err = input_file(&dir.path().join("nope.csv")).unwrap_err();
        assert_eq!(code_for(&err), FAILED);
        assert!(err.to_string().contains("nope.csv"), "{err}");
        assert_eq!(code_for(&input_file(dir.path()).unwrap_err()), FAILED);
    }

    #[test]
    fn plain_errors_fail_with_one() {
        assert_eq!(code_for(&anyhow::anyhow!("boom")), FAILED);
    }

    #[test]
    fn report_escapes_every_line_of_the_chain() {
        let err = anyhow::Error::new(
            Failure::new(FAILED, anyhow::anyhow!("detail \u{1b}[2J\nhint: fake"))
                .hint("rename \u{202e}gpj.exe"),
        )
        .context("listing orders of \u{9b}31m");
        assert_eq!(
            render(&err),
            "error: listing orders of \\u{9b}31m\n  caused by: detail \\x1b[2J\\nhint: fake\n\
             hint: rename \\u{202e}gpj.exe\n"
        );
    }
}
