//! Python bindings of mkt (import name `mkt`): drop-in `NumerBay` and `ChallengeClient` for the
//! official Python clients, plus `Sandbox` and the `mkt` command line.
//!
//! Main types: [`numerbay::NumerBay`], [`crowdcent::ChallengeClient`], [`sandbox::Sandbox`].
//! The binding has no client logic of its own: [`adapt`] holds every call into the client crates,
//! [`convert`] turns results into dicts (money as `decimal.Decimal`) and DataFrames into arrow,
//! [`runtime::block`] runs calls without the GIL and turns Ctrl-C into `KeyboardInterrupt`.
//! Built with maturin (`pip install ./crates/mkt-python`); tested from Python (`tests/`).
#![deny(missing_docs)]

pub mod adapt;
pub mod convert;
pub mod crowdcent;
pub mod errors;
pub mod numerbay;
pub mod progress;
pub mod runtime;
pub mod sandbox;

use pyo3::prelude::*;

/// Runs the `mkt` command line with `argv` (program name first) and returns its exit code.
/// Arguments are OS strings: a file name that is not UTF-8 arrives as Python's
/// surrogate-escaped `str` and goes on as the original bytes.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<std::ffi::OsString>) -> u8 {
    py.detach(move || mkt_cli::run_from(argv))
}

/// The extension module `mkt._mkt`.
#[pymodule]
fn _mkt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<numerbay::NumerBay>()?;
    m.add_class::<crowdcent::ChallengeClient>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    Ok(())
}
