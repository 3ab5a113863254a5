//! Scores: precision, recall and F1 per label, micro and macro averages,
//! accuracy, and a confusion table for single-label data.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Precision, recall, F1 and support of one label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct LabelScores {
    /// Of the sentences given the label, the share that have it.
    pub precision: f64,
    /// Of the sentences that have the label, the share given it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Sentences that have the label.
    pub support: usize,
}

impl LabelScores {
    /// Scores from counts of true positives, false positives and false negatives.
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        LabelScores {
            precision,
            recall,
            f1,
            support: tp + fn_,
        }
    }
}

/// A full evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Evaluation {
    /// Number of examples scored.
    pub examples: usize,
    /// Mean F1 over the labels.
    pub macro_f1: f64,
    /// F1 over all label decisions pooled.
    pub micro_f1: f64,
    /// Share of examples whose label set is exactly right (for single-label
    /// data, plain accuracy).
    pub accuracy: f64,
    /// Scores per label.
    pub per_label: BTreeMap<String, LabelScores>,
    /// For single-label data: `confusion[truth][predicted]` counts.
    pub confusion: Option<BTreeMap<String, BTreeMap<String, usize>>>,
}

/// Scores label sets. `labels` are the labels scored (for the conflict
/// model, the four labels; an empty set means `other`). `truth[i]` and
/// `predicted[i]` are the sets of example `i`.
pub fn evaluate_multi_label(
    labels: &[String],
    truth: &[Vec<String>],
    predicted: &[Vec<String>],
) -> Evaluation {
    let mut per_label = BTreeMap::new();
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    for label in labels {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (t, p) in truth.iter().zip(predicted) {
            match (t.contains(label), p.contains(label)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
        }
        tp_all += tp;
        fp_all += fp;
        fn_all += fn_;
        per_label.insert(label.clone(), LabelScores::from_counts(tp, fp, fn_));
    }
    let exact = truth
        .iter()
        .zip(predicted)
        .filter(|(t, p)| same_label_set(labels, t, p))
        .count();
    Evaluation {
        examples: truth.len(),
        macro_f1: mean(per_label.values().map(|s| s.f1)),
        micro_f1: LabelScores::from_counts(tp_all, fp_all, fn_all).f1,
        accuracy: ratio(exact, truth.len()),
        per_label,
        confusion: None,
    }
}

/// Whether two label sets agree on the labels in `labels` (an exact match;
/// `other` and unknown names are ignored, so `["other"]` equals `[]`).
pub fn same_label_set(labels: &[String], a: &[String], b: &[String]) -> bool {
    let known = |s: &&String| labels.contains(s);
    let mut a: Vec<&String> = a.iter().filter(known).collect();
    let mut b: Vec<&String> = b.iter().filter(known).collect();
    a.sort();
    b.sort();
    a == b
}

/// Scores single-label predictions, with a confusion table.
pub fn evaluate_single_label(
    labels: &[String],
    truth: &[String],
    predicted: &[String],
) -> Evaluation {
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (t, p) in truth.iter().zip(predicted) {
        *confusion
            .entry(t.clone())
            .or_default()
            .entry(p.clone())
            .or_default() += 1;
    }
    let mut per_label = BTreeMap::new();
    for label in labels {
        let tp = confusion
            .get(label)
            .and_then(|r| r.get(label))
            .copied()
            .unwrap_or(0);
        let support: usize = confusion.get(label).map_or(0, |r| r.values().sum());
        let predicted_as: usize = confusion.values().filter_map(|r| r.get(label)).sum();
        per_label.insert(
            label.clone(),
            LabelScores::from_counts(tp, predicted_as - tp, support - tp),
        );
    }
    let correct = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    let accuracy = ratio(correct, truth.len());
    Evaluation {
        examples: truth.len(),
        macro_f1: mean(per_label.values().map(|s| s.f1)),
        micro_f1: accuracy,
        accuracy,
        per_label,
        confusion: Some(confusion),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The threshold in `0.05..=0.95` (steps of 0.01) that gives the best F1
/// for one label, from scores and truths; ties go to the threshold nearest
/// 0.5.
pub fn best_threshold(scores: &[f32], truth: &[bool]) -> f32 {
    let mut best = (f64::NEG_INFINITY, 0.5f32);
    for step in 5..=95 {
        let threshold = step as f32 / 100.0;
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (&s, &t) in scores.iter().zip(truth) {
            match (t, s >= threshold) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        let f1 = LabelScores::from_counts(tp, fp, fn_).f1;
        let better = f1 > best.0 + 1e-12
            || ((f1 - best.0).abs() <= 1e-12 && (threshold - 0.5).abs() < (best.1 - 0.5).abs());
        if better {
            best = (f1, threshold);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn multi_label_scores() {
        let labels = s(&["attack", "casualty"]);
        let truth = vec![
            s(&["attack", "casualty"]),
            s(&["attack"]),
            s(&[]),
            s(&["casualty"]),
        ];
        let predicted = vec![
            s(&["attack"]),
            s(&["attack"]),
            s(&["casualty"]),
            s(&["casualty"]),
        ];
        let e = evaluate_multi_label(&labels, &truth, &predicted);
        let attack = e.per_label["attack"];
        assert_eq!(
            (attack.precision, attack.recall, attack.support),
            (1.0, 1.0, 2)
        );
        let casualty = e.per_label["casualty"];
        assert_eq!((casualty.precision, casualty.recall), (0.5, 0.5));
        assert!((e.macro_f1 - 0.75).abs() < 1e-12);
        assert!((e.micro_f1 - 0.75).abs() < 1e-12, "tp 3, fp 1, fn 1");
        assert_eq!(e.accuracy, 0.5);
    }

    #[test]
    fn single_label_scores_and_confusion() {
        let labels = s(&["a", "b"]);
        let e = evaluate_single_label(&labels, &s(&["a", "a", "b"]), &s(&["a", "b", "b"]));
        assert!((e.accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.confusion.as_ref().unwrap()["a"]["b"], 1);
        assert_eq!(e.per_label["b"].precision, 0.5);
    }

    #[test]
    fn threshold_maximizes_f1() {
        let scores = [0.9, 0.8, 0.3, 0.2, 0.1];
        let truth = [true, true, true, false, false];
        let t = best_threshold(&scores, &truth);
        assert!(t > 0.2 && t <= 0.3, "{t}");
    }
}
