//! pySBD's English golden rules for sentence boundaries, read from
//! `../shared/data/segmentation/golden_rules_en.json`.
//!
//! Needs `../shared`: ignored by a plain `cargo test`, run by `.ci/run` with
//! `cargo test --test shared_segmentation -- --ignored`.

use newswire::SentenceSplitter;
use std::path::Path;

const GOLDEN_RULES: &str = "../shared/data/segmentation/golden_rules_en.json";
const REQUIRED: usize = 44;

#[derive(serde::Deserialize)]
struct Rules {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    sentences: Vec<String>,
}

#[test]
#[ignore = "needs ../shared/data/segmentation"]
fn passes_pysbd_english_golden_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN_RULES);
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rules: Rules = serde_json::from_str(&json).expect("golden rules parse");
    let splitter = SentenceSplitter::default();
    let mut passed = 0;
    for (i, case) in rules.cases.iter().enumerate() {
        let got: Vec<&str> = splitter.sentences(&case.text).collect();
        if got == case.sentences {
            passed += 1;
        } else {
            eprintln!(
                "case {i} failed:\n  text:     {:?}\n  expected: {:?}\n  got:      {:?}",
                case.text, case.sentences, got
            );
        }
    }
    eprintln!("golden rules: {passed} of {} passed", rules.cases.len());
    assert!(
        passed >= REQUIRED,
        "only {passed} of {} golden rules pass; {REQUIRED} required",
        rules.cases.len()
    );
}
