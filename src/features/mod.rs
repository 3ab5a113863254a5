//! Features: the fitted vocabulary, TF-IDF weighting and sparse rows.

pub(crate) mod counting;
mod radix;
pub mod sparse;
pub mod tfidf;
pub mod vocabulary;
