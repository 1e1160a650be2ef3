//! Parquet reader: flat (non-repeated) columns, read a row group at a time with the
//! column readers (no Arrow). Strings, integers, floats, booleans, dates and timestamps
//! (millis, micros, nanos, INT96) are understood; repeated columns are skipped.

use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;

use super::columns::{Role, choose};
use super::input::decode;
use super::time::format_utc;
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

/// One column of one row group, read whole.
enum Values {
    Text(Vec<ByteArray>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
}

struct Chunk {
    kind: Kind,
    values: Values,
    defs: Vec<i16>,
    max_def: i16,
    next: usize,
}

/// One value of a row.
enum Cell<'a> {
    Null,
    Text(&'a [u8]),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(i64),
}

impl Chunk {
    /// The value of the next row.
    fn next_cell(&mut self, row: usize) -> Cell<'_> {
        if self.max_def > 0 && self.defs.get(row).is_none_or(|&d| d < self.max_def) {
            return Cell::Null;
        }
        let i = self.next;
        self.next += 1;
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
        next: 0,
    })
}

/// Writes a cell as text (empty for null) and says what type it carries.
fn cell_text(cell: &Cell<'_>, out: &mut String) -> Option<AttributeKind> {
    out.clear();
    Some(match *cell {
        Cell::Null => return None,
        Cell::Text(b) => {
            out.push_str(&decode(b));
            AttributeKind::Text
        }
        Cell::Int(x) => {
            let _ = write!(out, "{x}");
            AttributeKind::Int
        }
        Cell::Float(x) => {
            let _ = write!(out, "{x}");
            AttributeKind::Float
        }
        Cell::Bool(x) => {
            out.push_str(if x { "true" } else { "false" });
            AttributeKind::Bool
        }
        Cell::Time(us) => {
            out.push_str(&format_utc(us));
            AttributeKind::Time
        }
    })
}

fn parquet_error(path: &Path, row: u64, error: parquet::errors::ParquetError) -> ImportError {
    ImportError::Malformed {
        path: path.to_owned(),
        line: row,
        message: format!("cannot read Parquet data: {error}"),
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
    let case = choose(path, &refs, cx.options.case.as_deref(), Role::Case, &[])?;
    let activity = choose(
        path,
        &refs,
        cx.options.activity.as_deref(),
        Role::Activity,
        &[case],
    )?;
    let time = choose(
        path,
        &refs,
        cx.options.time.as_deref(),
        Role::Time,
        &[case, activity],
    )?;
    let attribute_columns: Vec<(usize, usize)> = (0..flat.len())
        .filter(|i| ![case, activity, time].contains(i))
        .map(|i| (i, cx.staging.event_attributes.column(&names[i])))
        .collect();
    let kinds: Vec<Kind> = flat.iter().map(|&i| kind_of(&schema.column(i))).collect();

    let mut row_number = 0u64;
    let mut case_text = String::new();
    let mut activity_text = String::new();
    let mut value_text = String::new();
    let mut read_bytes = 0u64;
    for g in 0..reader.num_row_groups() {
        let group = reader
            .get_row_group(g)
            .map_err(|e| parquet_error(path, row_number + 1, e))?;
        let rows = usize::try_from(group.metadata().num_rows()).unwrap_or(0);
        read_bytes += u64::try_from(group.metadata().compressed_size()).unwrap_or(0);
        let mut chunks = Vec::with_capacity(flat.len());
        for (j, &i) in flat.iter().enumerate() {
            let column = group
                .get_column_reader(i)
                .and_then(|r| read_chunk(r, kinds[j], schema.column(i).max_def_level(), rows))
                .map_err(|e| parquet_error(path, row_number + 1, e))?;
            chunks.push(column);
        }
        for r in 0..rows {
            row_number += 1;
            cx.tick(read_bytes);
            cell_text(&chunks[case].next_cell(r), &mut case_text);
            cell_text(&chunks[activity].next_cell(r), &mut activity_text);
            let ts = match chunks[time].next_cell(r) {
                Cell::Time(us) => Ok(us),
                Cell::Null => Err("no timestamp".to_owned()),
                other => {
                    cell_text(&other, &mut value_text);
                    cx.time.parse(&value_text, true).map_err(|e| e.0)
                }
            };
            // Attribute cells are consumed even for bad rows, to keep every column in step.
            let mut attribute_cells = Vec::with_capacity(attribute_columns.len());
            for &(field, column) in &attribute_columns {
                let kind = cell_text(&chunks[field].next_cell(r), &mut value_text);
                attribute_cells.push((column, kind.map(|k| (k, value_text.clone()))));
            }
            if case_text.is_empty() || activity_text.is_empty() {
                let which = if case_text.is_empty() {
                    &names[case]
                } else {
                    &names[activity]
                };
                cx.bad_row(row_number, format!("column {which:?} is empty or null"))?;
                continue;
            }
            let ts = match ts {
                Ok(ts) => ts,
                Err(e) => {
                    cx.bad_row(row_number, format!("column {:?}: {e}", names[time]))?;
                    continue;
                }
            };
            let event = cx.staging.push(&case_text, &activity_text, ts);
            for (column, cell) in attribute_cells {
                if let Some((kind, text)) = cell {
                    cx.staging
                        .event_attributes
                        .set(column, event, &text, Some(kind));
                }
            }
        }
    }
    Ok(())
}
