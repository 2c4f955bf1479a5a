//! Reading any arrow column's values as text (ids, uniqueness keys, example values).

use arrow::array::{Array, AsArray};
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};

/// Row values of any column as text (ids, keys, example values).
pub(super) enum TextColumn<'a> {
    Utf8(&'a arrow::array::StringArray),
    Large(&'a arrow::array::LargeStringArray),
    View(&'a arrow::array::StringViewArray),
    Other(&'a dyn Array, ArrayFormatter<'a>),
}

impl<'a> TextColumn<'a> {
    pub(super) fn new(array: &'a dyn Array) -> Result<Self, arrow::error::ArrowError> {
        Ok(match array.data_type() {
            DataType::Utf8 => TextColumn::Utf8(array.as_string()),
            DataType::LargeUtf8 => TextColumn::Large(array.as_string()),
            DataType::Utf8View => TextColumn::View(array.as_string_view()),
            _ => TextColumn::Other(array, ArrayFormatter::try_new(array, &FormatOptions::default())?),
        })
    }

    pub(super) fn get(&self, row: usize) -> Option<String> {
        match self {
            TextColumn::Utf8(a) => a.is_valid(row).then(|| a.value(row).to_owned()),
            TextColumn::Large(a) => a.is_valid(row).then(|| a.value(row).to_owned()),
            TextColumn::View(a) => a.is_valid(row).then(|| a.value(row).to_owned()),
            TextColumn::Other(a, f) => a.is_valid(row).then(|| f.value(row).to_string()),
        }
    }
}
