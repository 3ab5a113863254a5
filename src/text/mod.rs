//! Text stages: sentence splitting, tokenizing, and the analyzer (stemming,
//! stop words, n-grams).

pub mod analyzer;
pub mod sentences;
pub mod stop_words;
pub mod tokens;
pub(crate) mod word_table;
