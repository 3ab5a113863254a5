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

/// Sorts `values` ascending by their bits `low..high` (stably: values with
/// equal bits there keep their order). Bits above `high` must be zero.
pub(crate) fn sort_by_bits(values: &mut Vec<u64>, low: u32, high: u32) {
    let n = values.len();
    let passes = (high - low).div_ceil(DIGIT_BITS) as usize;
    if n < 2 || passes == 0 {
        return;
    }
    let digit_at =
        |v: u64, p: usize| ((v >> (low + p as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1);
    let mut counts = vec![[0usize; BUCKETS]; passes];
    for &v in values.iter() {
        for (p, hist) in counts.iter_mut().enumerate() {
            hist[digit_at(v, p)] += 1;
        }
    }
    let mut buf = vec![0u64; n];
    for (p, hist) in counts.iter_mut().enumerate() {
        if !counts_to_offsets(hist, n) {
            continue;
        }
        for &v in values.iter() {
            let slot = &mut hist[digit_at(v, p)];
            buf[*slot] = v;
            *slot += 1;
        }
        std::mem::swap(values, &mut buf);
    }
}

/// Turns a pass's digit counts into start offsets. Returns `false` when one
/// digit holds all `n` values: that pass would move nothing.
fn counts_to_offsets(hist: &mut [usize; BUCKETS], n: usize) -> bool {
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

    #[test]
    fn sorts_stably_by_key() {
        let mut state = 12345u64;
        let mut keys = Vec::new();
        for _ in 0..5000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
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
    fn sorts_packed_values_by_their_high_bits() {
        let mut values: Vec<u64> = vec![(5 << 32) | 1, (2 << 32) | 9, 5 << 32, (2 << 32) | 3];
        sort_by_bits(&mut values, 32, 40);
        assert_eq!(
            values,
            vec![(2 << 32) | 9, (2 << 32) | 3, (5 << 32) | 1, (5 << 32)]
        );
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
