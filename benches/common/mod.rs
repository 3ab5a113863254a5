//! Reading the benchmark corpora, shared by the benches.

use std::path::Path;

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The texts of `../shared/data/20newsgroups/<file>` (its third column),
/// or `None` when the shared data is not there.
pub fn newsgroups_texts(file: &str) -> Option<Vec<String>> {
    let path = root().join("../shared/data/20newsgroups").join(file);
    let tsv = std::fs::read_to_string(path).ok()?;
    Some(
        tsv.lines()
            .skip(1)
            .filter_map(|line| line.splitn(3, '\t').nth(2))
            .map(str::to_owned)
            .collect(),
    )
}

/// The sentences of every `datasets/<section>/<file>`, sections in name
/// order.
pub fn corpus_sentences(file: &str) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("datasets"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join(file))
        .collect();
    paths.sort();
    let mut sentences = Vec::new();
    for path in paths {
        if let Ok(tsv) = std::fs::read_to_string(&path) {
            sentences.extend(
                tsv.lines()
                    .skip(1)
                    .filter_map(|line| line.split_once('\t'))
                    .map(|(_, text)| text.to_owned()),
            );
        }
    }
    sentences
}
