//! Rendering results on stdout: stable JSON or aligned tables, and [`terminal_safe`] text.
//!
//! JSON is printed exactly as the server or file had it (serde_json escapes control characters);
//! everything printed as text for a terminal goes through [`terminal_safe`].

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

pub use crate::context::OutputFormat;
pub use escape::terminal_safe;

mod escape;

/// Table cells longer than this many characters (after escaping) are cut and end in `…`.
///
/// A fixed limit rather than the terminal width keeps piped output the same as on screen; the full
/// value is always in `--output json`.
pub const MAX_CELL_CHARS: usize = 200;

/// Writes `value` as pretty JSON followed by a newline.
///
/// # Errors
/// Serialization or stdout write failures (a broken pipe maps to exit 0 in [`crate::exit`]).
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A simple aligned text table.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with the given column headers.
    pub fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends one row (missing cells are blank, extra cells are kept).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Renders the table with columns padded to their widest cell.
    ///
    /// Every cell (headers too) is made [`terminal_safe`] and cut to [`MAX_CELL_CHARS`].
    pub fn render(&self) -> String {
        let grid: Vec<Vec<Cow<'_, str>>> = std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|row| row.iter().map(|cell| display_cell(cell)).collect())
            .collect();
        let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; cols];
        for row in &grid {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut s = String::new();
        for row in &grid {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", |c| c.as_ref());
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                // Padding by hand: `format!("{cell:<w$}")` panics when the width exceeds u16::MAX
                // (the formatting width has been 16 bits since Rust 1.87).
                let pad = width.saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
            s.push_str(line.trim_end());
            s.push('\n');
        }
        s
    }

    /// Prints the rendered table on stdout.
    ///
    /// # Errors
    /// Stdout write failures.
    pub fn print(&self) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(self.render().as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Prints the table, or `no {what}` when it has no rows (a list that came back empty).
    ///
    /// # Errors
    /// Stdout write failures.
    pub fn print_list(&self, what: &str) -> anyhow::Result<()> {
        if !self.rows.is_empty() {
            return self.print();
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "no {}", terminal_safe(what))?;
        out.flush()?;
        Ok(())
    }
}

/// `n` and the noun in the right number: `count(1, "copy", "copies")` is "1 copy",
/// `count(2, "copy", "copies")` is "2 copies".
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let noun = if n == N::from(1) { one } else { many };
    format!("{n} {noun}")
}

/// One cell as shown: control characters escaped, then cut at a character boundary.
fn display_cell(cell: &str) -> Cow<'_, str> {
    let safe = terminal_safe(cell);
    match safe.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((cut, _)) if safe[cut..].chars().nth(1).is_some() => {
            let mut short = String::with_capacity(cut + '…'.len_utf8());
            short.push_str(&safe[..cut]);
            short.push('…');
            Cow::Owned(short)
        }
        _ => safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_pluralised() {
        assert_eq!(count(1u64, "copy", "copies"), "1 copy");
        assert_eq!(count(2u64, "copy", "copies"), "2 copies");
        assert_eq!(count(0usize, "file", "files"), "0 files");
    }

    #[test]
    fn table_pads_columns_to_widest_cell() {
        let mut t = Table::new(["id", "name"]);
        t.row(["1", "alpha"]);
        t.row(["100", "b"]);
        assert_eq!(t.render(), "id   name\n1    alpha\n100  b\n");
    }

    #[test]
    fn huge_cell_is_cut_without_panicking() {
        let mut t = Table::new(["id", "name"]);
        t.row(["1".to_owned(), "x".repeat(100_000)]);
        t.row(["2".to_owned(), "short".to_owned()]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        let cell = lines[1].strip_prefix("1   ").unwrap();
        assert_eq!(cell.chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell, format!("{}…", "x".repeat(MAX_CELL_CHARS - 1)));
        assert_eq!(lines[2], "2   short");
    }

    #[test]
    fn cut_falls_on_multibyte_characters() {
        // 4-byte and 3-byte characters straddle the cut point; slicing by bytes would panic.
        for fill in ["🚀", "日", "é"] {
            let long = format!("a{}", fill.repeat(MAX_CELL_CHARS * 2));
            let shown = display_cell(&long);
            assert_eq!(shown.chars().count(), MAX_CELL_CHARS);
            assert_eq!(shown, format!("a{}…", fill.repeat(MAX_CELL_CHARS - 2)));
        }
    }

    #[test]
    fn cells_of_exactly_the_limit_are_kept() {
        let exact = "é".repeat(MAX_CELL_CHARS);
        assert!(matches!(display_cell(&exact), Cow::Borrowed(s) if s == exact));
        let over = "é".repeat(MAX_CELL_CHARS + 1);
        assert!(display_cell(&over).ends_with('…'));
    }

    #[test]
    fn control_characters_in_cells_and_headers_are_escaped() {
        let mut t = Table::new(["na\u{1b}[31mme"]);
        t.row(["line\nbreak\u{202e}"]);
        assert_eq!(t.render(), "na\\x1b[31mme\nline\\nbreak\\u{202e}\n");
    }

    #[test]
    fn json_output_keeps_control_characters_exactly() {
        let name = "evil\u{1b}[2J\u{9b}\u{202e}\n";
        let json = serde_json::to_string(&serde_json::json!({ "name": name })).unwrap();
        assert!(!json.contains('\u{1b}'), "serde_json escapes C0 controls: {json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], name);
    }
}
