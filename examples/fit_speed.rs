//! How fast the featurizer fits and transforms a corpus: the numbers in
//! `benches/README.md`. Fits TF-IDF (unigrams + bigrams, English stemming,
//! min_df 2) on every text of a TSV file several times, on one thread and
//! then on all of rayon's threads, and prints the fastest and the median
//! run of each.
//!
//! Run: `cargo run --release --example fit_speed [FILE] [RUNS]`
//! (FILE defaults to `../shared/data/20newsgroups/train.tsv`, whose last
//! column, `text`, holds the texts; RUNS to 7). To compare two versions of
//! the code on a noisy machine, build the example at each and run them in
//! turn, several rounds.

use newswire::{AnalyzerConfig, TfidfConfig, TfidfVectorizer};
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("fit_speed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "../shared/data/20newsgroups/train.tsv".into());
    let runs: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("RUNS {n:?}: {e}"))?,
        None => 7,
    };
    let tsv = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let texts = texts_of(&tsv).map_err(|e| format!("{path}: {e}"))?;
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    println!(
        "{path}: {} texts, {:.1} MB; {runs} runs each",
        texts.len(),
        bytes as f64 / 1e6
    );
    let config = TfidfConfig {
        min_df: 2,
        ..TfidfConfig::default()
    };
    for parallel in [false, true] {
        let mut seconds = Vec::with_capacity(runs);
        let mut nnz = 0;
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            let (_, rows) = if parallel {
                TfidfVectorizer::par_fit_transform(
                    &texts,
                    AnalyzerConfig::default(),
                    config.clone(),
                )?
            } else {
                TfidfVectorizer::fit_transform(&texts, AnalyzerConfig::default(), config.clone())?
            };
            seconds.push(started.elapsed().as_secs_f64());
            nnz = rows.nnz();
        }
        seconds.sort_by(f64::total_cmp);
        let (best, median) = (seconds[0], seconds[seconds.len() / 2]);
        let mb_per_s = |s: f64| bytes as f64 / 1e6 / s;
        println!(
            "fit + transform, {} thread(s): best {:.1} ms ({:.1} MB/s), median {:.1} ms ({:.1} MB/s), {nnz} non-zeros",
            if parallel { rayon::current_num_threads() } else { 1 },
            best * 1e3,
            mb_per_s(best),
            median * 1e3,
            mb_per_s(median)
        );
    }
    Ok(())
}

/// The `text` column of a TSV file with a header (the last column: a text
/// may hold tabs of its own).
fn texts_of(tsv: &str) -> Result<Vec<&str>, String> {
    let mut lines = tsv.lines();
    let header = lines.next().ok_or("the file is empty")?;
    let columns: Vec<&str> = header.split('\t').collect();
    if columns.last() != Some(&"text") {
        return Err(format!("the last column must be `text`, not {columns:?}"));
    }
    let column = columns.len() - 1;
    lines
        .enumerate()
        .map(|(i, line)| {
            line.splitn(column + 1, '\t')
                .nth(column)
                .ok_or_else(|| format!("line {}: fewer than {} columns", i + 2, column + 1))
        })
        .collect()
}
