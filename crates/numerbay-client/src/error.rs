//! The crate's error type: transport errors from marketplace-core plus NumerBay domain failures.

use std::path::PathBuf;

use marketplace_types::numerbay::{OrderId, ProductArtifactId, ProductId};

use crate::resolve::NoOrderReason;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while talking to NumerBay.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An HTTP call failed; the server's status and `detail` text are inside.
    #[error(transparent)]
    Http(Box<marketplace_core::Error>),
    /// The destination could not be chosen, written or put in place (or the process was
    /// interrupted).
    #[error("the output was not written")]
    Write(#[from] mkt_fs::Error),
    /// A call needs a login but the client was built without credentials.
    #[error("{call} needs a NumerBay login, but the client was built without credentials")]
    CredentialsRequired {
        /// The call that needs them.
        call: &'static str,
    },
    /// `from_env()` found no value for a required variable.
    #[error("environment variable {var} is not set")]
    MissingEnv {
        /// The variable's name.
        var: &'static str,
    },
    /// No product has this id or full name.
    #[error("no product {query:?}{}", near_list(near))]
    ProductNotFound {
        /// What was looked for.
        query: String,
        /// The closest full names found, if any.
        near: Vec<String>,
    },
    /// The caller has no order that gives access to the product's files this round.
    #[error("no current order for product {product} in round {round}: {reason}")]
    NoCurrentOrder {
        /// The product's full name.
        product: String,
        /// The selling round.
        round: u32,
        /// Why no order qualifies.
        reason: NoOrderReason,
    },
    /// No order with this id is visible to the caller.
    #[error("order {order_id} not found among your orders; check the id against the order list")]
    OrderNotFound {
        /// The order id.
        order_id: OrderId,
    },
    /// An upload was restricted to an order that is not an active sale of the product this round.
    #[error("order {order_id} is not an active sale of product {product} in round {round}; check the id against your sales")]
    OrderNotActive {
        /// The order id.
        order_id: OrderId,
        /// The product's full name.
        product: String,
        /// The selling round.
        round: u32,
    },
    /// An order id was given that does not belong to the product.
    #[error("order {order_id} is for product {actual}, not product {expected}")]
    OrderProductMismatch {
        /// The order id.
        order_id: OrderId,
        /// The product given.
        expected: ProductId,
        /// The order's product.
        actual: ProductId,
    },
    /// An order id was given for a product that does not use encryption.
    #[error(
        "product {product_id} does not use encryption: every buyer gets the same product artifact, \
         so an order id does not apply; upload without one"
    )]
    OrderNotApplicable {
        /// The product id.
        product_id: ProductId,
    },
    /// A confirmed order of past rounds whose files the server no longer serves (or never got).
    #[error(
        "order {order_id} covers round(s) {rounds:?} only and the server serves no file of it any more \
(the selling round is {round})"
    )]
    PastOrderNotServed {
        /// The order.
        order_id: OrderId,
        /// The rounds it covers.
        rounds: Vec<u32>,
        /// The selling round.
        round: u32,
    },
    /// Nothing downloadable was uploaded yet.
    #[error("no active {what} to download for round {round}; the seller has not uploaded it yet")]
    NoArtifact {
        /// "artifact of product 7", "copy for order 12", ...
        what: String,
        /// The selling round.
        round: u32,
    },
    /// A product artifact id was given, but no product it belongs to could be found.
    #[error(
        "product artifact {artifact_id} is not listed for any product of your current orders; \
         name the product too"
    )]
    ArtifactProductUnknown {
        /// The artifact id.
        artifact_id: ProductArtifactId,
    },
    /// The request cannot be carried out as given.
    #[error("{message}")]
    InvalidRequest {
        /// What is wrong and what to give instead.
        message: String,
    },
    /// The server said something impossible (e.g. a download URL that is not a URL).
    #[error("unexpected answer from {endpoint}: {message}")]
    Protocol {
        /// The endpoint.
        endpoint: String,
        /// What was wrong.
        message: String,
    },
    /// A paged listing did not end within [`MAX_LISTING_PAGES`](crate::MAX_LISTING_PAGES) pages or
    /// [`MAX_LISTING_ITEMS`](crate::MAX_LISTING_ITEMS) items: the server keeps sending new pages.
    #[error(
        "the {what} listing did not end after {pages} pages ({items} items), so reading it stopped; \
         the server keeps reporting more, try a narrower search or try again later"
    )]
    ListingDidNotEnd {
        /// Which listing ("product search", "order search").
        what: &'static str,
        /// Pages read.
        pages: u32,
        /// Distinct items collected.
        items: usize,
    },
    /// A sealed order copy needs the buyer's key file to open it.
    #[error(
        "order {order_id} delivers files sealed to your key; opening them needs the key file \
         exported from NumerBay"
    )]
    KeyFileRequired {
        /// The order id.
        order_id: OrderId,
    },
    /// Sealing, opening, or a key check failed.
    #[error(transparent)]
    Crypto(#[from] artifact_crypto::Error),
    /// A data frame could not be encoded as CSV.
    #[error("cannot encode the frame as csv for upload")]
    #[cfg(feature = "frames")]
    Frame(#[source] frame_io::Error),
    /// A local file operation failed.
    #[error("cannot {op} {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        op: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Some targets of an upload failed (see the report for which).
    #[error("{failed} of {total} uploads failed")]
    UploadFailed {
        /// How many failed.
        failed: usize,
        /// How many were attempted.
        total: usize,
    },
}

impl From<marketplace_core::Error> for Error {
    fn from(e: marketplace_core::Error) -> Self {
        Self::Http(Box::new(e))
    }
}

fn near_list(near: &[String]) -> String {
    if near.is_empty() {
        "; check the name against a product search".to_owned()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, op: &'static str, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            op,
            source,
        }
    }

    /// The underlying transport error, if this is one.
    pub fn http(&self) -> Option<&marketplace_core::Error> {
        match self {
            Self::Http(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// Whether the storage host refused a signed link (expired or revoked) even after a fresh
    /// link was requested: running the command again is the remedy, not new credentials.
    pub fn is_link_refused(&self) -> bool {
        matches!(self, Self::Http(e) if e.is_link_refused())
    }

    /// Whether credentials are missing or were rejected (401, 403, failed login). A refused
    /// storage link is not a credentials problem.
    pub fn is_auth(&self) -> bool {
        match self {
            Self::Http(e) => e.is_auth(),
            Self::CredentialsRequired { .. } | Self::MissingEnv { .. } => true,
            _ => false,
        }
    }

    /// Whether something asked for does not exist (404, unknown product, order or artifact).
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::Http(e) => e.is_not_found(),
            Self::ProductNotFound { .. }
            | Self::OrderNotFound { .. }
            | Self::OrderNotActive { .. }
            | Self::NoCurrentOrder { .. }
            | Self::NoArtifact { .. }
            | Self::PastOrderNotServed { .. }
            | Self::ArtifactProductUnknown { .. } => true,
            _ => false,
        }
    }

    /// Whether trying again later may succeed ([`marketplace_core::Error::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.http().is_some_and(marketplace_core::Error::is_retryable)
    }

    /// Whether the server answered 429 (too many requests).
    pub fn is_rate_limited(&self) -> bool {
        self.http().is_some_and(marketplace_core::Error::is_rate_limited)
    }

    /// The wait the server asked for with `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.http().and_then(marketplace_core::Error::retry_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_not_found_lists_near_matches() {
        let e = Error::ProductNotFound {
            query: "numerai-predictions-alpa".into(),
            near: vec!["numerai-predictions-alpha".into()],
        };
        assert_eq!(
            e.to_string(),
            "no product \"numerai-predictions-alpa\"; did you mean numerai-predictions-alpha?"
        );
        assert!(e.is_not_found());
        assert!(!e.is_auth());
    }

    #[test]
    fn classification() {
        assert!(Error::CredentialsRequired { call: "orders" }.is_auth());
        let e = Error::NoCurrentOrder {
            product: "p".into(),
            round: 3,
            reason: NoOrderReason::NotConfirmed,
        };
        assert!(e
            .to_string()
            .contains("none of your orders for it is confirmed yet"));
        assert!(e.is_not_found());
    }

    /// The classification of the transport's errors, as both clients must give it.
    fn transport_cases() -> Vec<(marketplace_core::Error, [bool; 4], Option<std::time::Duration>)> {
        use marketplace_core::ApiError;
        let url = url::Url::parse("http://127.0.0.1/api/x?sig=1").unwrap();
        let api = |status| ApiError::new(status, "GET", &url, "msg");
        let wait = Some(std::time::Duration::from_secs(7));
        // [is_auth, is_not_found, is_retryable, is_rate_limited]
        vec![
            (api(404).into_error(), [false, true, false, false], None),
            (api(401).into_error(), [true, false, false, false], None),
            (
                api(429).with_retry_after(wait).into_error(),
                [false, false, true, true],
                wait,
            ),
            (api(503).into_error(), [false, false, true, false], None),
            (api(400).into_error(), [false, false, false, false], None),
        ]
    }

    #[test]
    fn transport_errors_classify_as_in_the_core() {
        for (core, [auth, not_found, retryable, limited], wait) in transport_cases() {
            let shown = core.to_string();
            let e = Error::from(core);
            assert_eq!(
                [
                    e.is_auth(),
                    e.is_not_found(),
                    e.is_retryable(),
                    e.is_rate_limited()
                ],
                [auth, not_found, retryable, limited],
                "{shown}"
            );
            assert_eq!(e.retry_after(), wait, "{shown}");
        }
    }
}
