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
