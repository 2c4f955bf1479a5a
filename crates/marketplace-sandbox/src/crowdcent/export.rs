//! `?as=csv` on the download endpoints: a CSV copy of the stored Parquet file (spec §7.5).

use serde::Deserialize;

use super::reply::{ApiError, Reply};
use crate::storage::Storage;

/// The query of a download endpoint. Only `as` is read; other parameters are ignored.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DownloadQuery {
    /// `csv` for the CSV copy; `parquet` or absent for the stored file.
    #[serde(rename = "as")]
    pub(crate) as_format: Option<String>,
}

/// The storage key to redirect to: `key` itself, or its CSV copy (made, or refreshed when the
/// Parquet file is newer, on first request).
///
/// # Errors
/// 400 `INVALID_FIELD` for an `as` other than `csv`/`parquet`; 500 when the copy cannot be made.
pub(crate) async fn served_key(storage: &Storage, key: &str, query: &DownloadQuery) -> Reply<String> {
    match query.as_format.as_deref() {
        None | Some("parquet") => Ok(key.to_owned()),
        Some("csv") => csv_copy(storage, key).await,
        Some(other) => Err(ApiError::field(
            "INVALID_FIELD",
            "as",
            format!("'{other}' is not a download format; use 'csv' or 'parquet'."),
        )),
    }
}

async fn csv_copy(storage: &Storage, key: &str) -> Reply<String> {
    let csv_key = format!("{}.csv", key.strip_suffix(".parquet").unwrap_or(key));
    let source = storage.object_path(key);
    let copy = storage.object_path(&csv_key);
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(src), Some(csv)) = (modified(&source), modified(&copy)) {
        if csv > src {
            return Ok(csv_key);
        }
    }
    let bytes = tokio::task::spawn_blocking(move || frame_io::read_frame(&source)?.to_csv_bytes())
        .await
        .map_err(|e| ApiError::internal("convert a file to CSV", &e))?
        .map_err(|e| ApiError::internal("convert a file to CSV", &e))?;
    storage
        .write_bytes(&csv_key, &bytes)
        .await
        .map_err(|e| ApiError::internal("store a CSV copy", &e))?;
    Ok(csv_key)
}
