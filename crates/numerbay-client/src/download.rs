//! Buyer downloads: resolve the artifact from the caller's current order, download it atomically,
//! and open sealed copies with the key file after checking the key.

mod request;

pub use request::DownloadRequest;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use artifact_crypto::KeyPair;
use marketplace_core::Progress;
use marketplace_types::numerbay::{
    ArtifactId, ArtifactState, Order, OrderArtifactId, OrderId, OrderMode, OrderRole, OrderState, Product,
    ProductArtifactId, ProductId,
};

use crate::artifacts::ArtifactFilter;
use crate::client::NumerBay;
use crate::error::{Error, Result};
use crate::link::with_fresh_link;
use crate::orders::OrderQuery;
use crate::report::DownloadOutcome;
use crate::resolve::{self, ArtifactFacts, OrderFacts};

/// Options of [`NumerBay::download`].
#[derive(Clone, Default)]
pub struct DownloadOptions {
    /// The buyer's key pair, needed for sealed order copies (checked against the order's key).
    pub key_pair: Option<KeyPair>,
    /// Destination file (`-` for standard output), or an existing directory to put the
    /// artifact's object name in. Default: the object name in the current directory. The object
    /// name is reduced to a safe file name ([`mkt_fs::SafeName`]) and does not replace an
    /// existing file unless `overwrite` is set; a path given here is replaced atomically.
    pub dest: Option<PathBuf>,
    /// Let the server-chosen name replace an existing file.
    pub overwrite: bool,
    /// Download progress.
    pub progress: Option<Arc<dyn Progress>>,
}

impl std::fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadOptions")
            .field(
                "key_pair",
                &self.key_pair.as_ref().map(|k| k.public().fingerprint()),
            )
            .field("dest", &self.dest)
            .field("overwrite", &self.overwrite)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// The artifact chosen, with what is needed to fetch and open it.
#[derive(Debug, Clone)]
struct Resolved {
    id: ArtifactId,
    product_id: Option<ProductId>,
    order_id: Option<OrderId>,
    object_name: Option<String>,
    /// The order and its buyer key when the file is sealed to it.
    sealed_to: Option<SealedTo>,
}

/// The order a sealed copy belongs to and the buyer key it is sealed to.
#[derive(Debug, Clone)]
struct SealedTo {
    order_id: OrderId,
    key: String,
}

impl NumerBay {
    /// Downloads a purchased file.
    ///
    /// Resolution uses only the caller's current orders (confirmed, covering the selling round,
    /// mode `file`), newest first by date and id: an order with a buyer key on an encrypted product
    /// takes its newest active, non-Numerai-direct order artifact (sealed: opened with the key
    /// file); otherwise the newest active product artifact (plaintext). The key file's public key
    /// is checked against the order's `buyer_public_key` before anything is downloaded. The file
    /// lands atomically; a sealed download's ciphertext stays in a temporary file beside the
    /// destination and is removed afterwards. On failure no file is left at the destination.
    /// When the storage host refuses the signed link (expired or revoked), a fresh link is
    /// requested and the download tried once more.
    ///
    /// # Errors
    /// [`Error::NoCurrentOrder`], [`Error::NoArtifact`], [`Error::KeyFileRequired`],
    /// [`Error::Crypto`] (key mismatch, authentication failure), a refused link
    /// ([`Error::is_link_refused`]) when the fresh link is refused too, API, transport and I/O
    /// errors.
    pub async fn download(
        &self,
        request: &DownloadRequest,
        options: DownloadOptions,
    ) -> Result<DownloadOutcome> {
        self.require_login("download")?;
        let resolved = self.resolve_download(request).await?;
        if let Some(sealed) = &resolved.sealed_to {
            let key_pair = options.key_pair.as_ref().ok_or(Error::KeyFileRequired {
                order_id: sealed.order_id,
            })?;
            // Spec §8.20: a rotated key cannot open the order's files; say so before downloading.
            artifact_crypto::ensure_key_matches(key_pair.public(), &sealed.key)?;
        }
        // Spec §6: links live 10 minutes; one refused on use is replaced once (see `link`).
        let (resolved, options) = (&resolved, &options);
        let (_, outcome) = with_fresh_link(
            "download",
            options.progress.as_deref(),
            move || self.download_url(resolved),
            move |url: String| async move { self.fetch_artifact(resolved, &url, options).await },
        )
        .await?;
        Ok(outcome)
    }

    /// A fresh signed download URL for the resolved artifact.
    async fn download_url(&self, resolved: &Resolved) -> Result<String> {
        match &resolved.id {
            ArtifactId::Product(aid) => {
                let pid = resolved
                    .product_id
                    .ok_or(Error::ArtifactProductUnknown { artifact_id: *aid })?;
                self.product_artifact_download_url(pid, *aid).await
            }
            ArtifactId::Order(aid) => self.order_artifact_download_url(aid).await,
        }
    }

    /// Downloads `url` to its destination, opening sealed copies with the key pair.
    async fn fetch_artifact(
        &self,
        resolved: &Resolved,
        url: &str,
        options: &DownloadOptions,
    ) -> Result<DownloadOutcome> {
        let (dest, renamed_from) = destination(
            options.dest.as_deref(),
            resolved.object_name.as_deref(),
            url,
            &resolved.id,
            options.overwrite,
        )?;
        let progress = options.progress.clone();
        let (bytes, decrypted, resumed) = match (&resolved.sealed_to, options.key_pair.clone()) {
            (Some(_), Some(key_pair)) => {
                // The ciphertext lives in a temp file beside a file destination (resumable by a
                // later run); for standard output or a device, in a private (0700) directory of
                // its own, so no other local user can plant or swap it.
                let private_dir =
                    if dest.is_atomic() {
                        None
                    } else {
                        Some(tempfile::tempdir().map_err(|e| {
                            Error::io(std::env::temp_dir(), "create a private directory in", e)
                        })?)
                    };
                let cipher_dest = match &private_dir {
                    None => dest.clone(),
                    Some(dir) => mkt_fs::Destination::chosen(dir.path().join("sealed")).resolve()?,
                };
                let (cipher, report) = self
                    .http
                    .download_uncommitted(url, &cipher_dest, progress)
                    .await?;
                let plain_dest = dest.clone();
                let bytes = tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || {
                    let sealed = cipher.path().map(Path::to_path_buf).unwrap_or_default();
                    let r = artifact_crypto::open_file_with(
                        &key_pair,
                        &sealed,
                        &plain_dest,
                        &artifact_crypto::FileOptions::default(),
                    );
                    drop(cipher);
                    drop(private_dir);
                    r
                }))
                .await
                .map_err(|e| Error::io(dest.shown(), "open sealed file into", std::io::Error::other(e)))??;
                (bytes, true, report.resumed)
            }
            _ => {
                let report = self.http.download(url, &dest, progress).await?;
                (report.bytes, false, report.resumed)
            }
        };
        Ok(DownloadOutcome {
            artifact_id: resolved.id.clone(),
            order_id: resolved.order_id,
            product_id: resolved.product_id,
            path: dest.path().unwrap_or(dest.shown()).to_path_buf(),
            bytes,
            decrypted,
            resumed,
            renamed_from,
        })
    }

    async fn resolve_download(&self, request: &DownloadRequest) -> Result<Resolved> {
        let selling_round = self.globals().await?.selling_round;
        let product = match request.product_ref() {
            Some(p) => Some(self.product(p).await?),
            None => None,
        };
        let order_id = match request {
            DownloadRequest::Artifact {
                artifact_id: ArtifactId::Order(aid),
                ..
            } => return self.resolve_order_artifact(aid).await,
            DownloadRequest::Artifact {
                artifact_id: ArtifactId::Product(aid),
                ..
            } => {
                let product_id = match &product {
                    Some(p) => p.id,
                    None => self.find_artifact_product(*aid, selling_round).await?,
                };
                let listed = self.product_artifacts(product_id).await?;
                let object_name = listed
                    .data
                    .iter()
                    .find(|a| a.id == *aid)
                    .and_then(|a| a.object_name.clone());
                return Ok(Resolved {
                    id: ArtifactId::Product(*aid),
                    product_id: Some(product_id),
                    order_id: None,
                    object_name,
                    sealed_to: None,
                });
            }
            DownloadRequest::Order { order_id, .. } => Some(*order_id),
            DownloadRequest::Product(_) => None,
        };
        let order = match (order_id, &product) {
            (Some(order_id), _) => {
                let order = self
                    .order(order_id, Some(OrderRole::Buyer))
                    .await?
                    .ok_or(Error::OrderNotFound { order_id })?;
                if let Some(p) = &product {
                    if p.id != order.product.id {
                        return Err(Error::OrderProductMismatch {
                            order_id,
                            expected: p.id,
                            actual: order.product.id,
                        });
                    }
                }
                // An explicit order may be of a past round: any confirmed file-mode
                // order is allowed, as far as the server still serves its files.
                let past = !order.rounds.as_ref().is_some_and(|r| r.contains(&selling_round));
                if !past || order.state != Some(OrderState::Confirmed) || order.mode != Some(OrderMode::File)
                {
                    check_current(std::slice::from_ref(&order), &order.product, selling_round)?;
                } else {
                    return self.resolve_past_order(&order, selling_round).await;
                }
                order
            }
            (None, Some(p)) => {
                let mine = self
                    .list_orders(&OrderQuery {
                        role: Some(OrderRole::Buyer),
                        product: Some(p.id),
                        active_in_round: None,
                    })
                    .await?;
                let id = check_current(&mine, p, selling_round)?;
                mine.into_iter()
                    .find(|o| o.id == id)
                    .ok_or(Error::OrderNotFound { order_id: id })?
            }
            // A product request always resolves its product above.
            (None, None) => {
                return Err(Error::InvalidRequest {
                    message: "nothing to download: the request names no product".to_owned(),
                })
            }
        };
        self.resolve_for_order(&order, selling_round).await
    }

    /// A confirmed order that no longer covers the selling round: its newest file the server
    /// still lists (active, or marked for pruning). The server may refuse past buyers or hide
    /// past rounds' files; that is reported as "no artifact", naming the order's rounds.
    async fn resolve_past_order(&self, order: &Order, round: u32) -> Result<Resolved> {
        let gone = || Error::PastOrderNotServed {
            order_id: order.id,
            rounds: order.rounds.clone().unwrap_or_default(),
            round,
        };
        match self.resolve_for_order_in(order, round, true).await {
            Err(e) if e.is_not_found() || e.http().and_then(|h| h.status()) == Some(403) => Err(gone()),
            other => other,
        }
    }

    async fn resolve_for_order(&self, order: &Order, round: u32) -> Result<Resolved> {
        self.resolve_for_order_in(order, round, false).await
    }

    async fn resolve_for_order_in(&self, order: &Order, round: u32, past: bool) -> Result<Resolved> {
        let served = |state: Option<&ArtifactState>| {
            state == Some(&ArtifactState::Active) || (past && state == Some(&ArtifactState::MarkedForPruning))
        };
        let encrypted = order.product.use_encryption.unwrap_or(false);
        let key = order.buyer_public_key.clone().filter(|k| !k.trim().is_empty());
        match key {
            Some(key) if encrypted => {
                let listed = self
                    .order_artifacts(
                        order.id,
                        if past {
                            ArtifactFilter::All
                        } else {
                            ArtifactFilter::Active
                        },
                    )
                    .await?;
                let facts: Vec<ArtifactFacts<OrderArtifactId>> = listed
                    .data
                    .iter()
                    .map(|a| ArtifactFacts {
                        id: a.id.clone(),
                        active: served(a.state.as_ref()),
                        numerai_direct: a.is_numerai_direct.unwrap_or(false),
                        round: a.round_tournament,
                        date: a.date,
                    })
                    .collect();
                let chosen = resolve::newest_active(&facts).ok_or_else(|| Error::NoArtifact {
                    what: format!("copy for order {}", order.id),
                    round,
                })?;
                let object_name = listed
                    .data
                    .iter()
                    .find(|a| a.id == chosen.id)
                    .and_then(|a| a.object_name.clone());
                Ok(Resolved {
                    id: ArtifactId::Order(chosen.id.clone()),
                    product_id: Some(order.product.id),
                    order_id: Some(order.id),
                    object_name,
                    sealed_to: Some(SealedTo {
                        order_id: order.id,
                        key,
                    }),
                })
            }
            _ => {
                let listed = self.product_artifacts(order.product.id).await?;
                let facts: Vec<ArtifactFacts<ProductArtifactId>> = listed
                    .data
                    .iter()
                    .map(|a| ArtifactFacts {
                        id: a.id,
                        active: served(a.state.as_ref()),
                        numerai_direct: false,
                        round: a.round_tournament,
                        date: a.date,
                    })
                    .collect();
                let chosen = resolve::newest_active(&facts).ok_or_else(|| Error::NoArtifact {
                    what: format!("artifact of product {}", order.product.sku),
                    round,
                })?;
                let object_name = listed
                    .data
                    .iter()
                    .find(|a| a.id == chosen.id)
                    .and_then(|a| a.object_name.clone());
                Ok(Resolved {
                    id: ArtifactId::Product(chosen.id),
                    product_id: Some(order.product.id),
                    order_id: Some(order.id),
                    object_name,
                    sealed_to: None,
                })
            }
        }
    }

    async fn resolve_order_artifact(&self, aid: &OrderArtifactId) -> Result<Resolved> {
        let artifact = self.order_artifact(aid).await?;
        let order = self
            .order(artifact.order_id, None)
            .await?
            .ok_or(Error::OrderNotFound {
                order_id: artifact.order_id,
            })?;
        let sealed_to = order
            .buyer_public_key
            .clone()
            .filter(|k| !k.trim().is_empty() && !artifact.is_numerai_direct.unwrap_or(false))
            .map(|key| SealedTo {
                order_id: order.id,
                key,
            });
        Ok(Resolved {
            id: ArtifactId::Order(artifact.id),
            product_id: Some(order.product.id),
            order_id: Some(order.id),
            object_name: artifact.object_name,
            sealed_to,
        })
    }

    /// Finds which product of the caller's current orders lists product artifact `aid`.
    async fn find_artifact_product(&self, aid: ProductArtifactId, round: u32) -> Result<ProductId> {
        let current = self
            .list_orders(&OrderQuery {
                role: Some(OrderRole::Buyer),
                product: None,
                active_in_round: Some(round),
            })
            .await?;
        let mut products: Vec<ProductId> = current.iter().map(|o| o.product.id).collect();
        products.sort_unstable();
        products.dedup();
        for pid in products {
            let listed = self.product_artifacts(pid).await?;
            if listed.data.iter().any(|a| a.id == aid) {
                return Ok(pid);
            }
        }
        Err(Error::ArtifactProductUnknown { artifact_id: aid })
    }
}

/// The current order among `orders` for `product`, or why there is none.
fn check_current(orders: &[Order], product: &Product, round: u32) -> Result<OrderId> {
    let facts: Vec<OrderFacts> = orders.iter().map(OrderFacts::of).collect();
    resolve::current_order(&facts, product.id, round)
        .map(|o| o.id)
        .map_err(|reason| Error::NoCurrentOrder {
            product: product.sku.clone(),
            round,
            reason,
        })
}

/// Where the file goes: `dest` (a file, or a directory to put the object name in), else the
/// object name in the current directory. Names from the server are reduced to their last path
/// component so they can never escape the directory.
/// Where a download goes: `dest` as the user gave it (a directory takes the artifact's name), or
/// the artifact's name in the current directory. The name comes from the server, so it is reduced
/// to a safe file name and never replaces an existing file unless `overwrite`. Returns the
/// server's name too when it had to be rewritten.
fn destination(
    dest: Option<&Path>,
    object_name: Option<&str>,
    url: &str,
    id: &ArtifactId,
    overwrite: bool,
) -> Result<(mkt_fs::Destination, Option<String>)> {
    let from_url = url::Url::parse(url).ok().and_then(|u| {
        u.path_segments()
            .and_then(|mut s| s.next_back().map(str::to_owned))
            .filter(|s| !s.is_empty())
    });
    let raw = object_name.map(str::to_owned).or(from_url);
    let name = raw
        .as_deref()
        .and_then(|n| mkt_fs::SafeName::new(n).ok())
        .map_or_else(|| mkt_fs::SafeName::new(&format!("artifact-{id}")), Ok)?;
    let renamed_from = raw.filter(|_| name.was_rewritten());
    let builder = match dest {
        Some(d) => mkt_fs::Destination::user(d).file_name_in_dir(name),
        None => mkt_fs::Destination::chosen(name.as_str()),
    };
    Ok((builder.force(overwrite).resolve()?, renamed_from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest_of(dest: Option<&Path>, object: Option<&str>, url: &str) -> (PathBuf, Option<String>) {
        let id = ArtifactId::Product(ProductArtifactId(3));
        let (d, renamed) = destination(dest, object, url, &id, false).expect("destination");
        (d.path().expect("a file").to_path_buf(), renamed)
    }

    #[test]
    fn destination_uses_a_safe_object_name_and_never_escapes() {
        assert_eq!(
            dest_of(None, Some("x_460_ab.csv"), "https://s/x?sig=1"),
            (PathBuf::from("x_460_ab.csv"), None)
        );
        assert_eq!(
            dest_of(None, Some("../../etc/passwd"), "https://s/x"),
            (PathBuf::from("passwd"), Some("../../etc/passwd".to_owned()))
        );
        assert_eq!(dest_of(None, Some(".env"), "https://s/x").0, PathBuf::from("env"));
        assert_eq!(
            dest_of(None, None, "https://s/bucket/obj_1.parquet?X-Goog-Signature=a").0,
            PathBuf::from("obj_1.parquet")
        );
        assert_eq!(dest_of(None, None, "not a url").0, PathBuf::from("artifact-3"));
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            dest_of(Some(dir.path()), Some("a.csv"), "").0,
            dir.path().join("a.csv")
        );
        assert_eq!(
            dest_of(Some(&dir.path().join("out.csv")), Some("a.csv"), "").0,
            dir.path().join("out.csv")
        );
    }

    #[test]
    fn a_server_name_never_replaces_an_existing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("numerbay.json"), "key").expect("write");
        let id = ArtifactId::Product(ProductArtifactId(3));
        let err = destination(Some(dir.path()), Some("numerbay.json"), "", &id, false).unwrap_err();
        assert!(matches!(err, Error::Write(mkt_fs::Error::Exists { .. })), "{err}");
        assert!(destination(Some(dir.path()), Some("numerbay.json"), "", &id, true).is_ok());
    }
}
