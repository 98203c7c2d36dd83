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
    model = hb.Sequential(
        hb.Dense(3, 5, rng=0), hb.Sigmoid(), hb.Dense(5, 2, rng=1)
    )
    report = hb.gradient_check(
        model,
        hb.SoftmaxCrossEntropy(),
        rng.normal(size=(4, 3)),
        rng.integers(0, 2, 4),
    )
    assert report.relative_error < 1e-7
    assert report.verdict.startswith("correct")
    assert [name for name, _ in report.per_parameter] == [
        "0.W",
        "0.b",
        "2.W",
        "2.b",
    ]
    assert "0.W" in str(report)


def test_an_injected_bug_is_found_and_located(rng):
    model = hb.Sequential(hb.Dense(3, 5, rng=0), hb.Tanh(), BuggyDense(5, 2, rng=1))
    report = hb.gradient_check(
        model,
        hb.SoftmaxCrossEntropy(),
        rng.normal(size=(4, 3)),
        rng.integers(0, 2, 4),
    )
    assert report.relative_error > 1e-3
    assert report.worst == "2.b"
    assert report.verdict.startswith(("suspicious", "wrong"))


def test_thresholds():
    verdict = lambda e: hb.GradientCheckReport(e).verdict.split(":")[0]
    assert [verdict(e) for e in (1e-9, 1e-6, 1e-4, 1e-2)] == [
        "correct",
        "probably correct, but look at the parameters with the largest errors".split(
            ":"
        )[0],
        "suspicious",
        "wrong",
    ]


def test_dropout_is_refused_unless_the_mask_is_fixed(rng):
    model = hb.Sequential(
        hb.Dense(3, 5, rng=0),
        hb.ReLU(),
        hb.Dropout(0.5, rng=0),
        hb.Dense(5, 2, rng=1),
    )
    X, y = rng.normal(size=(4, 3)), rng.integers(0, 2, 4)
    with pytest.raises(
        ValueError, match="Dropout\\(keep_prob=0.5\\) draws a new mask"
    ):
        hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    report = hb.gradient_check(
        model, hb.SoftmaxCrossEntropy(), X, y, fix_dropout_mask=True
    )
    assert report.relative_error < 1e-6
    assert model[2].freeze_mask is False


def test_float32_is_refused_and_batch_norm_state_is_restored(rng):
    with pytest.raises(TypeError, match="float64 parameters"):
        hb.gradient_check(
            hb.Dense(3, 2).astype(np.float32),
            hb.MeanSquaredError(),
            np.ones((2, 3), np.float32),
            np.ones((2, 2)),
        )
    model = hb.Sequential(
        hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 2, rng=1)
    )
    before = model[1].running_mean.copy()
    hb.gradient_check(
        model,
        hb.SoftmaxCrossEntropy(),
        rng.normal(size=(6, 3)),
        rng.integers(0, 2, 6),
    )
    np.testing.assert_array_equal(model[1].running_mean, before)


# --- a model inside a model: dropout and batch norm one level down are seen too


def nested(*inner):
    """A model with ``inner`` as an inner Sequential, two levels down."""
    return hb.Sequential(
        hb.Dense(3, 4, rng=0),
        hb.Sequential(hb.Tanh(), hb.Sequential(*inner)),
        hb.Dense(4, 2, rng=1),
    )


def test_dropout_inside_an_inner_model_is_refused_unless_the_mask_is_fixed(rng):
    dropout = hb.Dropout(0.5, rng=0)
    model = nested(dropout)
    X, y = rng.normal(size=(4, 3)), rng.integers(0, 2, 4)
    with pytest.raises(
        ValueError,
        match=r"^gradient_check: Dropout\(keep_prob=0.5\) draws a new mask .*"
        r"fix_dropout_mask=True$",
    ):
        hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    report = hb.gradient_check(
        model, hb.SoftmaxCrossEntropy(), X, y, fix_dropout_mask=True
    )
    assert report.relative_error < 1e-7
    assert dropout.freeze_mask is False  # as it was before the check


def test_batch_norm_inside_an_inner_model_keeps_its_running_statistics(rng):
    norm = hb.BatchNorm(4)
    model = nested(norm)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, 6)
    hb.fit(
        model,
        hb.SoftmaxCrossEntropy(),
        hb.optim.SGD(model.parameters(), lr=0.1),
        X,
        y,
        epochs=1,
        batch_size=6,
        rng=0,
    )  # statistics that are not the initial ones
    before = norm.running_mean.copy(), norm.running_var.copy()
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    assert report.relative_error < 1e-6
    np.testing.assert_array_equal(norm.running_mean, before[0])
    np.testing.assert_array_equal(norm.running_var, before[1])


def test_the_parameters_of_a_nested_model_are_named_by_leaf_layer(rng):
    model = nested(hb.BatchNorm(4))
    report = hb.gradient_check(
        model,
        hb.SoftmaxCrossEntropy(),
        rng.normal(size=(6, 3)),
        rng.integers(0, 2, 6),
    )
    # leaf layers: 0 Dense, 1 Tanh, 2 BatchNorm, 3 Dense
    assert [name for name, _ in report.per_parameter] == [
        "0.W",
        "0.b",
        "2.gamma",
        "2.beta",
        "3.W",
        "3.b",
    ]


def test_a_nan_is_never_agreement():
    """NaN inputs once gave a relative error of 0 and the verdict "correct"; now they are
    refused up front, and a NaN parameter stops the check at its starting point."""
    rng = np.random.default_rng(0)
    model = hb.Sequential(hb.Dense(4, 3, rng=0), hb.ReLU(), hb.Dense(3, 2, rng=1))
    X = rng.normal(size=(10, 4))
    X[0, 0] = np.nan
    with pytest.raises(
        ValueError, match="^gradient_check: X must be finite everywhere, got 1 NaN"
    ):
        hb.gradient_check(model, hb.MeanSquaredError(), X, np.zeros((10, 2)))
    X[0, 0] = 0.0
    model[0].W.value[0, 0] = np.nan
    with pytest.raises(
        FloatingPointError, match="cost is nan at the starting point"
    ):
        hb.gradient_check(model, hb.MeanSquaredError(), X, np.zeros((10, 2)))
    assert np.isnan(
        hb.gradcheck.relative_error(np.array([np.nan]), np.array([np.nan]))
    )
    report = hb.GradientCheckReport(float("nan"), [])
    assert report.verdict.startswith("not finite")


# --- bad inputs: refused up front, naming gradient_check (or the class) and the argument


import re

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def _mlp():
    return hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 3, rng=1))


_X = np.random.default_rng(0).normal(size=(6, 3))
_y = np.arange(6) % 3


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            {"model": hb.Sequential},
            "model must be an instance, such as hb.Sequential(...), got the class Sequential",
        ),
        (
            {"model": "mlp"},
            "model must be an object with forward, backward, parameters",
        ),
        (
            {"loss": hb.SoftmaxCrossEntropy},
            "loss must be an instance, such as hb.SoftmaxCrossEntropy(), got the class",
        ),
        ({"loss": len}, "loss must be an object with forward, backward"),
        (
            {"regularizer": hb.L2},
            "regularizer must be an instance, such as hb.L2(1e-4), got the class L2",
        ),
        (
            {"regularizer": 1e-4},
            "regularizer must be an object with penalty, add_gradient",
        ),
        (
            {"fix_dropout_mask": "no"},
            "fix_dropout_mask must be True or False, got 'no'",
        ),
        ({"eps": "1e-7"}, "eps must be a real number, got '1e-7'"),
        ({"X": _X.astype(str)}, "X must be an array of real numbers, got dtype <U"),
        (
            {"X": _X.astype(np.float32)},
            "X must be float64 inputs like the parameters",
        ),
        ({"y": _y.astype(str)}, "y must be an array of real numbers, got dtype <U"),
    ],
)
def test_objects_of_the_wrong_kind_are_type_errors(change, expected):
    arguments = {
        "model": _mlp(),
        "loss": hb.SoftmaxCrossEntropy(),
        "X": _X,
        "y": _y,
        **change,
    }
    with pytest.raises(TypeError, match=f"^gradient_check: {re.escape(expected)}"):
        hb.gradient_check(**arguments)


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            {"X": np.ones((0, 3)), "y": _y[:0]},
            "X must be a (batch, features) array with at least one row, got shape (0, 3)",
        ),
        (
            {"X": np.ones(3)},
            "X must be a (batch, features) array with at least one row, got shape (3,)",
        ),
        (
            {"y": _y[:4]},
            "X and y must be of the same length (one label per row), got 6 rows and shape (4,)",
        ),
        (
            {"loss": hb.MeanSquaredError(), "y": np.full((6, 3), np.inf)},
            "y must be finite everywhere, got 18",
        ),
        ({"eps": 0}, "eps must be in [1e-10, 0.001], got 0"),
    ],
)
def test_wrong_values_are_value_errors(change, expected):
    arguments = {
        "model": _mlp(),
        "loss": hb.SoftmaxCrossEntropy(),
        "X": _X,
        "y": _y,
        **change,
    }
    with pytest.raises(ValueError, match=f"^gradient_check: {re.escape(expected)}"):
        hb.gradient_check(**arguments)


def test_lists_and_integers_are_converted():
    expected = hb.gradient_check(
        _mlp(), hb.SoftmaxCrossEntropy(), _X, _y
    ).relative_error
    report = hb.gradient_check(
        _mlp(), hb.SoftmaxCrossEntropy(), _X.tolist(), _y.tolist()
    )
    assert report.relative_error == expected < 1e-7
    ones = hb.gradient_check(
        _mlp(), hb.SoftmaxCrossEntropy(), np.ones((6, 3), int), _y
    )
    assert ones.relative_error < 1e-7


def test_the_helpers_refuse_a_class_too():
    with pytest.raises(
        TypeError, match="^parameter_names: model must be an instance"
    ):
        hb.gradcheck.parameter_names(hb.Sequential)
    with pytest.raises(TypeError, match="^frozen: model must be an instance"):
        hb.gradcheck.frozen(hb.Sequential, False)
    with pytest.raises(
        TypeError, match="^frozen: fix_dropout_mask must be True or False"
    ):
        hb.gradcheck.frozen(_mlp(), 1)


# --- the report


def test_the_worst_parameter_of_an_empty_report_is_an_error():
    with pytest.raises(
        ValueError,
        match=r"^GradientCheckReport: per_parameter must be a "
        r"non-empty list of \(name, error\) pairs",
    ):
        hb.GradientCheckReport(0.0).worst


def test_a_nan_error_is_the_worst():
    """max() once compared NaN as neither larger nor smaller: the answer hung on the order."""
    for rows in (
        [("0.W", 1e-3), ("0.b", np.nan), ("1.W", 0.1)],
        [("0.b", np.nan), ("0.W", 1e-3), ("1.W", 0.1)],
        [("0.W", 1e-3), ("1.W", 0.1), ("0.b", np.nan)],
    ):
        assert hb.GradientCheckReport(float("nan"), rows).worst == "0.b"


@pytest.mark.parametrize(
    "arguments, error, expected",
    [
        (("0.0",), TypeError, "relative_error must be a real number, got '0.0'"),
        ((None,), TypeError, "relative_error must be a real number, got None"),
        ((-1e-3,), ValueError, "relative_error must be >= 0 (or NaN), got -0.001"),
        (
            (0.0, "0.W"),
            TypeError,
            "per_parameter must be a list of (name, error) pairs, got '0.W'",
        ),
        (
            (0.0, [0.1]),
            TypeError,
            "per_parameter must be a list of (name, error) pairs, got the item 0.1",
        ),
        (
            (0.0, [("0.W", "small")]),
            TypeError,
            "the error of '0.W' in per_parameter must be a real number",
        ),
        (
            (0.0, [("0.W", -1.0)]),
            ValueError,
            "the error of '0.W' in per_parameter must be >= 0 (or NaN)",
        ),
    ],
)
def test_a_report_refuses_what_no_check_returns(arguments, error, expected):
    with pytest.raises(error, match=f"^GradientCheckReport: {re.escape(expected)}"):
        hb.GradientCheckReport(*arguments)


# --- relative_error


def test_relative_error_compares_arrays_of_one_shape_only():
    """Broadcasting once compared every entry of a with the one entry of b."""
    with pytest.raises(
        ValueError,
        match=r"^relative_error: a and b must be arrays of the same "
        r"shape, got shapes \(3,\) and \(1,\)$",
    ):
        hb.gradcheck.relative_error(np.ones(3), np.ones(1))
    with pytest.raises(
        TypeError, match="^relative_error: b must be an array of real numbers"
    ):
        hb.gradcheck.relative_error([1.0], ["1.0"])
    assert hb.gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0


_arrays = hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e6, 1e6))


@given(_arrays, st.data())
def test_relative_error_is_symmetric_between_0_and_1(a, data):
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=st.floats(-1e6, 1e6)))
    e = hb.gradcheck.relative_error(a, b)
    assert e == hb.gradcheck.relative_error(b, a)
    assert 0.0 <= e <= 1.0 + 1e-12
    assert hb.gradcheck.relative_error(a, a) == 0.0
