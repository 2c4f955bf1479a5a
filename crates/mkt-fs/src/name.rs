//! Server-chosen file names, reduced to a safe final component.

use crate::{Error, Result};

/// The longest file name kept, in bytes (the common file-system limit).
pub const MAX_NAME_BYTES: usize = 255;

/// A file name safe to create in a directory: letters, digits, `.`, `_` and `-` only, no leading
/// dot or dash, not `.`/`..`, at most [`MAX_NAME_BYTES`] bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeName {
    name: String,
    rewritten: bool,
}

impl SafeName {
    /// Reduces `raw` (a name sent by a server) to its final path component and the safe set.
    ///
    /// Other characters become `_`, leading dots are dropped, a leading dash becomes `_`, and an over-long name is shortened
    /// keeping its extension. [`SafeName::was_rewritten`] tells whether the result differs from
    /// `raw`, so the caller can show the name it used.
    ///
    /// # Errors
    /// [`Error::UnsafeName`] when nothing usable is left (empty, only dots or separators).
    pub fn new(raw: &str) -> Result<Self> {
        let last = raw
            .rsplit(['/', '\\'])
            .find(|part| !part.is_empty())
            .unwrap_or("");
        let mapped: String = last
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let trimmed = mapped.trim_start_matches('.');
        // A leading `-` would read as an option to the next tool (`rm -rf`), and a bare `-` means
        // standard output to mkt itself.
        let trimmed = match trimmed.strip_prefix('-') {
            Some(rest) => format!("_{rest}"),
            None => trimmed.to_owned(),
        };
        if trimmed.is_empty() || trimmed.chars().all(|c| c == '_') && !last.contains('_') {
            return Err(Error::UnsafeName { name: raw.to_owned() });
        }
        let name = shorten(&trimmed, MAX_NAME_BYTES);
        Ok(SafeName {
            rewritten: name != raw,
            name,
        })
    }

    /// The safe name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// True when the name differs from what the server sent.
    pub fn was_rewritten(&self) -> bool {
        self.rewritten
    }
}

impl std::fmt::Display for SafeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl AsRef<std::path::Path> for SafeName {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.name)
    }
}

/// Shortens an ASCII name to `max` bytes, keeping a short extension.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    match name.rfind('.') {
        Some(dot) if name.len() - dot <= 16 && dot > 0 => {
            let ext = &name[dot..];
            format!("{}{ext}", &name[..max - ext.len()])
        }
        _ => name[..max].to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(raw: &str) -> String {
        SafeName::new(raw).unwrap().to_string()
    }

    #[test]
    fn keeps_ordinary_names() {
        let n = SafeName::new("predictions_round-512.csv").unwrap();
        assert_eq!(n.as_str(), "predictions_round-512.csv");
        assert!(!n.was_rewritten());
    }

    #[test]
    fn takes_the_final_component_only() {
        assert_eq!(safe("../../etc/passwd"), "passwd");
        assert_eq!(safe("/abs/path/x.csv"), "x.csv");
        assert_eq!(safe("a\\b\\c.parquet"), "c.parquet");
        assert_eq!(safe("dir/"), "dir");
    }

    #[test]
    fn no_leading_dot() {
        assert_eq!(safe(".env"), "env");
        assert_eq!(safe("..bashrc"), "bashrc");
        assert!(SafeName::new("..").is_err());
        assert!(SafeName::new(".").is_err());
        assert!(SafeName::new("").is_err());
        assert!(SafeName::new("///").is_err());
    }

    #[test]
    fn no_leading_dash() {
        // A server name like `-rf` or `--force` would read as an option to the next shell tool.
        assert_eq!(safe("-rf"), "_rf");
        assert_eq!(safe("--force.csv"), "_-force.csv");
        assert!(SafeName::new("-").is_err(), "a bare - means standard output");
        assert!(SafeName::new("dir/-").is_err());
    }

    #[test]
    fn rewrites_other_characters() {
        let n = SafeName::new("a b\x1b[31m;rm -rf.csv").unwrap();
        assert_eq!(n.as_str(), "a_b__31m_rm_-rf.csv");
        assert!(n.was_rewritten());
        assert_eq!(safe("données.csv"), "donn_es.csv");
        assert!(SafeName::new("\x1b\x07").is_err());
        assert_eq!(safe("__init__.py"), "__init__.py");
    }

    #[test]
    fn bounds_the_length_keeping_the_extension() {
        let long = format!("{}.parquet", "x".repeat(400));
        let n = safe(&long);
        assert_eq!(n.len(), MAX_NAME_BYTES);
        assert!(n.ends_with(".parquet"));
        assert_eq!(safe(&"y".repeat(300)).len(), MAX_NAME_BYTES);
    }
}
