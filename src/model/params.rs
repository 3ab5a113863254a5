//! Training settings, checked once before training starts.

use crate::error::{Error, Result};
use crate::features::tfidf::TfidfConfig;
use crate::text::analyzer::AnalyzerConfig;
use crate::text::sentences::SplitterConfig;
use serde::{Deserialize, Serialize};

/// Which kind of model to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Multi-label if any example has two or more labels, else multi-class.
    #[default]
    Auto,
    /// One binary logistic regression per label, with tuned thresholds; an
    /// example with no label above its threshold is `other`.
    MultiLabel,
    /// One multinomial logistic regression: exactly one label per example.
    MultiClass,
}

impl std::str::FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "auto" => Ok(Mode::Auto),
            "multi-label" => Ok(Mode::MultiLabel),
            "multi-class" => Ok(Mode::MultiClass),
            other => Err(format!(
                "unknown mode `{other}` (expected auto, multi-label or multi-class)"
            )),
        }
    }
}

/// How examples are weighted in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ClassWeight {
    /// Every example counts once.
    #[default]
    None,
    /// Each class counts as much in total as any other (like scikit-learn's
    /// `balanced`): weight `n / (classes * n_class)`.
    Balanced,
}

impl std::str::FromStr for ClassWeight {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "none" => Ok(ClassWeight::None),
            "balanced" => Ok(ClassWeight::Balanced),
            other => Err(format!(
                "unknown class weight `{other}` (expected none or balanced)"
            )),
        }
    }
}

/// Everything that decides a trained model (besides the data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainParams {
    /// Sentence splitting (used when classifying articles).
    pub splitter: SplitterConfig,
    /// Tokenizing, stemming, n-grams.
    pub analyzer: AnalyzerConfig,
    /// Vocabulary and weighting.
    pub tfidf: TfidfConfig,
    /// How much less the L2 penalty holds back features concentrated in a
    /// few classes: feature `f` is penalized as `(w_f / (1 + c_f)^power)^2`,
    /// where `c_f` (0 to 1) is its concentration over the classes (for a
    /// multi-label model, over each label's positive and negative
    /// examples; see [`features::concentration`](crate::features::concentration)).
    /// 0 turns it off: every feature is penalized alike.
    pub concentration_power: f64,
    /// Multi-label, multi-class, or chosen from the data.
    pub mode: Mode,
    /// L2 penalty (scikit-learn's `C` is `1 / alpha`).
    pub alpha: f64,
    /// Example weights.
    pub class_weight: ClassWeight,
    /// Most L-BFGS iterations per model.
    pub max_iterations: u64,
    /// Stop when the gradient's norm falls below this.
    pub tolerance: f64,
    /// How many past steps L-BFGS remembers: fewer is faster per iteration
    /// and uses less memory on large models, more converges in fewer steps.
    pub lbfgs_memory: usize,
    /// Cross-validation folds, used to tune thresholds (multi-label) and to
    /// report scores; 0 or 1 skips cross-validation (thresholds stay 0.5).
    pub folds: usize,
    /// Multi-label models: how many times cross-validation runs, each time
    /// with other folds. The thresholds are tuned on the out-of-fold
    /// probabilities of all runs together, so they depend less on where
    /// the folds happen to cut the data. Multi-class models, which have no
    /// thresholds, cross-validate once.
    pub cv_repeats: usize,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            splitter: SplitterConfig::default(),
            analyzer: AnalyzerConfig::default(),
            tfidf: TfidfConfig {
                min_df: 2,
                ..TfidfConfig::default()
            },
            concentration_power: 1.0,
            mode: Mode::Auto,
            alpha: 0.1,
            class_weight: ClassWeight::None,
            max_iterations: 300,
            tolerance: 1e-4,
            lbfgs_memory: 10,
            folds: 5,
            cv_repeats: 5,
        }
    }
}

impl TrainParams {
    /// Checks every setting, so training never fails on one half-way.
    pub fn validate(&self) -> Result<()> {
        self.analyzer.validate()?;
        self.tfidf.validate()?;
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(Error::InvalidParam {
                name: "alpha",
                message: format!("must be a positive number, got {}", self.alpha),
            });
        }
        if !(0.0..=8.0).contains(&self.concentration_power) {
            return Err(Error::InvalidParam {
                name: "concentration_power",
                message: format!("must be 0 to 8, got {}", self.concentration_power),
            });
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::InvalidParam {
                name: "tolerance",
                message: format!("must be a positive number, got {}", self.tolerance),
            });
        }
        if self.max_iterations == 0 {
            return Err(Error::InvalidParam {
                name: "max_iterations",
                message: "must be at least 1".into(),
            });
        }
        if !(1..=100).contains(&self.lbfgs_memory) {
            return Err(Error::InvalidParam {
                name: "lbfgs_memory",
                message: format!("must be 1 to 100, got {}", self.lbfgs_memory),
            });
        }
        if !(1..=20).contains(&self.cv_repeats) {
            return Err(Error::InvalidParam {
                name: "cv_repeats",
                message: format!("must be 1 to 20, got {}", self.cv_repeats),
            });
        }
        if self.folds > 100 {
            return Err(Error::InvalidParam {
                name: "folds",
                message: format!("at most 100, got {}", self.folds),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        TrainParams::default().validate().unwrap();
    }

    #[test]
    fn rejects_bad_alpha_and_tolerance() {
        let p = TrainParams {
            alpha: 0.0,
            ..TrainParams::default()
        };
        assert!(matches!(
            p.validate(),
            Err(Error::InvalidParam { name: "alpha", .. })
        ));
        let p = TrainParams {
            tolerance: f64::NAN,
            ..TrainParams::default()
        };
        assert!(matches!(
            p.validate(),
            Err(Error::InvalidParam {
                name: "tolerance",
                ..
            })
        ));
    }

    #[test]
    fn rejects_a_concentration_power_out_of_range() {
        for power in [-1.0, 9.0, f64::NAN] {
            let p = TrainParams {
                concentration_power: power,
                ..TrainParams::default()
            };
            assert!(matches!(
                p.validate(),
                Err(Error::InvalidParam {
                    name: "concentration_power",
                    ..
                })
            ));
        }
    }
}
