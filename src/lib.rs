//! newswire: split news articles into sentences and label each sentence as
//! `diplomacy`, `attack`, `sanctions`, `casualty` or `other`.
//!
//! The pipeline: a [`SentenceSplitter`] finds sentences as byte spans; an
//! [`Analyzer`] turns text into stemmed terms and n-grams; a
//! [`TfidfVectorizer`] turns those into sparse TF-IDF rows; a linear model
//! (logistic regression, one per label or multinomial) labels them. A
//! [`Classifier`] holds the whole fitted pipeline and is saved as one
//! versioned file.
//!
//! ```
//! use newswire::Classifier;
//!
//! let classifier = Classifier::builtin()?;
//! let report = classifier.classify_article(
//!     "KYIV, Ukraine (AP) \u{2014} Russian missiles hit the capital overnight, \
//!      killing three people, officials said. The EU agreed new sanctions on Moscow.");
//! for sentence in &report.sentences {
//!     println!("{:?} {}", sentence.prediction.labels, sentence.text);
//! }
//! # Ok::<(), newswire::Error>(())
//! ```
//!
//! The library never prints and returns errors instead of panicking on
//! input.

#![warn(missing_docs)]

pub mod data;
pub mod error;
pub mod features;
pub(crate) mod huge_pages;
pub mod metrics;
pub mod model;
#[cfg(test)]
mod test_support;
pub mod text;

pub use error::{Error, Result};
pub use features::sparse::{CsrMatrix, SparseRow};
pub use features::tfidf::{Scratch, TfidfConfig, TfidfVectorizer};
pub use features::vocabulary::Vocabulary;
pub use metrics::{Evaluation, LabelScores};
pub use model::classifier::{
    ArticleReport, Classifier, ClassifyOptions, Contribution, LinearModel, ModelKind,
    PredictScratch, Prediction, SentenceReport, OTHER,
};
pub use model::evaluate::{evaluate, evaluate_with_mistakes, mistakes_in, Mistake};
pub use model::file::{DataFileInfo, TrainingInfo};
pub use model::params::{ClassWeight, Mode, TrainParams};
pub use model::train::{TrainReport, TrainStage, Trainer, TrainingData};
pub use text::analyzer::{Analyzer, AnalyzerConfig, Numbers, Stemming, StopWords};
pub use text::sentences::{SentenceSplitter, Span, SplitterConfig};
pub use text::tokens::Hyphens;
