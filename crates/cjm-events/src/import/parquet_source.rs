//! Parquet reader: flat (non-repeated) columns, read a row group at a time with the
//! column readers (no Arrow). Strings, integers, floats, booleans, dates and timestamps
//! (millis, micros, nanos, INT96) are understood; repeated columns are skipped.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};

use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::errors::ParquetError;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;

use super::batch::InternedBatch;
use super::columns::choose_roles;
use super::input::decode;
use super::parquet_dict::{self, DictColumn};
use super::parquet_rows::read_group;
use super::time::{TimeParser, format_utc};
use super::{ImportError, SourceContext};
use crate::store::AttributeKind;

/// How a column's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Float,
    Bool,
    /// Time, with the factor from the stored unit to microseconds (negative: divide).
    Time(i64),
    /// INT96 legacy timestamps.
    Int96,
}

fn kind_of(column: &ColumnDescriptor) -> Kind {
    let logical = column.logical_type_ref();
    match column.physical_type() {
        PhysicalType::BYTE_ARRAY | PhysicalType::FIXED_LEN_BYTE_ARRAY => Kind::Text,
        PhysicalType::BOOLEAN => Kind::Bool,
        PhysicalType::FLOAT | PhysicalType::DOUBLE => Kind::Float,
        PhysicalType::INT96 => Kind::Int96,
        PhysicalType::INT32 => match (logical, column.converted_type()) {
            (Some(LogicalType::Date), _) | (_, ConvertedType::DATE) => Kind::Time(86_400_000_000),
            _ => Kind::Int,
        },
        PhysicalType::INT64 => match (logical, column.converted_type()) {
            (Some(LogicalType::Timestamp(t)), _) => Kind::Time(match t.unit {
                TimeUnit::MILLIS => 1000,
                TimeUnit::MICROS => 1,
                TimeUnit::NANOS => -1000,
            }),
            (_, ConvertedType::TIMESTAMP_MILLIS) => Kind::Time(1000),
            (_, ConvertedType::TIMESTAMP_MICROS) => Kind::Time(1),
            _ => Kind::Int,
        },
    }
}

/// One column of one row group, read whole: dictionary entries, or values.
pub(super) enum Column {
    Dict(DictColumn),
    Cells(Chunk),
}

/// One column of one row group, read whole.
enum Values {
    Text(Vec<ByteArray>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
}

pub(super) struct Chunk {
    kind: Kind,
    values: Values,
    defs: Vec<i16>,
    max_def: i16,
}

/// One value of a row.
pub(super) enum Cell<'a> {
    Null,
    Text(&'a [u8]),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(i64),
}

impl Chunk {
    /// The value of row `row`; `next` is the index of the next non-null value, advanced past it.
    pub(super) fn cell(&self, row: usize, next: &mut usize) -> Cell<'_> {
        if self.max_def > 0 && self.defs.get(row).is_none_or(|&d| d < self.max_def) {
            return Cell::Null;
        }
        let i = *next;
        *next += 1;
        match &self.values {
            Values::Text(v) => v.get(i).map_or(Cell::Null, |b| Cell::Text(b.data())),
            Values::Float(v) => v.get(i).map_or(Cell::Null, |&x| Cell::Float(x)),
            Values::Bool(v) => v.get(i).map_or(Cell::Null, |&x| Cell::Bool(x)),
            Values::Int(v) => v.get(i).map_or(Cell::Null, |&x| match self.kind {
                Kind::Time(f) if f < 0 => Cell::Time(x / -f),
                Kind::Time(f) => Cell::Time(x.saturating_mul(f)),
                Kind::Int96 => Cell::Time(x),
                _ => Cell::Int(x),
            }),
        }
    }
}

fn read_values<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    rows: usize,
    defs: &mut Vec<i16>,
) -> parquet::errors::Result<Vec<T::T>> {
    let mut values = Vec::with_capacity(rows);
    let mut total = 0;
    while total < rows {
        let (records, _, _) = reader.read_records(rows - total, Some(defs), None, &mut values)?;
        if records == 0 {
            break;
        }
        total += records;
    }
    Ok(values)
}

fn read_chunk(
    reader: ColumnReader,
    kind: Kind,
    max_def: i16,
    rows: usize,
) -> parquet::errors::Result<Chunk> {
    let mut defs = Vec::with_capacity(if max_def > 0 { rows } else { 0 });
    let values = match reader {
        ColumnReader::BoolColumnReader(r) => Values::Bool(read_values(r, rows, &mut defs)?),
        ColumnReader::Int32ColumnReader(r) => Values::Int(
            read_values(r, rows, &mut defs)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        ColumnReader::Int64ColumnReader(r) => Values::Int(read_values(r, rows, &mut defs)?),
        ColumnReader::Int96ColumnReader(r) => Values::Int(
            read_values(r, rows, &mut defs)?
                .iter()
                .map(|v| v.to_micros())
                .collect(),
        ),
        ColumnReader::FloatColumnReader(r) => Values::Float(
            read_values(r, rows, &mut defs)?
                .into_iter()
                .map(f64::from)
                .collect(),
        ),
        ColumnReader::DoubleColumnReader(r) => Values::Float(read_values(r, rows, &mut defs)?),
        ColumnReader::ByteArrayColumnReader(r) => Values::Text(read_values(r, rows, &mut defs)?),
        ColumnReader::FixedLenByteArrayColumnReader(r) => Values::Text(
            read_values(r, rows, &mut defs)?
                .into_iter()
                .map(ByteArray::from)
                .collect(),
        ),
    };
    Ok(Chunk {
        kind,
        values,
        defs,
        max_def,
    })
}

/// A cell as text (`None` for null) and the type it carries; `buf` holds the text when
/// it is not borrowed from the cell (numbers, times, Latin-1 bytes).
pub(super) fn cell_str<'a>(
    cell: Cell<'a>,
    buf: &'a mut String,
) -> Option<(&'a str, AttributeKind)> {
    buf.clear();
    let kind = match cell {
        Cell::Null => return None,
        Cell::Text(b) => match decode(b) {
            Cow::Borrowed(s) => return Some((s, AttributeKind::Text)),
            Cow::Owned(s) => {
                *buf = s;
                AttributeKind::Text
            }
        },
        Cell::Int(x) => {
            let _ = write!(buf, "{x}");
            AttributeKind::Int
        }
        Cell::Float(x) => {
            let _ = write!(buf, "{x}");
            AttributeKind::Float
        }
        Cell::Bool(x) => {
            buf.push_str(if x { "true" } else { "false" });
            AttributeKind::Bool
        }
        Cell::Time(us) => {
            buf.push_str(&format_utc(us));
            AttributeKind::Time
        }
    };
    Some((buf.as_str(), kind))
}

fn parquet_error(path: &Path, row: u64, error: parquet::errors::ParquetError) -> ImportError {
    ImportError::Malformed {
        path: path.to_owned(),
        line: row,
        message: format!("cannot read Parquet data: {error}"),
    }
}

/// A cell as text that may borrow from its row group (case ids, kept until interned).
pub(super) fn cell_cow<'a>(cell: Cell<'a>, buf: &mut String) -> Option<Cow<'a, str>> {
    match cell {
        Cell::Text(b) => Some(decode(b)),
        other => cell_str(other, buf).map(|(s, _)| Cow::Owned(s.to_owned())),
    }
}

/// Reads a Parquet source into the context's staging log.
pub(crate) fn read(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let path = cx.path;
    let file = File::open(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    if file.metadata().map(|m| m.len() == 0).unwrap_or(false) {
        return Err(ImportError::Empty(path.to_owned()));
    }
    let reader = SerializedFileReader::new(file).map_err(|e| parquet_error(path, 0, e))?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let flat: Vec<usize> = (0..schema.num_columns())
        .filter(|&i| schema.column(i).max_rep_level() == 0)
        .collect();
    let names: Vec<String> = flat
        .iter()
        .map(|&i| schema.column(i).path().string())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let roles = choose_roles(path, &refs, cx.options)?;
    let attributes: Vec<(usize, usize)> = (0..flat.len())
        .filter(|i| !roles.contains(i))
        .map(|i| (i, cx.staging.event_attributes.column(&names[i])))
        .collect();
    let kinds: Vec<Kind> = flat.iter().map(|&i| kind_of(&schema.column(i))).collect();
    let max_defs: Vec<i16> = flat
        .iter()
        .map(|&i| schema.column(i).max_def_level())
        .collect();
    let dictionaries: Vec<bool> = flat
        .iter()
        .map(|&i| schema.column(i).physical_type() == PhysicalType::BYTE_ARRAY)
        .collect();
    let layout = Layout {
        flat: &flat,
        kinds: &kinds,
        max_defs: &max_defs,
        dictionaries: &dictionaries,
        names: &names,
        roles,
        attributes: &attributes,
        time: cx.time,
    };
    let groups = reader.num_row_groups();
    let rows = usize::try_from(reader.metadata().file_metadata().num_rows()).unwrap_or(0);
    cx.staging.expected = cx.staging.len() + rows;
    let SourceContext {
        options,
        staging,
        bad,
        rows: rows_read,
        ..
    } = cx;
    staging.with_shared_cases(|cases, staging| {
        std::thread::scope(|scope| {
            // Row groups are decoded and read into blocks of events ahead on two threads
            // (group g on lane g % 2), which also intern their case ids; this thread appends
            // the blocks to the staging log in file order.
            let lanes: Vec<Receiver<Block>> = (0..DECODE_LANES)
                .map(|lane| {
                    let (sender, receiver) = mpsc::sync_channel(1);
                    let layout = &layout;
                    scope.spawn(move || {
                        // Each lane reads through its own file handle: clones of one handle
                        // share the file position.
                        let reader = File::open(path)
                            .map_err(|e| ParquetError::External(Box::new(e)))
                            .and_then(SerializedFileReader::new);
                        for g in (lane..groups).step_by(DECODE_LANES) {
                            let block = match &reader {
                                Ok(reader) => decode_group(reader, g, layout).map(
                                    |(chunks, rows, compressed)| {
                                        (read_group(&chunks, rows, layout, cases), rows, compressed)
                                    },
                                ),
                                Err(e) => Err(ParquetError::General(e.to_string())),
                            };
                            if sender.send(block).is_err() {
                                return;
                            }
                        }
                    });
                    receiver
                })
                .collect();
            let mut read_bytes = 0u64;
            for g in 0..groups {
                let before = *rows_read;
                let block = lanes[g % DECODE_LANES]
                    .recv()
                    .map_err(|_| malformed(path, before + 1, "a decoding thread stopped"))?;
                let (mut block, rows, compressed) =
                    block.map_err(|e| parquet_error(path, before + 1, e))?;
                for (row, reason) in std::mem::take(&mut block.bad) {
                    bad.record(path, before + row as u64 + 1, reason)?;
                }
                staging.append(block);
                read_bytes += compressed;
                *rows_read += rows as u64;
                if let Some(p) = &options.progress {
                    p.advance(*rows_read, read_bytes);
                }
            }
            Ok(())
        })
    })
}

/// Decoding threads beside the one that stages rows.
const DECODE_LANES: usize = 2;

/// The flat columns to read, how to read them, and what each is for.
pub(super) struct Layout<'a> {
    flat: &'a [usize],
    kinds: &'a [Kind],
    max_defs: &'a [i16],
    /// Whether each column is text that may be read as dictionary entries.
    dictionaries: &'a [bool],
    pub(super) names: &'a [String],
    /// The case, activity and time columns.
    pub(super) roles: [usize; 3],
    /// The attribute columns, each with its column in the staging log.
    pub(super) attributes: &'a [(usize, usize)],
    pub(super) time: &'a TimeParser,
}

/// A row group read into events: the block, its row count and compressed size; or why not.
type Block = parquet::errors::Result<(InternedBatch, usize, u64)>;

fn decode_group(reader: &SerializedFileReader<File>, g: usize, layout: &Layout<'_>) -> Decoded {
    let group = reader.get_row_group(g)?;
    let rows = usize::try_from(group.metadata().num_rows()).unwrap_or(0);
    let compressed = u64::try_from(group.metadata().compressed_size()).unwrap_or(0);
    let columns = layout
        .flat
        .iter()
        .enumerate()
        .map(|(j, &i)| {
            if layout.dictionaries[j] {
                let mut pages = group.get_column_page_reader(i)?;
                if let Some(column) = parquet_dict::read(pages.as_mut(), layout.max_defs[j], rows)?
                {
                    return Ok(Column::Dict(column));
                }
            }
            let reader = group.get_column_reader(i)?;
            read_chunk(reader, layout.kinds[j], layout.max_defs[j], rows).map(Column::Cells)
        })
        .collect::<parquet::errors::Result<Vec<Column>>>()?;
    Ok((columns, rows, compressed))
}

/// A decoded row group: its columns, row count and compressed size; or why it failed.
type Decoded = parquet::errors::Result<(Vec<Column>, usize, u64)>;

fn malformed(path: &Path, row: u64, message: &str) -> ImportError {
    ImportError::Malformed {
        path: path.to_owned(),
        line: row,
        message: message.to_owned(),
    }
}
