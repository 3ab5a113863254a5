//! `newswire train`.

use super::{eval::print_evaluation, DataArgs};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newswire::data::Format;
use newswire::{
    ClassWeight, Hyphens, Mode, Numbers, Stemming, StopWords, TrainParams, TrainStage, Trainer,
};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Train a model from labelled files and save it.
///
/// Multi-label data (some rows with two or more labels, `other` for none)
/// trains one logistic regression per label with thresholds tuned by
/// cross-validation; single-label data trains a multinomial model.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newswire train --data datasets/*/train.tsv --out models/my.nwm
  newswire train --data news.csv --text-col sentence --label-col type --out news.nwm
  newswire train --data train.tsv --out ng.nwm --mode multi-class --folds 0 --alpha 0.0001")]
pub struct TrainArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the model.
    #[arg(long, value_name = "MODEL")]
    out: PathBuf,
    /// Input format (default: by extension).
    #[arg(long, alias = "input-format", value_name = "tsv|csv|jsonl")]
    format: Option<Format>,
    /// Word n-grams of order 1 up to N (1 to 3); "1..2" is accepted too.
    #[arg(long, default_value = "2", value_name = "N", value_parser = parse_ngrams)]
    ngrams: usize,
    /// Keep features found in at least N training texts.
    #[arg(long, default_value_t = 2, value_name = "N")]
    min_df: usize,
    /// Drop features found in more than this fraction of texts.
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    max_df: f64,
    /// Keep at most N features, the most frequent.
    #[arg(long, value_name = "N")]
    max_features: Option<usize>,
    /// L2 penalty; smaller fits the training data more closely.
    #[arg(long, default_value_t = 0.1, value_name = "X", conflicts_with = "c")]
    alpha: f64,
    /// Inverse penalty as in scikit-learn (alpha = 1 / C).
    #[arg(long = "c", value_name = "C")]
    c: Option<f64>,
    /// Cross-validation folds to tune thresholds and report scores (0 skips).
    #[arg(long, default_value_t = 5, value_name = "K")]
    folds: usize,
    /// Multi-label: run cross-validation N times, with other folds each
    /// time, and tune the thresholds on all runs together.
    #[arg(long, default_value_t = 5, value_name = "N")]
    cv_repeats: usize,
    /// auto, multi-label or multi-class.
    #[arg(long, default_value = "auto")]
    mode: Mode,
    /// none, or balanced (each class weighs the same in the loss).
    #[arg(long, default_value = "none")]
    class_weight: ClassWeight,
    /// Most solver iterations per model.
    #[arg(long, default_value_t = 300, value_name = "N")]
    max_iter: u64,
    /// Stop when the gradient norm is below this.
    #[arg(long, default_value_t = 1e-4, value_name = "X")]
    tol: f64,
    /// Past steps L-BFGS remembers (fewer: faster steps, less memory).
    #[arg(long, default_value_t = 10, value_name = "M")]
    lbfgs_memory: usize,
    /// Drop English stop words.
    #[arg(long)]
    stop_words: bool,
    /// Do not stem words.
    #[arg(long)]
    no_stem: bool,
    /// Keep numbers as written instead of one shared number feature.
    #[arg(long)]
    keep_numbers: bool,
    /// Keep hyphenated words whole (cease-fire) instead of splitting them.
    #[arg(long)]
    keep_hyphens: bool,
    /// Use raw term counts instead of 1 + ln(count).
    #[arg(long)]
    raw_tf: bool,
    /// IDF as ln(n / df) + 1 instead of the smoothed ln((1 + n) / (1 + df)) + 1.
    #[arg(long)]
    no_smooth_idf: bool,
    /// Drop words shorter than N characters (2 drops single letters).
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_word_chars: usize,
    /// Penalize features concentrated in few classes (or, multi-label, in
    /// one side of a label) less: as if scaled by (1 + c)^P, c from 0
    /// (spread over all classes) to 1 (one class only); 0 turns it off.
    #[arg(long, default_value_t = 1.0, value_name = "P")]
    concentration: f64,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_ngrams(s: &str) -> Result<usize, String> {
    let max = s.rsplit("..").next().unwrap_or(s).trim_start_matches('=');
    let n: usize = max
        .parse()
        .map_err(|_| format!("expected a number like 2 or a range like 1..2, got `{s}`"))?;
    if !(1..=3).contains(&n) {
        return Err(format!("n-grams go up to 1, 2 or 3, got {n}"));
    }
    if let Some(start) = s.split("..").next().filter(|_| s.contains("..")) {
        if start != "1" {
            return Err("n-grams always start at 1 (1..N)".into());
        }
    }
    Ok(n)
}

impl TrainArgs {
    fn params(&self) -> TrainParams {
        let mut params = TrainParams::default();
        params.analyzer.ngram_max = self.ngrams;
        if self.stop_words {
            params.analyzer.stop_words = StopWords::English;
        }
        if self.no_stem {
            params.analyzer.stemming = Stemming::None;
        }
        if self.keep_numbers {
            params.analyzer.numbers = Numbers::Keep;
        }
        if self.keep_hyphens {
            params.analyzer.hyphens = Hyphens::Keep;
        }
        params.analyzer.min_word_chars = self.min_word_chars;
        params.tfidf.min_df = self.min_df;
        params.tfidf.max_df = self.max_df;
        params.tfidf.max_features = self.max_features;
        params.tfidf.sublinear_tf = !self.raw_tf;
        params.tfidf.smooth_idf = !self.no_smooth_idf;
        params.concentration_power = self.concentration;
        params.alpha = self.c.map_or(self.alpha, |c| 1.0 / c);
        params.folds = self.folds;
        params.cv_repeats = self.cv_repeats;
        params.mode = self.mode;
        params.class_weight = self.class_weight;
        params.max_iterations = self.max_iter;
        params.tolerance = self.tol;
        params.lbfgs_memory = self.lbfgs_memory;
        params
    }
}

pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let params = args.params();
    let interactive = std::io::stderr().is_terminal() && !args.quiet;
    let spinner = interactive.then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar.set_message("reading the data");
        bar
    });
    let data = args.data.read(args.format)?;
    let mut trainer = Trainer::new(params)?;
    if let Some(bar) = spinner.clone() {
        bar.set_message(format!(
            "{} examples read; featurizing",
            data.examples.len()
        ));
        trainer = trainer.with_progress(move |stage| match stage {
            TrainStage::Fold {
                fold,
                folds,
                repeat,
                repeats,
            } => bar.set_message(if repeats > 1 {
                format!("cross-validation: run {repeat} of {repeats}, fold {fold} of {folds}")
            } else {
                format!("cross-validation: fold {fold} of {folds}")
            }),
            TrainStage::FinalFit => bar.set_message("fitting the final model on all the data"),
            TrainStage::Done => bar.finish_and_clear(),
        });
    }
    let (classifier, report) = trainer.train(&data)?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    classifier
        .save(&args.out)
        .with_context(|| format!("writing the model to {}", args.out.display()))?;
    if !args.quiet {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "trained a {} model: {} examples, {} labels, {} features -> {}",
            match report.kind {
                newswire::ModelKind::MultiLabel => "multi-label",
                newswire::ModelKind::MultiClass => "multi-class",
            },
            data.examples.len(),
            classifier.labels().len(),
            report.features,
            args.out.display()
        )?;
        if classifier.kind() == newswire::ModelKind::MultiLabel {
            let thresholds: Vec<String> = classifier
                .thresholds()
                .iter()
                .map(|(l, t)| format!("{l} {t:.2}"))
                .collect();
            writeln!(out, "thresholds: {}", thresholds.join(", "))?;
        }
        if let Some(cv) = &report.cross_validation {
            let runs = match report.kind {
                newswire::ModelKind::MultiLabel if args.cv_repeats > 1 => {
                    format!(
                        "; thresholds tuned on {} runs, scores of the first",
                        args.cv_repeats
                    )
                }
                _ => String::new(),
            };
            writeln!(
                out,
                "\ncross-validated on the training data ({} folds{runs}):",
                args.folds
            )?;
            print_evaluation(&mut out, cv)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngram_ranges() {
        assert_eq!(parse_ngrams("2"), Ok(2));
        assert_eq!(parse_ngrams("1..3"), Ok(3));
        assert_eq!(parse_ngrams("1..=2"), Ok(2));
        assert!(parse_ngrams("2..3").is_err());
        assert!(parse_ngrams("4").is_err());
    }
}
