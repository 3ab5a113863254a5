//! The parameter vector the L-BFGS solver works on.
//!
//! argmin's L-BFGS is generic over its parameter type through argmin-math's
//! traits. A multinomial model over a realistic vocabulary has millions of
//! parameters, and L-BFGS makes dozens of vector operations per iteration,
//! each returning a new vector. So this type:
//! 1. stores `f32` (the model keeps `f32` weights anyway), halving memory
//!    and memory traffic; sums are accumulated in `f64`;
//! 2. shares its storage (`Arc`), making the clones argmin makes free;
//! 3. recycles the buffers of dropped vectors, so a new vector does not
//!    fault in fresh pages from the operating system;
//! 4. runs element-wise operations and dot products over rayon's threads.
//!    Dot products add fixed-size blocks in a fixed order, so results do not
//!    depend on the number of threads.

use argmin_math::{
    ArgminAdd, ArgminDot, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul, ArgminScaledAdd,
    ArgminSignum, ArgminSub, ArgminZeroLike,
};
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// Elements per parallel block.
const BLOCK: usize = 1 << 14;

/// Buffers of dropped vectors, kept for reuse (at most [`POOL_SIZE`]).
static POOL: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());
const POOL_SIZE: usize = 6;
/// Vectors shorter than this are not pooled.
const POOL_MIN_LEN: usize = 1 << 16;

/// A vector's storage; gives its buffer back to the pool when dropped.
#[derive(Debug, PartialEq)]
struct Buffer(Vec<f32>);

impl Clone for Buffer {
    fn clone(&self) -> Self {
        let mut copy = take_buffer(self.0.len());
        copy.copy_from_slice(&self.0);
        Buffer(copy)
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if self.0.len() >= POOL_MIN_LEN {
            if let Ok(mut pool) = POOL.lock() {
                if pool.len() < POOL_SIZE {
                    pool.push(std::mem::take(&mut self.0));
                }
            }
        }
    }
}

/// A buffer of length `n` with unspecified contents, from the pool if one
/// fits.
fn take_buffer(n: usize) -> Vec<f32> {
    if n >= POOL_MIN_LEN {
        if let Ok(mut pool) = POOL.lock() {
            if let Some(i) = pool.iter().position(|b| b.len() == n) {
                return pool.swap_remove(i);
            }
        }
    }
    vec![0.0; n]
}

/// A dense vector of `f32` values times an `f64` factor, with cheap clones
/// and parallel arithmetic in `f64`. Multiplying by a number only changes
/// the factor, so L-BFGS's many `vector * number` steps cost nothing; the
/// factor is applied when another operation reads the values.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamVector {
    data: Arc<Buffer>,
    scale: f64,
}

impl ParamVector {
    /// Wraps values.
    pub fn new(values: Vec<f32>) -> Self {
        ParamVector {
            data: Arc::new(Buffer(values)),
            scale: 1.0,
        }
    }

    /// Zeros.
    pub fn zeros(n: usize) -> Self {
        let mut values = take_buffer(n);
        values.par_chunks_mut(BLOCK).for_each(|c| c.fill(0.0));
        ParamVector::new(values)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.data.0.len()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.data.0.is_empty()
    }

    /// The values, computed first if the vector carries a factor.
    pub fn values(&self) -> std::borrow::Cow<'_, [f32]> {
        if self.scale == 1.0 {
            std::borrow::Cow::Borrowed(&self.data.0)
        } else {
            let scale = self.scale;
            std::borrow::Cow::Owned(
                self.data
                    .0
                    .iter()
                    .map(|&v| (scale * f64::from(v)) as f32)
                    .collect(),
            )
        }
    }

    /// The values for writing; copies them first if the storage is shared
    /// or carries a factor.
    pub fn make_mut(&mut self) -> &mut [f32] {
        if self.scale != 1.0 {
            *self = self.map(|a| a);
        }
        &mut Arc::make_mut(&mut self.data).0
    }

    /// Whether two vectors are the same: one is a clone of the other.
    pub fn same_storage(&self, other: &ParamVector) -> bool {
        Arc::ptr_eq(&self.data, &other.data) && self.scale == other.scale
    }

    /// The values as `f64`.
    pub fn to_f64(&self) -> Vec<f64> {
        self.data
            .0
            .iter()
            .map(|&v| self.scale * f64::from(v))
            .collect()
    }

    fn map(&self, f: impl Fn(f64) -> f64 + Sync) -> Self {
        let scale = self.scale;
        let mut out = take_buffer(self.len());
        out.par_chunks_mut(BLOCK)
            .zip(self.data.0.par_chunks(BLOCK))
            .for_each(|(o, a)| {
                o.iter_mut()
                    .zip(a)
                    .for_each(|(o, &a)| *o = f(scale * f64::from(a)) as f32)
            });
        ParamVector::new(out)
    }

    fn zip_map(&self, other: &Self, f: impl Fn(f64, f64) -> f64 + Sync) -> Self {
        debug_assert_eq!(self.len(), other.len());
        let (sa, sb) = (self.scale, other.scale);
        let mut out = take_buffer(self.len());
        out.par_chunks_mut(BLOCK)
            .zip(
                self.data
                    .0
                    .par_chunks(BLOCK)
                    .zip(other.data.0.par_chunks(BLOCK)),
            )
            .for_each(|(o, (a, b))| {
                for ((o, &a), &b) in o.iter_mut().zip(a).zip(b) {
                    *o = f(sa * f64::from(a), sb * f64::from(b)) as f32;
                }
            });
        ParamVector::new(out)
    }

    /// Sum of `f` over blocks of the stored values (without the factor),
    /// added in block order.
    fn block_sum(&self, f: impl Fn(&[f32], usize) -> f64 + Sync) -> f64 {
        let partial: Vec<f64> = self
            .data
            .0
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(i, chunk)| f(chunk, i * BLOCK))
            .collect();
        partial.iter().sum()
    }
}

impl ArgminAdd<ParamVector, ParamVector> for ParamVector {
    fn add(&self, other: &ParamVector) -> ParamVector {
        self.zip_map(other, |a, b| a + b)
    }
}

impl ArgminAdd<f64, ParamVector> for ParamVector {
    fn add(&self, other: &f64) -> ParamVector {
        let b = *other;
        self.map(|a| a + b)
    }
}

impl ArgminSub<ParamVector, ParamVector> for ParamVector {
    fn sub(&self, other: &ParamVector) -> ParamVector {
        self.zip_map(other, |a, b| a - b)
    }
}

impl ArgminSub<f64, ParamVector> for ParamVector {
    fn sub(&self, other: &f64) -> ParamVector {
        let b = *other;
        self.map(|a| a - b)
    }
}

impl ArgminMul<f64, ParamVector> for ParamVector {
    fn mul(&self, other: &f64) -> ParamVector {
        ParamVector {
            data: Arc::clone(&self.data),
            scale: self.scale * other,
        }
    }
}

impl ArgminMul<ParamVector, ParamVector> for ParamVector {
    fn mul(&self, other: &ParamVector) -> ParamVector {
        self.zip_map(other, |a, b| a * b)
    }
}

impl ArgminDot<ParamVector, f64> for ParamVector {
    fn dot(&self, other: &ParamVector) -> f64 {
        let b = &other.data.0;
        self.scale
            * other.scale
            * self.block_sum(|chunk, start| {
                chunk
                    .iter()
                    .zip(&b[start..start + chunk.len()])
                    .map(|(&x, &y)| f64::from(x) * f64::from(y))
                    .sum()
            })
    }
}

impl ArgminScaledAdd<ParamVector, f64, ParamVector> for ParamVector {
    fn scaled_add(&self, factor: &f64, vec: &ParamVector) -> ParamVector {
        let f = *factor;
        self.zip_map(vec, |a, b| a + f * b)
    }
}

impl ArgminL1Norm<f64> for ParamVector {
    fn l1_norm(&self) -> f64 {
        self.scale.abs()
            * self.block_sum(|chunk, _| chunk.iter().map(|&x| f64::from(x).abs()).sum())
    }
}

impl ArgminL2Norm<f64> for ParamVector {
    fn l2_norm(&self) -> f64 {
        self.scale.abs()
            * self
                .block_sum(|chunk, _| chunk.iter().map(|&x| f64::from(x) * f64::from(x)).sum())
                .sqrt()
    }
}

impl ArgminSignum for ParamVector {
    fn signum(self) -> ParamVector {
        self.map(f64::signum)
    }
}

impl ArgminZeroLike for ParamVector {
    fn zero_like(&self) -> ParamVector {
        ParamVector::zeros(self.len())
    }
}

impl ArgminMinMax for ParamVector {
    fn min(x: &Self, y: &Self) -> Self {
        x.zip_map(y, f64::min)
    }

    fn max(x: &Self, y: &Self) -> Self {
        x.zip_map(y, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_matches_plain_loops() {
        let n = 3 * BLOCK + 17;
        let a = ParamVector::new((0..n).map(|i| (i as f32 * 0.1).sin()).collect());
        let b = ParamVector::new((0..n).map(|i| (i as f32 * 0.07).cos()).collect());
        let dot: f64 = a
            .values()
            .iter()
            .zip(b.values().iter())
            .map(|(&x, &y)| f64::from(x) * f64::from(y))
            .sum();
        assert!((a.dot(&b) - dot).abs() < 1e-6);
        let c = a.scaled_add(&2.0, &b);
        assert!((c.values()[5] - (a.values()[5] + 2.0 * b.values()[5])).abs() < 1e-6);
        assert_eq!(
            ArgminSub::<ParamVector, ParamVector>::sub(&a, &a).l1_norm(),
            0.0
        );
        assert!((b.l2_norm() - b.dot(&b).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn recycled_buffers_are_overwritten() {
        let n = POOL_MIN_LEN;
        drop(ParamVector::new(vec![7.0; n]));
        let z = ParamVector::zeros(n);
        assert!(z.values().iter().all(|&v| v == 0.0));
        let ones = z.map(|v| v + 1.0);
        assert!(ones.values().iter().all(|&v| v == 1.0));
    }

    #[test]
    fn scaling_is_lazy_and_exact() {
        let a = ParamVector::new(vec![1.0, -2.0, 3.0]);
        let b = a.mul(&2.0).mul(&-0.5);
        assert!(!b.same_storage(&ParamVector::new(vec![1.0, -2.0, 3.0])));
        assert_eq!(b.values().as_ref(), &[-1.0, 2.0, -3.0]);
        assert_eq!(b.dot(&a), -14.0);
        assert_eq!(b.l1_norm(), 6.0);
        assert!((b.l2_norm() - 14f64.sqrt()).abs() < 1e-12);
        let c = ArgminSub::<ParamVector, ParamVector>::sub(&a, &b);
        assert_eq!(c.values().as_ref(), &[2.0, -4.0, 6.0]);
        let mut d = a.mul(&3.0);
        d.make_mut()[0] = 0.0;
        assert_eq!(d.values().as_ref(), &[0.0, -6.0, 9.0]);
        assert_eq!(
            a.values().as_ref(),
            &[1.0, -2.0, 3.0],
            "the original is untouched"
        );
    }

    #[test]
    fn clones_share_storage() {
        let a = ParamVector::zeros(4);
        let b = a.clone();
        assert!(a.same_storage(&b));
        assert!(!a.same_storage(&ParamVector::zeros(4)));
    }
}
