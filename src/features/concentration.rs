//! Class concentration: how concentrated each feature is in a few classes
//! of the training data, and the per-feature scales the trainer takes from
//! it.
//!
//! IDF rewards features found in few documents, whatever their class. A
//! feature found in the documents of one class only ("ceasefire" among
//! diplomacy sentences, "bike" in 20 Newsgroups) says more than one spread
//! evenly over every class, even at the same document frequency. The
//! *balanced distributional concentration* of a feature (Wang et al.,
//! "Balanced distributional concentration for term weighting", 2016) puts a
//! number on that: with `f_c` the share of class `c`'s documents that
//! contain the feature and `p_c = f_c / Σ f`, it is `1 - H(p) / ln(classes)`,
//! 0 for a feature spread over all classes in proportion to their size, 1
//! for a feature of one class only. Dividing by class size first keeps a
//! large class from looking like a concentration.
//!
//! The trainer turns it into a scale `(1 + concentration)^power` per
//! feature, trains on the columns multiplied by their scales and multiplies
//! the learned weights by the same scales. That is the same as training on
//! the plain TF-IDF rows with the L2 penalty `alpha/2 * Σ (w_f / scale_f)^2`:
//! concentrated features are held back less. The model keeps only the final
//! weights, so classifying needs no labels and no scales. A multi-label
//! model takes the scales of each label from that label's positive and
//! negative examples; a multi-class model from all its classes.

use super::sparse::CsrMatrix;
use rayon::prelude::*;

/// The concentration (0 to 1) of every column of `x` over the classes.
///
/// `class_rows[c]` lists the rows (examples) of class `c`; a row may belong
/// to several classes (multi-label data) and every row should belong to at
/// least one. Columns found in no listed row get 0, and so do all columns
/// when there are fewer than two classes.
pub fn concentration(x: &CsrMatrix, class_rows: &[Vec<usize>]) -> Vec<f32> {
    let n_cols = x.n_cols();
    let classes = class_rows.len();
    if classes < 2 {
        return vec![0.0; n_cols];
    }
    // Document frequency of every column within each class, one class per
    // task: each pass touches one column-sized table, which stays in cache.
    let df: Vec<Vec<u32>> = class_rows
        .par_iter()
        .map(|rows| {
            let mut df = vec![0u32; n_cols];
            for &r in rows {
                for &c in x.row(r).indices {
                    df[c as usize] += 1;
                }
            }
            df
        })
        .collect();
    let ln_classes = (classes as f64).ln();
    (0..n_cols)
        .into_par_iter()
        .map(|col| {
            let share = |c: usize| share_of(df[c][col], class_rows[c].len());
            let total: f64 = (0..classes).map(share).sum();
            if total <= 0.0 {
                return 0.0;
            }
            let entropy: f64 = (0..classes)
                .map(|c| share(c) / total)
                .filter(|&p| p > 0.0)
                .map(|p| -p * p.ln())
                .sum();
            (1.0 - entropy / ln_classes).clamp(0.0, 1.0) as f32
        })
        .collect()
}

/// The share of a class's `size` documents that contain a feature found in
/// `df` of them.
fn share_of(df: u32, size: usize) -> f64 {
    if size == 0 {
        0.0
    } else {
        df as f64 / size as f64
    }
}

/// The scale `(1 + concentration)^power` of each column: 1 (unchanged)
/// for a feature spread over all classes, up to `2^power` for a feature of
/// one class.
pub fn scales(concentration: &[f32], power: f64) -> Vec<f32> {
    concentration
        .iter()
        .map(|&c| (1.0 + c as f64).powf(power) as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as lists of column indices, every value 1.
    fn matrix(n_cols: usize, rows: &[&[u32]]) -> CsrMatrix {
        let mut x = CsrMatrix::new(n_cols);
        for row in rows {
            x.push_row(row, &vec![1.0; row.len()]);
        }
        x
    }

    #[test]
    fn one_class_features_are_1_and_evenly_spread_ones_are_0() {
        // Column 0 in every row, column 1 in class 0 only, column 2 in one
        // row of each class, column 3 nowhere.
        let x = matrix(4, &[&[0, 1, 2], &[0, 1], &[0, 2], &[0]]);
        let c = concentration(&x, &[vec![0, 1], vec![2, 3]]);
        assert_eq!(c[0], 0.0);
        assert_eq!(c[1], 1.0);
        assert!(c[2].abs() < 1e-6);
        assert_eq!(c[3], 0.0);
    }

    #[test]
    fn shares_are_taken_within_each_class() {
        // Column 0 is in 1 of class 0's 1 row and in 3 of class 1's 3 rows:
        // the same share of each class, so no concentration, although most
        // of its rows are in class 1.
        let x = matrix(2, &[&[0, 1], &[0], &[0], &[0]]);
        let c = concentration(&x, &[vec![0], vec![1, 2, 3]]);
        assert!(c[0].abs() < 1e-6, "{}", c[0]);
        assert_eq!(c[1], 1.0);
    }

    #[test]
    fn partial_concentration_matches_the_formula() {
        // Column 0 is in 2 of 2 rows of class 0 and 1 of 2 rows of class 1:
        // shares 1 and 0.5, p = (2/3, 1/3).
        let x = matrix(1, &[&[0], &[0], &[0], &[]]);
        let c = concentration(&x, &[vec![0, 1], vec![2, 3]]);
        let (p, q) = (2.0f64 / 3.0, 1.0f64 / 3.0);
        let expected = 1.0 + (p * p.ln() + q * q.ln()) / 2f64.ln();
        assert!((c[0] as f64 - expected).abs() < 1e-6);
    }

    #[test]
    fn rows_in_several_classes_count_in_each_and_one_class_gives_zeros() {
        let x = matrix(2, &[&[0, 1], &[1]]);
        // Row 0 is in both classes, row 1 in class 1 only.
        let c = concentration(&x, &[vec![0], vec![0, 1]]);
        assert!(c[1].abs() < 1e-6);
        assert!(c[0] > 0.0 && c[0] < 1.0);
        assert_eq!(concentration(&x, &[vec![0, 1]]), vec![0.0, 0.0]);
    }

    #[test]
    fn many_classes() {
        let rows: Vec<Vec<u32>> = (0..70)
            .map(|r| if r == 69 { vec![1] } else { vec![0] })
            .collect();
        let refs: Vec<&[u32]> = rows.iter().map(|r| r.as_slice()).collect();
        let x = matrix(2, &refs);
        let classes: Vec<Vec<usize>> = (0..70).map(|r| vec![r]).collect();
        let c = concentration(&x, &classes);
        assert!(c[0] > 0.0 && c[0] < 0.01, "{}", c[0]);
        assert_eq!(c[1], 1.0);
    }

    #[test]
    fn scales_run_from_1_to_2_to_the_power() {
        assert_eq!(scales(&[0.0, 0.5, 1.0], 2.0), vec![1.0, 2.25, 4.0]);
        assert_eq!(scales(&[0.3, 1.0], 0.0), vec![1.0, 1.0]);
    }
}
