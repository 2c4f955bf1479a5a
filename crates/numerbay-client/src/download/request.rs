//! [`DownloadRequest`]: the valid ways to name the file a buyer downloads.

use marketplace_types::numerbay::{ArtifactId, OrderId};

use crate::products::ProductRef;

/// What to download: the valid ways to name a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadRequest {
    /// The caller's current order of this product decides which artifact.
    Product(ProductRef),
    /// The file of one order (also of a past round, as far as the server still serves it).
    Order {
        /// The order.
        order_id: OrderId,
        /// When given, the order must be of this product.
        product: Option<ProductRef>,
    },
    /// An exact artifact (integer → product artifact, 32 hex → order artifact).
    Artifact {
        /// The artifact.
        artifact_id: ArtifactId,
        /// The product of a product artifact; looked up among the caller's current orders when
        /// not given. Unused for order artifacts.
        product: Option<ProductRef>,
    },
}

impl DownloadRequest {
    /// The current file of `product`.
    pub fn product(product: ProductRef) -> Self {
        Self::Product(product)
    }

    /// The file of order `order_id`.
    pub fn order(order_id: OrderId) -> Self {
        Self::Order {
            order_id,
            product: None,
        }
    }

    /// The artifact `artifact_id`.
    pub fn artifact(artifact_id: ArtifactId) -> Self {
        Self::Artifact {
            artifact_id,
            product: None,
        }
    }

    /// Narrows an order or artifact request to `product` (replaces a product request's product).
    #[must_use]
    pub fn with_product(self, product: ProductRef) -> Self {
        match self {
            Self::Product(_) => Self::Product(product),
            Self::Order { order_id, .. } => Self::Order {
                order_id,
                product: Some(product),
            },
            Self::Artifact { artifact_id, .. } => Self::Artifact {
                artifact_id,
                product: Some(product),
            },
        }
    }

    pub(super) fn product_ref(&self) -> Option<&ProductRef> {
        match self {
            Self::Product(p) => Some(p),
            Self::Order { product, .. } | Self::Artifact { product, .. } => product.as_ref(),
        }
    }
}
