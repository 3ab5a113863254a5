//! Sparse rows and matrices (CSR, `f32`).

use serde::{Deserialize, Serialize};

/// One sparse row: column indices (ascending) and their values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseRow<'a> {
    /// Column indices, ascending.
    pub indices: &'a [u32],
    /// Values, one per index.
    pub values: &'a [f32],
}

impl SparseRow<'_> {
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Dot product with a dense vector; columns past its end count as zero.
    #[inline]
    pub fn dot(&self, dense: &[f32]) -> f32 {
        self.indices
            .iter()
            .zip(self.values)
            .map(|(&i, &v)| dense.get(i as usize).map_or(0.0, |w| w * v))
            .sum()
    }

    /// Iterates over `(column, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
}

/// A sparse matrix in compressed sparse row form.
///
/// Row `i` holds `indices[indptr[i]..indptr[i + 1]]` (ascending) and the
/// matching `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CsrMatrix {
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f32>,
}

impl CsrMatrix {
    /// An empty matrix with `n_cols` columns and no rows.
    pub fn new(n_cols: usize) -> Self {
        CsrMatrix {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Builds a matrix from its parts, checking that they fit together.
    pub fn from_parts(
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        data: Vec<f32>,
    ) -> crate::Result<Self> {
        let bad = |message: String| crate::Error::InvalidParam {
            name: "csr",
            message,
        };
        if indptr.first() != Some(&0) || indptr.last() != Some(&indices.len()) {
            return Err(bad("indptr must start at 0 and end at nnz".into()));
        }
        if indices.len() != data.len() {
            return Err(bad(format!(
                "{} indices but {} values",
                indices.len(),
                data.len()
            )));
        }
        if indptr.windows(2).any(|w| w[0] > w[1]) {
            return Err(bad("indptr must not decrease".into()));
        }
        for w in indptr.windows(2) {
            let row = &indices[w[0]..w[1]];
            if row.windows(2).any(|p| p[0] >= p[1]) || row.iter().any(|&c| c as usize >= n_cols) {
                return Err(bad("row indices must be ascending and below n_cols".into()));
            }
        }
        Ok(CsrMatrix {
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// Builds a matrix from parts the crate built itself (checked in debug builds).
    pub(crate) fn from_raw(
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        data: Vec<f32>,
    ) -> Self {
        debug_assert!(
            Self::from_parts(n_cols, indptr.clone(), indices.clone(), data.clone()).is_ok()
        );
        CsrMatrix {
            n_cols,
            indptr,
            indices,
            data,
        }
    }

    /// Appends a row; `indices` must be ascending and below `n_cols`.
    pub fn push_row(&mut self, indices: &[u32], values: &[f32]) {
        debug_assert_eq!(indices.len(), values.len());
        debug_assert!(indices.windows(2).all(|w| w[0] < w[1]));
        self.indices.extend_from_slice(indices);
        self.data.extend_from_slice(values);
        self.indptr.push(self.indices.len());
    }

    /// Multiplies every value of column `c` by `scales[c]`.
    pub fn scale_columns(&mut self, scales: &[f32]) {
        debug_assert_eq!(scales.len(), self.n_cols);
        for (v, &c) in self.data.iter_mut().zip(&self.indices) {
            *v *= scales[c as usize];
        }
    }

    /// A copy with every value of column `c` multiplied by `scales[c]`.
    pub fn with_scaled_columns(&self, scales: &[f32]) -> CsrMatrix {
        let mut scaled = self.clone();
        scaled.scale_columns(scales);
        scaled
    }

    /// Appends all rows of `other` (same number of columns).
    pub fn append(&mut self, other: &CsrMatrix) {
        debug_assert_eq!(self.n_cols, other.n_cols);
        let base = self.indices.len();
        self.indices.extend_from_slice(&other.indices);
        self.data.extend_from_slice(&other.data);
        self.indptr
            .extend(other.indptr[1..].iter().map(|&p| p + base));
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Row `i`. Panics if `i >= n_rows()`, like slice indexing.
    pub fn row(&self, i: usize) -> SparseRow<'_> {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        SparseRow {
            indices: &self.indices[a..b],
            values: &self.data[a..b],
        }
    }

    /// Iterates over the rows.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = SparseRow<'_>> + '_ {
        (0..self.n_rows()).map(|i| self.row(i))
    }

    /// The row pointers (`n_rows + 1` offsets).
    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }

    /// The column indices of all rows.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// The values of all rows.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// A new matrix with the rows at `rows`, in that order.
    pub fn select_rows(&self, rows: &[usize]) -> CsrMatrix {
        let mut out = CsrMatrix::new(self.n_cols);
        for &r in rows {
            let row = self.row(r);
            out.push_row(row.indices, row.values);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_dot_products() {
        let mut m = CsrMatrix::new(4);
        m.push_row(&[0, 3], &[1.0, 2.0]);
        m.push_row(&[], &[]);
        m.push_row(&[1], &[0.5]);
        assert_eq!((m.n_rows(), m.nnz()), (3, 3));
        assert_eq!(m.row(0).dot(&[1.0, 1.0, 1.0, 10.0]), 21.0);
        assert_eq!(m.row(1).nnz(), 0);
        let picked = m.select_rows(&[2, 0]);
        assert_eq!(picked.row(0).indices, &[1]);
        assert_eq!(picked.row(1).values, &[1.0, 2.0]);
    }

    #[test]
    fn scaling_columns_multiplies_their_values() {
        let mut m = CsrMatrix::new(3);
        m.push_row(&[0, 2], &[0.5, 2.0]);
        m.push_row(&[], &[]);
        m.push_row(&[2], &[1.0]);
        let scaled = m.with_scaled_columns(&[3.0, 5.0, 0.5]);
        assert_eq!(scaled.row(0).values, &[1.5, 1.0]);
        assert_eq!(scaled.row(2).values, &[0.5]);
        assert_eq!(m.row(0).values, &[0.5, 2.0]);
        m.scale_columns(&[3.0, 5.0, 0.5]);
        assert_eq!(m, scaled);
    }

    #[test]
    fn from_parts_rejects_unsorted_rows() {
        let err = CsrMatrix::from_parts(3, vec![0, 2], vec![2, 1], vec![1.0, 1.0]);
        assert!(err.is_err());
        assert!(CsrMatrix::from_parts(3, vec![0, 2], vec![1, 2], vec![1.0, 1.0]).is_ok());
    }

    #[test]
    fn append_offsets_row_pointers() {
        let mut a = CsrMatrix::new(2);
        a.push_row(&[0], &[1.0]);
        let mut b = CsrMatrix::new(2);
        b.push_row(&[1], &[2.0]);
        a.append(&b);
        assert_eq!(a.indptr(), &[0, 1, 2]);
        assert_eq!(a.row(1).indices, &[1]);
    }
}
