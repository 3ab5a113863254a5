//! The classifier: a fitted pipeline that labels sentences and articles.

use super::file::{ModelFile, TrainingInfo};
use crate::error::Result;
use crate::features::tfidf::{Scratch, TfidfVectorizer};
use crate::text::sentences::SentenceSplitter;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The label of a sentence that has none of a multi-label model's labels.
pub const OTHER: &str = "other";

/// Which kind of linear model a classifier holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// One logistic regression per label, each with its threshold.
    MultiLabel,
    /// One multinomial logistic regression.
    MultiClass,
}

/// The weights of the linear model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    /// Multi-label or multi-class.
    pub kind: ModelKind,
    /// The labels, in weight order.
    pub labels: Vec<String>,
    /// `weights[feature * labels.len() + label]`.
    pub weights: Vec<f32>,
    /// One intercept per label.
    pub intercepts: Vec<f32>,
    /// Multi-label: the probability at or above which a label is given.
    pub thresholds: Vec<f32>,
}

impl LinearModel {
    /// Raw scores (before the sigmoid or softmax) of one sparse row.
    #[inline]
    fn scores_into(&self, indices: &[u32], values: &[f32], out: &mut Vec<f32>) {
        let k = self.labels.len();
        out.clear();
        out.extend_from_slice(&self.intercepts);
        for (&f, &v) in indices.iter().zip(values) {
            let w = &self.weights[f as usize * k..(f as usize + 1) * k];
            for (o, w) in out.iter_mut().zip(w) {
                *o += v * w;
            }
        }
    }

    /// Turns raw scores into probabilities, in place.
    fn probabilities(&self, scores: &mut [f32]) {
        match self.kind {
            ModelKind::MultiLabel => {
                for s in scores.iter_mut() {
                    *s = 1.0 / (1.0 + (-*s).exp());
                }
            }
            ModelKind::MultiClass => {
                let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for s in scores.iter_mut() {
                    *s = (*s - max).exp();
                    sum += *s;
                }
                for s in scores.iter_mut() {
                    *s /= sum;
                }
            }
        }
    }

    /// The labels given for these probabilities; `threshold` overrides the
    /// tuned thresholds of a multi-label model.
    fn decide(&self, probabilities: &[f32], threshold: Option<f32>) -> Vec<String> {
        decide_labels(
            self.kind,
            &self.labels,
            &self.thresholds,
            probabilities,
            threshold,
        )
    }
}

/// The labels a model of `kind` over `labels` gives for `probabilities`
/// (one per label): for a multi-label model those at or above their
/// threshold (`threshold` overrides `thresholds`), or `other` when none is;
/// for a multi-class model the most probable one.
pub(crate) fn decide_labels(
    kind: ModelKind,
    labels: &[String],
    thresholds: &[f32],
    probabilities: &[f32],
    threshold: Option<f32>,
) -> Vec<String> {
    match kind {
        ModelKind::MultiLabel => {
            let given: Vec<String> = labels
                .iter()
                .zip(probabilities)
                .zip(thresholds)
                .filter(|((_, &p), &t)| p >= threshold.unwrap_or(t))
                .map(|((l, _), _)| l.clone())
                .collect();
            if given.is_empty() {
                vec![OTHER.to_string()]
            } else {
                given
            }
        }
        ModelKind::MultiClass => {
            let best =
                probabilities
                    .iter()
                    .enumerate()
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |b, (i, &p)| if p > b.1 { (i, p) } else { b },
                    );
            vec![labels[best.0].clone()]
        }
    }
}

/// How to classify.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassifyOptions {
    /// One probability threshold for every label of a multi-label model,
    /// instead of the tuned ones.
    pub threshold: Option<f32>,
    /// Report the features that pushed each label most, this many per label.
    pub explain: usize,
}

/// A feature's push towards a label: its TF-IDF value times its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The feature as text (stemmed words joined by a space).
    pub feature: String,
    /// How much it added to the label's score (log-odds).
    pub weight: f32,
}

/// The labels and probabilities of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The labels given (`["other"]` when a multi-label model gives none).
    pub labels: Vec<String>,
    /// The probability of every label.
    pub scores: BTreeMap<String, f32>,
    /// With [`ClassifyOptions::explain`]: the top features per label.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub explanation: BTreeMap<String, Vec<Contribution>>,
}

/// One sentence of an article, with its place and its prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceReport {
    /// 0-based position in the article.
    pub sentence_index: usize,
    /// Byte offset of its start in the article.
    pub start: usize,
    /// Byte offset of its end in the article.
    pub end: usize,
    /// The sentence.
    pub text: String,
    /// Labels, probabilities and explanation.
    #[serde(flatten)]
    pub prediction: Prediction,
}

/// The sentences of an article and their labels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArticleReport {
    /// The sentences in order.
    pub sentences: Vec<SentenceReport>,
}

impl ArticleReport {
    /// How many sentences got each label.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for s in &self.sentences {
            for label in &s.prediction.labels {
                *counts.entry(label.clone()).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// A trained sentence classifier: splitter, featurizer and linear model.
/// `Send + Sync`: one instance can serve many threads.
///
/// ```
/// use newswire::Classifier;
///
/// let classifier = Classifier::builtin()?;
/// let report = classifier.classify_article(
///     "Russian drones struck Kyiv overnight, killing two people. \
///      The foreign ministers will meet in Geneva on Friday.");
/// assert_eq!(report.sentences.len(), 2);
/// assert!(report.sentences[0].prediction.labels.contains(&"attack".to_string()));
/// # Ok::<(), newswire::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Classifier {
    splitter: SentenceSplitter,
    vectorizer: TfidfVectorizer,
    model: LinearModel,
    training: TrainingInfo,
}

impl Classifier {
    /// Puts a classifier together from its parts (see [`crate::Trainer`]).
    pub(crate) fn from_parts(
        splitter: SentenceSplitter,
        vectorizer: TfidfVectorizer,
        model: LinearModel,
        training: TrainingInfo,
    ) -> Self {
        Classifier {
            splitter,
            vectorizer,
            model,
            training,
        }
    }

    /// Loads a model file written by [`Classifier::save`] or `newswire train`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        ModelFile::read(path.as_ref()).map(ModelFile::into_classifier)
    }

    /// Reads a model from bytes; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Self> {
        ModelFile::decode(bytes, origin).map(ModelFile::into_classifier)
    }

    /// The default model, trained from `datasets/` and built into the crate.
    pub fn builtin() -> Result<Self> {
        Self::from_bytes(
            super::file::BUILTIN_MODEL,
            Path::new(super::file::BUILTIN_NAME),
        )
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        ModelFile::encode_parts(
            &self.splitter,
            &self.vectorizer,
            &self.model,
            &self.training,
        )
    }

    /// Writes the model file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The labels, in model order.
    pub fn labels(&self) -> &[String] {
        &self.model.labels
    }

    /// Multi-label or multi-class.
    pub fn kind(&self) -> ModelKind {
        self.model.kind
    }

    /// The tuned thresholds of a multi-label model, by label.
    pub fn thresholds(&self) -> BTreeMap<String, f32> {
        self.model
            .labels
            .iter()
            .cloned()
            .zip(self.model.thresholds.iter().copied())
            .collect()
    }

    /// What the model was trained on and how.
    pub fn training_info(&self) -> &TrainingInfo {
        &self.training
    }

    /// The sentence splitter.
    pub fn splitter(&self) -> &SentenceSplitter {
        &self.splitter
    }

    /// The featurizer.
    pub fn vectorizer(&self) -> &TfidfVectorizer {
        &self.vectorizer
    }

    /// The linear model.
    pub fn linear_model(&self) -> &LinearModel {
        &self.model
    }

    /// Labels one sentence, reusing `scratch`'s buffers.
    pub fn predict_with(
        &self,
        sentence: &str,
        options: ClassifyOptions,
        scratch: &mut PredictScratch,
    ) -> Prediction {
        let PredictScratch {
            features,
            indices,
            values,
            scores,
        } = scratch;
        indices.clear();
        values.clear();
        self.vectorizer
            .transform_into(sentence, features, indices, values);
        self.model.scores_into(indices, values, scores);
        self.model.probabilities(scores);
        let labels = self.model.decide(scores, options.threshold);
        let explanation = if options.explain > 0 {
            self.explain(indices, values, options.explain)
        } else {
            BTreeMap::new()
        };
        Prediction {
            labels,
            scores: self
                .model
                .labels
                .iter()
                .cloned()
                .zip(scores.iter().copied())
                .collect(),
            explanation,
        }
    }

    /// The `n` features that pushed each label most (positive pushes only).
    fn explain(
        &self,
        indices: &[u32],
        values: &[f32],
        n: usize,
    ) -> BTreeMap<String, Vec<Contribution>> {
        let k = self.model.labels.len();
        let mut out = BTreeMap::new();
        for (l, label) in self.model.labels.iter().enumerate() {
            let mut pushes: Vec<(u32, f32)> = indices
                .iter()
                .zip(values)
                .map(|(&f, &v)| (f, v * self.model.weights[f as usize * k + l]))
                .filter(|&(_, w)| w > 0.0)
                .collect();
            pushes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            pushes.truncate(n);
            let contributions = pushes
                .into_iter()
                .map(|(f, weight)| Contribution {
                    feature: self
                        .vectorizer
                        .vocabulary()
                        .feature_name(f as usize)
                        .unwrap_or_default(),
                    weight,
                })
                .collect();
            out.insert(label.clone(), contributions);
        }
        out
    }

    /// Labels one sentence.
    pub fn classify_sentence(&self, sentence: &str) -> Prediction {
        self.predict_with(
            sentence,
            ClassifyOptions::default(),
            &mut PredictScratch::default(),
        )
    }

    /// Labels sentences, on the current thread.
    pub fn classify_sentences(&self, sentences: &[&str]) -> Vec<Prediction> {
        let mut scratch = PredictScratch::default();
        sentences
            .iter()
            .map(|s| self.predict_with(s, ClassifyOptions::default(), &mut scratch))
            .collect()
    }

    /// Labels sentences spread over rayon's threads; same results as
    /// [`classify_sentences`](Self::classify_sentences).
    pub fn par_classify_sentences<S: AsRef<str> + Sync>(
        &self,
        sentences: &[S],
        options: ClassifyOptions,
    ) -> Vec<Prediction> {
        sentences
            .par_iter()
            .map_init(PredictScratch::default, |scratch, s| {
                self.predict_with(s.as_ref(), options, scratch)
            })
            .collect()
    }

    /// Splits an article into sentences and labels each.
    pub fn classify_article(&self, text: &str) -> ArticleReport {
        self.classify_article_with(
            text,
            ClassifyOptions::default(),
            &mut PredictScratch::default(),
        )
    }

    /// Like [`classify_article`](Self::classify_article), with options and
    /// reusable buffers.
    pub fn classify_article_with(
        &self,
        text: &str,
        options: ClassifyOptions,
        scratch: &mut PredictScratch,
    ) -> ArticleReport {
        let sentences = self
            .splitter
            .split(text)
            .into_iter()
            .enumerate()
            .map(|(i, span)| {
                let sentence = span.slice(text);
                SentenceReport {
                    sentence_index: i,
                    start: span.start,
                    end: span.end,
                    text: sentence.to_string(),
                    prediction: self.predict_with(sentence, options, scratch),
                }
            })
            .collect();
        ArticleReport { sentences }
    }
}

impl Default for Classifier {
    /// The built-in model. Panics only if the crate was built without one
    /// (see [`Classifier::builtin`] for a `Result`).
    fn default() -> Self {
        Classifier::builtin().expect("the built-in model loads (checked by the tests)")
    }
}

/// Reusable buffers for classifying, one per thread.
#[derive(Debug, Default)]
pub struct PredictScratch {
    features: Scratch,
    indices: Vec<u32>,
    values: Vec<f32>,
    scores: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn classifier_is_send_and_sync() {
        assert_send_sync::<Classifier>();
    }

    #[test]
    fn multi_label_decisions_fall_back_to_other() {
        let model = LinearModel {
            kind: ModelKind::MultiLabel,
            labels: vec!["attack".into(), "casualty".into()],
            weights: vec![],
            intercepts: vec![0.0, 0.0],
            thresholds: vec![0.5, 0.3],
        };
        assert_eq!(model.decide(&[0.6, 0.31], None), ["attack", "casualty"]);
        assert_eq!(model.decide(&[0.1, 0.2], None), ["other"]);
        assert_eq!(model.decide(&[0.6, 0.31], Some(0.9)), ["other"]);
    }

    #[test]
    fn softmax_sums_to_one() {
        let model = LinearModel {
            kind: ModelKind::MultiClass,
            labels: vec!["a".into(), "b".into(), "c".into()],
            weights: vec![],
            intercepts: vec![0.0; 3],
            thresholds: vec![],
        };
        let mut s = vec![1.0, 2.0, 3.0];
        model.probabilities(&mut s);
        assert!((s.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(model.decide(&s, None), ["c"]);
    }
}
