//! The model file: its layout is pinned, training is deterministic, and
//! damaged files are refused with a clear error.

use newswire::data::Example;
use newswire::{Classifier, Error, TrainParams, Trainer, TrainingData};
use std::path::Path;

/// SHA-256 of the file trained by `tiny_model()`. It changes whenever the
/// serialized form changes: then bump `model::file::FORMAT_VERSION` (files of
/// the old version are refused with a clear error) and update this pin.
const PINNED_SHA256: &str = "e961d98836b708dc283ebd8de775bb74b229486acba8b2826103fe4839107c39";

fn tiny_model() -> Classifier {
    let rows = [
        ("attack", "Drones struck the port overnight."),
        ("attack,casualty", "Shelling killed two people in the town."),
        ("diplomacy", "The ministers held talks in Geneva."),
        ("sanctions", "The bloc froze the bank's assets."),
        ("other", "Rain is expected on Friday."),
    ];
    let examples = rows
        .iter()
        .enumerate()
        .map(|(i, (labels, text))| Example {
            text: text.to_string(),
            labels: labels.split(',').map(String::from).collect(),
            line: i + 2,
        })
        .collect();
    let mut params = TrainParams {
        folds: 0,
        ..TrainParams::default()
    };
    params.tfidf.min_df = 1;
    let data = TrainingData::from_examples("tiny", examples);
    Trainer::new(params).unwrap().train(&data).unwrap().0
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
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 1);
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
    assert_eq!(sha256_hex(&tiny_model().to_bytes()), PINNED_SHA256);
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
    let mut v2 = bytes.clone();
    v2[8] = 2;
    assert!(
        matches!(err(&v2), Error::ModelFormat { ref message, .. } if message.contains("version 2"))
    );
    assert!(err(&[]).to_string().contains("m.nwm"));
}
