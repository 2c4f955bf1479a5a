//! `mkt.NumerBay`: the official `numerbay.NumerBay` surface on numerbay-client.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyList;
use secrecy::SecretString;

use crate::adapt::{self, Key, Upload};
use crate::convert::{frame_batch, to_py, Numbers};
use crate::errors::{self, Failure, Kind};
use crate::progress::Bar;
use crate::runtime::{block, init_logging, ForkGuard};

/// NumerBay client: `NumerBay(username=None, password=None, verbosity="INFO",
/// show_progress_bars=True, base_url=None)`.
///
/// Credentials come from the arguments or `NUMERBAY_USERNAME`/`NUMERBAY_PASSWORD`, the API root
/// from `base_url` or `NUMERBAY_API_URL`. With credentials, the constructor logs in (as the official
/// client does) and raises `NumerBayAuthError` when they are rejected.
#[pyclass(module = "mkt", name = "NumerBay", frozen)]
#[derive(Debug)]
pub struct NumerBay {
    client: ForkGuard<adapt::NumerBay>,
    show_progress_bars: bool,
    #[pyo3(get)]
    user_id: Option<u64>,
}

fn failure(py: Python<'_>, e: &numerbay_client::Error) -> PyErr {
    errors::numerbay(py, adapt::nb_failure(e))
}

fn invalid(py: Python<'_>, message: &str) -> PyErr {
    errors::numerbay(
        py,
        Failure {
            kind: Kind::Validation,
            message: message.to_owned(),
            status: None,
        },
    )
}

use marketplace_core::env::non_empty as env;

impl NumerBay {
    /// The client, unless this is a forked child of the process that created it.
    fn client(&self) -> PyResult<&adapt::NumerBay> {
        self.client.get()
    }

    fn product(
        &self,
        py: Python<'_>,
        product_id: Option<u64>,
        product_full_name: Option<String>,
    ) -> PyResult<numerbay_client::ProductRef> {
        adapt::product_ref(product_id, product_full_name)
            .ok_or_else(|| invalid(py, "a product is required: pass product_id or product_full_name"))
    }
}

#[pymethods]
impl NumerBay {
    #[new]
    #[pyo3(signature = (username=None, password=None, verbosity="INFO", show_progress_bars=true, base_url=None))]
    fn new(
        py: Python<'_>,
        username: Option<String>,
        password: Option<String>,
        verbosity: &str,
        show_progress_bars: bool,
        base_url: Option<String>,
    ) -> PyResult<Self> {
        init_logging(verbosity);
        let (user_var, password_var, url_var) = adapt::numerbay_env();
        let username = username.filter(|u| !u.is_empty()).or_else(|| env(user_var));
        let password = password.filter(|p| !p.is_empty()).or_else(|| env(password_var));
        let credentials = match (username, password) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            _ => {
                return Err(errors::numerbay(
                    py,
                    Failure {
                        kind: Kind::Auth,
                        message: format!(
                            "both a username and a password are needed: pass both, or set {user_var} and {password_var}"
                        ),
                        status: None,
                    },
                ))
            }
        };
        let logged_in = credentials.is_some();
        let client =
            adapt::numerbay(base_url.or_else(|| env(url_var)), credentials).map_err(|e| failure(py, &e))?;
        let user_id = if logged_in {
            let me = block(py, adapt::nb_account(&client))?.map_err(|e| failure(py, &e))?;
            Some(me.id.0)
        } else {
            None
        };
        Ok(NumerBay {
            client: ForkGuard::new(client),
            show_progress_bars,
            user_id,
        })
    }

    /// Your account (`users/me`) as a dict.
    fn get_account(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let me = block(py, adapt::nb_account(self.client()?))?.map_err(|e| failure(py, &e))?;
        to_py(py, &me, Numbers::Money)
    }

    /// Your orders (as a buyer), a list of dicts.
    fn get_my_orders(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let orders = block(py, adapt::nb_orders(self.client()?))?.map_err(|e| failure(py, &e))?;
        to_py(py, &orders, Numbers::Money)
    }

    /// Your sales, including pending and expired ones unless `active_only`.
    #[pyo3(signature = (active_only=false))]
    fn get_my_sales(&self, py: Python<'_>, active_only: bool) -> PyResult<Py<PyAny>> {
        let sales = block(py, adapt::nb_sales(self.client()?, active_only))?.map_err(|e| failure(py, &e))?;
        to_py(py, &sales, Numbers::Money)
    }

    /// Your listings, a list of dicts.
    fn get_my_listings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let products = block(py, adapt::nb_listings(self.client()?))?.map_err(|e| failure(py, &e))?;
        to_py(py, &products, Numbers::Money)
    }

    /// Uploads a file (or `df`, a pandas/polars frame, sent as CSV without a temporary file)
    /// for the current selling round: one sealed copy per active sale of an encrypted product
    /// (a list is returned), or one artifact of a plain product (a dict). Copies go out
    /// concurrently; any failed copy raises `NumerBayError`.
    #[pyo3(signature = (file_path="predictions.csv", product_id=None, product_full_name=None, order_id=None, df=None))]
    fn upload_artifact(
        &self,
        py: Python<'_>,
        file_path: &str,
        product_id: Option<u64>,
        product_full_name: Option<String>,
        order_id: Option<u64>,
        df: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let product = self.product(py, product_id, product_full_name)?;
        let source = match df {
            Some(df) => {
                let name = PathBuf::from(file_path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "predictions.csv".to_owned());
                Upload::Frame(frame_batch(&df)?, name)
            }
            None => Upload::Path(PathBuf::from(file_path)),
        };
        let (encrypted, uploaded) = block(py, adapt::nb_upload(self.client()?, &product, source, order_id))?
            .map_err(|f| errors::numerbay(py, f))?;
        if encrypted {
            return to_py(py, &uploaded, Numbers::Money);
        }
        match uploaded.first() {
            Some(one) => to_py(py, one, Numbers::Money),
            None => Ok(PyList::empty(py).into_any().unbind()),
        }
    }

    /// `upload_artifact` under the name the official reference docs use.
    #[pyo3(signature = (file_path="predictions.csv", product_id=None, product_full_name=None, order_id=None, df=None))]
    fn upload_predictions(
        &self,
        py: Python<'_>,
        file_path: &str,
        product_id: Option<u64>,
        product_full_name: Option<String>,
        order_id: Option<u64>,
        df: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.upload_artifact(py, file_path, product_id, product_full_name, order_id, df)
    }

    /// Downloads a purchased file atomically (never a partial file at the destination) and
    /// opens sealed copies with the key (`key_path`, `NUMERBAY_KEY_PATH` or `key_base64`).
    /// Returns the path written.
    #[pyo3(signature = (filename=None, dest_path=None, product_id=None, product_full_name=None, order_id=None, artifact_id=None, key_path=None, key_base64=None))]
    #[allow(clippy::too_many_arguments)]
    fn download_artifact(
        &self,
        py: Python<'_>,
        filename: Option<PathBuf>,
        dest_path: Option<PathBuf>,
        product_id: Option<u64>,
        product_full_name: Option<String>,
        order_id: Option<u64>,
        artifact_id: Option<Bound<'_, PyAny>>,
        key_path: Option<PathBuf>,
        key_base64: Option<String>,
    ) -> PyResult<String> {
        let product = adapt::product_ref(product_id, product_full_name);
        let artifact_id = artifact_id.map(|a| a.str().map(|s| s.to_string())).transpose()?;
        let key = match (
            key_path.or_else(|| env("NUMERBAY_KEY_PATH").map(PathBuf::from)),
            key_base64,
        ) {
            (_, Some(b64)) => Some(Key::Base64(SecretString::from(b64))),
            (Some(path), None) => Some(Key::File(path)),
            (None, None) => None,
        };
        let progress = Bar::sink(self.show_progress_bars, "downloading");
        let outcome = block(
            py,
            adapt::nb_download(
                self.client()?,
                product,
                order_id,
                artifact_id,
                key,
                dest_path
                    .or(filename)
                    .map(|p| crate::convert::dest_file("dest_path", p))
                    .transpose()?,
                progress,
            ),
        )?
        .map_err(|e| failure(py, &e))?;
        Ok(outcome.path.to_string_lossy().into_owned())
    }

    /// Locks the product for `round_number` (default: the selling round); returns the product.
    #[pyo3(signature = (product_id=None, product_full_name=None, round_number=None))]
    fn lock_product(
        &self,
        py: Python<'_>,
        product_id: Option<u64>,
        product_full_name: Option<String>,
        round_number: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let product = self.product(py, product_id, product_full_name)?;
        let row = block(py, adapt::nb_lock(self.client()?, &product, round_number))?
            .map_err(|e| failure(py, &e))?;
        to_py(py, &row, Numbers::Money)
    }

    fn __repr__(&self) -> String {
        match self.user_id {
            Some(id) => format!("NumerBay(user_id={id})"),
            None => "NumerBay(user_id=None)".to_owned(),
        }
    }
}
