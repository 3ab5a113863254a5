//! The analyzer: turns a token into a term (lowercase, apostrophes
//! normalized, numbers as one class, stop words dropped, stemmed), and text
//! into terms and word n-grams.
//!
//! Stemming allocates for most words, so the hot paths never stem a word
//! twice: they keep a cache from the surface form to a term id
//! ([`TermCache`]) and call [`Analyzer::term_into`] only on a miss.

use super::stop_words::is_english_stop_word;
use super::tokens::{tokens, Hyphens, TokenKind};
use super::word_table::{WordMap, WordSlot};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The term every number becomes when [`Numbers::Class`] is set.
pub const NUMBER_TERM: &str = "#num";

/// The largest n-gram order the analyzer supports.
pub const MAX_NGRAM: usize = 3;

/// What happens to numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Numbers {
    /// Every number is the term [`NUMBER_TERM`], so "12" and "32" share a feature.
    #[default]
    Class,
    /// Numbers are kept as they are written.
    Keep,
}

/// Which stemmer reduces words to their stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stemming {
    /// No stemming.
    None,
    /// rust-stemmers' English (Porter2) stemmer, applied to words of ASCII
    /// letters (words with digits or of other scripts are kept as written).
    #[default]
    English,
}

/// Which stop words are dropped before stemming and n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopWords {
    /// Keep every word.
    #[default]
    None,
    /// Drop the English list in [`crate::text::stop_words::ENGLISH`].
    English,
}

/// Settings of the analyzer (saved in model files).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyzerConfig {
    /// Hyphenated words: split or kept whole.
    pub hyphens: Hyphens,
    /// Numbers: one class or kept.
    pub numbers: Numbers,
    /// The stemmer.
    pub stemming: Stemming,
    /// The stop-word list.
    pub stop_words: StopWords,
    /// Word n-grams of every order from 1 to this (1 to [`MAX_NGRAM`]).
    pub ngram_max: usize,
    /// Tokens longer than this many bytes (base64 blobs, long URLs) are dropped.
    pub max_token_bytes: usize,
    /// Words shorter than this many characters are dropped (numbers are
    /// kept); 2 drops single letters, like scikit-learn's default pattern.
    pub min_word_chars: usize,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            hyphens: Hyphens::Split,
            numbers: Numbers::Class,
            stemming: Stemming::English,
            stop_words: StopWords::None,
            ngram_max: 2,
            max_token_bytes: 64,
            min_word_chars: 1,
        }
    }
}

impl AnalyzerConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_NGRAM).contains(&self.ngram_max) {
            return Err(Error::InvalidParam {
                name: "ngram_max",
                message: format!("must be 1 to {MAX_NGRAM}, got {}", self.ngram_max),
            });
        }
        if self.max_token_bytes == 0 {
            return Err(Error::InvalidParam {
                name: "max_token_bytes",
                message: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Turns text into terms and n-grams. Cheap to clone; `Send + Sync`.
///
/// ```
/// use newswire::{Analyzer, AnalyzerConfig};
///
/// let analyzer = Analyzer::new(AnalyzerConfig::default())?;
/// assert_eq!(
///     analyzer.analyze("Russia’s drones struck 12 towns"),
///     ["russia", "drone", "struck", "#num", "town",
///      "russia drone", "drone struck", "struck #num", "#num town"],
/// );
/// # Ok::<(), newswire::Error>(())
/// ```
#[derive(Clone)]
pub struct Analyzer {
    config: AnalyzerConfig,
    stemmer: Option<std::sync::Arc<rust_stemmers::Stemmer>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("config", &self.config)
            .finish()
    }
}

impl Analyzer {
    /// An analyzer with checked settings.
    pub fn new(config: AnalyzerConfig) -> Result<Self> {
        config.validate()?;
        let stemmer = match config.stemming {
            Stemming::None => None,
            Stemming::English => Some(std::sync::Arc::new(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::English,
            ))),
        };
        Ok(Analyzer { config, stemmer })
    }

    /// The settings.
    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// Calls `f` with each token of `text` and its kind, in order.
    #[inline]
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(&str, TokenKind)) {
        for token in tokens(text, self.config.hyphens) {
            f(&text[token.start..token.end], token.kind);
        }
    }

    /// Writes the term for the token `surface` into `buf` (cleared first).
    /// Returns `false` if the token is dropped (a stop word, or too long).
    pub fn term_into(&self, surface: &str, kind: TokenKind, buf: &mut String) -> bool {
        buf.clear();
        if surface.len() > self.config.max_token_bytes {
            return false;
        }
        if kind == TokenKind::Number && self.config.numbers == Numbers::Class {
            buf.push_str(NUMBER_TERM);
            return true;
        }
        if self.config.min_word_chars > 1
            && kind == TokenKind::Word
            && surface.chars().count() < self.config.min_word_chars
        {
            return false;
        }
        lowercase_into(surface, buf);
        if self.config.stop_words == StopWords::English && is_english_stop_word(buf) {
            return false;
        }
        // The English stemmer only changes words of ASCII letters longer than
        // two; words with digits or of other scripts are kept as they are.
        let stemmable = buf.len() > 2 && buf.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'');
        if let (Some(stemmer), true) = (&self.stemmer, stemmable && !porter2_keeps(buf)) {
            if let std::borrow::Cow::Owned(stem) = stemmer.stem(buf) {
                // Copied, so that `buf` keeps its capacity for the next word.
                buf.clear();
                buf.push_str(&stem);
            }
        }
        !buf.is_empty()
    }

    /// The terms of `text`, in order (stop words and over-long tokens dropped).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = String::new();
        self.for_each_token(text, |surface, kind| {
            if self.term_into(surface, kind, &mut buf) {
                out.push(buf.clone());
            }
        });
        out
    }

    /// The features of `text` as strings: its terms, then its n-grams of
    /// each higher order, words joined by a space. Slow (one `String` per
    /// feature): for people and tests; the featurizer works on term ids.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let terms = self.terms(text);
        let mut out = Vec::new();
        for n in 1..=self.config.ngram_max {
            for window in terms.windows(n) {
                out.push(window.join(" "));
            }
        }
        out
    }
}

/// Whether the English (Porter2) stemmer is sure to return `word` (ASCII
/// lowercase letters, longer than two) as it is, so it need not run.
///
/// Porter2 changes a word only by removing or rewriting a suffix, or by
/// its list of exceptions; its other steps (a leading apostrophe dropped,
/// `y` marked and unmarked, regions found) leave a word of letters alone.
/// Every suffix and exception ends in `d e g s y`, in an apostrophe, or
/// in one of these endings: `ic`; `ci gi li ti` (`enci`, `ogi`, `alli`,
/// `iti`...); `al ul ll` (`tional`, `ful`, the double `l` of step 5);
/// `ism`; `ion` (`ization`, `ation`, `ion`); `er or` (`izer`, `ator`); and
/// `nt` (`ant`, `ent`, `ment`). A word with none of these endings cannot
/// match a rule: 40% of the distinct stemmable words of 20 Newsgroups
/// (`radix`, `bureau`, `kayak`, `iran`, `israel`, `moscow`, `islam`).
/// `tests::porter2_keeps_the_words_it_is_said_to_keep` checks this against
/// rust-stemmers.
fn porter2_keeps(word: &str) -> bool {
    let bytes = word.as_bytes();
    let [.., before, last] = bytes else {
        return false;
    };
    if bytes.contains(&b'\'') {
        return false;
    }
    match last {
        b'd' | b'e' | b'g' | b's' | b'y' => false,
        b'c' => *before != b'i',
        b'i' => !matches!(before, b'c' | b'g' | b'l' | b't'),
        b'l' => !matches!(before, b'a' | b'u' | b'l'),
        b'm' => !bytes.ends_with(b"ism"),
        b'n' => !bytes.ends_with(b"ion"),
        b'r' => !matches!(before, b'e' | b'o'),
        b't' => *before != b'n',
        _ => true,
    }
}

/// Lowercases `surface` into `buf` and writes curly apostrophes as `'`.
fn lowercase_into(surface: &str, buf: &mut String) {
    if surface.is_ascii() {
        buf.push_str(surface);
        buf.make_ascii_lowercase();
        return;
    }
    for c in surface.chars() {
        match c {
            '\u{2019}' => buf.push('\''),
            c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
            c => buf.extend(c.to_lowercase()),
        }
    }
}

/// Marks a token that the analyzer dropped, in a [`TermCache`].
pub const DROPPED: u32 = u32::MAX;

/// A cache from surface forms to term ids, so each distinct word is
/// lowercased and stemmed once (words of up to 16 bytes are keyed with
/// their ASCII capitals made small, so `Strikes` and `strikes` share one
/// entry). Ids are given by a resolver: the featurizer uses one that
/// interns new terms while fitting, and one that looks terms up in a
/// fitted vocabulary when transforming.
#[derive(Debug, Default, Clone)]
pub struct TermCache {
    /// Surface form to term id ([`DROPPED`] for a dropped token).
    surfaces: WordMap,
    /// The id of [`NUMBER_TERM`], once resolved.
    number_id: Option<u32>,
    /// Tokens found but not yet looked up (see [`TermCache::ids_into`]).
    pending: Vec<Pending>,
    buf: String,
}

/// A token waiting for its lookup; `slot` is `None` for a number that
/// becomes [`NUMBER_TERM`].
#[derive(Debug, Clone, Copy)]
struct Pending {
    start: usize,
    end: usize,
    kind: TokenKind,
    slot: Option<WordSlot>,
}

/// A low guess at the number of distinct words in `bytes` of English
/// text: half what Heaps' law (distinct words grow like the square root
/// of the text's length) fitted on 20 Newsgroups predicts. There, 1.8 MB
/// hold 19,000 distinct surface forms, 10.6 MB 87,000 and 21.2 MB 120,000;
/// this guesses 17,000, 42,000 and 60,000. Tables sized for it grow at
/// most once on such text; on text with fewer distinct words, the room
/// they do not use is at most what the guess asks for (about 3 MB for 21
/// MB of text). Never more than one word per 8 bytes.
fn expected_words(bytes: usize) -> usize {
    let half_heaps = 13.0 * (bytes as f64).sqrt();
    (half_heaps as usize).min(bytes / 8)
}

/// Tokens are found this many at a time, their table slots prefetched,
/// then looked up: the memory accesses of a batch overlap.
const BATCH: usize = 32;

/// Above this many cached surfaces, a cache used for transforming is
/// cleared, so a long-running process keeps a bounded memory.
pub const CACHE_LIMIT: usize = 1 << 20;

impl TermCache {
    /// An empty cache.
    pub fn new() -> Self {
        TermCache::default()
    }

    /// An empty cache sized for `bytes` of text, so that its tables grow
    /// (and copy themselves) at most once or twice while that text is
    /// analyzed, not a dozen times.
    pub fn for_text_bytes(bytes: usize) -> Self {
        TermCache {
            surfaces: WordMap::with_room_for(expected_words(bytes)),
            ..TermCache::default()
        }
    }

    /// Number of cached surface forms.
    pub fn len(&self) -> usize {
        self.surfaces.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every cached entry.
    pub fn clear(&mut self) {
        self.surfaces.clear();
        self.number_id = None;
    }

    /// Appends the term ids of `text` to `out`, skipping dropped tokens.
    /// `resolve` maps a new term to its id ([`DROPPED`] to skip it).
    #[inline]
    pub fn ids_into(
        &mut self,
        analyzer: &Analyzer,
        text: &str,
        out: &mut Vec<u32>,
        mut resolve: impl FnMut(&str) -> u32,
    ) {
        let numbers_as_class = analyzer.config.numbers == Numbers::Class;
        let max_len = analyzer.config.max_token_bytes;
        let bytes = text.as_bytes();
        let mut tokens = tokens(text, analyzer.config.hyphens);
        loop {
            // Find a batch of tokens, and prefetch the slot of each.
            self.pending.clear();
            for token in tokens.by_ref().take(BATCH) {
                let (start, end) = (token.start, token.end);
                let slot = if token.kind == TokenKind::Number
                    && numbers_as_class
                    && end - start <= max_len
                {
                    None
                } else {
                    // A term depends only on the lowercase form, so the
                    // capitalized forms of a word share its entry.
                    let slot = WordSlot::of(bytes, start, end).ascii_folded();
                    self.surfaces.prefetch(slot);
                    Some(slot)
                };
                self.pending.push(Pending {
                    start,
                    end,
                    kind: token.kind,
                    slot,
                });
            }
            if self.pending.is_empty() {
                return;
            }
            // Look them up, analyzing the words seen for the first time.
            let TermCache {
                surfaces,
                number_id,
                pending,
                buf,
            } = self;
            for p in pending.iter() {
                let id = match p.slot {
                    None => *number_id.get_or_insert_with(|| resolve(NUMBER_TERM)),
                    Some(slot) => {
                        let surface = &text[p.start..p.end];
                        surfaces.get_or_insert_at(slot, surface.as_bytes(), || {
                            if analyzer.term_into(surface, p.kind, buf) {
                                resolve(buf)
                            } else {
                                DROPPED
                            }
                        })
                    }
                };
                if id != DROPPED {
                    out.push(id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::next_state;

    fn analyzer(config: AnalyzerConfig) -> Analyzer {
        Analyzer::new(config).expect("valid config")
    }

    #[test]
    fn stems_lowercases_and_classes_numbers() {
        let a = analyzer(AnalyzerConfig {
            ngram_max: 1,
            ..AnalyzerConfig::default()
        });
        assert_eq!(
            a.analyze("Shelling KILLED 32 civilians; 12 wounded"),
            ["shell", "kill", "#num", "civilian", "#num", "wound"]
        );
    }

    #[test]
    fn porter2_keeps_the_words_it_is_said_to_keep() {
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        // Pseudo-random stems of one to eight letters from an alphabet that
        // reaches each rule's letters (vowels, y, doubles, the suffixes' own
        // letters), each then ended with every pair of letters, so that
        // every ending the rule looks at (two letters, or `ism` and `ion`
        // with the stem's last letter) comes after many stems.
        let alphabet = b"aeiouycdglmnrstbfhkpvwxz";
        let mut checked = 0;
        let mut state = 7u64;
        for _ in 0..2_500 {
            next_state(&mut state);
            let len = 1 + (state >> 61) as usize;
            let mut word: Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (3 + 5 * i)) % alphabet.len() as u64) as usize])
                .collect();
            for before in b'a'..=b'z' {
                word.push(before);
                for last in b'a'..=b'z' {
                    word.push(last);
                    let w = std::str::from_utf8(&word).unwrap();
                    if porter2_keeps(w) {
                        assert_eq!(stemmer.stem(w), w, "Porter2 changes {w}");
                        checked += 1;
                    }
                    word.pop();
                }
                word.pop();
            }
        }
        assert!(checked > 1_000_000, "{checked}");
        // Words with real suffixes before the last letter, and apostrophes.
        for w in [
            "radix",
            "kayak",
            "bureau",
            "plateau",
            "tableaux",
            "ceasefireb",
            "nationalizationo",
            "syllabub",
            "yahoo",
            "boyo",
            "ayyo",
            "iran",
            "israel",
            "moscow",
            "islam",
            "quorum",
            "tsunami",
        ] {
            assert!(porter2_keeps(w), "{w}");
            assert_eq!(stemmer.stem(w), w);
        }
        for w in [
            "'tisk",
            "o'hara",
            "strikes",
            "ceasefire",
            "early",
            "news",
            "killing",
            "nation",
            "terrorism",
            "islamic",
            "diplomatic",
            "agency",
            "fatality",
            "cyclical",
            "hopeful",
            "uphill",
            "striker",
            "aggressor",
            "payment",
            "militant",
        ] {
            assert!(!porter2_keeps(w), "{w}");
        }
    }

    #[test]
    fn curly_and_straight_apostrophes_give_one_term() {
        let a = analyzer(AnalyzerConfig::default());
        assert_eq!(a.terms("Ukraine’s"), a.terms("Ukraine's"));
        assert_eq!(a.terms("Ukraine's"), ["ukrain"]);
    }

    #[test]
    fn stop_words_are_dropped_before_ngrams() {
        let a = analyzer(AnalyzerConfig {
            stop_words: StopWords::English,
            stemming: Stemming::None,
            ..AnalyzerConfig::default()
        });
        assert_eq!(
            a.analyze("the talks in Doha"),
            ["talks", "doha", "talks doha"]
        );
    }

    #[test]
    fn numbers_kept_when_asked() {
        let a = analyzer(AnalyzerConfig {
            numbers: Numbers::Keep,
            ngram_max: 1,
            ..AnalyzerConfig::default()
        });
        assert_eq!(a.analyze("1,200 troops"), ["1,200", "troop"]);
    }

    #[test]
    fn trigrams() {
        let a = analyzer(AnalyzerConfig {
            ngram_max: 3,
            stemming: Stemming::None,
            ..AnalyzerConfig::default()
        });
        assert_eq!(
            a.analyze("air raid sirens"),
            [
                "air",
                "raid",
                "sirens",
                "air raid",
                "raid sirens",
                "air raid sirens"
            ]
        );
    }

    #[test]
    fn rejects_bad_ngram_order() {
        let err = Analyzer::new(AnalyzerConfig {
            ngram_max: 0,
            ..AnalyzerConfig::default()
        })
        .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidParam {
                name: "ngram_max",
                ..
            }
        ));
    }

    #[test]
    fn over_long_tokens_are_dropped() {
        let a = analyzer(AnalyzerConfig::default());
        let blob = "x".repeat(100);
        assert_eq!(a.terms(&format!("before {blob} after")), ["befor", "after"]);
    }

    #[test]
    fn cache_stems_each_surface_once() {
        let a = analyzer(AnalyzerConfig::default());
        let mut cache = TermCache::new();
        let mut calls = 0;
        let mut out = Vec::new();
        cache.ids_into(&a, "strikes strikes Strikes STRIKES", &mut out, |_| {
            calls += 1;
            7
        });
        assert_eq!(out, [7, 7, 7, 7]);
        assert_eq!(calls, 1, "one word, whatever its capitals");
        // Over 16 bytes, and outside ASCII, capitals are not folded: such a
        // word is analyzed once per spelling, to the same term.
        let mut terms = Vec::new();
        out.clear();
        let text = "Reconstructionists reconstructionists Émigrés émigrés";
        cache.ids_into(&a, text, &mut out, |term| {
            terms.push(term.to_string());
            terms.len() as u32
        });
        assert_eq!(out, [1, 2, 3, 4]);
        assert_eq!(terms[0], terms[1]);
        assert_eq!(terms[2], terms[3]);
    }

    #[test]
    fn cache_keys_words_the_same_anywhere_in_the_text() {
        // Short words are keyed from eight bytes read at once where the text
        // has them and copied near its end; both give one key per word, and
        // words that share a prefix stay apart.
        let a = analyzer(AnalyzerConfig::default());
        let mut cache = TermCache::new();
        let mut terms: Vec<String> = Vec::new();
        let mut out = Vec::new();
        let text = "war warship wars war a an ab ceasefire ceasefires war";
        cache.ids_into(&a, text, &mut out, |term| {
            terms.push(term.to_string());
            terms.len() as u32 - 1
        });
        let named: Vec<&str> = out.iter().map(|&id| terms[id as usize].as_str()).collect();
        assert_eq!(
            named,
            ["war", "warship", "war", "war", "a", "an", "ab", "ceasefir", "ceasefir", "war"]
        );
        assert_eq!(out[0], out[9], "mid-text and end-of-text keys agree");
        assert_eq!(cache.len(), 8, "eight distinct surfaces");
    }
}
