//! Dictionary-encoded Parquet text columns read as entry numbers, page by page.
//!
//! Most writers store text columns with a dictionary: each distinct value once per column
//! chunk, and per row the number of its entry. Reading those numbers (rather than one
//! value per row) lets the import check, decode and intern each distinct value once per
//! row group. Values a writer stored plain (after its dictionary grew too big) become
//! entries of their own. Pages in any other encoding are left to the generic reader:
//! [`read`] then answers `None`.

use parquet::basic::Encoding;
use parquet::column::page::{Page, PageReader};
use parquet::errors::{ParquetError, Result};

/// The entry number of a null value.
pub(crate) const NULL: u32 = u32::MAX;

/// One text column of a row group: distinct entries and each row's entry.
#[derive(Debug, Default)]
pub(crate) struct DictColumn {
    bytes: Vec<u8>,
    /// Where each entry ends in `bytes` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Each row's entry, or [`NULL`].
    rows: Vec<u32>,
}

impl DictColumn {
    /// The entry of row `row` ([`NULL`] for null).
    pub(crate) fn entry(&self, row: usize) -> u32 {
        self.rows.get(row).copied().unwrap_or(NULL)
    }

    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of entry `entry`.
    pub(crate) fn bytes(&self, entry: u32) -> &[u8] {
        let e = entry as usize;
        let start = if e == 0 { 0 } else { self.ends[e - 1] };
        &self.bytes[start..self.ends[e]]
    }

    fn push_entry(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
        self.ends.push(self.bytes.len());
    }
}

fn bad(what: &str) -> ParquetError {
    ParquetError::General(format!("damaged page: {what}"))
}

/// Reads a column chunk's pages; `None` if a page uses an encoding this reader leaves
/// to the generic one.
pub(crate) fn read(
    pages: &mut dyn PageReader,
    max_def: i16,
    rows: usize,
) -> Result<Option<DictColumn>> {
    let mut column = DictColumn {
        rows: Vec::with_capacity(rows),
        ..DictColumn::default()
    };
    // The entry number of the current dictionary's first value.
    let mut dict = (0usize, 0usize);
    let level_width = bit_width(max_def.max(0) as u32);
    let mut levels = Vec::new();
    let mut values = Vec::new();
    while let Some(page) = pages.get_next_page()? {
        let (buf, count, encoding, levels_data, values_at) = match &page {
            Page::DictionaryPage {
                buf,
                num_values,
                encoding,
                ..
            } => {
                if !matches!(encoding, Encoding::PLAIN | Encoding::PLAIN_DICTIONARY) {
                    return Ok(None);
                }
                let first = column.len();
                read_plain(buf, *num_values as usize, &mut column)?;
                dict = (first, column.len());
                continue;
            }
            Page::DataPage {
                buf,
                num_values,
                encoding,
                def_level_encoding,
                ..
            } => {
                if max_def == 0 {
                    (buf, *num_values as usize, *encoding, None, 0)
                } else {
                    if *def_level_encoding != Encoding::RLE {
                        return Ok(None);
                    }
                    let len = buf
                        .get(..4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                        .ok_or_else(|| bad("no definition levels"))?;
                    let levels = buf.get(4..4 + len).ok_or_else(|| bad("short levels"))?;
                    (buf, *num_values as usize, *encoding, Some(levels), 4 + len)
                }
            }
            Page::DataPageV2 {
                buf,
                num_values,
                encoding,
                def_levels_byte_len,
                rep_levels_byte_len,
                ..
            } => {
                let start = *rep_levels_byte_len as usize;
                let end = start + *def_levels_byte_len as usize;
                let levels = buf.get(start..end).ok_or_else(|| bad("short levels"))?;
                let levels = (max_def > 0).then_some(levels);
                (buf, *num_values as usize, *encoding, levels, end)
            }
        };
        let present = match levels_data {
            Some(data) => {
                levels.clear();
                read_hybrid(data, level_width, count, &mut levels)?;
                levels.iter().filter(|&&l| l == max_def as u32).count()
            }
            None => count,
        };
        let data = buf.get(values_at..).ok_or_else(|| bad("short values"))?;
        values.clear();
        match encoding {
            Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY => {
                let (&width, indices) = data.split_first().ok_or_else(|| bad("no bit width"))?;
                if width > 32 {
                    return Err(bad("bit width over 32"));
                }
                read_hybrid(indices, width, present, &mut values)?;
                let size = (dict.1 - dict.0) as u32;
                for v in &mut values {
                    if *v >= size {
                        return Err(bad("dictionary index out of range"));
                    }
                    *v += dict.0 as u32;
                }
            }
            Encoding::PLAIN => {
                let first = column.len() as u32;
                read_plain(data, present, &mut column)?;
                values.extend(first..first + present as u32);
            }
            _ => return Ok(None),
        }
        let mut next = values.iter();
        match levels_data {
            Some(_) => {
                for &level in &levels {
                    let entry = if level == max_def as u32 {
                        *next.next().ok_or_else(|| bad("too few values"))?
                    } else {
                        NULL
                    };
                    column.rows.push(entry);
                }
            }
            None => column.rows.extend_from_slice(&values),
        }
    }
    if column.rows.len() != rows {
        return Err(bad("row count differs from the row group's"));
    }
    Ok(Some(column))
}

/// The bits needed to write numbers up to `max`.
fn bit_width(max: u32) -> u8 {
    (u32::BITS - max.leading_zeros()) as u8
}

/// Reads `count` plain byte arrays (each a 4-byte little-endian length and its bytes) as entries.
fn read_plain(mut data: &[u8], count: usize, column: &mut DictColumn) -> Result<()> {
    for _ in 0..count {
        let (len, rest) = data.split_at_checked(4).ok_or_else(|| bad("short value"))?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (value, rest) = rest
            .split_at_checked(len)
            .ok_or_else(|| bad("short value"))?;
        column.push_entry(value);
        data = rest;
    }
    Ok(())
}

/// Reads `count` numbers of `width` bits in the RLE / bit-packed hybrid encoding.
fn read_hybrid(mut data: &[u8], width: u8, count: usize, out: &mut Vec<u32>) -> Result<()> {
    let target = out.len() + count;
    let width = width as usize;
    let mask = if width == 32 {
        u32::MAX
    } else {
        (1u32 << width) - 1
    };
    while out.len() < target {
        let mut header = 0u64;
        let mut shift = 0;
        loop {
            let (&byte, rest) = data.split_first().ok_or_else(|| bad("short run"))?;
            data = rest;
            header |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return Err(bad("run header too long"));
            }
        }
        let wanted = target - out.len();
        if header & 1 == 0 {
            // A run of one value.
            let len = ((header >> 1) as usize).min(wanted);
            let bytes = width.div_ceil(8);
            let (value, rest) = data
                .split_at_checked(bytes)
                .ok_or_else(|| bad("short run"))?;
            let mut padded = [0u8; 4];
            padded[..bytes].copy_from_slice(value);
            data = rest;
            out.extend(std::iter::repeat_n(u32::from_le_bytes(padded), len));
        } else {
            // Groups of 8 bit-packed values, least significant bit first.
            let values = (header >> 1) as usize * 8;
            let bytes = values * width / 8;
            let (packed, rest) = match data.split_at_checked(bytes) {
                Some(split) => split,
                // A writer may cut the last run short after the values it holds.
                None => (data, &[][..]),
            };
            data = rest;
            let n = values.min(wanted).min(packed.len() * 8 / width.max(1));
            if width == 0 {
                out.extend(std::iter::repeat_n(0, values.min(wanted)));
                continue;
            }
            for i in 0..n {
                let bit = i * width;
                let at = bit / 8;
                let window = match packed.get(at..at + 8) {
                    Some(bytes) => <[u8; 8]>::try_from(bytes).unwrap_or_default(),
                    None => {
                        let mut window = [0u8; 8];
                        window[..packed.len() - at].copy_from_slice(&packed[at..]);
                        window
                    }
                };
                out.push((u64::from_le_bytes(window) >> (bit % 8)) as u32 & mask);
            }
            if n < values.min(wanted) {
                return Err(bad("short bit-packed run"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::{WriterProperties, WriterVersion};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::{NULL, read, read_hybrid};

    /// Writes one column of `values` (`None`: null) with `props`, reads it back with
    /// [`read`] and checks every row; false if [`read`] leaves the column to the generic reader.
    fn round_trip(optional: bool, values: &[Option<Vec<u8>>], props: WriterProperties) -> bool {
        let file = tempfile::tempfile().unwrap();
        let repetition = if optional { "optional" } else { "required" };
        let schema =
            parse_message_type(&format!("message m {{ {repetition} binary v; }}")).unwrap();
        let mut writer =
            SerializedFileWriter::new(file.try_clone().unwrap(), Arc::new(schema), Arc::new(props))
                .unwrap();
        let mut group = writer.next_row_group().unwrap();
        let mut column = group.next_column().unwrap().unwrap();
        let present: Vec<ByteArray> = values.iter().flatten().map(|v| v.clone().into()).collect();
        let defs: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
        column
            .typed::<ByteArrayType>()
            .write_batch(&present, optional.then_some(&defs[..]), None)
            .unwrap();
        column.close().unwrap();
        group.close().unwrap();
        writer.close().unwrap();

        let reader = SerializedFileReader::new(file).unwrap();
        let group = reader.get_row_group(0).unwrap();
        let mut pages = group.get_column_page_reader(0).unwrap();
        let Some(column) = read(pages.as_mut(), i16::from(optional), values.len()).unwrap() else {
            return false;
        };
        let read_back: Vec<Option<Vec<u8>>> = (0..values.len())
            .map(|row| match column.entry(row) {
                NULL => None,
                entry => Some(column.bytes(entry).to_vec()),
            })
            .collect();
        assert_eq!(read_back, values);
        true
    }

    fn values(rows: usize, nulls: bool) -> Vec<Option<Vec<u8>>> {
        (0..rows)
            .map(|i| match i % 7 {
                3 if nulls => None,
                5 => Some(Vec::new()),
                6 => Some(vec![0xe9, b'x', (i % 3) as u8]),
                _ => Some(format!("value-{}", i * 31 % 500).into_bytes()),
            })
            .collect()
    }

    #[test]
    fn pages_read_as_the_generic_reader_reads_them() {
        let base = || {
            WriterProperties::builder()
                .set_data_page_row_count_limit(300)
                .set_write_batch_size(100)
        };
        for version in [WriterVersion::PARQUET_1_0, WriterVersion::PARQUET_2_0] {
            let v1 = version == WriterVersion::PARQUET_1_0;
            let with = |b: parquet::file::properties::WriterPropertiesBuilder| {
                b.set_writer_version(version).build()
            };
            assert!(round_trip(true, &values(5000, true), with(base())));
            assert!(round_trip(false, &values(5000, false), with(base())));
            assert!(round_trip(true, &vec![None; 1000], with(base())));
            // A dictionary that fills up: later pages are plain (v1) or delta-encoded (v2,
            // left to the generic reader).
            let small = base().set_dictionary_page_size_limit(512);
            assert_eq!(round_trip(true, &values(5000, true), with(small)), v1);
            let none = base().set_dictionary_enabled(false);
            assert_eq!(round_trip(true, &values(3000, true), with(none)), v1);
        }
    }

    #[test]
    fn hybrid_runs_and_packed_groups() {
        // A run of 3 fives (width 3), then one group of 8 packed values 0..8.
        let data = [0b110, 5, 0b11, 0b1000_1000, 0b1100_0110, 0b1111_1010];
        let mut out = Vec::new();
        read_hybrid(&data, 3, 11, &mut out).unwrap();
        assert_eq!(out, [5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn damaged_runs_are_errors() {
        let mut out = Vec::new();
        assert!(read_hybrid(&[0b11], 3, 8, &mut out).is_err());
        assert!(read_hybrid(&[], 3, 1, &mut out).is_err());
    }
}
