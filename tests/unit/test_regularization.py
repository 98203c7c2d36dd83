"""L1 and L2 penalties and gradients against hand-computed values."""

import numpy as np
import pytest

import handbook as hb


def tiny_model():
    layer = hb.Dense(2, 2, init=hb.init.zeros)
    layer.W.value[:] = [[1.0, -2.0], [3.0, 0.0]]
    layer.b.value[:] = [5.0, 5.0]
    layer.W.grad = np.zeros((2, 2))
    layer.b.grad = np.zeros(2)
    return layer


def test_l2_penalty_and_gradient_leave_the_bias_alone():
    model = tiny_model()
    l2 = hb.L2(lambd=0.4)
    assert l2.penalty(model, m=4) == pytest.approx(0.4 / 8 * 14)  # lambd/(2m) ||W||_F^2
    l2.add_gradient(model, m=4)
    np.testing.assert_allclose(model.W.grad, 0.1 * model.W.value)
    np.testing.assert_array_equal(model.b.grad, 0)


def test_l1_penalty_and_gradient():
    model = tiny_model()
    l1 = hb.L1(lambd=0.4)
    assert l1.penalty(model, m=4) == pytest.approx(0.1 * 6)  # lambd/m sum |W|
    l1.add_gradient(model, m=4)
    np.testing.assert_allclose(model.W.grad, [[0.1, -0.1], [0.1, 0.0]])


def test_include_bias_and_validation():
    model = tiny_model()
    assert hb.L2(1.0, include_bias=True).penalty(model, 1) == pytest.approx((14 + 50) / 2)
    with pytest.raises(ValueError, match="^L2: lambd must be >= 0, got -1.0$"):
        hb.L2(-1.0)
    with pytest.raises(ValueError, match="^L1: lambd must be >= 0, got -1$"):
        hb.L1(-1)
    with pytest.raises(ValueError, match="^soft_threshold: threshold must be >= 0"):
        hb.regularization.soft_threshold(np.ones(3), -0.1)


def test_regularized_network_passes_the_gradient_check(rng):
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Tanh(), hb.Dense(4, 2, rng=1))
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)
    for reg in (hb.L2(0.7), hb.L1(0.7)):
        assert hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y, regularizer=reg).relative_error < 1e-6


def test_soft_threshold_shrinks_by_a_fixed_amount_and_zeroes_small_weights():
    w = np.array([0.01, 1.0, -10.0, -0.05])
    np.testing.assert_allclose(hb.soft_threshold(w, 0.1), [0.0, 0.9, -9.9, 0.0])
    l2 = w * (1 - 0.1)  # L2's step multiplies by a factor instead
    assert np.all(l2 != 0)
