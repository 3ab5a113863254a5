//! Another program using newswire: one classifier shared by several worker
//! threads, each labelling its own articles, with the results gathered in
//! the main thread.
//!
//! Run: `cargo run --release --example embed [MODEL]` (without MODEL, the
//! built-in model).

use newswire::{ArticleReport, Classifier, ClassifyOptions, PredictScratch};
use std::sync::Arc;
use std::thread;

fn main() -> Result<(), newswire::Error> {
    let classifier = match std::env::args().nth(1) {
        Some(path) => Classifier::load(path)?,
        None => Classifier::builtin()?,
    };
    // `Classifier` is Send + Sync: share one instance between threads.
    let classifier = Arc::new(classifier);
    let articles = [
        "GENEVA (AP) - Envoys from both sides met for a second day of talks on a prisoner exchange. \
         The mediator said progress had been made.",
        "Artillery shelled the outskirts of the city overnight, killing four civilians and wounding 11, \
         the regional governor said.",
        "The European Union adopted a new package of sanctions, freezing the assets of 30 companies. \
         Markets barely moved.",
        "The city council approved the budget on Tuesday after a long debate over bus fares.",
    ];
    let workers: Vec<_> = articles
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let classifier = Arc::clone(&classifier);
            let text = text.to_string();
            thread::spawn(move || -> (usize, ArticleReport) {
                // Reuse buffers across the articles a thread classifies.
                let mut scratch = PredictScratch::default();
                let options = ClassifyOptions {
                    threshold: None,
                    explain: 2,
                };
                (
                    i,
                    classifier.classify_article_with(&text, options, &mut scratch),
                )
            })
        })
        .collect();
    for worker in workers {
        let (i, report) = worker.join().expect("a worker thread panicked");
        println!("article {i}: {:?}", report.counts());
        for sentence in &report.sentences {
            let why: Vec<String> = sentence
                .prediction
                .labels
                .iter()
                .filter_map(|label| sentence.prediction.explanation.get(label))
                .flatten()
                .map(|c| c.feature.clone())
                .collect();
            println!(
                "  [{}..{}] {:<22} because of {:?}: {}",
                sentence.start,
                sentence.end,
                sentence.prediction.labels.join(","),
                why,
                sentence.text
            );
        }
    }
    Ok(())
}
