//! The built-in model: it loads, and retraining from `datasets/` with the
//! settings recorded in it reproduces the shipped file byte for byte.

use newswire::data::ReadOptions;
use newswire::{Classifier, Trainer, TrainingData};

const SHIPPED: &str = "models/newswire-default.nwm";

#[test]
fn builtin_model_is_the_shipped_file() {
    let shipped = std::fs::read(SHIPPED).expect("the shipped model exists");
    assert_eq!(Classifier::builtin().unwrap().to_bytes(), shipped);
}

#[test]
fn retraining_with_the_recorded_settings_reproduces_the_shipped_file() {
    let shipped = std::fs::read(SHIPPED).expect("the shipped model exists");
    let builtin = Classifier::builtin().unwrap();
    let info = builtin.training_info();
    let params = info.params.clone().expect("training settings are recorded");
    let paths: Vec<&str> = info.data.iter().map(|d| d.path.as_str()).collect();
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with("datasets/") && p.ends_with("/train.tsv")),
        "{paths:?}"
    );
    // Integration tests run in the package root, where the recorded relative
    // paths point.
    let data = TrainingData::read(&paths, &ReadOptions::default()).unwrap();
    for (recorded, read) in info.data.iter().zip(&data.files) {
        assert_eq!(
            recorded.sha256, read.sha256,
            "{} changed since the model was trained",
            recorded.path
        );
    }
    let (retrained, _) = Trainer::new(params).unwrap().train(&data).unwrap();
    assert!(
        retrained.to_bytes() == shipped,
        "retraining gave a different model file"
    );
}

#[test]
fn builtin_model_records_its_cross_validated_scores() {
    let builtin = Classifier::builtin().unwrap();
    let cv = builtin
        .training_info()
        .cross_validation
        .as_ref()
        .expect("cross-validation scores");
    assert_eq!(cv.per_label.len(), 4);
    assert!(cv.macro_f1 > 0.7, "{}", cv.macro_f1);
    assert_eq!(
        builtin.labels(),
        ["attack", "casualty", "diplomacy", "sanctions"]
    );
}

#[test]
fn builtin_model_on_the_held_out_dev_files() {
    let mut paths: Vec<String> = std::fs::read_dir("datasets")
        .unwrap()
        .map(|e| e.unwrap().path().join("dev.tsv"))
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    paths.sort();
    let data = TrainingData::read(&paths, &ReadOptions::default()).unwrap();
    let e = newswire::evaluate(&Classifier::builtin().unwrap(), &data, Default::default()).unwrap();
    eprintln!(
        "dev: macro-F1 {:.3} over {} sentences",
        e.macro_f1, e.examples
    );
    assert!(e.macro_f1 > 0.78, "macro-F1 {:.3}", e.macro_f1);
}
