//! Counting terms and n-grams while fitting, without a hash map per n-gram.
//!
//! The corpus is cut into chunks (one per thread, or one in all):
//! 1. [`ChunkTerms::analyze`] turns each chunk's documents into a stream of
//!    local ids, one per distinct word, stemming each distinct word once.
//! 2. [`rank_terms`] sorts the terms of all chunks (words with the same
//!    term become one), counts the documents of each term, numbers first
//!    those frequent enough to be in a feature, and rewrites every stream
//!    in those global ids.
//! 3. [`NgramOccurrences::collect`] packs every n-gram occurrence into a
//!    `u64` key ([`NgramKey`]) and radix-sorts the keys with their document
//!    numbers (first into buckets by their top bits, then each bucket in
//!    cache): equal n-grams become runs, and a run's distinct documents are
//!    its document frequency. Sorted keys are also the vocabulary's order.
//! 4. [`select`] merges the chunks' counts (one range of keys per thread)
//!    and keeps the features that pass the document-frequency limits.
//! 5. [`rows`] writes each document's TF-IDF row from its term stream and
//!    its sorted n-gram occurrences, without analyzing the text again.

use super::bitmap_sort::BitmapSorter;
use super::term_list::TermList;
use super::vocabulary::{NgramKey, Vocabulary, NOT_A_FEATURE};
use super::{for_each_chunk, radix};
use crate::error::{Error, Result};
use crate::huge_pages;
use crate::text::analyzer::{Analyzer, TermCache};
use std::borrow::Cow;

/// One chunk's documents as term ids.
#[derive(Debug, Default)]
pub(crate) struct ChunkTerms {
    /// Each local id's term (emptied by [`rank_terms`], which rewrites the
    /// stream in the ids of [`Terms`]). While fitting, a local id stands
    /// for a distinct word, so two words with one stem (`strike`,
    /// `strikes`) have two local ids and the same term.
    terms: TermList,
    /// The local id of each kept token, document after document; after
    /// [`rank_terms`], its term id.
    stream: Vec<u32>,
    /// End of each document in `stream`.
    doc_ends: Vec<usize>,
}

impl ChunkTerms {
    /// An empty chunk with room for the stream and document ends of `docs`,
    /// and the bytes of text in `docs`.
    fn with_room_for<S: AsRef<str>>(docs: &[S]) -> (Self, usize) {
        let mut chunk = ChunkTerms::default();
        // About one token per six bytes of text (a little more room, so
        // the stream does not move).
        let bytes: usize = docs.iter().map(|d| d.as_ref().len()).sum();
        chunk.stream.reserve(bytes / 5);
        huge_pages::advise(&chunk.stream);
        chunk.doc_ends.reserve(docs.len());
        (chunk, bytes)
    }

    /// Analyzes `docs` into local ids: each distinct word (as the cache
    /// tells them apart) gets the next id, and its term is kept in id
    /// order. Words are not merged by term here: that would take a second
    /// table, looked up once per new word at a place in memory no earlier
    /// lookup brought into cache; [`rank_terms`] merges them while sorting.
    pub(crate) fn analyze<S: AsRef<str>>(analyzer: &Analyzer, docs: &[S]) -> Self {
        let (mut chunk, bytes) = ChunkTerms::with_room_for(docs);
        let mut cache = TermCache::for_text_bytes(bytes);
        for doc in docs {
            let terms = &mut chunk.terms;
            cache.ids_into(analyzer, doc.as_ref(), &mut chunk.stream, |term| {
                terms.push(term)
            });
            chunk.doc_ends.push(chunk.stream.len());
        }
        chunk
    }

    /// Adds the number of this chunk's documents containing each term to
    /// `df`, given the `rank` of each local id in `df`.
    fn count_documents(&self, rank: &[u32], df: &mut [u32]) {
        // Each local id's term is counted under the first local id with
        // the same term: frequent words were seen early and have small
        // ids, so the counts they touch stay close together in cache.
        let mut first_of_rank = vec![u32::MAX; df.len()];
        let first: Vec<u32> = rank
            .iter()
            .enumerate()
            .map(|(local, &r)| {
                let first = &mut first_of_rank[r as usize];
                if *first == u32::MAX {
                    *first = local as u32;
                }
                *first
            })
            .collect();
        drop(first_of_rank);
        // For each first local id: the last document that counted it (plus
        // one), and its document count, side by side for one memory access.
        let mut stats = vec![[0u32; 2]; rank.len()];
        let mut start = 0;
        for (d, &end) in self.doc_ends.iter().enumerate() {
            let stamp = d as u32 + 1;
            // Without a branch: whether a term was seen before in this
            // document is a coin toss the processor cannot predict.
            for &t in &self.stream[start..end] {
                let stat = &mut stats[first[t as usize] as usize];
                stat[1] += u32::from(stat[0] != stamp);
                stat[0] = stamp;
            }
            start = end;
        }
        for (local, stat) in stats.iter().enumerate() {
            if first[local] == local as u32 {
                df[rank[local] as usize] += stat[1];
            }
        }
    }

    /// Analyzes `docs` into the term ids of a fitted vocabulary (`unknown`
    /// for a term it lacks), without counting.
    pub(crate) fn lookup<S: AsRef<str>>(
        analyzer: &Analyzer,
        docs: &[S],
        vocabulary: &Vocabulary,
        unknown: u32,
    ) -> Self {
        let (mut chunk, bytes) = ChunkTerms::with_room_for(docs);
        let mut cache = TermCache::for_text_bytes(bytes);
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

    /// Number of kept tokens in all documents.
    pub(crate) fn n_tokens(&self) -> usize {
        self.stream.len()
    }

    /// The range of document `d` in the stream.
    fn doc_range(&self, d: usize) -> std::ops::Range<usize> {
        let start = if d == 0 { 0 } else { self.doc_ends[d - 1] };
        start..self.doc_ends[d]
    }
}

/// The terms of all chunks, numbered so that the terms that can be part of
/// a feature come first.
pub(crate) struct Terms {
    /// Ids `0..n_eligible`: the terms in at least `min_df` documents (an
    /// n-gram is never in more documents than its rarest term), sorted.
    /// The other terms, sorted, have the ids after those; their text is
    /// not kept.
    pub eligible: TermList,
    /// Documents containing each term, eligible or not.
    pub df: Vec<u32>,
    /// Number of eligible terms.
    pub n_eligible: u32,
}

/// Numbers the terms of all chunks as [`Terms`] lays them out for
/// `min_df`, and rewrites each chunk's stream in those ids: the local ids
/// of one term (in one chunk or several) become one id, and its documents
/// are counted once each. Eligible ids follow the terms' sorted order, so
/// n-gram keys over them sort like the vocabulary; a stream id at or
/// above `n_eligible` breaks n-grams. With `parallel`, each chunk sorts
/// its terms, counts their documents and rewrites its stream on a thread
/// of its own, and the sorted lists are merged in one range of terms per
/// thread; numbering the merged terms is serial.
pub(crate) fn rank_terms(chunks: &mut [ChunkTerms], min_df: usize, parallel: bool) -> Terms {
    let orders: Vec<Vec<(u64, u32)>> = for_each_chunk(chunks.iter_mut(), parallel, |chunk| {
        sorted_order(&chunk.terms)
    });
    let (sources, ranks) = merge_sorted_terms(chunks, &orders, parallel);
    drop(orders);
    // Each chunk counts the documents of each term among its own: the
    // chunks' documents are distinct, so the counts add up.
    let n_ranks = sources.len();
    let chunk_dfs = for_each_chunk(chunks.iter().zip(&ranks), parallel, |(chunk, rank)| {
        let mut df = vec![0u32; n_ranks];
        chunk.count_documents(rank, &mut df);
        df
    });
    let mut sorted_df = vec![0u32; n_ranks];
    for chunk_df in &chunk_dfs {
        for (total, &count) in sorted_df.iter_mut().zip(chunk_df) {
            *total += count;
        }
    }
    drop(chunk_dfs);
    // Eligible terms first, then the others, each group in sorted order.
    let is_eligible = |df: u32| df as usize >= min_df;
    let n_eligible = sorted_df.iter().filter(|&&df| is_eligible(df)).count() as u32;
    let mut id_of_rank = vec![0u32; sources.len()];
    let mut eligible = TermList::default();
    let mut next_other = n_eligible;
    let mut df = vec![0u32; sources.len()];
    for ((id, &count), &(c, local)) in id_of_rank.iter_mut().zip(&sorted_df).zip(&sources) {
        *id = if is_eligible(count) {
            eligible.push(chunks[c as usize].terms.get(local))
        } else {
            let other = next_other;
            next_other += 1;
            other
        };
        df[*id as usize] = count;
    }
    for chunk in chunks.iter_mut() {
        chunk.terms = TermList::default();
    }
    for_each_chunk(chunks.iter_mut().zip(ranks), parallel, |(chunk, rank)| {
        let id: Vec<u32> = rank.iter().map(|&r| id_of_rank[r as usize]).collect();
        for t in chunk.stream.iter_mut() {
            *t = id[*t as usize];
        }
    });
    Terms {
        eligible,
        df,
        n_eligible,
    }
}

/// The ids of `terms` in the terms' sorted order, each beside the term's
/// first eight bytes as one integer (see [`prefix`]): most comparisons, in
/// this sort and when merging chunks, do not follow a pointer.
fn sorted_order(terms: &TermList) -> Vec<(u64, u32)> {
    let mut keyed: Vec<(u64, u32)> = terms
        .iter()
        .enumerate()
        .map(|(id, term)| (prefix(term), id as u32))
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| terms.get(a.1).cmp(terms.get(b.1)))
    });
    keyed
}

/// The first eight bytes of `term`, zero-padded, as a big-endian integer:
/// prefixes order like the terms, except that equal prefixes need the rest.
fn prefix(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// Cuts lists sorted by the `u64` of their entries into one range of keys
/// per thread with `parallel` (else one): every list is cut at the same
/// keys, taken from the longest list in equal parts, so equal keys land in
/// the same range. Returns each range's slice of every list.
fn key_ranges<T>(lists: &[Vec<(u64, T)>], parallel: bool) -> Vec<Vec<&[(u64, T)]>> {
    let longest = lists.iter().map(Vec::as_slice).max_by_key(|l| l.len());
    let longest = longest.unwrap_or_default();
    let n_ranges = if parallel {
        rayon::current_num_threads().clamp(1, longest.len().max(1))
    } else {
        1
    };
    // Where range r starts in a list: at its first key not below the r-th
    // bound (none for the first range, the list's end after the last).
    let start = |list: &[(u64, T)], r: usize| match r {
        0 => 0,
        r if r == n_ranges => list.len(),
        r => {
            let bound = longest[longest.len() * r / n_ranges].0;
            list.partition_point(|e| e.0 < bound)
        }
    };
    (0..n_ranges)
        .map(|r| {
            lists
                .iter()
                .map(|list| &list[start(list, r)..start(list, r + 1)])
                .collect()
        })
        .collect()
}

/// Merges the chunks' terms, each chunk's local ids given in term order
/// with their prefixes by `orders`, into one sorted list without
/// duplicates (a term may be found under several local ids of a chunk).
/// Returns where each term of that list is found (a chunk and one of its
/// local ids) and, for each chunk, the rank of each of its local ids.
/// With `parallel`, the prefixes are cut into one range per thread (terms
/// with equal prefixes in the same range) and each range is merged on its
/// own, as is each chunk's numbering of its local ids.
fn merge_sorted_terms(
    chunks: &[ChunkTerms],
    orders: &[Vec<(u64, u32)>],
    parallel: bool,
) -> (Vec<(u32, u32)>, Vec<Vec<u32>>) {
    let ranges = key_ranges(orders, parallel);
    let merged = for_each_chunk(&ranges, parallel, |slices| merge_range(chunks, slices));
    // Each range's ranks follow those of the ranges before it.
    let mut offsets = Vec::with_capacity(ranges.len());
    let mut sources = Vec::with_capacity(merged.iter().map(|m| m.0.len()).sum());
    for (range_sources, _) in &merged {
        offsets.push(sources.len() as u32);
        sources.extend_from_slice(range_sources);
    }
    let ranks = for_each_chunk(0..chunks.len(), parallel, |c| {
        let mut rank = vec![0u32; chunks[c].terms.len()];
        for ((slices, (_, range_ranks)), &offset) in ranges.iter().zip(&merged).zip(&offsets) {
            for (&(_, local), &range_rank) in slices[c].iter().zip(&range_ranks[c]) {
                rank[local as usize] = offset + range_rank;
            }
        }
        rank
    });
    (sources, ranks)
}

/// Merges one range of the chunks' sorted terms (`slices`, one per chunk)
/// into a sorted list without duplicates. Returns where each term of that
/// list is found (a chunk and one of its local ids) and, for each chunk,
/// the list's index of each entry of its slice.
fn merge_range(
    chunks: &[ChunkTerms],
    slices: &[&[(u64, u32)]],
) -> (Vec<(u32, u32)>, Vec<Vec<u32>>) {
    let mut ranks: Vec<Vec<u32>> = slices.iter().map(|s| Vec::with_capacity(s.len())).collect();
    let mut heads = vec![0usize; slices.len()];
    let capacity = slices.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut sources: Vec<(u32, u32)> = Vec::with_capacity(capacity);
    // The next term of chunk `c`: its prefix and local id.
    let next = |c: usize, heads: &[usize]| slices[c].get(heads[c]).copied();
    loop {
        // The chunk whose next term is smallest.
        let mut smallest: Option<(usize, u64, u32)> = None;
        for (c, chunk) in chunks.iter().enumerate() {
            let Some((key, local)) = next(c, &heads) else {
                continue;
            };
            let smaller = match smallest {
                None => true,
                Some((best_c, best_key, best_local)) => {
                    key < best_key
                        || (key == best_key
                            && chunk.terms.get(local) < chunks[best_c].terms.get(best_local))
                }
            };
            if smaller {
                smallest = Some((c, key, local));
            }
        }
        let Some((first, first_key, first_local)) = smallest else {
            break;
        };
        let rank = sources.len() as u32;
        // Every local id of every chunk whose next terms are the same one
        // gets the same rank. Most terms differ in their prefixes: the text
        // is read only when two prefixes are equal.
        for (c, chunk) in chunks.iter().enumerate() {
            while let Some((key, other)) = next(c, &heads) {
                let same = (c == first && other == first_local)
                    || (key == first_key
                        && chunk.terms.get(other) == chunks[first].terms.get(first_local));
                if !same {
                    break;
                }
                ranks[c].push(rank);
                heads[c] += 1;
            }
        }
        sources.push((first as u32, first_local));
    }
    (sources, ranks)
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
pub(crate) struct NgramOccurrences {
    sorted: SortedOccurrences,
    /// Number of occurrences in each document.
    per_doc: Vec<usize>,
}

/// The sorted occurrences, packed with their documents when both fit.
#[derive(Debug)]
enum SortedOccurrences {
    /// `key << doc_bits | document`, one `u64` each.
    Packed { values: Vec<u64>, doc_bits: u32 },
    /// Wider keys, and the document of each beside.
    Split { keys: Vec<u64>, docs: Vec<u32> },
}

/// Packed occurrences are first cut into buckets by this many top bits of
/// their keys, then each bucket is sorted on its own, in cache. On 20
/// Newsgroups (3.4 million bigram occurrences), 10 bits collect 2 to 3 ms
/// faster than 11 (fewer places to scatter to, fewer digit counts to
/// clear) and 9 bits 5 ms slower (buckets too large for the cache).
const BUCKET_BITS: u32 = 10;

impl NgramOccurrences {
    /// Collects and sorts the n-grams of a ranked chunk whose terms are all
    /// eligible (ids below `n_eligible`). With `count_documents` set to
    /// `Some(min_docs)`, also returns each distinct n-gram key that occurs
    /// in at least `min_docs` documents with its number of documents,
    /// ascending (otherwise an empty list).
    pub(crate) fn collect(
        chunk: &ChunkTerms,
        n_eligible: u32,
        packing: NgramKey,
        ngram_max: usize,
        count_documents: Option<u32>,
    ) -> (Self, Vec<(u64, u32)>) {
        let ngrams = ChunkNgrams {
            chunk,
            n_eligible,
            packing,
            ngram_max,
        };
        let mut per_doc = vec![0; chunk.n_docs()];
        if ngram_max < 2 {
            let sorted = SortedOccurrences::Split {
                keys: Vec::new(),
                docs: Vec::new(),
            };
            return (NgramOccurrences { sorted, per_doc }, Vec::new());
        }
        let key_bits = packing.bits() * ngram_max as u32;
        let doc_bits = (usize::BITS - chunk.n_docs().saturating_sub(1).leading_zeros()).max(1);
        let (sorted, distinct) = if key_bits + doc_bits <= 64 {
            ngrams.collect_packed(key_bits, doc_bits, count_documents, &mut per_doc)
        } else {
            ngrams.collect_split(key_bits, count_documents, &mut per_doc)
        };
        (NgramOccurrences { sorted, per_doc }, distinct)
    }

    /// Number of occurrences.
    pub(crate) fn len(&self) -> usize {
        match &self.sorted {
            SortedOccurrences::Packed { values, .. } => values.len(),
            SortedOccurrences::Split { keys, .. } => keys.len(),
        }
    }

    /// Calls `f(feature id, document)` for each occurrence of an n-gram
    /// that is a feature, in key order.
    fn for_each_feature(&self, index: &FeatureIndex, mut f: impl FnMut(u32, usize)) {
        // Occurrences come in key order, one run per n-gram: each run's id
        // is found once, walking the ascending feature keys alongside.
        let mut k = 0;
        let (mut run_key, mut run_fid) = (None, NOT_A_FEATURE);
        let mut occurrence = |key: u64, doc: usize| {
            if run_key != Some(key) {
                while k < index.ngram_keys.len() && index.ngram_keys[k] < key {
                    k += 1;
                }
                run_key = Some(key);
                run_fid = if index.ngram_keys.get(k) == Some(&key) {
                    (index.first_ngram + k) as u32
                } else {
                    NOT_A_FEATURE
                };
            }
            if run_fid != NOT_A_FEATURE {
                f(run_fid, doc);
            }
        };
        match &self.sorted {
            SortedOccurrences::Packed { values, doc_bits } => {
                let doc_mask = (1u64 << doc_bits) - 1;
                for &v in values {
                    occurrence(v >> doc_bits, (v & doc_mask) as usize);
                }
            }
            SortedOccurrences::Split { keys, docs } => {
                for (&key, &doc) in keys.iter().zip(docs) {
                    occurrence(key, doc as usize);
                }
            }
        }
    }
}

/// The n-grams of a ranked chunk whose terms are all eligible.
struct ChunkNgrams<'a> {
    chunk: &'a ChunkTerms,
    n_eligible: u32,
    packing: NgramKey,
    ngram_max: usize,
}

impl ChunkNgrams<'_> {
    /// Calls `f(document, key)` for each n-gram, document after document.
    #[inline]
    fn for_each(&self, mut f: impl FnMut(usize, u64)) {
        let n_eligible = self.n_eligible;
        for d in 0..self.chunk.n_docs() {
            let ids = &self.chunk.stream[self.chunk.doc_range(d)];
            if self.ngram_max == 2 {
                for pair in ids.windows(2) {
                    if pair[0] < n_eligible && pair[1] < n_eligible {
                        f(d, self.packing.pack(pair));
                    }
                }
                continue;
            }
            for order in 2..=self.ngram_max {
                for window in ids.windows(order) {
                    if window.iter().all(|&id| id < n_eligible) {
                        f(d, self.packing.pack(window));
                    }
                }
            }
        }
    }

    /// Packs each occurrence with its document into one `u64`, straight
    /// into buckets by the top bits of the key (a first pass counts them),
    /// then sorts and counts each bucket while it is in cache.
    fn collect_packed(
        &self,
        key_bits: u32,
        doc_bits: u32,
        count_documents: Option<u32>,
        per_doc: &mut [usize],
    ) -> (SortedOccurrences, Vec<(u64, u32)>) {
        let low_bits = key_bits - BUCKET_BITS.min(key_bits);
        let bucket = |key: u64| (key >> low_bits) as usize;
        let mut starts = vec![0usize; (1 << BUCKET_BITS.min(key_bits)) + 1];
        self.for_each(|d, key| {
            starts[bucket(key) + 1] += 1;
            per_doc[d] += 1;
        });
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let total = starts[starts.len() - 1];
        let mut values = vec![0u64; total];
        huge_pages::advise(&values);
        let mut next = starts.clone();
        self.for_each(|d, key| {
            let slot = &mut next[bucket(key)];
            values[*slot] = (key << doc_bits) | d as u64;
            *slot += 1;
        });
        let largest = starts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        let mut scratch = vec![0u64; largest];
        // Room for every occurrence to be a distinct n-gram, so the list
        // never moves; pages past the counted n-grams are never touched.
        let capacity = if count_documents.is_some() {
            total + 4096
        } else {
            0
        };
        let mut distinct = Vec::with_capacity(capacity);
        huge_pages::advise(&distinct);
        let doc_mask = (1u64 << doc_bits) - 1;
        for w in starts.windows(2) {
            let occurrences = &mut values[w[0]..w[1]];
            // Documents ascend within each key already: the scatter kept
            // the stream's order.
            radix::sort_slice_by_bits(occurrences, &mut scratch, doc_bits, doc_bits + low_bits);
            if let Some(min_docs) = count_documents {
                count_documents_into(
                    occurrences
                        .iter()
                        .map(|&v| (v >> doc_bits, (v & doc_mask) as u32)),
                    min_docs,
                    &mut distinct,
                );
            }
        }
        (SortedOccurrences::Packed { values, doc_bits }, distinct)
    }

    /// Keys and documents side by side, radix-sorted together.
    fn collect_split(
        &self,
        key_bits: u32,
        count_documents: Option<u32>,
        per_doc: &mut [usize],
    ) -> (SortedOccurrences, Vec<(u64, u32)>) {
        let capacity = self.chunk.stream.len() * (self.ngram_max - 1);
        let (mut keys, mut docs) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
        self.for_each(|d, key| {
            keys.push(key);
            docs.push(d as u32);
            per_doc[d] += 1;
        });
        radix::sort_pairs(&mut keys, &mut docs, key_bits);
        let mut distinct = Vec::new();
        if let Some(min_docs) = count_documents {
            count_documents_into(
                keys.iter().copied().zip(docs.iter().copied()),
                min_docs,
                &mut distinct,
            );
        }
        (SortedOccurrences::Split { keys, docs }, distinct)
    }
}

/// Appends each distinct key of `occurrences` (`(key, document)` pairs,
/// sorted) that occurs in at least `min_docs` documents, with its number of
/// documents, to `out`. Keys must differ from those already in `out`.
///
/// Without a branch per occurrence: whether the next occurrence starts a
/// new key is a coin toss for the processor (most n-grams are rare). Each
/// occurrence writes the open run's count to the next free entry of a
/// block appended to `out`; a new key keeps that entry and opens the next.
/// A full block then keeps only its keys in enough documents, so `out`
/// grows by those alone.
fn count_documents_into(
    mut occurrences: impl Iterator<Item = (u64, u32)>,
    min_docs: u32,
    out: &mut Vec<(u64, u32)>,
) {
    const BLOCK: usize = 4096;
    let Some((mut key, mut doc)) = occurrences.next() else {
        return;
    };
    let mut count = 1u32;
    loop {
        let base = out.len();
        out.resize(base + BLOCK, (0, 0));
        let block = &mut out[base..];
        let (mut closed, mut taken) = (0, 0);
        // At most BLOCK - 1 runs close, so every write stays in the block.
        for (next_key, next_doc) in occurrences.by_ref().take(BLOCK - 1) {
            let new_key = next_key != key;
            block[closed] = (key, count);
            closed += usize::from(new_key);
            count = if new_key {
                1
            } else {
                count + u32::from(next_doc != doc)
            };
            (key, doc) = (next_key, next_doc);
            taken += 1;
        }
        let mut kept = 0;
        for i in 0..closed {
            let entry = block[i];
            block[kept] = entry;
            kept += usize::from(entry.1 >= min_docs);
        }
        out.truncate(base + kept);
        if taken < BLOCK - 1 {
            break;
        }
    }
    if count >= min_docs {
        out.push((key, count));
    }
}

/// Merges ascending `(key, count)` lists, adding the counts of equal keys,
/// and appends the keys whose total passes `keep` to `front` (whose keys
/// all come before theirs). With `parallel`, the keys are cut into one
/// range per thread and each range merged on its own; `front` gets room
/// for all of them first, so the ranges after the first are copied into
/// it once, without moving it. A single list is filtered in place.
fn merge_counts(
    mut front: Vec<(u64, u32)>,
    mut lists: Vec<Vec<(u64, u32)>>,
    keep: impl Fn(u32) -> bool + Sync,
    parallel: bool,
) -> Vec<(u64, u32)> {
    if lists.len() == 1 {
        let mut only = lists.pop().unwrap_or_default();
        only.retain(|e| keep(e.1));
        only.splice(0..0, front);
        return only;
    }
    let ranges = key_ranges(&lists, parallel);
    front.reserve(lists.iter().map(Vec::len).sum());
    let mut outs = vec![front];
    outs.extend(
        ranges[1..]
            .iter()
            .map(|slices| Vec::with_capacity(slices.iter().map(|s| s.len()).sum())),
    );
    // Each range holds a slice of every list, two or more (one list was
    // handled above): merged one list at a time, only the last merge
    // filtering.
    let mut parts = for_each_chunk(
        ranges.into_iter().zip(outs),
        parallel,
        |(slices, mut out)| {
            if let [first, middle @ .., last] = slices.as_slice() {
                let merged = middle.iter().fold(Cow::Borrowed(*first), |merged, other| {
                    let mut both = Vec::with_capacity(merged.len() + other.len());
                    merge_two(&merged, other, |_| true, &mut both);
                    Cow::Owned(both)
                });
                merge_two(&merged, last, &keep, &mut out);
            }
            out
        },
    )
    .into_iter();
    let mut merged = parts.next().unwrap_or_default();
    parts.for_each(|part| merged.extend_from_slice(&part));
    merged
}

/// Merges two ascending `(key, count)` lists, adding the counts of equal
/// keys, and appends the keys whose total passes `keep` to `out`.
///
/// Without a branch per entry: which list holds the next key is a coin
/// toss for the processor. Each step writes the smaller key (with both
/// counts if the keys are equal) to the next free entry of a block
/// appended to `out`, and keeps that entry if its total passes `keep`.
fn merge_two(
    a: &[(u64, u32)],
    b: &[(u64, u32)],
    keep: impl Fn(u32) -> bool,
    out: &mut Vec<(u64, u32)>,
) {
    const BLOCK: usize = 4096;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let base = out.len();
        out.resize(base + BLOCK, (0, 0));
        let block = &mut out[base..];
        let mut kept = 0;
        // Each step takes an entry from one list or both, so the block
        // has room for every step.
        let steps = BLOCK.min(a.len() - i).min(b.len() - j);
        for _ in 0..steps {
            let ((key_a, count_a), (key_b, count_b)) = (a[i], b[j]);
            let (take_a, take_b) = (key_a <= key_b, key_b <= key_a);
            let count = if take_a { count_a } else { 0 } + if take_b { count_b } else { 0 };
            block[kept] = (key_a.min(key_b), count);
            kept += usize::from(keep(count));
            i += usize::from(take_a);
            j += usize::from(take_b);
        }
        out.truncate(base + kept);
    }
    out.extend(a[i..].iter().chain(&b[j..]).filter(|e| keep(e.1)));
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
/// its feature index and the compact packing (every term is eligible).
#[derive(Debug, Clone)]
pub(crate) struct BatchIndex {
    pub index: FeatureIndex,
    pub n_terms: u32,
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
        Ok(BatchIndex {
            index: FeatureIndex {
                unigram_fid,
                ngram_keys,
                first_ngram,
            },
            n_terms: n_terms as u32,
            packing,
        })
    }
}

/// Keeps the terms and n-grams that pass `selection`, in key order. The
/// n-grams come as each chunk's distinct keys (over the eligible ids of
/// `terms`) with their document counts; with `parallel`, their counts are
/// merged on all threads.
pub(crate) fn select(
    terms: Terms,
    ngram_counts: Vec<Vec<(u64, u32)>>,
    packing: NgramKey,
    ngram_max: usize,
    selection: Selection,
    parallel: bool,
) -> Selected {
    let keep = |df: u32| (df as usize) >= selection.min_df && (df as usize) <= selection.max_df;
    let n_eligible = terms.n_eligible as usize;
    let unigrams: Vec<(u64, u32)> = terms.df[..n_eligible]
        .iter()
        .enumerate()
        .filter(|&(_, &df)| keep(df))
        .map(|(id, &df)| (packing.pack(&[id as u32]), df))
        .collect();
    // Unigram keys come before n-gram keys.
    let mut candidates = merge_counts(unigrams, ngram_counts, keep, parallel);
    if let Some(max) = selection.max_features {
        if candidates.len() > max {
            // Most frequent first; ties broken by key, so the choice is stable.
            candidates.select_nth_unstable_by(max, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(max);
            candidates.sort_unstable_by_key(|c| c.0);
        }
    }
    // Keep only the terms that features use, and re-key over their order.
    let mut used = vec![false; n_eligible];
    for &(key, _) in &candidates {
        packing.for_each_id(key, |id| used[id as usize] = true);
    }
    let mut new_id = vec![u32::MAX; n_eligible];
    let mut kept_terms: Vec<Box<str>> = Vec::new();
    for (id, term) in terms.eligible.iter().enumerate() {
        if used[id] {
            new_id[id] = kept_terms.len() as u32;
            kept_terms.push(term.into());
        }
    }
    let out_packing = NgramKey::for_order(ngram_max);
    let keys: Vec<u64> = candidates
        .iter()
        .map(|&(key, _)| packing.repack(key, &new_id, out_packing))
        .collect();
    let first_ngram = candidates.partition_point(|c| packing.is_unigram(c.0));
    let mut unigram_fid = vec![NOT_A_FEATURE; terms.df.len()];
    for (fid, &(key, _)) in candidates[..first_ngram].iter().enumerate() {
        unigram_fid[(key - 1) as usize] = fid as u32;
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

/// Writes the rows of a chunk's documents, one after the other, at the
/// start of `indices` and `values`, which have room for one entry per token
/// and one per n-gram occurrence of the chunk. Each row holds its feature
/// ids ascending, each with `weight(feature id, count)`; `finish_row` then
/// gets the row's values (to normalize them). Returns where each row ends.
///
/// Document `d` has a room of its own in the arrays: one entry per token,
/// then one per n-gram occurrence. The n-gram feature ids are first
/// scattered to the back of their documents' rooms; as each row is
/// written, its unigrams go at the front and its n-grams are closed up
/// behind them. A row never needs more than its room, so rows written
/// earlier end before the rooms of the documents still to come.
pub(crate) fn rows(
    chunk: &ChunkTerms,
    occurrences: NgramOccurrences,
    selected: &FeatureIndex,
    indices: &mut [u32],
    values: &mut [f32],
    weight: impl Fn(u32, u32) -> f32,
    finish_row: impl Fn(&mut [f32]),
) -> Vec<usize> {
    let n_docs = chunk.n_docs();
    // Where the back of each document's room starts (after its tokens'
    // entries), and where its next n-gram feature id goes. Occurrences
    // come in key order, so ids ascend within each document.
    let mut ngram_start = Vec::with_capacity(n_docs);
    let mut before = 0;
    for (&tokens_end, &n) in chunk.doc_ends.iter().zip(&occurrences.per_doc) {
        ngram_start.push(tokens_end + before);
        before += n;
    }
    let mut ngram_end = ngram_start.clone();
    occurrences.for_each_feature(selected, |fid, doc| {
        let slot = &mut ngram_end[doc];
        indices[*slot] = fid;
        *slot += 1;
    });
    drop(occurrences);
    // Unigram features come first in feature order, then the n-grams.
    let mut counts: Vec<u32> = vec![0; selected.first_ngram];
    let mut sorter = BitmapSorter::new(selected.first_ngram);
    let mut ends = Vec::with_capacity(n_docs);
    let mut start = 0;
    for d in 0..n_docs {
        // Each distinct unigram feature once, in the front of the room,
        // without a branch as in `ChunkTerms::analyze` (a repeated id is
        // written over by the next); then sorted, and weighted.
        let mut n_unigrams = 0;
        for &rank in &chunk.stream[chunk.doc_range(d)] {
            let fid = selected
                .unigram_fid
                .get(rank as usize)
                .copied()
                .unwrap_or(NOT_A_FEATURE);
            if fid != NOT_A_FEATURE {
                indices[start + n_unigrams] = fid;
                n_unigrams += usize::from(counts[fid as usize] == 0);
                counts[fid as usize] += 1;
            }
        }
        let mut end = start + n_unigrams;
        sorter.sort(&mut indices[start..end]);
        for (&fid, value) in indices[start..end].iter().zip(&mut values[start..end]) {
            *value = weight(fid, std::mem::take(&mut counts[fid as usize]));
        }
        // Each run of equal n-gram ids becomes one entry, moved forward
        // (never past where the run is read from).
        let (mut i, ngram_end) = (ngram_start[d], ngram_end[d]);
        while i < ngram_end {
            let fid = indices[i];
            let mut j = i + 1;
            while j < ngram_end && indices[j] == fid {
                j += 1;
            }
            indices[end] = fid;
            values[end] = weight(fid, (j - i) as u32);
            end += 1;
            i = j;
        }
        finish_row(&mut values[start..end]);
        ends.push(end);
        start = end;
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{next_state, thread_pool};
    use crate::text::analyzer::AnalyzerConfig;

    fn chunk(docs: &[&str]) -> ChunkTerms {
        let analyzer = Analyzer::new(AnalyzerConfig {
            stemming: crate::text::analyzer::Stemming::None,
            ngram_max: 1,
            ..AnalyzerConfig::default()
        })
        .expect("valid config");
        ChunkTerms::analyze(&analyzer, docs)
    }

    #[test]
    fn ranking_merges_chunks_and_numbers_eligible_terms_first() {
        for parallel in [false, true] {
            let mut chunks = vec![
                chunk(&["talks resumed", "talks"]),
                chunk(&["envoy met envoy"]),
                chunk(&["resumed shelling", "envoy talks"]),
            ];
            let terms = rank_terms(&mut chunks, 2, parallel);
            let names: Vec<&str> = terms.eligible.iter().collect();
            // In two documents or more, sorted; then (ids 3 and 4) the rest,
            // sorted: "met", "shelling".
            assert_eq!(names, ["envoy", "resumed", "talks"]);
            assert_eq!(terms.n_eligible, 3);
            // Documents per term, summed over the chunks.
            assert_eq!(terms.df, [2, 2, 3, 1, 1]);
            // Each stream is rewritten in those ids.
            assert_eq!(chunks[0].stream, [2, 1, 2]);
            assert_eq!(chunks[1].stream, [0, 3, 0]);
            assert_eq!(chunks[2].stream, [1, 4, 0, 2]);
        }
    }

    #[test]
    fn words_with_one_term_are_one_term_counted_once_per_document() {
        // `strikes` and `strike` stem alike; `Киев` and `киев` are two
        // words to the cache (it folds ASCII capitals only) with one term.
        let analyzer = Analyzer::new(AnalyzerConfig {
            ngram_max: 1,
            ..AnalyzerConfig::default()
        })
        .expect("valid config");
        let docs = [
            "strikes hit strike",
            "strike",
            "Киев talks",
            "киев strikes",
            "talks",
        ];
        for (split, parallel) in [(5, false), (3, false), (3, true)] {
            let mut chunks = vec![ChunkTerms::analyze(&analyzer, &docs[..split])];
            if split < docs.len() {
                chunks.push(ChunkTerms::analyze(&analyzer, &docs[split..]));
            }
            let terms = rank_terms(&mut chunks, 2, parallel);
            let names: Vec<&str> = terms.eligible.iter().collect();
            assert_eq!(names, ["strike", "talk", "киев"]);
            // The first document has `strike` twice, under two words: it
            // counts once. Then `hit`, in one document.
            assert_eq!(terms.df, [3, 2, 2, 1]);
            let stream: Vec<u32> = chunks.iter().flat_map(|c| c.stream.clone()).collect();
            assert_eq!(stream, [0, 3, 0, 0, 2, 1, 2, 0, 1]);
        }
    }

    #[test]
    fn ranking_is_the_same_on_any_number_of_threads_among_shared_prefixes() {
        // Many words share their first eight bytes, so the ranges that
        // threads merge are cut among equal prefixes.
        let letters = |mut i: usize| {
            let mut word = String::new();
            loop {
                word.push((b'a' + (i % 26) as u8) as char);
                i /= 26;
                if i == 0 {
                    return word;
                }
            }
        };
        let words: Vec<String> = (0..600)
            .map(|i| match i % 3 {
                0 => format!("negotiat{}", letters(i)),
                1 => letters(i * 7),
                _ => format!("ceasefirezone{}", letters(i % 40)),
            })
            .collect();
        let mut state = 11u64;
        let docs: Vec<String> = (0..400)
            .map(|_| {
                let n = 1 + (next_state(&mut state) >> 33) as usize % 12;
                let picks = (0..n).map(|_| &words[(next_state(&mut state) >> 33) as usize % 600]);
                picks.cloned().collect::<Vec<_>>().join(" ")
            })
            .collect();
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let ranked = |chunks: &mut Vec<ChunkTerms>, parallel| {
            let terms = rank_terms(chunks, 2, parallel);
            let stream: Vec<u32> = chunks.iter().flat_map(|c| c.stream.clone()).collect();
            let eligible: Vec<String> = terms.eligible.iter().map(String::from).collect();
            (eligible, terms.df, stream)
        };
        let expected = ranked(&mut vec![chunk(&docs)], false);
        assert!(expected.0.len() > 300, "most words are in two documents");
        assert!(expected.0.iter().any(|t| t.starts_with("ceasefirezone")));
        for threads in [1, 2, 5] {
            let pool = thread_pool(threads);
            for parallel in [false, true] {
                let mut chunks = vec![
                    chunk(&docs[..150]),
                    chunk(&docs[150..170]),
                    chunk(&docs[170..]),
                ];
                let got = pool.install(|| ranked(&mut chunks, parallel));
                assert!(got == expected, "{threads} threads, parallel {parallel}");
            }
        }
    }

    #[test]
    fn document_counts_match_a_plain_count_across_blocks() {
        // Sorted (key, document) pairs: runs of many lengths, repeated
        // documents within a key, and more than three blocks' worth.
        let mut state = 7u64;
        let mut occurrences = Vec::new();
        for key in 0..5000u64 {
            next_state(&mut state);
            let n = (state >> 60) as u32 % 6 + 1;
            for i in 0..n {
                // Documents ascend, with some repeated.
                occurrences.push((key * 3, i / 2 + (state >> 40) as u32 % 3));
            }
        }
        let mut expected: Vec<(u64, u32)> = Vec::new();
        for (i, &(key, doc)) in occurrences.iter().enumerate() {
            let new_doc = i == 0 || occurrences[i - 1] != (key, doc);
            match expected.last_mut() {
                Some(last) if last.0 == key => last.1 += u32::from(new_doc),
                _ => expected.push((key, 1)),
            }
        }
        for min_docs in [1, 2, 3] {
            // Appended after what `out` already holds; keys in fewer than
            // `min_docs` documents are left out.
            let mut got = vec![(u64::MAX, 9)];
            count_documents_into(occurrences.iter().copied(), min_docs, &mut got);
            assert_eq!(got[0], (u64::MAX, 9));
            let kept: Vec<(u64, u32)> = expected
                .iter()
                .copied()
                .filter(|e| e.1 >= min_docs)
                .collect();
            assert_eq!(got[1..], kept[..], "at least {min_docs} documents");
            // The last key counts too: a final run of two documents is
            // kept with two as the minimum and left out with three.
            let mut last = occurrences.clone();
            last.extend([(u64::MAX - 1, 0), (u64::MAX - 1, 1)]);
            let mut got = Vec::new();
            count_documents_into(last.into_iter(), min_docs, &mut got);
            assert_eq!(got[..kept.len()], kept[..]);
            let tail = &got[kept.len()..];
            assert_eq!(
                tail,
                if min_docs <= 2 {
                    &[(u64::MAX - 1, 2)][..]
                } else {
                    &[]
                }
            );
        }
        let mut empty = Vec::new();
        count_documents_into(std::iter::empty(), 1, &mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn merged_counts_add_up_and_keep_the_same_keys_on_any_number_of_threads() {
        let mut state = 3u64;
        let mut next = move || next_state(&mut state) >> 33;
        // Three chunks' lists over overlapping keys, ascending, each longer
        // than a block of `merge_two`.
        let lists: Vec<Vec<(u64, u32)>> = (0..3)
            .map(|_| {
                let mut keys: Vec<u64> = (0..12_000).map(|_| 100 + next() % 18_000).collect();
                keys.sort_unstable();
                keys.dedup();
                keys.into_iter().map(|k| (k, (k % 4) as u32 + 1)).collect()
            })
            .collect();
        // Keys below the lists', kept as they are.
        let front = vec![(7, 1), (42, 30)];
        let keep = |count: u32| (3..=9).contains(&count);
        for n_lists in [2, 3] {
            let mut totals = std::collections::BTreeMap::new();
            for &(key, count) in lists[..n_lists].iter().flatten() {
                *totals.entry(key).or_insert(0) += count;
            }
            let mut expected = front.clone();
            expected.extend(totals.into_iter().filter(|e| keep(e.1)));
            assert!(expected.len() > 5000);
            for threads in [1, 2, 5] {
                let pool = thread_pool(threads);
                for parallel in [false, true] {
                    let lists = lists[..n_lists].to_vec();
                    let got = pool.install(|| merge_counts(front.clone(), lists, keep, parallel));
                    assert_eq!(
                        got, expected,
                        "{n_lists} lists, {threads} threads, parallel {parallel}"
                    );
                }
            }
        }
        let empty_lists = vec![Vec::new(), Vec::new()];
        assert_eq!(merge_counts(front.clone(), empty_lists, keep, true), front);
        // One list: filtered where it lies, behind the front.
        let mut one = front.clone();
        one.extend(lists[0].iter().copied().filter(|e| keep(e.1)));
        assert_eq!(merge_counts(front, vec![lists[0].clone()], keep, true), one);
    }
}
