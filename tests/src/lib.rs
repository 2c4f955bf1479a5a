//! Holder crate for the end-to-end tests in `tests/e2e/` (run with `cargo test -p mkt-e2e`).
