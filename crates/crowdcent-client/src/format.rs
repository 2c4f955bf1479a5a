//! `DataFormat`: which copy of a data file the server should send (Parquet, or CSV via `?as=csv`).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The file format a download asks the server for.
///
/// The files are stored as Parquet; since client 0.2.16 the download endpoints also serve a CSV
/// copy when asked with `?as=csv` (spec §7.5). The official client picks CSV when the destination
/// ends in `.csv`; [`DataFormat::for_path`] does the same, but callers choose explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DataFormat {
    /// Apache Parquet, the stored format (no query parameter is sent).
    #[default]
    Parquet,
    /// A CSV copy made by the server (`?as=csv`).
    Csv,
}

impl DataFormat {
    /// CSV for a path ending in `.csv` (any case), else Parquet, like the official client.
    pub fn for_path(path: &Path) -> DataFormat {
        let csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv {
            DataFormat::Csv
        } else {
            DataFormat::Parquet
        }
    }

    /// The usual file extension, without the dot (`parquet`, `csv`).
    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Parquet => "parquet",
            DataFormat::Csv => "csv",
        }
    }

    /// The query pairs a download request carries: none for Parquet, `as=csv` for CSV.
    pub(crate) fn query(self) -> &'static [(&'static str, &'static str)] {
        match self {
            DataFormat::Parquet => &[],
            DataFormat::Csv => &[("as", "csv")],
        }
    }
}

impl fmt::Display for DataFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for DataFormat {
    type Err = crate::Error;

    /// `parquet` or `csv` (any case).
    fn from_str(s: &str) -> crate::Result<Self> {
        if s.eq_ignore_ascii_case("parquet") {
            Ok(DataFormat::Parquet)
        } else if s.eq_ignore_ascii_case("csv") {
            Ok(DataFormat::Csv)
        } else {
            Err(crate::Error::InvalidFormat { value: s.to_owned() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_paths_pick_csv() {
        assert_eq!(DataFormat::for_path(Path::new("train.csv")), DataFormat::Csv);
        assert_eq!(DataFormat::for_path(Path::new("dir/TRAIN.CSV")), DataFormat::Csv);
        assert_eq!(
            DataFormat::for_path(Path::new("train.parquet")),
            DataFormat::Parquet
        );
        assert_eq!(DataFormat::for_path(Path::new("csv")), DataFormat::Parquet);
        assert_eq!(DataFormat::for_path(Path::new("-")), DataFormat::Parquet);
    }

    #[test]
    fn parse_and_query() {
        assert_eq!("CSV".parse::<DataFormat>().ok(), Some(DataFormat::Csv));
        assert_eq!("parquet".parse::<DataFormat>().ok(), Some(DataFormat::Parquet));
        assert!("xlsx".parse::<DataFormat>().is_err());
        assert!(DataFormat::Parquet.query().is_empty());
        assert_eq!(DataFormat::Csv.query(), &[("as", "csv")]);
        assert_eq!(DataFormat::Csv.to_string(), "csv");
    }
}
