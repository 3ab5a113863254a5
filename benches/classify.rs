//! End-to-end classification speed: article text in, labelled sentences
//! out (splitting, featurizing, scoring), with the built-in model, on one
//! thread. Throughput is in sentences.
//!
//! The articles are the 20 Newsgroups test texts
//! (`../shared/data/20newsgroups/test.tsv`) when present, otherwise the
//! `datasets/*/dev.tsv` sentences joined into articles of twenty.
//! Run: `cargo bench --bench classify`; see `benches/README.md`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newswire::{Classifier, ClassifyOptions, PredictScratch};
use std::hint::black_box;
use std::path::Path;

fn articles() -> (Vec<String>, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Ok(tsv) = std::fs::read_to_string(root.join("../shared/data/20newsgroups/test.tsv")) {
        let texts = tsv
            .lines()
            .skip(1)
            .filter_map(|l| l.splitn(3, '\t').nth(2))
            .map(str::to_owned)
            .collect();
        return (texts, "20newsgroups test");
    }
    let mut sentences = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("datasets"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        if let Ok(tsv) = std::fs::read_to_string(dir.join("dev.tsv")) {
            sentences.extend(
                tsv.lines()
                    .skip(1)
                    .filter_map(|l| l.split_once('\t'))
                    .map(|(_, t)| t.to_owned()),
            );
        }
    }
    (
        sentences.chunks(20).map(|c| c.join(" ")).collect(),
        "datasets/*/dev.tsv",
    )
}

fn benches(c: &mut Criterion) {
    let classifier = Classifier::builtin().expect("the built-in model loads");
    let (articles, name) = articles();
    let sentences: usize = articles
        .iter()
        .map(|a| classifier.splitter().split(a).len())
        .sum();
    let bytes: usize = articles.iter().map(String::len).sum();
    eprintln!(
        "articles: {name}, {} articles, {sentences} sentences, {:.1} MB",
        articles.len(),
        bytes as f64 / 1e6
    );
    let mut group = c.benchmark_group("classify");
    group.sample_size(10);
    group.throughput(Throughput::Elements(sentences as u64));
    group.bench_function("articles_1_thread", |b| {
        let mut scratch = PredictScratch::default();
        b.iter(|| {
            let mut n = 0;
            for article in &articles {
                n += classifier
                    .classify_article_with(article, ClassifyOptions::default(), &mut scratch)
                    .sentences
                    .len();
            }
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(classify, benches);
criterion_main!(classify);
