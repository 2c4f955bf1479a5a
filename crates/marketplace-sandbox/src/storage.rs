//! Signed-URL object storage (a small GCS look-alike): objects are files under `<data_dir>/objects`.
//!
//! URLs look like `<base>/storage/<key>?method=PUT&expires=<unix>&gen=<n>&sig=<hex>` where `sig` is
//! HMAC-SHA256 over the method, key, expiry and URL generation. Bodies are streamed to and from
//! disk, so objects of any size work in constant memory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{Path as AxPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::AppState;

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

    /// Size in bytes of the object `key`, if it exists.
    pub fn size(&self, key: &str) -> Option<u64> {
        if !valid_key(key) {
            return None;
        }
        std::fs::metadata(self.object_path(key))
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
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

/// The storage routes: `GET`/`HEAD`/`PUT /storage/{*key}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/storage/{*key}", get(get_object).put(put_object))
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

fn xml_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "application/xml; charset=UTF-8")],
        body,
    )
        .into_response()
}

fn denied(d: Denied) -> Response {
    match d {
        Denied::MissingSignature => xml_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Anonymous caller does not have storage.objects access; the URL carries no signature.",
        ),
        Denied::BadSignature => xml_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        ),
        Denied::Expired => xml_error(
            StatusCode::FORBIDDEN,
            "ExpiredToken",
            "Invalid argument: the signed URL has expired.",
        ),
    }
}

fn io_error(err: &std::io::Error) -> Response {
    tracing::warn!(error = %err, "storage i/o failure");
    xml_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalError",
        "We encountered an internal error. Please try again.",
    )
}

fn etag_for(meta: &std::fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let digest = Sha256::digest(format!("{}:{mtime}", meta.len()).as_bytes());
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Parses a single `bytes=` range against an object of `len` bytes: `Ok(None)` = whole object,
/// `Err(())` = unsatisfiable.
fn parse_range(value: &str, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None); // multi-range: serve the whole object, as many servers do
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let (start, end) = if a.is_empty() {
        let n: u64 = b.parse().map_err(|_| ())?;
        if n == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len.saturating_sub(1))
    } else {
        let start: u64 = a.parse().map_err(|_| ())?;
        let end = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1))
        };
        (start, end)
    };
    if len == 0 || start >= len || end < start {
        return Err(());
    }
    Ok(Some((start, end)))
}

async fn get_object(
    State(state): State<AppState>,
    AxPath(key): AxPath<String>,
    Query(q): Query<SignedQuery>,
    headers: HeaderMap,
) -> Response {
    let storage = &state.storage;
    if let Err(d) = storage.verify(&key, SignedMethod::Get, &q, state.clock.now()) {
        return denied(d);
    }
    if !valid_key(&key) {
        return xml_error(StatusCode::BAD_REQUEST, "InvalidArgument", "Invalid object name.");
    }
    let path = storage.object_path(&key);
    let mut file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return xml_error(
                StatusCode::NOT_FOUND,
                "NoSuchKey",
                "The specified key does not exist.",
            )
        }
        Err(e) => return io_error(&e),
    };
    let meta = match file.metadata().await {
        Ok(m) if m.is_file() => m,
        Ok(_) => {
            return xml_error(
                StatusCode::NOT_FOUND,
                "NoSuchKey",
                "The specified key does not exist.",
            )
        }
        Err(e) => return io_error(&e),
    };
    let len = meta.len();
    let etag = etag_for(&meta);
    // If-Range with a different validator means "send the whole (new) object".
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(r) if if_range_ok => match parse_range(r, len) {
            Ok(r) => r,
            Err(()) => {
                return (
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    [(header::CONTENT_RANGE, format!("bytes */{len}"))],
                )
                    .into_response()
            }
        },
        _ => None,
    };
    let (status, start, count) = match range {
        Some((s, e)) => (StatusCode::PARTIAL_CONTENT, s, e - s + 1),
        None => (StatusCode::OK, 0, len),
    };
    if start > 0 {
        if let Err(e) = file.seek(std::io::SeekFrom::Start(start)).await {
            return io_error(&e);
        }
    }
    let stream = tokio_util::io::ReaderStream::with_capacity(file.take(count), 64 * 1024);
    let mut resp = Response::new(Body::from_stream(stream));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", start + count - 1)) {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    resp
}

async fn put_object(
    State(state): State<AppState>,
    AxPath(key): AxPath<String>,
    Query(q): Query<SignedQuery>,
    req: Request,
) -> Response {
    let storage = &state.storage;
    if let Err(d) = storage.verify(&key, SignedMethod::Put, &q, state.clock.now()) {
        return denied(d);
    }
    // Spec §6: the content type is a signed header of the upload URL; anything else breaks the signature.
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type != Some("application/octet-stream") {
        return xml_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Signed headers require Content-Type: application/octet-stream.",
        );
    }
    let (tmp, dest) = match storage.prepare_write(&key).await {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            return xml_error(StatusCode::BAD_REQUEST, "InvalidArgument", "Invalid object name.")
        }
        Err(e) => return io_error(&e),
    };
    match stream_to_file(req.into_body(), &tmp).await {
        Ok(()) => {}
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            // A client that hung up mid-body gets nothing back anyway; report it as a bad request.
            tracing::debug!(error = %e, "upload body failed");
            return xml_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "The request body terminated unexpectedly.",
            );
        }
    }
    if let Err(e) = tokio::fs::rename(&tmp, &dest).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return io_error(&e);
    }
    let mut resp = StatusCode::OK.into_response();
    if let Ok(meta) = tokio::fs::metadata(&dest).await {
        if let Ok(v) = HeaderValue::from_str(&etag_for(&meta)) {
            resp.headers_mut().insert(header::ETAG, v);
        }
    }
    resp
}

async fn stream_to_file(body: Body, path: &Path) -> std::io::Result<()> {
    let mut file = tokio::fs::File::create(path).await?;
    let mut stream = body.into_data_stream().map_err(std::io::Error::other);
    while let Some(chunk) = stream.try_next().await? {
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    file.sync_all().await?;
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(parse_range("bytes=0-", 10), Ok(Some((0, 9))));
        assert_eq!(parse_range("bytes=3-5", 10), Ok(Some((3, 5))));
        assert_eq!(parse_range("bytes=-4", 10), Ok(Some((6, 9))));
        assert_eq!(parse_range("bytes=8-100", 10), Ok(Some((8, 9))));
        assert_eq!(parse_range("bytes=10-", 10), Err(()));
        assert_eq!(parse_range("items=1-2", 10), Ok(None));
    }

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
