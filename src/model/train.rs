//! Training: from labelled examples to a [`Classifier`], with
//! cross-validation that tunes the thresholds and reports scores.

use super::classifier::{decide_labels, Classifier, LinearModel, ModelKind, Prediction, OTHER};
use super::file::{sha256_hex, DataFileInfo, TrainingInfo};
use super::logistic::{train_binary, train_multinomial, transpose, SolverSettings};
use super::params::{ClassWeight, Mode, TrainParams};
use crate::data::{format_of, parse_labelled, text_from_bytes, Example, LabelledFile, ReadOptions};
use crate::error::{Error, Result};
use crate::features::concentration::{self, concentration};
use crate::features::sparse::CsrMatrix;
use crate::features::tfidf::TfidfVectorizer;
use crate::metrics::{best_threshold, evaluate_multi_label, evaluate_single_label, Evaluation};
use crate::text::sentences::SentenceSplitter;
use crate::ClassifyOptions;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Consecutive examples kept in one fold, so that the sentences of one
/// story rarely straddle a training part and its held-out part. Smaller
/// data sets use smaller blocks, so that every fold gets examples.
const FOLD_BLOCK: usize = 25;

/// Labelled examples from one or more files, with what is needed to record
/// where they came from.
#[derive(Debug, Clone, Default)]
pub struct TrainingData {
    /// All examples, file after file.
    pub examples: Vec<Example>,
    /// Each file, its hash and its number of examples.
    pub files: Vec<DataFileInfo>,
}

impl TrainingData {
    /// Reads labelled files.
    pub fn read(paths: &[impl AsRef<Path>], options: &ReadOptions) -> Result<Self> {
        let mut data = TrainingData::default();
        for path in paths {
            // Read once: hash the bytes, then parse them.
            let path = path.as_ref();
            let format = format_of(path, options)?;
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let sha256 = sha256_hex(&bytes);
            let text = text_from_bytes(path, bytes)?;
            let file = parse_labelled(path, &text, format, options)?;
            data.push_parsed(file, sha256);
        }
        Ok(data)
    }

    /// Adds a parsed file; `bytes` are its contents, for the hash.
    pub fn push_file(&mut self, file: LabelledFile, bytes: &[u8]) {
        self.push_parsed(file, sha256_hex(bytes));
    }

    fn push_parsed(&mut self, file: LabelledFile, sha256: String) {
        self.files.push(DataFileInfo {
            path: file.path.display().to_string(),
            sha256,
            examples: file.examples.len(),
        });
        self.examples.extend(file.examples);
    }

    /// The file example `i` was read from (`<data>` if the files do not
    /// account for it).
    pub fn file_of(&self, i: usize) -> &str {
        let mut seen = 0;
        for file in &self.files {
            if i < seen + file.examples {
                return &file.path;
            }
            seen += file.examples;
        }
        "<data>"
    }

    /// An error about example `i`, naming its file and line.
    pub fn error_at(&self, i: usize, message: &str) -> Error {
        Error::Data {
            path: self.file_of(i).into(),
            line: self.examples[i].line,
            message: message.into(),
        }
    }

    /// Checks that no example combines `other` with another label, as
    /// multi-label data must not.
    pub fn check_other_stands_alone(&self) -> Result<()> {
        match self
            .examples
            .iter()
            .position(|e| e.labels.len() > 1 && e.labels.iter().any(|l| l == OTHER))
        {
            Some(i) => Err(self.error_at(i, "`other` cannot be combined with other labels")),
            None => Ok(()),
        }
    }

    /// Examples from memory (texts and label sets), recorded as one source.
    pub fn from_examples(name: &str, examples: Vec<Example>) -> Self {
        let mut hashed = Vec::new();
        for e in &examples {
            hashed.extend_from_slice(e.labels.join(",").as_bytes());
            hashed.push(b'\t');
            hashed.extend_from_slice(e.text.as_bytes());
            hashed.push(b'\n');
        }
        TrainingData {
            files: vec![DataFileInfo {
                path: name.to_string(),
                sha256: sha256_hex(&hashed),
                examples: examples.len(),
            }],
            examples,
        }
    }
}

/// What training reports besides the classifier.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// The kind of model trained.
    pub kind: ModelKind,
    /// Number of features.
    pub features: usize,
    /// Cross-validated scores, if folds were used.
    pub cross_validation: Option<Evaluation>,
    /// With cross-validation: each example's prediction by the model of the
    /// folds that left it out (the first run, at the tuned thresholds), in
    /// data order; empty without folds. [`evaluate::mistakes_in`] turns
    /// them into the examples whose labels cross-validation disputes.
    ///
    /// [`evaluate::mistakes_in`]: crate::model::evaluate::mistakes_in
    pub out_of_fold: Vec<Prediction>,
}

/// Trains classifiers.
///
/// ```
/// use newswire::{data::Example, Trainer, TrainParams, TrainingData};
///
/// let rows = [
///     ("attack", "Drones struck the port overnight."),
///     ("attack", "Artillery shelled the town again."),
///     ("diplomacy", "The envoys met in Geneva for talks."),
///     ("diplomacy", "The ministers held talks in Ankara."),
///     ("other", "Rain is expected on Friday."),
///     ("other", "The museum reopened after repairs."),
///     ("attack,casualty", "The strike killed two people."),
/// ];
/// let examples = rows.iter().enumerate().map(|(i, (labels, text))| Example {
///     text: text.to_string(),
///     labels: labels.split(',').map(String::from).collect(),
///     line: i + 2,
/// }).collect();
/// let params = TrainParams { folds: 0, tfidf: Default::default(), ..TrainParams::default() };
/// let (classifier, _) = Trainer::new(params)?.train(&TrainingData::from_examples("inline", examples))?;
/// let prediction = classifier.classify_sentence("Drones struck the town.");
/// assert_eq!(prediction.labels, ["attack"]);
/// # Ok::<(), newswire::Error>(())
/// ```
#[derive(Clone)]
pub struct Trainer {
    params: TrainParams,
    progress: Option<std::sync::Arc<dyn Fn(TrainStage) + Send + Sync>>,
}

impl std::fmt::Debug for Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// Where training is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainStage {
    /// Training and scoring fold `fold` (1-based) of `folds`, in run
    /// `repeat` (1-based) of `repeats` of the cross-validation.
    Fold {
        /// This fold.
        fold: usize,
        /// All folds.
        folds: usize,
        /// This run of the cross-validation.
        repeat: usize,
        /// All runs.
        repeats: usize,
    },
    /// Fitting the final model on all the data.
    FinalFit,
    /// Done.
    Done,
}

/// Examples turned into what the solvers need.
struct Targets {
    kind: ModelKind,
    labels: Vec<String>,
    /// Multi-label: `members[label][example]`.
    members: Vec<Vec<bool>>,
    /// Multi-class: the class of each example.
    class: Vec<usize>,
}

impl Trainer {
    /// A trainer with checked settings.
    pub fn new(params: TrainParams) -> Result<Self> {
        params.validate()?;
        Ok(Trainer {
            params,
            progress: None,
        })
    }

    /// Calls `report` as training goes from stage to stage.
    pub fn with_progress(mut self, report: impl Fn(TrainStage) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(report));
        self
    }

    fn report(&self, stage: TrainStage) {
        if let Some(report) = &self.progress {
            report(stage);
        }
    }

    /// The settings.
    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    /// Trains on `data`: cross-validates (to tune thresholds and score),
    /// then fits the final model on all of it.
    pub fn train(&self, data: &TrainingData) -> Result<(Classifier, TrainReport)> {
        // The solver makes thousands of small parallel calls. Made from
        // inside rayon's pool they cost little; made from another thread,
        // each one hands work to the pool and puts the caller to sleep.
        // `rayon::scope` runs the whole training on a worker thread.
        rayon::scope(|_| self.train_on_worker(data))
    }

    fn train_on_worker(&self, data: &TrainingData) -> Result<(Classifier, TrainReport)> {
        let examples = &data.examples;
        if examples.len() < 2 {
            return Err(Error::Empty(format!(
                "training needs at least 2 examples, got {}",
                examples.len()
            )));
        }
        let targets = self.targets(data)?;
        let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
        let folds = self.params.folds;
        let (thresholds, cross_validation, out_of_fold) = if folds >= 2 && examples.len() >= folds {
            let (thresholds, evaluation, predictions) =
                self.cross_validate(&texts, &targets, folds)?;
            (thresholds, Some(evaluation), predictions)
        } else {
            (vec![0.5; targets.labels.len()], None, Vec::new())
        };
        self.report(TrainStage::FinalFit);
        let rows: Vec<usize> = (0..texts.len()).collect();
        let (vectorizer, model) = self.fit(&texts, &targets, &rows, thresholds)?;
        self.report(TrainStage::Done);
        let mut label_counts = BTreeMap::new();
        for e in examples {
            for l in &e.labels {
                *label_counts.entry(l.clone()).or_insert(0) += 1;
            }
        }
        let training = TrainingInfo {
            newswire_version: env!("CARGO_PKG_VERSION").to_string(),
            data: data.files.clone(),
            examples: examples.len(),
            label_counts,
            params: Some(self.params.clone()),
            features: vectorizer.n_features(),
            cross_validation: cross_validation.clone(),
        };
        let report = TrainReport {
            kind: targets.kind,
            features: vectorizer.n_features(),
            cross_validation,
            out_of_fold,
        };
        let splitter = SentenceSplitter::new(self.params.splitter.clone());
        Ok((
            Classifier::from_parts(splitter, vectorizer, model, training),
            report,
        ))
    }

    /// Reads the label sets into targets, checking them.
    fn targets(&self, data: &TrainingData) -> Result<Targets> {
        let examples = &data.examples;
        let multi_label = match self.params.mode {
            Mode::MultiLabel => true,
            Mode::MultiClass => false,
            Mode::Auto => examples.iter().any(|e| e.labels.len() > 1),
        };
        let mut labels: Vec<String> = examples
            .iter()
            .flat_map(|e| e.labels.iter().cloned())
            .collect();
        labels.sort();
        labels.dedup();
        if multi_label {
            labels.retain(|l| l != OTHER);
            data.check_other_stands_alone()?;
            if labels.is_empty() {
                return Err(Error::Empty(
                    "no label other than `other` in the training data".into(),
                ));
            }
            let members = labels
                .iter()
                .map(|l| examples.iter().map(|e| e.labels.contains(l)).collect())
                .collect();
            Ok(Targets {
                kind: ModelKind::MultiLabel,
                labels,
                members,
                class: Vec::new(),
            })
        } else {
            for (i, e) in examples.iter().enumerate() {
                if e.labels.len() != 1 {
                    return Err(
                        data.error_at(i, "a multi-class model needs exactly one label per example")
                    );
                }
            }
            if labels.len() < 2 {
                return Err(Error::Empty(format!(
                    "a multi-class model needs two labels or more, found {labels:?}"
                )));
            }
            let class = examples
                .iter()
                .map(|e| labels.binary_search(&e.labels[0]).unwrap_or(0))
                .collect();
            Ok(Targets {
                kind: ModelKind::MultiClass,
                labels,
                members: Vec::new(),
                class,
            })
        }
    }

    /// Fits the featurizer and the linear model on the rows `rows`.
    fn fit(
        &self,
        texts: &[&str],
        targets: &Targets,
        rows: &[usize],
        thresholds: Vec<f32>,
    ) -> Result<(TfidfVectorizer, LinearModel)> {
        let part: Vec<&str> = rows.iter().map(|&r| texts[r]).collect();
        let (vectorizer, mut x) = TfidfVectorizer::par_fit_transform(
            &part,
            self.params.analyzer.clone(),
            self.params.tfidf.clone(),
        )?;
        let settings = SolverSettings {
            alpha: self.params.alpha,
            max_iterations: self.params.max_iterations,
            tolerance: self.params.tolerance,
            memory: self.params.lbfgs_memory,
        };
        let d = vectorizer.n_features();
        let k = targets.labels.len();
        let mut weights = vec![0f32; d * k];
        let mut intercepts = vec![0f32; k];
        match targets.kind {
            ModelKind::MultiLabel => {
                // One binary model per label, the labels side by side (each
                // model's result does not depend on the threads it ran on).
                // Without concentration scales every label trains on the
                // same matrix; with them each label scales its own copy.
                let xt = (self.params.concentration_power == 0.0).then(|| transpose(&x));
                let per_label: Vec<Result<Vec<f64>>> = targets
                    .members
                    .par_iter()
                    .map(|members| {
                        let positive: Vec<bool> = rows.iter().map(|&r| members[r]).collect();
                        let sample_weights = self.binary_weights(&positive);
                        match &xt {
                            Some(xt) => train_binary(&x, xt, &positive, &sample_weights, settings),
                            None => {
                                let scales = self.feature_scales(&x, &binary_classes(&positive));
                                let scaled = x.with_scaled_columns(&scales);
                                let params = train_binary(
                                    &scaled,
                                    &transpose(&scaled),
                                    &positive,
                                    &sample_weights,
                                    settings,
                                )?;
                                Ok(unscale(params, &scales, 1))
                            }
                        }
                    })
                    .collect();
                for (l, params) in per_label.into_iter().enumerate() {
                    let params = params?;
                    for f in 0..d {
                        weights[f * k + l] = params[f] as f32;
                    }
                    intercepts[l] = params[d] as f32;
                }
            }
            ModelKind::MultiClass => {
                let class: Vec<usize> = rows.iter().map(|&r| targets.class[r]).collect();
                let scales = self.feature_scales(&x, &class_positions(&class, k));
                x.scale_columns(&scales);
                let xt = transpose(&x);
                let sample_weights = self.class_weights(&class, k);
                let params = train_multinomial(&x, &xt, &class, k, &sample_weights, settings)?;
                let params = unscale(params, &scales, k);
                for (w, p) in weights.iter_mut().zip(&params[..d * k]) {
                    *w = *p as f32;
                }
                for (b, p) in intercepts.iter_mut().zip(&params[d * k..]) {
                    *b = *p as f32;
                }
            }
        }
        let model = LinearModel {
            kind: targets.kind,
            labels: targets.labels.clone(),
            weights,
            intercepts,
            thresholds: if targets.kind == ModelKind::MultiLabel {
                thresholds
            } else {
                Vec::new()
            },
        };
        Ok((vectorizer, model))
    }

    /// Each feature's scale `(1 + c)^power` from its concentration `c`
    /// over `classes` (positions of the examples in each class), or all 1
    /// when the power is 0. Training on columns multiplied by these scales
    /// and then multiplying the weights by them again (see [`unscale`]) is
    /// training with an L2 penalty of `alpha/2 * sum (w_f / scale_f)^2`:
    /// features concentrated in few classes are held back less.
    fn feature_scales(&self, x: &CsrMatrix, classes: &[Vec<usize>]) -> Vec<f32> {
        let power = self.params.concentration_power;
        if power == 0.0 {
            return vec![1.0; x.n_cols()];
        }
        concentration::scales(&concentration(x, classes), power)
    }

    fn binary_weights(&self, positive: &[bool]) -> Vec<f64> {
        match self.params.class_weight {
            ClassWeight::None => vec![1.0; positive.len()],
            ClassWeight::Balanced => {
                let n = positive.len() as f64;
                let pos = positive.iter().filter(|&&p| p).count().max(1) as f64;
                let neg = (positive.len() as f64 - pos).max(1.0);
                positive
                    .iter()
                    .map(|&p| if p { n / (2.0 * pos) } else { n / (2.0 * neg) })
                    .collect()
            }
        }
    }

    fn class_weights(&self, class: &[usize], k: usize) -> Vec<f64> {
        match self.params.class_weight {
            ClassWeight::None => vec![1.0; class.len()],
            ClassWeight::Balanced => {
                let mut counts = vec![0usize; k];
                for &c in class {
                    counts[c] += 1;
                }
                let n = class.len() as f64;
                class
                    .iter()
                    .map(|&c| n / (k as f64 * counts[c].max(1) as f64))
                    .collect()
            }
        }
    }

    /// K-fold cross-validation, run `cv_repeats` times for multi-label
    /// models: the out-of-fold probabilities of all runs together tune each
    /// label's threshold. The reported scores are those of the first run
    /// (folds in data order) at those thresholds, one prediction per example;
    /// those predictions are returned too.
    fn cross_validate(
        &self,
        texts: &[&str],
        targets: &Targets,
        folds: usize,
    ) -> Result<(Vec<f32>, Evaluation, Vec<Prediction>)> {
        let n = texts.len();
        let repeats = match targets.kind {
            ModelKind::MultiLabel => self.params.cv_repeats,
            ModelKind::MultiClass => 1,
        };
        // Scores of run r for example i at r * n + i.
        let mut oof = Vec::with_capacity(n * repeats);
        let block = FOLD_BLOCK.min(n / folds).max(1);
        for repeat in 0..repeats {
            let fold_of_block = fold_of_blocks(n.div_ceil(block), folds, repeat);
            let fold_of = |i: usize| fold_of_block[i / block];
            oof.extend(self.out_of_fold(texts, targets, folds, fold_of, (repeat, repeats))?);
        }
        let k = targets.labels.len();
        let pooled = oof.len();
        let example = |j: usize| j % n;
        let thresholds: Vec<f32> = match targets.kind {
            ModelKind::MultiLabel => (0..k)
                .map(|l| {
                    let scores: Vec<f32> = oof.iter().map(|s| s[l]).collect();
                    let truth: Vec<bool> = (0..pooled)
                        .map(|j| targets.members[l][example(j)])
                        .collect();
                    best_threshold(&scores, &truth)
                })
                .collect(),
            ModelKind::MultiClass => Vec::new(),
        };
        let predictions: Vec<Prediction> = oof[..n]
            .iter()
            .map(|s| {
                let labels = decide_labels(targets.kind, &targets.labels, &thresholds, s, None);
                prediction(&targets.labels, labels, s)
            })
            .collect();
        let evaluation = match targets.kind {
            ModelKind::MultiLabel => {
                let truth: Vec<Vec<String>> = (0..n)
                    .map(|i| {
                        (0..k)
                            .filter(|&l| targets.members[l][i])
                            .map(|l| targets.labels[l].clone())
                            .collect()
                    })
                    .collect();
                let predicted: Vec<Vec<String>> =
                    predictions.iter().map(|p| p.labels.clone()).collect();
                evaluate_multi_label(&targets.labels, &truth, &predicted)
            }
            ModelKind::MultiClass => {
                let truth: Vec<String> = targets
                    .class
                    .iter()
                    .map(|&c| targets.labels[c].clone())
                    .collect();
                let predicted: Vec<String> =
                    predictions.iter().map(|p| p.labels[0].clone()).collect();
                evaluate_single_label(&targets.labels, &truth, &predicted)
            }
        };
        Ok((thresholds, evaluation, predictions))
    }

    /// Probabilities of every example from a model trained on the other
    /// folds (`fold_of` gives each example's fold).
    fn out_of_fold(
        &self,
        texts: &[&str],
        targets: &Targets,
        folds: usize,
        fold_of: impl Fn(usize) -> usize,
        (repeat, repeats): (usize, usize),
    ) -> Result<Vec<Vec<f32>>> {
        let n = texts.len();
        let k = targets.labels.len();
        let mut oof = vec![vec![0f32; k]; n];
        for fold in 0..folds {
            self.report(TrainStage::Fold {
                fold: fold + 1,
                folds,
                repeat: repeat + 1,
                repeats,
            });
            let train_rows: Vec<usize> = (0..n).filter(|&i| fold_of(i) != fold).collect();
            let held_out: Vec<usize> = (0..n).filter(|&i| fold_of(i) == fold).collect();
            if held_out.is_empty() || train_rows.is_empty() {
                continue;
            }
            let (vectorizer, model) = self.fit(texts, targets, &train_rows, vec![0.5; k])?;
            let classifier = Classifier::from_parts(
                SentenceSplitter::default(),
                vectorizer,
                model,
                TrainingInfo::default(),
            );
            let sentences: Vec<&str> = held_out.iter().map(|&i| texts[i]).collect();
            let predictions =
                classifier.par_classify_sentences(&sentences, ClassifyOptions::default());
            for (&i, p) in held_out.iter().zip(predictions) {
                oof[i] = targets
                    .labels
                    .iter()
                    .map(|l| p.scores.get(l).copied().unwrap_or(0.0))
                    .collect();
            }
        }
        Ok(oof)
    }
}

/// The positions of the examples of each of `k` classes.
fn class_positions(class: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut positions = vec![Vec::new(); k];
    for (i, &c) in class.iter().enumerate() {
        positions[c].push(i);
    }
    positions
}

/// The positions of the positive and of the negative examples of a label:
/// the positives are class 0, the negatives class 1.
fn binary_classes(positive: &[bool]) -> Vec<Vec<usize>> {
    let class: Vec<usize> = positive.iter().map(|&p| usize::from(!p)).collect();
    class_positions(&class, 2)
}

/// Weights learned on scaled columns, turned into weights for the
/// unscaled features: the `k` weights of feature `f` (stored first,
/// feature by feature, before the intercepts) times `scales[f]`.
fn unscale(mut params: Vec<f64>, scales: &[f32], k: usize) -> Vec<f64> {
    for (f, &scale) in scales.iter().enumerate() {
        for w in &mut params[f * k..(f + 1) * k] {
            *w *= scale as f64;
        }
    }
    params
}

/// A prediction with these labels and one score per label.
fn prediction(label_names: &[String], labels: Vec<String>, scores: &[f32]) -> Prediction {
    Prediction {
        labels,
        scores: label_names
            .iter()
            .cloned()
            .zip(scores.iter().copied())
            .collect(),
        explanation: BTreeMap::new(),
    }
}

/// The fold of each block of examples in run `repeat` of a
/// cross-validation. The first run deals the blocks out in order (block b
/// in fold b mod `folds`); later runs deal them out in an order shuffled
/// with a fixed seed per run, so every run is reproducible.
fn fold_of_blocks(n_blocks: usize, folds: usize, repeat: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n_blocks).collect();
    if repeat > 0 {
        // splitmix64, seeded by the run.
        let mut state = (repeat as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        // Fisher-Yates.
        for i in (1..n_blocks).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
    }
    let mut fold = vec![0; n_blocks];
    for (position, &block) in order.iter().enumerate() {
        fold[block] = position % folds;
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_run_deals_blocks_in_order() {
        assert_eq!(fold_of_blocks(7, 3, 0), [0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn later_runs_are_balanced_reproducible_and_different() {
        let (blocks, folds) = (103, 5);
        let first = fold_of_blocks(blocks, folds, 0);
        let mut runs = vec![first];
        for repeat in 1..5 {
            let run = fold_of_blocks(blocks, folds, repeat);
            assert_eq!(
                run,
                fold_of_blocks(blocks, folds, repeat),
                "same seed, same folds"
            );
            let mut sizes = vec![0; folds];
            for &f in &run {
                sizes[f] += 1;
            }
            assert!(sizes.iter().all(|&s| s == 20 || s == 21), "{sizes:?}");
            assert!(
                runs.iter().all(|r| *r != run),
                "run {repeat} repeats an earlier one"
            );
            runs.push(run);
        }
    }

    #[test]
    fn classes_are_positions_and_weights_are_unscaled_feature_by_feature() {
        assert_eq!(
            class_positions(&[1, 0, 1], 3),
            vec![vec![1], vec![0, 2], vec![]]
        );
        assert_eq!(
            binary_classes(&[true, false, true]),
            vec![vec![0, 2], vec![1]]
        );
        // Two features, two classes, then two intercepts (left alone).
        let params = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(
            unscale(params, &[2.0, 0.5], 2),
            vec![2.0, 4.0, 1.5, 2.0, 5.0, 6.0]
        );
    }
}
