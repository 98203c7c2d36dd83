"""Gradient checking finds bugs, names the parameter, and refuses what it cannot check."""

import numpy as np
import pytest

import handbook as hb


class BuggyDense(hb.Dense):
    def backward(self, dz, input_grad=True):
        dx = super().backward(dz, input_grad)
        self.b.grad = self.b.grad * 1.1  # a 10 % error in the bias gradient
        return dx


def test_a_correct_network_passes_with_the_best_verdict(rng):
    model = hb.Sequential(hb.Dense(3, 5, rng=0), hb.Sigmoid(), hb.Dense(5, 2, rng=1))
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), rng.normal(size=(4, 3)), rng.integers(0, 2, 4))
    assert report.relative_error < 1e-7
    assert report.verdict.startswith("correct")
    assert [name for name, _ in report.per_parameter] == ["0.W", "0.b", "2.W", "2.b"]
    assert "0.W" in str(report)


def test_an_injected_bug_is_found_and_located(rng):
    model = hb.Sequential(hb.Dense(3, 5, rng=0), hb.Tanh(), BuggyDense(5, 2, rng=1))
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), rng.normal(size=(4, 3)), rng.integers(0, 2, 4))
    assert report.relative_error > 1e-3
    assert report.worst == "2.b"
    assert report.verdict.startswith(("suspicious", "wrong"))


def test_thresholds():
    verdict = lambda e: hb.GradientCheckReport(e).verdict.split(":")[0]
    assert [verdict(e) for e in (1e-9, 1e-6, 1e-4, 1e-2)] == ["correct", "probably correct, but look at the parameters with the largest errors".split(":")[0], "suspicious", "wrong"]


def test_dropout_is_refused_unless_the_mask_is_fixed(rng):
    model = hb.Sequential(hb.Dense(3, 5, rng=0), hb.ReLU(), hb.Dropout(0.5, rng=0), hb.Dense(5, 2, rng=1))
    X, y = rng.normal(size=(4, 3)), rng.integers(0, 2, 4)
    with pytest.raises(ValueError, match="Dropout\\(keep_prob=0.5\\) draws a new mask"):
        hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y, fix_dropout_mask=True)
    assert report.relative_error < 1e-6
    assert model[2].freeze_mask is False


def test_float32_is_refused_and_batch_norm_state_is_restored(rng):
    with pytest.raises(TypeError, match="float64 parameters"):
        hb.gradient_check(hb.Dense(3, 2).astype(np.float32), hb.MeanSquaredError(),
                          np.ones((2, 3), np.float32), np.ones((2, 2)))
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 2, rng=1))
    before = model[1].running_mean.copy()
    hb.gradient_check(model, hb.SoftmaxCrossEntropy(), rng.normal(size=(6, 3)), rng.integers(0, 2, 6))
    np.testing.assert_array_equal(model[1].running_mean, before)


def test_a_nan_is_never_agreement():
    """NaN inputs once gave a relative error of 0 and the verdict "correct"."""
    rng = np.random.default_rng(0)
    model = hb.Sequential(hb.Dense(4, 3, rng=0), hb.ReLU(), hb.Dense(3, 2, rng=1))
    X = rng.normal(size=(10, 4))
    X[0, 0] = np.nan
    with pytest.raises(FloatingPointError, match="cost is nan at the starting point"):
        hb.gradient_check(model, hb.MeanSquaredError(), X, np.zeros((10, 2)))
    assert np.isnan(hb.gradcheck.relative_error(np.array([np.nan]), np.array([np.nan])))
    report = hb.GradientCheckReport(float("nan"), [])
    assert report.verdict.startswith("not finite")
