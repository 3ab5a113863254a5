//! The sparse trainer minimizes linfa-logistic's objective: on the same
//! small problem, linfa-logistic (dense) and the sparse trainer land on the
//! same coefficients, to 1e-3.

use linfa::prelude::*;
use linfa::Dataset;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};
use newswire::model::logistic::{train_binary, train_multinomial, transpose, SolverSettings};
use newswire::CsrMatrix;

/// A deterministic, sparse-ish problem: 80 rows, 6 features.
fn problem() -> (Array2<f64>, Vec<usize>) {
    let (n, d) = (80, 6);
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as f64) / (1u64 << 31) as f64
    };
    let mut x = Array2::zeros((n, d));
    let mut class = Vec::new();
    for i in 0..n {
        for j in 0..d {
            if next() < 0.5 {
                x[[i, j]] = (next() * 4.0 - 2.0 * 0.5).round() / 2.0;
            }
        }
        let signal = x[[i, 0]] - x[[i, 1]] + 0.5 * x[[i, 2]] + next() - 0.5;
        class.push(if signal > 0.4 {
            2
        } else if signal > -0.3 {
            1
        } else {
            0
        });
    }
    (x, class)
}

fn to_csr(x: &Array2<f64>) -> CsrMatrix {
    let mut m = CsrMatrix::new(x.ncols());
    for row in x.rows() {
        let (idx, vals): (Vec<u32>, Vec<f32>) = row
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(j, v)| (j as u32, *v as f32))
            .unzip();
        m.push_row(&idx, &vals);
    }
    m
}

const ALPHA: f64 = 0.5;

fn settings() -> SolverSettings {
    SolverSettings {
        alpha: ALPHA,
        max_iterations: 1000,
        tolerance: 1e-8,
        memory: 10,
    }
}

#[test]
fn binary_coefficients_agree_with_linfa_logistic() {
    let (x, class) = problem();
    let positive: Vec<bool> = class.iter().map(|&c| c == 2).collect();
    let y: Array1<&str> = positive
        .iter()
        .map(|&p| if p { "yes" } else { "no" })
        .collect();
    let dataset = Dataset::new(x.clone(), y);
    let linfa = LogisticRegression::default()
        .alpha(ALPHA)
        .gradient_tolerance(1e-8)
        .max_iterations(1000)
        .fit(&dataset)
        .expect("linfa fits");
    // linfa-logistic picks its positive class by frequency: read it.
    let sign = if linfa.labels().pos.class == "yes" {
        1.0
    } else {
        -1.0
    };
    let csr = to_csr(&x);
    let ours = train_binary(
        &csr,
        &transpose(&csr),
        &positive,
        &vec![1.0; positive.len()],
        settings(),
    )
    .unwrap();
    for (j, &w) in linfa.params().iter().enumerate() {
        assert!(
            (sign * w - ours[j]).abs() < 1e-3,
            "w[{j}]: linfa {} vs ours {}",
            sign * w,
            ours[j]
        );
    }
    assert!((sign * linfa.intercept() - ours[x.ncols()]).abs() < 1e-3);
}

#[test]
fn multinomial_coefficients_agree_with_linfa_logistic() {
    let (x, class) = problem();
    let y: Array1<usize> = class.iter().copied().collect();
    let dataset = Dataset::new(x.clone(), y);
    let linfa = MultiLogisticRegression::default()
        .alpha(ALPHA)
        .gradient_tolerance(1e-8)
        .max_iterations(1000)
        .fit(&dataset)
        .expect("linfa fits");
    let classes: Vec<usize> = linfa.classes().to_vec();
    let csr = to_csr(&x);
    let k = classes.len();
    let ours = train_multinomial(
        &csr,
        &transpose(&csr),
        &class,
        k,
        &vec![1.0; class.len()],
        settings(),
    )
    .unwrap();
    let d = x.ncols();
    // Softmax coefficients are defined up to a constant per feature row:
    // compare them centred.
    for (col, &c) in classes.iter().enumerate() {
        for j in 0..=d {
            let linfa_row: Vec<f64> = (0..k)
                .map(|cc| {
                    if j < d {
                        linfa.params()[[j, cc]]
                    } else {
                        linfa.intercept()[cc]
                    }
                })
                .collect();
            let ours_row: Vec<f64> = (0..k).map(|cc| ours[j * k + classes[cc]]).collect();
            let lm = linfa_row.iter().sum::<f64>() / k as f64;
            let om = ours_row.iter().sum::<f64>() / k as f64;
            let (a, b) = (linfa_row[col] - lm, ours_row[col] - om);
            assert!(
                (a - b).abs() < 1e-3,
                "class {c} row {j}: linfa {a} vs ours {b}"
            );
        }
    }
}
