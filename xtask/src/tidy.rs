//! Source checks run as `#[test]`s: library error texts stay neutral (no CLI flags or commands).

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// Crates whose texts may speak of the command line: the CLI itself, the Python bindings and
    /// the sandbox (a test server).
    const CLI_FACING: &[&str] = &["mkt-cli", "mkt-python", "marketplace-sandbox"];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The text of every `#[error(...)]` attribute in `source`, with its 1-based line.
    fn error_attributes(source: &str) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        let mut rest = source;
        let mut offset = 0;
        while let Some(at) = rest.find("#[error(") {
            let start = at + "#[error(".len();
            let mut depth = 1usize;
            let mut in_str = false;
            let mut escaped = false;
            let mut end = rest.len();
            for (i, c) in rest[start..].char_indices() {
                if in_str {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = start + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let line = source[..offset + at].matches('\n').count() + 1;
            found.push((line, rest[start..end].to_owned()));
            offset += end;
            rest = &rest[end..];
        }
        found
    }

    /// What in an error text belongs to the CLI: a `--flag` or an `mkt ` command.
    fn cli_words(text: &str) -> Option<&'static str> {
        let bytes = text.as_bytes();
        let flag = bytes
            .windows(3)
            .any(|w| w[0] == b'-' && w[1] == b'-' && w[2].is_ascii_lowercase());
        if flag {
            return Some("a --flag");
        }
        if text.contains("mkt ") {
            return Some("an `mkt` command");
        }
        None
    }

    #[test]
    fn error_attributes_are_found_across_lines() {
        let src = "a\n#[error(\"x {}\", f(\")\"))]\nb\n#[error(\n  \"two --lines\"\n)]\n";
        let found = error_attributes(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert_eq!(found[1].0, 4);
        assert_eq!(cli_words(&found[1].1), Some("a --flag"));
        assert_eq!(cli_words("run `mkt keys generate`"), Some("an `mkt` command"));
        assert_eq!(cli_words("a 2-5 range -- or a - b"), None);
    }

    #[test]
    fn library_error_texts_name_no_cli_flags_or_commands() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
        let mut offenders = Vec::new();
        let mut checked = 0;
        for entry in std::fs::read_dir(&crates).expect("read crates/").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if CLI_FACING.contains(&name.as_str()) {
                continue;
            }
            let mut files = Vec::new();
            rust_files(&entry.path().join("src"), &mut files);
            for file in files {
                let source = std::fs::read_to_string(&file).expect("read source");
                for (line, text) in error_attributes(&source) {
                    checked += 1;
                    if let Some(what) = cli_words(&text) {
                        offenders.push(format!("{}:{line}: {what} in {text}", file.display()));
                    }
                }
            }
        }
        assert!(
            checked > 100,
            "only {checked} error texts found; is the scan broken?"
        );
        assert!(
            offenders.is_empty(),
            "library error texts must say what failed in library terms; hints naming flags or \
             commands belong in mkt-cli (exit.rs):\n{}",
            offenders.join("\n")
        );
    }
}
