//! Bad and odd input never makes the library panic: arbitrary strings,
//! control characters, mixed scripts, combining marks, a megabyte without a
//! full stop, invalid UTF-8 in a file.

use newswire::{Analyzer, AnalyzerConfig, SentenceSplitter, TfidfConfig, TfidfVectorizer};
use proptest::prelude::*;

/// Checks that spans are in order, inside the text, on character
/// boundaries, trimmed and not empty.
fn assert_valid_spans(text: &str) {
    let spans = SentenceSplitter::default().split(text);
    let mut last_end = 0;
    for span in &spans {
        assert!(span.start >= last_end && span.start < span.end && span.end <= text.len());
        let sentence = text.get(span.start..span.end).expect("char boundaries");
        assert_eq!(sentence, sentence.trim(), "spans are trimmed");
        last_end = span.end;
    }
    // Nothing but white space is left out.
    let covered: usize = spans.iter().map(|s| s.len()).sum();
    let non_space = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(char::len_utf8)
        .sum::<usize>();
    assert!(covered >= non_space);
}

fn news_like() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("U.S.".to_string()),
            Just(" ".to_string()),
            Just(". ".to_string()),
            Just("\u{201c}".to_string()),
            Just("\u{201d}".to_string()),
            Just("...".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("1.) ".to_string()),
            Just("?! ".to_string()),
            Just("[...]".to_string()),
            Just(". . . ".to_string()),
            "[A-Za-z]{1,8}",
            "[0-9]{1,4}",
            "\\PC{1,3}",
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn splitter_never_panics_on_arbitrary_strings(text in any::<String>()) {
        assert_valid_spans(&text);
    }

    #[test]
    fn splitter_never_panics_on_news_like_strings(text in news_like()) {
        assert_valid_spans(&text);
    }

    #[test]
    fn analyzer_never_panics(text in any::<String>(), ngram_max in 1usize..=3) {
        let analyzer = Analyzer::new(AnalyzerConfig { ngram_max, ..AnalyzerConfig::default() }).unwrap();
        let features = analyzer.analyze(&text);
        prop_assert!(features.iter().all(|f| !f.is_empty()));
    }

    #[test]
    fn transform_never_panics(texts in prop::collection::vec(news_like(), 1..6), probe in any::<String>()) {
        let mut corpus = texts.clone();
        corpus.push("sanctions were imposed on the bank".into());
        let (v, m) = TfidfVectorizer::fit_transform(&corpus, AnalyzerConfig::default(), TfidfConfig::default()).unwrap();
        prop_assert_eq!(m.n_rows(), corpus.len());
        let row = v.transform(&[probe]);
        prop_assert!(row.row(0).values.iter().all(|x| x.is_finite()));
    }
}

#[test]
fn a_megabyte_without_a_full_stop() {
    let text = "shelling continued near the border and ".repeat(26_000);
    assert!(text.len() > 1_000_000);
    let spans = SentenceSplitter::default().split(&text);
    assert_eq!(spans.len(), 1);
    let blob = "x".repeat(1_100_000);
    assert_eq!(SentenceSplitter::default().split(&blob).len(), 1);
    let analyzer = Analyzer::new(AnalyzerConfig::default()).unwrap();
    assert!(
        analyzer.terms(&blob).is_empty(),
        "over-long tokens are dropped"
    );
}

#[test]
fn control_characters_mixed_scripts_and_combining_marks() {
    let text = "\u{0}\u{7}Kyiv\u{1b}[0m struck.\r\n\u{202e}Москва ответила. العربية! e\u{301}\u{301}\u{301} 東京?\u{feff}";
    assert_valid_spans(text);
    let analyzer = Analyzer::new(AnalyzerConfig::default()).unwrap();
    let terms = analyzer.terms(text);
    assert!(terms.contains(&"москва".to_string()), "{terms:?}");
    assert!(
        terms.contains(&"e\u{301}\u{301}\u{301}".to_string()),
        "{terms:?}"
    );
}

#[test]
fn invalid_utf8_in_a_file_is_an_error_with_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    std::fs::write(&path, b"Headline\nFirst line.\nBad \xc3\x28 byte.").unwrap();
    let err = newswire::data::read_text(&path).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("article.txt"), "{message}");
    assert!(
        message.contains("line 3") && message.contains("byte offset 25"),
        "{message}"
    );
}
