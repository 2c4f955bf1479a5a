//! Reading `mkt crowdcent score`'s files: ids and two value columns of one date, each id once.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use crowdcent_client::ReleaseDate;
use frame_io::arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray};
use frame_io::arrow::compute::cast;
use frame_io::arrow::datatypes::{DataType, Float64Type};

use crate::exit::{self, Failure};

/// Columns that date a row, in order of preference (`date` in targets, `release_date` in the
/// meta-model file).
pub(super) const DATE_COLUMNS: [&str; 2] = ["date", "release_date"];

/// Columns that name the asset: `id`, else `ticker` (what `mkt crowdcent targets` writes).
const ID_COLUMNS: [&str; 2] = ["id", "ticker"];

/// The rows of one file that take part in scoring.
#[derive(Debug)]
pub(super) struct Loaded {
    /// `(id, [10d value, 30d value])`, ids unique, nulls kept as `None`.
    pub rows: Vec<(String, [Option<f64>; 2])>,
    /// The date the rows were taken from, when the file has a date column.
    pub date: Option<String>,
}

/// Reads `path`: its id column, the two `columns`, and — when it has a date column — the rows of
/// `date` (or of its only date). Rows without an id are skipped.
///
/// # Errors
/// An unreadable file (exit 1); a missing column, an unreadable value, a row without a date or an
/// id given twice (exit 5); several dates without `--date`, or a `--date` the file lacks (exit 2).
pub(super) fn load(path: &Path, columns: [&str; 2], date: Option<ReleaseDate>) -> anyhow::Result<Loaded> {
    let frame = frame_io::read_frame(path).map_err(|e| Failure::new(exit::FAILED, e))?;
    let shown = path.display();
    let listing = || format!("columns are: {}", frame.data_column_names().join(", "));
    let find = |names: &[&str]| -> anyhow::Result<Option<ArrayRef>> {
        for name in names {
            if let Some(col) = frame.column(name)? {
                return Ok(Some(col));
            }
        }
        Ok(None)
    };
    let require = |names: &[&str]| -> anyhow::Result<ArrayRef> {
        find(names)?.ok_or_else(|| {
            Failure::new(
                exit::VALIDATION,
                anyhow::anyhow!("{shown} has no `{}` column", names.join("` or `")),
            )
            .hint(listing())
            .into()
        })
    };
    let as_type = |name: &str, col: &ArrayRef, ty: &DataType| -> anyhow::Result<ArrayRef> {
        cast(col, ty).map_err(|e| {
            Failure::new(
                exit::VALIDATION,
                anyhow::anyhow!("column `{name}` of {shown} cannot be read as {ty}: {e}"),
            )
            .into()
        })
    };
    let ids = as_type("id", &require(&ID_COLUMNS)?, &DataType::Utf8)?;
    let ids = ids.as_string::<i32>();
    let a = as_type(columns[0], &require(&columns[..1])?, &DataType::Float64)?;
    let b = as_type(columns[1], &require(&columns[1..])?, &DataType::Float64)?;
    let (a, b) = (a.as_primitive::<Float64Type>(), b.as_primitive::<Float64Type>());

    let (selected, date) = match find(&DATE_COLUMNS)? {
        None => ((0..ids.len()).collect::<Vec<_>>(), None),
        Some(col) => {
            let dates = date_texts(&col).map_err(|e| Failure::new(exit::VALIDATION, e))?;
            let (rows, day) = select_date(&dates, date, path)?;
            (rows, Some(day))
        }
    };
    let value = |arr: &PrimitiveArray<Float64Type>, i: usize| (!arr.is_null(i)).then(|| arr.value(i));
    let rows: Vec<(String, [Option<f64>; 2])> = selected
        .into_iter()
        .filter(|&i| !ids.is_null(i))
        .map(|i| (ids.value(i).to_owned(), [value(a, i), value(b, i)]))
        .collect();
    check_unique(&rows, path)?;
    Ok(Loaded { rows, date })
}

/// A date column as `YYYY-MM-DD` text: dates and timestamps are formatted, strings lose a time
/// part (`2025-06-09 00:00:00`, `2025-06-09T00:00:00`).
fn date_texts(col: &ArrayRef) -> anyhow::Result<Vec<Option<String>>> {
    let text = match col.data_type() {
        DataType::Timestamp(..) => cast(&cast(col, &DataType::Date32)?, &DataType::Utf8)?,
        _ => cast(col, &DataType::Utf8)?,
    };
    Ok(text
        .as_string::<i32>()
        .iter()
        .map(|v| {
            v.map(|s| {
                let s = s.trim();
                match s.as_bytes().get(10) {
                    Some(b' ' | b'T') => s[..10].to_owned(),
                    _ => s.to_owned(),
                }
            })
        })
        .collect())
}

/// The rows dated `wanted`, or those of the file's only date.
fn select_date(
    dates: &[Option<String>],
    wanted: Option<ReleaseDate>,
    path: &Path,
) -> anyhow::Result<(Vec<usize>, String)> {
    let shown = path.display();
    let missing = dates.iter().filter(|d| d.is_none()).count();
    if missing > 0 {
        return Err(Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!("{missing} rows of {shown} have no date"),
        )
        .hint("fill or drop the rows without a date")
        .into());
    }
    let distinct: BTreeSet<&str> = dates.iter().flatten().map(String::as_str).collect();
    let day = match (wanted, distinct.len()) {
        (Some(d), _) => {
            let d = d.to_string();
            if !distinct.contains(d.as_str()) {
                return Err(Failure::new(
                    exit::USAGE,
                    anyhow::anyhow!("{shown} has no rows dated {d}; its dates: {}", list(&distinct)),
                )
                .hint("pick one of the file's dates with --date")
                .into());
            }
            d
        }
        (None, 0) => return Ok((Vec::new(), String::new())),
        (None, 1) => distinct
            .iter()
            .next()
            .map(|d| (*d).to_owned())
            .unwrap_or_default(),
        (None, n) => {
            return Err(Failure::new(
                exit::USAGE,
                anyhow::anyhow!("{shown} holds {n} dates: {}", list(&distinct)),
            )
            .hint("pick the date to score with --date YYYY-MM-DD")
            .into())
        }
    };
    let rows = (0..dates.len())
        .filter(|&i| dates[i].as_deref() == Some(day.as_str()))
        .collect();
    Ok((rows, day))
}

/// The dates, all of them up to 12, else the first and last five.
fn list(dates: &BTreeSet<&str>) -> String {
    let all: Vec<&str> = dates.iter().copied().collect();
    if all.len() <= 12 {
        return all.join(", ");
    }
    format!(
        "{}, … {} more …, {}",
        all[..5].join(", "),
        all.len() - 10,
        all[all.len() - 5..].join(", ")
    )
}

fn check_unique(rows: &[(String, [Option<f64>; 2])], path: &Path) -> anyhow::Result<()> {
    let mut seen = HashSet::with_capacity(rows.len());
    let mut first = None;
    let mut repeated = 0usize;
    for (id, _) in rows {
        if !seen.insert(id.as_str()) {
            repeated += 1;
            first.get_or_insert(id.as_str());
        }
    }
    match first {
        None => Ok(()),
        Some(id) => Err(Failure::new(
            exit::VALIDATION,
            anyhow::anyhow!(
                "{} has id {id:?} more than once ({repeated} repeated rows)",
                path.display()
            ),
        )
        .hint("keep one row per id (and per date)")
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use frame_io::arrow::array::{StringArray, TimestampNanosecondArray};

    fn texts(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|s| Some((*s).to_owned())).collect()
    }

    #[test]
    fn dates_are_normalized() {
        let strings: ArrayRef = Arc::new(StringArray::from(vec![
            "2025-06-09 00:00:00",
            "2025-06-10T00:00:00Z",
            "2025-06-11",
        ]));
        assert_eq!(
            date_texts(&strings).ok(),
            Some(texts(&["2025-06-09", "2025-06-10", "2025-06-11"]))
        );
        let nanos: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![1_749_427_200_000_000_000]));
        assert_eq!(date_texts(&nanos).ok(), Some(texts(&["2025-06-09"])));
    }

    #[test]
    fn one_date_is_taken_several_need_a_choice() {
        let path = Path::new("t.csv");
        let one = texts(&["2025-06-09", "2025-06-09"]);
        let (rows, day) = select_date(&one, None, path).unwrap_or_default();
        assert_eq!((rows, day.as_str()), (vec![0, 1], "2025-06-09"));

        let several = texts(&["2025-06-09", "2025-06-10", "2025-06-09"]);
        let err = select_date(&several, None, path).map(|_| ()).unwrap_err();
        assert_eq!(exit::code_for(&err), exit::USAGE);
        assert!(
            err.to_string().contains("2 dates: 2025-06-09, 2025-06-10"),
            "{err}"
        );

        let wanted = "2025-06-09".parse().ok();
        let (rows, _) = select_date(&several, wanted, path).unwrap_or_default();
        assert_eq!(rows, vec![0, 2]);
        let absent = "2025-06-11".parse().ok();
        let err = select_date(&several, absent, path).map(|_| ()).unwrap_err();
        assert_eq!(exit::code_for(&err), exit::USAGE);
    }

    #[test]
    fn long_date_lists_are_shortened() {
        let days: Vec<String> = (1..=20).map(|d| format!("2025-01-{d:02}")).collect();
        let set: BTreeSet<&str> = days.iter().map(String::as_str).collect();
        let text = list(&set);
        assert!(
            text.starts_with("2025-01-01, ") && text.ends_with(", 2025-01-20"),
            "{text}"
        );
        assert!(text.contains("10 more"), "{text}");
    }

    #[test]
    fn a_repeated_id_is_named() {
        let rows = vec![
            ("a".to_owned(), [None, None]),
            ("b".to_owned(), [None, None]),
            ("a".to_owned(), [None, None]),
        ];
        let err = check_unique(&rows, Path::new("p.csv")).unwrap_err();
        assert_eq!(exit::code_for(&err), exit::VALIDATION);
        assert!(err.to_string().contains("\"a\""), "{err}");
    }
}
