//! Reading the benchmark corpora, shared by the benches.

use newswire::data::{read_labelled, ReadOptions};
use std::path::Path;

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The texts of `../shared/data/20newsgroups/<file>`, read as `newswire
/// train` reads a labelled file, or `None` when the shared data is not
/// there.
pub fn newsgroups_texts(file: &str) -> Option<Vec<String>> {
    let path = root().join("../shared/data/20newsgroups").join(file);
    if !path.exists() {
        return None;
    }
    let options = ReadOptions {
        label_column: "label".into(),
        ..ReadOptions::default()
    };
    Some(texts_of(&path, &options))
}

/// The sentences of every `datasets/<section>/<file>`, sections in name
/// order.
pub fn corpus_sentences(file: &str) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("datasets"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join(file))
        .filter(|path| path.exists())
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|path| texts_of(path, &ReadOptions::default()))
        .collect()
}

/// The texts of a labelled file; a bench cannot run on a file it cannot
/// read, so an error stops it, naming the file and line.
fn texts_of(path: &Path, options: &ReadOptions) -> Vec<String> {
    let file = read_labelled(path, options).unwrap_or_else(|e| panic!("{e}"));
    file.examples.into_iter().map(|e| e.text).collect()
}
