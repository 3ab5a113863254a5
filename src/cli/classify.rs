//! `newswire classify`.

use super::load_classifier;
use anyhow::Context;
use newswire::{ArticleReport, Classifier, ClassifyOptions, PredictScratch, SentenceReport};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Split articles into sentences and label each one.
///
/// Reads plain-text files, every .txt file under a directory, or standard
/// input (-). Without --model, uses the built-in model.
#[derive(Debug, clap::Args)]
#[command(after_help = "Output formats:
  table  one row per sentence (index, labels, highest probability, text
         wrapped to fit 80 columns), then a count of sentences by label
  json   one JSON array of articles with their sentences
  jsonl  one JSON object per sentence with the keys file, sentence_index,
         start, end (byte offsets into the file), text, labels, scores
  tsv    a header row, then one row per sentence

Examples:
  newswire classify datasets/articles/kyiv-drone-strike.txt
  newswire classify --format jsonl --explain 3 articles/ > labels.jsonl
  curl -s https://example.org/story.txt | newswire classify -")]
pub struct ClassifyArgs {
    /// Files, directories (every .txt file inside) or - for standard input
    /// (the default when standard input is a pipe).
    #[arg(value_name = "FILE|DIR|-")]
    inputs: Vec<PathBuf>,
    /// The model (default: the built-in one).
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// table, json, jsonl or tsv.
    #[arg(long, default_value = "table", value_parser = ["table", "json", "jsonl", "tsv"])]
    format: String,
    /// One probability threshold for all labels instead of the tuned ones.
    #[arg(long, value_name = "X", value_parser = parse_probability)]
    threshold: Option<f32>,
    /// Show the N features that pushed each label most.
    #[arg(long, value_name = "N", default_value_t = 0)]
    explain: usize,
}

fn parse_probability(s: &str) -> Result<f32, String> {
    let x: f32 = s
        .parse()
        .map_err(|_| format!("expected a number between 0 and 1, got `{s}`"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("expected a number between 0 and 1, got {x}"))
    }
}

/// One input: its name in the output and where to read it.
struct Input {
    name: String,
    path: Option<PathBuf>,
}

/// Expands directories into their .txt files, sorted.
fn collect_inputs(inputs: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            out.push(Input {
                name: "-".into(),
                path: None,
            });
        } else if input.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files)
                .with_context(|| format!("reading directory {}", input.display()))?;
            files.sort();
            if files.is_empty() {
                anyhow::bail!("{}: no .txt files in this directory", input.display());
            }
            out.extend(files.into_iter().map(|p| Input {
                name: p.display().to_string(),
                path: Some(p),
            }));
        } else {
            out.push(Input {
                name: input.display().to_string(),
                path: Some(input.clone()),
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads one input as UTF-8 text.
fn read_input(input: &Input) -> anyhow::Result<String> {
    match &input.path {
        Some(path) => Ok(newswire::data::read_text(path)?),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .context("reading standard input")?;
            Ok(newswire::data::text_from_bytes(
                Path::new("<stdin>"),
                bytes,
            )?)
        }
    }
}

/// Classifies an article, keeping byte offsets into the file when it starts
/// with a byte-order mark.
fn classify_text(
    classifier: &Classifier,
    text: &str,
    options: ClassifyOptions,
    scratch: &mut PredictScratch,
) -> ArticleReport {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut report = classifier.classify_article_with(&text[bom..], options, scratch);
    for s in &mut report.sentences {
        s.start += bom;
        s.end += bom;
    }
    report
}

pub fn run(args: ClassifyArgs) -> anyhow::Result<ExitCode> {
    let mut paths = args.inputs.clone();
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            anyhow::bail!("no input: give files, directories, or - to read standard input (see newswire classify --help)");
        }
        paths.push(PathBuf::from("-"));
    }
    let classifier = load_classifier(args.model.as_deref())?;
    let inputs = collect_inputs(&paths)?;
    let options = ClassifyOptions {
        threshold: args.threshold,
        explain: args.explain,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut printer = Printer::new(&args.format, classifier.labels());
    printer.begin(&mut out)?;
    // Files are read and classified in parallel, a batch at a time, and
    // printed in order.
    for batch in inputs.chunks(64) {
        let results: Vec<anyhow::Result<ArticleReport>> = batch
            .par_iter()
            .map_init(PredictScratch::default, |scratch, input| {
                let text = read_input(input)?;
                let report = classify_text(&classifier, &text, options, scratch);
                if report.sentences.is_empty() {
                    anyhow::bail!(
                        "{}: no sentences: the article is empty or blank",
                        input.name
                    );
                }
                Ok(report)
            })
            .collect();
        for (input, result) in batch.iter().zip(results) {
            printer.article(&mut out, &input.name, &result?)?;
        }
    }
    printer.end(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes articles in one of the output formats.
struct Printer<'a> {
    format: &'a str,
    labels: &'a [String],
    articles: usize,
}

/// One line of `--format jsonl`.
#[derive(Serialize)]
struct JsonlRow<'a> {
    file: &'a str,
    sentence_index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    labels: &'a [String],
    scores: &'a BTreeMap<String, f32>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    explanation: &'a BTreeMap<String, Vec<newswire::Contribution>>,
}

impl<'a> JsonlRow<'a> {
    fn new(file: &'a str, s: &'a SentenceReport) -> Self {
        JsonlRow {
            file,
            sentence_index: s.sentence_index,
            start: s.start,
            end: s.end,
            text: &s.text,
            labels: &s.prediction.labels,
            scores: &s.prediction.scores,
            explanation: &s.prediction.explanation,
        }
    }
}

/// One article of `--format json`.
#[derive(Serialize)]
struct JsonArticle<'a> {
    file: &'a str,
    counts: BTreeMap<String, usize>,
    sentences: Vec<JsonlRow<'a>>,
}

const WIDTH: usize = 80;

impl<'a> Printer<'a> {
    fn new(format: &'a str, labels: &'a [String]) -> Self {
        Printer {
            format,
            labels,
            articles: 0,
        }
    }

    fn begin(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            "json" => writeln!(out, "["),
            "tsv" => {
                write!(out, "file\tsentence_index\tstart\tend\tlabels")?;
                for label in self.labels {
                    write!(out, "\tp_{label}")?;
                }
                writeln!(out, "\ttext")
            }
            _ => Ok(()),
        }
    }

    fn article(
        &mut self,
        out: &mut impl Write,
        name: &str,
        report: &ArticleReport,
    ) -> anyhow::Result<()> {
        match self.format {
            "jsonl" => {
                for s in &report.sentences {
                    serde_json::to_writer(&mut *out, &JsonlRow::new(name, s))?;
                    writeln!(out)?;
                }
            }
            "json" => {
                if self.articles > 0 {
                    writeln!(out, ",")?;
                }
                let article = JsonArticle {
                    file: name,
                    counts: report.counts(),
                    sentences: report
                        .sentences
                        .iter()
                        .map(|s| JsonlRow::new(name, s))
                        .collect(),
                };
                serde_json::to_writer_pretty(&mut *out, &article)?;
            }
            "tsv" => {
                for s in &report.sentences {
                    write!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        clean(name),
                        s.sentence_index,
                        s.start,
                        s.end,
                        s.prediction.labels.join(",")
                    )?;
                    for label in self.labels {
                        write!(
                            out,
                            "\t{:.4}",
                            s.prediction.scores.get(label).copied().unwrap_or(0.0)
                        )?;
                    }
                    writeln!(out, "\t{}", clean(&s.text))?;
                }
            }
            _ => self.table(out, name, report)?,
        }
        self.articles += 1;
        Ok(())
    }

    fn table(
        &self,
        out: &mut impl Write,
        name: &str,
        report: &ArticleReport,
    ) -> std::io::Result<()> {
        if self.articles > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{name}")?;
        let label_width = report
            .sentences
            .iter()
            .map(|s| s.prediction.labels.join(",").len())
            .max()
            .unwrap_or(5)
            .clamp(6, 26);
        writeln!(
            out,
            "{:>4}  {:<label_width$}  {:>4}  sentence",
            "#", "labels", "p"
        )?;
        let indent = 4 + 2 + label_width + 2 + 4 + 2;
        let text_width = WIDTH.saturating_sub(indent).max(20);
        for s in &report.sentences {
            let top = s.prediction.scores.values().copied().fold(0.0f32, f32::max);
            let lines = wrap(&s.text, text_width);
            writeln!(
                out,
                "{:>4}  {:<label_width$}  {:>4.2}  {}",
                s.sentence_index,
                s.prediction.labels.join(","),
                top,
                lines.first().map_or("", String::as_str)
            )?;
            for line in lines.iter().skip(1) {
                writeln!(out, "{:indent$}{line}", "")?;
            }
            for (label, contributions) in &s.prediction.explanation {
                if contributions.is_empty() {
                    continue;
                }
                let features: Vec<String> = contributions
                    .iter()
                    .map(|c| format!("{} {:+.2}", c.feature, c.weight))
                    .collect();
                writeln!(
                    out,
                    "{:>6}{label}: {}",
                    "",
                    shorten(&features.join(", "), WIDTH - 8 - label.len())
                )?;
            }
        }
        let counts = report.counts();
        let parts: Vec<String> = counts.iter().map(|(l, n)| format!("{n} {l}")).collect();
        writeln!(
            out,
            "{} sentences: {}",
            report.sentences.len(),
            parts.join(", ")
        )
    }

    fn end(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        if self.format == "json" {
            if self.articles > 0 {
                writeln!(out)?;
            }
            writeln!(out, "]")?;
        }
        Ok(())
    }
}

/// Text on one line, for tables and TSV.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` on lines of at most `width` characters, broken at spaces (a word
/// longer than a line is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in clean(text).split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            lines.push(word[..width].iter().collect());
            word.drain(..width);
        }
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.extend(word.iter());
        len += word.len();
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` on one line, cut to `width` characters with an ellipsis.
fn shorten(text: &str, width: usize) -> String {
    let text = clean(text);
    if text.chars().count() <= width {
        return text;
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("Київ was struck again", 8), "Київ wa\u{2026}");
        assert_eq!(shorten("a\tb\nc", 10), "a b c");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn probabilities_are_checked() {
        assert!(parse_probability("0.4").is_ok());
        assert!(parse_probability("1.5").is_err());
        assert!(parse_probability("x").is_err());
    }
}
