//! The model: training settings, the sparse logistic-regression solver,
//! training with cross-validation, the classifier, evaluation and the model
//! file.

pub mod classifier;
pub mod evaluate;
pub mod file;
pub mod logistic;
pub mod params;
pub mod train;
pub mod vector;
