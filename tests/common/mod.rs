//! Helpers shared by the integration tests.

use newswire::data::Example;
use newswire::TrainingData;

/// Training data from `(labels, text)` rows, labels comma-separated; row
/// `i` is on line `i + 2`, as if read from a file with a header.
pub fn rows_data(rows: &[(&str, &str)]) -> TrainingData {
    let examples = rows
        .iter()
        .enumerate()
        .map(|(i, (labels, text))| Example {
            text: text.to_string(),
            labels: labels.split(',').map(String::from).collect(),
            line: i + 2,
        })
        .collect();
    TrainingData::from_examples("inline", examples)
}
