//! The library API as another program uses it: the built-in model, article
//! reports with spans, batches, threads.

use newswire::{Classifier, ClassifyOptions, ModelKind};
use std::sync::Arc;

const ARTICLE: &str = "Drone strike kills three in Kharkiv\n\n\
    KHARKIV, Ukraine (AP) \u{2014} A Russian drone hit an apartment block overnight, killing three people \
    and wounding 12, the governor said. \u{201c}This is terror,\u{201d} he said. The foreign ministers of \
    Ukraine and Poland met in Warsaw on Tuesday. The EU is preparing new sanctions on Russian banks.";

#[test]
fn classifies_an_article_into_sentences_with_spans() {
    let classifier = Classifier::default();
    assert_eq!(classifier.kind(), ModelKind::MultiLabel);
    let report = classifier.classify_article(ARTICLE);
    assert_eq!(
        report.sentences.len(),
        5,
        "{:#?}",
        report.sentences.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    for s in &report.sentences {
        assert_eq!(&ARTICLE[s.start..s.end], s.text);
        assert_eq!(s.prediction.scores.len(), 4);
        assert!(s
            .prediction
            .scores
            .values()
            .all(|p| (0.0..=1.0).contains(p)));
    }
    let labels: Vec<&Vec<String>> = report
        .sentences
        .iter()
        .map(|s| &s.prediction.labels)
        .collect();
    assert!(
        labels[1].contains(&"attack".to_string()) && labels[1].contains(&"casualty".to_string())
    );
    assert!(labels[3].contains(&"diplomacy".to_string()));
    assert!(labels[4].contains(&"sanctions".to_string()));
    assert_eq!(
        report.counts().values().sum::<usize>(),
        labels.iter().map(|l| l.len()).sum::<usize>()
    );
}

#[test]
fn batches_and_parallel_batches_agree() {
    let classifier = Classifier::builtin().unwrap();
    let sentences: Vec<&str> = vec![
        "Artillery pounded the town.",
        "Talks resumed in Doha.",
        "",
        "\u{0}\u{1}",
        "The toll rose to 40.",
    ];
    let serial = classifier.classify_sentences(&sentences);
    let parallel = classifier.par_classify_sentences(&sentences, ClassifyOptions::default());
    assert_eq!(serial, parallel);
    assert_eq!(
        serial[2].labels,
        ["other"],
        "an empty sentence has no label"
    );
}

#[test]
fn one_classifier_serves_many_threads() {
    let classifier = Arc::new(Classifier::builtin().unwrap());
    let expected = classifier.classify_article(ARTICLE);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&classifier);
            std::thread::spawn(move || c.classify_article(ARTICLE))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

#[test]
fn empty_and_hostile_articles_do_not_panic() {
    let classifier = Classifier::builtin().unwrap();
    assert!(classifier.classify_article("").sentences.is_empty());
    let long = "shelling ".repeat(200_000);
    assert_eq!(classifier.classify_article(&long).sentences.len(), 1);
    classifier.classify_article("\u{202e}\u{0}\u{feff}Москва 東京 e\u{301}\u{301}!!!???...");
}
