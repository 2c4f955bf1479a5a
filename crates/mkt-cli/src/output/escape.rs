//! Escaping of control characters in text from servers and files before it reaches a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Returns `text` with every character that could steer or disguise a terminal shown as an escape.
///
/// Escaped are the C0 controls (`\t`, `\n` and `\r` included: a server string must not break a
/// table row or fake an extra line), DEL, the C1 controls U+0080 to U+009F (U+009B is a one-byte
/// CSI on some terminals) and the Unicode bidi embeddings, overrides and isolates U+202A to U+202E
/// and U+2066 to U+2069 (the "Trojan Source" characters, which reorder what is displayed).
///
/// `\t`, `\n` and `\r` become those two-character escapes, other C0 controls and DEL become `\x1b`
/// style escapes, and the rest become `\u{9b}` style escapes. Backslashes and quotes are left
/// alone ([`str::escape_debug`] would escape them too and show `é` only because it is printable),
/// so ordinary text, including non-ASCII text, comes back unchanged and unallocated.
///
/// For example `"model \u{1b}[2Jx"` is shown as `model \x1b[2Jx`.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters (C0, DEL, C1: Unicode category Cc) and bidi overrides and isolates.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str(r"\t"),
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        // Writing to a String cannot fail.
        c if u32::from(c) <= 0x7f => {
            let _ = write!(out, r"\x{:02x}", u32::from(c));
        }
        c => {
            let _ = write!(out, r"\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(terminal_safe(input), expect, "input {input:?}");
    }

    #[test]
    fn c0_controls_are_escaped() {
        check("a\u{1b}[31mred", r"a\x1b[31mred");
        check("bell\u{7}", r"bell\x07");
        check("nul\0end", r"nul\x00end");
        check("\u{8}\u{c}\u{1f}", r"\x08\x0c\x1f");
    }

    #[test]
    fn line_breaks_and_tabs_are_escaped() {
        check("a\tb\nc\rd", r"a\tb\nc\rd");
        check("ok\r\nhint: fake", r"ok\r\nhint: fake");
    }

    #[test]
    fn del_and_c1_controls_are_escaped() {
        check("x\u{7f}", r"x\x7f");
        check("\u{9b}2J", r"\u{9b}2J");
        check("\u{80}\u{9f}", r"\u{80}\u{9f}");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_escaped() {
        check("file\u{202e}fdp.exe", r"file\u{202e}fdp.exe");
        check(
            "\u{202a}\u{202d}\u{2066}\u{2069}",
            r"\u{202a}\u{202d}\u{2066}\u{2069}",
        );
    }

    #[test]
    fn printable_text_is_borrowed_unchanged() {
        for clean in [
            "",
            "numerai-predictions-mymodel",
            "naïve 日本語 emoji 🚀 \u{a0}nbsp",
            r#"C:\path "quoted" 'single' \x1b literal"#,
            "\u{200f}\u{2028} marks are not overrides",
        ] {
            assert!(
                matches!(terminal_safe(clean), Cow::Borrowed(s) if s == clean),
                "{clean:?}"
            );
        }
    }

    #[test]
    fn escaping_keeps_multibyte_text_around_controls() {
        check("日本\u{1b}語🚀\u{9b}é", r"日本\x1b語🚀\u{9b}é");
    }
}
