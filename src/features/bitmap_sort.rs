//! Sorting sets of distinct ids below a known bound by marking them in a
//! two-level bitmap and reading the marks back in order: for the distinct
//! unigram features of each document, where a comparison sort was a fifth
//! of the time spent writing rows.

/// Sorts sets of distinct ids below a bound given once, reusing its bitmap
/// (kept all zeros between calls).
#[derive(Debug)]
pub(crate) struct BitmapSorter {
    /// Bit `id % 64` of word `id / 64` marks `id`.
    words: Vec<u64>,
    /// Bit `w % 64` of summary word `w / 64` marks a non-zero word `w`.
    summary: Vec<u64>,
}

impl BitmapSorter {
    /// A sorter for ids below `bound`.
    pub(crate) fn new(bound: usize) -> Self {
        let n_words = bound.div_ceil(64);
        BitmapSorter {
            words: vec![0; n_words],
            summary: vec![0; n_words.div_ceil(64)],
        }
    }

    /// Sorts `ids` ascending. The ids must be distinct and below the bound.
    ///
    /// Reading the marks back scans the whole summary (one word per 4,096
    /// ids of the bound), so a set smaller than the summary is sorted by
    /// comparison instead.
    pub(crate) fn sort(&mut self, ids: &mut [u32]) {
        if ids.len() < self.summary.len().max(MIN_BITMAP_SET) {
            ids.sort_unstable();
            return;
        }
        for &id in ids.iter() {
            let word = id as usize / 64;
            self.words[word] |= 1 << (id % 64);
            self.summary[word / 64] |= 1 << (word % 64);
        }
        let mut next = 0;
        for (s, summary) in self.summary.iter_mut().enumerate() {
            let mut marked_words = std::mem::take(summary);
            while marked_words != 0 {
                let word = s * 64 + marked_words.trailing_zeros() as usize;
                marked_words &= marked_words - 1;
                let mut marks = std::mem::take(&mut self.words[word]);
                while marks != 0 {
                    ids[next] = (word * 64) as u32 + marks.trailing_zeros();
                    next += 1;
                    marks &= marks - 1;
                }
            }
        }
        debug_assert_eq!(next, ids.len(), "ids must be distinct");
    }
}

/// Below this many ids a comparison sort (a sorting network or insertion
/// sort for so few) is as fast as the bitmap.
const MIN_BITMAP_SET: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::next_state;

    /// Distinct ids below `bound` from a fixed pseudo-random sequence.
    fn some_ids(bound: u32, n: usize, seed: u64) -> Vec<u32> {
        let mut state = seed;
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        while ids.len() < n {
            next_state(&mut state);
            let id = (state >> 33) as u32 % bound;
            if seen.insert(id) {
                ids.push(id);
            }
        }
        ids
    }

    #[test]
    fn sorts_like_a_comparison_sort_on_both_paths_and_leaves_the_bitmap_clear() {
        for (bound, sizes) in [
            (64u32, vec![0, 1, 15, 16, 40, 64]),
            (5_000, vec![1, 2, 17, 300, 5_000]),
            (100_000, vec![3, 24, 25, 26, 1_000, 20_000]),
        ] {
            let mut sorter = BitmapSorter::new(bound as usize);
            for (seed, &n) in sizes.iter().enumerate() {
                let mut ids = some_ids(bound, n, seed as u64);
                // The edges of the range and of words and summary words.
                for edge in [0, 63, 64, 4095, 4096, bound - 1] {
                    if edge < bound && !ids.contains(&edge) && n > 20 {
                        ids.push(edge);
                    }
                }
                let mut expected = ids.clone();
                expected.sort_unstable();
                sorter.sort(&mut ids);
                assert_eq!(ids, expected, "bound {bound}, {n} ids");
                assert!(sorter.words.iter().all(|&w| w == 0));
                assert!(sorter.summary.iter().all(|&w| w == 0));
            }
        }
    }
}
