//! Answers of storage hosts to signed URLs: their XML error bodies, and which answers mean "this
//! link was refused" (expired or revoked) rather than a credentials problem.

use super::{ApiError, Error, BODY_SNIPPET_CHARS};

/// Error codes of GCS and S3 that, with a 400, mean the link itself is no longer accepted.
const REFUSAL_CODES: &[&str] = &[
    "ExpiredToken",
    "AccessDenied",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "RequestExpired",
    "AuthenticationRequired",
];

impl ApiError {
    /// Turns the error answer to a request on a signed storage URL into an [`Error`]: a refusal
    /// of the link (401, 403, 410, or a 400 naming an expired or invalid signature) becomes
    /// [`Error::LinkRefused`]; anything else maps as in [`into_error`](Self::into_error).
    ///
    /// No credentials go to the storage host (the signature in the URL is the authorization), so
    /// a 401 or 403 there says nothing about the account: the link expired or was revoked.
    pub fn into_storage_error(self) -> Error {
        if self.is_link_refusal() {
            let message = match &self.code {
                Some(code) if !self.message.is_empty() && self.message != *code => {
                    format!("{code}: {}", self.message)
                }
                Some(code) => code.clone(),
                None => self.message,
            };
            Error::LinkRefused {
                status: self.status,
                method: self.method,
                url: self.url,
                message,
            }
        } else {
            self.into_error()
        }
    }

    fn is_link_refusal(&self) -> bool {
        match self.status {
            401 | 403 | 410 => true,
            400 => {
                self.code.as_deref().is_some_and(|c| REFUSAL_CODES.contains(&c))
                    || self.message.to_ascii_lowercase().contains("expired")
            }
            _ => false,
        }
    }
}

impl Error {
    /// Reclassifies the error of a request to a signed storage URL (see
    /// [`ApiError::into_storage_error`]); other errors pass unchanged.
    pub(crate) fn into_storage_error(self) -> Error {
        match self {
            Error::Api(a) => a.into_storage_error(),
            other => other,
        }
    }
}

/// Parses `<Error><Code>…</Code><Message>…</Message></Error>` into `(code, message)`; `None` when
/// the body is not such a document. Other elements (GCS adds `StringToSign` and the canonical
/// request for signature errors) are dropped.
pub(super) fn parse_xml_error(body: &[u8]) -> Option<(Option<String>, String)> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start();
    if !(text.starts_with("<?xml") || text.starts_with("<Error")) || !text.contains("<Error>") {
        return None;
    }
    let code = element(text, "Code");
    let message = element(text, "Message");
    if code.is_none() && message.is_none() {
        return None;
    }
    let message = message.or_else(|| code.clone()).unwrap_or_default();
    Some((code, message.chars().take(BODY_SNIPPET_CHARS).collect()))
}

/// The unescaped, trimmed text of the first `<name>…</name>` element.
fn element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let len = text[start..].find(&close)?;
    let raw = text[start..start + len].trim();
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GCS_EXPIRED: &str = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>\
        <Message>Invalid argument: the signed URL has expired.</Message></Error>";

    fn api(status: u16, body: &str) -> ApiError {
        let url = url::Url::parse("https://storage.example/b/obj.csv?X-Goog-Signature=s3cr3t").unwrap();
        ApiError::from_body(status, "GET", &url, body.as_bytes(), 0)
    }

    #[test]
    fn xml_error_bodies_keep_code_and_message_only() {
        let body = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code>\
            <Message>Access denied &amp; more.</Message><StringToSign>GOOG4 secret</StringToSign></Error>";
        let (code, message) = parse_xml_error(body.as_bytes()).unwrap();
        assert_eq!(code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(message, "Access denied & more.");
        assert_eq!(
            parse_xml_error(b"<Error><Code>NoSuchKey</Code></Error>")
                .unwrap()
                .1,
            "NoSuchKey"
        );
        assert_eq!(parse_xml_error(b"<html><body>Error</body></html>"), None);
        assert_eq!(parse_xml_error(b"plain text <Error>"), None);
        assert_eq!(parse_xml_error(b"<?xml version='1.0'?><Error></Error>"), None);
    }

    #[test]
    fn refusals_become_link_refused_and_are_not_auth() {
        for (status, body) in [
            (403, GCS_EXPIRED),
            (401, ""),
            (403, "Forbidden"),
            (410, "Gone"),
            (400, GCS_EXPIRED),
            (400, "Request has expired"),
        ] {
            let e = api(status, body).into_storage_error();
            assert!(e.is_link_refused(), "{status} {body} -> {e:?}");
            assert!(!e.is_auth() && !e.is_retryable());
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.api(), None);
            let text = e.to_string();
            assert!(text.contains("expired or was revoked"), "{text}");
            assert!(text.contains("https://storage.example/b/obj.csv"), "{text}");
            assert!(!format!("{text} {e:?}").contains("s3cr3t"), "{text}");
            assert!(!text.contains("credentials"), "{text}");
        }
        let e = api(403, GCS_EXPIRED).into_storage_error();
        assert!(
            e.to_string()
                .contains("HTTP 403: ExpiredToken: Invalid argument: the signed URL has expired."),
            "{e}"
        );
    }

    #[test]
    fn other_storage_answers_keep_their_class() {
        assert!(matches!(
            api(400, "bad range").into_storage_error(),
            Error::Api(a) if a.status == 400
        ));
        assert!(api(404, "<Error><Code>NoSuchKey</Code></Error>")
            .into_storage_error()
            .is_not_found());
        assert!(matches!(api(503, "").into_storage_error(), Error::Api(a) if a.status == 503));
        let transport = Error::Config { message: "x".into() };
        assert!(matches!(transport.into_storage_error(), Error::Config { .. }));
        assert!(api(403, "").into_error().into_storage_error().is_link_refused());
    }
}
