//! `newswire eval`.

use super::{load_classifier, score, DataArgs};
use newswire::data::Format;
use newswire::{mistakes_in, ClassifyOptions, Evaluation, Mistake, Mode, TrainParams, Trainer};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Score a model on labelled files: precision, recall, F1 and support per
/// label, micro and macro averages, accuracy, and for single-label data a
/// confusion table. With --cv K, cross-validate the default training
/// settings on the files instead.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newswire eval --data datasets/*/dev.tsv
  newswire eval --data test.tsv --model ng.nwm --text-col text --label-col label --format json
  newswire eval --data datasets/*/train.tsv --cv 5
  newswire eval --data datasets/*/train.tsv --cv 5 --mistakes   (labels to re-check)
  newswire eval --data ../shared/eval/real_dev.tsv --mistakes")]
pub struct EvalArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The model (default: the built-in one).
    #[arg(long, value_name = "MODEL", conflicts_with = "cv")]
    model: Option<PathBuf>,
    /// Output: text or json.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
    /// Input format (default: by extension).
    #[arg(long, value_name = "tsv|csv|jsonl")]
    input_format: Option<Format>,
    /// One probability threshold for all labels instead of the tuned ones.
    #[arg(long, value_name = "X")]
    threshold: Option<f32>,
    /// Cross-validate the default training settings with K folds instead
    /// of scoring a saved model.
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// With --cv: auto, multi-label or multi-class.
    #[arg(long, default_value = "auto", requires = "cv")]
    mode: Mode,
    /// Also list every example the model labelled wrongly (file, line,
    /// expected and predicted labels, scores, text); in JSON, under the key
    /// `mistakes`. With --cv: the examples that the model of the folds
    /// leaving them out labelled otherwise, a list of labels to re-check.
    #[arg(long)]
    mistakes: bool,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let data = args.data.read(args.input_format)?;
    let (evaluation, mistakes) = match args.cv {
        Some(folds) => {
            if folds < 2 {
                anyhow::bail!("--cv needs at least 2 folds, got {folds}");
            }
            let params = TrainParams {
                folds,
                mode: args.mode,
                ..TrainParams::default()
            };
            let (classifier, report) = Trainer::new(params)?.train(&data)?;
            let mistakes =
                mistakes_in(report.kind, classifier.labels(), &data, &report.out_of_fold);
            let evaluation = report
                .cross_validation
                .ok_or_else(|| anyhow::anyhow!("too few examples for {folds} folds"))?;
            (evaluation, mistakes)
        }
        None => {
            let classifier = load_classifier(args.model.as_deref())?;
            let options = ClassifyOptions {
                threshold: args.threshold,
                explain: 0,
            };
            newswire::evaluate_with_mistakes(&classifier, &data, options)?
        }
    };
    let mut out = std::io::stdout().lock();
    if args.format == "json" {
        let mut value = serde_json::to_value(&evaluation)?;
        if let (true, Some(object)) = (args.mistakes, value.as_object_mut()) {
            object.insert("mistakes".into(), serde_json::to_value(&mistakes)?);
        }
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        print_evaluation(&mut out, &evaluation)?;
        if args.mistakes {
            print_mistakes(&mut out, &mistakes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints each mistake as a line with its place and labels, then its text.
fn print_mistakes(out: &mut impl Write, mistakes: &[Mistake]) -> std::io::Result<()> {
    writeln!(out, "\nmistakes ({}):", mistakes.len())?;
    for m in mistakes {
        let predicted: Vec<String> = m
            .predicted
            .iter()
            .map(|label| match m.scores.get(label) {
                Some(p) => format!("{label} {p:.2}"),
                None => label.clone(),
            })
            .collect();
        writeln!(
            out,
            "{}:{}  expected {}  predicted {}",
            m.file,
            m.line,
            m.expected.join(","),
            predicted.join(", ")
        )?;
        writeln!(out, "    {}", m.text)?;
    }
    Ok(())
}

/// Prints scores as a table readable in 80 columns.
pub fn print_evaluation(out: &mut impl Write, e: &Evaluation) -> std::io::Result<()> {
    let width = e
        .per_label
        .keys()
        .map(|l| l.len())
        .max()
        .unwrap_or(5)
        .clamp(11, 30);
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>6}  {:>6}  {:>7}",
        "label", "precision", "recall", "f1", "support"
    )?;
    for (label, s) in &e.per_label {
        writeln!(
            out,
            "{:<width$}  {:>9}  {:>6}  {:>6}  {:>7}",
            label,
            score(s.precision),
            score(s.recall),
            score(s.f1),
            s.support
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{:<width$}  {:>6}", "macro f1", score(e.macro_f1))?;
    writeln!(out, "{:<width$}  {:>6}", "micro f1", score(e.micro_f1))?;
    let accuracy_name = if e.confusion.is_some() {
        "accuracy"
    } else {
        "exact match"
    };
    writeln!(out, "{:<width$}  {:>6}", accuracy_name, score(e.accuracy))?;
    writeln!(out, "{:<width$}  {:>6}", "examples", e.examples)?;
    if let Some(confusion) = &e.confusion {
        let labels: Vec<&String> = e.per_label.keys().collect();
        writeln!(
            out,
            "\nconfusion (rows: truth, columns: predicted, by number):"
        )?;
        for (i, label) in labels.iter().enumerate() {
            writeln!(out, "  {i:>2} {label}")?;
        }
        write!(out, "   ")?;
        for i in 0..labels.len() {
            write!(out, "{i:>5}")?;
        }
        writeln!(out)?;
        for (i, truth) in labels.iter().enumerate() {
            write!(out, "{i:>3}")?;
            for predicted in &labels {
                let n = confusion
                    .get(*truth)
                    .and_then(|r| r.get(*predicted))
                    .copied()
                    .unwrap_or(0);
                write!(out, "{n:>5}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
