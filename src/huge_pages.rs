//! Large scratch buffers backed by huge pages where the system allows it.
//!
//! Fitting touches tens of megabytes of fresh memory (term streams, n-gram
//! occurrences, the output matrix). With 4 KiB pages, the kernel takes one
//! fault per page and the processor one TLB miss per page for random
//! access; on Linux with transparent huge pages in `madvise` mode, asking
//! for 2 MiB pages removes most of both. Elsewhere this does nothing.

/// Size of a huge page on the systems that have them.
const HUGE_PAGE: usize = 2 << 20;

/// Buffers smaller than this are left alone.
const MIN_BYTES: usize = HUGE_PAGE;

/// Asks the kernel to back the untouched memory of `v`'s allocation with
/// huge pages. Call it before writing to the memory: pages already touched
/// keep their size (memory from `vec![0; n]` of this size is fresh from
/// the kernel and untouched). A hint only: results never depend on it.
pub(crate) fn advise<T>(v: &Vec<T>) {
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if bytes < MIN_BYTES {
        return;
    }
    let start = v.as_ptr() as usize;
    let aligned_start = start.next_multiple_of(HUGE_PAGE);
    let aligned_end = (start + bytes) / HUGE_PAGE * HUGE_PAGE;
    if aligned_end > aligned_start {
        madvise_huge(aligned_start, aligned_end - aligned_start);
    }
}

#[cfg(target_os = "linux")]
fn madvise_huge(start: usize, len: usize) {
    // SAFETY: the range lies inside one live allocation owned by the
    // caller's vector, and MADV_HUGEPAGE only changes how the kernel backs
    // it, never its contents. A failure (no THP support) is ignored.
    unsafe {
        libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn madvise_huge(_start: usize, _len: usize) {}
