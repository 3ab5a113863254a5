//! Logistic regression trained on sparse rows.
//!
//! The objective is linfa-logistic's: the sum of (optionally weighted)
//! log-losses plus `alpha / 2 * ||w||^2`, the intercept not regularized,
//! minimized with argmin's L-BFGS (memory 10 by default, More-Thuente line search)
//! from zero. Unlike linfa-logistic it reads the sparse TF-IDF matrix
//! directly, so memory stays proportional to the non-zeros.
//!
//! Parameters are laid out as linfa lays them out: for a binary model
//! `[w_0 .. w_{d-1}, b]`; for a multinomial model with `k` classes the
//! `(d + 1) x k` matrix `[W; b]` in row-major order. Sums are done in a
//! fixed order whatever the number of threads, so training is
//! deterministic.

use super::vector::ParamVector;
use crate::error::{Error, Result};
use crate::features::sparse::CsrMatrix;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use rayon::prelude::*;
use std::sync::Mutex;

/// Settings of the optimizer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverSettings {
    /// L2 penalty weight.
    pub alpha: f64,
    /// Most L-BFGS iterations.
    pub max_iterations: u64,
    /// Stop when the gradient's norm falls below this.
    pub tolerance: f64,
    /// How many past steps L-BFGS remembers (linfa-logistic uses 10).
    pub memory: usize,
}

/// What the optimizer needs from a problem: its size and one pass that
/// computes the cost and the gradient together.
trait Objective: Sync {
    fn n_params(&self) -> usize;
    fn evaluate(&self, params: &[f32], grad: &mut [f32]) -> f64;
}

/// Adapts an [`Objective`] to argmin, remembering the last evaluation (the
/// line search asks for the cost and the gradient at the same point) and
/// the best point seen (to fall back on if the solver stops with an error).
struct ArgminProblem<'a, O: Objective> {
    objective: &'a O,
    last: Mutex<Option<Evaluated>>,
    best: Mutex<Option<(f64, ParamVector)>>,
}

#[derive(Clone)]
struct Evaluated {
    params: ParamVector,
    cost: f64,
    grad: ParamVector,
}

impl<O: Objective> ArgminProblem<'_, O> {
    fn eval(&self, params: &ParamVector) -> Evaluated {
        if let Ok(last) = self.last.lock() {
            if let Some(e) = last.as_ref() {
                if e.params.same_storage(params) || e.params == *params {
                    return e.clone();
                }
            }
        }
        let mut grad = ParamVector::zeros(params.len());
        let cost = self.objective.evaluate(&params.values(), grad.make_mut());
        let evaluated = Evaluated {
            params: params.clone(),
            cost,
            grad,
        };
        if let Ok(mut best) = self.best.lock() {
            if cost.is_finite() && best.as_ref().is_none_or(|(c, _)| cost < *c) {
                *best = Some((cost, params.clone()));
            }
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some(evaluated.clone());
        }
        evaluated
    }
}

impl<O: Objective> CostFunction for &ArgminProblem<'_, O> {
    type Param = ParamVector;
    type Output = f64;

    fn cost(&self, params: &ParamVector) -> Result<f64, argmin::core::Error> {
        Ok(self.eval(params).cost)
    }
}

impl<O: Objective> Gradient for &ArgminProblem<'_, O> {
    type Param = ParamVector;
    type Gradient = ParamVector;

    fn gradient(&self, params: &ParamVector) -> Result<ParamVector, argmin::core::Error> {
        Ok(self.eval(params).grad)
    }
}

/// Minimizes `objective` from zero with L-BFGS. L-BFGS can stop with an
/// error ("Search direction must be a descent direction") near the
/// optimum; the best point it evaluated is then the answer, if it is better
/// than the start.
fn minimize<O: Objective>(objective: &O, settings: SolverSettings) -> Result<Vec<f64>> {
    let problem = ArgminProblem {
        objective,
        last: Mutex::new(None),
        best: Mutex::new(None),
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), settings.memory)
        .with_tolerance_grad(settings.tolerance)
        .map_err(|e| Error::Training(e.to_string()))?;
    let init = ParamVector::zeros(objective.n_params());
    let start_cost = problem.eval(&init).cost;
    let run = Executor::new(&problem, solver)
        .configure(|state| state.param(init).max_iters(settings.max_iterations))
        .run();
    match run {
        Ok(result) => match result.state().get_best_param() {
            Some(p) => Ok(p.to_f64()),
            None => Err(Error::Training(
                "the optimizer returned no parameters".into(),
            )),
        },
        Err(e) => {
            let best = problem.best.lock().ok().and_then(|b| b.clone());
            match best {
                Some((cost, params)) if cost < start_cost => Ok(params.to_f64()),
                _ => Err(Error::Training(e.to_string())),
            }
        }
    }
}

/// `||w||^2`, added in a fixed order.
fn squared_norm(w: &[f32]) -> f64 {
    let partial: Vec<f64> = w
        .par_chunks(1 << 14)
        .map(|c| c.iter().map(|&v| f64::from(v) * f64::from(v)).sum())
        .collect();
    partial.iter().sum()
}

/// `ln(sigmoid(t))`, stable for large `|t|`.
#[inline]
fn log_sigmoid(t: f64) -> f64 {
    if t > 0.0 {
        -(-t).exp().ln_1p()
    } else {
        t - t.exp().ln_1p()
    }
}

#[inline]
fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// The columns of `x` as rows (a CSC view), for gradients computed one
/// feature at a time in a fixed order.
pub fn transpose(x: &CsrMatrix) -> CsrMatrix {
    let n_cols = x.n_cols();
    let mut counts = vec![0usize; n_cols + 1];
    for &c in x.indices() {
        counts[c as usize + 1] += 1;
    }
    for c in 0..n_cols {
        counts[c + 1] += counts[c];
    }
    let mut next = counts.clone();
    let mut indices = vec![0u32; x.nnz()];
    let mut data = vec![0f32; x.nnz()];
    for (r, row) in x.rows().enumerate() {
        for (c, v) in row.iter() {
            let slot = &mut next[c as usize];
            indices[*slot] = r as u32;
            data[*slot] = v;
            *slot += 1;
        }
    }
    CsrMatrix::from_raw(x.n_rows(), counts, indices, data)
}

/// Rows per parallel task.
const ROWS_PER_TASK: usize = 256;

/// Feature blocks whose multinomial scores are computed apart and then
/// added in order.
const SCORE_BLOCKS: usize = 4;

/// One binary problem: targets are +1 / -1.
struct BinaryObjective<'a> {
    x: &'a CsrMatrix,
    xt: &'a CsrMatrix,
    y: &'a [f64],
    weights: &'a [f64],
    alpha: f64,
}

impl Objective for BinaryObjective<'_> {
    fn n_params(&self) -> usize {
        self.x.n_cols() + 1
    }

    fn evaluate(&self, params: &[f32], grad: &mut [f32]) -> f64 {
        let d = self.x.n_cols();
        let (w, b) = (&params[..d], f64::from(params[d]));
        let n = self.x.n_rows();
        // Per row: loss and d(loss)/dz.
        let mut loss = vec![0.0; n];
        let mut dz = vec![0.0; n];
        loss.par_chunks_mut(ROWS_PER_TASK)
            .zip(dz.par_chunks_mut(ROWS_PER_TASK))
            .enumerate()
            .for_each(|(t, (loss, dz))| {
                for (k, (l, g)) in loss.iter_mut().zip(dz.iter_mut()).enumerate() {
                    let i = t * ROWS_PER_TASK + k;
                    let row = self.x.row(i);
                    let z: f64 = row
                        .iter()
                        .map(|(c, v)| f64::from(w[c as usize]) * f64::from(v))
                        .sum::<f64>()
                        + b;
                    let yz = self.y[i] * z;
                    *l = -self.weights[i] * log_sigmoid(yz);
                    *g = self.weights[i] * (sigmoid(yz) - 1.0) * self.y[i];
                }
            });
        let (gw, gb) = grad.split_at_mut(d);
        gw.par_iter_mut().enumerate().for_each(|(c, g)| {
            let col = self.xt.row(c);
            let sum = col
                .iter()
                .map(|(r, v)| f64::from(v) * dz[r as usize])
                .sum::<f64>();
            *g = (sum + self.alpha * f64::from(w[c])) as f32;
        });
        gb[0] = dz.iter().sum::<f64>() as f32;
        loss.iter().sum::<f64>() + 0.5 * self.alpha * squared_norm(w)
    }
}

/// One multinomial problem over `k` classes.
struct MultinomialObjective<'a> {
    x: &'a CsrMatrix,
    xt: &'a CsrMatrix,
    y: &'a [usize],
    weights: &'a [f64],
    k: usize,
    alpha: f64,
}

impl Objective for MultinomialObjective<'_> {
    fn n_params(&self) -> usize {
        (self.x.n_cols() + 1) * self.k
    }

    fn evaluate(&self, params: &[f32], grad: &mut [f32]) -> f64 {
        let (d, k) = (self.x.n_cols(), self.k);
        let (w, b) = params.split_at(d * k);
        let n = self.x.n_rows();
        // Scores X W, feature by feature: each feature's weights are read
        // once, in order, and added into the rows that hold it. A fixed
        // number of feature blocks, each with its own scores, are added in
        // block order, so the sum does not depend on the number of threads.
        let block = d.div_ceil(SCORE_BLOCKS).max(1);
        let partial: Vec<Vec<f32>> = (0..SCORE_BLOCKS)
            .into_par_iter()
            .map(|blk| {
                let mut h = vec![0f32; n * k];
                for c in (blk * block).min(d)..((blk + 1) * block).min(d) {
                    let wc = &w[c * k..(c + 1) * k];
                    for (r, v) in self.xt.row(c).iter() {
                        let hr = &mut h[r as usize * k..(r as usize + 1) * k];
                        for (hh, ww) in hr.iter_mut().zip(wc) {
                            *hh += v * ww;
                        }
                    }
                }
                h
            })
            .collect();
        let mut loss = vec![0.0; n];
        // Per row: weight * (softmax - one-hot), k values.
        let mut diff = vec![0.0; n * k];
        loss.par_chunks_mut(ROWS_PER_TASK)
            .zip(diff.par_chunks_mut(ROWS_PER_TASK * k))
            .enumerate()
            .for_each(|(t, (loss, diff))| {
                let mut h = vec![0.0; k];
                for (j, l) in loss.iter_mut().enumerate() {
                    let i = t * ROWS_PER_TASK + j;
                    for (c, hh) in h.iter_mut().enumerate() {
                        *hh = f64::from(b[c]);
                        for p in &partial {
                            *hh += f64::from(p[i * k + c]);
                        }
                    }
                    let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = h.iter().map(|v| (v - max).exp()).sum();
                    let log_norm = max + sum.ln();
                    let weight = self.weights[i];
                    *l = -weight * (h[self.y[i]] - log_norm);
                    let out = &mut diff[j * k..(j + 1) * k];
                    for (o, hh) in out.iter_mut().zip(&h) {
                        *o = weight * (hh - log_norm).exp();
                    }
                    out[self.y[i]] -= weight;
                }
            });
        let (gw, gb) = grad.split_at_mut(d * k);
        gw.par_chunks_mut(k).enumerate().for_each(|(c, g)| {
            let mut sum = [0f64; 64];
            let sum = &mut sum[..k.min(64)];
            if k > 64 {
                // Rare: more than 64 classes; accumulate in place.
                g.iter_mut()
                    .zip(&w[c * k..(c + 1) * k])
                    .for_each(|(g, w)| *g = (self.alpha * f64::from(*w)) as f32);
                for (r, v) in self.xt.row(c).iter() {
                    let drow = &diff[r as usize * k..(r as usize + 1) * k];
                    for (g, dd) in g.iter_mut().zip(drow) {
                        *g += (f64::from(v) * dd) as f32;
                    }
                }
                return;
            }
            for (r, v) in self.xt.row(c).iter() {
                let v = f64::from(v);
                let drow = &diff[r as usize * k..(r as usize + 1) * k];
                for (s, dd) in sum.iter_mut().zip(drow) {
                    *s += v * dd;
                }
            }
            for ((g, s), w) in g.iter_mut().zip(sum.iter()).zip(&w[c * k..(c + 1) * k]) {
                *g = (s + self.alpha * f64::from(*w)) as f32;
            }
        });
        let mut intercept_grad = vec![0f64; k];
        for row in diff.chunks(k) {
            for (g, dd) in intercept_grad.iter_mut().zip(row) {
                *g += dd;
            }
        }
        for (g, s) in gb.iter_mut().zip(&intercept_grad) {
            *g = *s as f32;
        }
        loss.iter().sum::<f64>() + 0.5 * self.alpha * squared_norm(w)
    }
}

fn check_rows(x: &CsrMatrix, n: usize, weights: &[f64]) -> Result<()> {
    if x.n_rows() != n {
        return Err(Error::DimensionMismatch {
            expected: x.n_rows(),
            got: n,
        });
    }
    if weights.len() != n {
        return Err(Error::DimensionMismatch {
            expected: n,
            got: weights.len(),
        });
    }
    if n == 0 {
        return Err(Error::Empty("no training rows".into()));
    }
    Ok(())
}

/// Trains a binary logistic regression: `positive[i]` says whether row `i`
/// is in the class. Returns `[w_0 .. w_{d-1}, b]`.
pub fn train_binary(
    x: &CsrMatrix,
    xt: &CsrMatrix,
    positive: &[bool],
    weights: &[f64],
    settings: SolverSettings,
) -> Result<Vec<f64>> {
    check_rows(x, positive.len(), weights)?;
    let y: Vec<f64> = positive
        .iter()
        .map(|&p| if p { 1.0 } else { -1.0 })
        .collect();
    let objective = BinaryObjective {
        x,
        xt,
        y: &y,
        weights,
        alpha: settings.alpha,
    };
    minimize(&objective, settings)
}

/// Trains a multinomial logistic regression over `k` classes; `class[i]` is
/// row `i`'s class. Returns the row-major `(d + 1) x k` matrix `[W; b]`.
pub fn train_multinomial(
    x: &CsrMatrix,
    xt: &CsrMatrix,
    class: &[usize],
    k: usize,
    weights: &[f64],
    settings: SolverSettings,
) -> Result<Vec<f64>> {
    check_rows(x, class.len(), weights)?;
    if k < 2 || class.iter().any(|&c| c >= k) {
        return Err(Error::Training(format!(
            "classes must be 0 to {} and at least two",
            k.max(2) - 1
        )));
    }
    let objective = MultinomialObjective {
        x,
        xt,
        y: class,
        weights,
        k,
        alpha: settings.alpha,
    };
    minimize(&objective, settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finite_difference_check<O: Objective>(o: &O, params: &[f32]) {
        let mut grad = vec![0.0; params.len()];
        o.evaluate(params, &mut grad);
        for i in 0..params.len() {
            let mut p = params.to_vec();
            let h = 1e-2;
            p[i] += h;
            let up = o.evaluate(&p, &mut vec![0.0; params.len()]);
            p[i] -= 2.0 * h;
            let down = o.evaluate(&p, &mut vec![0.0; params.len()]);
            let numeric = (up - down) / (2.0 * f64::from(h));
            let analytic = f64::from(grad[i]);
            assert!(
                (numeric - analytic).abs() < 1e-3 * (1.0 + numeric.abs()),
                "param {i}: {numeric} vs {analytic}"
            );
        }
    }

    fn small_matrix() -> CsrMatrix {
        let mut x = CsrMatrix::new(3);
        x.push_row(&[0, 2], &[0.5, 1.0]);
        x.push_row(&[1], &[2.0]);
        x.push_row(&[0, 1, 2], &[1.0, -1.0, 0.25]);
        x.push_row(&[], &[]);
        x
    }

    #[test]
    fn binary_gradient_matches_finite_differences() {
        let x = small_matrix();
        let xt = transpose(&x);
        let o = BinaryObjective {
            x: &x,
            xt: &xt,
            y: &[1.0, -1.0, 1.0, -1.0],
            weights: &[1.0, 2.0, 0.5, 1.0],
            alpha: 0.3,
        };
        finite_difference_check(&o, &[0.1, -0.2, 0.3, 0.05]);
    }

    #[test]
    fn multinomial_gradient_matches_finite_differences() {
        let x = small_matrix();
        let xt = transpose(&x);
        let o = MultinomialObjective {
            x: &x,
            xt: &xt,
            y: &[0, 1, 2, 1],
            weights: &[1.0, 1.0, 2.0, 0.5],
            k: 3,
            alpha: 0.7,
        };
        let params: Vec<f32> = (0..12).map(|i| (i as f32 * 0.37).sin()).collect();
        finite_difference_check(&o, &params);
    }

    #[test]
    fn transpose_swaps_rows_and_columns() {
        let x = small_matrix();
        let t = transpose(&x);
        assert_eq!((t.n_rows(), t.n_cols()), (3, 4));
        assert_eq!(t.row(1).indices, &[1, 2]);
        assert_eq!(t.row(1).values, &[2.0, -1.0]);
    }

    #[test]
    fn separable_binary_problem_is_learned() {
        let x = small_matrix();
        let xt = transpose(&x);
        let settings = SolverSettings {
            alpha: 0.01,
            max_iterations: 200,
            tolerance: 1e-6,
            memory: 10,
        };
        let w = train_binary(&x, &xt, &[true, false, true, false], &[1.0; 4], settings).unwrap();
        let score = |i: usize| {
            x.row(i)
                .iter()
                .map(|(c, v)| w[c as usize] * f64::from(v))
                .sum::<f64>()
                + w[3]
        };
        assert!(score(0) > 0.0 && score(2) > 0.0 && score(1) < 0.0 && score(3) < 0.0);
    }

    #[test]
    fn rejects_mismatched_rows() {
        let x = small_matrix();
        let xt = transpose(&x);
        let settings = SolverSettings {
            alpha: 1.0,
            max_iterations: 10,
            tolerance: 1e-4,
            memory: 10,
        };
        let err = train_binary(&x, &xt, &[true], &[1.0], settings).unwrap_err();
        assert!(matches!(
            err,
            Error::DimensionMismatch {
                expected: 4,
                got: 1
            }
        ));
    }
}
