//! Prediction validation: check a file against a [`RuleSet`] and report every violation.
//!
//! The check streams batch by batch, so only the set of ids is held in memory. Read failures are
//! reported as a [`Rule::Readable`] violation, so every bad input yields a report naming the file
//! and the rule.

mod check;
mod report;
mod rules;
mod text;

use std::collections::HashSet;
use std::path::Path;

use arrow::array::Array;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

pub use report::{Example, MatchInfo, Rule, ValidationReport, Violation};
pub use rules::{RuleSet, ALL, CROWDCENT_HYPERLIQUID, NUMERAI_CLASSIC, NUMERAI_SIGNALS};

use check::Checker;
use text::TextColumn;

use crate::{Error, FrameReader, ReadOptions, Result};

/// At most this many offending rows are listed per violation.
pub const MAX_EXAMPLES: usize = 5;

/// Validates the file at `path`; `inference_ids` are the ids of the current inference file, if known.
///
/// Never fails: an unreadable file is a report with a [`Rule::Readable`] violation.
pub fn validate_path(
    path: &Path,
    rules: &RuleSet,
    inference_ids: Option<&HashSet<String>>,
) -> ValidationReport {
    validate_path_with(path, &ReadOptions::default(), rules, inference_ids)
}

/// Like [`validate_path`] with explicit read options.
pub fn validate_path_with(
    path: &Path,
    options: &ReadOptions,
    rules: &RuleSet,
    inference_ids: Option<&HashSet<String>>,
) -> ValidationReport {
    match FrameReader::open_with(path, options) {
        Ok(reader) => {
            let schema = reader.schema();
            let mut checker = Checker::new(rules, &schema, inference_ids);
            for batch in reader {
                match batch {
                    Ok(b) => checker.add(&b),
                    Err(e) => {
                        checker.unreadable(&e);
                        break;
                    }
                }
            }
            checker.finish(path)
        }
        Err(e) => {
            let mut checker = Checker::new(
                rules,
                &SchemaRef::new(arrow::datatypes::Schema::empty()),
                inference_ids,
            );
            checker.unreadable(&e);
            checker.finish(path)
        }
    }
}

/// Validates in-memory batches (e.g. a frame about to be uploaded); `name` labels the report.
pub fn validate_batches(
    name: &Path,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    rules: &RuleSet,
    inference_ids: Option<&HashSet<String>>,
) -> ValidationReport {
    let mut checker = Checker::new(rules, schema, inference_ids);
    for b in batches {
        checker.add(b);
    }
    checker.finish(name)
}

/// Reads the distinct ids of an inference file (its first column named like one of `rules.id_columns`).
///
/// # Errors
/// Any read error, or [`Error::UnknownColumn`] when the file has no id column.
pub fn load_ids(path: &Path, rules: &RuleSet) -> Result<HashSet<String>> {
    let reader = FrameReader::open(path)?;
    let schema = reader.schema();
    let Some(idx) = rules.id_columns.iter().find_map(|c| schema.index_of(c).ok()) else {
        return Err(Error::UnknownColumn {
            path: path.to_owned(),
            column: rules.id_columns.join("|"),
            available: schema.fields().iter().map(|f| f.name().clone()).collect(),
        });
    };
    let mut ids = HashSet::new();
    for batch in reader {
        let batch = batch?;
        let col = batch.column(idx);
        let text = TextColumn::new(col.as_ref()).map_err(|source| Error::Arrow {
            path: path.to_owned(),
            source,
        })?;
        for row in 0..col.len() {
            if let Some(v) = text.get(row) {
                ids.insert(v);
            }
        }
    }
    Ok(ids)
}
