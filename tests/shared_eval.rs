//! How the built-in model does on real news it has never seen
//! (`../shared/eval/real_dev.tsv`, labelled under the same guide), and the
//! 20 Newsgroups benchmark for the multi-class trainer.
//!
//! Needs `../shared`: ignored by a plain `cargo test`, run by `.ci/run` with
//! `cargo test --release --test shared_eval -- --ignored`.

use newswire::data::ReadOptions;
use newswire::{evaluate, Classifier, ClassifyOptions, TrainingData};

const REAL_DEV: &str = "../shared/eval/real_dev.tsv";

/// The project's goal for the built-in model on real news: macro-F1 of at
/// least 0.85 over the four labels, and no label under 0.75. The model is
/// trained deterministically, so these only fail when a change to the
/// corpus, the featurizer or the trainer makes it worse.
const REAL_DEV_MACRO_F1_FLOOR: f64 = 0.85;
const REAL_DEV_LABEL_F1_FLOOR: f64 = 0.75;

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
    for (label, s) in &e.per_label {
        assert!(
            s.f1 >= REAL_DEV_LABEL_F1_FLOOR,
            "{label}: F1 {:.3} fell below {REAL_DEV_LABEL_F1_FLOOR}",
            s.f1
        );
    }
}

/// The words of `text`, lowercased, and its word pairs, hashed and sorted.
fn word_grams(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let hash = |parts: &[String]| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts.hash(&mut h);
        h.finish()
    };
    let mut grams: Vec<u64> = words.windows(1).chain(words.windows(2)).map(hash).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Shared grams over all grams of two sorted sets (Jaccard similarity).
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// The corpus is written by the team: no sentence of `datasets/` may be a
/// copy or a close paraphrase of a real_dev sentence (the closest pair in
/// the corpus shares about a third of its words and word pairs; a
/// paraphrase shares far more).
#[test]
#[ignore = "needs ../shared/eval"]
fn corpus_has_no_near_copy_of_real_news() {
    const MAX_SIMILARITY: f64 = 0.5;
    let real = TrainingData::read(&[REAL_DEV], &ReadOptions::default()).unwrap();
    let real: Vec<(Vec<u64>, &str)> = real
        .examples
        .iter()
        .map(|e| (word_grams(&e.text), e.text.as_str()))
        .collect();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir("datasets")
        .unwrap()
        .flat_map(|section| {
            std::fs::read_dir(section.unwrap().path())
                .into_iter()
                .flatten()
        })
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "found only {} corpus files", files.len());
    let mut close = Vec::new();
    for file in &files {
        let ours = TrainingData::read(&[file], &ReadOptions::default()).unwrap();
        for e in &ours.examples {
            let grams = word_grams(&e.text);
            for (real_grams, real_text) in &real {
                let similarity = jaccard(&grams, real_grams);
                if similarity >= MAX_SIMILARITY {
                    close.push(format!(
                        "{similarity:.2} {}: {:?} ~ real: {real_text:?}",
                        file.display(),
                        e.text
                    ));
                }
            }
        }
    }
    assert!(close.is_empty(), "near copies:\n{}", close.join("\n"));
}
