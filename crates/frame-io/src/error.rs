//! The error type of frame-io: every variant names the file it concerns.

use std::path::PathBuf;

use arrow::error::ArrowError;
use parquet::errors::ParquetError;

/// Result alias used throughout frame-io.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong reading, writing or converting a frame.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The destination could not be chosen, written or put in place (or the process was
    /// interrupted).
    #[error("the output was not written")]
    Write(#[from] mkt_fs::Error),
    /// Opening, reading, writing or renaming a file failed.
    #[error("could not {op} {}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What was being done (`open`, `read`, `write`, `rename`, ...).
        op: &'static str,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The format could not be told from the extension or the first bytes.
    #[error("cannot tell whether {} is CSV or Parquet; name it *.csv or *.parquet or give the format explicitly", path.display())]
    UnknownFormat {
        /// The file concerned.
        path: PathBuf,
    },
    /// A CSV file has no header line at all.
    #[error("{} is empty: a CSV file needs at least a header line", path.display())]
    Empty {
        /// The file concerned.
        path: PathBuf,
    },
    /// A CSV row has more or fewer fields than the header.
    #[error("{} line {line}: {found} fields where the header has {expected}; check quoting and delimiters", path.display())]
    RaggedRow {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line (record) number, counting the header as line 1.
        line: u64,
        /// Number of header fields.
        expected: u64,
        /// Number of fields found (a lower bound when there were more).
        found: u64,
    },
    /// A CSV record (a line, or several when a quoted field spans lines) is longer than the cap
    /// ([`MAX_RECORD_BYTES`](crate::MAX_RECORD_BYTES) unless configured otherwise).
    #[error("{} line {line} is longer than {}, the most one record may hold; check for an unclosed quote or missing line breaks, or split the file", path.display(), human_bytes(*limit))]
    RecordTooLong {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line (record) number, counting the header as line 1.
        line: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// A CSV file is not valid UTF-8.
    #[error("{} line {line} is not valid UTF-8; re-save the file as UTF-8", path.display())]
    NotUtf8 {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line (record) number, counting the header as line 1.
        line: u64,
    },
    /// Any other CSV decoding problem (e.g. a value that does not parse as the column's type).
    #[error("could not parse CSV file {}; pass a schema override if a column was inferred wrongly", path.display())]
    Csv {
        /// The file concerned.
        path: PathBuf,
        /// What arrow reported (it names the line and column).
        #[source]
        source: ArrowError,
    },
    /// The Parquet file is damaged, truncated or not Parquet at all.
    #[error("could not read Parquet file {}; is it complete and really Parquet?", path.display())]
    Parquet {
        /// The file concerned.
        path: PathBuf,
        /// What the parquet crate reported.
        #[source]
        source: ParquetError,
    },
    /// The Parquet decoder hit an internal inconsistency in a damaged file (it panicked; the panic
    /// was contained). Found by fuzzing: a corrupt RLE run makes parquet-rs index out of bounds.
    #[error("Parquet file {} is corrupt ({detail}); re-download or re-export it", path.display())]
    ParquetCorrupt {
        /// The file concerned.
        path: PathBuf,
        /// What the decoder reported when it gave up.
        detail: String,
    },
    /// Decoding a Parquet column into arrow failed.
    #[error("could not decode Parquet file {}", path.display())]
    ParquetDecode {
        /// The file concerned.
        path: PathBuf,
        /// What arrow reported.
        #[source]
        source: ArrowError,
    },
    /// Encoding Parquet output failed.
    #[error("could not write Parquet to {}", path.display())]
    ParquetWrite {
        /// The output concerned (`<memory>` for in-memory bodies).
        path: PathBuf,
        /// What the parquet crate reported.
        #[source]
        source: ParquetError,
    },
    /// An arrow compute kernel failed (e.g. combining batches with different schemas).
    #[error("could not process the columns of {}", path.display())]
    Arrow {
        /// The file concerned (`<memory>` for in-memory frames).
        path: PathBuf,
        /// What arrow reported.
        #[source]
        source: ArrowError,
    },
    /// A schema override names a column the file does not have.
    #[error("{} has no column {column:?} to override; columns are {}", path.display(), column_list(available))]
    UnknownColumn {
        /// The file concerned.
        path: PathBuf,
        /// The requested column.
        column: String,
        /// The columns the file has.
        available: Vec<String>,
    },
    /// No rule set has this name.
    #[error("unknown rule set {name:?}; choose one of {known:?}")]
    UnknownRuleSet {
        /// The requested name.
        name: String,
        /// The known rule set names.
        known: Vec<&'static str>,
    },
    /// A background conversion thread stopped without a result.
    #[error("the conversion of {} stopped unexpectedly; try again", path.display())]
    WorkerPanicked {
        /// The input file.
        path: PathBuf,
    },
}

/// At most this many column names are listed in a message.
const LISTED_COLUMNS: usize = 20;

/// `["a", "b"]`, or the first names and how many more for a wide file (a message listing
/// 10,000 names would be unreadable).
pub(crate) fn column_list(columns: &[String]) -> String {
    if columns.len() <= LISTED_COLUMNS {
        return format!("{columns:?}");
    }
    let head = format!("{:?}", &columns[..LISTED_COLUMNS]);
    format!(
        "{} … and {} more]",
        head.trim_end_matches(']'),
        columns.len() - LISTED_COLUMNS
    )
}

/// `16 MiB`, `1.5 KiB`, `300 bytes`.
fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

impl Error {
    /// The file this error concerns, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::UnknownFormat { path }
            | Error::Empty { path }
            | Error::RaggedRow { path, .. }
            | Error::RecordTooLong { path, .. }
            | Error::NotUtf8 { path, .. }
            | Error::Csv { path, .. }
            | Error::Parquet { path, .. }
            | Error::ParquetDecode { path, .. }
            | Error::ParquetCorrupt { path, .. }
            | Error::ParquetWrite { path, .. }
            | Error::Arrow { path, .. }
            | Error::UnknownColumn { path, .. }
            | Error::WorkerPanicked { path } => Some(path),
            Error::UnknownRuleSet { .. } | Error::Write(_) => None,
        }
    }

    /// Turns an arrow CSV error into the most specific variant (ragged rows and bad UTF-8 get
    /// their own variants with the line number).
    pub(crate) fn from_csv(path: PathBuf, source: ArrowError) -> Self {
        let text = source.to_string();
        if let Some(rest) = text.split("incorrect number of fields for line ").nth(1) {
            // "<line>, expected <n> got <m>" or "... got more than <m>"
            let nums: Vec<u64> = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|s| s.parse().ok())
                .collect();
            if let [line, expected, found, ..] = nums[..] {
                return Error::RaggedRow {
                    path,
                    line,
                    expected,
                    found,
                };
            }
        }
        if let Some(rest) = text.split("unequal lengths between records").nth(1) {
            // Schema inference (the csv crate): "... Expected <n> records, found <m> records at line <l>"
            let nums: Vec<u64> = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|s| s.parse().ok())
                .collect();
            if let [expected, found, line, ..] = nums[..] {
                return Error::RaggedRow {
                    path,
                    line,
                    expected,
                    found,
                };
            }
        }
        if let Some(rest) = text.split("invalid UTF-8 data for line ").nth(1) {
            if let Some(line) = rest
                .split(|c: char| !c.is_ascii_digit())
                .find_map(|s| s.parse().ok())
            {
                return Error::NotUtf8 { path, line };
            }
        }
        if text.contains("UTF-8 error") {
            // Schema inference (the csv crate): "... UTF-8 error ...: <detail> at line <l>"
            let line = text
                .rsplit(" at line ")
                .next()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(1);
            return Error::NotUtf8 { path, line };
        }
        Error::Csv { path, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_too_long_names_line_and_limit() {
        let e = Error::RecordTooLong {
            path: "big.csv".into(),
            line: 7,
            limit: 16 << 20,
        };
        let text = e.to_string();
        assert!(text.starts_with("big.csv line 7 is longer than 16 MiB"), "{text}");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(100), "100 bytes");
    }

    #[test]
    fn wide_column_lists_are_shortened() {
        let few: Vec<String> = vec!["id".into(), "x".into()];
        assert_eq!(column_list(&few), r#"["id", "x"]"#);
        let many: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
        let text = column_list(&many);
        assert!(
            text.starts_with(r#"["c0", "c1", "#) && text.ends_with(r#""c19" … and 9980 more]"#),
            "{text}"
        );
    }
}
