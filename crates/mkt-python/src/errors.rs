//! Client errors as the Python exceptions of `mkt.errors`, chosen by classification
//! (`is_auth`, `is_not_found`, `is_validation`), never by matching variants here.

use pyo3::exceptions::{PyFileNotFoundError, PyKeyboardInterrupt, PyRuntimeError, PyTimeoutError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// What an error is, as far as the Python exception classes care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Credentials missing or rejected.
    Auth,
    /// Something asked for does not exist.
    NotFound,
    /// Rejected input (locally, or a server 4xx).
    Validation,
    /// A server 5xx.
    Server,
    /// A local file is missing (`FileNotFoundError`).
    MissingFile,
    /// A wait ran out of time (`TimeoutError`).
    Timeout,
    /// The call was interrupted (`KeyboardInterrupt`).
    Interrupted,
    /// Anything else.
    Other,
}

/// A classified error with its message and, when the server answered, the HTTP status.
#[derive(Debug)]
pub struct Failure {
    /// Which exception class.
    pub kind: Kind,
    /// The full message (the error and its causes).
    pub message: String,
    /// The HTTP status.
    pub status: Option<u16>,
}

/// The message of `err` and its causes, one sentence after another.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

fn raise(py: Python<'_>, class: &str, f: &Failure, extra: &[(&str, Py<PyAny>)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("status_code", f.status)?;
        for (k, v) in extra {
            kwargs.set_item(*k, v)?;
        }
        let class = py.import("mkt.errors")?.getattr(class)?;
        Ok(PyErr::from_value(
            class.call((f.message.as_str(),), Some(&kwargs))?,
        ))
    };
    build().unwrap_or_else(|e| e)
}

fn builtin(f: &Failure) -> Option<PyErr> {
    match f.kind {
        Kind::MissingFile => Some(PyFileNotFoundError::new_err(f.message.clone())),
        Kind::Timeout => Some(PyTimeoutError::new_err(f.message.clone())),
        Kind::Interrupted => Some(PyKeyboardInterrupt::new_err(f.message.clone())),
        _ => None,
    }
}

/// A NumerBay failure as `mkt.NumerBayError` or a subclass.
pub fn numerbay(py: Python<'_>, f: Failure) -> PyErr {
    if let Some(e) = builtin(&f) {
        return e;
    }
    let class = match f.kind {
        Kind::Auth => "NumerBayAuthError",
        Kind::NotFound => "NumerBayNotFoundError",
        Kind::Validation => "NumerBayValidationError",
        _ => "NumerBayError",
    };
    raise(py, class, &f, &[])
}

/// A CrowdCent failure as the official client's exception classes (under `mkt`).
pub fn crowdcent(py: Python<'_>, f: Failure, code: &str) -> PyErr {
    if let Some(e) = builtin(&f) {
        return e;
    }
    let class = match (f.kind, f.status) {
        (Kind::Auth, _) => "AuthenticationError",
        (Kind::NotFound, _) => "NotFoundError",
        (Kind::Server, _) => "ServerError",
        (Kind::Validation, _) => "ClientError",
        (_, Some(s)) if (400..500).contains(&s) => "ClientError",
        (_, Some(s)) if s >= 500 => "ServerError",
        _ => "CrowdCentAPIError",
    };
    let code = pyo3::types::PyString::new(py, code).into_any().unbind();
    raise(py, class, &f, &[("code", code)])
}

/// An internal problem (the runtime, a conversion), as `RuntimeError`.
pub fn internal(message: impl Into<String>) -> PyErr {
    PyRuntimeError::new_err(message.into())
}
