//! `mkt.Sandbox`: the embedded marketplace sandbox as a context manager for users' tests.

use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::internal;
use crate::runtime::{block, runtime, ForkGuard};

/// A local server speaking the NumerBay and CrowdCent APIs on an ephemeral 127.0.0.1 port,
/// seeded with a seller, a buyer (with a key file), two products and a challenge.
///
/// ```python
/// with mkt.Sandbox() as sb:
///     nb = mkt.NumerBay(sb.seller_username, sb.seller_password, base_url=sb.numerbay_url)
/// ```
#[pyclass(module = "mkt", name = "Sandbox", frozen)]
#[derive(Debug)]
pub struct Sandbox {
    server: ForkGuard<Mutex<Option<marketplace_sandbox::Sandbox>>>,
    info: marketplace_sandbox::SandboxInfo,
}

impl Drop for Sandbox {
    /// A sandbox collected without `close()` is shut down in the background.
    fn drop(&mut self) {
        // In a forked child the server is the parent's: left alone.
        let Some(server) = self.server.get_mut() else {
            return;
        };
        let server = server.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if let (Some(server), Ok(rt)) = (server, runtime()) {
            rt.spawn(server.shutdown());
        }
    }
}

#[pymethods]
impl Sandbox {
    /// Starts the server.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        let rt = runtime()?;
        // The server task is spawned on the process runtime, so it keeps serving between calls.
        let started = block(py, async move {
            rt.spawn(marketplace_sandbox::Sandbox::start()).await
        })?
        .map_err(|e| internal(format!("the sandbox task failed: {e}")))?
        .map_err(|e| {
            internal(format!(
                "could not start the sandbox: {}",
                crate::errors::chain(&e)
            ))
        })?;
        let info = started.info().clone();
        Ok(Sandbox {
            server: ForkGuard::new(Mutex::new(Some(started))),
            info,
        })
    }

    /// NumerBay API root (ends in `/backend-api/v1`): `NumerBay(base_url=...)`.
    #[getter]
    fn numerbay_url(&self) -> &str {
        &self.info.numerbay_url
    }

    /// CrowdCent API root (ends in `/api`): `ChallengeClient(base_url=...)`.
    #[getter]
    fn crowdcent_url(&self) -> &str {
        &self.info.crowdcent_url
    }

    /// Control API root (ends in `/_sandbox`): faults, clock, rounds.
    #[getter]
    fn control_url(&self) -> &str {
        &self.info.control_url
    }

    /// Storage root (ends in `/storage`).
    #[getter]
    fn storage_url(&self) -> &str {
        &self.info.storage_url
    }

    /// The seeded seller's username (owns both products).
    #[getter]
    fn seller_username(&self) -> &str {
        &self.info.seller.username
    }

    /// The seeded seller's password.
    #[getter]
    fn seller_password(&self) -> &str {
        &self.info.seller.password
    }

    /// The seeded buyer's username (one current order on each product).
    #[getter]
    fn buyer_username(&self) -> &str {
        &self.info.buyer.username
    }

    /// The seeded buyer's password.
    #[getter]
    fn buyer_password(&self) -> &str {
        &self.info.buyer.password
    }

    /// The buyer's `numerbay.json` key file.
    #[getter]
    fn buyer_key_file(&self) -> String {
        self.info.buyer_key_file.to_string_lossy().into_owned()
    }

    /// The seeded CrowdCent API key.
    #[getter]
    fn crowdcent_api_key(&self) -> &str {
        &self.info.crowdcent_api_key
    }

    /// Full name of the encrypted product.
    #[getter]
    fn encrypted_product(&self) -> &str {
        &self.info.encrypted_product
    }

    /// Full name of the unencrypted product.
    #[getter]
    fn plain_product(&self) -> &str {
        &self.info.plain_product
    }

    /// Slug of the seeded challenge.
    #[getter]
    fn challenge(&self) -> &str {
        &self.info.challenge
    }

    /// The data directory (removed at shutdown).
    #[getter]
    fn data_dir(&self) -> String {
        self.info.data_dir.to_string_lossy().into_owned()
    }

    /// Everything above as a dict (`GET /_sandbox/info`).
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let value = crate::convert::to_py(py, &self.info, crate::convert::Numbers::Plain)?;
        Ok(value.into_bound(py).downcast_into::<PyDict>()?)
    }

    /// Stops the server and removes its data directory (idempotent).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        // A forked child does not own the parent's server: nothing to stop here.
        let Ok(server) = self.server.get() else {
            return Ok(());
        };
        let server = server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            block(py, server.shutdown())?;
        }
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!(
            "Sandbox(numerbay_url={:?}, crowdcent_url={:?})",
            self.info.numerbay_url, self.info.crowdcent_url
        )
    }
}
