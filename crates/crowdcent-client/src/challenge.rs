//! `ChallengeClient`: the challenge, its training datasets and the meta-model (spec §2.1, §2.2, §2.4).

use std::future::Future;
use std::sync::Arc;

use marketplace_core::{DownloadReport, Progress};
use marketplace_types::crowdcent::{Challenge, TrainingDataset};
use serde::de::DeserializeOwned;

use crate::client::CrowdCent;
use crate::error::{Error, Result};
use crate::format::DataFormat;
use crate::params::TrainingVersion;

/// Calls scoped to one challenge; made by [`CrowdCent::challenge`]. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ChallengeClient {
    pub(crate) client: CrowdCent,
    pub(crate) slug: String,
}

impl ChallengeClient {
    pub(crate) fn new(client: CrowdCent, slug: String) -> Self {
        ChallengeClient { client, slug }
    }

    /// The challenge slug.
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// `challenges/{slug}/{rest}` (rest keeps its trailing slash).
    pub(crate) fn path(&self, rest: &str) -> String {
        format!("challenges/{}/{rest}", self.slug)
    }

    /// GET + JSON decode, with 404 described as `what`.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        rest: &str,
        what: impl FnOnce() -> String,
    ) -> Result<T> {
        self.client
            .http
            .get(&self.path(rest))
            .send_json()
            .await
            .map_err(|e| Error::from_http(e, what))
    }

    /// GET a download endpoint with redirects off and return the signed `Location`; `format`
    /// adds `?as=csv` for the server's CSV copy (spec §7.5).
    pub(crate) async fn redirect(
        &self,
        rest: &str,
        format: DataFormat,
        what: impl FnOnce() -> String,
    ) -> Result<url::Url> {
        self.client
            .http
            .get(&self.path(rest))
            .query(format.query())
            .send_redirect()
            .await
            .map_err(|e| Error::from_http(e, what))
    }

    /// Downloads the signed URL `issue` answers to `dest`: no API key goes to the storage host;
    /// atomic, resumable. When the storage host refuses the link (it expired between the redirect
    /// and its use, or was revoked), `issue` is asked for a fresh one and the download tried
    /// exactly once more; a second refusal is returned ([`Error::is_link_refused`]).
    ///
    /// `issue` is a plain closure returning a future (not an async closure), so the download's
    /// future stays `Send`.
    pub(crate) async fn fetch<F: Future<Output = Result<url::Url>>>(
        &self,
        mut issue: impl FnMut() -> F,
        dest: &mkt_fs::Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        let url = issue().await?;
        match self
            .client
            .http
            .download(url.as_str(), dest, progress.clone())
            .await
        {
            Err(e) if e.is_link_refused() => {
                tracing::warn!(slug = %self.slug, error = %e, "storage link refused; requesting a fresh one");
                if let Some(p) = &progress {
                    p.restart();
                }
                let url = issue().await?;
                Ok(self.client.http.download(url.as_str(), dest, progress).await?)
            }
            result => Ok(result?),
        }
    }

    /// `GET /challenges/{slug}/`.
    ///
    /// # Errors
    /// [`Error::ChallengeNotFound`] for an unknown slug, [`Error::Auth`], [`Error::Http`].
    pub async fn get(&self) -> Result<Challenge> {
        self.client
            .http
            .get(&self.path(""))
            .send_json()
            .await
            .map_err(|e| self.not_found_is_unknown_challenge(e))
    }

    /// Maps a 404 to [`Error::ChallengeNotFound`].
    pub(crate) fn not_found_is_unknown_challenge(&self, e: marketplace_core::Error) -> Error {
        if e.is_not_found() {
            Error::ChallengeNotFound {
                slug: self.slug.clone(),
                source: Box::new(e),
            }
        } else {
            e.into()
        }
    }

    /// `GET …/training_data/`: every training dataset version.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown challenge, [`Error::Auth`], [`Error::Http`].
    pub async fn list_training_datasets(&self) -> Result<Vec<TrainingDataset>> {
        self.get_json("training_data/", || self.what("training datasets"))
            .await
    }

    /// `GET …/training_data/latest/` or `…/training_data/{version}/`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown version or challenge, [`Error::Auth`], [`Error::Http`].
    pub async fn training_dataset(&self, version: &TrainingVersion) -> Result<TrainingDataset> {
        self.get_json(&format!("training_data/{version}/"), || {
            self.what(&format!("training dataset version {version}"))
        })
        .await
    }

    /// The signed storage URL of a training dataset in `format` (`latest` is resolved to its
    /// version first, like the reference client, since `…/latest/download/` was unreliable).
    ///
    /// # Errors
    /// As [`training_dataset`](Self::training_dataset); [`Error::Http`] when the server does not
    /// answer with a redirect.
    pub async fn training_dataset_url(
        &self,
        version: &TrainingVersion,
        format: DataFormat,
    ) -> Result<url::Url> {
        let version = self.resolve_training_version(version).await?;
        self.redirect(&format!("training_data/{version}/download/"), format, || {
            self.what(&format!("training dataset version {version}"))
        })
        .await
    }

    /// Downloads a training dataset in `format` to `dest` (atomically; see the crate docs).
    ///
    /// # Errors
    /// As [`training_dataset_url`](Self::training_dataset_url), plus download failures
    /// ([`Error::Http`] wrapping `Incomplete`, `SizeMismatch`, `Io`, or `LinkRefused` when a
    /// fresh link is refused too).
    pub async fn download_training_dataset(
        &self,
        version: &TrainingVersion,
        format: DataFormat,
        dest: &mkt_fs::Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        // Resolved once, so a fresh link is for the same version.
        let version = &TrainingVersion::Version(self.resolve_training_version(version).await?);
        self.fetch(|| self.training_dataset_url(version, format), dest, progress)
            .await
    }

    /// The version string `latest` currently stands for (one request), or `version` itself.
    ///
    /// # Errors
    /// As [`training_dataset`](Self::training_dataset).
    pub async fn resolve_training_version(&self, version: &TrainingVersion) -> Result<String> {
        match version {
            TrainingVersion::Version(v) => Ok(v.clone()),
            TrainingVersion::Latest => {
                let ds = self.training_dataset(&TrainingVersion::Latest).await?;
                // The server's answer goes into a path: check it like user input.
                crate::params::check_segment("version", &ds.version)?;
                Ok(ds.version)
            }
        }
    }

    /// The signed storage URL of the consolidated meta-model file in `format`.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Auth`], [`Error::Http`] (e.g. a 403 for a tier without access).
    pub async fn meta_model_url(&self, format: DataFormat) -> Result<url::Url> {
        self.redirect("meta_model/download/", format, || self.what("meta-model"))
            .await
    }

    /// Downloads the consolidated meta-model file in `format` to `dest`.
    ///
    /// # Errors
    /// As [`meta_model_url`](Self::meta_model_url), plus download failures.
    pub async fn download_meta_model(
        &self,
        format: DataFormat,
        dest: &mkt_fs::Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        self.fetch(|| self.meta_model_url(format), dest, progress).await
    }

    /// "`thing` of challenge `slug`" for 404 messages.
    pub(crate) fn what(&self, thing: &str) -> String {
        format!("{thing} of challenge {:?} (or the challenge itself)", self.slug)
    }
}
