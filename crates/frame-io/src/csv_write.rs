//! Writing CSV the way `pandas.DataFrame.to_csv(index=False)` does.
//!
//! A header line, `,` separators, `\n` line ends, minimal quoting, an empty cell for nulls and
//! NaN, and floats in Python `repr` form: the shortest text that round-trips, in fixed notation
//! for decimal exponents in `-4..16` (`0.5`, `1.0`) and scientific otherwise (`1e-05`, `1.5e+16`).

use std::fmt::Write as _;
use std::io::Write;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float32Type, Float64Type, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};

/// Streams record batches into a writer as pandas-style CSV.
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    out: W,
    header_written: bool,
    buf: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer that emits the header before the first batch.
    pub fn new(out: W) -> Self {
        Self {
            out,
            header_written: false,
            buf: Vec::with_capacity(1 << 20),
        }
    }

    /// Appends one batch (and the header first, once).
    ///
    /// # Errors
    /// [`CsvWriteError`] when a column cannot be formatted or the writer fails.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), CsvWriteError> {
        self.buf.clear();
        if !self.header_written {
            encode_header(&batch.schema(), &mut self.buf);
            self.header_written = true;
        }
        encode_rows(batch, &mut self.buf)?;
        self.out.write_all(&self.buf)?;
        Ok(())
    }

    /// Writes the header if no batch was written yet (so a frame without rows still has one).
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn write_header_if_needed(&mut self, schema: &SchemaRef) -> Result<(), CsvWriteError> {
        if !self.header_written {
            self.buf.clear();
            encode_header(schema, &mut self.buf);
            self.out.write_all(&self.buf)?;
            self.header_written = true;
        }
        Ok(())
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// The writer's I/O error.
    pub fn finish(mut self) -> Result<W, CsvWriteError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Why writing CSV failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CsvWriteError {
    /// A column type has no text form.
    #[error("a column cannot be written as CSV")]
    Format(#[from] ArrowError),
    /// The output failed.
    #[error("writing CSV output failed")]
    Io(#[from] std::io::Error),
}

/// Appends the header line for `schema`.
pub(crate) fn encode_header(schema: &SchemaRef, out: &mut Vec<u8>) {
    for (i, f) in schema.fields().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_text(out, f.name(), schema.fields().len() == 1);
    }
    out.push(b'\n');
}

/// Appends every row of `batch` (no header).
pub(crate) fn encode_rows(batch: &RecordBatch, out: &mut Vec<u8>) -> Result<(), ArrowError> {
    let options = FormatOptions::default()
        .with_null("")
        .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S"))
        .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S%:z"))
        .with_datetime_format(Some("%Y-%m-%d %H:%M:%S"));
    let cols: Vec<Col<'_>> = batch
        .columns()
        .iter()
        .map(|a| Col::new(a.as_ref(), &options))
        .collect::<Result<_, _>>()?;
    let single = cols.len() == 1;
    let mut scratch = String::with_capacity(64);
    for row in 0..batch.num_rows() {
        for (i, col) in cols.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            col.write(row, out, &mut scratch, single);
        }
        out.push(b'\n');
    }
    Ok(())
}

enum Col<'a> {
    F64(&'a arrow::array::PrimitiveArray<Float64Type>),
    F32(&'a arrow::array::PrimitiveArray<Float32Type>),
    Bool(&'a arrow::array::BooleanArray),
    Utf8(&'a arrow::array::StringArray),
    LargeUtf8(&'a arrow::array::LargeStringArray),
    Utf8View(&'a arrow::array::StringViewArray),
    Other(&'a dyn Array, ArrayFormatter<'a>),
}

impl<'a> Col<'a> {
    fn new(array: &'a dyn Array, options: &FormatOptions<'a>) -> Result<Self, ArrowError> {
        Ok(match array.data_type() {
            DataType::Float64 => Col::F64(array.as_primitive()),
            DataType::Float32 => Col::F32(array.as_primitive()),
            DataType::Boolean => Col::Bool(array.as_boolean()),
            DataType::Utf8 => Col::Utf8(array.as_string()),
            DataType::LargeUtf8 => Col::LargeUtf8(array.as_string()),
            DataType::Utf8View => Col::Utf8View(array.as_string_view()),
            _ => Col::Other(array, ArrayFormatter::try_new(array, options)?),
        })
    }

    fn write(&self, row: usize, out: &mut Vec<u8>, scratch: &mut String, single: bool) {
        match self {
            Col::F64(a) => {
                if a.is_valid(row) {
                    push_float(out, a.value(row), scratch);
                }
            }
            Col::F32(a) => {
                if a.is_valid(row) {
                    push_float(out, a.value(row), scratch);
                }
            }
            Col::Bool(a) => {
                if a.is_valid(row) {
                    out.extend_from_slice(if a.value(row) { b"True" } else { b"False" });
                }
            }
            Col::Utf8(a) => {
                if a.is_valid(row) {
                    push_text(out, a.value(row), single);
                }
            }
            Col::LargeUtf8(a) => {
                if a.is_valid(row) {
                    push_text(out, a.value(row), single);
                }
            }
            Col::Utf8View(a) => {
                if a.is_valid(row) {
                    push_text(out, a.value(row), single);
                }
            }
            Col::Other(a, f) => {
                if a.is_valid(row) {
                    scratch.clear();
                    let _ = write!(scratch, "{}", f.value(row));
                    push_text(out, scratch, single);
                }
            }
        }
    }
}

/// Appends `s`, quoted only when it holds a separator, a quote or a line break (Python's
/// `csv.QUOTE_MINIMAL`; an empty string that is the only field of its row is quoted too, so the
/// row is not mistaken for a blank line).
fn push_text(out: &mut Vec<u8>, s: &str, single_field: bool) {
    let needs_quotes =
        s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) || (single_field && s.is_empty());
    if !needs_quotes {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// A float type whose `{:e}` form gives the shortest round-trip digits.
trait ShortFloat: std::fmt::LowerExp + Copy {
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
    fn is_sign_negative(self) -> bool;
}

impl ShortFloat for f64 {
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    fn is_infinite(self) -> bool {
        f64::is_infinite(self)
    }
    fn is_sign_negative(self) -> bool {
        f64::is_sign_negative(self)
    }
}

impl ShortFloat for f32 {
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
    fn is_infinite(self) -> bool {
        f32::is_infinite(self)
    }
    fn is_sign_negative(self) -> bool {
        f32::is_sign_negative(self)
    }
}

/// Appends `v` as Python's `repr(float)` would print it (NaN as an empty cell, like pandas).
fn push_float<F: ShortFloat>(out: &mut Vec<u8>, v: F, scratch: &mut String) {
    if v.is_nan() {
        return;
    }
    if v.is_infinite() {
        out.extend_from_slice(if v.is_sign_negative() { b"-inf" } else { b"inf" });
        return;
    }
    scratch.clear();
    let _ = write!(scratch, "{v:e}");
    let (mantissa, exp) = scratch.split_once('e').unwrap_or((scratch.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    if neg {
        out.push(b'-');
    }
    let (lead, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // digits = lead ++ frac, value = 0.digits × 10^(exp + 1)
    let ndigits = lead.len() + frac.len();
    let digit = |i: usize| -> u8 {
        if i < lead.len() {
            lead.as_bytes()[i]
        } else {
            frac.as_bytes()[i - lead.len()]
        }
    };
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            for i in 0..int_len {
                out.push(if i < ndigits { digit(i) } else { b'0' });
            }
            out.push(b'.');
            if ndigits > int_len {
                for i in int_len..ndigits {
                    out.push(digit(i));
                }
            } else {
                out.push(b'0');
            }
        } else {
            out.extend_from_slice(b"0.");
            for _ in 0..(-exp - 1) {
                out.push(b'0');
            }
            for i in 0..ndigits {
                out.push(digit(i));
            }
        }
    } else {
        out.push(digit(0));
        if ndigits > 1 {
            out.push(b'.');
            for i in 1..ndigits {
                out.push(digit(i));
            }
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let abs = exp.unsigned_abs();
        if abs < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(abs.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{BooleanArray, Float32Array, Float64Array, Int64Array, StringArray};
    use arrow::datatypes::{Field, Schema};

    use super::*;

    fn py(v: f64) -> String {
        let mut out = Vec::new();
        push_float(&mut out, v, &mut String::new());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_print_like_python_repr() {
        let cases = [
            (0.5, "0.5"),
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (5.663610958428489e-05, "5.663610958428489e-05"),
            (0.2901829189310432, "0.2901829189310432"),
            (123456.0, "123456.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e300, "1.5e+300"),
            (-2.5e-7, "-2.5e-07"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, ""),
        ];
        for (v, want) in cases {
            assert_eq!(py(v), want, "{v:?}");
        }
    }

    #[test]
    fn float32_uses_its_own_shortest_form() {
        let mut out = Vec::new();
        push_float(&mut out, 0.1f32, &mut String::new());
        assert_eq!(out, b"0.1");
    }

    #[test]
    fn batch_encodes_like_pandas() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("prediction", DataType::Float64, true),
            Field::new("n", DataType::Int64, true),
            Field::new("ok", DataType::Boolean, true),
            Field::new("f", DataType::Float32, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![Some("a,b"), Some("say \"hi\""), None])),
                Arc::new(Float64Array::from(vec![Some(0.5), None, Some(f64::NAN)])),
                Arc::new(Int64Array::from(vec![Some(1), Some(-2), None])),
                Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
                Arc::new(Float32Array::from(vec![Some(0.25f32), None, Some(1e-6f32)])),
            ],
        )
        .unwrap();
        let mut w = CsvWriter::new(Vec::new());
        w.write(&batch).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "id,prediction,n,ok,f\n\"a,b\",0.5,1,True,0.25\n\"say \"\"hi\"\"\",,-2,False,\n,,,,1e-06\n"
        );
    }
}
