//! Reading text and labelled files, with errors that name the file, the line
//! and what is wrong.
//!
//! Labelled files hold one example per row: a text and a set of labels.
//! Three formats are read, chosen by extension or by [`Format`]:
//! - TSV (`.tsv`, `.tab`): a header row, tab-separated fields, no quoting;
//! - CSV (`.csv`): a header row, RFC 4180 quoting;
//! - JSONL (`.jsonl`, `.ndjson`): one object per line, e.g.
//!   `{"text": "...", "labels": ["attack", "casualty"]}`.
//!
//! In TSV and CSV the labels field is comma-separated (`attack,casualty`).
//! In JSONL it may be an array of strings or such a string.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The longest line a labelled file may have (a sentence of a megabyte is
/// fine; a line of a gigabyte is a broken file).
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// A labelled-file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Tab-separated, with a header row.
    Tsv,
    /// Comma-separated with quoting, with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format a file's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tsv" | "tab" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "tsv" => Ok(Format::Tsv),
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            other => Err(format!(
                "unknown format `{other}` (expected tsv, csv or jsonl)"
            )),
        }
    }
}

/// How to read a labelled file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The format; `None` picks it by extension.
    pub format: Option<Format>,
    /// The column (or JSON key) holding the text.
    pub text_column: String,
    /// The column (or JSON key) holding the labels.
    pub label_column: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            text_column: "text".into(),
            label_column: "labels".into(),
        }
    }
}

/// One labelled example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// The text.
    pub text: String,
    /// Its labels, as written (trimmed, in file order, no duplicates).
    pub labels: Vec<String>,
    /// The 1-based line it starts on.
    pub line: usize,
}

/// The examples of one labelled file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its examples, in file order.
    pub examples: Vec<Example>,
}

impl LabelledFile {
    /// An error about line `line` of this file.
    pub fn error_at(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Data {
            path: self.path.clone(),
            line,
            message: message.into(),
        }
    }
}

/// Reads a whole file as UTF-8 text. Invalid UTF-8 is an error naming the
/// file, the line and the byte offset.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text_from_bytes(path, bytes)
}

/// Turns bytes read from `path` into text, or says where they are not UTF-8.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
            offset,
        }
    })
}

/// Reads a labelled file.
///
/// ```no_run
/// use newswire::data::{read_labelled, ReadOptions};
///
/// let file = read_labelled("datasets/europe/train.tsv".as_ref(), &ReadOptions::default())?;
/// println!("{} examples", file.examples.len());
/// # Ok::<(), newswire::Error>(())
/// ```
pub fn read_labelled(path: &Path, options: &ReadOptions) -> Result<LabelledFile> {
    let format = format_of(path, options)?;
    let text = read_text(path)?;
    parse_labelled(path, &text, format, options)
}

/// The format of a labelled file: the one the options name, or the one its
/// extension names.
pub fn format_of(path: &Path, options: &ReadOptions) -> Result<Format> {
    options
        .format
        .or_else(|| Format::from_path(path))
        .ok_or_else(|| Error::Data {
            path: path.to_path_buf(),
            line: 0,
            message: "cannot tell the format from the extension; name it (tsv, csv or jsonl)"
                .into(),
        })
}

/// Parses labelled text already in memory; `path` is used in errors.
pub fn parse_labelled(
    path: &Path,
    text: &str,
    format: Format,
    options: &ReadOptions,
) -> Result<LabelledFile> {
    let file = LabelledFile {
        path: path.to_path_buf(),
        examples: Vec::new(),
    };
    let mut file = match format {
        Format::Tsv => parse_tsv(file, text, options)?,
        Format::Csv => parse_csv(file, text, options)?,
        Format::Jsonl => parse_jsonl(file, text, options)?,
    };
    if file.examples.is_empty() {
        return Err(file.error_at(1, "no examples: the file has no rows after the header"));
    }
    file.examples.shrink_to_fit();
    Ok(file)
}

/// Splits a labels field on commas, trimming, dropping duplicates.
fn split_labels(field: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for label in field.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        if !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    labels
}

/// Checks a row's text and labels and adds it to the file.
fn push_example(
    file: &mut LabelledFile,
    line: usize,
    text: &str,
    labels: Vec<String>,
) -> Result<()> {
    if text.trim().is_empty() {
        return Err(file.error_at(line, "empty text"));
    }
    if labels.is_empty() {
        return Err(file.error_at(
            line,
            "no label (use `other` for a text with none of the labels)",
        ));
    }
    file.examples.push(Example {
        text: text.to_string(),
        labels,
        line,
    });
    Ok(())
}

/// The positions of the text and label columns in a header.
fn find_columns(
    file: &LabelledFile,
    header: &[&str],
    options: &ReadOptions,
) -> Result<(usize, usize)> {
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing = |name: &str| {
        file.error_at(
            1,
            format!(
                "no column `{name}` in the header (found: {})",
                header.join(", ")
            ),
        )
    };
    let text = find(&options.text_column).ok_or_else(|| missing(&options.text_column))?;
    let labels = find(&options.label_column).ok_or_else(|| missing(&options.label_column))?;
    Ok((text, labels))
}

fn check_line_length(file: &LabelledFile, line_no: usize, line: &str) -> Result<()> {
    if line.len() > MAX_LINE_BYTES {
        return Err(file.error_at(
            line_no,
            format!(
                "line is {} bytes, over the limit of {MAX_LINE_BYTES}",
                line.len()
            ),
        ));
    }
    Ok(())
}

fn parse_tsv(mut file: LabelledFile, text: &str, options: &ReadOptions) -> Result<LabelledFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let Some((_, header_line)) = lines.next() else {
        return Err(file.error_at(1, "empty file: expected a header row"));
    };
    let header: Vec<&str> = header_line.split('\t').collect();
    let (text_col, label_col) = find_columns(&file, &header, options)?;
    for (line_no, line) in lines {
        check_line_length(&file, line_no, line)?;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != header.len() {
            return Err(file.error_at(
                line_no,
                format!(
                    "expected {} tab-separated fields as in the header, found {}",
                    header.len(),
                    fields.len()
                ),
            ));
        }
        push_example(
            &mut file,
            line_no,
            fields[text_col],
            split_labels(fields[label_col]),
        )?;
    }
    Ok(file)
}

fn parse_csv(mut file: LabelledFile, text: &str, options: &ReadOptions) -> Result<LabelledFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(file.error_at(1, format!("bad header: {e}"))),
    };
    if header.iter().all(|h| h.is_empty()) {
        return Err(file.error_at(1, "empty file: expected a header row"));
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let (text_col, label_col) = find_columns(&file, &header_refs, options)?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let text = record.get(text_col).unwrap_or("");
                let labels = split_labels(record.get(label_col).unwrap_or(""));
                if text.is_empty() && labels.is_empty() && record.iter().all(str::is_empty) {
                    continue;
                }
                push_example(&mut file, line, text, labels)?;
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(
                    file.error_at(line, format!("malformed CSV row: {}", csv_error_kind(&e)))
                );
            }
        }
    }
    Ok(file)
}

fn csv_error_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        _ => e.to_string(),
    }
}

/// The labels of a JSONL record: an array of strings or a comma-separated string.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonLabels {
    Many(Vec<String>),
    One(String),
}

fn parse_jsonl(mut file: LabelledFile, text: &str, options: &ReadOptions) -> Result<LabelledFile> {
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        check_line_length(&file, line_no, line)?;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| file.error_at(line_no, format!("invalid JSON: {e}")))?;
        let Some(object) = value.as_object() else {
            return Err(file.error_at(line_no, "expected a JSON object"));
        };
        let text = match object.get(&options.text_column) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(file.error_at(
                    line_no,
                    format!("`{}` is not a string", options.text_column),
                ))
            }
            None => return Err(file.error_at(line_no, format!("no key `{}`", options.text_column))),
        };
        let labels = match object.get(&options.label_column) {
            Some(v) => match serde_json::from_value::<JsonLabels>(v.clone()) {
                Ok(JsonLabels::Many(many)) => split_labels(&many.join(",")),
                Ok(JsonLabels::One(one)) => split_labels(&one),
                Err(_) => {
                    return Err(file.error_at(
                        line_no,
                        format!(
                            "`{}` must be a string or an array of strings",
                            options.label_column
                        ),
                    ))
                }
            },
            None => {
                return Err(file.error_at(line_no, format!("no key `{}`", options.label_column)))
            }
        };
        push_example(&mut file, line_no, &text, labels)?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, format: Format) -> Result<LabelledFile> {
        parse_labelled(Path::new("x"), text, format, &ReadOptions::default())
    }

    #[test]
    fn reads_tsv_with_multi_labels() {
        let file = parse(
            "labels\ttext\nattack, casualty\tA strike killed two.\nother\tRain.\n",
            Format::Tsv,
        )
        .unwrap();
        assert_eq!(file.examples.len(), 2);
        assert_eq!(file.examples[0].labels, ["attack", "casualty"]);
        assert_eq!(file.examples[1].line, 3);
    }

    #[test]
    fn tsv_errors_name_the_line() {
        let err = parse("labels\ttext\nother\tfine\nattack\n", Format::Tsv).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x: line 3: expected 2 tab-separated fields as in the header, found 1"
        );
        let err = parse("labels\ttext\n\tno label here\n", Format::Tsv).unwrap_err();
        assert!(matches!(err, Error::Data { line: 2, .. }), "{err}");
        let err = parse("label\ttext\n", Format::Tsv).unwrap_err();
        assert!(err.to_string().contains("no column `labels`"), "{err}");
    }

    #[test]
    fn empty_inputs_are_errors() {
        assert!(parse("", Format::Tsv).is_err());
        assert!(parse("labels\ttext\n", Format::Tsv).is_err());
        assert!(parse("", Format::Jsonl).is_err());
        assert!(parse("", Format::Csv).is_err());
    }

    #[test]
    fn reads_csv_with_quotes_and_other_columns() {
        let options = ReadOptions {
            text_column: "sentence".into(),
            label_column: "y".into(),
            ..ReadOptions::default()
        };
        let csv =
            "id,sentence,y\n1,\"Talks, at last.\",diplomacy\n2,\"He said \"\"no\"\".\",other\n";
        let file = parse_labelled(Path::new("x.csv"), csv, Format::Csv, &options).unwrap();
        assert_eq!(file.examples[0].text, "Talks, at last.");
        assert_eq!(file.examples[1].text, "He said \"no\".");
        assert_eq!(file.examples[1].line, 3);
        let err = parse_labelled(
            Path::new("x.csv"),
            "id,sentence,y\n1,2\n",
            Format::Csv,
            &options,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Data { line: 2, .. }), "{err}");
    }

    #[test]
    fn reads_jsonl_arrays_and_strings() {
        let jsonl = "{\"text\": \"A\", \"labels\": [\"attack\", \"casualty\"]}\n\n{\"text\": \"B\", \"labels\": \"other\"}\n";
        let file = parse(jsonl, Format::Jsonl).unwrap();
        assert_eq!(file.examples[0].labels, ["attack", "casualty"]);
        assert_eq!(file.examples[1].line, 3);
        let err = parse("{\"text\": 3, \"labels\": \"x\"}\n", Format::Jsonl).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = parse("not json\n", Format::Jsonl).unwrap_err();
        assert!(err.to_string().contains("invalid JSON"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let err =
            text_from_bytes(Path::new("bad.txt"), b"ok\nfine\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt: line 3: invalid UTF-8 at byte offset 12"
        );
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.TSV")), Some(Format::Tsv));
        assert_eq!(Format::from_path(Path::new("a.jsonl")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
    }
}
