//! Table rendering of `mkt frame` results.

use std::time::Duration;

use frame_io::{ConvertReport, Inspection, ValidationReport};

use crate::output::{terminal_safe, Table};

/// One-row summary of a conversion.
pub fn convert_report(r: &ConvertReport, elapsed: Duration) -> Table {
    let mut t = Table::new(["input", "output", "rows", "in", "out", "seconds"]);
    t.row([
        format!("{} ({})", r.input.display(), r.input_format),
        format!("{} ({})", r.output.display(), r.output_format),
        r.rows.to_string(),
        human_bytes(r.input_bytes),
        human_bytes(r.output_bytes),
        format!("{:.2}", elapsed.as_secs_f64()),
    ]);
    t
}

/// The verdict line (with the inference match), then one row per violation.
pub fn validation_report(r: &ValidationReport) -> String {
    let mut t = Table::new(["rule", "column", "count", "first rows", "message"]);
    for v in &r.violations {
        let rows: Vec<String> = v
            .examples
            .iter()
            .map(|e| format!("{}={}", e.row, e.value))
            .collect();
        t.row([
            format!("{}/{}", r.rule_set, v.rule),
            v.column.clone().unwrap_or_default(),
            v.count.to_string(),
            rows.join(" "),
            v.message.clone(),
        ]);
    }
    // The file name and the server's inference-match message are outside our control.
    let verdict = format!(
        "{}: {} for {} ({} rows, {} ids{})",
        r.file.display(),
        if r.is_valid() { "valid" } else { "INVALID" },
        r.rule_set,
        r.rows,
        r.unique_ids,
        r.match_info
            .as_ref()
            .map(|m| format!(
                "; {}, {} unmatched, {} inference ids not predicted",
                m.message, m.unmatched_ids, m.missing_ids
            ))
            .unwrap_or_default()
    );
    let mut out = format!("{}\n", terminal_safe(&verdict));
    if !r.violations.is_empty() {
        out.push_str(&t.render());
    }
    out
}

/// Prints the file summary, the column table and the first rows.
pub fn inspection(i: &Inspection) -> anyhow::Result<()> {
    let mut cols = Table::new(["column", "type", "nulls", "nans", "min", "max"]);
    for c in &i.columns {
        let index = if i.pandas_index.contains(&c.name) {
            " (pandas index)"
        } else {
            ""
        };
        cols.row([
            format!("{}{index}", c.name),
            c.data_type.clone(),
            c.nulls.to_string(),
            c.nans.to_string(),
            c.min.map(|v| v.to_string()).unwrap_or_default(),
            c.max.map(|v| v.to_string()).unwrap_or_default(),
        ]);
    }
    let mut head = Table::new(i.columns.iter().map(|c| c.name.clone()));
    for row in &i.head {
        head.row(row.iter().map(|v| v.clone().unwrap_or_else(|| "null".into())));
    }
    let summary = format!(
        "{} ({}): {} rows, {} columns",
        i.path.display(),
        i.format,
        i.rows,
        i.columns.len()
    );
    let mut out = format!("{}\n\n", terminal_safe(&summary));
    out.push_str(&cols.render());
    if !i.head.is_empty() {
        out.push('\n');
        out.push_str(&head.render());
    }
    print(&out)
}

/// Writes already rendered text to stdout.
pub fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_humanised() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(180 * 1024 * 1024), "180.0 MiB");
    }
}
