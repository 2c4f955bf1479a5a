//! The validation report: every violation with its rule, column, count and first offending rows.

use std::path::PathBuf;

use serde::Serialize;

/// A rule of a [`super::RuleSet`] that a file can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The file could not be read as CSV or Parquet.
    Readable,
    /// A required column (id or prediction) is missing.
    RequiredColumn,
    /// The file has no rows.
    NonEmpty,
    /// An id is null or empty.
    IdNotNull,
    /// An id appears more than once.
    UniqueIds,
    /// A prediction column is not numeric.
    Numeric,
    /// A prediction is null.
    NoNulls,
    /// A prediction is NaN.
    NoNan,
    /// A prediction lies outside the allowed range.
    Range,
    /// Too few distinct ids (or too few matching the inference file).
    MinIds,
}

impl Rule {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Readable => "readable",
            Rule::RequiredColumn => "required-column",
            Rule::NonEmpty => "non-empty",
            Rule::IdNotNull => "id-not-null",
            Rule::UniqueIds => "unique-ids",
            Rule::Numeric => "numeric",
            Rule::NoNulls => "no-nulls",
            Rule::NoNan => "no-nan",
            Rule::Range => "range",
            Rule::MinIds => "min-ids",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One offending row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// 0-based data row index (the header is not a row).
    pub row: u64,
    /// The offending value as text (`null` for a missing value).
    pub value: String,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// The column concerned, if any.
    pub column: Option<String>,
    /// How many rows (or columns, ids) break it.
    pub count: u64,
    /// What is wrong and what to do.
    pub message: String,
    /// The first offending rows (at most [`super::MAX_EXAMPLES`]).
    pub examples: Vec<Example>,
}

/// How the submission's ids match an inference file (like the server's `match_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchInfo {
    /// Distinct submission ids present in the inference file.
    pub matched_ids: u64,
    /// Distinct submission ids absent from the inference file.
    pub unmatched_ids: u64,
    /// Inference ids the submission does not predict (the server scores them as 0.5).
    pub missing_ids: u64,
    /// The server-style summary, e.g. `171 IDs matched inference data`.
    pub message: String,
    /// Some unmatched ids.
    pub unmatched_examples: Vec<String>,
}

/// The result of validating one file against one rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationReport {
    /// The file checked.
    pub file: PathBuf,
    /// The rule set name.
    pub rule_set: &'static str,
    /// Whether no rule was broken.
    pub valid: bool,
    /// Rows read.
    pub rows: u64,
    /// Columns of the file.
    pub columns: Vec<String>,
    /// The column used as id.
    pub id_column: Option<String>,
    /// Distinct ids seen.
    pub unique_ids: u64,
    /// Every broken rule, in rule order.
    pub violations: Vec<Violation>,
    /// Match against an inference file, when one was given.
    pub match_info: Option<MatchInfo>,
}

impl ValidationReport {
    /// Whether the file satisfies every rule.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

impl std::fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.violations.len();
        writeln!(
            f,
            "{}: {} for {} ({} rows, {} violation{})",
            self.file.display(),
            if self.is_valid() { "valid" } else { "INVALID" },
            self.rule_set,
            self.rows,
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for v in &self.violations {
            write!(f, "  {}/{}", self.rule_set, v.rule)?;
            if let Some(c) = &v.column {
                write!(f, " [{c}]")?;
            }
            write!(f, ": {}", v.message)?;
            if !v.examples.is_empty() {
                let rows: Vec<String> = v
                    .examples
                    .iter()
                    .map(|e| format!("{} ({})", e.row, e.value))
                    .collect();
                write!(f, "; first rows: {}", rows.join(", "))?;
            }
            writeln!(f)?;
        }
        if let Some(m) = &self.match_info {
            writeln!(
                f,
                "  match: {} ({} unmatched, {} inference ids not predicted)",
                m.message, m.unmatched_ids, m.missing_ids
            )?;
        }
        Ok(())
    }
}
