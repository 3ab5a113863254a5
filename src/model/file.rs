//! The model file: one versioned file holding the whole pipeline.
//!
//! Layout: the 8 bytes `NEWSWIRE`, the format version (u32, little
//! endian), the payload length (u64, little endian), the payload, and the
//! SHA-256 of the payload (32 bytes). The payload is [`ModelFile`] encoded
//! with postcard (compact, deterministic serde). Reading checks each part
//! and says what is wrong: not a model file, another format version,
//! truncated, or corrupt.

use super::classifier::{Classifier, LinearModel, ModelKind};
use super::params::TrainParams;
use crate::error::{Error, Result};
use crate::features::tfidf::TfidfVectorizer;
use crate::metrics::Evaluation;
use crate::text::sentences::{SentenceSplitter, SplitterConfig};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"NEWSWIRE";

/// The format version this crate writes and reads (2 added `cv_repeats` to
/// the training settings, 3 added `concentration_power`).
pub const FORMAT_VERSION: u32 = 3;

/// How the built-in model is named in errors.
pub const BUILTIN_NAME: &str = "<built-in model>";

/// The built-in model's file, compiled in from `models/newswire-default.nwm`.
#[cfg(newswire_builtin_model)]
pub(crate) const BUILTIN_MODEL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/newswire-default.nwm"
));

/// This build has no built-in model (the file was missing at build time).
#[cfg(not(newswire_builtin_model))]
pub(crate) const BUILTIN_MODEL: &[u8] = &[];

/// One training data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFileInfo {
    /// The path as given to the trainer.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Examples read from it.
    pub examples: usize,
}

/// What a model was trained on and how, and how it scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TrainingInfo {
    /// The newswire version that trained it.
    pub newswire_version: String,
    /// The data files.
    pub data: Vec<DataFileInfo>,
    /// Examples in all.
    pub examples: usize,
    /// Examples per label (`other` counts examples with no label).
    pub label_counts: BTreeMap<String, usize>,
    /// The settings.
    pub params: Option<TrainParams>,
    /// Number of features.
    pub features: usize,
    /// Cross-validated scores on the training data, if folds were used.
    pub cross_validation: Option<Evaluation>,
}

/// The payload of a model file.
#[derive(Debug, Serialize, Deserialize)]
pub struct ModelFile {
    /// Sentence splitting settings.
    pub splitter: SplitterConfig,
    /// Analyzer settings, vocabulary and IDF.
    pub vectorizer: TfidfVectorizer,
    /// Weights, intercepts, thresholds, labels.
    pub model: LinearModel,
    /// Training metadata.
    pub training: TrainingInfo,
}

#[derive(Serialize)]
struct ModelFileRef<'a> {
    splitter: &'a SplitterConfig,
    vectorizer: &'a TfidfVectorizer,
    model: &'a LinearModel,
    training: &'a TrainingInfo,
}

impl ModelFile {
    /// Encodes a classifier's parts as model-file bytes.
    pub(crate) fn encode_parts(
        splitter: &SentenceSplitter,
        vectorizer: &TfidfVectorizer,
        model: &LinearModel,
        training: &TrainingInfo,
    ) -> Vec<u8> {
        let payload = postcard::to_stdvec(&ModelFileRef {
            splitter: splitter.config(),
            vectorizer,
            model,
            training,
        })
        .unwrap_or_default();
        let mut out = Vec::with_capacity(payload.len() + 52);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&Sha256::digest(&payload));
        out
    }

    /// Reads and checks a model file.
    pub fn read(path: &Path) -> Result<ModelFile> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::decode(&bytes, path)
    }

    /// Checks and decodes model-file bytes; `origin` names them in errors.
    pub fn decode(bytes: &[u8], origin: &Path) -> Result<ModelFile> {
        let bad = |message: String| Error::ModelFormat {
            path: origin.to_path_buf(),
            message,
        };
        if bytes.is_empty() && origin == Path::new(BUILTIN_NAME) {
            return Err(bad(
                "this build has no built-in model (models/newswire-default.nwm was missing when it was compiled); pass --model FILE".into(),
            ));
        }
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad(
                "not a newswire model file (it does not start with NEWSWIRE)".into(),
            ));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or_default());
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "model format version {version}; this newswire reads version {FORMAT_VERSION} (retrain the model with this version)"
            )));
        }
        let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap_or_default());
        let available = bytes.len().saturating_sub(20 + 32) as u64;
        if len > available {
            return Err(bad(format!(
                "truncated: the header promises {len} bytes of model data, the file has {available}"
            )));
        }
        let payload = &bytes[20..20 + len as usize];
        let checksum = &bytes[20 + len as usize..20 + len as usize + 32];
        if Sha256::digest(payload).as_slice() != checksum {
            return Err(bad(
                "corrupt: the checksum does not match the model data".into()
            ));
        }
        let file: ModelFile =
            postcard::from_bytes(payload).map_err(|e| bad(format!("corrupt model data: {e}")))?;
        file.check().map_err(bad)?;
        Ok(file)
    }

    /// Checks that the parts fit together.
    fn check(&self) -> std::result::Result<(), String> {
        let m = &self.model;
        let k = m.labels.len();
        let d = self.vectorizer.n_features();
        if k == 0 {
            return Err("the model has no labels".into());
        }
        if m.weights.len() != d * k {
            return Err(format!(
                "{} weights for {d} features and {k} labels",
                m.weights.len()
            ));
        }
        if m.intercepts.len() != k {
            return Err(format!("{} intercepts for {k} labels", m.intercepts.len()));
        }
        match m.kind {
            ModelKind::MultiLabel if m.thresholds.len() != k => {
                return Err(format!("{} thresholds for {k} labels", m.thresholds.len()))
            }
            ModelKind::MultiClass if k < 2 => {
                return Err("a multi-class model needs two labels".into())
            }
            _ => {}
        }
        if m.weights
            .iter()
            .chain(&m.intercepts)
            .chain(&m.thresholds)
            .any(|w| !w.is_finite())
        {
            return Err("the model holds a weight that is not a finite number".into());
        }
        Ok(())
    }

    /// The classifier this file describes.
    pub fn into_classifier(self) -> Classifier {
        Classifier::from_parts(
            SentenceSplitter::new(self.splitter),
            self.vectorizer,
            self.model,
            self.training,
        )
    }
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
