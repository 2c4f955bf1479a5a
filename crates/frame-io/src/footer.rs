//! A structural check of a Parquet footer before parquet-rs decodes it.
//!
//! parquet-rs 57 trusts the element counts in the footer's Thrift lists and reserves memory for them
//! up front, so a few corrupt bytes can ask for tens of gigabytes and abort the process (found by
//! the `parquet_read` fuzz target). This walker reads the Thrift compact protocol without building
//! anything and rejects any list, set, map or binary whose declared size cannot fit in the bytes
//! that remain, which bounds every later allocation by the footer's own size.

use std::io::{Read, Seek, SeekFrom};

/// Deepest struct nesting accepted (real footers nest a handful of levels).
const MAX_DEPTH: usize = 64;

/// Checks the footer of the Parquet file in `file` (of `len` bytes).
///
/// Returns `Ok(())` when the footer is well formed, or when it is not a plain footer this check
/// understands (encrypted `PARE` files are left to parquet-rs). `Err` carries what is wrong.
pub(crate) fn check<R: Read + Seek>(file: &mut R, len: u64) -> Result<(), String> {
    if len < 12 {
        return Err(format!("{len} bytes is too short for a Parquet file"));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::End(-8)).map_err(|e| e.to_string())?;
    file.read_exact(&mut tail).map_err(|e| e.to_string())?;
    if &tail[4..] != b"PAR1" {
        // Not plain Parquet (or encrypted): parquet-rs gives the precise error.
        return Ok(());
    }
    let meta_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if meta_len > len - 12 {
        return Err(format!("footer claims {meta_len} bytes but the file has {len}"));
    }
    let mut meta = vec![0u8; meta_len as usize];
    file.seek(SeekFrom::End(-8 - meta_len as i64))
        .map_err(|e| e.to_string())?;
    file.read_exact(&mut meta).map_err(|e| e.to_string())?;
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let mut walker = Walker { buf: &meta, pos: 0 };
    walker.skip_struct(0, Shape::FileMetaData)
}

/// Structs whose field types are checked, because parquet-rs decodes their fields by id without
/// looking at the wire type (a field declared `i64` but read as a list turned a varint into a
/// 149 GB allocation; fuzz target `parquet_read`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    FileMetaData,
    SchemaElement,
    Other,
}

impl Shape {
    /// The compact-protocol type parquet.thrift declares for field `id`, when known.
    fn expected(self, id: i64) -> Option<u8> {
        const I32: u8 = 5;
        const I64: u8 = 6;
        const BINARY: u8 = 8;
        const LIST: u8 = 9;
        const STRUCT: u8 = 12;
        match (self, id) {
            (Shape::FileMetaData, 1) => Some(I32),
            (Shape::FileMetaData, 2 | 4 | 5 | 7) => Some(LIST),
            (Shape::FileMetaData, 3) => Some(I64),
            (Shape::FileMetaData, 6 | 9) => Some(BINARY),
            (Shape::FileMetaData, 8) => Some(STRUCT),
            (Shape::SchemaElement, 1 | 2 | 3 | 5..=9) => Some(I32),
            (Shape::SchemaElement, 4) => Some(BINARY),
            (Shape::SchemaElement, 10) => Some(STRUCT),
            _ => None,
        }
    }
}

struct Walker<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Walker<'_> {
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.buf.get(self.pos).ok_or("footer ends inside a value")?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("varint longer than 10 bytes in footer".into())
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        if n > self.remaining() as u64 {
            return Err(format!(
                "footer value of {n} bytes exceeds the {} left",
                self.remaining()
            ));
        }
        self.pos += n as usize;
        Ok(())
    }

    /// Checks a collection size: each element takes at least one byte.
    fn size(&self, n: u64) -> Result<u64, String> {
        if n > self.remaining() as u64 {
            return Err(format!(
                "footer list of {n} elements exceeds the {} bytes left",
                self.remaining()
            ));
        }
        Ok(n)
    }

    fn skip_struct(&mut self, depth: usize, shape: Shape) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("footer nests too deeply".into());
        }
        let mut id: i64 = 0;
        loop {
            let header = self.byte()?;
            let ty = header & 0x0f;
            if ty == 0 {
                return Ok(());
            }
            let delta = header >> 4;
            id = if delta == 0 {
                let raw = self.varint()?; // explicit zigzag field id
                (raw >> 1) as i64 ^ -((raw & 1) as i64)
            } else {
                id + i64::from(delta)
            };
            if let Some(want) = shape.expected(id) {
                // Booleans are encoded as type 1 or 2 and never expected here.
                if ty != want {
                    return Err(format!("footer field {id} has Thrift type {ty}, expected {want}"));
                }
            }
            // The schema list (FileMetaData field 2) holds SchemaElements.
            let inner = if shape == Shape::FileMetaData && id == 2 {
                Shape::SchemaElement
            } else {
                Shape::Other
            };
            self.skip_value(ty, depth, false, inner)?;
        }
    }

    fn skip_value(&mut self, ty: u8, depth: usize, in_collection: bool, inner: Shape) -> Result<(), String> {
        match ty {
            // Booleans live in the field header, except inside collections (one byte each).
            1 | 2 if !in_collection => Ok(()),
            1..=3 => self.skip(1),
            4..=6 => self.varint().map(drop),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let header = self.byte()?;
                let short = u64::from(header >> 4);
                let declared = if short == 15 { self.varint()? } else { short };
                let n = self.size(declared)?;
                let elem = header & 0x0f;
                for _ in 0..n {
                    self.skip_value(elem, depth + 1, true, inner)?;
                }
                Ok(())
            }
            11 => {
                let declared = self.varint()?;
                let n = self.size(declared)?;
                if n == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..n {
                    self.skip_value(kinds >> 4, depth + 1, true, Shape::Other)?;
                    self.skip_value(kinds & 0x0f, depth + 1, true, Shape::Other)?;
                }
                Ok(())
            }
            12 => self.skip_struct(depth + 1, inner),
            other => Err(format!("unknown Thrift type {other} in footer")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(meta: &[u8]) -> std::io::Cursor<Vec<u8>> {
        let mut bytes = b"PAR1".to_vec();
        bytes.extend_from_slice(meta);
        bytes.extend_from_slice(&(meta.len() as u32).to_le_bytes());
        bytes.extend_from_slice(b"PAR1");
        std::io::Cursor::new(bytes)
    }

    fn run(meta: &[u8]) -> Result<(), String> {
        let mut f = file(meta);
        let len = f.get_ref().len() as u64;
        check(&mut f, len)
    }

    #[test]
    fn accepts_a_small_well_formed_struct() {
        // field 1: i32 = 1; field 2: list<i32> of 2; stop.
        assert_eq!(run(&[0x15, 0x02, 0x19, 0x25, 0x02, 0x04, 0x00]), Ok(()));
    }

    #[test]
    fn rejects_a_list_longer_than_the_footer() {
        // field 2 (schema): list<struct> with a varint size of 2^35.
        let err = run(&[0x29, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]).unwrap_err();
        assert!(err.contains("elements"), "{err}");
    }

    #[test]
    fn rejects_truncated_and_oversized_footers() {
        assert!(run(&[0x15]).is_err());
        let mut f = std::io::Cursor::new(b"PAR1\xff\xff\xff\x00PAR1".to_vec());
        assert!(check(&mut f, 12).unwrap_err().contains("footer claims"));
    }

    #[test]
    fn leaves_non_parquet_tails_to_parquet_rs() {
        let mut f = std::io::Cursor::new(b"not parquet at all".to_vec());
        assert_eq!(check(&mut f, 18), Ok(()));
    }
}
