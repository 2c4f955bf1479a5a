//! Rendering results on stdout: stable JSON or aligned tables.

use std::io::Write;

use serde::Serialize;

pub use crate::context::OutputFormat;

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
    pub fn render(&self) -> String {
        let cols = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; cols];
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut s = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let line: Vec<String> = (0..cols)
                .map(|i| {
                    let cell = row.get(i).map(String::as_str).unwrap_or("");
                    // Padded by hand: `format!` widths above 65,535 panic, and a hostile file
                    // can hold a value that long.
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    let mut padded = String::with_capacity(cell.len() + pad);
                    padded.push_str(cell);
                    padded.extend(std::iter::repeat_n(' ', pad));
                    padded
                })
                .collect();
            s.push_str(line.join("  ").trim_end());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_wider_than_format_widths_render() {
        let mut t = Table::new(["v", "x"]);
        t.row(["y".repeat(70_000), "1".into()]);
        let text = t.render();
        assert!(text.starts_with("v ") && text.ends_with(&format!("{}  1\n", "y".repeat(70_000))));
    }

    #[test]
    fn table_pads_columns_to_widest_cell() {
        let mut t = Table::new(["id", "name"]);
        t.row(["1", "alpha"]);
        t.row(["100", "b"]);
        assert_eq!(t.render(), "id   name\n1    alpha\n100  b\n");
    }
}
