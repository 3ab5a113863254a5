//! The TF-IDF featurizer: fit a vocabulary and IDF on a corpus, then turn
//! texts into L2-normalized sparse rows.

use super::counting::{
    compact_packing, rank_terms, rows, select, BatchIndex, ChunkTerms, FeatureIndex,
    NgramOccurrences, Selection,
};
use super::for_each_chunk;
use super::sparse::CsrMatrix;
use super::vocabulary::Vocabulary;
use crate::error::{Error, Result};
use crate::huge_pages;
use crate::text::analyzer::{Analyzer, AnalyzerConfig, TermCache, CACHE_LIMIT};
use serde::{Deserialize, Serialize};

/// Settings of the TF-IDF featurizer (saved in model files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TfidfConfig {
    /// A feature must occur in at least this many documents.
    pub min_df: usize,
    /// A feature must occur in at most this fraction of documents (0 to 1].
    pub max_df: f64,
    /// Keep at most this many features, the most frequent (ties by order).
    pub max_features: Option<usize>,
    /// Use `1 + ln(tf)` instead of the raw count.
    pub sublinear_tf: bool,
    /// IDF as `ln((1 + n) / (1 + df)) + 1` (scikit-learn's default); without
    /// smoothing, `ln(n / df) + 1`.
    pub smooth_idf: bool,
}

impl Default for TfidfConfig {
    fn default() -> Self {
        TfidfConfig {
            min_df: 1,
            max_df: 1.0,
            max_features: None,
            sublinear_tf: true,
            smooth_idf: true,
        }
    }
}

impl TfidfConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(Error::InvalidParam {
                name: "max_df",
                message: format!("must be in (0, 1], got {}", self.max_df),
            });
        }
        if self.max_features == Some(0) {
            return Err(Error::InvalidParam {
                name: "max_features",
                message: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Term id of a word that is not in the vocabulary, while transforming: it
/// breaks n-grams.
const UNKNOWN: u32 = u32::MAX - 1;

/// A fitted TF-IDF featurizer: analyzer settings, vocabulary and IDF.
///
/// ```
/// use newswire::{AnalyzerConfig, TfidfConfig, TfidfVectorizer};
///
/// let corpus = ["Drones struck Kyiv overnight.", "Talks resumed in Geneva.",
///               "Drones struck Odesa port."];
/// let (vectorizer, matrix) = TfidfVectorizer::fit_transform(
///     &corpus, AnalyzerConfig::default(), TfidfConfig::default())?;
/// assert_eq!(matrix.n_rows(), 3);
/// assert!(vectorizer.vocabulary().feature_id("drone struck").is_some());
/// let row = vectorizer.transform(&["drones struck again"]);
/// let norm: f32 = row.row(0).values.iter().map(|v| v * v).sum();
/// assert!((norm - 1.0).abs() < 1e-5);
/// # Ok::<(), newswire::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TfidfVectorizer {
    analyzer: Analyzer,
    config: TfidfConfig,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
    /// Built on the first batch transform.
    batch: std::sync::OnceLock<Option<BatchIndex>>,
}

/// Reusable buffers for transforming one text at a time; one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    cache: TermCache,
    ids: Vec<u32>,
    row: RowBuilder,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Scratch::default()
    }
}

/// Counts the features of one row, then writes its TF-IDF values.
#[derive(Debug, Default)]
struct RowBuilder {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl RowBuilder {
    #[inline]
    fn add(&mut self, fid: u32, n_features: usize) {
        if self.counts.len() < n_features {
            self.counts.resize(n_features, 0);
        }
        let count = &mut self.counts[fid as usize];
        if *count == 0 {
            self.touched.push(fid);
        }
        *count += 1;
    }

    /// Appends the row's indices (ascending) and L2-normalized TF-IDF values.
    fn finish(&mut self, weighting: Weighting<'_>, indices: &mut Vec<u32>, values: &mut Vec<f32>) {
        self.touched.sort_unstable();
        let first = values.len();
        for &fid in &self.touched {
            indices.push(fid);
            values.push(weighting.weight(fid, std::mem::take(&mut self.counts[fid as usize])));
        }
        self.touched.clear();
        l2_normalize(&mut values[first..]);
    }
}

impl TfidfVectorizer {
    /// Fits the vocabulary and IDF on `docs`, on the current thread.
    pub fn fit<S: AsRef<str> + Sync>(
        docs: &[S],
        analyzer: AnalyzerConfig,
        config: TfidfConfig,
    ) -> Result<Self> {
        Self::fit_inner(docs, analyzer, config, false, false).map(|(v, _)| v)
    }

    /// Fits on `docs` and returns their rows too, on the current thread.
    /// Each document is analyzed once.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        docs: &[S],
        analyzer: AnalyzerConfig,
        config: TfidfConfig,
    ) -> Result<(Self, CsrMatrix)> {
        Self::fit_inner(docs, analyzer, config, false, true)
    }

    /// Like [`fit_transform`](Self::fit_transform), spread over rayon's
    /// threads. The result is the same, bit for bit.
    pub fn par_fit_transform<S: AsRef<str> + Sync>(
        docs: &[S],
        analyzer: AnalyzerConfig,
        config: TfidfConfig,
    ) -> Result<(Self, CsrMatrix)> {
        Self::fit_inner(docs, analyzer, config, true, true)
    }

    fn fit_inner<S: AsRef<str> + Sync>(
        docs: &[S],
        analyzer_config: AnalyzerConfig,
        config: TfidfConfig,
        parallel: bool,
        with_rows: bool,
    ) -> Result<(Self, CsrMatrix)> {
        config.validate()?;
        let analyzer = Analyzer::new(analyzer_config)?;
        if docs.is_empty() {
            return Err(Error::Empty("cannot fit TF-IDF on an empty corpus".into()));
        }
        let mut chunks: Vec<ChunkTerms> =
            for_each_chunk(&chunk_ranges(docs, parallel), parallel, |&(a, b)| {
                ChunkTerms::analyze(&analyzer, &docs[a..b])
            });
        let terms = rank_terms(&mut chunks, config.min_df, parallel);
        let ngram_max = analyzer.config().ngram_max;
        let packing = compact_packing(terms.n_eligible as usize, ngram_max)?;
        // One chunk's counts are the totals, so rare n-grams can be dropped
        // as they are counted; several chunks' counts add up first.
        let min_docs = match chunks.len() {
            1 => u32::try_from(config.min_df).unwrap_or(u32::MAX),
            _ => 1,
        };
        let (occurrences, distinct): (Vec<NgramOccurrences>, Vec<_>) =
            for_each_chunk(&chunks, parallel, |chunk| {
                NgramOccurrences::collect(
                    chunk,
                    terms.n_eligible,
                    packing,
                    ngram_max,
                    Some(min_docs),
                )
            })
            .into_iter()
            .unzip();
        let n_docs = docs.len();
        let selection = Selection {
            min_df: config.min_df,
            max_df: (config.max_df * n_docs as f64).floor().max(1.0) as usize,
            max_features: config.max_features,
        };
        let selected = select(terms, distinct, packing, ngram_max, selection, parallel);
        if selected.vocabulary.is_empty() {
            return Err(Error::Empty(format!(
                "no feature occurs in at least {} and at most {} of the {n_docs} documents",
                selection.min_df, selection.max_df
            )));
        }
        // Features share few distinct document counts: one logarithm each.
        let mut idf_of_df = vec![f32::NAN; n_docs + 1];
        let idf: Vec<f32> = selected
            .df
            .iter()
            .map(|&df| {
                let cached = &mut idf_of_df[df as usize];
                if cached.is_nan() {
                    *cached = idf(n_docs, df as usize, config.smooth_idf);
                }
                *cached
            })
            .collect();
        let n_features = selected.vocabulary.len();
        let matrix = if with_rows {
            weighted_matrix(
                chunks.iter().zip(occurrences).collect(),
                &selected.index,
                &idf,
                config.sublinear_tf,
                n_features,
                parallel,
            )
        } else {
            CsrMatrix::new(n_features)
        };
        let vectorizer = TfidfVectorizer {
            analyzer,
            config,
            vocabulary: selected.vocabulary,
            idf,
            batch: std::sync::OnceLock::new(),
        };
        Ok((vectorizer, matrix))
    }

    /// The rows of `docs`, on the current thread. The documents are
    /// analyzed one after the other and their n-grams counted by sorting,
    /// like [`fit_transform`](Self::fit_transform) does.
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> CsrMatrix {
        self.transform_batch(docs, false)
    }

    /// The rows of `docs`, spread over rayon's threads.
    pub fn par_transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> CsrMatrix {
        self.transform_batch(docs, true)
    }

    fn transform_batch<S: AsRef<str> + Sync>(&self, docs: &[S], parallel: bool) -> CsrMatrix {
        let n_features = self.vocabulary.len();
        let Some(batch) = self.batch_index() else {
            let mut matrix = CsrMatrix::new(n_features);
            // A vocabulary too large for compact n-gram keys: one text at a time.
            let mut scratch = Scratch::new();
            let (mut indices, mut values) = (Vec::new(), Vec::new());
            for doc in docs {
                indices.clear();
                values.clear();
                self.transform_into(doc.as_ref(), &mut scratch, &mut indices, &mut values);
                matrix.push_row(&indices, &values);
            }
            return matrix;
        };
        let ngram_max = self.vocabulary.ngram_max();
        let counted = for_each_chunk(&chunk_ranges(docs, parallel), parallel, |&(a, b)| {
            let chunk = ChunkTerms::lookup(&self.analyzer, &docs[a..b], &self.vocabulary, UNKNOWN);
            let (occurrences, _) =
                NgramOccurrences::collect(&chunk, batch.n_terms, batch.packing, ngram_max, None);
            (chunk, occurrences)
        });
        weighted_matrix(
            counted,
            &batch.index,
            &self.idf,
            self.config.sublinear_tf,
            n_features,
            parallel,
        )
    }

    /// The index for batch transforms, built on first use.
    fn batch_index(&self) -> Option<&BatchIndex> {
        self.batch
            .get_or_init(|| BatchIndex::new(&self.vocabulary).ok())
            .as_ref()
    }

    /// Appends the row of one text (ascending feature ids and values) to
    /// `indices` and `values`, using `scratch`'s buffers and cache.
    pub fn transform_into(
        &self,
        text: &str,
        scratch: &mut Scratch,
        indices: &mut Vec<u32>,
        values: &mut Vec<f32>,
    ) {
        let Scratch { cache, ids, row } = scratch;
        if cache.len() > CACHE_LIMIT {
            cache.clear();
        }
        ids.clear();
        let vocabulary = &self.vocabulary;
        cache.ids_into(&self.analyzer, text, ids, |term| {
            vocabulary.term_id(term).unwrap_or(UNKNOWN)
        });
        let n_features = vocabulary.len();
        let n = vocabulary.ngram_max();
        let packing = vocabulary.packing();
        for i in 0..ids.len() {
            if ids[i] == UNKNOWN {
                continue;
            }
            if let Some(fid) = vocabulary.unigram_feature(ids[i]) {
                row.add(fid, n_features);
            }
            for order in 2..=n.min(ids.len() - i) {
                let window = &ids[i..i + order];
                if window[order - 1] == UNKNOWN {
                    break;
                }
                if let Some(fid) = vocabulary.ngram_feature(packing.pack(window)) {
                    row.add(fid, n_features);
                }
            }
        }
        let weighting = Weighting {
            idf: &self.idf,
            sublinear: self.config.sublinear_tf,
        };
        row.finish(weighting, indices, values);
    }

    /// The analyzer.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The TF-IDF settings.
    pub fn config(&self) -> &TfidfConfig {
        &self.config
    }

    /// The fitted vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The IDF of each feature.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.vocabulary.len()
    }
}

/// `1 + ln(count)`, from a table for the common small counts.
#[inline]
fn sublinear_tf(count: u32) -> f32 {
    static TABLE: std::sync::LazyLock<Vec<f32>> =
        std::sync::LazyLock::new(|| (0..256u32).map(|c| 1.0 + (c.max(1) as f32).ln()).collect());
    match TABLE.get(count as usize) {
        Some(&tf) => tf,
        None => 1.0 + (count as f32).ln(),
    }
}

/// The document ranges that cut `docs` into one chunk per thread (or one).
fn chunk_ranges<S: AsRef<str>>(docs: &[S], parallel: bool) -> Vec<(usize, usize)> {
    let n_chunks = if parallel {
        rayon::current_num_threads().max(1)
    } else {
        1
    };
    chunk_bounds(docs, n_chunks)
        .windows(2)
        .map(|w| (w[0], w[1]))
        .collect()
}

/// The TF-IDF rows of the chunks' documents, one chunk after the other, as
/// one matrix. Each chunk writes its rows straight into its own region of
/// the matrix's arrays, sized for the most entries it can have (see
/// [`rows`]); the regions are then closed up and the arrays cut to size.
fn weighted_matrix<C: std::borrow::Borrow<ChunkTerms> + Send>(
    chunks: Vec<(C, NgramOccurrences)>,
    index: &FeatureIndex,
    idf: &[f32],
    sublinear: bool,
    n_features: usize,
    parallel: bool,
) -> CsrMatrix {
    // A row has at most one entry per token and one per n-gram occurrence.
    let capacities: Vec<usize> = chunks
        .iter()
        .map(|(chunk, occurrences)| chunk.borrow().n_tokens() + occurrences.len())
        .collect();
    let total: usize = capacities.iter().sum();
    let mut indices = vec![0u32; total];
    let mut values = vec![0f32; total];
    huge_pages::advise(&indices);
    huge_pages::advise(&values);
    let mut jobs = Vec::with_capacity(chunks.len());
    let (mut free_indices, mut free_values) = (&mut indices[..], &mut values[..]);
    for ((chunk, occurrences), &capacity) in chunks.into_iter().zip(&capacities) {
        let (chunk_indices, rest_indices) = free_indices.split_at_mut(capacity);
        let (chunk_values, rest_values) = free_values.split_at_mut(capacity);
        jobs.push((chunk, occurrences, chunk_indices, chunk_values));
        (free_indices, free_values) = (rest_indices, rest_values);
    }
    let weighting = Weighting { idf, sublinear };
    let row_ends = for_each_chunk(
        jobs,
        parallel,
        |(chunk, occurrences, to_indices, to_values)| {
            rows(
                chunk.borrow(),
                occurrences,
                index,
                to_indices,
                to_values,
                |fid, count| weighting.weight(fid, count),
                l2_normalize,
            )
        },
    );
    let n_rows: usize = row_ends.iter().map(Vec::len).sum();
    let mut indptr = Vec::with_capacity(n_rows + 1);
    indptr.push(0);
    let (mut region, mut filled) = (0, 0);
    for (ends, capacity) in row_ends.iter().zip(capacities) {
        let used = ends.last().copied().unwrap_or(0);
        if region != filled {
            indices.copy_within(region..region + used, filled);
            values.copy_within(region..region + used, filled);
        }
        indptr.extend(ends.iter().map(|&end| filled + end));
        filled += used;
        region += capacity;
    }
    indices.truncate(filled);
    values.truncate(filled);
    indices.shrink_to_fit();
    values.shrink_to_fit();
    CsrMatrix::from_raw(n_features, indptr, indices, values)
}

/// How a feature's count becomes its weight in a row.
#[derive(Clone, Copy)]
struct Weighting<'a> {
    idf: &'a [f32],
    sublinear: bool,
}

impl Weighting<'_> {
    /// The TF-IDF weight of feature `fid` seen `count` times, before
    /// normalizing.
    #[inline]
    fn weight(&self, fid: u32, count: u32) -> f32 {
        let tf = if self.sublinear {
            sublinear_tf(count)
        } else {
            count as f32
        };
        tf * self.idf[fid as usize]
    }
}

/// Scales a row's values to unit L2 norm (a row of zeros stays as it is).
fn l2_normalize(values: &mut [f32]) {
    let norm: f32 = values.iter().map(|v| v * v).sum();
    if norm > 0.0 {
        let scale = 1.0 / norm.sqrt();
        for v in values.iter_mut() {
            *v *= scale;
        }
    }
}

/// Document indices cutting `docs` into `n` chunks of about equal bytes.
fn chunk_bounds<S: AsRef<str>>(docs: &[S], n: usize) -> Vec<usize> {
    let total: usize = docs.iter().map(|d| d.as_ref().len()).sum();
    let per_chunk = total / n.max(1) + 1;
    let mut bounds = vec![0];
    let mut bytes = 0;
    for (i, doc) in docs.iter().enumerate() {
        bytes += doc.as_ref().len();
        if bytes >= per_chunk * bounds.len() && i + 1 < docs.len() {
            bounds.push(i + 1);
        }
    }
    bounds.push(docs.len());
    bounds.dedup();
    bounds
}

/// The IDF of a feature found in `df` of `n` documents.
fn idf(n: usize, df: usize, smooth: bool) -> f32 {
    let (n, df) = (n as f64, df as f64);
    let value = if smooth {
        ((1.0 + n) / (1.0 + df)).ln() + 1.0
    } else {
        (n / df).ln() + 1.0
    };
    value as f32
}

/// The serialized form: settings, vocabulary and IDF.
#[derive(Serialize)]
struct VectorizerRef<'a> {
    analyzer: &'a AnalyzerConfig,
    tfidf: &'a TfidfConfig,
    vocabulary: &'a Vocabulary,
    idf: &'a [f32],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorizerData {
    analyzer: AnalyzerConfig,
    tfidf: TfidfConfig,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
}

impl Serialize for TfidfVectorizer {
    fn serialize<Se: serde::Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        VectorizerRef {
            analyzer: self.analyzer.config(),
            tfidf: &self.config,
            vocabulary: &self.vocabulary,
            idf: &self.idf,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TfidfVectorizer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let data = VectorizerData::deserialize(deserializer)?;
        if data.idf.len() != data.vocabulary.len() {
            return Err(D::Error::custom(format!(
                "{} IDF values for {} features",
                data.idf.len(),
                data.vocabulary.len()
            )));
        }
        data.tfidf.validate().map_err(D::Error::custom)?;
        let analyzer = Analyzer::new(data.analyzer).map_err(D::Error::custom)?;
        Ok(TfidfVectorizer {
            analyzer,
            config: data.tfidf,
            vocabulary: data.vocabulary,
            idf: data.idf,
            batch: std::sync::OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &[&str] = &[
        "Russian drones struck Kyiv overnight, officials said.",
        "Talks between the envoys resumed in Geneva on Monday.",
        "The EU froze the assets of three banks.",
        "Drones struck the port of Odesa; two people were killed.",
        "Envoys said the talks in Geneva would go on.",
    ];

    fn fit(config: TfidfConfig) -> (TfidfVectorizer, CsrMatrix) {
        TfidfVectorizer::fit_transform(CORPUS, AnalyzerConfig::default(), config).unwrap()
    }

    #[test]
    fn fit_transform_equals_transform_of_the_fitted_corpus() {
        let (v, m) = fit(TfidfConfig::default());
        assert_eq!(m, v.transform(CORPUS));
    }

    #[test]
    fn trigrams_over_a_large_vocabulary_use_wide_keys_and_count_right() {
        // 1,300 distinct words need 11 bits each: trigram keys take 33 bits,
        // more than the packed sort path holds.
        let word = |i: usize| {
            let letters = b"bcdfghjklmnpqrstvwxz";
            let mut w = String::from("q");
            let mut n = i;
            for _ in 0..3 {
                w.push(letters[n % letters.len()] as char);
                n /= letters.len();
            }
            w
        };
        let docs: Vec<String> = (0..260)
            .map(|d| {
                (0..10)
                    .map(|j| word((d * 5 + j * 7) % 1300))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let analyzer = AnalyzerConfig {
            ngram_max: 3,
            stemming: crate::text::analyzer::Stemming::None,
            ..AnalyzerConfig::default()
        };
        let (v, m) =
            TfidfVectorizer::fit_transform(&docs, analyzer.clone(), TfidfConfig::default())
                .unwrap();
        assert!(v.vocabulary().terms().len() >= 1024);
        assert_eq!(m, v.transform(&docs));
        let strings = Analyzer::new(analyzer).unwrap();
        for (doc, row) in docs.iter().zip(m.rows()) {
            let mut features = strings.analyze(doc);
            features.sort();
            features.dedup();
            assert_eq!(row.indices.len(), features.len(), "{doc}");
        }
    }

    #[test]
    fn parallel_fit_gives_the_same_result() {
        let (v, m) = fit(TfidfConfig {
            min_df: 2,
            ..TfidfConfig::default()
        });
        let pool = crate::test_support::thread_pool(3);
        let (pv, pm) = pool
            .install(|| {
                TfidfVectorizer::par_fit_transform(
                    CORPUS,
                    AnalyzerConfig::default(),
                    TfidfConfig {
                        min_df: 2,
                        ..TfidfConfig::default()
                    },
                )
            })
            .unwrap();
        assert_eq!(m, pm);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::to_string(&pv).unwrap()
        );
    }

    #[test]
    fn rows_are_l2_normalized_and_sorted() {
        let (_, m) = fit(TfidfConfig::default());
        for row in m.rows() {
            let norm: f32 = row.values.iter().map(|v| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5);
            assert!(row.indices.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn min_df_and_max_df_select_features() {
        let (v, _) = fit(TfidfConfig {
            min_df: 2,
            ..TfidfConfig::default()
        });
        assert!(v.vocabulary().feature_id("drone struck").is_some());
        assert!(v.vocabulary().feature_id("odesa").is_none());
        let (v, _) = fit(TfidfConfig {
            max_df: 0.5,
            ..TfidfConfig::default()
        });
        assert!(
            v.vocabulary().feature_id("the").is_none(),
            "in 4 of 5 documents"
        );
    }

    #[test]
    fn max_features_keeps_the_most_frequent() {
        let (v, _) = fit(TfidfConfig {
            max_features: Some(3),
            ..TfidfConfig::default()
        });
        assert_eq!(v.n_features(), 3);
        assert!(v.vocabulary().feature_id("the").is_some());
    }

    #[test]
    fn idf_matches_scikit_learn_smoothing() {
        let (v, _) = fit(TfidfConfig::default());
        let the = v.vocabulary().feature_id("the").unwrap() as usize;
        let expected = ((1.0 + 5.0) / (1.0 + 4.0f64)).ln() + 1.0; // "the" is in 4 of 5
        assert!((v.idf()[the] as f64 - expected).abs() < 1e-6);
    }

    #[test]
    fn unknown_words_break_ngrams_and_empty_text_gives_empty_row() {
        let (v, _) = fit(TfidfConfig::default());
        let m = v.transform(&["drones zzzz struck", ""]);
        let names: Vec<String> = m
            .row(0)
            .indices
            .iter()
            .map(|&f| v.vocabulary().feature_name(f as usize).unwrap())
            .collect();
        assert!(names.contains(&"drone".to_string()));
        assert!(!names.contains(&"drone struck".to_string()));
        assert_eq!(m.row(1).nnz(), 0);
    }

    #[test]
    fn rejects_empty_corpus_and_empty_vocabulary() {
        let empty: [&str; 0] = [];
        assert!(matches!(
            TfidfVectorizer::fit(&empty, AnalyzerConfig::default(), TfidfConfig::default()),
            Err(Error::Empty(_))
        ));
        assert!(matches!(
            TfidfVectorizer::fit(
                &["...", "!!"],
                AnalyzerConfig::default(),
                TfidfConfig::default()
            ),
            Err(Error::Empty(_))
        ));
    }

    #[test]
    fn serializes_and_transforms_the_same_after_loading() {
        let (v, m) = fit(TfidfConfig::default());
        let json = serde_json::to_string(&v).unwrap();
        let back: TfidfVectorizer = serde_json::from_str(&json).unwrap();
        assert_eq!(back.transform(CORPUS), m);
    }
}
