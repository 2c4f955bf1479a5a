//! Parsing of the platforms' and storage hosts' error bodies into a code, a message and a detail.

use serde_json::Value;

use super::{storage, BODY_SNIPPET_CHARS};

/// Parses an error body into `(code, message, detail)`.
///
/// NumerBay: `{"detail": "text"}` or `{"detail": [{"loc": [...], "msg": "..."}]}`.
/// CrowdCent: `{"error": {"code", "message", "fields"?}}`. Storage hosts (GCS, S3):
/// `<Error><Code>…</Code><Message>…</Message></Error>`. Anything else: the body's first
/// [`BODY_SNIPPET_CHARS`] characters, or the status's reason phrase when empty.
pub fn parse_error_body(status: u16, body: &[u8]) -> (Option<String>, String, Option<Value>) {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        if let Some(detail) = json.get("detail") {
            let message = match detail {
                Value::String(s) => s.clone(),
                Value::Array(items) => items.iter().map(validation_item).collect::<Vec<_>>().join("; "),
                other => other.to_string(),
            };
            return (None, message, Some(detail.clone()));
        }
        if let Some(err) = json.get("error").filter(|e| e.is_object()) {
            let code = err.get("code").and_then(Value::as_str).map(str::to_owned);
            let mut message = err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| snippet(body));
            if let Some(fields) = err.get("fields").and_then(Value::as_object) {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", field_messages(v)))
                    .collect();
                if !parts.is_empty() {
                    message = format!("{message} ({})", parts.join("; "));
                }
            }
            return (code, message, Some(err.clone()));
        }
    }
    if let Some((code, message)) = storage::parse_xml_error(body) {
        return (code, message, None);
    }
    let text = snippet(body);
    if text.is_empty() {
        let reason = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no response body");
        return (None, reason.to_owned(), None);
    }
    (None, text, None)
}

fn validation_item(item: &Value) -> String {
    let msg = item
        .get("msg")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| item.to_string());
    match item.get("loc").and_then(Value::as_array) {
        Some(loc) if !loc.is_empty() => {
            let loc: Vec<String> = loc
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            format!("{}: {msg}", loc.join("."))
        }
        _ => msg,
    }
}

fn field_messages(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.trim().chars().take(BODY_SNIPPET_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerbay_string_detail() {
        let (code, msg, detail) = parse_error_body(403, br#"{"detail":"Could not validate credentials"}"#);
        assert_eq!(code, None);
        assert_eq!(msg, "Could not validate credentials");
        assert_eq!(detail, Some(Value::String(msg.clone())));
    }

    #[test]
    fn numerbay_validation_list() {
        let body = br#"{"detail":[{"loc":["body","skip"],"msg":"value is not a valid integer","type":"type_error.integer"},{"type":"json_invalid","loc":["body",0],"msg":"JSON decode error"}]}"#;
        let (_, msg, detail) = parse_error_body(422, body);
        assert_eq!(
            msg,
            "body.skip: value is not a valid integer; body.0: JSON decode error"
        );
        assert!(detail.is_some_and(|d| d.is_array()));
    }

    #[test]
    fn crowdcent_error_with_fields() {
        let body =
            br#"{"error":{"code":"BAD","message":"nope","fields":{"slot":["must be 1-5"],"x":"bad"}}}"#;
        let (code, msg, _) = parse_error_body(400, body);
        assert_eq!(code.as_deref(), Some("BAD"));
        assert_eq!(msg, "nope (slot: must be 1-5; x: bad)");
    }

    #[test]
    fn text_and_empty_bodies() {
        assert_eq!(
            parse_error_body(500, b"Internal Server Error").1,
            "Internal Server Error"
        );
        assert_eq!(parse_error_body(503, b"").1, "Service Unavailable");
        let long = "x".repeat(2000);
        assert_eq!(parse_error_body(500, long.as_bytes()).1.len(), 512);
        // Multi-byte characters are never split.
        let wide = "é".repeat(600);
        assert_eq!(parse_error_body(500, wide.as_bytes()).1.chars().count(), 512);
    }
}
