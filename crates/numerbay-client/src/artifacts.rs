//! Artifact endpoints: listing, detail, deletion, upload URLs, validation and download URLs.

use marketplace_types::numerbay::{
    Artifact, ArtifactRow, OrderArtifact, OrderArtifactId, OrderArtifactRow, OrderId, OrderUploadUrl,
    OrderUploadUrlForm, Page, ProductArtifactId, ProductId, UploadUrl, UploadUrlForm,
};

use crate::client::NumerBay;
use crate::error::Result;

/// Which of an order's artifacts [`NumerBay::order_artifacts`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArtifactFilter {
    /// Every artifact the server still lists (also pending, failed or marked for pruning).
    #[default]
    All,
    /// Only active artifacts (`active_only=true`).
    Active,
}

impl NumerBay {
    /// A product's artifacts (`GET products/{id}/artifacts`): every state, selling round only for
    /// per-round categories, in no particular order.
    ///
    /// # Errors
    /// 404 `Product not found`, 403 `Not enough permissions` (neither owner nor current buyer),
    /// auth and transport errors.
    pub async fn product_artifacts(&self, product: ProductId) -> Result<Page<Artifact>> {
        self.require_login("artifacts")?;
        Ok(self
            .http
            .get(&format!("products/{product}/artifacts"))
            .send_json()
            .await?)
    }

    /// An order's artifacts (`GET artifacts/?order_id=&active_only=`).
    ///
    /// # Errors
    /// 404 `Order not found`, 403 `Not enough permissions`, auth and transport errors.
    pub async fn order_artifacts(
        &self,
        order: OrderId,
        filter: ArtifactFilter,
    ) -> Result<Page<OrderArtifact>> {
        self.require_login("order artifacts")?;
        Ok(self
            .http
            .get("artifacts/")
            .query(&[
                ("order_id", order.get().to_string()),
                ("active_only", (filter == ArtifactFilter::Active).to_string()),
            ])
            .send_json()
            .await?)
    }

    /// One order artifact (`GET artifacts/{id}`).
    ///
    /// # Errors
    /// 404 `Artifact not found`, 400 `Artifact not an upload`, 403 `Not enough permissions`.
    pub async fn order_artifact(&self, id: &OrderArtifactId) -> Result<OrderArtifact> {
        self.require_login("order artifact")?;
        Ok(self.http.get(&format!("artifacts/{id}")).send_json().await?)
    }

    /// Deletes a product artifact and its file (`DELETE products/{pid}/artifacts/{aid}`, owner).
    ///
    /// # Errors
    /// 404/403/400 (`Artifact expired`) API errors, auth and transport errors.
    pub async fn delete_product_artifact(
        &self,
        product: ProductId,
        artifact: ProductArtifactId,
    ) -> Result<Artifact> {
        self.require_login("delete artifact")?;
        Ok(self
            .http
            .delete(&format!("products/{product}/artifacts/{artifact}"))
            .send_json()
            .await?)
    }

    /// Deletes an order artifact and its file (`DELETE artifacts/{id}`, seller).
    ///
    /// # Errors
    /// 400 `Direct Numerai submission cannot be deleted`, 404/403 API errors, auth and transport.
    pub async fn delete_order_artifact(&self, id: &OrderArtifactId) -> Result<OrderArtifact> {
        self.require_login("delete artifact")?;
        Ok(self.http.delete(&format!("artifacts/{id}")).send_json().await?)
    }

    /// Issues a signed upload URL for a new product artifact (form-encoded, never retried: a
    /// retry would leave an orphan `pending` artifact).
    ///
    /// # Errors
    /// 404 `Product not found`, 403 `Not enough permissions`, 400 `Tournament round is not open`
    /// and the other §2.5 messages; auth and transport errors.
    pub async fn product_upload_url(&self, product: ProductId, form: &UploadUrlForm) -> Result<UploadUrl> {
        self.require_login("upload")?;
        Ok(self
            .http
            .post(&format!("products/{product}/artifacts/generate-upload-url"))
            .form(form)
            .no_retry()
            .send_json()
            .await?)
    }

    /// Activates an uploaded product artifact (`POST .../validate-upload`). The response is an
    /// unvalidated row dump; any 2xx counts as success.
    ///
    /// # Errors
    /// 404 `Artifact file not uploaded`, 400 `Artifact expired` and the other §2.6 messages.
    pub async fn validate_product_upload(
        &self,
        product: ProductId,
        artifact: ProductArtifactId,
    ) -> Result<ArtifactRow> {
        self.require_login("upload")?;
        let resp = self
            .http
            .post(&format!(
                "products/{product}/artifacts/{artifact}/validate-upload"
            ))
            .send()
            .await?;
        Ok(lenient_row(&self.http, resp).await)
    }

    /// Issues a signed upload URL for an order's copy (form-encoded, never retried). The answer
    /// carries the order's current `buyer_public_key`.
    ///
    /// # Errors
    /// 404 `Order not found`, 403 `Not enough permissions`, 400 `The order did not designate a
    /// Numerai submission slot`, 400 `Uploading for buyer is not allowed for stake mode order`, ...
    pub async fn order_upload_url(&self, form: &OrderUploadUrlForm) -> Result<OrderUploadUrl> {
        self.require_login("upload")?;
        Ok(self
            .http
            .post("artifacts/generate-upload-url")
            .form(form)
            .no_retry()
            .send_json()
            .await?)
    }

    /// Activates an uploaded order copy (`POST artifacts/{id}/validate-upload`); for
    /// Numerai-direct copies this submits to Numerai. The body may be `{}`; any 2xx is success.
    ///
    /// # Errors
    /// 404 `Artifact file not uploaded`, 404 `Submission failed`, 400 `Order artifact expired`.
    pub async fn validate_order_upload(&self, id: &OrderArtifactId) -> Result<OrderArtifactRow> {
        self.require_login("upload")?;
        let resp = self
            .http
            .post(&format!("artifacts/{id}/validate-upload"))
            .send()
            .await?;
        Ok(lenient_row(&self.http, resp).await)
    }

    /// A signed download URL for a product artifact (owner or current buyer in `file` mode).
    ///
    /// # Errors
    /// 403 `Download not allowed for this artifact`, 404 `Artifact not found`, ...
    pub async fn product_artifact_download_url(
        &self,
        product: ProductId,
        artifact: ProductArtifactId,
    ) -> Result<String> {
        self.require_login("download")?;
        Ok(self
            .http
            .get(&format!(
                "products/{product}/artifacts/{artifact}/generate-download-url"
            ))
            .send_json()
            .await?)
    }

    /// A signed download URL for an order artifact.
    ///
    /// # Errors
    /// 400 `Direct Numerai submission cannot be downloaded`, 403 `Not enough permissions`, ...
    pub async fn order_artifact_download_url(&self, id: &OrderArtifactId) -> Result<String> {
        self.require_login("download")?;
        Ok(self
            .http
            .get(&format!("artifacts/{id}/generate-download-url"))
            .send_json()
            .await?)
    }
}

/// Spec §2.6/§2.10: validate-upload answers an unvalidated row dump, literally `{}` at times; a
/// 2xx is success whatever the body, so a body that does not parse yields an empty row.
/// The body is read up to `ClientConfig::max_body_bytes`; a bigger one counts as unparsable.
async fn lenient_row<T: serde::de::DeserializeOwned + Default>(
    http: &marketplace_core::HttpClient,
    resp: marketplace_core::reqwest::Response,
) -> T {
    match http
        .read_body(&marketplace_core::reqwest::Method::POST, resp)
        .await
    {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::debug!(error = %e, "validate-upload body did not parse; treating as success");
            T::default()
        }),
        Err(e) => {
            tracing::debug!(error = %e, "validate-upload body could not be read; treating as success");
            T::default()
        }
    }
}
