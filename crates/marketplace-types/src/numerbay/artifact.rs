//! NumerBay product artifacts, order artifacts, upload-URL exchanges and raw validate-upload rows (spec §2.5–§2.11, §3.7, §3.8).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::ids::{OrderArtifactId, OrderId, ProductArtifactId, ProductId};

string_enum! {
    /// Lifecycle state of a product or order artifact.
    pub enum ArtifactState {
        /// Upload URL issued, not validated yet.
        Pending => "pending",
        /// Validated and downloadable.
        Active => "active",
        /// Validation found no object (or the Numerai submission failed).
        Failed => "failed",
        /// Expired (set by an admin migration only).
        Expired => "expired",
        /// Order artifact of a past round, about to be deleted.
        MarkedForPruning => "marked_for_pruning",
        /// Storage deleted.
        Pruned => "pruned",
    }
}

/// A product artifact (`GET /products/{id}/artifacts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// When the upload URL was issued.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub date: Option<NaiveDateTime>,
    /// Round the artifact belongs to.
    pub round_tournament: Option<u32>,
    /// Storage object name (the suggested local file name).
    pub object_name: Option<String>,
    /// Size declared at upload (informational).
    pub object_size: Option<u64>,
    /// Lifecycle state.
    pub state: Option<ArtifactState>,
    /// Product-artifact id (an integer).
    pub id: ProductArtifactId,
    /// Owning product.
    pub product_id: ProductId,
}

/// A per-order artifact (`GET /artifacts/{id}`, `GET /artifacts/`, inside [`super::Order::artifacts`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderArtifact {
    /// When the upload URL was issued.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub date: Option<NaiveDateTime>,
    /// Round the artifact belongs to.
    pub round_tournament: Option<u32>,
    /// Storage object name (or Numerai's file name for direct uploads).
    pub object_name: Option<String>,
    /// Size declared at upload (informational).
    pub object_size: Option<u64>,
    /// Lifecycle state.
    pub state: Option<ArtifactState>,
    /// Uploaded straight to Numerai (plaintext), not downloadable.
    pub is_numerai_direct: Option<bool>,
    /// Order-artifact id (32 hex).
    pub id: OrderArtifactId,
    /// Owning order.
    pub order_id: OrderId,
}

/// Form body of `POST /products/{pid}/artifacts/generate-upload-url`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadUrlForm {
    /// File name (basename); its last suffix becomes the object's extension.
    pub filename: String,
    /// Declared size, stored as `object_size` (not enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filesize: Option<u64>,
    /// `PUT` (default) or `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Suffix appended to the object name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename_suffix: Option<String>,
}

/// Form body of `POST /artifacts/generate-upload-url` (per-order upload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderUploadUrlForm {
    /// The order to deliver to.
    pub order_id: OrderId,
    /// File name (basename).
    pub filename: String,
    /// Upload straight to Numerai; the server treats only `"true"`/`"True"` as true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_numerai_direct: Option<String>,
    /// Declared size (not enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filesize: Option<u64>,
    /// `PUT` (default) or `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Suffix appended to the object name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename_suffix: Option<String>,
}

/// Response of `POST /products/{pid}/artifacts/generate-upload-url`: `{id, url}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadUrl {
    /// The new (pending) product artifact.
    pub id: ProductArtifactId,
    /// Signed PUT URL (10 minutes; send `Content-Type: application/octet-stream`).
    pub url: String,
}

/// Response of `POST /artifacts/generate-upload-url`: `{id, url, buyer_public_key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderUploadUrl {
    /// The new (pending) order artifact.
    pub id: OrderArtifactId,
    /// Signed PUT URL (GCS) or Numerai's presigned URL for direct uploads.
    pub url: String,
    /// The order's current key (the freshest value to seal to).
    #[serde(default)]
    pub buyer_public_key: Option<String>,
}

/// Raw row returned by product-artifact `validate-upload` (not schema-validated; every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRow {
    /// Artifact id.
    pub id: Option<ProductArtifactId>,
    /// Owning product.
    pub product_id: Option<ProductId>,
    /// When the upload URL was issued.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub date: Option<NaiveDateTime>,
    /// Round.
    pub round_tournament: Option<u32>,
    /// Storage object name.
    pub object_name: Option<String>,
    /// Declared size.
    pub object_size: Option<u64>,
    /// State (expected `active`).
    pub state: Option<ArtifactState>,
}

/// Raw row returned by order-artifact `validate-upload`: possibly `{}` (spec §2.10), so every field is optional.
///
/// A 200 means success regardless of the body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderArtifactRow {
    /// Artifact id.
    pub id: Option<OrderArtifactId>,
    /// Owning order.
    pub order_id: Option<OrderId>,
    /// When the upload URL was issued.
    #[serde(default, with = "crate::datetime::naive::option")]
    pub date: Option<NaiveDateTime>,
    /// Round.
    pub round_tournament: Option<u32>,
    /// Storage object name.
    pub object_name: Option<String>,
    /// Declared size.
    pub object_size: Option<u64>,
    /// State (expected `active`).
    pub state: Option<ArtifactState>,
    /// Direct Numerai upload.
    pub is_numerai_direct: Option<bool>,
    /// Nested raw order (with nested raw product), when loaded.
    pub order: Option<serde_json::Value>,
}
