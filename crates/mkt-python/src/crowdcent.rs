//! `mkt.ChallengeClient`: the official `crowdcent_challenge.ChallengeClient` (0.2.16) surface on
//! crowdcent-client.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::adapt::{self, Submit};
use crate::convert::{frame_batch, to_py, Numbers};
use crate::errors;
use crate::progress::Bar;
use crate::runtime::{block, ForkGuard};

/// CrowdCent Challenge client: `ChallengeClient(challenge_slug, api_key=None, base_url=None)`.
///
/// The API key comes from the argument or `CROWDCENT_API_KEY`, the API root from `base_url`,
/// `CROWDCENT_API_URL` or the public API. Errors raise `mkt.AuthenticationError`,
/// `NotFoundError`, `ClientError` (also for predictions rejected by local validation),
/// `ServerError`, all `CrowdCentAPIError`s.
#[pyclass(module = "mkt", name = "ChallengeClient", frozen)]
#[derive(Debug)]
pub struct ChallengeClient {
    api_key: Option<String>,
    base_url: Option<String>,
    client: ForkGuard<RwLock<Arc<adapt::CrowdCent>>>,
}

fn failure(py: Python<'_>, e: &crowdcent_client::Error) -> PyErr {
    let (f, code) = adapt::cc_failure(e);
    errors::crowdcent(py, f, &code)
}

/// A download's `dest_path` as the client takes it (see [`crate::convert::dest_file`]).
fn dest(dest_path: PathBuf) -> PyResult<String> {
    Ok(crate::convert::dest_file("dest_path", dest_path)?
        .to_string_lossy()
        .into_owned())
}

fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        PyValueError::new_err(format!(
            "{name} must be a non-negative number of seconds, got {value}"
        ))
    })
}

impl ChallengeClient {
    /// The client, unless this is a forked child of the process that created it.
    fn client(&self) -> PyResult<Arc<adapt::CrowdCent>> {
        Ok(self
            .client
            .get()?
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone())
    }

    fn bar(&self, label: &str) -> Option<Arc<dyn adapt::Progress>> {
        Bar::sink(true, label)
    }
}

#[pymethods]
impl ChallengeClient {
    #[new]
    #[pyo3(signature = (challenge_slug="hyperliquid-ranking", api_key=None, base_url=None))]
    fn new(
        py: Python<'_>,
        challenge_slug: &str,
        api_key: Option<String>,
        base_url: Option<String>,
    ) -> PyResult<Self> {
        let client = adapt::crowdcent(challenge_slug, api_key.clone(), base_url.clone())
            .map_err(|e| failure(py, &e))?;
        Ok(ChallengeClient {
            api_key,
            base_url,
            client: ForkGuard::new(RwLock::new(Arc::new(client))),
        })
    }

    /// The slug of the challenge this client talks to.
    #[getter]
    fn challenge_slug(&self) -> PyResult<String> {
        Ok(self.client()?.slug().to_owned())
    }

    /// Every active challenge (no slug needed).
    #[classmethod]
    #[pyo3(signature = (api_key=None, base_url=None))]
    fn list_all_challenges(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let list = block(py, adapt::cc_challenges(api_key, base_url))?.map_err(|e| failure(py, &e))?;
        to_py(py, &list, Numbers::Plain)
    }

    /// Points this client at another challenge.
    fn switch_challenge(&self, py: Python<'_>, new_challenge_slug: &str) -> PyResult<()> {
        let client = adapt::crowdcent(new_challenge_slug, self.api_key.clone(), self.base_url.clone())
            .map_err(|e| failure(py, &e))?;
        *self.client.get()?.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(client);
        Ok(())
    }

    /// The API key's account and capabilities (`auth/check`).
    fn check_auth(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let out = block(py, adapt::cc_auth(self.api_key.clone(), self.base_url.clone()))?
            .map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// The challenge.
    fn get_challenge(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_challenge(&c))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// Training dataset versions.
    fn list_training_datasets(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_trainings(&c))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// One training dataset (`"latest"` or a version).
    fn get_training_dataset(&self, py: Python<'_>, version: &str) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_training(&c, version))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// Downloads a training dataset (atomically, resuming a cut transfer).
    fn download_training_dataset(&self, py: Python<'_>, version: &str, dest_path: PathBuf) -> PyResult<()> {
        let c = self.client()?;
        let dest = dest(dest_path)?;
        let bar = self.bar("training data");
        block(py, adapt::cc_download_training(&c, version, &dest, bar))?.map_err(|e| failure(py, &e))
    }

    /// Inference periods.
    fn list_inference_data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_inferences(&c))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// One inference period (`"current"`, `"latest"` or `YYYY-MM-DD`).
    fn get_inference_data(&self, py: Python<'_>, release_date: &str) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_inference(&c, release_date))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// Downloads inference features; for `"current"` with `poll`, waits (every `poll_interval`
    /// seconds, at most `timeout` seconds, `None` forever) and raises `TimeoutError` after.
    #[pyo3(signature = (release_date, dest_path, poll=true, poll_interval=30.0, timeout=Some(900.0)))]
    fn download_inference_data(
        &self,
        py: Python<'_>,
        release_date: &str,
        dest_path: PathBuf,
        poll: bool,
        poll_interval: f64,
        timeout: Option<f64>,
    ) -> PyResult<()> {
        let c = self.client()?;
        let dest = dest(dest_path)?;
        let wait = if poll {
            Some((
                seconds("poll_interval", poll_interval)?,
                timeout.map(|t| seconds("timeout", t)).transpose()?,
            ))
        } else {
            None
        };
        let bar = self.bar("inference data");
        block(
            py,
            adapt::cc_download_inference(&c, release_date, &dest, wait, bar),
        )?
        .map_err(|e| failure(py, &e))
    }

    /// Downloads the meta-model.
    fn download_meta_model(&self, py: Python<'_>, dest_path: PathBuf) -> PyResult<()> {
        let c = self.client()?;
        let dest = dest(dest_path)?;
        let bar = self.bar("meta-model");
        block(py, adapt::cc_download_meta_model(&c, &dest, bar))?.map_err(|e| failure(py, &e))
    }

    /// Your submissions (`period`: `"current"` or `YYYY-MM-DD`).
    #[pyo3(signature = (period=None))]
    fn list_submissions(&self, py: Python<'_>, period: Option<String>) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_submissions(&c, period.as_deref()))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// One submission.
    fn get_submission(&self, py: Python<'_>, submission_id: u64) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let out = block(py, adapt::cc_submission(&c, submission_id))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// Validates the predictions locally, then submits them: a Parquet/CSV file, or `df` (a
    /// pandas or polars frame, encoded to Parquet in memory: no file is written). Returns the
    /// server's response dict.
    #[pyo3(signature = (file_path=None, df=None, slot=None, queue_next=true, is_experimental=false, notes=None))]
    #[allow(clippy::too_many_arguments)]
    fn submit_predictions(
        &self,
        py: Python<'_>,
        file_path: Option<PathBuf>,
        df: Option<Bound<'_, PyAny>>,
        slot: Option<u32>,
        queue_next: bool,
        is_experimental: bool,
        notes: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let what = match (df, file_path) {
            (Some(df), _) => Submit::Frame(frame_batch(&df)?),
            (None, Some(path)) => Submit::Path(path),
            (None, None) => Submit::Path(PathBuf::from("submission.csv")),
        };
        let c = self.client()?;
        let out = block(
            py,
            adapt::cc_submit(
                &c,
                what,
                slot.unwrap_or(1),
                queue_next,
                is_experimental,
                notes.unwrap_or_default(),
            ),
        )?
        .map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    /// Your performance history, one flat dict per submission.
    #[pyo3(signature = (user=None, scored_only=true, slot=None))]
    fn get_performance(
        &self,
        py: Python<'_>,
        user: Option<String>,
        scored_only: bool,
        slot: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        if user.is_some() {
            return Err(pyo3::exceptions::PyNotImplementedError::new_err(
                "fetching another user's performance is not supported by the API: leave user=None",
            ));
        }
        let c = self.client()?;
        let out = block(py, adapt::cc_performance(&c, scored_only, slot))?.map_err(|e| failure(py, &e))?;
        to_py(py, &out, Numbers::Plain)
    }

    fn __repr__(&self) -> String {
        match self.client() {
            Ok(c) => format!("ChallengeClient({:?})", c.slug()),
            Err(_) => "ChallengeClient(<from the parent process>)".to_owned(),
        }
    }
}
