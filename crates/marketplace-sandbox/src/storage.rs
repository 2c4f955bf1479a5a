//! Signed-URL object storage (a small GCS look-alike): objects are files under `<data_dir>/objects`.
//!
//! URLs look like `<base>/storage/<key>?method=PUT&expires=<unix>&gen=<n>&sig=<hex>` where `sig` is
//! HMAC-SHA256 over the method, key, expiry and URL generation. Bodies are streamed to and from
//! disk, so objects of any size work in constant memory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

mod serve;

pub use serve::router;

/// Which HTTP method a signed URL authorizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedMethod {
    /// Download the object.
    Get,
    /// Upload (create or replace) the object.
    Put,
}

impl SignedMethod {
    /// The HTTP method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
        }
    }
}

/// The object store: files on disk plus the secret that signs URLs to them.
pub struct Storage {
    root: PathBuf,
    public_base: url::Url,
    secret: [u8; 32],
    generation: AtomicU64,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("root", &self.root)
            .field("public_base", &self.public_base.as_str())
            .field("secret", &"******")
            .finish()
    }
}

impl Storage {
    /// A store keeping objects under `root` (created lazily) and signing URLs that start with
    /// `public_base` (e.g. `http://127.0.0.1:PORT`).
    pub fn new(root: PathBuf, public_base: url::Url, secret: [u8; 32]) -> Self {
        Self {
            root,
            public_base,
            secret,
            generation: AtomicU64::new(0),
        }
    }

    /// Where the object `key` lives on disk (the key is not checked here; routes check it).
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Whether the object `key` exists.
    pub fn exists(&self, key: &str) -> bool {
        valid_key(key) && self.object_path(key).is_file()
    }

    /// Writes a whole object from memory (seed data).
    ///
    /// # Errors
    /// An invalid key (`InvalidInput`) or any file-system error.
    pub async fn write_bytes(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let (tmp, dest) = self.prepare_write(key).await?;
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &dest).await
    }

    /// Deletes the object `key` if it exists.
    ///
    /// # Errors
    /// File-system errors other than "not found".
    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        if !valid_key(key) {
            return Ok(());
        }
        match tokio::fs::remove_file(self.object_path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// A URL authorizing `method` on `key` until `now + ttl`.
    pub fn signed_url(
        &self,
        key: &str,
        method: SignedMethod,
        ttl: std::time::Duration,
        now: DateTime<Utc>,
    ) -> String {
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let expires = now.timestamp().saturating_add(ttl);
        let generation = self.generation.load(Ordering::SeqCst);
        let sig = self.sign(method.as_str(), key, expires, generation);
        let mut url = self.public_base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("storage").extend(key.split('/'));
        }
        url.query_pairs_mut()
            .append_pair("method", method.as_str())
            .append_pair("expires", &expires.to_string())
            .append_pair("gen", &generation.to_string())
            .append_pair("sig", &sig);
        url.to_string()
    }

    /// Invalidates every URL issued so far (the "expire URLs" fault).
    pub fn expire_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn sign(&self, method: &str, key: &str, expires: i64, generation: u64) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("hmac takes any key length"));
        mac.update(format!("{method}\n{key}\n{expires}\n{generation}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn verify(
        &self,
        key: &str,
        method: SignedMethod,
        q: &SignedQuery,
        now: DateTime<Utc>,
    ) -> Result<(), Denied> {
        let (Some(m), Some(expires), Some(generation), Some(sig)) = (&q.method, q.expires, q.gen, &q.sig)
        else {
            return Err(Denied::MissingSignature);
        };
        if !m.eq_ignore_ascii_case(method.as_str()) {
            return Err(Denied::BadSignature);
        }
        let expected = self.sign(method.as_str(), key, expires, generation);
        let Ok(given) = hex::decode(sig) else {
            return Err(Denied::BadSignature);
        };
        let Ok(expected) = hex::decode(expected) else {
            return Err(Denied::BadSignature);
        };
        if !constant_time_eq(&given, &expected) {
            return Err(Denied::BadSignature);
        }
        if generation != self.generation.load(Ordering::SeqCst) || now.timestamp() > expires {
            return Err(Denied::Expired);
        }
        Ok(())
    }

    async fn prepare_write(&self, key: &str) -> std::io::Result<(PathBuf, PathBuf)> {
        if !valid_key(key) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "invalid object key",
            ));
        }
        let dest = self.object_path(key);
        if let Some(parent) = dest.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let tmp_dir = self.root.join(".tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp = tmp_dir.join(hex::encode(rand::random::<[u8; 16]>()));
        Ok((tmp, dest))
    }
}

/// Whether `key` is a safe relative object name.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(".tmp")
        && key
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains(['\\', '\0']))
}

#[derive(Debug, Deserialize)]
struct SignedQuery {
    method: Option<String>,
    expires: Option<i64>,
    gen: Option<u64>,
    sig: Option<String>,
}

#[derive(Debug)]
enum Denied {
    MissingSignature,
    BadSignature,
    Expired,
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(valid_key("a/b_500_ff.csv"));
        assert!(!valid_key("../etc/passwd"));
        assert!(!valid_key("a//b"));
        assert!(!valid_key(""));
        assert!(!valid_key(".tmp/x"));
    }

    #[test]
    fn signed_urls_verify_and_expire() {
        let base = url::Url::parse("http://127.0.0.1:1").expect("url");
        let s = Storage::new(PathBuf::from("/nonexistent"), base, [7; 32]);
        let now = Utc::now();
        let url = url::Url::parse(&s.signed_url(
            "x/y.csv",
            SignedMethod::Get,
            std::time::Duration::from_secs(600),
            now,
        ))
        .expect("signed url parses");
        assert_eq!(url.path(), "/storage/x/y.csv");
        let q: SignedQuery = serde_json::from_value(serde_json::Value::Object(
            url.query_pairs()
                .map(|(k, v)| {
                    let v = match (k.as_ref(), v.parse::<i64>()) {
                        ("expires" | "gen", Ok(n)) => serde_json::Value::from(n),
                        _ => serde_json::Value::from(v.to_string()),
                    };
                    (k.to_string(), v)
                })
                .collect(),
        ))
        .expect("query");
        assert!(s.verify("x/y.csv", SignedMethod::Get, &q, now).is_ok());
        assert!(matches!(
            s.verify("x/z.csv", SignedMethod::Get, &q, now),
            Err(Denied::BadSignature)
        ));
        assert!(matches!(
            s.verify("x/y.csv", SignedMethod::Put, &q, now),
            Err(Denied::BadSignature)
        ));
        assert!(matches!(
            s.verify(
                "x/y.csv",
                SignedMethod::Get,
                &q,
                now + chrono::Duration::seconds(601)
            ),
            Err(Denied::Expired)
        ));
        s.expire_all();
        assert!(matches!(
            s.verify("x/y.csv", SignedMethod::Get, &q, now),
            Err(Denied::Expired)
        ));
    }
}
