//! Features: the fitted vocabulary, TF-IDF weighting, class-concentration
//! weights and sparse rows.

mod bitmap_sort;
pub mod concentration;
pub(crate) mod counting;
mod radix;
pub mod sparse;
mod term_list;
pub mod tfidf;
pub mod vocabulary;

/// Runs `f` on each item (a chunk's data: borrowed, mutably borrowed or
/// owned), in parallel on rayon's threads or in order on this one; the
/// results keep the items' order either way.
pub(crate) fn for_each_chunk<T: Send, R: Send>(
    items: impl IntoIterator<Item = T>,
    parallel: bool,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    let items: Vec<T> = items.into_iter().collect();
    if parallel && items.len() > 1 {
        items.into_par_iter().map(f).collect()
    } else {
        items.into_iter().map(f).collect()
    }
}
