//! CSV reader: sniffed delimiter (`,` `;` tab), quoted fields, UTF-8 or Latin-1, gzip.

use std::io::BufRead;

use super::columns::choose_roles;
use super::input::{LineGuard, decode, open, read_error};
use super::{ImportError, SourceContext};

/// The delimiter that occurs most often, outside quotes, in the first line of `head`.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &c in head {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Reads a CSV source into the context's staging log.
pub(crate) fn read(cx: &mut SourceContext<'_>) -> Result<(), ImportError> {
    let path = cx.path;
    let (mut reader, bytes) = open(path)?;
    let head = reader.fill_buf().map_err(|e| read_error(path, 1, &e))?;
    if head.is_empty() {
        return Err(ImportError::Empty(path.to_owned()));
    }
    let delimiter = sniff_delimiter(head);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(LineGuard::new(reader, cx.options.max_line_bytes));
    let header = csv
        .byte_headers()
        .map_err(|e| csv_error(path, 1, e))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = decode(h);
            let name = if i == 0 {
                name.trim_start_matches('\u{feff}')
            } else {
                &name
            };
            name.trim().to_owned()
        })
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let [case, activity, time] = choose_roles(path, &name_refs, cx.options)?;
    let attributes: Vec<(usize, usize)> = (0..names.len())
        .filter(|i| ![case, activity, time].contains(i) && !names[*i].is_empty())
        .map(|i| (i, cx.staging.event_attributes.column(&names[i])))
        .collect();

    let mut record = csv::ByteRecord::new();
    let mut line = 1;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, line + 1, e)),
        }
        line = record.position().map_or(line + 1, |p| p.line());
        cx.tick(bytes.get());
        if record.len() != header.len() {
            if record.len() == 1 && record[0].is_empty() {
                continue;
            }
            cx.bad_row(
                line,
                format!("expected {} fields, found {}", header.len(), record.len()),
            )?;
            continue;
        }
        let case_id = decode(&record[case]);
        if case_id.is_empty() {
            cx.bad_row(line, format!("empty case id in column {:?}", names[case]))?;
            continue;
        }
        let activity_name = decode(&record[activity]);
        if activity_name.is_empty() {
            cx.bad_row(
                line,
                format!("empty activity in column {:?}", names[activity]),
            )?;
            continue;
        }
        let ts = match cx.time.parse(&decode(&record[time]), true) {
            Ok(ts) => ts,
            Err(e) => {
                cx.bad_row(line, format!("column {:?}: {e}", names[time]))?;
                continue;
            }
        };
        let row = cx.staging.push(&case_id, &activity_name, ts);
        for &(field, column) in &attributes {
            let value = &record[field];
            if !value.is_empty() {
                cx.staging
                    .event_attributes
                    .set(column, row, &decode(value), None);
            }
        }
    }
    Ok(())
}

fn csv_error(path: &std::path::Path, line: u64, error: csv::Error) -> ImportError {
    let line = error.position().map_or(line, |p| p.line());
    match error.into_kind() {
        csv::ErrorKind::Io(e) => read_error(path, line, &e),
        other => ImportError::Malformed {
            path: path.to_owned(),
            line,
            message: format!("{other:?}"),
        },
    }
}
