//! How fast the featurizer fits and transforms a corpus: the numbers in
//! `benches/README.md`. Fits TF-IDF (unigrams + bigrams, English stemming,
//! min_df 2) on every text of a labelled file several times, on one thread
//! and then on all of rayon's threads, and prints the fastest and the
//! median run of each, and on Linux the process's peak memory (the texts
//! it holds included).
//!
//! Run: `cargo run --release --example fit_speed [FILE] [RUNS] [LABEL_COLUMN] [THREADS]`
//! (FILE, a labelled TSV, CSV or JSONL file read as `newswire train` reads
//! one, defaults to `../shared/data/20newsgroups/train.tsv`; RUNS to 7;
//! LABEL_COLUMN to `label`, the column 20 Newsgroups names its labels in;
//! THREADS, `1`, `all` or `both`, to `both`). Memory freed by one thread's
//! fits is not all reused by the next's, so measure the peak memory of
//! each case in a process of its own: THREADS `1`, then `all`.
//! To compare two versions of the code on a noisy machine, build the
//! example at each and run them in turn, several rounds.

use newswire::data::{read_labelled, ReadOptions};
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
    let options = ReadOptions {
        label_column: args.next().unwrap_or_else(|| "label".into()),
        ..ReadOptions::default()
    };
    let modes: &[bool] = match args.next().as_deref() {
        None | Some("both") => &[false, true],
        Some("1") => &[false],
        Some("all") => &[true],
        Some(other) => return Err(format!("THREADS must be 1, all or both, not {other:?}").into()),
    };
    let file = read_labelled(path.as_ref(), &options)?;
    let texts: Vec<&str> = file.examples.iter().map(|e| e.text.as_str()).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let held = memory_mb("VmRSS:").map_or(String::new(), |mb| format!(" ({mb} MB in memory)"));
    println!(
        "{path}: {} texts, {:.1} MB{held}; {runs} runs each",
        texts.len(),
        bytes as f64 / 1e6
    );
    let config = TfidfConfig {
        min_df: 2,
        ..TfidfConfig::default()
    };
    for &parallel in modes {
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
        let peak = memory_mb("VmHWM:").map_or(String::new(), |mb| format!(", peak memory {mb} MB"));
        println!(
            "fit + transform, {} thread(s): best {:.1} ms ({:.1} MB/s), median {:.1} ms ({:.1} MB/s), {nnz} non-zeros{peak}",
            if parallel { rayon::current_num_threads() } else { 1 },
            best * 1e3,
            mb_per_s(best),
            median * 1e3,
            mb_per_s(median)
        );
    }
    Ok(())
}

/// The process's resident memory in MB (10^6 bytes), where the system
/// reports it (Linux): `VmRSS:` now, `VmHWM:` at its peak so far.
fn memory_mb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024 / 1_000_000)
}
