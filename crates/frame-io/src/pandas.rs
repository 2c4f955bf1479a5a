//! The `pandas` key-value metadata pandas/pyarrow store in Parquet files, as far as frames need it.

use std::collections::HashMap;

use serde::Serialize;

/// Index columns recorded in a Parquet file's `pandas` metadata.
///
/// pandas stores a named index as an ordinary column (e.g. `id`) and an unnamed non-range index
/// as `__index_level_0__`. Both are listed here; only the unnamed ones are dropped when a frame
/// is written out as data (what `pd.read_parquet(..).to_csv(index=False)` would keep is the
/// named index, which we treat as data because predictions keep their ids there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PandasIndex {
    /// Stored column names of the index levels, in order.
    pub columns: Vec<String>,
}

impl PandasIndex {
    /// Parses the `pandas` entry of an arrow schema's metadata; absent or malformed metadata
    /// means "no index columns".
    pub fn from_metadata(metadata: &HashMap<String, String>) -> Self {
        let Some(text) = metadata.get("pandas") else {
            return Self::default();
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return Self::default();
        };
        let columns = value
            .get("index_columns")
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    // Range indexes are `{"kind": "range", ...}` objects and have no stored column.
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Self { columns }
    }

    /// Whether `name` is an index level that pandas generated (not a user-named column).
    pub fn is_generated(&self, name: &str) -> bool {
        is_generated_index_name(name) && self.columns.iter().any(|c| c == name)
    }
}

/// Whether `name` has the shape of a pandas-generated index column (`__index_level_N__`).
pub fn is_generated_index_name(name: &str) -> bool {
    name.strip_prefix("__index_level_")
        .and_then(|rest| rest.strip_suffix("__"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(json: &str) -> HashMap<String, String> {
        HashMap::from([("pandas".to_owned(), json.to_owned())])
    }

    #[test]
    fn named_and_generated_index_columns_are_read() {
        let idx = PandasIndex::from_metadata(&meta(r#"{"index_columns": ["id"], "columns": []}"#));
        assert_eq!(idx.columns, ["id"]);
        assert!(!idx.is_generated("id"));
        let idx = PandasIndex::from_metadata(&meta(r#"{"index_columns": ["__index_level_0__"]}"#));
        assert!(idx.is_generated("__index_level_0__"));
    }

    #[test]
    fn range_index_and_garbage_mean_no_columns() {
        let idx = PandasIndex::from_metadata(&meta(
            r#"{"index_columns": [{"kind": "range", "start": 0, "stop": 5, "step": 1}]}"#,
        ));
        assert!(idx.columns.is_empty());
        assert!(PandasIndex::from_metadata(&meta("not json")).columns.is_empty());
        assert!(PandasIndex::from_metadata(&HashMap::new()).columns.is_empty());
    }

    #[test]
    fn generated_names_need_digits() {
        assert!(is_generated_index_name("__index_level_12__"));
        assert!(!is_generated_index_name("__index_level___"));
        assert!(!is_generated_index_name("index"));
    }
}
