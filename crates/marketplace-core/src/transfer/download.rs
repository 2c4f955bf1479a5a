//! Atomic, resumable downloads through the `mkt_fs` writer: Range + If-Range, resumption of a
//! killed run's file, never more than the announced size.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use mkt_fs::{Destination, Output, Resumable};
use reqwest::header::{CONTENT_RANGE, ETAG, IF_RANGE, RANGE};
use reqwest::StatusCode;

use crate::client::HttpClient;
use crate::error::{is_retryable_status, strip_query, ApiError, Error, Result};
use crate::retry::Retrier;
use crate::send::{read_error_body, retry_after_of, transport_error};
use crate::transfer::upload::parse_absolute;
use crate::transfer::{DownloadReport, Progress};

impl HttpClient {
    /// GETs an absolute URL (no auth header) into `dest` and puts it in place.
    ///
    /// The body goes through the [`mkt_fs`] writer: a 0600 temp file beside a file destination
    /// (named after the content's size and strong ETag, so a run killed midway is resumed by the
    /// next one), or straight to standard output or a device. A body that breaks off is resumed
    /// with `Range` + `If-Range` (when the server sent a strong ETag and answers 206) or restarted
    /// from zero; the retry budget starts afresh whenever an attempt made progress, so a
    /// connection cut every few megabytes still completes. Never more than the announced size is
    /// written. The file is fsynced and renamed onto the destination; on any failure the temp file
    /// is removed and the destination is left untouched.
    ///
    /// # Errors
    /// [`Error::Incomplete`] when retries run out mid-body, [`Error::SizeMismatch`] when the server
    /// sends more than it announced or changes the total, [`Error::Write`] for the destination
    /// (including an interruption), and API/transport errors as for
    /// [`RequestBuilder::send`](crate::RequestBuilder::send).
    pub async fn download(
        &self,
        url: &str,
        dest: &Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<DownloadReport> {
        let (out, report) = self.download_uncommitted(url, dest, progress).await?;
        tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || out.commit()))
            .await
            .map_err(|e| Error::io(dest.shown(), "finish", std::io::Error::other(e)))??;
        Ok(report)
    }

    /// Like [`download`](Self::download) but returns the complete, fsynced [`Output`] without
    /// putting it in place, for callers that transform it (e.g. decrypt) first. Dropping it
    /// removes the temp file.
    ///
    /// # Errors
    /// As [`download`](Self::download).
    pub async fn download_uncommitted(
        &self,
        url: &str,
        dest: &Destination,
        progress: Option<Arc<dyn Progress>>,
    ) -> Result<(Output, DownloadReport)> {
        let url = parse_absolute(url)?;
        let leftover = if dest.is_atomic() {
            let d = dest.clone();
            tokio::task::spawn_blocking(mkt_fs::cancel::inherit_blocking(move || d.resumable()))
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        let mut fetch = Fetch {
            client: self,
            shown: strip_query(&url),
            url,
            dest,
            leftover,
            out: None,
            written: 0,
            expected: None,
            etag: None,
            progress,
            resumed: 0,
            restarted: 0,
        };
        fetch.run().await?;
        let out = fetch
            .out
            .take()
            .ok_or_else(|| Error::io(dest.shown(), "write", std::io::Error::other("no response body")))?;
        if let Some(file) = out.file().filter(|_| out.is_seekable()) {
            let path = out.path().map(Path::to_path_buf).unwrap_or_default();
            file.sync_all().map_err(|e| Error::io(path, "sync", e))?;
        }
        let report = DownloadReport {
            path: dest
                .path()
                .map_or_else(|| dest.shown().to_path_buf(), Path::to_path_buf),
            bytes: fetch.written,
            resumed: fetch.resumed,
            restarted: fetch.restarted,
        };
        Ok((out, report))
    }
}

/// One download in progress: where the bytes go and what the server announced.
struct Fetch<'a> {
    client: &'a HttpClient,
    url: url::Url,
    shown: String,
    dest: &'a Destination,
    /// A killed run's partial file for this destination, tried once with `Range`.
    leftover: Option<Resumable>,
    out: Option<Output>,
    written: u64,
    expected: Option<u64>,
    etag: Option<String>,
    progress: Option<Arc<dyn Progress>>,
    resumed: u32,
    restarted: u32,
}

impl Fetch<'_> {
    async fn run(&mut self) -> Result<()> {
        let mut state = Retrier::new(&self.client.inner.config.retry, true);
        loop {
            let at_start = self.written;
            let resume_from = match (&self.out, &self.leftover) {
                (Some(_), _) if self.written > 0 => self.etag.clone().map(|t| (self.written, t)),
                (None, Some(l)) => Some((l.len(), l.etag().to_owned())),
                _ => None,
            };
            if self.written > 0 && resume_from.is_none() {
                self.restart()?;
            }
            let mut rb = self.client.inner.http.get(self.url.clone());
            if let Some((from, tag)) = &resume_from {
                rb = rb
                    .header(RANGE, format!("bytes={from}-"))
                    .header(IF_RANGE, tag.as_str());
            }
            let started = tokio::time::Instant::now();
            let mut resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => {
                    let e = e.without_url();
                    if state.pause(None, "GET", &self.shown, &e).await {
                        continue;
                    }
                    return Err(transport_error(
                        e,
                        "GET",
                        &self.url,
                        state.retries(),
                        Some(state.elapsed()),
                    ));
                }
            };
            let status = resp.status();
            // The path only: a signed link's query is a credential.
            tracing::info!(
                "GET {} -> {} ({} ms)",
                self.url.path(),
                status.as_u16(),
                started.elapsed().as_millis()
            );
            if status == StatusCode::PARTIAL_CONTENT && resume_from.is_some() {
                let from = resume_from.as_ref().map_or(0, |r| r.0);
                match content_range(resp.headers()) {
                    Some((start, total)) if start == from && self.leftover_fits(total) => {
                        self.resumed_at(total)?
                    }
                    _ => {
                        // Unusable range answer: start over without Range.
                        tracing::warn!(url = %self.shown, "server answered the range request unexpectedly; restarting");
                        self.etag = None;
                        self.leftover = None;
                        if state
                            .pause(None, "GET", &self.shown, "unusable range answer")
                            .await
                        {
                            continue;
                        }
                        return Err(self.incomplete(&state));
                    }
                }
            } else if status.is_success() {
                self.started(resp.content_length(), strong_etag(resp.headers()))?;
            } else {
                let retry_after = retry_after_of(&resp);
                if is_retryable_status(status.as_u16()) {
                    if let Some(delay) = state.next(retry_after) {
                        drop(resp);
                        state.wait(delay, "GET", &self.shown, status).await;
                        continue;
                    }
                }
                let body = read_error_body(resp).await;
                // A refused signed link (expired, revoked) is `LinkRefused`, never an auth error.
                return Err(
                    ApiError::from_body(status.as_u16(), "GET", &self.url, &body, state.retries())
                        .with_retry_after(retry_after)
                        .into_storage_error(),
                );
            }
            if let Some(p) = &self.progress {
                p.set_total(self.expected);
            }
            let mut cut = false;
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => self.write(&chunk)?,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(url = %self.shown, at = self.written, error = %e.without_url(), "download body broke off");
                        cut = true;
                        break;
                    }
                }
            }
            if let Some(exp) = self.expected {
                cut |= self.written < exp;
            }
            if !cut {
                let path = self.out.as_ref().and_then(|o| o.path()).map(Path::to_path_buf);
                if let Some(out) = self.out.as_mut() {
                    out.flush()
                        .map_err(|e| Error::io(path.unwrap_or_default(), "write", e))?;
                }
                return Ok(());
            }
            if self.written > at_start {
                // Progress was made: the cut is not the same failure repeating.
                state.reset();
            }
            if !state.pause(None, "GET", &self.shown, "body broke off").await {
                return Err(self.incomplete(&state));
            }
        }
    }

    /// A 206 answer continuing at the requested offset.
    fn resumed_at(&mut self, total: Option<u64>) -> Result<()> {
        if self.out.is_none() {
            // Continuing a killed run's file.
            let leftover = self
                .leftover
                .take()
                .expect("a range request without output needs a leftover");
            self.written = leftover.len();
            self.expected = Some(leftover.total());
            self.etag = Some(leftover.etag().to_owned());
            self.out = Some(Output::resume(self.dest, leftover)?);
            if let Some(p) = &self.progress {
                p.set_total(self.expected);
                p.advance(self.written);
            }
        } else if let (Some(t), Some(e)) = (total, self.expected) {
            if t != e {
                return Err(Error::SizeMismatch {
                    url: self.shown.clone(),
                    expected: e,
                    got: t,
                });
            }
        }
        self.expected = self.expected.or(total);
        self.resumed += 1;
        Ok(())
    }

    /// Whether a 206 total agrees with a killed run's leftover being continued (other cases are
    /// checked in [`Fetch::resumed_at`]).
    fn leftover_fits(&self, total: Option<u64>) -> bool {
        match (&self.out, &self.leftover) {
            (None, Some(l)) => total == Some(l.total()),
            _ => true,
        }
    }

    /// A full (200) answer: the body starts at byte 0.
    fn started(&mut self, length: Option<u64>, etag: Option<String>) -> Result<()> {
        // A leftover that was not continued is removed (dropping it deletes the file).
        self.leftover = None;
        if self.written > 0 {
            self.restart()?;
        }
        self.expected = length;
        self.etag = etag;
        if self.out.is_none() {
            self.out = Some(Output::for_download(self.dest, length, self.etag.as_deref())?);
        }
        Ok(())
    }

    fn restart(&mut self) -> Result<()> {
        if let Some(out) = self.out.as_mut() {
            out.truncate()?;
        }
        self.written = 0;
        self.restarted += 1;
        if let Some(p) = &self.progress {
            p.restart();
        }
        Ok(())
    }

    fn write(&mut self, chunk: &[u8]) -> Result<()> {
        mkt_fs::cancel::check()?;
        let got = self.written + chunk.len() as u64;
        if let Some(exp) = self.expected.filter(|&exp| got > exp) {
            // Never write past what the server announced.
            return Err(Error::SizeMismatch {
                url: self.shown.clone(),
                expected: exp,
                got,
            });
        }
        let out = self
            .out
            .as_mut()
            .expect("a body is read only after the output is open");
        let path = out.path().map(Path::to_path_buf);
        out.write_all(chunk).map_err(|e| {
            Error::io(
                path.unwrap_or_else(|| self.dest.shown().to_path_buf()),
                "write",
                e,
            )
        })?;
        self.written = got;
        if let Some(p) = &self.progress {
            p.advance(chunk.len() as u64);
        }
        Ok(())
    }

    fn incomplete(&self, state: &Retrier) -> Error {
        Error::Incomplete {
            url: self.shown.clone(),
            expected: self.expected.unwrap_or(0),
            got: self.written,
            retries: state.retries(),
        }
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
}
