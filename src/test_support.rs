//! Helpers shared by the unit tests.

/// Advances `state` one step of a fixed linear congruential generator
/// (Knuth's MMIX constants) and returns the new state: reproducible
/// pseudo-random test data without a dependency.
pub(crate) fn next_state(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state
}

/// A rayon pool of `threads` threads, to run parallel code on a set
/// number of threads whatever the machine has.
pub(crate) fn thread_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}
