//! The storage HTTP routes: signed `GET` (with `Range`/206, `ETag`, `If-Range`) and `PUT`.

use std::path::Path;

use axum::body::Body;
use axum::extract::{Path as AxPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{valid_key, Denied, SignedMethod, SignedQuery};
use crate::AppState;

/// The storage routes: `GET`/`HEAD`/`PUT /storage/{*key}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/storage/{*key}", get(get_object).put(put_object))
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
}
