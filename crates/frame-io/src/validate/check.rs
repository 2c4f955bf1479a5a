//! The streaming checker behind [`super::validate_path`]: accumulates violations batch by batch.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use arrow::array::Array;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::text::TextColumn;
use super::{Example, MatchInfo, Rule, RuleSet, ValidationReport, Violation, MAX_EXAMPLES};
use crate::inspect::{as_f64, is_numeric};
use crate::Error;

#[derive(Default)]
struct Acc {
    count: u64,
    examples: Vec<Example>,
    message: Option<String>,
}

impl Acc {
    fn hit(&mut self, row: u64, value: impl FnOnce() -> String) {
        self.count += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(Example {
                row,
                value: shorten(value()),
            });
        }
    }
}

/// Example values longer than this many characters are cut (a hostile file's id can be megabytes).
const EXAMPLE_CHARS: usize = 100;

fn shorten(mut value: String) -> String {
    if let Some((cut, _)) = value.char_indices().nth(EXAMPLE_CHARS) {
        let total = value.chars().count();
        value.truncate(cut);
        value.push_str(&format!("… ({total} characters)"));
    }
    value
}

pub(super) struct Checker<'a> {
    rules: &'a RuleSet,
    inference: Option<&'a HashSet<String>>,
    columns: Vec<String>,
    id_idx: Option<usize>,
    key_idx: Vec<usize>,
    /// (rule set column name, index in the file, whether numeric)
    values: Vec<(&'static str, Option<usize>, bool)>,
    rows: u64,
    seen: HashSet<String>,
    matched: HashSet<String>,
    unmatched: u64,
    unmatched_examples: Vec<String>,
    acc: BTreeMap<(Rule, usize), Acc>,
    unreadable: Option<String>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(
        rules: &'a RuleSet,
        schema: &SchemaRef,
        inference: Option<&'a HashSet<String>>,
    ) -> Self {
        let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let id_idx = rules.id_columns.iter().find_map(|c| schema.index_of(c).ok());
        let key_idx = rules
            .key_columns
            .iter()
            .filter_map(|c| schema.index_of(c).ok())
            .collect();
        let values = rules
            .value_columns
            .iter()
            .map(|c| {
                let idx = schema.index_of(c).ok();
                let numeric = idx.is_some_and(|i| is_numeric(schema.field(i).data_type()));
                (*c, idx, numeric)
            })
            .collect();
        Self {
            rules,
            inference,
            columns,
            id_idx,
            key_idx,
            values,
            rows: 0,
            seen: HashSet::new(),
            matched: HashSet::new(),
            unmatched: 0,
            unmatched_examples: Vec::new(),
            acc: BTreeMap::new(),
            unreadable: None,
        }
    }

    pub(super) fn unreadable(&mut self, err: &Error) {
        let mut text = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        self.unreadable = Some(text);
    }

    pub(super) fn add(&mut self, batch: &RecordBatch) {
        let base = self.rows;
        self.rows += batch.num_rows() as u64;
        if let Some(idx) = self.id_idx {
            self.check_ids(batch, idx, base);
        }
        for slot in 0..self.values.len() {
            let (_, idx, numeric) = self.values[slot];
            let Some(idx) = idx else { continue };
            let array = batch.column(idx);
            if !numeric {
                let acc = self.acc.entry((Rule::Numeric, slot)).or_default();
                let text = TextColumn::new(array.as_ref()).ok();
                for row in 0..array.len() {
                    if array.is_valid(row) {
                        acc.hit(base + row as u64, || {
                            text.as_ref().and_then(|t| t.get(row)).unwrap_or_default()
                        });
                    }
                }
                continue;
            }
            let Some(values) = as_f64(array.as_ref()) else {
                continue;
            };
            for (row, v) in values.iter().enumerate() {
                let at = base + row as u64;
                match v {
                    None => self
                        .acc
                        .entry((Rule::NoNulls, slot))
                        .or_default()
                        .hit(at, || "null".into()),
                    Some(v) if v.is_nan() => self
                        .acc
                        .entry((Rule::NoNan, slot))
                        .or_default()
                        .hit(at, || "NaN".into()),
                    Some(v) => {
                        if let Some((lo, hi)) = self.rules.range {
                            if !(lo..=hi).contains(&v) {
                                self.acc
                                    .entry((Rule::Range, slot))
                                    .or_default()
                                    .hit(at, || v.to_string());
                            }
                        }
                    }
                }
            }
        }
    }

    fn check_ids(&mut self, batch: &RecordBatch, idx: usize, base: u64) {
        let Ok(ids) = TextColumn::new(batch.column(idx).as_ref()) else {
            return;
        };
        let keys: Vec<TextColumn<'_>> = self
            .key_idx
            .iter()
            .filter_map(|&k| TextColumn::new(batch.column(k).as_ref()).ok())
            .collect();
        for row in 0..batch.num_rows() {
            let at = base + row as u64;
            let id = match ids.get(row) {
                Some(id) if !id.is_empty() => id,
                _ => {
                    self.acc
                        .entry((Rule::IdNotNull, 0))
                        .or_default()
                        .hit(at, || "null".into());
                    continue;
                }
            };
            if let Some(inference) = self.inference {
                if inference.contains(&id) {
                    self.matched.insert(id.clone());
                } else if !self.seen.contains(&id) {
                    self.unmatched += 1;
                    if self.unmatched_examples.len() < MAX_EXAMPLES {
                        self.unmatched_examples.push(id.clone());
                    }
                }
            }
            let mut key = id;
            for k in &keys {
                key.push('\u{1f}');
                key.push_str(&k.get(row).unwrap_or_default());
            }
            if self.seen.contains(&key) {
                let shown = key.replace('\u{1f}', " / ");
                self.acc
                    .entry((Rule::UniqueIds, 0))
                    .or_default()
                    .hit(at, || shown);
            } else {
                self.seen.insert(key);
            }
        }
    }

    pub(super) fn finish(mut self, path: &Path) -> ValidationReport {
        let rules = self.rules;
        let mut violations = Vec::new();
        if let Some(text) = self.unreadable.take() {
            violations.push(Violation {
                rule: Rule::Readable,
                column: None,
                count: 1,
                message: text,
                examples: Vec::new(),
            });
        }
        let readable = violations.is_empty();
        if readable && self.id_idx.is_none() {
            violations.push(missing(
                &self.columns,
                &rules.id_columns.join(" | "),
                rules.id_columns.len() > 1,
            ));
        }
        if readable {
            for (name, idx, _) in &self.values {
                if idx.is_none() {
                    violations.push(missing(&self.columns, name, false));
                }
            }
        }
        if readable && self.rows == 0 {
            violations.push(Violation {
                rule: Rule::NonEmpty,
                column: None,
                count: 0,
                message: "the file has a header but no rows".into(),
                examples: Vec::new(),
            });
        }
        let id_column = self.id_idx.map(|i| self.columns[i].clone());
        for ((rule, slot), acc) in std::mem::take(&mut self.acc) {
            if acc.count == 0 {
                continue;
            }
            let column = match rule {
                Rule::IdNotNull | Rule::UniqueIds => id_column.clone(),
                _ => Some(self.values[slot].0.to_owned()),
            };
            let (lo, hi) = rules.range.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
            let message = acc.message.unwrap_or_else(|| match rule {
                Rule::IdNotNull => format!("{} rows have no id", acc.count),
                Rule::UniqueIds => format!("{} rows repeat an earlier id; keep one row per id", acc.count),
                Rule::Numeric => format!(
                    "column is not numeric ({} non-null values); write predictions as floats",
                    acc.count
                ),
                Rule::NoNulls => format!("{} null values; every row needs a prediction", acc.count),
                Rule::NoNan => format!("{} NaN values; every row needs a prediction", acc.count),
                Rule::Range => format!(
                    "{} values outside [{lo}, {hi}]; rank or clip predictions into the range",
                    acc.count
                ),
                _ => format!("{} rows", acc.count),
            });
            violations.push(Violation {
                rule,
                column,
                count: acc.count,
                message,
                examples: acc.examples,
            });
        }
        let unique_ids = self.seen.len() as u64;
        let match_info = self.inference.map(|inference| {
            let matched = self.matched.len() as u64;
            MatchInfo {
                matched_ids: matched,
                unmatched_ids: self.unmatched,
                missing_ids: inference.len() as u64 - matched,
                message: format!("{matched} IDs matched inference data"),
                unmatched_examples: std::mem::take(&mut self.unmatched_examples),
            }
        });
        let counted = match &match_info {
            Some(m) => m.matched_ids,
            None => unique_ids,
        };
        if readable && self.id_idx.is_some() && self.rows > 0 && counted < rules.min_ids {
            violations.push(Violation {
                rule: Rule::MinIds,
                column: id_column.clone(),
                count: counted,
                message: if match_info.is_some() {
                    format!(
                        "only {counted} ids match the inference file; at least {} are required",
                        rules.min_ids
                    )
                } else {
                    format!(
                        "only {counted} distinct ids; at least {} are required",
                        rules.min_ids
                    )
                },
                examples: Vec::new(),
            });
        }
        violations.sort_by_key(|v| v.rule);
        ValidationReport {
            file: path.to_owned(),
            rule_set: rules.name,
            valid: violations.is_empty(),
            rows: self.rows,
            columns: self.columns,
            id_column,
            unique_ids,
            violations,
            match_info,
        }
    }
}

fn missing(columns: &[String], name: &str, one_of: bool) -> Violation {
    Violation {
        rule: Rule::RequiredColumn,
        column: Some(name.to_owned()),
        count: 1,
        message: format!(
            "missing column {}{name}; the file has {}",
            if one_of { "(one of) " } else { "" },
            crate::error::column_list(columns)
        ),
        examples: Vec::new(),
    }
}
