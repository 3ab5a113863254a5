//! Scoring a classifier on labelled data, and listing what it got wrong.

use super::classifier::{Classifier, ClassifyOptions, ModelKind, Prediction, OTHER};
use super::train::TrainingData;
use crate::error::Result;
use crate::metrics::{evaluate_multi_label, evaluate_single_label, same_label_set, Evaluation};
use serde::Serialize;
use std::collections::BTreeMap;

/// An example the classifier labelled differently from its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mistake {
    /// The file it was read from.
    pub file: String,
    /// The 1-based line it starts on.
    pub line: usize,
    /// The text.
    pub text: String,
    /// The labels in the file.
    pub expected: Vec<String>,
    /// The labels the classifier gave.
    pub predicted: Vec<String>,
    /// The probability of every label.
    pub scores: BTreeMap<String, f32>,
}

/// Scores `classifier` on `data`. A label the model does not know is an
/// error naming the file and line.
///
/// ```
/// use newswire::{evaluate, Classifier, TrainingData};
/// use newswire::data::Example;
///
/// let classifier = Classifier::builtin()?;
/// let data = TrainingData::from_examples("inline", vec![Example {
///     text: "Artillery shelled the town overnight, killing four civilians.".into(),
///     labels: vec!["attack".into(), "casualty".into()],
///     line: 1,
/// }]);
/// let scores = evaluate(&classifier, &data, Default::default())?;
/// assert_eq!(scores.examples, 1);
/// # Ok::<(), newswire::Error>(())
/// ```
pub fn evaluate(
    classifier: &Classifier,
    data: &TrainingData,
    options: ClassifyOptions,
) -> Result<Evaluation> {
    evaluate_with_mistakes(classifier, data, options).map(|(evaluation, _)| evaluation)
}

/// Like [`evaluate`], and also returns every example whose predicted label
/// set differs from its labels (for a multi-class model: whose one label
/// differs), in input order.
pub fn evaluate_with_mistakes(
    classifier: &Classifier,
    data: &TrainingData,
    options: ClassifyOptions,
) -> Result<(Evaluation, Vec<Mistake>)> {
    let labels = classifier.labels();
    for (i, example) in data.examples.iter().enumerate() {
        for label in &example.labels {
            let known = labels.contains(label)
                || (classifier.kind() == ModelKind::MultiLabel && label == OTHER);
            if !known {
                return Err(data.error_at(
                    i,
                    &format!(
                        "label `{label}` is not one of the model's labels ({})",
                        labels.join(", ")
                    ),
                ));
            }
        }
    }
    if classifier.kind() == ModelKind::MultiLabel {
        data.check_other_stands_alone()?;
    }
    let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
    let predictions = classifier.par_classify_sentences(&texts, options);
    let mistakes = mistakes_in(classifier.kind(), labels, data, &predictions);
    let evaluation = match classifier.kind() {
        ModelKind::MultiLabel => {
            let truth: Vec<Vec<String>> = data.examples.iter().map(|e| e.labels.clone()).collect();
            let predicted: Vec<Vec<String>> = predictions.into_iter().map(|p| p.labels).collect();
            evaluate_multi_label(labels, &truth, &predicted)
        }
        ModelKind::MultiClass => {
            let truth: Vec<String> = data.examples.iter().map(|e| e.labels[0].clone()).collect();
            let predicted: Vec<String> = predictions
                .into_iter()
                .map(|p| p.labels[0].clone())
                .collect();
            evaluate_single_label(labels, &truth, &predicted)
        }
    };
    Ok((evaluation, mistakes))
}

/// The examples of `data` whose prediction (`predictions[i]` for example
/// `i`, by a model of this kind over these labels) differs from their
/// labels: those that are not exact matches in the scores. With the
/// out-of-fold predictions of a [`TrainReport`], these are the examples
/// whose labels cross-validation disputes, a place to look for labelling
/// errors.
///
/// [`TrainReport`]: crate::TrainReport
pub fn mistakes_in(
    kind: ModelKind,
    labels: &[String],
    data: &TrainingData,
    predictions: &[Prediction],
) -> Vec<Mistake> {
    data.examples
        .iter()
        .zip(predictions)
        .enumerate()
        .filter(|(_, (example, prediction))| match kind {
            ModelKind::MultiLabel => !same_label_set(labels, &example.labels, &prediction.labels),
            ModelKind::MultiClass => example.labels.first() != prediction.labels.first(),
        })
        .map(|(i, (example, prediction))| Mistake {
            file: data.file_of(i).to_string(),
            line: example.line,
            text: example.text.clone(),
            expected: example.labels.clone(),
            predicted: prediction.labels.clone(),
            scores: prediction.scores.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Example;

    fn example(text: &str, labels: &[&str], line: usize) -> Example {
        Example {
            text: text.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            line,
        }
    }

    #[test]
    fn mistakes_are_the_examples_scored_wrong() {
        let classifier = Classifier::builtin().expect("built-in model");
        let data = TrainingData::from_examples(
            "inline",
            vec![
                example(
                    "Russian missiles struck Kyiv overnight, killing three people.",
                    &["attack", "casualty"],
                    2,
                ),
                // Labelled wrongly on purpose: the model calls it an attack.
                example(
                    "Russian drones hit a power plant in Kharkiv on Tuesday.",
                    &["other"],
                    3,
                ),
            ],
        );
        let (evaluation, mistakes) =
            evaluate_with_mistakes(&classifier, &data, Default::default()).expect("evaluates");
        assert_eq!(evaluation.examples, 2);
        assert_eq!(mistakes.len(), 1, "{mistakes:?}");
        let m = &mistakes[0];
        assert_eq!((m.file.as_str(), m.line), ("inline", 3));
        assert_eq!(m.expected, ["other"]);
        assert!(m.predicted.contains(&"attack".to_string()));
        assert_eq!(m.scores.len(), 4);
    }
}
