//! Benchmarks of the vectorization hot path: sentence splitting, analysis,
//! TF-IDF fit + transform (one thread and all threads) and transform alone.
//!
//! The corpus is the 20 Newsgroups train texts in
//! `../shared/data/20newsgroups/train.tsv` (21.2 MB) when present, otherwise
//! the sentences of `datasets/*/train.tsv`. Throughput is in bytes of text.
//! Run: `cargo bench --bench featurize`; see `benches/README.md`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newswire::text::analyzer::TermCache;
use newswire::{Analyzer, AnalyzerConfig, SentenceSplitter, TfidfConfig, TfidfVectorizer};
use std::hint::black_box;

/// The texts to featurize and where they came from.
fn corpus() -> (Vec<String>, String) {
    match common::newsgroups_texts("train.tsv") {
        Some(texts) => (texts, "20newsgroups train".into()),
        None => (
            common::corpus_sentences("train.tsv"),
            "datasets/*/train.tsv".into(),
        ),
    }
}

/// Unigrams and bigrams with stemming, the setting of the speed target.
fn settings() -> (AnalyzerConfig, TfidfConfig) {
    (
        AnalyzerConfig::default(),
        TfidfConfig {
            min_df: 2,
            ..TfidfConfig::default()
        },
    )
}

fn benches(c: &mut Criterion) {
    let (texts, name) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "corpus: {name}, {} texts, {:.1} MB",
        texts.len(),
        bytes as f64 / 1e6
    );
    let (analyzer_config, tfidf_config) = settings();
    let mut group = c.benchmark_group("featurize");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);

    let splitter = SentenceSplitter::default();
    group.bench_function("split_sentences", |b| {
        let mut spans = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for text in &texts {
                spans.clear();
                splitter.split_into(text, &mut spans);
                n += spans.len();
            }
            black_box(n)
        })
    });

    let analyzer = Analyzer::new(analyzer_config.clone()).expect("valid settings");
    group.bench_function("analyze_cached", |b| {
        b.iter(|| {
            let mut cache = TermCache::new();
            let mut terms: Vec<String> = Vec::new();
            let mut ids = Vec::new();
            for text in &texts {
                ids.clear();
                cache.ids_into(&analyzer, text, &mut ids, |term| {
                    terms.push(term.to_owned());
                    terms.len() as u32 - 1
                });
            }
            black_box((ids.len(), terms.len()))
        })
    });

    group.bench_function("fit_transform_1_thread", |b| {
        b.iter(|| {
            let (v, m) = TfidfVectorizer::fit_transform(
                &texts,
                analyzer_config.clone(),
                tfidf_config.clone(),
            )
            .expect("fit");
            black_box((v.n_features(), m.nnz()))
        })
    });

    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("thread pool");
    let threads = pool.current_num_threads();
    group.bench_function(format!("fit_transform_{threads}_threads"), |b| {
        b.iter(|| {
            pool.install(|| {
                let (v, m) = TfidfVectorizer::par_fit_transform(
                    &texts,
                    analyzer_config.clone(),
                    tfidf_config.clone(),
                )
                .expect("fit");
                black_box((v.n_features(), m.nnz()))
            })
        })
    });

    let (fitted, _) =
        TfidfVectorizer::fit_transform(&texts, analyzer_config.clone(), tfidf_config.clone())
            .expect("fit");
    group.bench_function("transform_1_thread", |b| {
        b.iter(|| black_box(fitted.transform(&texts).nnz()))
    });
    group.bench_function(format!("transform_{threads}_threads"), |b| {
        b.iter(|| pool.install(|| black_box(fitted.par_transform(&texts).nnz())))
    });
    group.finish();
}

criterion_group!(featurize, benches);
criterion_main!(featurize);
