//! Turning predictions into a validated Parquet upload body.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use frame_io::validate::{self, RuleSet};
use frame_io::{Format, ParquetOptions, RecordBatch, ValidationReport};

use super::{Predictions, DEFAULT_FILE_NAME};
use crate::error::{Error, Result};

/// A submission body ready to send.
pub(super) struct Payload {
    pub(super) file_name: String,
    pub(super) bytes: Bytes,
}

pub(super) async fn validate_predictions(
    predictions: &Predictions,
    rules: RuleSet,
    ids: Option<HashSet<String>>,
) -> Result<ValidationReport> {
    let predictions = predictions.clone();
    tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || match &predictions {
        Predictions::Path(p) => validate::validate_path(p, &rules, ids.as_ref()),
        Predictions::Batches(batches) => {
            let schema = batches
                .first()
                .map(RecordBatch::schema)
                .unwrap_or_else(|| Arc::new(arrow::datatypes::Schema::empty()));
            validate::validate_batches(Path::new("<predictions>"), &schema, batches, &rules, ids.as_ref())
        }
    }))
    .await
    .map_err(|e| Error::Io {
        path: PathBuf::from("<predictions>"),
        op: "validate",
        source: std::io::Error::other(e),
    })
}

/// The Parquet body and file name for the upload.
pub(super) async fn encode(predictions: Predictions) -> Result<Payload> {
    let join_err = |e: tokio::task::JoinError| Error::Io {
        path: PathBuf::from("<predictions>"),
        op: "encode",
        source: std::io::Error::other(e),
    };
    match predictions {
        Predictions::Batches(batches) => {
            let bytes = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
                frame_io::to_parquet_bytes(&batches, &ParquetOptions::default())
            }))
            .await
            .map_err(join_err)??;
            Ok(Payload {
                file_name: DEFAULT_FILE_NAME.to_owned(),
                bytes: Bytes::from(bytes),
            })
        }
        Predictions::Path(path) => {
            let p = path.clone();
            let format =
                tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || Format::detect(&p)))
                    .await
                    .map_err(join_err)??;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "submission".to_owned());
            if format == Format::Parquet {
                let bytes = tokio::fs::read(&path).await.map_err(|source| Error::Io {
                    path: path.clone(),
                    op: "read",
                    source,
                })?;
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned());
                return Ok(Payload {
                    file_name,
                    bytes: Bytes::from(bytes),
                });
            }
            // CSV: the server only takes Parquet, so convert in memory.
            let bytes = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
                frame_io::read_frame(&path)?.to_parquet_bytes(&ParquetOptions::default())
            }))
            .await
            .map_err(join_err)??;
            Ok(Payload {
                file_name: format!("{stem}.parquet"),
                bytes: Bytes::from(bytes),
            })
        }
    }
}
