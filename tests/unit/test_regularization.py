"""L1 and L2 penalties and gradients against hand-computed values."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
    assert l2.penalty(model, m=4) == pytest.approx(
        0.4 / 8 * 14
    )  # lambd/(2m) ||W||_F^2
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
    assert hb.L2(1.0, include_bias=True).penalty(model, 1) == pytest.approx(
        (14 + 50) / 2
    )
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
        assert (
            hb.gradient_check(
                model, hb.SoftmaxCrossEntropy(), X, y, regularizer=reg
            ).relative_error
            < 1e-6
        )


def test_soft_threshold_shrinks_by_a_fixed_amount_and_zeroes_small_weights():
    w = np.array([0.01, 1.0, -10.0, -0.05])
    np.testing.assert_allclose(hb.soft_threshold(w, 0.1), [0.0, 0.9, -9.9, 0.0])
    l2 = w * (1 - 0.1)  # L2's step multiplies by a factor instead
    assert np.all(l2 != 0)


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("penalty", [hb.L2(0.1), hb.L1(0.1)])
@pytest.mark.parametrize(
    "model, shown",
    [
        (
            tiny_model().parameters,
            r"Dense.parameters, a function \(pass the model, or call it\)",
        ),
        (np.ones(3), r"an array of shape \(3,\)"),
        ([np.ones((2, 2))], r"list \[array"),
        (None, "NoneType None"),
        ("model", "str 'model'"),
    ],
)
def test_a_penalty_takes_a_model_or_a_list_of_parameters(penalty, model, shown):
    name = type(penalty).__name__
    for call in (penalty.penalty, penalty.add_gradient):
        with pytest.raises(
            TypeError,
            match=rf"^{name}\(lambd=0.1\): model must be a model \(with parameters\(\)\) "
            rf"or a list of Parameters, got {shown}",
        ):
            call(model, 4)
    assert penalty.penalty(tiny_model().parameters(), 4) == penalty.penalty(
        tiny_model(), 4
    )


@pytest.mark.parametrize("penalty", [hb.L2(0.1), hb.L1(0.1)])
def test_add_gradient_before_any_backward_is_a_runtime_error(penalty):
    model = hb.Sequential(hb.Dense(3, 2, rng=0))
    with pytest.raises(
        RuntimeError,
        match=rf"^{type(penalty).__name__}\(lambd=0.1\): model must be backpropagated first "
        r"\(add_gradient adds to its gradients\), got no gradient$",
    ):
        penalty.add_gradient(model, 4)
    model.forward(np.ones((4, 3)))
    model.backward(np.ones((4, 2)))
    before = model[0].W.grad.copy()
    penalty.add_gradient(model, 4)
    assert not np.array_equal(model[0].W.grad, before)


@pytest.mark.parametrize(
    "m, error",
    [(0, ValueError), (-5, ValueError), (2.5, TypeError), ("4", TypeError)],
)
def test_the_batch_size_is_a_whole_number_for_the_penalty_and_its_gradient(
    m, error
):
    for penalty in (hb.L2(0.1), hb.L1(0.1)):
        for call in (penalty.penalty, penalty.add_gradient):
            with pytest.raises(
                error,
                match=rf"^{type(penalty).__name__}\(lambd=0.1\): m \(the batch size\) must be",
            ):
                call(tiny_model(), m)


def test_include_bias_is_a_flag():
    with pytest.raises(
        TypeError, match="^L2: include_bias must be True or False, got 'no'$"
    ):
        hb.L2(0.1, include_bias="no")


@pytest.mark.parametrize(
    "w, threshold, error, message",
    [
        (
            np.array(["a"]),
            0.1,
            TypeError,
            r"^soft_threshold: w must be an array of real numbers, got dtype <U1$",
        ),
        (
            np.array([1 + 1j]),
            0.1,
            TypeError,
            r"^soft_threshold: w must be an array of real numbers, got dtype complex128$",
        ),
        (
            [1.0, None],
            0.1,
            TypeError,
            r"^soft_threshold: w must be an array of real numbers, got dtype object$",
        ),
        (
            np.ones(3),
            np.array([0.1, 0.2]),
            TypeError,
            r"^soft_threshold: threshold must be a real number",
        ),
        (
            np.ones(3),
            np.nan,
            ValueError,
            r"^soft_threshold: threshold must be finite, got nan$",
        ),
        (
            np.ones(3),
            -0.1,
            ValueError,
            r"^soft_threshold: threshold must be >= 0, got -0.1$",
        ),
    ],
)
def test_soft_threshold_takes_real_weights_and_a_non_negative_threshold(
    w, threshold, error, message
):
    with pytest.raises(error, match=message):
        hb.soft_threshold(w, threshold)


def test_soft_threshold_converts_a_list_and_integers():
    np.testing.assert_allclose(hb.soft_threshold([1.0, -0.05], 0.1), [0.9, 0.0])
    assert hb.soft_threshold(np.array([3, -1]), 2).dtype == np.float64


@given(
    hnp.arrays(np.float64, st.integers(0, 20), elements=st.floats(-1e6, 1e6)),
    st.floats(0, 1e3),
)
def test_soft_threshold_shrinks_every_weight_by_at_most_the_threshold_and_never_across_zero(
    w, t
):
    shrunk = hb.soft_threshold(w, t)
    assert shrunk.shape == w.shape
    assert np.all(np.abs(shrunk) <= np.abs(w))
    assert np.all(shrunk * w >= 0)
    np.testing.assert_allclose(
        np.abs(w) - np.abs(shrunk), np.minimum(np.abs(w), t), rtol=1e-9, atol=1e-9
    )


# ------------------------------------------------------- low-precision weights


@pytest.mark.parametrize(
    "penalty, per_weight", [(hb.L2(0.5), 300.0**2 / 2), (hb.L1(0.5), 300.0)]
)
def test_a_penalty_of_float16_weights_is_summed_in_float64(penalty, per_weight):
    # 300 squared overflows float16, and so do 90,000 weights of 300 summed
    layer = hb.Dense(300, 300, init=hb.init.zeros, dtype=np.float16)
    layer.W.value[:] = -300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = penalty.penalty(layer, 1)
    assert type(value) is float
    assert value == pytest.approx(0.5 * 300 * 300 * per_weight)


@pytest.mark.parametrize("penalty", [hb.L2(0.1), hb.L1(0.1)])
def test_a_penalty_of_float32_weights_is_a_float_and_matches_float64(penalty):
    layer = hb.Dense(50, 40, rng=0, dtype=np.float32)
    wide = hb.Dense(50, 40, init=hb.init.zeros)
    wide.W.value[:] = layer.W.value
    value = penalty.penalty(layer, 8)
    assert type(value) is float
    assert value == penalty.penalty(wide, 8)
