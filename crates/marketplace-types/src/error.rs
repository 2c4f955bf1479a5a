//! The error type of this crate: parsing ids, money and timestamps from text.

/// Everything that can go wrong when parsing wire values from text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An artifact id that is neither an integer nor a 32-character lowercase hex string.
    #[error(
        "invalid artifact id {input:?}: pass an integer product-artifact id (e.g. 744) \
         or a 32-character lowercase hex order-artifact id"
    )]
    InvalidArtifactId {
        /// The rejected input.
        input: String,
    },
    /// An order-artifact id that is not 32 lowercase hex characters.
    #[error("invalid order-artifact id {input:?}: expected 32 lowercase hex characters (uuid4 hex)")]
    InvalidOrderArtifactId {
        /// The rejected input.
        input: String,
    },
    /// An integer id that does not parse.
    #[error("invalid {kind} id {input:?}: expected a non-negative integer")]
    InvalidIntegerId {
        /// Which id type was parsed (`"product"`, `"order"`, ...).
        kind: &'static str,
        /// The rejected input.
        input: String,
        /// Why the integer did not parse.
        #[source]
        source: std::num::ParseIntError,
    },
    /// A decimal amount that does not parse.
    #[error("invalid decimal {input:?}: expected a number such as 9, 9.5 or 1e-05")]
    InvalidDecimal {
        /// The rejected input.
        input: String,
        /// Why the decimal did not parse.
        #[source]
        source: rust_decimal::Error,
    },
    /// A timestamp that does not parse.
    #[error(
        "invalid datetime {input:?}: expected ISO-8601 such as 2021-12-25T06:34:58.047278 \
         or 2025-06-05T12:34:26Z"
    )]
    InvalidDateTime {
        /// The rejected input.
        input: String,
        /// Why the timestamp did not parse.
        #[source]
        source: chrono::ParseError,
    },
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
