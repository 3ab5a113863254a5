//! The fitted vocabulary: which terms and n-grams are features, in a fixed
//! order.
//!
//! An n-gram is keyed by its term ids packed into one `u64`
//! ([`NgramKey`]), never by a new string. Term ids are ranks in the sorted
//! list of terms, so sorting the keys sorts the features: unigrams first in
//! term order, then bigrams by (first term, second term), then trigrams. The
//! order depends only on the features, never on the input order or on the
//! number of threads.

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Packs the term ids of an n-gram into a `u64`, `bits` bits per term,
/// each stored plus one so that a unigram key is below `1 << bits`, a
/// bigram key below `1 << 2 * bits`, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NgramKey {
    bits: u32,
}

impl NgramKey {
    /// The packing for n-grams of order up to `ngram_max` (1 to 3).
    pub fn for_order(ngram_max: usize) -> Self {
        NgramKey {
            bits: if ngram_max <= 2 { 32 } else { 21 },
        }
    }

    /// A packing with `bits` bits per term (1 to 32).
    pub(crate) fn with_bits(bits: u32) -> Self {
        NgramKey {
            bits: bits.clamp(1, 32),
        }
    }

    /// Bits per term.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// How many distinct terms the packing can key.
    pub fn max_terms(&self) -> u64 {
        (1u64 << self.bits) - 1
    }

    /// Whether `key` is the key of a single term.
    #[inline]
    pub fn is_unigram(&self, key: u64) -> bool {
        key < (1u64 << self.bits)
    }

    /// The key of the n-gram made of `ids`.
    #[inline]
    pub fn pack(&self, ids: &[u32]) -> u64 {
        ids.iter()
            .fold(0u64, |key, &id| (key << self.bits) | (u64::from(id) + 1))
    }

    /// The term ids of `key`, written into `out` (cleared first).
    pub fn unpack(&self, mut key: u64, out: &mut Vec<u32>) {
        out.clear();
        let mask = (1u64 << self.bits) - 1;
        while key != 0 {
            out.push(((key & mask) - 1) as u32);
            key >>= self.bits;
        }
        out.reverse();
    }

    /// The key of `key` with every term id replaced by `map[id]`.
    #[inline]
    pub fn remap(&self, key: u64, map: &[u32]) -> u64 {
        self.repack(key, map, *self)
    }

    /// The key of `key` in the packing `to`, every term id replaced by
    /// `map[id]`.
    #[inline]
    pub fn repack(&self, key: u64, map: &[u32], to: NgramKey) -> u64 {
        let mut out = 0u64;
        let mut shift = 0;
        self.for_each_id(key, |id| {
            out |= (u64::from(map[id as usize]) + 1) << shift;
            shift += to.bits;
        });
        out
    }

    /// Calls `f` with each term id of `key`, the last term first.
    #[inline]
    pub fn for_each_id(&self, mut key: u64, mut f: impl FnMut(u32)) {
        let mask = (1u64 << self.bits) - 1;
        while key != 0 {
            f(((key & mask) - 1) as u32);
            key >>= self.bits;
        }
    }
}

/// The fitted vocabulary: the sorted terms and the feature keys over them.
///
/// Feature `i` is `keys[i]`; keys ascend. Serialized as the term list and
/// the features' term-id lists, and indexed for lookups on load.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "VocabularyData", into = "VocabularyData")]
pub struct Vocabulary {
    ngram_max: usize,
    terms: Vec<Box<str>>,
    keys: Vec<u64>,
    index: VocabularyIndex,
}

/// Lookup tables rebuilt from the terms and keys.
#[derive(Debug, Clone, Default)]
struct VocabularyIndex {
    /// Each term's id, built on the first lookup (fitting never needs it).
    term_ids: std::sync::OnceLock<FxHashMap<Box<str>, u32>>,
    /// Feature id of each term's unigram, or [`NOT_A_FEATURE`].
    unigram: Vec<u32>,
    /// Feature id of each n-gram key of order 2 or more, built on the first
    /// lookup (fitting and batch transforms never need it).
    ngrams: std::sync::OnceLock<FxHashMap<u64, u32>>,
}

/// Marks a term whose unigram is not a feature.
pub const NOT_A_FEATURE: u32 = u32::MAX;

/// The serialized form of a [`Vocabulary`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyData {
    ngram_max: usize,
    /// Sorted, distinct terms.
    terms: Vec<String>,
    /// Each feature as the ids of its terms, in feature order.
    features: Vec<Vec<u32>>,
}

impl From<Vocabulary> for VocabularyData {
    fn from(v: Vocabulary) -> Self {
        let packing = NgramKey::for_order(v.ngram_max);
        let mut ids = Vec::new();
        let features = v
            .keys
            .iter()
            .map(|&key| {
                packing.unpack(key, &mut ids);
                ids.clone()
            })
            .collect();
        VocabularyData {
            ngram_max: v.ngram_max,
            terms: v.terms.into_iter().map(String::from).collect(),
            features,
        }
    }
}

impl TryFrom<VocabularyData> for Vocabulary {
    type Error = Error;

    fn try_from(data: VocabularyData) -> Result<Self> {
        let bad = |message: String| Error::InvalidParam {
            name: "vocabulary",
            message,
        };
        if !(1..=crate::text::analyzer::MAX_NGRAM).contains(&data.ngram_max) {
            return Err(bad(format!("ngram_max {} out of range", data.ngram_max)));
        }
        if data.terms.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad("terms are not sorted and distinct".into()));
        }
        let packing = NgramKey::for_order(data.ngram_max);
        let n_terms = data.terms.len();
        let mut keys = Vec::with_capacity(data.features.len());
        for ids in &data.features {
            if ids.is_empty() || ids.len() > data.ngram_max {
                return Err(bad(format!("a feature has {} terms", ids.len())));
            }
            if ids.iter().any(|&id| id as usize >= n_terms) {
                return Err(bad("a feature names a term that does not exist".into()));
            }
            keys.push(packing.pack(ids));
        }
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad("features are not in order".into()));
        }
        let terms = data.terms.into_iter().map(String::into_boxed_str).collect();
        Ok(Vocabulary::new(data.ngram_max, terms, keys))
    }
}

impl Vocabulary {
    /// A vocabulary from sorted distinct `terms` and ascending feature `keys`
    /// packed with [`NgramKey::for_order`]`(ngram_max)`.
    pub(crate) fn new(ngram_max: usize, terms: Vec<Box<str>>, keys: Vec<u64>) -> Self {
        let packing = NgramKey::for_order(ngram_max);
        let mut index = VocabularyIndex {
            term_ids: std::sync::OnceLock::new(),
            unigram: vec![NOT_A_FEATURE; terms.len()],
            ngrams: std::sync::OnceLock::new(),
        };
        for (fid, &key) in keys.iter().enumerate() {
            if packing.is_unigram(key) {
                index.unigram[(key - 1) as usize] = fid as u32;
            }
        }
        Vocabulary {
            ngram_max,
            terms,
            keys,
            index,
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The largest n-gram order.
    pub fn ngram_max(&self) -> usize {
        self.ngram_max
    }

    /// The key packing used by this vocabulary.
    pub fn packing(&self) -> NgramKey {
        NgramKey::for_order(self.ngram_max)
    }

    /// The feature keys, ascending (feature `i` is `keys()[i]`).
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// The terms, sorted.
    pub fn terms(&self) -> &[Box<str>] {
        &self.terms
    }

    /// The id of a term, if any feature uses it.
    #[inline]
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.index
            .term_ids
            .get_or_init(|| {
                self.terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.clone(), i as u32))
                    .collect()
            })
            .get(term)
            .copied()
    }

    /// The feature id of the unigram of term `id`, if it is a feature.
    #[inline]
    pub fn unigram_feature(&self, term_id: u32) -> Option<u32> {
        match self.index.unigram.get(term_id as usize) {
            Some(&f) if f != NOT_A_FEATURE => Some(f),
            _ => None,
        }
    }

    /// The feature id of the n-gram (order 2 or more) with this key.
    #[inline]
    pub fn ngram_feature(&self, key: u64) -> Option<u32> {
        let packing = self.packing();
        self.index
            .ngrams
            .get_or_init(|| {
                self.keys
                    .iter()
                    .enumerate()
                    .filter(|(_, &key)| !packing.is_unigram(key))
                    .map(|(fid, &key)| (key, fid as u32))
                    .collect()
            })
            .get(&key)
            .copied()
    }

    /// The feature id of a feature written as text (`"air strike"` after
    /// analysis: stemmed terms joined by one space).
    pub fn feature_id(&self, feature: &str) -> Option<u32> {
        let ids: Option<Vec<u32>> = feature.split(' ').map(|t| self.term_id(t)).collect();
        let ids = ids?;
        match ids.as_slice() {
            [] => None,
            [one] => self.unigram_feature(*one),
            many if many.len() <= self.ngram_max => self.ngram_feature(self.packing().pack(many)),
            _ => None,
        }
    }

    /// Feature `fid` as text: its terms joined by one space.
    pub fn feature_name(&self, fid: usize) -> Option<String> {
        let key = *self.keys.get(fid)?;
        let mut ids = Vec::new();
        self.packing().unpack(key, &mut ids);
        let words: Vec<&str> = ids.iter().map(|&i| &*self.terms[i as usize]).collect();
        Some(words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vocabulary {
        let terms: Vec<Box<str>> = ["air", "raid", "siren"].iter().map(|&s| s.into()).collect();
        let p = NgramKey::for_order(2);
        let mut keys = vec![p.pack(&[0]), p.pack(&[2]), p.pack(&[0, 1]), p.pack(&[1, 2])];
        keys.sort_unstable();
        Vocabulary::new(2, terms, keys)
    }

    #[test]
    fn keys_sort_unigrams_before_bigrams_in_term_order() {
        let p = NgramKey::for_order(2);
        assert!(p.pack(&[5]) < p.pack(&[0, 0]));
        assert!(p.pack(&[0, 9]) < p.pack(&[1, 0]));
        let p3 = NgramKey::for_order(3);
        assert!(p3.pack(&[7, 7]) < p3.pack(&[0, 0, 0]));
        let mut out = Vec::new();
        p3.unpack(p3.pack(&[3, 0, 2]), &mut out);
        assert_eq!(out, [3, 0, 2]);
    }

    #[test]
    fn looks_up_features_by_text() {
        let v = sample();
        assert_eq!(v.len(), 4);
        assert_eq!(v.feature_id("air"), Some(0));
        assert_eq!(v.feature_id("raid"), None, "term used only in n-grams");
        assert_eq!(v.feature_id("air raid"), Some(2));
        assert_eq!(v.feature_name(3).as_deref(), Some("raid siren"));
    }

    #[test]
    fn serializes_and_rebuilds_its_index() {
        let v = sample();
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(
            json,
            r#"{"ngram_max":2,"terms":["air","raid","siren"],"features":[[0],[2],[0,1],[1,2]]}"#
        );
        let back: Vocabulary = serde_json::from_str(&json).unwrap();
        assert_eq!(back.feature_id("raid siren"), Some(3));
    }

    #[test]
    fn rejects_corrupt_data() {
        let unsorted = r#"{"ngram_max":2,"terms":["b","a"],"features":[[0]]}"#;
        assert!(serde_json::from_str::<Vocabulary>(unsorted).is_err());
        let dangling = r#"{"ngram_max":2,"terms":["a"],"features":[[3]]}"#;
        assert!(serde_json::from_str::<Vocabulary>(dangling).is_err());
    }
}
