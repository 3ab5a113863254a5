//! Command-line arguments and dispatch.

mod classify;
mod eval;
mod train;

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Label the sentences of news articles: diplomacy, attack, sanctions,
/// casualty, or other.
#[derive(Debug, Parser)]
#[command(name = "newswire", version, about, long_about = None)]
#[command(after_help = "Examples:
  newswire classify datasets/articles/kyiv-drone-strike.txt
  newswire classify --format jsonl articles/ > labels.jsonl
  newswire train --data datasets/*/train.tsv --out my.nwm
  newswire eval --data datasets/*/dev.tsv --model my.nwm")]
struct Cli {
    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Split articles into sentences and label each sentence.
    Classify(classify::ClassifyArgs),
    /// Train a model from labelled files.
    Train(train::TrainArgs),
    /// Score a model on labelled files (precision, recall, F1), or
    /// cross-validate training settings on them.
    Eval(eval::EvalArgs),
}

/// Parses the arguments and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("could not start the worker threads")?;
    }
    match cli.command {
        Command::Classify(args) => classify::run(args),
        Command::Train(args) => train::run(args),
        Command::Eval(args) => eval::run(args),
    }
}

/// An error and its causes on one line, `: ` between them. A cause whose
/// text the line already holds (a library error that quotes the operating
/// system's message) is not repeated.
pub fn describe(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Whether an error is a closed output pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The classifier in `model`, or the built-in one.
fn load_classifier(model: Option<&Path>) -> anyhow::Result<newswire::Classifier> {
    Ok(match model {
        Some(path) => newswire::Classifier::load(path)?,
        None => newswire::Classifier::builtin()?,
    })
}

/// Options for reading labelled files, shared by `train` and `eval`.
#[derive(Debug, clap::Args)]
struct DataArgs {
    /// Labelled files (TSV, CSV or JSONL, by extension or --input-format).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    data: Vec<PathBuf>,
    /// The column (or JSON key) holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_col: String,
    /// The column (or JSON key) holding the labels (comma-separated).
    #[arg(long, default_value = "labels", value_name = "NAME")]
    label_col: String,
}

impl DataArgs {
    fn read(
        &self,
        format: Option<newswire::data::Format>,
    ) -> anyhow::Result<newswire::TrainingData> {
        let options = newswire::data::ReadOptions {
            format,
            text_column: self.text_col.clone(),
            label_column: self.label_col.clone(),
        };
        Ok(newswire::TrainingData::read(&self.data, &options)?)
    }
}

/// Formats a fraction as a percentage-free score with three decimals.
fn score(x: f64) -> String {
    format!("{x:.3}")
}
