//! Integration tests of frame-io against the shared interop vectors (copied into `tests/data`).

mod convert;
mod fuzz_regressions;
mod hostile;
mod hostile_work;
mod util;
mod validate;
mod vectors;
