//! The multi-class trainer on 20 Newsgroups (`../shared/data/20newsgroups`):
//! train on `train.tsv`, score on `test.tsv`, unigrams and bigrams.
//!
//! Needs `../shared`: ignored by a plain `cargo test`, run by `.ci/run` with
//! `cargo test --release --test shared_newsgroups -- --ignored`. The same run
//! from the command line is in `benches/README.md`.

use newswire::data::ReadOptions;
use newswire::{evaluate, Mode, StopWords, TrainParams, Trainer, TrainingData};
use std::time::Instant;

/// The project's goal (these settings reach 0.8787; scikit-learn's best
/// linear models reach 0.862 to 0.866 here).
const ACCURACY_FLOOR: f64 = 0.87;

/// The settings of the documented 20 Newsgroups run.
fn params() -> TrainParams {
    let mut params = TrainParams {
        mode: Mode::MultiClass,
        folds: 0,
        alpha: 0.005,
        max_iterations: 100,
        lbfgs_memory: 3,
        // Chosen by 5-fold cross-validation on train.tsv (accuracy 0.9285,
        // 0.9304 and 0.9215 at powers 1, 2 and 3; 0.9238 without).
        concentration_power: 2.0,
        ..TrainParams::default()
    };
    params.analyzer.stop_words = StopWords::English;
    params
}

#[test]
#[ignore = "needs ../shared/data/20newsgroups"]
fn newsgroups_accuracy() {
    let options = ReadOptions {
        label_column: "label".into(),
        ..ReadOptions::default()
    };
    let train = TrainingData::read(&["../shared/data/20newsgroups/train.tsv"], &options).unwrap();
    let test = TrainingData::read(&["../shared/data/20newsgroups/test.tsv"], &options).unwrap();
    let started = Instant::now();
    let (classifier, report) = Trainer::new(params()).unwrap().train(&train).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let e = evaluate(&classifier, &test, Default::default()).unwrap();
    eprintln!(
        "20 Newsgroups: {} features, trained in {seconds:.1} s on {} threads; test accuracy {:.4}, macro-F1 {:.4}",
        report.features,
        rayon::current_num_threads(),
        e.accuracy,
        e.macro_f1
    );
    assert_eq!(e.examples, 7532);
    assert!(
        e.accuracy >= ACCURACY_FLOOR,
        "accuracy {:.4} fell below {ACCURACY_FLOOR}",
        e.accuracy
    );
}
