//! Ranking targets from prices: a port of `scoring.py`'s `create_ranking_targets` (spec §6.5) on
//! arrow frames.
//!
//! For every horizon `h`, the row of ticker T on day D gets
//! `fwd_return_{h}d = close[D+1+h] / close[D+1] − 1` (positions within T's rows sorted by date, not
//! calendar days), and `target_{h}d` = the average rank of that return among the day's rows,
//! divided by the number of rows on that day. See [`create_ranking_targets`].
//!
//! ```
//! use std::sync::Arc;
//! use crowdcent_client::targets::{create_ranking_targets, TargetOptions};
//! use frame_io::arrow::array::{ArrayRef, Float64Array, StringArray};
//! use frame_io::{Frame, RecordBatch};
//!
//! let ticker: ArrayRef = Arc::new(StringArray::from(vec!["A", "A", "A", "B", "B", "B"]));
//! let date: ArrayRef = Arc::new(StringArray::from(vec!["d1", "d2", "d3", "d1", "d2", "d3"]));
//! let close: ArrayRef = Arc::new(Float64Array::from(vec![10.0, 11.0, 13.0, 10.0, 9.0, 8.0]));
//! let batch = RecordBatch::try_from_iter([("ticker", ticker), ("date", date), ("close", close)])?;
//! let frame = Frame::new(batch.schema(), vec![batch]);
//! let options = TargetOptions { horizons: vec![1], ..TargetOptions::default() };
//! let targets = create_ranking_targets(&frame, &options)?;
//! // Only d1 has a complete 1-day target: A rises (13/11), B falls (8/9).
//! assert_eq!(targets.num_rows(), 2);
//! assert_eq!(targets.schema().field(3).name(), "target_1d");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, UInt32Array};
use arrow::compute::{cast_with_options, concat_batches, lexsort_to_indices, partition, take_record_batch};
use arrow::compute::{CastOptions, SortColumn};
use arrow::datatypes::{DataType, Field, Float64Type, Schema};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use arrow::row::{RowConverter, SortField};
use arrow::util::display::array_value_to_string;
use frame_io::Frame;

pub use crate::error::TargetsError;
use crate::scoring::average_ranks;

/// How [`create_ranking_targets`] reads prices and what it adds. The defaults are the reference's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetOptions {
    /// Forward-return horizons in days (rows); default `[10, 30]`.
    pub horizons: Vec<u32>,
    /// The price column; default `close`.
    pub price_col: String,
    /// The date column (any sortable type: dates, timestamps, ISO strings); default `date`.
    pub date_col: String,
    /// The asset column; default `ticker`.
    pub ticker_col: String,
    /// Drop rows without a forward return for every horizon (the reference's `drop_incomplete`);
    /// default `true`.
    pub drop_incomplete: bool,
    /// Keep the `fwd_return_{h}d` columns (the reference's `return_raw_returns`); default `false`.
    pub raw_returns: bool,
}

impl Default for TargetOptions {
    fn default() -> Self {
        Self {
            horizons: vec![10, 30],
            price_col: "close".to_owned(),
            date_col: "date".to_owned(),
            ticker_col: "ticker".to_owned(),
            drop_incomplete: true,
            raw_returns: false,
        }
    }
}

impl TargetOptions {
    /// The columns the targets add, in order: `fwd_return_{h}d` (with [`raw_returns`](Self::raw_returns))
    /// then `target_{h}d`, one per horizon.
    pub fn added_columns(&self) -> Vec<String> {
        let returns = self.horizons.iter().map(|h| format!("fwd_return_{h}d"));
        let targets = self.horizons.iter().map(|h| format!("target_{h}d"));
        if self.raw_returns {
            returns.chain(targets).collect()
        } else {
            targets.collect()
        }
    }
}

/// Cross-sectional ranking targets from a price frame, as `create_ranking_targets` of
/// crowdcent-challenge 0.2.16 computes them (equal to it to the last bit on the reference data).
///
/// The result holds the frame's columns (pandas index columns left out) sorted by ticker, then
/// date, followed by the [`TargetOptions::added_columns`]:
/// 1. `fwd_return_{h}d` on ticker T's row for day D is `close[D+1+h] / close[D+1] − 1`, counting
///    T's rows (a missing day is skipped, not filled), null where those rows do not exist or a
///    price is missing.
/// 2. With [`drop_incomplete`](TargetOptions::drop_incomplete), rows missing any return are dropped.
/// 3. `target_{h}d` = the average rank (ties share it; nulls stay null) of the return among the
///    rows of the same date, divided by the number of rows on that date, nulls included.
///
/// Missing prices (null or NaN) behave as in pandas: a return that needs one is null, and so is
/// `0/0`; a positive price over a zero price gives infinity.
///
/// # Errors
/// [`TargetsError::InvalidHorizons`], [`TargetsError::MissingColumn`],
/// [`TargetsError::ColumnExists`] (an added column is already there),
/// [`TargetsError::PriceNotNumeric`], [`TargetsError::NullKey`] (a row without ticker or date),
/// [`TargetsError::DuplicateRow`] (one ticker twice on a date), [`TargetsError::Arrow`].
pub fn create_ranking_targets(frame: &Frame, options: &TargetOptions) -> Result<RecordBatch, TargetsError> {
    check_horizons(&options.horizons)?;
    let batch = data_batch(frame)?;
    let schema = batch.schema();
    let index = |name: &str| {
        schema.index_of(name).map_err(|_| TargetsError::MissingColumn {
            column: name.to_owned(),
            available: frame.data_column_names().join(", "),
        })
    };
    let (ticker_i, date_i, price_i) = (
        index(&options.ticker_col)?,
        index(&options.date_col)?,
        index(&options.price_col)?,
    );
    if let Some(column) = options
        .added_columns()
        .into_iter()
        .find(|c| schema.index_of(c).is_ok())
    {
        return Err(TargetsError::ColumnExists { column });
    }
    for (i, name) in [(ticker_i, &options.ticker_col), (date_i, &options.date_col)] {
        let col = batch.column(i);
        if let Some(row) = (0..col.len()).find(|&r| col.is_null(r)) {
            return Err(TargetsError::NullKey {
                column: name.clone(),
                row: row + 1,
            });
        }
    }

    // 1. Sort by (ticker, date); each ticker's rows are then one contiguous range.
    let order = lexsort_to_indices(
        &[
            SortColumn {
                values: batch.column(ticker_i).clone(),
                options: None,
            },
            SortColumn {
                values: batch.column(date_i).clone(),
                options: None,
            },
        ],
        None,
    )
    .map_err(arrow_err("sort"))?;
    let sorted = take_record_batch(&batch, &order).map_err(arrow_err("sort"))?;
    let (ticker, date) = (sorted.column(ticker_i), sorted.column(date_i));
    check_unique_keys(ticker, date)?;
    let prices = prices(sorted.column(price_i), &options.price_col)?;

    // 2. Forward returns per ticker range, by row position.
    let tickers = partition(std::slice::from_ref(ticker)).map_err(arrow_err("group"))?;
    let returns: Vec<Vec<Option<f64>>> = options
        .horizons
        .iter()
        .map(|&h| forward_returns(&prices, &tickers.ranges(), h as usize))
        .collect();

    // 3. Optionally keep complete rows only.
    let keep: Vec<u32> = (0..sorted.num_rows())
        .filter(|&r| !options.drop_incomplete || returns.iter().all(|ret| ret[r].is_some()))
        .map(|r| u32::try_from(r).unwrap_or(u32::MAX))
        .collect();
    let kept = take_record_batch(&sorted, &UInt32Array::from(keep.clone())).map_err(arrow_err("filter"))?;
    let returns: Vec<Vec<Option<f64>>> = returns
        .iter()
        .map(|ret| keep.iter().map(|&r| ret[r as usize]).collect())
        .collect();

    // 4. Rank within each date.
    let groups = date_groups(kept.column(date_i))?;
    let targets: Vec<Vec<Option<f64>>> = returns.iter().map(|ret| rank_by_group(ret, &groups)).collect();

    let mut fields: Vec<Field> = kept
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut columns: Vec<ArrayRef> = kept.columns().to_vec();
    let mut added = options.added_columns().into_iter();
    let extra = if options.raw_returns {
        returns.into_iter().chain(targets).collect::<Vec<_>>()
    } else {
        targets
    };
    for (values, name) in extra.into_iter().zip(&mut added) {
        fields.push(Field::new(name, DataType::Float64, true));
        columns.push(Arc::new(Float64Array::from(values)));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(arrow_err("assemble"))
}

fn check_horizons(horizons: &[u32]) -> Result<(), TargetsError> {
    let mut seen = horizons.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if horizons.is_empty() || horizons.contains(&0) || seen.len() != horizons.len() {
        return Err(TargetsError::InvalidHorizons {
            horizons: horizons.to_vec(),
        });
    }
    Ok(())
}

fn arrow_err(op: &'static str) -> impl Fn(ArrowError) -> TargetsError {
    move |source| TargetsError::Arrow { op, source }
}

/// The frame as one batch of its data columns (pandas index columns left out), without schema
/// metadata (pandas metadata would describe columns that are gone or new).
fn data_batch(frame: &Frame) -> Result<RecordBatch, TargetsError> {
    let schema = frame.schema();
    let all = concat_batches(&schema, frame.batches()).map_err(arrow_err("concatenate"))?;
    let keep: Vec<usize> = frame
        .data_column_names()
        .iter()
        .filter_map(|n| schema.index_of(n).ok())
        .collect();
    let fields: Vec<Field> = keep.iter().map(|&i| schema.field(i).clone()).collect();
    let columns: Vec<ArrayRef> = keep.iter().map(|&i| all.column(i).clone()).collect();
    let options = arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(all.num_rows()));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), columns, &options)
        .map_err(arrow_err("concatenate"))
}

/// Rows sorted by (ticker, date) must not repeat a (ticker, date) pair.
fn check_unique_keys(ticker: &ArrayRef, date: &ArrayRef) -> Result<(), TargetsError> {
    let keys = partition(&[ticker.clone(), date.clone()]).map_err(arrow_err("group"))?;
    match keys.ranges().into_iter().find(|r| r.len() > 1) {
        Some(r) => Err(TargetsError::DuplicateRow {
            ticker: array_value_to_string(ticker, r.start).unwrap_or_default(),
            date: array_value_to_string(date, r.start).unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

/// The price column as `f64`, NaN read as missing (pandas semantics).
fn prices(column: &ArrayRef, name: &str) -> Result<Vec<Option<f64>>, TargetsError> {
    let strict = CastOptions {
        safe: false,
        ..CastOptions::default()
    };
    let values = cast_with_options(column, &DataType::Float64, &strict).map_err(|source| {
        TargetsError::PriceNotNumeric {
            column: name.to_owned(),
            source,
        }
    })?;
    Ok(values
        .as_primitive::<Float64Type>()
        .iter()
        .map(|v| v.filter(|v| !v.is_nan()))
        .collect())
}

/// `close[i+1+h] / close[i+1] − 1` within each ticker's range; `None` past the range's end, for
/// a missing price, or for NaN (`0/0`).
fn forward_returns(prices: &[Option<f64>], tickers: &[std::ops::Range<usize>], h: usize) -> Vec<Option<f64>> {
    let mut out = vec![None; prices.len()];
    for range in tickers {
        for i in range.clone() {
            let (start, end) = (i + 1, i + 1 + h);
            if end < range.end {
                if let (Some(p0), Some(p1)) = (prices[start], prices[end]) {
                    out[i] = Some(p1 / p0 - 1.0).filter(|r| !r.is_nan());
                }
            }
        }
    }
    out
}

/// Rows grouped by equal date: `(group of each row, rows per group)`.
struct Groups {
    of_row: Vec<usize>,
    sizes: Vec<usize>,
}

fn date_groups(date: &ArrayRef) -> Result<Groups, TargetsError> {
    let converter =
        RowConverter::new(vec![SortField::new(date.data_type().clone())]).map_err(arrow_err("group"))?;
    let rows = converter
        .convert_columns(std::slice::from_ref(date))
        .map_err(arrow_err("group"))?;
    let mut ids = HashMap::new();
    let mut groups = Groups {
        of_row: Vec::with_capacity(rows.num_rows()),
        sizes: Vec::new(),
    };
    for row in rows.iter() {
        let next = ids.len();
        let g = *ids.entry(row).or_insert(next);
        if g == groups.sizes.len() {
            groups.sizes.push(0);
        }
        groups.sizes[g] += 1;
        groups.of_row.push(g);
    }
    Ok(groups)
}

/// Average rank of each non-null value within its group, divided by the group's row count.
fn rank_by_group(values: &[Option<f64>], groups: &Groups) -> Vec<Option<f64>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.sizes.len()];
    for (row, v) in values.iter().enumerate() {
        if v.is_some() {
            members[groups.of_row[row]].push(row);
        }
    }
    let mut out = vec![None; values.len()];
    for (g, rows) in members.iter().enumerate() {
        let group_values: Vec<f64> = rows.iter().filter_map(|&r| values[r]).collect();
        let count = groups.sizes[g] as f64;
        for (&row, rank) in rows.iter().zip(average_ranks(&group_values)) {
            out[row] = Some(rank / count);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::StringArray;

    fn frame(rows: &[(&str, &str, Option<f64>)]) -> Frame {
        let ticker: ArrayRef = Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0)));
        let date: ArrayRef = Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.1)));
        let close: ArrayRef = Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.2)));
        let batch = RecordBatch::try_from_iter([("ticker", ticker), ("date", date), ("close", close)])
            .unwrap_or_else(|e| panic!("{e}"));
        Frame::new(batch.schema(), vec![batch])
    }

    fn column(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
        batch
            .column_by_name(name)
            .map(|c| c.as_primitive::<Float64Type>().iter().collect())
            .unwrap_or_default()
    }

    /// Spec §6.5's worked example: A rises, B dips and recovers, C is flat; horizons [1, 2].
    #[test]
    fn spec_worked_example() {
        let a = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0];
        let b = [10.0, 9.0, 8.0, 9.0, 10.0, 11.0];
        let days = [
            "2025-01-01",
            "2025-01-02",
            "2025-01-03",
            "2025-01-04",
            "2025-01-05",
            "2025-01-06",
        ];
        let mut rows = Vec::new();
        // Input in reverse order: the function sorts.
        for (t, prices) in [("C", [10.0; 6]), ("B", b), ("A", a)] {
            for (d, p) in days.iter().zip(prices).rev() {
                rows.push((t, *d, Some(p)));
            }
        }
        let options = TargetOptions {
            horizons: vec![1, 2],
            ..TargetOptions::default()
        };
        let out = create_ranking_targets(&frame(&rows), &options).unwrap_or_else(|e| panic!("{e}"));
        // Three dates survive for each of the three tickers, sorted by ticker then date.
        assert_eq!(out.num_rows(), 9);
        let t1 = column(&out, "target_1d");
        let t2 = column(&out, "target_2d");
        // 2025-01-01 is the first row of each ticker: A (row 0), B (row 3), C (row 6).
        assert_eq!((t1[0], t2[0]), (Some(1.0), Some(1.0)));
        assert_eq!((t1[3], t2[3]), (Some(1.0 / 3.0), Some(0.5)));
        assert_eq!((t1[6], t2[6]), (Some(2.0 / 3.0), Some(0.5)));
        assert!(out.column_by_name("fwd_return_1d").is_none());
    }

    #[test]
    fn incomplete_rows_keep_nulls_and_count_them() {
        let rows = [
            ("A", "d1", Some(1.0)),
            ("A", "d2", Some(2.0)),
            ("A", "d3", Some(4.0)),
            ("B", "d1", Some(1.0)),
            ("B", "d2", None),
            ("B", "d3", Some(1.0)),
        ];
        let options = TargetOptions {
            horizons: vec![1],
            drop_incomplete: false,
            raw_returns: true,
            ..TargetOptions::default()
        };
        let out = create_ranking_targets(&frame(&rows), &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.num_rows(), 6);
        assert_eq!(
            column(&out, "fwd_return_1d"),
            vec![Some(1.0), None, None, None, None, None]
        );
        // On d1, A's return ranks 1 of the 2 rows (B's is null but counted).
        assert_eq!(column(&out, "target_1d")[0], Some(0.5));
    }

    #[test]
    fn bad_input_is_an_error() {
        let dup = [("A", "d1", Some(1.0)), ("A", "d1", Some(2.0))];
        assert!(matches!(
            create_ranking_targets(&frame(&dup), &TargetOptions::default()),
            Err(TargetsError::DuplicateRow { ticker, date }) if ticker == "A" && date == "d1"
        ));
        let ok = [("A", "d1", Some(1.0))];
        for horizons in [vec![], vec![0], vec![5, 5]] {
            let options = TargetOptions {
                horizons,
                ..TargetOptions::default()
            };
            assert!(matches!(
                create_ranking_targets(&frame(&ok), &options),
                Err(TargetsError::InvalidHorizons { .. })
            ));
        }
        let options = TargetOptions {
            price_col: "adj_close".into(),
            ..TargetOptions::default()
        };
        let err = create_ranking_targets(&frame(&ok), &options)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("adj_close") && err.contains("ticker, date, close"),
            "{err}"
        );
    }
}
