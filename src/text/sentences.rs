//! Sentence splitting for news text.
//!
//! [`SentenceSplitter`] returns byte spans into the original text, so no
//! sentence is copied. It knows the habits of news copy: abbreviations and
//! initials (`U.S.`, `Lt. Gen.`, `Jan. 5`, `a.m.`), an abbreviation that ends
//! a sentence (`... and the U.S. In response, ...`), decimals and money,
//! quotes around sentence ends, ellipses, `!?`, numbered lists, and lines
//! without a final stop (a headline, `Source: BBC`, a dateline) which are
//! sentences of their own.

use serde::{Deserialize, Serialize};

/// A sentence's place in the text: `text[start..end]`, byte offsets, with
/// surrounding white space trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte of the sentence.
    pub start: usize,
    /// Byte offset one past the last byte of the sentence.
    pub end: usize,
}

impl Span {
    /// The sentence text this span covers in `text`.
    ///
    /// Returns an empty string if the span does not fit `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Settings of the sentence splitter (saved in model files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitterConfig {
    /// Whether a single line break can end a sentence (a headline or a
    /// dateline on its own line). A blank line always does. A line break
    /// followed by a lowercase letter, or after a comma, never does.
    pub line_breaks_end_sentences: bool,
    /// Abbreviations to add to the built-in list, lowercase, without the
    /// final dot (`"gen"`, `"u.s"`).
    pub extra_abbreviations: Vec<String>,
}

impl Default for SplitterConfig {
    fn default() -> Self {
        SplitterConfig {
            line_breaks_end_sentences: true,
            extra_abbreviations: Vec::new(),
        }
    }
}

/// Titles that stand before a name: a dot after them never ends a sentence.
const TITLES: &[&str] = &[
    "adm", "amb", "brig", "capt", "cdr", "cmdr", "col", "cpl", "cpt", "det", "dr", "fr", "gen",
    "gens", "gov", "hon", "insp", "lt", "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "mt",
    "pres", "prof", "pvt", "rep", "rev", "sen", "sgt", "st", "supt",
];

/// Other abbreviations: a dot after them ends a sentence only when a word
/// that typically starts a sentence follows.
const ABBREVIATIONS: &[&str] = &[
    "a.m", "al", "approx", "apr", "art", "aug", "ave", "blvd", "bros", "ca", "cf", "co", "corp",
    "d.c", "dec", "dept", "e.g", "e.u", "est", "etc", "feb", "fig", "fri", "govt", "i.e", "inc",
    "intl", "jan", "jr", "jul", "jun", "llc", "ltd", "mar", "mon", "no", "nos", "nov", "nr", "n°",
    "oct", "p", "p.m", "ph.d", "plc", "pp", "rd", "sat", "sec", "sep", "sept", "sr", "sun", "tel",
    "thu", "thur", "thurs", "tue", "tues", "u.k", "u.n", "u.s", "u.s.a", "vol", "vs", "wed",
];

/// Capitalized words that typically open a sentence. After an abbreviation
/// or an initial, the dot ends the sentence only if one of these follows.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Against",
    "All",
    "Also",
    "Although",
    "Amid",
    "Among",
    "An",
    "And",
    "Are",
    "As",
    "Asked",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Can",
    "Could",
    "Despite",
    "Did",
    "Do",
    "Does",
    "During",
    "Each",
    "Earlier",
    "Even",
    "Every",
    "For",
    "From",
    "Had",
    "Has",
    "Have",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "Is",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "May",
    "Meanwhile",
    "Most",
    "My",
    "Neither",
    "No",
    "Nor",
    "Not",
    "Now",
    "Officials",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Other",
    "Our",
    "Several",
    "She",
    "Should",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Today",
    "Under",
    "Unlike",
    "Until",
    "Was",
    "We",
    "Were",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "Will",
    "With",
    "Without",
    "Would",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// Splits text into sentences. Build it once and reuse it: it is cheap to
/// call and holds no per-call state, so one splitter can serve many threads.
///
/// ```
/// use newswire::SentenceSplitter;
///
/// let text = "Talks resumed in Geneva between Russia and the U.S. In response, \
///             Kyiv sent an envoy. \u{201c}This is unacceptable,\u{201d} he said.";
/// let splitter = SentenceSplitter::default();
/// let sentences: Vec<&str> = splitter.sentences(text).collect();
/// assert_eq!(sentences.len(), 3);
/// assert_eq!(sentences[1], "In response, Kyiv sent an envoy.");
/// ```
#[derive(Debug, Clone)]
pub struct SentenceSplitter {
    config: SplitterConfig,
    abbreviations: Vec<String>,
}

impl Default for SentenceSplitter {
    fn default() -> Self {
        SentenceSplitter::new(SplitterConfig::default())
    }
}

/// What a run of terminal punctuation looks like.
struct Run {
    /// Byte offset of the first terminal character.
    start: usize,
    /// Byte offset after the run, its spaced dots and closing quotes or brackets.
    end: usize,
    /// Number of dots (an ellipsis character counts as three).
    dots: usize,
    /// Whether it holds `!` or `?`.
    exclamation: bool,
    /// Whether the dots are spaced (`. . .`).
    spaced: bool,
}

impl SentenceSplitter {
    /// A splitter with the given settings.
    pub fn new(config: SplitterConfig) -> Self {
        let mut abbreviations: Vec<String> = ABBREVIATIONS.iter().map(|s| s.to_string()).collect();
        abbreviations.extend(
            config
                .extra_abbreviations
                .iter()
                .map(|a| a.trim().trim_end_matches('.').to_lowercase()),
        );
        abbreviations.sort();
        abbreviations.dedup();
        SentenceSplitter {
            config,
            abbreviations,
        }
    }

    /// The settings this splitter was built with.
    pub fn config(&self) -> &SplitterConfig {
        &self.config
    }

    /// The spans of the sentences of `text`, in order.
    pub fn split(&self, text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        self.split_into(text, &mut spans);
        spans
    }

    /// The sentences of `text` as string slices, in order.
    pub fn sentences<'a>(&self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.split(text).into_iter().map(move |s| s.slice(text))
    }

    /// Appends the spans of the sentences of `text` to `out`, reusing its
    /// allocation.
    pub fn split_into(&self, text: &str, out: &mut Vec<Span>) {
        let mut cuts = Vec::new();
        for (start, end) in self.blocks(text) {
            cuts.clear();
            self.cuts_in_block(text, start, end, &mut cuts);
            cuts.push(end);
            cuts.sort_unstable();
            let mut from = start;
            for &cut in &cuts {
                if cut > from {
                    push_trimmed(text, from, cut, out);
                    from = cut;
                }
            }
        }
    }

    /// Splits the text into blocks at blank lines and, where the settings
    /// allow, at single line breaks that end a line standing on its own.
    fn blocks(&self, text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut blocks = Vec::new();
        let mut block_start = 0;
        let mut pos = 0;
        while let Some(offset) = bytes[pos..].iter().position(|&b| b == b'\n') {
            let newline = pos + offset;
            pos = newline + 1;
            let line = text[block_start..newline].trim_end();
            let rest = &text[pos..];
            let next_line = rest.split('\n').next().unwrap_or("");
            let blank_follows = next_line.trim().is_empty();
            let ends_block = blank_follows
                || (self.config.line_breaks_end_sentences && {
                    let last = line.chars().next_back();
                    let first = next_line.trim_start().chars().next();
                    !matches!(last, Some(',' | ';' | '(' | '&'))
                        && !first.is_some_and(|c| c.is_lowercase())
                });
            if ends_block {
                blocks.push((block_start, newline));
                block_start = pos;
            }
        }
        blocks.push((block_start, text.len()));
        blocks
    }

    /// Finds the byte offsets inside `text[start..end]` where a sentence ends.
    fn cuts_in_block(&self, text: &str, start: usize, end: usize, cuts: &mut Vec<usize>) {
        let bytes = text.as_bytes();
        let list_dots = list_markers(text, start, end, cuts);
        let mut i = start;
        while i < end {
            let b = bytes[i];
            let is_ellipsis_char = b == 0xE2 && bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6]);
            if !(b == b'.' || b == b'!' || b == b'?' || is_ellipsis_char) {
                i += 1;
                continue;
            }
            let run = read_run(bytes, i, end);
            i = run.end.max(i + 1);
            if list_dots.contains(&run.start) {
                continue;
            }
            if let Some(cut) = self.decide(text, &run, end) {
                cuts.push(cut);
            }
        }
    }

    /// Decides whether a run of terminal punctuation ends a sentence, and
    /// where.
    fn decide(&self, text: &str, run: &Run, block_end: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        // A sentence end is followed by white space (or the block end):
        // "3.5", "example.com", "Jr.'s" and "mean...see" are not.
        if run.end < block_end
            && !bytes[run.end].is_ascii_whitespace()
            && !text[run.end..].starts_with(char::is_whitespace)
        {
            return None;
        }
        let next = next_word(text, run.end, block_end);
        let first = next.chars().next()?;
        // "[...]" is an omission, not an end.
        if run.dots >= 3
            && run.start > 0
            && bytes[run.start - 1] == b'['
            && text[run.start..run.end]
                .trim_start_matches(['.', '\u{2026}'])
                .starts_with(']')
        {
            return None;
        }
        if first.is_lowercase() {
            return None;
        }
        if run.exclamation {
            return Some(run.end);
        }
        let attached = run.start > 0 && !bytes[run.start - 1].is_ascii_whitespace();
        if run.dots >= 2 {
            let starts_sentence = first.is_uppercase() || starts_with_quote(next);
            if run.spaced {
                if attached {
                    // "compounds. . . . The practice": the first dot ends the
                    // sentence, the spaced dots open the next.
                    return starts_sentence.then_some(run.start + 1);
                }
                // " . . . I didn't" is an omission; " . . . . Next" ends one.
                return (run.dots >= 4 && starts_sentence).then_some(run.end);
            }
            return starts_sentence.then_some(run.end);
        }
        // A single dot.
        let word = word_before(text, run.start);
        let lower = word.to_lowercase();
        if TITLES.binary_search(&lower.as_str()).is_ok() {
            return None;
        }
        let is_abbreviation = self.abbreviations.binary_search(&lower).is_ok()
            || is_initialism(word)
            || is_initial(word);
        if first.is_ascii_digit() {
            return (!is_abbreviation).then_some(run.end);
        }
        if is_abbreviation {
            let bare = next.trim_start_matches(is_opening_quote);
            let bare = bare.trim_end_matches(|c: char| !c.is_alphanumeric());
            return SENTENCE_STARTERS
                .binary_search(&bare)
                .is_ok()
                .then_some(run.end);
        }
        Some(run.end)
    }
}

/// Reads a run of terminal punctuation at `i`: the characters themselves,
/// spaced dots after them, and closing quotes or brackets.
fn read_run(bytes: &[u8], i: usize, end: usize) -> Run {
    let mut run = Run {
        start: i,
        end: i,
        dots: 0,
        exclamation: false,
        spaced: false,
    };
    let mut j = i;
    loop {
        while j < end {
            match bytes[j] {
                b'.' => run.dots += 1,
                b'!' | b'?' => run.exclamation = true,
                0xE2 if bytes.get(j + 1..j + 3) == Some(&[0x80, 0xA6]) => {
                    run.dots += 3;
                    j += 2;
                }
                _ => break,
            }
            j += 1;
        }
        // ". . ." : a space followed by another dot continues the run.
        if run.dots > 0 && j + 1 < end && bytes[j] == b' ' && bytes[j + 1] == b'.' {
            run.spaced = true;
            j += 1;
            continue;
        }
        break;
    }
    // Closing quotes and brackets belong to the sentence they close.
    loop {
        if j < end && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
            j += 1;
        } else if let Some(close) = ["\u{201d}", "\u{2019}", "\u{bb}"]
            .into_iter()
            .find(|q| text_at(bytes, j, end).starts_with(q.as_bytes()))
        {
            j += close.len();
        } else {
            break;
        }
    }
    run.end = j.min(end);
    run
}

/// The bytes from `i` to `end` (empty if `i` is past `end`).
fn text_at(bytes: &[u8], i: usize, end: usize) -> &[u8] {
    bytes.get(i..end).unwrap_or(&[])
}

/// Finds a numbered or lettered list (`1. ... 2. ...`, `a) ... b) ...`,
/// `• 9. ... • 10. ...`) that starts the block. Pushes a cut before every
/// item after the first, and returns the offsets of the markers' dots,
/// which are not sentence ends.
fn list_markers(text: &str, start: usize, end: usize, cuts: &mut Vec<usize>) -> Vec<usize> {
    let mut dots = Vec::new();
    let block = &text[start..end];
    let lead = block.len() - block.trim_start().len();
    let Some(first) = parse_marker(text, start + lead, end) else {
        return dots;
    };
    if let Some(dot) = first.dot {
        dots.push(dot);
    }
    let mut expected = first.value + 1;
    let mut pos = first.end;
    while pos < end {
        // Markers stand after white space.
        let Some(offset) = text[pos..end].find(char::is_whitespace) else {
            break;
        };
        let at = pos
            + offset
            + text[pos + offset..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        if let Some(marker) = parse_marker(text, at, end) {
            if marker.value == expected && marker.kind == first.kind {
                cuts.push(marker.start);
                if let Some(dot) = marker.dot {
                    dots.push(dot);
                }
                expected += 1;
                pos = marker.end;
                continue;
            }
        }
        pos = at;
    }
    dots
}

/// A list item marker such as `2.)`, `10.`, `b)` or `• 3.`.
struct Marker {
    /// Where the marker (or its bullet) starts.
    start: usize,
    /// Where the text after it starts.
    end: usize,
    /// 1, 2, 3... for digits; 1 for `a`, 2 for `b`...
    value: u32,
    /// Digits or letters.
    kind: u8,
    /// The offset of the marker's dot, if it has one.
    dot: Option<usize>,
}

fn parse_marker(text: &str, at: usize, end: usize) -> Option<Marker> {
    let mut i = at;
    let rest = &text[at..end];
    // An optional bullet, attached or followed by one space.
    for bullet in ["\u{2022}", "\u{2043}"] {
        if rest.starts_with(bullet) {
            i += bullet.len();
            if text.as_bytes().get(i) == Some(&b' ') {
                i += 1;
            }
        }
    }
    let bytes = text.as_bytes();
    let digits = bytes[i..end]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (value, kind, mut j) = if (1..=2).contains(&digits) {
        let value: u32 = text[i..i + digits].parse().ok()?;
        (value, b'0', i + digits)
    } else if digits == 0 && i < end && bytes[i].is_ascii_lowercase() {
        (u32::from(bytes[i] - b'a') + 1, b'a', i + 1)
    } else {
        return None;
    };
    let mut dot = None;
    if j < end && bytes[j] == b'.' {
        dot = Some(j);
        j += 1;
    }
    if j < end && bytes[j] == b')' {
        j += 1;
    } else if dot.is_none() {
        return None;
    }
    if j >= end || bytes[j] != b' ' {
        return None;
    }
    Some(Marker {
        start: at,
        end: j,
        value,
        kind,
        dot,
    })
}

/// The word after `from`, skipping white space, up to the next white space.
fn next_word(text: &str, from: usize, block_end: usize) -> &str {
    let rest = text[from..block_end].trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    &rest[..end]
}

/// The word that ends at `end`, without opening quotes or brackets.
fn word_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start = head.rfind(|c: char| c.is_whitespace()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    head[start..].trim_start_matches(|c: char| is_opening_quote(c) || c == '(' || c == '[')
}

/// `U.S`, `E.U`, `a.m`: single letters joined by dots (the last dot is the
/// one being decided).
fn is_initialism(word: &str) -> bool {
    let mut letters = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => letters += 1,
            _ => return false,
        }
    }
    letters >= 2
}

/// A single capital letter, like the `E` of `Jonas E. Smith`.
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn is_opening_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{2018}' | '\u{ab}' | '(' | '['
    )
}

fn starts_with_quote(word: &str) -> bool {
    word.starts_with(is_opening_quote)
}

/// Pushes `text[from..to]` trimmed of white space, if anything is left.
fn push_trimmed(text: &str, from: usize, to: usize, out: &mut Vec<Span>) {
    let piece = &text[from..to];
    let trimmed_start = piece.trim_start();
    let start = from + (piece.len() - trimmed_start.len());
    let end = start + trimmed_start.trim_end().len();
    if end > start {
        out.push(Span { start, end });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_splits(text: &str, expected: &[&str]) {
        let got: Vec<&str> = SentenceSplitter::default().sentences(text).collect();
        assert_eq!(got, expected, "splitting {text:?}");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [TITLES, ABBREVIATIONS, SENTENCE_STARTERS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn abbreviation_that_ends_a_sentence() {
        assert_splits(
            "The talks were between Russia and the U.S. In response, Kyiv recalled its envoy.",
            &[
                "The talks were between Russia and the U.S.",
                "In response, Kyiv recalled its envoy.",
            ],
        );
    }

    #[test]
    fn titles_ranks_and_dates_do_not_end_sentences() {
        assert_splits(
            "Lt. Gen. Smith met Gov. Brown on Jan. 5 at No. 10 Downing St. at 9 a.m. local time.",
            &["Lt. Gen. Smith met Gov. Brown on Jan. 5 at No. 10 Downing St. at 9 a.m. local time."],
        );
    }

    #[test]
    fn money_and_decimals() {
        assert_splits(
            "The E.U. froze $1.5 billion in assets. Trading resumed at 9.30 on Monday.",
            &[
                "The E.U. froze $1.5 billion in assets.",
                "Trading resumed at 9.30 on Monday.",
            ],
        );
    }

    #[test]
    fn curly_quotes_around_sentence_ends() {
        assert_splits(
            "\u{201c}We will not negotiate under fire,\u{201d} he said. The minister called it \u{201c}unacceptable.\u{201d} It was the third strike this week.",
            &[
                "\u{201c}We will not negotiate under fire,\u{201d} he said.",
                "The minister called it \u{201c}unacceptable.\u{201d}",
                "It was the third strike this week.",
            ],
        );
    }

    #[test]
    fn headline_dateline_and_source_lines_stand_alone() {
        assert_splits(
            "Drone strike kills three in Kharkiv\nKHARKIV, Ukraine (AP) \u{2014}\nA drone hit a building. Two people were hurt.\n\nSource: BBC",
            &[
                "Drone strike kills three in Kharkiv",
                "KHARKIV, Ukraine (AP) \u{2014}",
                "A drone hit a building.",
                "Two people were hurt.",
                "Source: BBC",
            ],
        );
    }

    #[test]
    fn wrapped_lines_are_joined() {
        assert_splits(
            "The foreign ministers met in Ankara\non Tuesday, officials said.",
            &["The foreign ministers met in Ankara\non Tuesday, officials said."],
        );
    }

    #[test]
    fn exclamation_question_and_ellipsis() {
        assert_splits(
            "Is this a ceasefire?! Nobody knows... The guns went quiet.",
            &[
                "Is this a ceasefire?!",
                "Nobody knows...",
                "The guns went quiet.",
            ],
        );
    }

    #[test]
    fn numbered_list() {
        assert_splits(
            "1. Sanctions on banks 2. An oil embargo 3. Travel bans",
            &[
                "1. Sanctions on banks",
                "2. An oil embargo",
                "3. Travel bans",
            ],
        );
    }

    #[test]
    fn year_at_end_of_sentence() {
        assert_splits(
            "The war began in 2022. 15 people were killed.",
            &["The war began in 2022.", "15 people were killed."],
        );
    }

    #[test]
    fn empty_and_blank_text() {
        assert_splits("", &[]);
        assert_splits("  \n\n \t ", &[]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "  First one.  Second one.  ";
        let spans = SentenceSplitter::default().split(text);
        assert_eq!(
            spans,
            vec![Span { start: 2, end: 12 }, Span { start: 14, end: 25 }]
        );
    }
}
