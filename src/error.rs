//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in newswire, with the context a user needs
/// to fix it: the file, the line and what was found there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file holds bytes that are not UTF-8.
    #[error("{path}: line {line}: invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 0-based byte offset of the first bad byte in the file.
        offset: usize,
    },
    /// A labelled-data file is malformed at a given line.
    #[error("{path}: line {line}: {message}")]
    Data {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// A hyperparameter or setting is out of range.
    #[error("invalid setting `{name}`: {message}")]
    InvalidParam {
        /// The setting's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A corpus, batch or vocabulary that must not be empty is empty.
    #[error("{0}")]
    Empty(String),
    /// Dimensions of two inputs do not fit together.
    #[error("dimension mismatch: expected {expected}, got {got}")]
    DimensionMismatch {
        /// What the model or matrix expects.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// A model file is not one this version can read.
    #[error("{path}: {message}")]
    ModelFormat {
        /// The model file (or `<built-in>`).
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The optimizer failed.
    #[error("training failed: {0}")]
    Training(String),
}

/// `Result` with newswire's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
