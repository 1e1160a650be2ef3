//! Opening a source: format by name, transparent gzip, byte counting for progress,
//! and a guard against absurdly long lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;

use flate2::read::MultiGzDecoder;
use serde::Serialize;

use super::ImportError;

/// The longest line a CSV or JSON Lines source may have unless
/// [`super::ImportOptions::max_line_bytes`] says otherwise.
pub const MAX_LINE_BYTES: u64 = 256 << 20;

/// A source file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Delimited text (`,`, `;` or tab, sniffed), UTF-8 or Latin-1.
    Csv,
    /// One JSON object per line (Segment/RudderStack events or flat objects).
    Jsonl,
    /// Apache Parquet.
    Parquet,
    /// IEEE XES (XML).
    Xes,
}

impl SourceFormat {
    /// Parses a `--format` value.
    pub fn from_name(name: &str) -> Option<SourceFormat> {
        Some(match name.to_ascii_lowercase().as_str() {
            "csv" | "tsv" => SourceFormat::Csv,
            "jsonl" | "ndjson" | "json" => SourceFormat::Jsonl,
            "parquet" => SourceFormat::Parquet,
            "xes" => SourceFormat::Xes,
            _ => return None,
        })
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Csv => "csv",
            SourceFormat::Jsonl => "jsonl",
            SourceFormat::Parquet => "parquet",
            SourceFormat::Xes => "xes",
        }
    }

    /// The format told by the file name's extension (a trailing `.gz` is looked through).
    pub fn from_path(path: &Path) -> Result<SourceFormat, ImportError> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        match ext {
            "csv" | "tsv" | "txt" => Some(SourceFormat::Csv),
            "pq" => Some(SourceFormat::Parquet),
            other => SourceFormat::from_name(other),
        }
        .ok_or_else(|| ImportError::UnknownFormat(path.to_owned()))
    }
}

/// Bytes read from the file on disk so far (compressed bytes for gzip).
#[derive(Debug, Clone, Default)]
pub(crate) struct ByteCount(Arc<AtomicU64>);

impl ByteCount {
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counting<R> {
    inner: R,
    count: ByteCount,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens `path` for streaming, decompressing gzip (recognised by its magic bytes).
pub(crate) fn open(path: &Path) -> Result<(Box<dyn BufRead + Send>, ByteCount), ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let count = ByteCount::default();
    let mut raw = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: file,
            count: count.clone(),
        },
    );
    let head = raw.fill_buf().map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let reader: Box<dyn BufRead + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(Inflated::spawn(MultiGzDecoder::new(raw)))
    } else {
        Box::new(BufReader::with_capacity(1 << 18, raw))
    };
    Ok((reader, count))
}

/// Decompressed bytes, inflated on a thread of their own a few chunks ahead of the reader
/// (so that decompression and parsing use both cores).
struct Inflated {
    chunks: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    consumed: usize,
    /// The inflating thread, joined when the reader is dropped.
    thread: Option<JoinHandle<()>>,
}

impl Inflated {
    const CHUNK: usize = 1 << 18;

    fn spawn(mut inner: impl Read + Send + 'static) -> Inflated {
        let (sender, chunks) = mpsc::sync_channel(4);
        let thread = std::thread::spawn(move || {
            loop {
                let mut chunk = vec![0u8; Self::CHUNK];
                let mut filled = 0;
                let result = loop {
                    match inner.read(&mut chunk[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == chunk.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                chunk.truncate(filled);
                let more = filled == Self::CHUNK;
                // A closed channel means the reader is gone: stop.
                if filled > 0 && sender.send(Ok(chunk)).is_err() {
                    return;
                }
                if let Err(e) = result {
                    let _ = sender.send(Err(e));
                    return;
                }
                if !more {
                    return;
                }
            }
        });
        Inflated {
            chunks,
            chunk: Vec::new(),
            consumed: 0,
            thread: Some(thread),
        }
    }
}

impl Drop for Inflated {
    fn drop(&mut self) {
        // Closing the channel stops the thread at its next chunk; then it is waited for,
        // so that no thread outlives the import that read the file.
        drop(std::mem::replace(&mut self.chunks, mpsc::sync_channel(0).1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Read for Inflated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Inflated {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed == self.chunk.len() {
            // The inflating thread has ended (end of data) when the channel is closed.
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.consumed = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.chunk[self.consumed..])
    }

    fn consume(&mut self, amount: usize) {
        self.consumed = (self.consumed + amount).min(self.chunk.len());
    }
}

/// Fails a read when more than `limit` bytes pass without a newline.
pub(crate) struct LineGuard<R> {
    inner: R,
    since_newline: u64,
    limit: u64,
}

impl<R> LineGuard<R> {
    pub(crate) fn new(inner: R, limit: Option<u64>) -> Self {
        LineGuard {
            inner,
            since_newline: 0,
            limit: limit.unwrap_or(MAX_LINE_BYTES),
        }
    }
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.since_newline + n as u64 <= self.limit {
            // No line in this chunk can pass the limit: only track the tail.
            match buf[..n].iter().rposition(|&c| c == b'\n') {
                Some(last) => self.since_newline = (n - last - 1) as u64,
                None => self.since_newline += n as u64,
            }
            return Ok(n);
        }
        let mut longest = 0;
        for (i, segment) in buf[..n].split(|&c| c == b'\n').enumerate() {
            if i == 0 {
                self.since_newline += segment.len() as u64;
            } else {
                longest = longest.max(self.since_newline);
                self.since_newline = segment.len() as u64;
            }
        }
        longest = longest.max(self.since_newline);
        if longest > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a line is longer than {} bytes, the limit", self.limit),
            ));
        }
        Ok(n)
    }
}

/// Describes a read error, naming gzip damage as such.
pub(crate) fn read_error(path: &Path, line: u64, error: &io::Error) -> ImportError {
    let hint = match error.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::UnexpectedEof => {
            " (the file looks truncated or its gzip data is damaged)"
        }
        _ => "",
    };
    ImportError::Malformed {
        path: path.to_owned(),
        line,
        message: format!("cannot read past this line: {error}{hint}"),
    }
}

/// Decodes a field: UTF-8, or Latin-1 where the bytes are not valid UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}
