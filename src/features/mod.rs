//! Features: the fitted vocabulary, TF-IDF weighting, class-concentration
//! weights and sparse rows.

pub mod concentration;
pub(crate) mod counting;
mod radix;
pub mod sparse;
pub mod tfidf;
pub mod vocabulary;
