//! newswire: split news articles into sentences and label each sentence.

pub mod data;
pub mod error;
pub mod features;
pub mod text;

pub use error::{Error, Result};
pub use features::sparse::{CsrMatrix, SparseRow};
pub use features::tfidf::{Scratch, TfidfConfig, TfidfVectorizer};
pub use features::vocabulary::Vocabulary;
pub use text::analyzer::{Analyzer, AnalyzerConfig, Numbers, Stemming, StopWords};
pub use text::sentences::{SentenceSplitter, Span, SplitterConfig};
pub use text::tokens::Hyphens;
