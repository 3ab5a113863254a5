//! The `newswire` command: train, classify and evaluate sentence-type models.
//!
//! A thin client of the library: every command parses its arguments, calls
//! the public API and prints. Errors go to stderr with exit code 2; a closed
//! pipe (`newswire classify ... | head`) ends quietly.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newswire: error: {}", cli::describe(&err));
            ExitCode::from(2)
        }
    }
}
