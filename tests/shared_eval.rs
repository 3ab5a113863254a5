//! How the built-in model does on real news it has never seen
//! (`../shared/eval/real_dev.tsv`, labelled under the same guide), and the
//! 20 Newsgroups benchmark for the multi-class trainer.
//!
//! Needs `../shared`: ignored by a plain `cargo test`, run by `.ci/run` with
//! `cargo test --release --test shared_eval -- --ignored`.

use newswire::data::ReadOptions;
use newswire::{evaluate, Classifier, ClassifyOptions, TrainingData};

const REAL_DEV: &str = "../shared/eval/real_dev.tsv";

/// The score the built-in model reached when it was last trained; a drop
/// below this floor is a regression. (The project's goal is 0.85.)
const REAL_DEV_MACRO_F1_FLOOR: f64 = 0.82;

#[test]
#[ignore = "needs ../shared/eval"]
fn builtin_model_on_real_news() {
    let data = TrainingData::read(&[REAL_DEV], &ReadOptions::default()).unwrap();
    let classifier = Classifier::builtin().unwrap();
    let e = evaluate(&classifier, &data, ClassifyOptions::default()).unwrap();
    eprintln!(
        "real_dev ({} sentences): macro-F1 {:.3}, micro-F1 {:.3}",
        e.examples, e.macro_f1, e.micro_f1
    );
    for (label, s) in &e.per_label {
        eprintln!(
            "  {label:<10} P {:.3} R {:.3} F1 {:.3} ({})",
            s.precision, s.recall, s.f1, s.support
        );
    }
    assert!(
        e.macro_f1 >= REAL_DEV_MACRO_F1_FLOOR,
        "macro-F1 {:.3} fell below {REAL_DEV_MACRO_F1_FLOOR}",
        e.macro_f1
    );
}
