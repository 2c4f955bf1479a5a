//! File formats and Parquet compression codecs, and telling a file's format from its name or bytes.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::{Error, Result};

/// A frame file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// The format implied by a file extension (`.csv`, `.parquet`, `.pq`; case-insensitive).
    pub fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(Format::Csv),
            "parquet" | "pq" | "parq" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// The format of an existing file: by extension, else by its first bytes (`PAR1` means Parquet,
    /// anything else that looks like text means CSV).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened, [`Error::UnknownFormat`] when neither works.
    pub fn detect(path: &Path) -> Result<Self> {
        if let Some(f) = Self::from_extension(path) {
            return Ok(f);
        }
        let mut head = [0u8; 4];
        let mut file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            op: "open",
            source,
        })?;
        let n = file.read(&mut head).map_err(|source| Error::Io {
            path: path.to_owned(),
            op: "read",
            source,
        })?;
        if n == 4 && &head == b"PAR1" {
            Ok(Format::Parquet)
        } else if n > 0
            && head[..n]
                .iter()
                .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80)
        {
            Ok(Format::Csv)
        } else {
            Err(Error::UnknownFormat {
                path: path.to_owned(),
            })
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Compression codec for Parquet output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Zstandard (level 1): about a third smaller than snappy, a little slower; what polars writes.
    Zstd,
    /// Snappy: the fastest; what pandas and pyarrow write by default.
    #[default]
    Snappy,
    /// No compression.
    None,
}

impl Compression {
    pub(crate) fn to_parquet(self) -> parquet::basic::Compression {
        match self {
            Compression::Zstd => {
                parquet::basic::Compression::ZSTD(parquet::basic::ZstdLevel::try_new(1).unwrap_or_default())
            }
            Compression::Snappy => parquet::basic::Compression::SNAPPY,
            Compression::None => parquet::basic::Compression::UNCOMPRESSED,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_map_to_formats() {
        assert_eq!(Format::from_extension(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(
            Format::from_extension(Path::new("x.parquet")),
            Some(Format::Parquet)
        );
        assert_eq!(Format::from_extension(Path::new("x.bin")), None);
        assert_eq!(Format::from_extension(Path::new("noext")), None);
    }

    #[test]
    fn detect_sniffs_magic_without_extension() {
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("data");
        std::fs::write(&pq, b"PAR1....").unwrap();
        assert_eq!(Format::detect(&pq).unwrap(), Format::Parquet);
        let csv = dir.path().join("data2");
        std::fs::write(&csv, b"id,prediction\n").unwrap();
        assert_eq!(Format::detect(&csv).unwrap(), Format::Csv);
        let bin = dir.path().join("data3");
        std::fs::write(&bin, [0u8, 1, 2, 3]).unwrap();
        assert!(matches!(Format::detect(&bin), Err(Error::UnknownFormat { .. })));
    }
}
