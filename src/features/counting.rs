//! Counting terms and n-grams while fitting, without a hash map per n-gram.
//!
//! The corpus is cut into chunks (one per thread, or one in all):
//! 1. [`ChunkTerms::analyze`] turns each chunk's documents into a stream of
//!    term ids, stemming each distinct word once, and counts the documents
//!    of each term.
//! 2. [`rank_terms`] sorts the terms of all chunks and rewrites every
//!    stream in global ranks, so a term's id is its place in sorted order.
//! 3. [`NgramOccurrences::collect`] packs every n-gram occurrence into a
//!    `u64` key ([`NgramKey`]) and radix-sorts the keys with their document
//!    numbers: equal n-grams become runs, and a run's distinct documents are
//!    its document frequency. Sorted keys are also the vocabulary's order.
//! 4. [`select`] merges the chunks' counts and keeps the features that pass
//!    the document-frequency limits.
//! 5. [`rows`] writes each document's TF-IDF row from its term stream and
//!    its sorted n-gram occurrences, without analyzing the text again.

use super::radix;
use super::vocabulary::{NgramKey, Vocabulary, NOT_A_FEATURE};
use crate::error::{Error, Result};
use crate::text::analyzer::{Analyzer, TermCache};
use rustc_hash::FxHashMap;

/// One chunk's documents as term ids.
#[derive(Debug, Default)]
pub(crate) struct ChunkTerms {
    /// Local term id to term (global ids after [`rank_terms`] are ranks in
    /// [`Terms::terms`]).
    terms: Vec<Box<str>>,
    /// Documents containing each local term.
    term_df: Vec<u32>,
    /// The term id of each kept token, document after document.
    stream: Vec<u32>,
    /// End of each document in `stream`.
    doc_ends: Vec<usize>,
}

impl ChunkTerms {
    /// Analyzes `docs` into term ids and counts each term's documents.
    pub(crate) fn analyze<S: AsRef<str>>(analyzer: &Analyzer, docs: &[S]) -> Self {
        let mut chunk = ChunkTerms::default();
        // About one token per six bytes of text.
        let bytes: usize = docs.iter().map(|d| d.as_ref().len()).sum();
        chunk.stream.reserve(bytes / 6);
        chunk.doc_ends.reserve(docs.len());
        let mut cache = TermCache::new();
        let mut term_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        // For each term: the last document that counted it (plus one), and
        // its document count, side by side for one memory access.
        let mut stats: Vec<[u32; 2]> = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            let stamp = d as u32 + 1;
            let from = chunk.stream.len();
            cache.ids_into(analyzer, doc.as_ref(), &mut chunk.stream, |term| {
                if let Some(&id) = term_ids.get(term) {
                    return id;
                }
                let id = term_ids.len() as u32;
                term_ids.insert(term.into(), id);
                id
            });
            stats.resize(term_ids.len(), [0, 0]);
            for &t in &chunk.stream[from..] {
                let stat = &mut stats[t as usize];
                if stat[0] != stamp {
                    stat[0] = stamp;
                    stat[1] += 1;
                }
            }
            chunk.doc_ends.push(chunk.stream.len());
        }
        chunk.term_df = stats.iter().map(|s| s[1]).collect();
        // The map owns each term once: move them out, in id order.
        chunk.terms = vec![Box::default(); term_ids.len()];
        for (term, id) in term_ids {
            chunk.terms[id as usize] = term;
        }
        chunk
    }

    /// Analyzes `docs` into the term ids of a fitted vocabulary (`unknown`
    /// for a term it lacks), without counting.
    pub(crate) fn lookup<S: AsRef<str>>(
        analyzer: &Analyzer,
        docs: &[S],
        vocabulary: &Vocabulary,
        unknown: u32,
    ) -> Self {
        let mut chunk = ChunkTerms::default();
        let bytes: usize = docs.iter().map(|d| d.as_ref().len()).sum();
        chunk.stream.reserve(bytes / 6);
        chunk.doc_ends.reserve(docs.len());
        let mut cache = TermCache::new();
        for doc in docs {
            cache.ids_into(analyzer, doc.as_ref(), &mut chunk.stream, |term| {
                vocabulary.term_id(term).unwrap_or(unknown)
            });
            chunk.doc_ends.push(chunk.stream.len());
        }
        chunk
    }

    /// Number of documents.
    pub(crate) fn n_docs(&self) -> usize {
        self.doc_ends.len()
    }

    /// The range of document `d` in the stream.
    fn doc_range(&self, d: usize) -> std::ops::Range<usize> {
        let start = if d == 0 { 0 } else { self.doc_ends[d - 1] };
        start..self.doc_ends[d]
    }
}

/// The sorted terms of all chunks and their document frequencies.
pub(crate) struct Terms {
    pub terms: Vec<Box<str>>,
    pub df: Vec<u32>,
}

/// Sorts the terms of all chunks and rewrites each chunk's stream so that a
/// term id is the term's rank.
pub(crate) fn rank_terms(chunks: &mut [ChunkTerms]) -> Terms {
    let ranks: Vec<Vec<u32>>;
    let terms: Vec<Box<str>>;
    if let [only] = chunks {
        // One chunk: sort its own ids by term.
        let mut order: Vec<u32> = (0..only.terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| only.terms[a as usize].cmp(&only.terms[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &local) in order.iter().enumerate() {
            rank[local as usize] = r as u32;
        }
        let mut local_terms = std::mem::take(&mut only.terms);
        terms = order
            .iter()
            .map(|&local| std::mem::take(&mut local_terms[local as usize]))
            .collect();
        ranks = vec![rank];
    } else {
        let mut all: Vec<&str> = chunks
            .iter()
            .flat_map(|c| c.terms.iter().map(|t| &**t))
            .collect();
        all.sort_unstable();
        all.dedup();
        let index: FxHashMap<&str, u32> = all
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i as u32))
            .collect();
        ranks = chunks
            .iter()
            .map(|c| c.terms.iter().map(|t| index[&**t]).collect())
            .collect();
        terms = all.into_iter().map(Box::from).collect();
        for chunk in chunks.iter_mut() {
            chunk.terms = Vec::new();
        }
    }
    let mut df = vec![0u32; terms.len()];
    for (chunk, rank) in chunks.iter_mut().zip(&ranks) {
        for (local, &count) in chunk.term_df.iter().enumerate() {
            df[rank[local] as usize] += count;
        }
        for t in chunk.stream.iter_mut() {
            *t = rank[*t as usize];
        }
    }
    Terms { terms, df }
}

/// Marks a term too rare to be in any feature.
const NOT_ELIGIBLE: u32 = u32::MAX;

/// The terms that can be part of a feature: those in at least `min_df`
/// documents (an n-gram is never in more documents than its rarest term).
/// Eligible ids follow rank order.
#[derive(Debug, Clone)]
pub(crate) struct Eligible {
    rank_to_id: Vec<u32>,
    id_to_rank: Vec<u32>,
}

impl Eligible {
    /// The terms of `terms` found in at least `min_df` documents.
    pub(crate) fn new(terms: &Terms, min_df: usize) -> Self {
        let mut rank_to_id = vec![NOT_ELIGIBLE; terms.df.len()];
        let mut id_to_rank = Vec::new();
        for (rank, &df) in terms.df.iter().enumerate() {
            if df as usize >= min_df {
                rank_to_id[rank] = id_to_rank.len() as u32;
                id_to_rank.push(rank as u32);
            }
        }
        Eligible {
            rank_to_id,
            id_to_rank,
        }
    }

    /// Number of eligible terms.
    pub(crate) fn len(&self) -> usize {
        self.id_to_rank.len()
    }
}

/// The packing for n-gram keys over `n_terms` ranked terms: as few bits per
/// term as the ranks need, so the radix sort makes few passes.
pub(crate) fn compact_packing(n_terms: usize, ngram_max: usize) -> Result<NgramKey> {
    let bits = (usize::BITS - n_terms.leading_zeros()).max(1);
    if bits as usize * ngram_max > 64 {
        return Err(Error::InvalidParam {
            name: "ngram_max",
            message: format!(
                "{n_terms} distinct terms are too many for n-grams of order {ngram_max}"
            ),
        });
    }
    Ok(NgramKey::with_bits(bits))
}

/// A chunk's n-gram occurrences (order 2 and up), sorted by key; within
/// equal keys, documents ascend.
#[derive(Debug)]
pub(crate) enum NgramOccurrences {
    /// Keys of at most 32 bits: `key << 32 | document`, one `u64` each.
    Packed(Vec<u64>),
    /// Wider keys, and the document of each beside.
    Split { keys: Vec<u64>, docs: Vec<u32> },
}

impl Default for NgramOccurrences {
    fn default() -> Self {
        NgramOccurrences::Packed(Vec::new())
    }
}

impl NgramOccurrences {
    /// Collects and sorts the n-grams of a ranked chunk whose terms are all
    /// eligible, keyed by the terms' eligible ids.
    pub(crate) fn collect(
        chunk: &ChunkTerms,
        eligible: &Eligible,
        packing: NgramKey,
        ngram_max: usize,
    ) -> Self {
        if ngram_max < 2 {
            return NgramOccurrences::default();
        }
        let key_bits = packing.bits() * ngram_max as u32;
        // Key and document fit in one u64 when the key takes at most 32
        // bits: then 8 bytes per occurrence are written and sorted instead
        // of 12.
        let narrow = key_bits <= 32;
        let capacity = chunk.stream.len() * (ngram_max - 1);
        let (mut keys, mut docs, mut packed) = if narrow {
            (Vec::new(), Vec::new(), Vec::with_capacity(capacity))
        } else {
            (
                Vec::with_capacity(capacity),
                Vec::with_capacity(capacity),
                Vec::new(),
            )
        };
        let mut ids = Vec::new();
        for d in 0..chunk.n_docs() {
            ids.clear();
            ids.extend(chunk.stream[chunk.doc_range(d)].iter().map(|&rank| {
                eligible
                    .rank_to_id
                    .get(rank as usize)
                    .copied()
                    .unwrap_or(NOT_ELIGIBLE)
            }));
            for order in 2..=ngram_max {
                for window in ids.windows(order) {
                    if window.iter().all(|&id| id != NOT_ELIGIBLE) {
                        let key = packing.pack(window);
                        if narrow {
                            packed.push((key << 32) | d as u64);
                        } else {
                            keys.push(key);
                            docs.push(d as u32);
                        }
                    }
                }
            }
        }
        if narrow {
            radix::sort_by_bits(&mut packed, 32, 32 + key_bits);
            NgramOccurrences::Packed(packed)
        } else {
            radix::sort_pairs(&mut keys, &mut docs, key_bits);
            NgramOccurrences::Split { keys, docs }
        }
    }

    /// Number of occurrences.
    fn len(&self) -> usize {
        match self {
            NgramOccurrences::Packed(packed) => packed.len(),
            NgramOccurrences::Split { keys, .. } => keys.len(),
        }
    }

    /// Calls `f(key, document)` for each occurrence, in order.
    #[inline]
    fn for_each(&self, mut f: impl FnMut(u64, u32)) {
        match self {
            NgramOccurrences::Packed(packed) => {
                packed.iter().for_each(|&p| f(p >> 32, p as u32));
            }
            NgramOccurrences::Split { keys, docs } => {
                keys.iter().zip(docs).for_each(|(&key, &doc)| f(key, doc));
            }
        }
    }

    /// Each distinct key with the number of documents it occurs in, ascending.
    pub(crate) fn distinct(&self) -> Vec<(u64, u32)> {
        let mut out: Vec<(u64, u32)> = Vec::new();
        let mut last_doc = u32::MAX;
        self.for_each(|key, doc| {
            match out.last_mut() {
                Some((k, df)) if *k == key => {
                    if doc != last_doc {
                        *df += 1;
                    }
                }
                _ => out.push((key, 1)),
            }
            last_doc = doc;
        });
        out
    }
}

/// Merges ascending `(key, count)` lists, adding the counts of equal keys.
pub(crate) fn merge_counts(mut lists: Vec<Vec<(u64, u32)>>) -> Vec<(u64, u32)> {
    while lists.len() > 1 {
        let b = lists.pop().unwrap_or_default();
        let a = lists.pop().unwrap_or_default();
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1 + b[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        lists.insert(0, out);
    }
    lists.pop().unwrap_or_default()
}

/// Which features to keep, by document frequency.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Selection {
    pub min_df: usize,
    pub max_df: usize,
    pub max_features: Option<usize>,
}

/// The chosen features.
pub(crate) struct Selected {
    pub vocabulary: Vocabulary,
    /// Document frequency of each feature.
    pub df: Vec<u32>,
    /// Where each term and n-gram of the counted chunks lands.
    pub index: FeatureIndex,
}

/// Feature ids for term streams and sorted n-gram occurrences.
#[derive(Debug, Clone)]
pub(crate) struct FeatureIndex {
    /// Feature id of each term's unigram (by the stream's term id), or
    /// [`NOT_A_FEATURE`].
    unigram_fid: Vec<u32>,
    /// Keys of the n-gram features, ascending, in the packing the
    /// occurrences use; feature id is `first_ngram + index`.
    ngram_keys: Vec<u64>,
    first_ngram: usize,
}

/// What transforming new text in batches needs from a fitted vocabulary:
/// its feature index, every term as eligible, and the compact packing.
#[derive(Debug, Clone)]
pub(crate) struct BatchIndex {
    pub index: FeatureIndex,
    pub eligible: Eligible,
    pub packing: NgramKey,
}

impl BatchIndex {
    /// The index of a fitted vocabulary.
    pub(crate) fn new(vocabulary: &Vocabulary) -> Result<Self> {
        let n_terms = vocabulary.terms().len();
        let n = vocabulary.ngram_max();
        let packing = compact_packing(n_terms, n)?;
        let wide = vocabulary.packing();
        let mut ids = Vec::new();
        let mut first_ngram = 0;
        let mut ngram_keys = Vec::new();
        for &key in vocabulary.keys() {
            if wide.is_unigram(key) {
                first_ngram += 1;
            } else {
                wide.unpack(key, &mut ids);
                ngram_keys.push(packing.pack(&ids));
            }
        }
        let unigram_fid = (0..n_terms as u32)
            .map(|t| vocabulary.unigram_feature(t).unwrap_or(NOT_A_FEATURE))
            .collect();
        let eligible = Eligible {
            rank_to_id: (0..n_terms as u32).collect(),
            id_to_rank: (0..n_terms as u32).collect(),
        };
        Ok(BatchIndex {
            index: FeatureIndex {
                unigram_fid,
                ngram_keys,
                first_ngram,
            },
            eligible,
            packing,
        })
    }
}

/// Keeps the terms and n-grams that pass `selection`, in key order. Keys
/// are over eligible ids.
pub(crate) fn select(
    terms: &Terms,
    eligible: &Eligible,
    ngrams: &[(u64, u32)],
    packing: NgramKey,
    ngram_max: usize,
    selection: Selection,
) -> Selected {
    let keep = |df: u32| (df as usize) >= selection.min_df && (df as usize) <= selection.max_df;
    let mut candidates: Vec<(u64, u32)> = eligible
        .id_to_rank
        .iter()
        .enumerate()
        .map(|(id, &rank)| (id, terms.df[rank as usize]))
        .filter(|&(_, df)| keep(df))
        .map(|(id, df)| (packing.pack(&[id as u32]), df))
        .collect();
    candidates.extend(ngrams.iter().copied().filter(|&(_, df)| keep(df)));
    if let Some(max) = selection.max_features {
        if candidates.len() > max {
            // Most frequent first; ties broken by key, so the choice is stable.
            candidates.select_nth_unstable_by(max, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(max);
            candidates.sort_unstable_by_key(|c| c.0);
        }
    }
    // Keep only the terms that features use, and re-key over their order.
    let mut used = vec![false; eligible.len()];
    let mut ids = Vec::new();
    for &(key, _) in &candidates {
        packing.unpack(key, &mut ids);
        for &id in &ids {
            used[id as usize] = true;
        }
    }
    let mut new_id = vec![u32::MAX; eligible.len()];
    let mut kept_terms: Vec<Box<str>> = Vec::new();
    for (id, &rank) in eligible.id_to_rank.iter().enumerate() {
        if used[id] {
            new_id[id] = kept_terms.len() as u32;
            kept_terms.push(terms.terms[rank as usize].clone());
        }
    }
    let out_packing = NgramKey::for_order(ngram_max);
    let keys: Vec<u64> = candidates
        .iter()
        .map(|&(key, _)| {
            packing.unpack(key, &mut ids);
            for id in ids.iter_mut() {
                *id = new_id[*id as usize];
            }
            out_packing.pack(&ids)
        })
        .collect();
    let first_ngram = candidates.partition_point(|c| packing.is_unigram(c.0));
    let mut unigram_fid = vec![NOT_A_FEATURE; terms.terms.len()];
    for (fid, &(key, _)) in candidates[..first_ngram].iter().enumerate() {
        let rank = eligible.id_to_rank[(key - 1) as usize];
        unigram_fid[rank as usize] = fid as u32;
    }
    Selected {
        vocabulary: Vocabulary::new(ngram_max, kept_terms, keys),
        df: candidates.iter().map(|c| c.1).collect(),
        index: FeatureIndex {
            unigram_fid,
            ngram_keys: candidates[first_ngram..].iter().map(|c| c.0).collect(),
            first_ngram,
        },
    }
}

/// Writes the TF-IDF rows of a chunk's documents with `write_row(features)`,
/// where `features` are `(feature id, count)` pairs, ascending.
pub(crate) fn rows(
    chunk: &ChunkTerms,
    occurrences: &NgramOccurrences,
    selected: &FeatureIndex,
    mut write_row: impl FnMut(&[(u32, u32)]),
) {
    // Each kept n-gram occurrence as a feature id, grouped by document with
    // a counting sort; occurrences come in key order, so ids ascend within
    // each document.
    let n_docs = chunk.n_docs();
    let mut fids = Vec::with_capacity(occurrences.len());
    let mut per_doc = vec![0usize; n_docs + 1];
    let mut k = 0;
    let (mut run_key, mut run_fid) = (u64::MAX, NOT_A_FEATURE);
    occurrences.for_each(|key, doc| {
        // Occurrences of one n-gram come in a run: look its id up once.
        if key != run_key {
            while k < selected.ngram_keys.len() && selected.ngram_keys[k] < key {
                k += 1;
            }
            run_key = key;
            run_fid = if k < selected.ngram_keys.len() && selected.ngram_keys[k] == key {
                (selected.first_ngram + k) as u32
            } else {
                NOT_A_FEATURE
            };
        }
        fids.push(run_fid);
        if run_fid != NOT_A_FEATURE {
            per_doc[doc as usize + 1] += 1;
        }
    });
    for d in 0..n_docs {
        per_doc[d + 1] += per_doc[d];
    }
    let mut grouped = vec![0u32; per_doc[n_docs]];
    let mut next = per_doc.clone();
    let mut fid_of = fids.iter();
    occurrences.for_each(|_, doc| {
        let fid = fid_of.next().copied().unwrap_or(NOT_A_FEATURE);
        if fid != NOT_A_FEATURE {
            let slot = &mut next[doc as usize];
            grouped[*slot] = fid;
            *slot += 1;
        }
    });
    drop(fids);
    // Unigram features come first in feature order, then the n-grams.
    let mut counts: Vec<u32> = vec![0; selected.first_ngram];
    let mut touched: Vec<u32> = Vec::new();
    let mut row: Vec<(u32, u32)> = Vec::new();
    for d in 0..n_docs {
        row.clear();
        for &rank in &chunk.stream[chunk.doc_range(d)] {
            let fid = selected
                .unigram_fid
                .get(rank as usize)
                .copied()
                .unwrap_or(NOT_A_FEATURE);
            if fid != NOT_A_FEATURE {
                if counts[fid as usize] == 0 {
                    touched.push(fid);
                }
                counts[fid as usize] += 1;
            }
        }
        touched.sort_unstable();
        for &fid in &touched {
            row.push((fid, std::mem::take(&mut counts[fid as usize])));
        }
        touched.clear();
        for &fid in &grouped[per_doc[d]..per_doc[d + 1]] {
            match row.last_mut() {
                Some((last, count)) if *last == fid => *count += 1,
                _ => row.push((fid, 1)),
            }
        }
        write_row(&row);
    }
}
