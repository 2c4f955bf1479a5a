//! Atomic, resumable downloads: temp file beside the destination, Range + If-Range, fsync, rename.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::{CONTENT_RANGE, ETAG, IF_RANGE, RANGE, RETRY_AFTER};
use reqwest::StatusCode;
use tempfile::NamedTempFile;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use crate::client::HttpClient;
use crate::error::{is_retryable_status, strip_query, ApiError, Error, Result};
use crate::retry::{parse_retry_after, RetryState};
use crate::send::{read_error_body, transport_error};
use crate::transfer::upload::parse_absolute;
use crate::transfer::{DownloadReport, Progress};

impl HttpClient {
    /// GETs an absolute URL (no auth header) into `dest` atomically.
    ///
    /// The body goes to a temporary file in `dest`'s directory. A body that breaks off is resumed
    /// with `Range` + `If-Range` (when the server sent a strong ETag and answers 206) or restarted
    /// from zero, within the retry policy. The size is checked against `Content-Length` (or the
    /// `Content-Range` total), the file is fsynced and renamed onto `dest`. On any failure the
    /// temporary file is removed and `dest` is left untouched.
    ///
    /// # Errors
    /// [`Error::Incomplete`] when retries run out mid-body, [`Error::SizeMismatch`] when the server
    /// sends more than it announced or changes the total, [`Error::Io`] for local file problems,
    /// and API/transport errors as for [`RequestBuilder::send`](crate::RequestBuilder::send).
    pub async fn download(
        &self,
        url: &str,
        dest: &Path,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        let dir = parent_dir(dest);
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "download".to_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        // Files that land at a user-chosen path get what `File::create` gives (0666 minus the umask),
        // not the owner-only mode tempfile uses for scratch files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
        let (bytes, resumed, restarted) = self.fetch_into(url, &tmp, progress).await?;
        let dest_owned = dest.to_path_buf();
        tokio::task::spawn_blocking(move || finish(tmp, &dest_owned, &dir))
            .await
            .map_err(|e| Error::io(dest, "rename into", std::io::Error::other(e)))??;
        Ok(DownloadReport {
            path: dest.to_path_buf(),
            bytes,
            resumed,
            restarted,
        })
    }

    /// Like [`download`](Self::download) but leaves the complete, fsynced file as a temporary file
    /// in `dir` (deleted when dropped), for callers that transform it (e.g. decrypt) before placing
    /// the result. The report's `path` is the temporary file's path.
    ///
    /// # Errors
    /// As [`download`](Self::download).
    pub async fn download_to_temp(
        &self,
        url: &str,
        dir: &Path,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<(NamedTempFile, DownloadReport)> {
        let tmp = tempfile::Builder::new()
            .prefix(".mkt-download.")
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, "create a temporary file in", e))?;
        let (bytes, resumed, restarted) = self.fetch_into(url, &tmp, progress).await?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(tmp.path(), "sync", e))?;
        let report = DownloadReport {
            path: tmp.path().to_path_buf(),
            bytes,
            resumed,
            restarted,
        };
        Ok((tmp, report))
    }

    /// Streams `url` into `tmp`; returns `(bytes, resumed, restarted)`.
    async fn fetch_into(
        &self,
        url: &str,
        tmp: &NamedTempFile,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<(u64, u32, u32)> {
        let url = parse_absolute(url)?;
        let path = tmp.path().to_path_buf();
        let std_file = tmp
            .as_file()
            .try_clone()
            .map_err(|e| Error::io(&path, "open", e))?;
        let mut sink = Sink {
            file: tokio::fs::File::from_std(std_file),
            path,
            written: 0,
            progress,
        };
        let mut state = RetryState::new(&self.inner.config.retry, true);
        let shown = strip_query(&url);
        let mut expected: Option<u64> = None;
        let mut etag: Option<String> = None;
        let (mut resumed, mut restarted) = (0u32, 0u32);
        loop {
            let resume_tag = if sink.written > 0 { etag.clone() } else { None };
            if sink.written > 0 && resume_tag.is_none() {
                sink.restart().await?;
                restarted += 1;
            }
            let mut rb = self.inner.http.get(url.clone());
            if let Some(tag) = &resume_tag {
                rb = rb
                    .header(RANGE, format!("bytes={}-", sink.written))
                    .header(IF_RANGE, tag.as_str());
            }
            let mut resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => {
                    if let Some(delay) = state.next(None) {
                        tracing::warn!(url = %shown, error = %e.without_url(), ?delay, "download failed; retrying");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(transport_error(
                        e,
                        "GET",
                        &url,
                        state.retries(),
                        Some(state.elapsed()),
                    ));
                }
            };
            let status = resp.status();
            if status == StatusCode::PARTIAL_CONTENT && resume_tag.is_some() {
                match content_range(resp.headers()) {
                    Some((start, total)) if start == sink.written => {
                        if let (Some(t), Some(e)) = (total, expected) {
                            if t != e {
                                return Err(Error::SizeMismatch {
                                    url: shown,
                                    expected: e,
                                    got: t,
                                });
                            }
                        }
                        expected = expected.or(total);
                        resumed += 1;
                    }
                    _ => {
                        // Unusable range answer: start over without Range.
                        tracing::warn!(url = %shown, "server answered the range request unexpectedly; restarting");
                        etag = None;
                        if let Some(delay) = state.next(None) {
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        return Err(incomplete(shown, expected, sink.written, &state));
                    }
                }
            } else if status.is_success() {
                if sink.written > 0 {
                    sink.restart().await?;
                    restarted += 1;
                }
                expected = resp.content_length();
                etag = strong_etag(resp.headers());
            } else {
                if is_retryable_status(status.as_u16()) {
                    let retry_after = resp
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    if let Some(delay) = state.next(retry_after) {
                        tracing::warn!(url = %shown, status = status.as_u16(), ?delay, "download failed; retrying");
                        drop(resp);
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                }
                let body = read_error_body(resp).await;
                // A refused signed link (expired, revoked) is `LinkRefused`, never an auth error.
                return Err(
                    ApiError::from_body(status.as_u16(), "GET", &url, &body, state.retries())
                        .into_storage_error(),
                );
            }
            if let Some(p) = &sink.progress {
                p.set_total(expected);
            }
            let mut cut = false;
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => sink.write(&chunk).await?,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(url = %shown, at = sink.written, error = %e.without_url(), "download body broke off");
                        cut = true;
                        break;
                    }
                }
            }
            if let Some(exp) = expected {
                if sink.written > exp {
                    return Err(Error::SizeMismatch {
                        url: shown,
                        expected: exp,
                        got: sink.written,
                    });
                }
                cut |= sink.written < exp;
            }
            if !cut {
                sink.file
                    .flush()
                    .await
                    .map_err(|e| Error::io(&sink.path, "write", e))?;
                return Ok((sink.written, resumed, restarted));
            }
            match state.next(None) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Err(incomplete(shown, expected, sink.written, &state)),
            }
        }
    }
}

/// The temp file being written, with its progress reporting.
struct Sink {
    file: tokio::fs::File,
    path: PathBuf,
    written: u64,
    progress: Option<Arc<dyn Progress>>,
}

impl Sink {
    async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.file
            .write_all(chunk)
            .await
            .map_err(|e| Error::io(&self.path, "write", e))?;
        self.written += chunk.len() as u64;
        if let Some(p) = &self.progress {
            p.advance(chunk.len() as u64);
        }
        Ok(())
    }

    async fn restart(&mut self) -> Result<()> {
        self.file
            .set_len(0)
            .await
            .map_err(|e| Error::io(&self.path, "truncate", e))?;
        self.file
            .seek(SeekFrom::Start(0))
            .await
            .map_err(|e| Error::io(&self.path, "seek", e))?;
        self.written = 0;
        if let Some(p) = &self.progress {
            p.restart();
        }
        Ok(())
    }
}

fn incomplete(url: String, expected: Option<u64>, got: u64, state: &RetryState) -> Error {
    Error::Incomplete {
        url,
        expected: expected.unwrap_or(0),
        got,
        retries: state.retries(),
    }
}

/// fsync, rename onto `dest`, fsync the directory (best effort).
fn finish(tmp: NamedTempFile, dest: &Path, dir: &Path) -> Result<()> {
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(tmp.path(), "sync", e))?;
    // On failure the PersistError hands the temp file back; dropping it deletes it.
    tmp.persist(dest)
        .map_err(|e| Error::io(dest, "rename into", e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn parent_dir(dest: &Path) -> PathBuf {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A strong ETag (weak ones are not allowed in `If-Range`).
fn strong_etag(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let v = headers.get(ETAG)?.to_str().ok()?;
    (!v.starts_with("W/")).then(|| v.to_owned())
}

/// Parses `Content-Range: bytes <start>-<end>/<total|*>` into `(start, total)`.
fn content_range(headers: &reqwest::header::HeaderMap) -> Option<(u64, Option<u64>)> {
    let v = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((start.trim().parse().ok()?, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(name: reqwest::header::HeaderName, v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn parses_content_range() {
        assert_eq!(
            content_range(&headers(CONTENT_RANGE, "bytes 10-19/20")),
            Some((10, Some(20)))
        );
        assert_eq!(
            content_range(&headers(CONTENT_RANGE, "bytes 10-19/*")),
            Some((10, None))
        );
        assert_eq!(content_range(&headers(CONTENT_RANGE, "bytes */20")), None);
        assert_eq!(content_range(&HeaderMap::new()), None);
    }

    #[test]
    fn only_strong_etags() {
        assert_eq!(strong_etag(&headers(ETAG, "\"abc\"")), Some("\"abc\"".to_owned()));
        assert_eq!(strong_etag(&headers(ETAG, "W/\"abc\"")), None);
    }

    #[test]
    fn parent_of_bare_name_is_cwd() {
        assert_eq!(parent_dir(Path::new("x.bin")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("a/x.bin")), PathBuf::from("a"));
    }
}
