//! The library API as another program uses it: the built-in model, article
//! reports with spans, batches, threads.

mod common;

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

#[test]
fn out_of_fold_predictions_cover_every_example_and_name_disputed_labels() {
    use newswire::{mistakes_in, TrainParams, Trainer};
    let rows = [
        ("attack", "Drones struck the port overnight."),
        ("attack", "Artillery shelled the town again."),
        ("attack", "Drones struck the airport at dawn."),
        ("attack", "Artillery shelled the bridge."),
        ("diplomacy", "The envoys held talks in Geneva."),
        ("diplomacy", "The ministers held talks in Ankara."),
        ("diplomacy", "The leaders held talks by phone."),
        (
            "diplomacy",
            "Drones struck the port and artillery shelled the town.",
        ),
        ("other", "Rain is expected on Friday."),
        ("other", "The museum reopened after repairs."),
        ("attack,casualty", "The strike killed two people."),
        ("attack,casualty", "Drones struck the town, killing four."),
    ];
    let data = common::rows_data(&rows);
    // Two labels on some rows: a multi-label model.
    let params = TrainParams {
        folds: 5,
        cv_repeats: 1,
        tfidf: Default::default(),
        ..TrainParams::default()
    };
    let (classifier, report) = Trainer::new(params).unwrap().train(&data).unwrap();
    assert_eq!(report.kind, ModelKind::MultiLabel);
    assert_eq!(report.out_of_fold.len(), data.examples.len());
    for prediction in &report.out_of_fold {
        assert_eq!(prediction.scores.len(), classifier.labels().len());
    }
    let disputed = mistakes_in(report.kind, classifier.labels(), &data, &report.out_of_fold);
    assert!(disputed.iter().any(|m| m.line == 9), "{disputed:?}");

    let no_folds = TrainParams {
        folds: 0,
        tfidf: Default::default(),
        ..TrainParams::default()
    };
    let (_, report) = Trainer::new(no_folds).unwrap().train(&data).unwrap();
    assert!(report.out_of_fold.is_empty());
}

#[test]
fn concentration_lets_one_class_words_weigh_more() {
    use newswire::{Mode, TrainParams, Trainer};
    // "port" is in war sentences only (concentration 1, penalty eased by
    // up to 2^power), "the" in every sentence of every class (0, as
    // penalized as without concentration).
    let rows = [
        ("war", "The drones hit the port."),
        ("war", "The shells hit the port again."),
        ("talks", "The envoys met in the capital."),
        ("talks", "The ministers met the envoys."),
        ("weather", "The rain fell on the coast."),
        ("weather", "The wind rose on the hills."),
    ];
    let data = common::rows_data(&rows);
    let train = |power: f64| {
        let mut params = TrainParams {
            folds: 0,
            mode: Mode::MultiClass,
            concentration_power: power,
            ..TrainParams::default()
        };
        params.tfidf.min_df = 1;
        Trainer::new(params).unwrap().train(&data).unwrap().0
    };
    let weight_of = |classifier: &newswire::Classifier, word: &str| {
        let fid = classifier
            .vectorizer()
            .vocabulary()
            .feature_id(word)
            .unwrap() as usize;
        let model = classifier.linear_model();
        let war = model.labels.iter().position(|l| l == "war").unwrap();
        model.weights[fid * model.labels.len() + war]
    };
    let (plain, eased) = (train(0.0), train(2.0));
    // The featurizer is the same; only the weights change.
    assert_eq!(plain.vectorizer().idf(), eased.vectorizer().idf());
    let (before, after) = (weight_of(&plain, "port"), weight_of(&eased, "port"));
    assert!(before > 0.0 && after > 1.5 * before, "{before} -> {after}");
    // A reloaded model scores alike: the scales live in the weights.
    let reloaded =
        newswire::Classifier::from_bytes(&eased.to_bytes(), std::path::Path::new("m")).unwrap();
    let sentence = "Drones hit the port at night.";
    assert_eq!(
        reloaded.classify_sentence(sentence).scores,
        eased.classify_sentence(sentence).scores
    );
    assert_eq!(
        eased
            .training_info()
            .params
            .as_ref()
            .unwrap()
            .concentration_power,
        2.0
    );
}
