//! The model file: its layout is pinned, training is deterministic, and
//! damaged files are refused with a clear error.

mod common;

use newswire::{Classifier, Error, TrainParams, Trainer};
use std::path::Path;

/// SHA-256 of the file of `pinned_model()`, built without the solver. It
/// changes whenever the serialized form changes: then bump
/// `model::file::FORMAT_VERSION` (files of the old version are refused with
/// a clear error) and update this pin.
const PINNED_SHA256: &str = "0ae494b9e7034ca2c6b041592b0457b1ac48d83452450e8288405d53db5ffcda";

fn tiny_model() -> Classifier {
    let rows = [
        ("attack", "Drones struck the port overnight."),
        ("attack,casualty", "Shelling killed two people in the town."),
        ("diplomacy", "The ministers held talks in Geneva."),
        ("sanctions", "The bloc froze the bank's assets."),
        ("other", "Rain is expected on Friday."),
    ];
    let mut params = TrainParams {
        folds: 0,
        ..TrainParams::default()
    };
    params.tfidf.min_df = 1;
    let data = common::rows_data(&rows);
    Trainer::new(params).unwrap().train(&data).unwrap().0
}

/// A model put together by hand: a fitted featurizer and set weights.
fn pinned_model() -> Classifier {
    use newswire::model::file::ModelFile;
    use newswire::{
        AnalyzerConfig, LinearModel, ModelKind, SplitterConfig, TfidfConfig, TfidfVectorizer,
        TrainingInfo,
    };
    let corpus = [
        "Drones struck the port.",
        "Talks resumed in Geneva.",
        "The bloc froze assets.",
    ];
    let vectorizer =
        TfidfVectorizer::fit(&corpus, AnalyzerConfig::default(), TfidfConfig::default()).unwrap();
    let labels: Vec<String> = ["attack", "diplomacy"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let weights = (0..vectorizer.n_features() * labels.len())
        .map(|i| i as f32 / 8.0 - 1.0)
        .collect();
    ModelFile {
        splitter: SplitterConfig::default(),
        vectorizer,
        model: LinearModel {
            kind: ModelKind::MultiLabel,
            labels,
            weights,
            intercepts: vec![-0.5, 0.25],
            thresholds: vec![0.5, 0.4],
        },
        training: TrainingInfo {
            newswire_version: "pinned".into(),
            ..TrainingInfo::default()
        },
    }
    .into_classifier()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn layout_is_magic_version_length_payload_checksum() {
    let bytes = tiny_model().to_bytes();
    assert_eq!(&bytes[..8], b"NEWSWIRE");
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 3);
    let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap()) as usize;
    assert_eq!(bytes.len(), 20 + len + 32);
    let checksum: String = bytes[20 + len..]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(checksum, sha256_hex(&bytes[20..20 + len]));
}

#[test]
fn serialized_form_is_pinned() {
    let bytes = pinned_model().to_bytes();
    assert_eq!(sha256_hex(&bytes), PINNED_SHA256);
    let loaded = Classifier::from_bytes(&bytes, Path::new("pinned")).unwrap();
    assert_eq!(loaded.to_bytes(), bytes);
}

#[test]
fn training_is_deterministic_and_saving_round_trips() {
    let a = tiny_model().to_bytes();
    assert_eq!(a, tiny_model().to_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.nwm");
    Classifier::from_bytes(&a, Path::new("tiny"))
        .unwrap()
        .save(&path)
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), a);
    let loaded = Classifier::load(&path).unwrap();
    assert_eq!(
        loaded.classify_sentence("Drones struck the port.").labels,
        ["attack"]
    );
}

#[test]
fn damaged_files_are_refused_with_what_is_wrong() {
    let bytes = tiny_model().to_bytes();
    let err = |b: &[u8]| Classifier::from_bytes(b, Path::new("m.nwm")).unwrap_err();
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    assert!(
        matches!(err(&flipped), Error::ModelFormat { ref message, .. } if message.contains("checksum"))
    );
    assert!(
        matches!(err(&bytes[..bytes.len() - 40]), Error::ModelFormat { ref message, .. } if message.contains("truncated"))
    );
    assert!(
        matches!(err(b"hello"), Error::ModelFormat { ref message, .. } if message.contains("not a newswire model"))
    );
    // Version 1 files (before `cv_repeats` joined the training settings),
    // version 2 files (before `concentration_power` did) and files of a
    // future version are refused by name.
    for version in [1u8, 2, 4] {
        let mut other = bytes.clone();
        other[8] = version;
        assert!(
            matches!(err(&other), Error::ModelFormat { ref message, .. } if message.contains(&format!("version {version}")))
        );
    }
    assert!(err(&[]).to_string().contains("m.nwm"));
}
