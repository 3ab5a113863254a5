//! End-to-end classification speed: article text in, labelled sentences
//! out (splitting, featurizing, scoring), with the built-in model, on one
//! thread. Throughput is in sentences.
//!
//! The articles are the 20 Newsgroups test texts
//! (`../shared/data/20newsgroups/test.tsv`) when present, otherwise the
//! `datasets/*/dev.tsv` sentences joined into articles of twenty.
//! Run: `cargo bench --bench classify`; see `benches/README.md`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newswire::{Classifier, ClassifyOptions, PredictScratch};
use std::hint::black_box;

fn articles() -> (Vec<String>, &'static str) {
    if let Some(texts) = common::newsgroups_texts("test.tsv") {
        return (texts, "20newsgroups test");
    }
    let sentences = common::corpus_sentences("dev.tsv");
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
