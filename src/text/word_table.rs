//! Maps from words to ids: the analyzer's cache of the words it has already
//! turned into terms.
//!
//! A word of up to 8 bytes is keyed by its bytes in one `u64`, a word of 9
//! to 16 bytes by its bytes in two, zero-padded. A token never contains a
//! zero byte, so the padding tells lengths apart and the all-zero key can
//! mark an empty slot. Each slot holds its key and id side by side, so a
//! lookup reads one place in memory, and [`WordTable::prefetch`] can ask
//! for that place before it is needed.

use crate::huge_pages;
use rustc_hash::FxHashMap;

/// A word packed into integers, zero-padded; all zeros is no word.
pub(crate) trait WordKey: Copy + Eq + Default {
    /// A well-mixed hash; the table uses its top bits.
    fn hash(self) -> u64;
}

/// An odd constant near 2^64 / golden ratio: multiplying by it mixes every
/// input bit into the top bits.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl WordKey for u64 {
    #[inline(always)]
    fn hash(self) -> u64 {
        self.wrapping_mul(GOLDEN)
    }
}

impl WordKey for [u64; 2] {
    #[inline(always)]
    fn hash(self) -> u64 {
        (self[0].wrapping_mul(GOLDEN) ^ self[1]).wrapping_mul(GOLDEN)
    }
}

/// A key and its id.
#[derive(Debug, Clone, Copy, Default)]
struct Slot<K> {
    key: K,
    id: u32,
}

/// A map from [`WordKey`]s to `u32` ids with linear probing, at most half
/// full.
#[derive(Debug, Clone)]
pub(crate) struct WordTable<K> {
    slots: Vec<Slot<K>>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the home slot.
    shift: u32,
    len: usize,
}

/// Slots in a new table.
const INITIAL_SLOTS: usize = 1 << 10;

impl<K: WordKey> Default for WordTable<K> {
    fn default() -> Self {
        WordTable::with_slots(INITIAL_SLOTS)
    }
}

impl<K: WordKey> WordTable<K> {
    /// An empty table with room for `words` words before it grows.
    fn with_room_for(words: usize) -> Self {
        let slots = words.saturating_mul(2).checked_next_power_of_two();
        WordTable::with_slots(slots.unwrap_or(INITIAL_SLOTS).max(INITIAL_SLOTS))
    }

    /// An empty table of `n` slots (a power of two).
    fn with_slots(n: usize) -> Self {
        debug_assert!(n.is_power_of_two());
        let mut slots = Vec::with_capacity(n);
        huge_pages::advise(&slots);
        slots.resize(n, Slot::default());
        WordTable {
            slots,
            shift: 64 - n.trailing_zeros(),
            len: 0,
        }
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Removes every word, keeping the memory.
    pub(crate) fn clear(&mut self) {
        self.slots.fill(Slot::default());
        self.len = 0;
    }

    /// The slot where the search for `key` starts.
    #[inline(always)]
    fn home(&self, key: K) -> usize {
        (key.hash() >> self.shift) as usize
    }

    /// Asks the processor to bring `key`'s home slot into cache, so a
    /// lookup a little later does not wait for memory.
    #[inline(always)]
    pub(crate) fn prefetch(&self, key: K) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let slot: *const Slot<K> = &self.slots[self.home(key)];
            // SAFETY: SSE is part of every x86_64 processor, and a prefetch
            // of a valid address never faults or changes memory.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(slot.cast::<i8>()) };
        }
    }

    /// The slot holding `key`, or the empty slot where it belongs.
    #[inline(always)]
    fn find(&self, key: K) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].key != key && self.slots[i].key != K::default() {
            i = (i + 1) & mask;
        }
        i
    }

    /// The id of `key`, inserting `new_id()` if it is absent.
    #[inline(always)]
    pub(crate) fn get_or_insert_with(&mut self, key: K, new_id: impl FnOnce() -> u32) -> u32 {
        debug_assert!(key != K::default(), "the empty key is not a word");
        let i = self.find(key);
        if self.slots[i].key == key {
            return self.slots[i].id;
        }
        let id = new_id();
        self.slots[i] = Slot { key, id };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// Doubles the slots and puts every word back.
    #[cold]
    fn grow(&mut self) {
        let mut bigger = WordTable::with_slots(self.slots.len() * 2);
        for slot in self.slots.iter().filter(|s| s.key != K::default()) {
            let i = bigger.find(slot.key);
            bigger.slots[i] = *slot;
        }
        bigger.len = self.len;
        *self = bigger;
    }
}

/// The longest word keyed by one `u64`.
const TINY: usize = 8;

/// The longest word keyed by two.
const SHORT: usize = 16;

/// Where a word is looked up in a [`WordMap`]: its packed key, or the word
/// itself when it is longer than 16 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WordSlot {
    /// 1 to 8 bytes.
    Tiny(u64),
    /// 9 to 16 bytes.
    Short([u64; 2]),
    /// Longer.
    Long,
}

impl WordSlot {
    /// The slot of the word `text[start..end]` (not empty, no zero byte).
    #[inline(always)]
    pub(crate) fn of(text: &[u8], start: usize, end: usize) -> Self {
        let len = end - start;
        debug_assert!(len > 0);
        if len <= TINY {
            WordSlot::Tiny(read_padded(text, start, len))
        } else if len <= SHORT {
            WordSlot::Short([
                read_padded(text, start, 8),
                read_padded(text, start + 8, len - 8),
            ])
        } else {
            WordSlot::Long
        }
    }

    /// The slot of the same word with its ASCII capitals made small
    /// (`Strikes` and `STRIKES` share the slot of `strikes`); other bytes,
    /// and words longer than 16 bytes, are left as they are.
    #[inline(always)]
    pub(crate) fn ascii_folded(self) -> Self {
        match self {
            WordSlot::Tiny(key) => WordSlot::Tiny(ascii_lowercase(key)),
            WordSlot::Short([a, b]) => WordSlot::Short([ascii_lowercase(a), ascii_lowercase(b)]),
            WordSlot::Long => WordSlot::Long,
        }
    }
}

/// The eight bytes of `word` with `A`..=`Z` made `a`..=`z`, all at once.
/// Each byte's low seven bits plus a constant carry into its top bit exactly
/// when the byte is at least `A` (or above `Z`); a byte's sum never carries
/// into the next byte, and bytes of 128 and up are left alone.
#[inline(always)]
fn ascii_lowercase(word: u64) -> u64 {
    const ALL: u64 = 0x0101_0101_0101_0101;
    let low_seven = word & (0x7f * ALL);
    let at_least_a = low_seven + (0x80 - u64::from(b'A')) * ALL;
    let above_z = low_seven + (0x7f - u64::from(b'Z')) * ALL;
    let capital = (at_least_a ^ above_z) & !word & (0x80 * ALL);
    word | (capital >> 2)
}

/// Reads `len` (at most 8) bytes of `text` from `start` as a little-endian
/// `u64`, zero-padded; reads eight bytes at once where the text has them.
#[inline(always)]
fn read_padded(text: &[u8], start: usize, len: usize) -> u64 {
    debug_assert!((1..=8).contains(&len));
    match text.get(start..start + 8) {
        Some(eight) => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(eight);
            u64::from_le_bytes(bytes) & (u64::MAX >> (64 - 8 * len))
        }
        None => {
            let mut bytes = [0u8; 8];
            bytes[..len].copy_from_slice(&text[start..start + len]);
            u64::from_le_bytes(bytes)
        }
    }
}

/// A map from words of any length to ids: words of up to 16 bytes in
/// [`WordTable`]s, longer ones in a hash map.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordMap {
    tiny: WordTable<u64>,
    short: WordTable<[u64; 2]>,
    long: FxHashMap<Box<[u8]>, u32>,
}

impl WordMap {
    /// An empty map with room for about `words` words of all lengths
    /// before its tables grow. About four in five distinct words of
    /// English text fit in eight bytes, and most of the rest in sixteen.
    pub(crate) fn with_room_for(words: usize) -> Self {
        WordMap {
            tiny: WordTable::with_room_for(words),
            short: WordTable::with_room_for(words / 4),
            long: FxHashMap::default(),
        }
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.tiny.len() + self.short.len() + self.long.len()
    }

    /// Removes every word.
    pub(crate) fn clear(&mut self) {
        self.tiny.clear();
        self.short.clear();
        self.long.clear();
    }

    /// Asks for the memory of `slot` ahead of a lookup.
    #[inline(always)]
    pub(crate) fn prefetch(&self, slot: WordSlot) {
        match slot {
            WordSlot::Tiny(key) => self.tiny.prefetch(key),
            WordSlot::Short(key) => self.short.prefetch(key),
            WordSlot::Long => {}
        }
    }

    /// The id of `word`, whose slot is `slot`, inserting `new_id()` if it
    /// is absent.
    #[inline(always)]
    pub(crate) fn get_or_insert_at(
        &mut self,
        slot: WordSlot,
        word: &[u8],
        new_id: impl FnOnce() -> u32,
    ) -> u32 {
        match slot {
            WordSlot::Tiny(key) => self.tiny.get_or_insert_with(key, new_id),
            WordSlot::Short(key) => self.short.get_or_insert_with(key, new_id),
            WordSlot::Long => match self.long.get(word) {
                Some(&id) => id,
                None => {
                    let id = new_id();
                    self.long.insert(word.into(), id);
                    id
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id of `word`, inserting `new_id()` if it is absent.
    fn get_or_insert(map: &mut WordMap, word: &[u8], new_id: impl FnOnce() -> u32) -> u32 {
        map.get_or_insert_at(WordSlot::of(word, 0, word.len()), word, new_id)
    }

    #[test]
    fn finds_what_it_inserted_across_growth() {
        let mut table: WordTable<u64> = WordTable::default();
        for k in 1..=5000u64 {
            let key = k.wrapping_mul(0x1_0000_0001);
            assert_eq!(table.get_or_insert_with(key, || k as u32), k as u32);
        }
        assert_eq!(table.len(), 5000);
        for k in 1..=5000u64 {
            let key = k.wrapping_mul(0x1_0000_0001);
            table.prefetch(key);
            assert_eq!(
                table.get_or_insert_with(key, || panic!("present")),
                k as u32
            );
        }
        table.clear();
        assert_eq!(table.len(), 0);
        assert_eq!(table.get_or_insert_with(7, || 99), 99);
    }

    #[test]
    fn a_table_with_room_for_words_holds_them_without_growing() {
        for words in [0, 1, 600, 5000] {
            let mut table: WordTable<u64> = WordTable::with_room_for(words);
            let slots = table.slots.len();
            assert!(slots >= INITIAL_SLOTS && slots.is_power_of_two());
            for k in 1..=words as u64 {
                table.get_or_insert_with(k.wrapping_mul(0x1_0000_0001), || k as u32);
            }
            assert_eq!(table.slots.len(), slots, "room for {words} words");
        }
        // Room for more words than memory holds gives the smallest table,
        // which grows as words come.
        assert_eq!(
            WordTable::<u64>::with_room_for(usize::MAX).slots.len(),
            INITIAL_SLOTS
        );
    }

    #[test]
    fn folding_makes_exactly_the_ascii_capitals_small() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                // The byte among others that must not change either.
                let mut bytes = *b"a\xC3Z@[`{\xFF";
                bytes[place] = byte;
                let expected = u64::from_le_bytes(bytes.map(|b| b.to_ascii_lowercase()));
                assert_eq!(ascii_lowercase(u64::from_le_bytes(bytes)), expected);
            }
        }
        let text = b"CEASEFIRES Strikes ceasefires";
        let folded = |start, end| WordSlot::of(text, start, end).ascii_folded();
        assert!(matches!(
            (folded(0, 10), WordSlot::of(text, 19, 29)),
            (WordSlot::Short(a), WordSlot::Short(b)) if a == b
        ));
        assert!(matches!(folded(11, 18), WordSlot::Tiny(k) if k == read_padded(b"strikes", 0, 7)));
    }

    #[test]
    fn two_word_keys_differ_in_either_half() {
        let mut table: WordTable<[u64; 2]> = WordTable::default();
        assert_eq!(table.get_or_insert_with([1, 2], || 1), 1);
        assert_eq!(table.get_or_insert_with([2, 1], || 2), 2);
        assert_eq!(table.get_or_insert_with([1, 3], || 3), 3);
        assert_eq!(table.get_or_insert_with([1, 2], || 4), 1);
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn word_maps_key_words_of_every_length_apart() {
        let words: Vec<String> = (1..40)
            .flat_map(|n| ["x".repeat(n), format!("{}y", "x".repeat(n))])
            .collect();
        let mut map = WordMap::default();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(get_or_insert(&mut map, w.as_bytes(), || i as u32), i as u32);
        }
        assert_eq!(map.len(), words.len());
        // Mid-text keys (eight bytes read at once) and keys near the end
        // (copied) agree.
        let text = format!("{} tail", words[20]);
        let slot = WordSlot::of(text.as_bytes(), 0, words[20].len());
        assert_eq!(map.get_or_insert_at(slot, words[20].as_bytes(), || 99), 20);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(get_or_insert(&mut map, w.as_bytes(), || 99), i as u32);
        }
    }
}
