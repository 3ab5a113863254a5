//! The fast featurizer against a plain one written from the definitions:
//! n-grams as strings, document frequencies in a hash map, TF-IDF by the
//! formulas. Both must pick the same features in the same order and give
//! the same rows, on one thread and on several.

use newswire::{Analyzer, AnalyzerConfig, CsrMatrix, TfidfConfig, TfidfVectorizer};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// A feature as its terms: features sort by order, then term by term.
type Feature = Vec<String>;

/// The vocabulary and rows the definitions give.
struct Plain {
    features: Vec<Feature>,
    rows: Vec<BTreeMap<usize, f32>>,
}

fn plain_tfidf(docs: &[String], analyzer: &AnalyzerConfig, config: &TfidfConfig) -> Plain {
    let terms_of = Analyzer::new(analyzer.clone()).unwrap();
    let counts: Vec<HashMap<Feature, u32>> = docs
        .iter()
        .map(|doc| {
            let terms = terms_of.terms(doc);
            let mut counts = HashMap::new();
            for n in 1..=analyzer.ngram_max {
                for window in terms.windows(n) {
                    *counts.entry(window.to_vec()).or_insert(0) += 1;
                }
            }
            counts
        })
        .collect();
    let mut df: HashMap<Feature, usize> = HashMap::new();
    for doc in &counts {
        for feature in doc.keys() {
            *df.entry(feature.clone()).or_insert(0) += 1;
        }
    }
    let n = docs.len();
    let max_df = ((config.max_df * n as f64).floor() as usize).max(1);
    let mut kept: Vec<(Feature, usize)> = df
        .into_iter()
        .filter(|(_, df)| (config.min_df..=max_df).contains(df))
        .collect();
    let order = |a: &Feature, b: &Feature| a.len().cmp(&b.len()).then_with(|| a.cmp(b));
    if let Some(max) = config.max_features {
        kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| order(&a.0, &b.0)));
        kept.truncate(max);
    }
    kept.sort_by(|a, b| order(&a.0, &b.0));
    let id: HashMap<&Feature, usize> = kept.iter().enumerate().map(|(i, f)| (&f.0, i)).collect();
    let idf: Vec<f64> = kept
        .iter()
        .map(|(_, df)| ((1.0 + n as f64) / (1.0 + *df as f64)).ln() + 1.0)
        .collect();
    let rows = counts
        .iter()
        .map(|doc| {
            let mut row: BTreeMap<usize, f64> = BTreeMap::new();
            for (feature, &count) in doc {
                if let Some(&i) = id.get(feature) {
                    row.insert(i, (1.0 + (count as f64).ln()) * idf[i]);
                }
            }
            let norm = row.values().map(|v| v * v).sum::<f64>().sqrt();
            row.into_iter()
                .map(|(i, v)| (i, (v / norm) as f32))
                .collect()
        })
        .collect();
    Plain {
        features: kept.into_iter().map(|(f, _)| f).collect(),
        rows,
    }
}

/// Fits on one thread, and on `threads` threads when given.
fn fast_tfidf(
    docs: &[String],
    analyzer: &AnalyzerConfig,
    config: &TfidfConfig,
    threads: Option<usize>,
) -> (TfidfVectorizer, CsrMatrix) {
    match threads {
        None => TfidfVectorizer::fit_transform(docs, analyzer.clone(), config.clone()).unwrap(),
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| TfidfVectorizer::par_fit_transform(docs, analyzer.clone(), config.clone()))
            .unwrap(),
    }
}

/// Panics with the first difference between the two featurizers.
fn assert_same(
    docs: &[String],
    analyzer: &AnalyzerConfig,
    config: &TfidfConfig,
    threads: Option<usize>,
) {
    let plain = plain_tfidf(docs, analyzer, config);
    let (vectorizer, matrix) = fast_tfidf(docs, analyzer, config, threads);
    let names: Vec<String> = (0..vectorizer.n_features())
        .map(|fid| vectorizer.vocabulary().feature_name(fid).unwrap())
        .collect();
    let plain_names: Vec<String> = plain.features.iter().map(|f| f.join(" ")).collect();
    assert_eq!(names, plain_names, "vocabulary ({threads:?} threads)");
    assert_eq!(matrix.n_rows(), docs.len());
    for (d, (row, expected)) in matrix.rows().zip(&plain.rows).enumerate() {
        let got: Vec<usize> = row.indices.iter().map(|&i| i as usize).collect();
        let want: Vec<usize> = expected.keys().copied().collect();
        assert_eq!(got, want, "features of document {d}: {:?}", docs[d]);
        for (&v, (_, &w)) in row.values.iter().zip(expected) {
            assert!((v - w).abs() < 1e-5, "document {d}: {v} against {w}");
        }
    }
    // The fitted vectorizer gives the same rows on new text as while fitting.
    assert_eq!(vectorizer.transform(docs), matrix, "transform after fit");
}

/// Documents of five sentences each from the team's corpus (in the repository).
fn corpus_documents(max_docs: usize) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("train.tsv"))
        .filter(|p| p.exists())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().skip(1) {
            if let Some(sentence) = line.split('\t').next_back() {
                sentences.push(sentence.to_string());
            }
        }
    }
    sentences
        .chunks(5)
        .take(max_docs)
        .map(|c| c.join(" "))
        .collect()
}

#[test]
fn news_documents_match_the_definitions() {
    let docs = corpus_documents(1500);
    assert!(docs.len() >= 1000);
    for (ngram_max, min_df) in [(1, 1), (2, 2), (3, 2)] {
        let analyzer = AnalyzerConfig {
            ngram_max,
            ..AnalyzerConfig::default()
        };
        let config = TfidfConfig {
            min_df,
            ..TfidfConfig::default()
        };
        assert_same(&docs, &analyzer, &config, None);
        assert_same(&docs, &analyzer, &config, Some(3));
    }
}

#[test]
fn max_df_and_max_features_match_the_definitions() {
    let docs = corpus_documents(600);
    let config = TfidfConfig {
        min_df: 2,
        max_df: 0.3,
        max_features: Some(2000),
        ..TfidfConfig::default()
    };
    assert_same(&docs, &AnalyzerConfig::default(), &config, None);
    assert_same(&docs, &AnalyzerConfig::default(), &config, Some(2));
}

/// Short documents over a small vocabulary, so n-grams repeat within and
/// across documents.
fn small_vocabulary_docs() -> impl Strategy<Value = Vec<String>> {
    let word = prop::sample::select(vec![
        "talks",
        "Talks",
        "strike",
        "strikes",
        "killed",
        "envoy",
        "sanctions",
        "the",
        "of",
        "12",
        "1,200",
        "Kyiv",
        "Doha",
        "ceasefire",
        "ceasefires",
        "drone",
        "un",
        "a",
    ]);
    let doc = prop::collection::vec(word, 0..14).prop_map(|words| words.join(" "));
    prop::collection::vec(doc, 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn small_vocabularies_match_the_definitions(
        docs in small_vocabulary_docs(),
        ngram_max in 1usize..=3,
        min_df in 1usize..=3,
        threads in prop::option::of(2usize..=4),
    ) {
        let analyzer = AnalyzerConfig { ngram_max, ..AnalyzerConfig::default() };
        let config = TfidfConfig { min_df, ..TfidfConfig::default() };
        // A corpus where nothing reaches min_df is an error, not a matrix.
        let plain = plain_tfidf(&docs, &analyzer, &config);
        prop_assume!(!plain.features.is_empty());
        assert_same(&docs, &analyzer, &config, threads);
    }
}
