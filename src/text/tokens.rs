//! The tokenizer: finds words and numbers in text, as byte ranges.
//!
//! A token is a run of letters, digits and combining marks (Unicode), with
//! inner apostrophes (`don't`, `Russia's`, curly `Russia’s`) and, depending
//! on [`Hyphens`], inner hyphens (`cease-fire`). Numbers keep their inner
//! separators (`1,200`, `9.30`, `1.5`) and are marked as [`TokenKind::Number`]
//! so the analyzer can map them all to one feature.

use serde::{Deserialize, Serialize};

/// What the tokenizer does with a hyphen between two word characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Hyphens {
    /// `Iran-backed` is two tokens, `iran` and `backed`.
    #[default]
    Split,
    /// `Iran-backed` is one token, `iran-backed`.
    Keep,
}

/// Whether a token is a word or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits (`F-16`, `5th`, `COVID-19`).
    Word,
    /// Digits only, possibly with inner `.`, `,` or `:` (`12`, `1,200`, `9.30`).
    Number,
}

impl TokenKind {
    /// A number if the token is all digits (and separators), else a word.
    fn of(all_digits: bool) -> Self {
        if all_digits {
            TokenKind::Number
        } else {
            TokenKind::Word
        }
    }
}

/// A token's place in the text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
    /// Word or number.
    pub kind: TokenKind,
}

/// Iterator over the tokens of a text. Create it with [`tokens`].
///
/// It finds the tokens of 64 bytes at a time: bit masks of the letters,
/// digits and non-ASCII bytes give the runs of word characters at once.
/// A block with non-ASCII bytes, and a run followed by a character that
/// may join it to more (an apostrophe, a hyphen kept whole, a separator
/// after digits), take the character-by-character path.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    /// Everything before this byte has been tokenized.
    pos: usize,
    hyphens: Hyphens,
    /// Tokens found but not yet returned: `found[next..len]`.
    found: [Token; FOUND],
    next: usize,
    len: usize,
}

/// Bytes per block of the fast path.
const BLOCK: usize = 64;

/// Room for the tokens of one block: at most one per two bytes.
const FOUND: usize = BLOCK / 2;

/// The tokens of `text`.
///
/// ```
/// use newswire::text::tokens::{tokens, Hyphens, TokenKind};
///
/// let text = "Russia’s strikes hit 1,200 pro-Kremlin sites";
/// let words: Vec<&str> = tokens(text, Hyphens::Split).map(|t| &text[t.start..t.end]).collect();
/// assert_eq!(words, ["Russia’s", "strikes", "hit", "1,200", "pro", "Kremlin", "sites"]);
/// ```
pub fn tokens(text: &str, hyphens: Hyphens) -> Tokens<'_> {
    Tokens {
        text,
        pos: 0,
        hyphens,
        found: [Token {
            start: 0,
            end: 0,
            kind: TokenKind::Word,
        }; FOUND],
        next: 0,
        len: 0,
    }
}

/// Byte classes for the ASCII fast path.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const APOSTROPHE: u8 = 4;
const HYPHEN: u8 = 8;
const NUMBER_SEPARATOR: u8 = 16;
const NON_ASCII: u8 = 32;
/// Classes of bytes at which a token may start.
const STARTS_TOKEN: u8 = LETTER | DIGIT | NON_ASCII;

const fn byte_classes() -> [u8; 256] {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c == b'\'' {
            APOSTROPHE
        } else if c == b'-' {
            HYPHEN
        } else if c == b'.' || c == b',' || c == b':' {
            NUMBER_SEPARATOR
        } else if c >= 0x80 {
            NON_ASCII
        } else {
            OTHER
        };
        b += 1;
    }
    table
}

static CLASS: [u8; 256] = byte_classes();

/// Whether `c` can be part of a word: a letter, a digit or a combining mark.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Combining marks of the common scripts (accents written as separate code
/// points, Arabic and Hebrew vowel signs, Indic vowel signs, zero-width joiner).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5 | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C..=0x200D | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

/// Which of 16 bytes are ASCII letters, ASCII digits and non-ASCII: bit j
/// of each mask stands for byte j.
struct ByteBlock {
    letters: u32,
    digits: u32,
    non_ascii: u32,
}

impl ByteBlock {
    /// The masks of `bytes[i..i + 16]`; `i + 16` must not pass the end.
    #[inline(always)]
    #[cfg(target_arch = "x86_64")]
    fn at(bytes: &[u8], i: usize) -> Self {
        use std::arch::x86_64::*;
        let block: &[u8; 16] = bytes[i..i + 16].try_into().expect("16 bytes");
        // SAFETY: SSE2 is part of every x86_64 processor, and the load
        // reads exactly the 16 bytes of `block` (unaligned loads allowed).
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
            // Signed compares: bytes of 0x80 and up are negative and fall
            // outside both ranges.
            let digits = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
                _mm_cmplt_epi8(v, _mm_set1_epi8(b'9' as i8 + 1)),
            );
            let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let letters = _mm_and_si128(
                _mm_cmpgt_epi8(lower, _mm_set1_epi8(b'a' as i8 - 1)),
                _mm_cmplt_epi8(lower, _mm_set1_epi8(b'z' as i8 + 1)),
            );
            ByteBlock {
                letters: _mm_movemask_epi8(letters) as u32,
                digits: _mm_movemask_epi8(digits) as u32,
                non_ascii: _mm_movemask_epi8(v) as u32,
            }
        }
    }

    /// The masks of `bytes[i..i + 16]`; `i + 16` must not pass the end.
    #[inline(always)]
    #[cfg(not(target_arch = "x86_64"))]
    fn at(bytes: &[u8], i: usize) -> Self {
        let mut block = ByteBlock {
            letters: 0,
            digits: 0,
            non_ascii: 0,
        };
        for (j, &b) in bytes[i..i + 16].iter().enumerate() {
            block.letters |= u32::from(b.is_ascii_alphabetic()) << j;
            block.digits |= u32::from(b.is_ascii_digit()) << j;
            block.non_ascii |= u32::from(b >= 0x80) << j;
        }
        block
    }
}

/// Which of 64 bytes are ASCII word characters (letters and digits),
/// ASCII digits and non-ASCII: bit j of each mask stands for byte j.
struct WideBlock {
    word: u64,
    digits: u64,
    non_ascii: u64,
}

impl WideBlock {
    /// The masks of `bytes[i..i + 64]`; `i + 64` must not pass the end.
    #[inline(always)]
    fn at(bytes: &[u8], i: usize) -> Self {
        let mut wide = WideBlock {
            word: 0,
            digits: 0,
            non_ascii: 0,
        };
        for quarter in 0..4 {
            let block = ByteBlock::at(bytes, i + 16 * quarter);
            let shift = 16 * quarter as u32;
            wide.word |= u64::from(block.letters | block.digits) << shift;
            wide.digits |= u64::from(block.digits) << shift;
            wide.non_ascii |= u64::from(block.non_ascii) << shift;
        }
        wide
    }
}

impl<'a> Tokens<'a> {
    /// The character class at byte `i` and the length of its character in bytes.
    #[inline]
    fn class_at(&self, i: usize) -> (u8, usize) {
        let bytes = self.text.as_bytes();
        let class = CLASS[bytes[i] as usize];
        if class != NON_ASCII {
            return (class, 1);
        }
        let c = self.text[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        let class = if is_word_char(c) {
            LETTER
        } else if c == '\u{2019}' {
            APOSTROPHE
        } else if c == '\u{2010}' || c == '\u{2011}' {
            HYPHEN
        } else {
            OTHER
        };
        (class, len)
    }

    /// Whether a word character starts at byte `i`.
    #[inline]
    fn word_char_at(&self, i: usize) -> Option<(bool, usize)> {
        if i >= self.text.len() {
            return None;
        }
        match self.class_at(i) {
            (LETTER, len) => Some((false, len)),
            (DIGIT, len) => Some((true, len)),
            _ => None,
        }
    }
}

impl Tokens<'_> {
    /// Appends a found token.
    #[inline(always)]
    fn found(&mut self, token: Token) {
        self.found[self.len] = token;
        self.len += 1;
    }

    /// Finds the next token from `pos` one character at a time and appends
    /// it; `false` when the text has no more.
    fn found_by_characters(&mut self) -> bool {
        match self.scan_one() {
            Some(token) => {
                self.found(token);
                true
            }
            None => false,
        }
    }

    /// Finds the next tokens (at least one unless the text is done),
    /// replacing the found ones, which must all have been returned.
    fn fill(&mut self) {
        self.next = 0;
        self.len = 0;
        let bytes = self.text.as_bytes();
        while self.len == 0 && self.pos < bytes.len() {
            let pos = self.pos;
            if pos + BLOCK > bytes.len() {
                // The tail, shorter than a block, holds at most FOUND tokens.
                while self.found_by_characters() {}
                return;
            }
            let block = WideBlock::at(bytes, pos);
            if block.non_ascii != 0 {
                // Tokens starting in this block, one character at a time.
                while self.len < FOUND && self.pos < pos + BLOCK {
                    if !self.found_by_characters() {
                        return;
                    }
                }
                continue;
            }
            self.fill_ascii_block(pos, &block);
        }
    }

    /// Finds the tokens of the all-ASCII block at `pos`, up to the first
    /// that does not end inside it, and moves `pos` past them.
    #[inline(always)]
    fn fill_ascii_block(&mut self, pos: usize, block: &WideBlock) {
        let bytes = self.text.as_bytes();
        let mut runs = block.word;
        while runs != 0 {
            let s = runs.trailing_zeros() as usize;
            // First byte at or after `s` that is not a word character.
            let e = s + (!(block.word >> s)).trailing_zeros() as usize;
            if e >= BLOCK {
                // The run goes on past the block: start the next block on
                // it, or, if it fills the block, go one character at a time.
                self.pos = pos + s;
                if s == 0 {
                    self.found_by_characters();
                }
                return;
            }
            let run = (u64::MAX << s) & !(u64::MAX << e);
            let all_digits = block.digits & run == run;
            let may_join = match CLASS[bytes[pos + e] as usize] {
                APOSTROPHE => true,
                HYPHEN => self.hyphens == Hyphens::Keep,
                NUMBER_SEPARATOR => all_digits,
                _ => false,
            };
            if may_join {
                // The character after the run may join more to it.
                self.pos = pos + s;
                self.found_by_characters();
                return;
            }
            self.found(Token {
                start: pos + s,
                end: pos + e,
                kind: TokenKind::of(all_digits),
            });
            runs &= u64::MAX << e;
        }
        self.pos = pos + BLOCK;
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    #[inline]
    fn next(&mut self) -> Option<Token> {
        if self.next == self.len {
            self.fill();
            if self.len == 0 {
                return None;
            }
        }
        let token = self.found[self.next];
        self.next += 1;
        Some(token)
    }
}

impl Tokens<'_> {
    /// The next token from `pos`, one character at a time (with 16-byte
    /// steps over ASCII runs); moves `pos` past it.
    fn scan_one(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        // Skip to the first word character.
        let mut i = self.pos;
        let start;
        let mut all_digits;
        loop {
            // Fast path: skip ASCII bytes that cannot start a token, 16 at
            // a time, then one at a time.
            while i + 16 <= n {
                let block = ByteBlock::at(bytes, i);
                let starts = block.letters | block.digits | block.non_ascii;
                if starts != 0 {
                    i += starts.trailing_zeros() as usize;
                    break;
                }
                i += 16;
            }
            while i < n && CLASS[bytes[i] as usize] & STARTS_TOKEN == 0 {
                i += 1;
            }
            if i >= n {
                self.pos = n;
                return None;
            }
            match self.class_at(i) {
                (LETTER, len) => {
                    start = i;
                    all_digits = false;
                    i += len;
                    break;
                }
                (DIGIT, _) => {
                    start = i;
                    all_digits = true;
                    i += 1;
                    break;
                }
                (_, len) => i += len,
            }
        }
        // Extend over word characters and inner joiners.
        while i < n {
            // Fast path: ASCII letters and digits, 16 at a time, then one
            // at a time.
            let mut seen = 0;
            while i + 16 <= n {
                let block = ByteBlock::at(bytes, i);
                // Bits past the block's 16 are set in the complement, so
                // the run is at most 16.
                let run = (!(block.letters | block.digits)).trailing_zeros() as usize;
                if block.letters & ((1u32 << run) - 1) != 0 {
                    seen |= LETTER;
                }
                i += run;
                if run < 16 {
                    break;
                }
            }
            while i < n && CLASS[bytes[i] as usize] & (LETTER | DIGIT) != 0 {
                seen |= CLASS[bytes[i] as usize];
                i += 1;
            }
            if seen & LETTER != 0 {
                all_digits = false;
            }
            if i >= n || CLASS[bytes[i] as usize] == OTHER {
                break;
            }
            let (class, len) = self.class_at(i);
            match class {
                LETTER => {
                    all_digits = false;
                    i += len;
                }
                DIGIT => i += 1,
                APOSTROPHE => match self.word_char_at(i + len) {
                    Some((_, _)) if !all_digits => {
                        all_digits = false;
                        i += len;
                    }
                    _ => break,
                },
                HYPHEN if self.hyphens == Hyphens::Keep => match self.word_char_at(i + len) {
                    Some(_) => {
                        all_digits = false;
                        i += len;
                    }
                    None => break,
                },
                NUMBER_SEPARATOR if all_digits => match self.word_char_at(i + 1) {
                    Some((true, _)) => i += 1,
                    _ => break,
                },
                _ => break,
            }
        }
        self.pos = i;
        Some(Token {
            start,
            end: i,
            kind: TokenKind::of(all_digits),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_tokens(text: &str, hyphens: Hyphens, expected: &[&str]) {
        let got: Vec<&str> = tokens(text, hyphens)
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(got, expected, "tokenizing {text:?}");
    }

    #[test]
    fn words_numbers_and_apostrophes() {
        assert_tokens(
            "Kyiv's mayor didn't say; 12 killed, 1,200.5 hurt at 9:30.",
            Hyphens::Split,
            &[
                "Kyiv's", "mayor", "didn't", "say", "12", "killed", "1,200.5", "hurt", "at", "9:30",
            ],
        );
    }

    #[test]
    fn curly_apostrophe_and_trailing_apostrophe() {
        assert_tokens(
            "Russia’s soldiers' gear",
            Hyphens::Split,
            &["Russia’s", "soldiers", "gear"],
        );
    }

    #[test]
    fn hyphens_split_or_keep() {
        assert_tokens(
            "a cease-fire deal",
            Hyphens::Split,
            &["a", "cease", "fire", "deal"],
        );
        assert_tokens(
            "a cease-fire deal -- now",
            Hyphens::Keep,
            &["a", "cease-fire", "deal", "now"],
        );
    }

    #[test]
    fn number_kinds() {
        let text = "F-16 jets, 5th brigade, 2022";
        let kinds: Vec<TokenKind> = tokens(text, Hyphens::Keep).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Number
            ]
        );
    }

    #[test]
    fn unicode_scripts_and_combining_marks() {
        assert_tokens(
            "Київ — القدس, cafe\u{301} über 東京",
            Hyphens::Split,
            &["Київ", "القدس", "cafe\u{301}", "über", "東京"],
        );
    }

    /// The tokenizer's rules, one character at a time, without fast paths.
    fn reference(text: &str, hyphens: Hyphens) -> Vec<Token> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let word = |k: usize| chars.get(k).is_some_and(|&(_, c)| is_word_char(c));
        let digit = |k: usize| chars.get(k).is_some_and(|&(_, c)| c.is_ascii_digit());
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !word(k) {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            let mut all_digits = digit(k);
            k += 1;
            while k < chars.len() {
                let c = chars[k].1;
                if word(k) {
                    all_digits &= c.is_ascii_digit();
                } else if (c == '\'' || c == '\u{2019}') && !all_digits && word(k + 1) {
                    // Joined; the next character is a word character.
                } else if (c == '-' || c == '\u{2010}' || c == '\u{2011}')
                    && hyphens == Hyphens::Keep
                    && word(k + 1)
                {
                    all_digits = false;
                } else if matches!(c, '.' | ',' | ':') && all_digits && digit(k + 1) {
                    // A separator inside a number.
                } else {
                    break;
                }
                k += 1;
            }
            let end = chars.get(k).map_or(text.len(), |&(i, _)| i);
            let kind = if all_digits {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            out.push(Token { start, end, kind });
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// The fast paths (64-byte blocks, 16-byte steps) find the same
        /// tokens as the rules applied one character at a time, across
        /// block boundaries: on ASCII text, where whole blocks take the
        /// fastest path, and on mixed scripts.
        #[test]
        fn fast_paths_follow_the_rules(
            text in proptest::prop_oneof![
                "[a-zA-Z0-9 '\\-.,:;!]{0,300}",
                "[a-z0-9 '.,-]{0,40}[\u{2019}é\u{2010}]?[a-zA-Z0-9 '.,:-]{0,200}",
                "[a-zA-Z0-9 '\u{2019}\\-\u{2010}.,:;!é東Ж\u{301}\u{2014}]{0,300}",
            ],
            keep in proptest::bool::ANY,
        ) {
            let hyphens = if keep { Hyphens::Keep } else { Hyphens::Split };
            let got: Vec<Token> = tokens(&text, hyphens).collect();
            proptest::prop_assert_eq!(got, reference(&text, hyphens));
        }
    }

    #[test]
    fn long_runs_cross_block_boundaries() {
        let long_word = "x".repeat(150);
        let texts = [
            "Internationalization-committees' 1,234,567,890,123.45 x'y".to_string(),
            format!("a {long_word} b {long_word}"),
            format!("{} don't 12,000 pro-Kremlin 9:30.", "word ".repeat(30)),
            format!("{}1,2{}", "1".repeat(63), "3".repeat(70)),
        ];
        for text in &texts {
            for hyphens in [Hyphens::Split, Hyphens::Keep] {
                assert_eq!(
                    tokens(text, hyphens).collect::<Vec<_>>(),
                    reference(text, hyphens),
                    "tokenizing {text:?}"
                );
            }
        }
    }

    #[test]
    fn punctuation_only_has_no_tokens() {
        assert_tokens(" -- ... ''' \u{2014} ", Hyphens::Keep, &[]);
    }
}
