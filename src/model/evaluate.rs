//! Scoring a classifier on labelled data.

use super::classifier::{Classifier, ClassifyOptions, ModelKind, OTHER};
use super::train::TrainingData;
use crate::error::Result;
use crate::metrics::{evaluate_multi_label, evaluate_single_label, Evaluation};

/// Scores `classifier` on `data`. A label the model does not know is an
/// error naming the file and line.
pub fn evaluate(
    classifier: &Classifier,
    data: &TrainingData,
    options: ClassifyOptions,
) -> Result<Evaluation> {
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
    Ok(match classifier.kind() {
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
    })
}
