//! Submissions: list, get, and create with local validation first (spec §2.6, §4.4).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use frame_io::validate::{self, RuleSet};
use frame_io::{RecordBatch, ValidationReport};
use marketplace_core::MultipartFactory;
use marketplace_types::crowdcent::{Submission, SubmitResponse};
use reqwest::multipart::{Form, Part};
use reqwest::Method;

use crate::challenge::ChallengeClient;
use crate::error::{Error, Result};
use crate::params::{InferenceRef, Period};

mod payload;

use payload::{encode, validate_predictions, Payload};

/// Longest accepted notes, in characters.
pub const MAX_NOTES_CHARS: usize = 2000;
/// File name sent for in-memory predictions.
pub const DEFAULT_FILE_NAME: &str = "submission.parquet";

/// Where the predictions come from.
#[derive(Debug, Clone)]
pub enum Predictions {
    /// A Parquet file (sent byte for byte) or a CSV file (converted to Parquet in memory).
    Path(PathBuf),
    /// In-memory arrow batches, encoded to Parquet in memory (never through a file in the
    /// working directory; spec §8.6).
    Batches(Vec<RecordBatch>),
}

impl From<RecordBatch> for Predictions {
    fn from(batch: RecordBatch) -> Self {
        Predictions::Batches(vec![batch])
    }
}

impl From<PathBuf> for Predictions {
    fn from(path: PathBuf) -> Self {
        Predictions::Path(path)
    }
}

impl From<&Path> for Predictions {
    fn from(path: &Path) -> Self {
        Predictions::Path(path.to_owned())
    }
}

/// Options of [`ChallengeClient::submit`]. Defaults match the reference client: slot 1, queue a
/// copy for the next period, not experimental, empty notes; plus local validation against
/// `crowdcent-hyperliquid` and the current inference ids.
#[derive(Debug, Clone)]
pub struct SubmitOptions {
    /// 1-based slot.
    pub slot: u32,
    /// Also queue a copy for the next period.
    pub also_queue_next: bool,
    /// Experimental submission (scored, but not on the leaderboard or in the meta-model).
    pub is_experimental: bool,
    /// Private notes, at most [`MAX_NOTES_CHARS`] characters.
    pub notes: String,
    /// Validate the file locally before anything is sent.
    pub validate: bool,
    /// When validating, also match the ids against the current inference file (skipped when no
    /// period is open).
    pub check_inference_ids: bool,
    /// The rules to validate against.
    pub rules: RuleSet,
}

impl Default for SubmitOptions {
    fn default() -> Self {
        SubmitOptions {
            slot: 1,
            also_queue_next: true,
            is_experimental: false,
            notes: String::new(),
            validate: true,
            check_inference_ids: true,
            rules: validate::CROWDCENT_HYPERLIQUID,
        }
    }
}

/// What the server did with a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmitKind {
    /// 201: a new live submission for the open period.
    Created,
    /// 200: the live save committed, replacing this slot's earlier submission for the period
    /// (a 200 also reports a partial success; see [`SubmitOutcome::queue_rejection`]).
    Replaced,
    /// 202: no window is open; the file is queued for the next one.
    Queued,
}

/// The queue copy was refused while the live save succeeded (a 200 partial success).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueRejection {
    /// The server's code, e.g. `EXPERIMENTAL_QUEUE_REQUIRES_NON_EXP`.
    pub code: String,
    /// The server's explanation.
    pub message: Option<String>,
}

/// The typed result of a submit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SubmitOutcome {
    /// Created, replaced or queued.
    pub kind: SubmitKind,
    /// The HTTP status the server answered.
    pub http_status: u16,
    /// The response body.
    pub response: SubmitResponse,
    /// The local validation report, when validation ran.
    pub validation: Option<ValidationReport>,
}

impl SubmitOutcome {
    /// The refused queue copy, if the server refused one.
    pub fn queue_rejection(&self) -> Option<QueueRejection> {
        self.response
            .queue_error_code
            .as_ref()
            .map(|code| QueueRejection {
                code: code.clone(),
                message: self.response.queue_error.clone(),
            })
    }

    /// Whether a copy was queued for the next period.
    pub fn queued_for_next(&self) -> bool {
        self.response.queued_for_next.unwrap_or(false)
    }
}

impl ChallengeClient {
    /// `GET …/submissions/[?period=current|YYYY-MM-DD]`: your submissions (all slots).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown challenge, [`Error::Auth`], [`Error::Http`].
    pub async fn list_submissions(&self, period: Option<Period>) -> Result<Vec<Submission>> {
        let mut req = self.client.http.get(&self.path("submissions/"));
        if let Some(p) = period {
            req = req.query(&[("period", p.to_string())]);
        }
        req.send_json()
            .await
            .map_err(|e| Error::from_http(e, || self.what("submissions")))
    }

    /// `GET …/submissions/{id}/`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the id does not exist or is someone else's, [`Error::Auth`],
    /// [`Error::Http`].
    pub async fn submission(&self, id: u64) -> Result<Submission> {
        self.get_json(&format!("submissions/{id}/"), || {
            self.what(&format!("submission {id}"))
        })
        .await
    }

    /// Validates and submits predictions (`POST …/submissions/`, multipart).
    ///
    /// Checks run before anything is sent: the notes length, the slot, and (unless
    /// `options.validate` is off) the file against `options.rules`, optionally matched with the
    /// current inference ids. The multipart form is rebuilt for every attempt, so a retried
    /// submit re-sends the whole file (spec §8.1).
    ///
    /// # Errors
    /// [`Error::NotesTooLong`], [`Error::InvalidSlot`], [`Error::Rejected`] (nothing sent),
    /// [`Error::Frame`]/[`Error::Io`] for unreadable input, [`Error::Auth`], [`Error::Http`] for a
    /// server rejection (its `code` and `message` are kept).
    pub async fn submit(
        &self,
        predictions: impl Into<Predictions>,
        options: SubmitOptions,
    ) -> Result<SubmitOutcome> {
        let predictions = predictions.into();
        let chars = options.notes.chars().count();
        if chars > MAX_NOTES_CHARS {
            return Err(Error::NotesTooLong {
                chars,
                max: MAX_NOTES_CHARS,
            });
        }
        if options.slot == 0 {
            return Err(Error::InvalidSlot { slot: options.slot });
        }
        if let Predictions::Path(path) = &predictions {
            // A missing file is an I/O problem, not a validation verdict.
            tokio::fs::metadata(path).await.map_err(|source| Error::Io {
                path: path.clone(),
                op: "open",
                source,
            })?;
        }
        let validation = if options.validate {
            let ids = if options.check_inference_ids {
                self.current_inference_ids(options.rules).await?
            } else {
                None
            };
            let report = validate_predictions(&predictions, options.rules, ids).await?;
            if !report.is_valid() {
                return Err(Error::Rejected {
                    report: Box::new(report),
                });
            }
            Some(report)
        } else {
            None
        };
        let payload = encode(predictions).await?;
        let (status, response) = self.post_submission(payload, &options).await?;
        let kind = match status {
            201 => SubmitKind::Created,
            202 => SubmitKind::Queued,
            _ if response.is_queued() => SubmitKind::Queued,
            200 => SubmitKind::Replaced,
            _ if response.id.is_some() => SubmitKind::Created,
            other => {
                return Err(Error::UnexpectedResponse {
                    status: other,
                    message: "neither a submission nor a queued notice".to_owned(),
                })
            }
        };
        Ok(SubmitOutcome {
            kind,
            http_status: status,
            response,
            validation,
        })
    }

    async fn post_submission(
        &self,
        payload: Payload,
        options: &SubmitOptions,
    ) -> Result<(u16, SubmitResponse)> {
        let fields = [
            ("slot", options.slot.to_string()),
            ("also_queue_next", options.also_queue_next.to_string()),
            ("is_experimental", options.is_experimental.to_string()),
            ("notes", options.notes.clone()),
        ];
        let Payload { file_name, bytes } = payload;
        let make: MultipartFactory = Arc::new(move || {
            let mut form = Form::new();
            for (name, value) in &fields {
                form = form.text(*name, value.clone());
            }
            let part = Part::stream_with_length(bytes.clone(), bytes.len() as u64)
                .file_name(file_name.clone())
                .mime_str("application/octet-stream")
                .map_err(|e| marketplace_core::Error::Config {
                    message: format!("cannot build the multipart body: {e}"),
                })?;
            Ok(form.part("prediction_file", part))
        });
        // Re-submitting the same file to the same slot replaces it, so a timed-out attempt may be
        // retried safely.
        let resp = self
            .client
            .http
            .post(&self.path("submissions/"))
            .multipart(make)
            .idempotent(true)
            .send()
            .await
            .map_err(|e| Error::from_http(e, || self.what("the submission endpoint")))?;
        let status = resp.status().as_u16();
        let url = marketplace_core::strip_query(resp.url());
        let body = match self.client.http.read_body(&Method::POST, resp).await {
            Ok(body) => body,
            Err(e @ marketplace_core::Error::BodyTooLarge { .. }) => return Err(e.into()),
            Err(e) => {
                return Err(Error::UnexpectedResponse {
                    status,
                    message: format!("the response body broke off: {e}"),
                })
            }
        };
        let de = &mut serde_json::Deserializer::from_slice(&body);
        let response = serde_path_to_error::deserialize(de)
            .map_err(|source| Error::Http(Box::new(marketplace_core::Error::Decode { url, source })))?;
        Ok((status, response))
    }

    /// The ids of the current inference file, or `None` when no period is open.
    async fn current_inference_ids(&self, rules: RuleSet) -> Result<Option<HashSet<String>>> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: std::env::temp_dir(),
            op: "create a temporary directory in",
            source,
        })?;
        let dest = dir.path().join("inference.parquet");
        let target = mkt_fs::Destination::chosen(&dest).resolve()?;
        match self
            .download_inference(InferenceRef::Current, crate::DataFormat::Parquet, &target, None)
            .await
        {
            Ok(_) => {}
            Err(e) if e.is_not_found() => {
                tracing::info!(slug = %self.slug, "no open inference period: ids not checked");
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let ids = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
            validate::load_ids(&dest, &rules)
        }))
        .await
        .map_err(|e| Error::Io {
            path: dir.path().to_owned(),
            op: "read",
            source: std::io::Error::other(e),
        })??;
        Ok(Some(ids))
    }
}
