//! A stable least-significant-digit radix sort of `(u64 key, u32 value)`
//! pairs, for the millions of n-gram occurrences counted while fitting.

/// Bits sorted per pass.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;

/// Sorts `keys` ascending and moves `values` along with them. Stable: pairs
/// with equal keys keep their order. Only the low `key_bits` bits of the
/// keys are looked at; higher bits must be zero.
pub(crate) fn sort_pairs(keys: &mut Vec<u64>, values: &mut Vec<u32>, key_bits: u32) {
    debug_assert_eq!(keys.len(), values.len());
    let n = keys.len();
    let passes = key_bits.div_ceil(DIGIT_BITS) as usize;
    if n < 2 || passes == 0 {
        return;
    }
    // All histograms in one read.
    let mut counts = vec![[0usize; BUCKETS]; passes];
    for &key in keys.iter() {
        for (p, hist) in counts.iter_mut().enumerate() {
            hist[digit(key, p)] += 1;
        }
    }
    let mut key_buf = vec![0u64; n];
    let mut value_buf = vec![0u32; n];
    for (p, hist) in counts.iter_mut().enumerate() {
        if !counts_to_offsets(hist, n) {
            continue;
        }
        for (&key, &value) in keys.iter().zip(values.iter()) {
            let slot = &mut hist[digit(key, p)];
            key_buf[*slot] = key;
            value_buf[*slot] = value;
            *slot += 1;
        }
        std::mem::swap(keys, &mut key_buf);
        std::mem::swap(values, &mut value_buf);
    }
}

/// Sorts `values` ascending, given that their bits above `high` are all
/// equal and that values whose bits `low..high` are equal already come in
/// ascending order: a stable sort by the bits `low..high` (the bits below
/// `low` are looked at only by the comparison sort of small slices).
/// `scratch` must be at least as long as `values`. Meant for slices that
/// fit in cache.
pub(crate) fn sort_slice_by_bits(values: &mut [u64], scratch: &mut [u64], low: u32, high: u32) {
    let n = values.len();
    if n < 2 || high <= low {
        return;
    }
    if n <= COMPARISON_SORT_MAX {
        values.sort_unstable();
        return;
    }
    let passes = (high - low).div_ceil(DIGIT_BITS);
    // As few passes as 11-bit digits need, their bits spread evenly.
    let bits = (high - low).div_ceil(passes);
    let mask = (1u64 << bits) - 1;
    let scratch = &mut scratch[..n];
    let mut in_values = true;
    let mut counts = [0usize; BUCKETS];
    for p in 0..passes {
        let shift = low + p * bits;
        let (from, to): (&[u64], &mut [u64]) = if in_values {
            (&*values, &mut *scratch)
        } else {
            (&*scratch, &mut *values)
        };
        let hist = &mut counts[..=mask as usize];
        hist.fill(0);
        for &v in from {
            hist[((v >> shift) & mask) as usize] += 1;
        }
        if !counts_to_offsets(hist, n) {
            continue;
        }
        for &v in from {
            let slot = &mut hist[((v >> shift) & mask) as usize];
            to[*slot] = v;
            *slot += 1;
        }
        in_values = !in_values;
    }
    if !in_values {
        values.copy_from_slice(scratch);
    }
}

/// Below this many values, [`sort_slice_by_bits`] sorts by comparison.
const COMPARISON_SORT_MAX: usize = 256;

/// Turns a pass's digit counts into start offsets. Returns `false` when one
/// digit holds all `n` values: that pass would move nothing.
fn counts_to_offsets(hist: &mut [usize], n: usize) -> bool {
    if hist.contains(&n) {
        return false;
    }
    let mut offset = 0;
    for c in hist.iter_mut() {
        let count = *c;
        *c = offset;
        offset += count;
    }
    true
}

#[inline]
fn digit(key: u64, pass: usize) -> usize {
    ((key >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::next_state;

    #[test]
    fn sorts_stably_by_key() {
        let mut state = 12345u64;
        let mut keys = Vec::new();
        for _ in 0..5000 {
            next_state(&mut state);
            keys.push((state >> 30) & ((1 << 34) - 1));
        }
        keys.extend_from_slice(&keys.clone()[..100]);
        let mut values: Vec<u32> = (0..keys.len() as u32).collect();
        let mut expected: Vec<(u64, u32)> =
            keys.iter().copied().zip(values.iter().copied()).collect();
        expected.sort_by_key(|p| p.0);
        sort_pairs(&mut keys, &mut values, 34);
        let got: Vec<(u64, u32)> = keys.into_iter().zip(values).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn sorts_slices_by_their_middle_bits_large_and_small() {
        // Random keys in bits 13..30 above a sequence number, which ascends
        // in input order (so within equal keys too); equal high bits.
        for n in [0, 1, 5, COMPARISON_SORT_MAX, COMPARISON_SORT_MAX + 1, 5000] {
            let mut state = 99u64;
            let input: Vec<u64> = (0..n as u64)
                .map(|i| {
                    next_state(&mut state);
                    let key = (state >> 40) % 700;
                    (3 << 40) | (key << 13) | i
                })
                .collect();
            let mut expected = input.clone();
            expected.sort_unstable();
            let mut scratch = vec![0u64; n];
            let mut got = input.clone();
            sort_slice_by_bits(&mut got, &mut scratch, 13, 30);
            assert_eq!(got, expected, "{n} values");
        }
    }

    #[test]
    fn empty_and_single() {
        let (mut k, mut v) = (vec![], vec![]);
        sort_pairs(&mut k, &mut v, 20);
        let (mut k, mut v) = (vec![7], vec![1]);
        sort_pairs(&mut k, &mut v, 20);
        assert_eq!((k, v), (vec![7], vec![1]));
    }
}
