//! `./.env`: read once into the process environment before the async runtime starts.
//!
//! The libraries never read `.env` files; their `from_env()` constructors see what this put in
//! the environment. Loading happens while the process is still single-threaded, so setting
//! variables cannot race with another thread reading them.

use std::path::Path;
use std::sync::OnceLock;

/// The first statement of `./.env` that could not be parsed, if any.
static PARSE_ERROR: OnceLock<Option<ParseError>> = OnceLock::new();

/// A `./.env` statement that could not be parsed (it was skipped, like python-dotenv does).
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    /// The 1-based line where the bad statement starts (0 when it cannot be found).
    pub(crate) line: usize,
    /// dotenvy's description (statement and column).
    pub(crate) detail: String,
}

impl ParseError {
    /// The error to report when a variable that might have been on that line is missing.
    pub(crate) fn to_error(&self) -> anyhow::Error {
        anyhow::anyhow!("{}", self.detail).context(format!(
            "cannot parse line {} of .env: fix it (KEY=value; quote values with spaces or #)",
            self.line
        ))
    }
}

/// Loads `./.env` into the environment; variables already set win, a missing file is fine, and
/// statements that cannot be parsed are skipped (the first one is kept for [`parse_error`]).
/// Call it before any thread is started; later calls do nothing.
pub fn load() {
    PARSE_ERROR.get_or_init(|| {
        let (vars, error) = parse(Path::new(".env"));
        for (key, value) in vars {
            if std::env::var_os(&key).is_none() {
                // Single-threaded here (see the module docs).
                std::env::set_var(key, value);
            }
        }
        error
    });
}

/// The first unparsable statement of `./.env`, when [`load`] found one.
pub(crate) fn parse_error() -> Option<&'static ParseError> {
    PARSE_ERROR.get().and_then(Option::as_ref)
}

/// The variables of the file at `path` and its first unparsable statement (a missing or
/// unreadable file has neither).
fn parse(path: &Path) -> (Vec<(String, String)>, Option<ParseError>) {
    let Ok(iter) = dotenvy::from_path_iter(path) else {
        return (Vec::new(), None);
    };
    let mut vars = Vec::new();
    let mut first_error = None;
    for item in iter {
        match item {
            Ok(pair) => vars.push(pair),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let error = first_error.map(|e| {
        tracing::debug!(error = %e, "skipped a statement of ./.env that could not be parsed");
        ParseError {
            line: line_of(path, &e),
            detail: e.to_string(),
        }
    });
    (vars, error)
}

/// The 1-based line where the statement of a `LineParse` error starts (0 when it cannot be found).
fn line_of(path: &Path, e: &dotenvy::Error) -> usize {
    let dotenvy::Error::LineParse(statement, _) = e else {
        return 0;
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = text.replace("\r\n", "\n");
    let statement = statement.trim_end_matches(['\r', '\n']);
    if statement.is_empty() {
        return 0;
    }
    // The statement may be a line's tail after `export ` or spaces, so match inside lines too.
    text.match_indices(statement)
        .next()
        .map_or(0, |(at, _)| text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_line_is_skipped_and_reported_with_its_number() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(".env");
        std::fs::write(
            &path,
            "# keys\nMKT_DOTENV_TEST_A=1\n\nCROWDCENT KEY = abc\nMKT_DOTENV_TEST_B=\"x y\"\n",
        )?;
        let (vars, err) = parse(&path);
        let err = err.ok_or("expected a parse error")?;
        assert_eq!(err.line, 4);
        assert!(format!("{:#}", err.to_error()).contains("line 4 of .env"));
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            vars,
            vec![pair("MKT_DOTENV_TEST_A", "1"), pair("MKT_DOTENV_TEST_B", "x y")]
        );
        let (vars, err) = parse(&dir.path().join("absent"));
        assert!(vars.is_empty() && err.is_none());
        Ok(())
    }
}
