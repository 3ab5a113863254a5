//! Many short strings in one buffer, numbered in the order they were added.

/// Strings stored end to end in one buffer and numbered in the order they
/// were added: adding one rarely allocates, and dropping the list frees two
/// buffers rather than one per string (a corpus has about 100,000 terms).
#[derive(Debug, Default, Clone)]
pub(crate) struct TermList {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl TermList {
    /// Adds `term` and returns its number.
    pub(crate) fn push(&mut self, term: &str) -> u32 {
        self.text.push_str(term);
        self.ends.push(self.text.len());
        (self.ends.len() - 1) as u32
    }

    /// The string numbered `id`. Panics if there is none, like indexing.
    pub(crate) fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// Number of strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The strings in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|id| self.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_come_back_by_number_including_empty_ones() {
        let mut list = TermList::default();
        assert_eq!(list.push("ceasefir"), 0);
        assert_eq!(list.push(""), 1);
        assert_eq!(list.push("киев"), 2);
        assert_eq!(list.len(), 3);
        assert_eq!(
            (list.get(0), list.get(1), list.get(2)),
            ("ceasefir", "", "киев")
        );
        assert_eq!(list.iter().collect::<Vec<_>>(), ["ceasefir", "", "киев"]);
    }
}
