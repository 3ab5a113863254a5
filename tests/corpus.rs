//! Checks of the labelled corpus in `datasets/`: every file parses, every
//! label is valid, no sentence appears twice, and the size and balance that
//! the datasheet promises hold.

use newswire::data::{read_labelled, Example, ReadOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const LABELS: [&str; 4] = ["diplomacy", "attack", "sanctions", "casualty"];

fn datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets")
}

/// Every `datasets/*/{train,dev}.tsv`, sorted.
fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(datasets()).expect("datasets/ exists") {
        let dir = entry.expect("readable").path();
        for split in ["train.tsv", "dev.tsv"] {
            if dir.join(split).is_file() {
                files.push(dir.join(split));
            }
        }
    }
    files.sort();
    files
}

fn all_examples() -> Vec<(PathBuf, Example)> {
    let mut out = Vec::new();
    for path in corpus_files() {
        let header = std::fs::read_to_string(&path).unwrap();
        assert!(
            header.starts_with("labels\ttext\n"),
            "{}: header must be `labels<TAB>text`",
            path.display()
        );
        let file = read_labelled(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        out.extend(file.examples.into_iter().map(|e| (path.clone(), e)));
    }
    out
}

#[test]
fn every_file_has_a_train_and_dev_split() {
    let files = corpus_files();
    assert!(files.len() >= 2);
    for file in &files {
        let dir = file.parent().unwrap();
        assert!(
            dir.join("train.tsv").is_file() && dir.join("dev.tsv").is_file(),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn every_label_is_valid() {
    for (path, example) in all_examples() {
        let where_ = format!("{}:{}", path.display(), example.line);
        if example.labels == ["other"] {
            continue;
        }
        for label in &example.labels {
            assert!(
                LABELS.contains(&label.as_str()),
                "{where_}: unknown label `{label}` (or `other` mixed with labels)"
            );
        }
    }
}

#[test]
fn no_sentence_appears_twice() {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, example) in all_examples() {
        let key = example
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let here = format!("{}:{}", path.display(), example.line);
        if let Some(first) = seen.insert(key, here.clone()) {
            panic!("{here} repeats {first}: {}", example.text);
        }
    }
}

#[test]
fn size_and_balance() {
    let examples = all_examples();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut multi = 0;
    for (_, example) in &examples {
        for label in &example.labels {
            *counts
                .entry(
                    LABELS
                        .iter()
                        .chain(["other"].iter())
                        .find(|l| **l == label)
                        .unwrap(),
                )
                .or_default() += 1;
        }
        if example.labels.len() >= 2 {
            multi += 1;
        }
    }
    eprintln!(
        "{} sentences, {multi} multi-label, {counts:?}",
        examples.len()
    );
    assert!(examples.len() >= 4000);
    for label in LABELS {
        assert!(
            counts.get(label).copied().unwrap_or(0) >= 600,
            "{label}: {counts:?}"
        );
    }
    assert!(
        counts.get("other").copied().unwrap_or(0) >= 1200,
        "{counts:?}"
    );
    assert!(multi >= 500, "{multi} multi-label sentences");
}

#[test]
fn example_articles_are_readable_text() {
    let mut n = 0;
    for entry in std::fs::read_dir(datasets().join("articles")).expect("datasets/articles exists") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = newswire::data::read_text(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                text.split_whitespace().count() > 100,
                "{} is too short",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n >= 3, "{n} articles");
}

#[test]
fn datasets_hold_only_the_corpus_files() {
    // Each section folder holds train.tsv and dev.tsv, `articles/` holds
    // .txt articles, and nothing else lies around (a stray file would ship
    // with the corpus unnoticed).
    let mut stray = Vec::new();
    for entry in std::fs::read_dir(datasets()).expect("datasets/ exists") {
        let path = entry.expect("readable").path();
        if !path.is_dir() {
            if path.file_name().is_some_and(|n| n != "README.md") {
                stray.push(path);
            }
            continue;
        }
        let articles = path.file_name().is_some_and(|n| n == "articles");
        for file in std::fs::read_dir(&path).expect("readable") {
            let file = file.expect("readable").path();
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let expected = if articles {
                name.ends_with(".txt")
            } else {
                name == "train.tsv" || name == "dev.tsv"
            };
            if !expected {
                stray.push(file);
            }
        }
        if !articles {
            assert!(
                path.join("train.tsv").is_file() && path.join("dev.tsv").is_file(),
                "{} needs both train.tsv and dev.tsv",
                path.display()
            );
        }
    }
    assert!(stray.is_empty(), "unexpected files in datasets/: {stray:?}");
}
