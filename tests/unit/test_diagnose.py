"""The bias/variance diagnosis on the course's four cases."""

import pytest

import handbook as hb


@pytest.mark.parametrize(
    "train, dev, verdict",
    [
        (0.01, 0.11, "high variance"),
        (0.15, 0.16, "high bias"),
        (0.15, 0.30, "high bias and high variance"),
        (0.005, 0.01, "low bias and low variance"),
    ],
)
def test_the_four_classic_cases(train, dev, verdict):
    assert hb.diagnose.bias_variance(train, dev).verdict == verdict


def test_bayes_error_changes_the_verdict_and_the_recipe():
    d = hb.diagnose.bias_variance(0.15, 0.16, bayes_error=0.15)
    assert d.verdict == "low bias and low variance" and d.next_steps == []
    d = hb.diagnose.bias_variance(0.15, 0.30)
    assert (
        "a bigger network (more units or layers)" in d.next_steps
        and "more training data" in d.next_steps
    )
    assert len(d.next_steps) == len(set(d.next_steps))
    assert "avoidable bias 15.0%, variance 15.0%" in str(d)


def test_errors_must_be_fractions():
    with pytest.raises(
        ValueError, match=r"^bias_variance: dev_error must be in \[0, 1\], got 11$"
    ):
        hb.diagnose.bias_variance(0.01, 11)


def test_gradient_norms_follow_the_layers():
    import numpy as np

    model = hb.Sequential(
        hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 2, bias=False, rng=1)
    )
    x = np.ones((5, 3))
    model.forward(x)
    model.backward(np.ones((5, 2)))
    norms = hb.diagnose.gradient_norms(model)
    assert [name for name, _ in norms] == ["0.W", "2.W"]
    assert norms[1][1] == pytest.approx(np.linalg.norm(model[2].W.grad))


def _digits_model(rng=0, out_init="xavier_normal"):
    import numpy as np

    rng = np.random.default_rng(rng)
    return hb.Sequential(
        hb.Dense(64, 32, rng=rng),
        hb.ReLU(),
        hb.Dense(32, 10, init=out_init, rng=rng),
    )


def test_checkup_passes_a_healthy_model_and_catches_three_bugs():
    import numpy as np

    X, y = hb.datasets.digits()
    X, y = X[:200], y[:200]
    healthy = hb.diagnose.checkup(_digits_model(), hb.SoftmaxCrossEntropy(), X, y)
    assert healthy.passed, str(healthy)
    huge_logits = hb.diagnose.checkup(
        _digits_model(out_init=hb.init.normal(30.0)), hb.SoftmaxCrossEntropy(), X, y
    )
    assert {"initial loss", "initial outputs"} <= set(huge_logits.failed())
    raw = X * np.r_[np.ones(32), np.full(32, 1000.0)]
    assert (
        "input scales"
        in hb.diagnose.checkup(
            _digits_model(), hb.SoftmaxCrossEntropy(), raw, y
        ).failed()
    )
    with_nan = X.copy()
    with_nan[3, 5] = np.nan
    assert (
        "finite inputs"
        in hb.diagnose.checkup(
            _digits_model(), hb.SoftmaxCrossEntropy(), with_nan, y
        ).failed()
    )
    assert "FAIL" in str(huge_logits) and "fix:" in str(huge_logits)


def test_first_nonfinite_layer_and_activation_statistics():
    import numpy as np

    model = hb.Sequential(
        hb.Dense(2, 3, init=hb.init.constant(1e308)),
        hb.Tanh(),
        hb.Dense(3, 2, rng=0),
    )
    X = np.ones((4, 2))
    assert hb.diagnose.first_nonfinite_layer(model, X) == "0: Dense(2 -> 3)"
    assert (
        hb.diagnose.first_nonfinite_layer(_digits_model(), np.zeros((2, 64)))
        is None
    )
    assert (
        hb.diagnose.first_nonfinite_layer(model, np.full((1, 2), np.nan))
        == "the input data"
    )
    stats = hb.diagnose.activation_stats(
        hb.Sequential(hb.Dense(2, 3, init=hb.init.constant(10.0)), hb.Tanh()),
        np.ones((4, 2)),
    )
    assert stats[1]["saturated"] == 1.0
    dead = hb.Sequential(hb.Dense(2, 4, init=hb.init.constant(-1.0)), hb.ReLU())
    assert hb.diagnose.dead_relu_fraction(dead, np.ones((5, 2))) == [
        ("1: ReLU()", 1.0)
    ]


def test_shuffled_label_check_separates_real_from_shuffled_labels():
    X, y = hb.datasets.digits()
    scores = hb.diagnose.shuffled_label_check(
        lambda: _digits_model(),
        hb.SoftmaxCrossEntropy(),
        X[:400],
        y[:400],
        X[400:800],
        y[400:800],
        epochs=15,
    )
    assert scores["labels"] > 0.85
    assert scores["shuffled labels"] < scores["chance"] + 0.1


def test_tolerance_decides_what_counts_as_high():
    assert (
        hb.diagnose.bias_variance(0.05, 0.08).verdict
        == "high bias and high variance"
    )
    assert (
        hb.diagnose.bias_variance(0.05, 0.08, tolerance=0.05).verdict
        == "low bias and low variance"
    )
    with pytest.raises(
        ValueError, match=r"^bias_variance: tolerance must be in \[0, 1\]"
    ):
        hb.diagnose.bias_variance(0.05, 0.08, tolerance=2)


# --- bad inputs: each is refused up front, naming the function called and its argument


import re
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

DG = hb.diagnose


def _mlp(k=3):
    return hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, k, rng=1))


_X = np.random.default_rng(0).normal(size=(40, 3))
_y = np.arange(40) % 3
_SCE = hb.SoftmaxCrossEntropy


def _calls(model=None, loss=None, X=_X, y=_y):
    """Every function of the module that takes a model (and a loss, X, y), called with
    the given arguments and sound defaults for the others: (who, call)."""
    model = _mlp() if model is None else model
    loss = _SCE() if loss is None else loss
    return [
        ("activation_stats", lambda: DG.activation_stats(model, X)),
        ("dead_relu_fraction", lambda: DG.dead_relu_fraction(model, X)),
        ("first_nonfinite_layer", lambda: DG.first_nonfinite_layer(model, X)),
        ("largest_logit", lambda: DG.largest_logit(model, X)),
        ("mixing", lambda: DG.mixing(model, X)),
        ("initial_loss", lambda: DG.initial_loss(model, loss, X, y)),
        (
            "overfit_tiny_batch",
            lambda: DG.overfit_tiny_batch(model, loss, X, y, steps=2),
        ),
        ("checkup", lambda: DG.checkup(model, loss, X, y, tiny_steps=2)),
    ]


@pytest.mark.parametrize(
    "value, error, expected",
    [
        (20, ValueError, r"must be in \[0, 1\], got 20"),  # a percentage
        (-0.1, ValueError, r"must be in \[0, 1\], got -0.1"),
        (np.nan, ValueError, "must be finite, got nan"),
        ("0.1", TypeError, "must be a real number, got '0.1'"),
        (None, TypeError, "must be a real number, got None"),
        (True, TypeError, "must be a real number, got True"),
        (np.array([0.1, 0.2]), TypeError, "must be a real number"),
    ],
)
@pytest.mark.parametrize(
    "argument", ["train_error", "dev_error", "bayes_error", "tolerance"]
)
def test_bias_variance_refuses_what_is_not_a_fraction(
    argument, value, error, expected
):
    errors = {
        "train_error": 0.1,
        "dev_error": 0.2,
        "bayes_error": 0.0,
        "tolerance": 0.02,
    }
    errors[argument] = value
    with pytest.raises(error, match=f"^bias_variance: {argument} {expected}"):
        DG.bias_variance(**errors)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_bias_variance_reads_any_fractions_as_the_two_gaps(
    train, dev, bayes, tolerance
):
    d = DG.bias_variance(train, dev, bayes_error=bayes, tolerance=tolerance)
    assert d.avoidable_bias == train - bayes and d.variance == dev - train
    assert d.high_bias == (train - bayes > tolerance)
    assert d.high_variance == (dev - train > tolerance)


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).filter(
            lambda v: not 0 <= v <= 1
        ),
        # beyond int64, validation.number's np.isfinite fails (reported)
        st.integers(-(2**62), 2**62).filter(lambda v: v not in (0, 1)),
    )
)
def test_bias_variance_refuses_any_number_outside_the_unit_interval(value):
    with pytest.raises(ValueError, match="^bias_variance: dev_error must be"):
        DG.bias_variance(0.1, value)


def test_every_function_refuses_a_model_class():
    for who, call in _calls(model=hb.Sequential):
        with pytest.raises(
            TypeError,
            match=f"^{who}: model must be an instance, such as "
            r"hb.Sequential\(...\), got the class Sequential$",
        ):
            call()
    with pytest.raises(
        TypeError, match="^gradient_norms: model must be an instance"
    ):
        DG.gradient_norms(hb.Sequential)


def test_every_function_refuses_an_object_that_is_no_model():
    for who, call in _calls(model="a model"):
        with pytest.raises(
            TypeError, match=f"^{who}: model must be an object with forward"
        ):
            call()


def test_every_function_taking_a_loss_refuses_a_loss_class():
    for who, call in _calls(loss=_SCE)[5:]:
        with pytest.raises(
            TypeError,
            match=f"^{who}: loss must be an instance, such as "
            r"hb.SoftmaxCrossEntropy\(\), got the class",
        ):
            call()
    with pytest.raises(
        TypeError, match="^shuffled_label_check: loss must be an instance"
    ):
        DG.shuffled_label_check(_mlp, _SCE, _X, _y, _X, _y, epochs=1)


@pytest.mark.parametrize(
    "X, error, expected",
    [
        (
            np.ones((0, 3)),
            ValueError,
            r"X must be a \(batch, features\) array with at least one "
            r"row, got shape \(0, 3\)",
        ),
        (
            np.ones(3),
            ValueError,
            r"X must be a \(batch, features\) array .* got shape \(3,\)",
        ),
        (
            _X.astype(str),
            TypeError,
            "X must be an array of real numbers, got dtype <U",
        ),
        (
            np.array([[1, None, 2]], dtype=object),
            TypeError,
            "X must be an array of real numbers, got dtype object",
        ),
        (
            _X.astype(complex),
            TypeError,
            "X must be an array of real numbers, got dtype complex",
        ),
    ],
)
def test_every_function_refuses_inputs_that_are_no_batch_of_real_numbers(
    X, error, expected
):
    for who, call in _calls(X=X, y=_y[: len(X)]):
        with pytest.raises(error, match=f"^{who}: {expected}"):
            call()


def test_inputs_with_nan_are_refused_except_by_the_checks_that_report_them():
    X = _X.copy()
    X[3, 1] = np.nan
    reporting = {"first_nonfinite_layer", "checkup"}
    for who, call in _calls(X=X):
        if who in reporting:
            continue
        with pytest.raises(
            ValueError, match=f"^{who}: X must be finite everywhere, got 1 NaN"
        ):
            call()
    assert DG.first_nonfinite_layer(_mlp(), X) == "the input data"
    assert DG.checkup(_mlp(), _SCE(), X, _y, tiny_steps=2).failed() == [
        "finite inputs"
    ]


def test_lists_are_taken_as_arrays():
    assert DG.largest_logit(_mlp(), _X.tolist()) == DG.largest_logit(_mlp(), _X)
    assert DG.initial_loss(
        _mlp(), _SCE(), _X.tolist(), _y.tolist()
    ) == DG.initial_loss(_mlp(), _SCE(), _X, _y)


@pytest.mark.parametrize(
    "y, error, expected",
    [
        (
            _y[:30],
            ValueError,
            r"X and y must be of the same length \(one label per row\), "
            r"got 40 rows and shape \(30,\)",
        ),
        (
            _y.astype(str),
            TypeError,
            "y must be an array of real numbers, got dtype <U",
        ),
        (None, TypeError, "y must be an array with one row per example, got None"),
        (
            np.full(40, np.nan),
            ValueError,
            "y must be finite everywhere, got 40 NaN",
        ),
    ],
)
def test_labels_must_be_one_real_number_per_row(y, error, expected):
    for who, call in _calls(y=y)[5:]:
        with pytest.raises(error, match=f"^{who}: {expected}"):
            call()


@pytest.mark.parametrize(
    "argument, value, error, expected",
    [
        ("steps", 0, ValueError, "steps must be >= 1, got 0"),
        (
            "steps",
            -1,
            ValueError,
            "steps must be >= 1, got -1",
        ),  # once 0 steps, untrained loss
        ("steps", 2.5, TypeError, "steps must be a whole number >= 1, got 2.5"),
        ("steps", True, TypeError, "steps must be a whole number >= 1, got True"),
        (
            "size",
            0,
            ValueError,
            "size must be >= 1, got 0",
        ),  # once the loss's empty-batch error
        ("size", 1.5, TypeError, "size must be a whole number >= 1, got 1.5"),
        ("lr", -1, ValueError, "lr must be > 0, got -1"),  # once Adam's error
        ("lr", 0, ValueError, "lr must be > 0, got 0"),
        ("lr", np.nan, ValueError, "lr must be finite, got nan"),
        ("lr", "0.01", TypeError, "lr must be a real number, got '0.01'"),
    ],
)
def test_overfit_tiny_batch_checks_its_settings_itself(
    argument, value, error, expected
):
    with pytest.raises(error, match=f"^overfit_tiny_batch: {expected}$"):
        DG.overfit_tiny_batch(
            _mlp(), _SCE(), _X, _y, **{"steps": 2, argument: value}
        )


@pytest.mark.parametrize(
    "value, error",
    [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("300", TypeError)],
)
def test_checkup_refuses_a_tiny_steps_that_is_not_a_count(value, error):
    # tiny_steps=0 once trained nothing and blamed the model for not memorizing
    with pytest.raises(error, match="^checkup: tiny_steps must be"):
        DG.checkup(_mlp(), _SCE(), _X, _y, tiny_steps=value)


def test_a_model_without_parameters_is_refused_before_training():
    for who, call in _calls(model=hb.Sequential(hb.ReLU()))[6:]:
        with pytest.raises(
            ValueError, match=f"^{who}: model must be a model with parameters"
        ):
            call()


def test_the_expected_initial_loss_needs_a_loss_that_classifies():
    """log K means nothing for mean squared error: refused, not returned."""
    regression = hb.Sequential(hb.Dense(3, 1, rng=0))
    with pytest.raises(
        TypeError,
        match=r"^initial_loss: loss must be a loss that classifies, "
        r"such as hb.SoftmaxCrossEntropy\(\), got MeanSquaredError",
    ):
        DG.initial_loss(regression, hb.MeanSquaredError(), _X, _y * 1.0)
    value, expected = DG.initial_loss(
        regression, hb.BinaryCrossEntropy(), _X, _y % 2
    )
    assert expected == pytest.approx(np.log(2))
    # the checkup of a regression model skips the classification checks instead
    names = [
        c.name
        for c in DG.checkup(
            regression, hb.MeanSquaredError(), _X, _y * 1.0, tiny_steps=2
        ).checks
    ]
    assert "initial loss" not in names and "label balance" not in names


def test_gradient_norms_before_any_backward_is_an_error_not_an_empty_list():
    with pytest.raises(
        RuntimeError,
        match=r"^gradient_norms: model must have weight "
        r"gradients \(call backward first\), got none$",
    ):
        DG.gradient_norms(hb.Sequential(hb.Dense(2, 2)))
    with pytest.raises(
        RuntimeError, match="^gradient_norms: model must have weight gradients"
    ):
        DG.gradient_norms(hb.Sequential(hb.ReLU()))


# --- shuffled_label_check: its own arguments, checked before the first model trains


def test_shuffled_label_check_takes_a_function_that_builds_a_model_not_a_model():
    with pytest.raises(
        TypeError,
        match=r"^shuffled_label_check: make_model must be a "
        r"function \(one that builds a new model, such as "
        r"lambda: hb.Sequential\(...\)\), got Sequential",
    ):
        DG.shuffled_label_check(_mlp(), _SCE(), _X, _y, _X, _y, epochs=1)


@pytest.mark.parametrize(
    "change, error, expected",
    [
        (
            {"loss": hb.MeanSquaredError()},
            TypeError,
            "loss must be a loss that classifies, such as hb.SoftmaxCrossEntropy()",
        ),
        (
            {"y": _y * 1.0},
            ValueError,
            "y must be class labels: one integer per row, got dtype float64",
        ),
        (
            {"y_dev": _y * 1.0},
            ValueError,
            "y_dev must be class labels: one integer per row",
        ),
        (
            {"y": _y - 1},
            ValueError,
            "y must be class labels >= 0, got labels from -1",
        ),
        (
            {"y_dev": np.eye(3, dtype=int)[_y]},
            ValueError,
            "y_dev must be class labels: one integer",
        ),
        (
            {"y_dev": _y[:5]},
            ValueError,
            "X_dev and y_dev must be of the same length",
        ),
        (
            {"X_dev": _X[:, :2]},
            ValueError,
            "X_dev must be of 3 features like X, got 2 features",
        ),
        (
            {"X_dev": np.ones((0, 3)), "y_dev": _y[:0]},
            ValueError,
            "X_dev must be a (batch, features)",
        ),
        ({"X": _X.astype(str)}, TypeError, "X must be an array of real numbers"),
        (
            {"epochs": 0},
            ValueError,
            "epochs must be >= 1, got 0",
        ),  # once hb.fit's error
        ({"epochs": 1.5}, TypeError, "epochs must be a whole number >= 1"),
        ({"rng": "seed"}, TypeError, "rng must be a seed"),
    ],
)
def test_shuffled_label_check_refuses_before_training(change, error, expected):
    built = []
    arguments = {
        "make_model": lambda: built.append(1) or _mlp(),
        "loss": _SCE(),
        "X": _X,
        "y": _y,
        "X_dev": _X,
        "y_dev": _y,
        "epochs": 1,
        **change,
    }
    with pytest.raises(
        error, match=f"^shuffled_label_check: {re.escape(expected)}"
    ):
        DG.shuffled_label_check(**arguments)
    assert built == []  # no model was built, let alone trained


_SHARED = _mlp()
_SHARED_LAYER = hb.Dense(3, 8, rng=0)


NEW_MODEL = (
    "make_model must be a function that builds a new model at every call, such "
    "as lambda: hb.Sequential(hb.Dense(64, 10), ...), got one that gives "
)


@pytest.mark.parametrize(
    "make_model, error, expected",
    [
        (lambda: _SHARED, ValueError, NEW_MODEL + "the same model twice"),
        (
            lambda: hb.Sequential(_SHARED_LAYER, hb.ReLU(), hb.Dense(8, 3, rng=1)),
            ValueError,
            NEW_MODEL + "models that share parameters",
        ),
        (lambda: None, TypeError, "make_model() must be an object with forward"),
        (lambda: hb.Sequential, TypeError, "make_model() must be an instance"),
    ],
)
def test_shuffled_label_check_needs_a_new_model_for_each_run(
    make_model, error, expected
):
    held = [*_SHARED.parameters(), *_SHARED_LAYER.parameters()]
    before = [p.value.copy() for p in held]
    with pytest.raises(
        error, match=f"^shuffled_label_check: {re.escape(expected)}"
    ):
        DG.shuffled_label_check(make_model, _SCE(), _X, _y, _X, _y, epochs=1)
    # refused before any training
    assert all(
        np.array_equal(p.value, b) for p, b in zip(held, before, strict=True)
    )


def test_shuffled_label_check_trains_each_model_make_model_builds_once():
    built = []

    def make_model():
        built.append(_mlp())
        return built[-1]

    DG.shuffled_label_check(make_model, _SCE(), _X, _y, _X, _y, epochs=1)
    assert len(built) == 2 and built[0] is not built[1]


def test_shuffled_label_check_scores_with_the_loss_so_a_logistic_output_counts():
    """With one logistic output, argmax over the outputs was always 0: the score was the
    share of class 0, whatever the model had learned."""
    y = (_X[:, 0] > 0).astype(int)
    scores = DG.shuffled_label_check(
        lambda: hb.Sequential(hb.Dense(3, 1, rng=0)),
        hb.BinaryCrossEntropy(),
        _X,
        y,
        _X,
        y,
        epochs=100,
    )
    assert scores["labels"] > 0.9 > scores["chance"]


def test_the_checkup_says_how_many_examples_the_tiny_batch_had():
    """It once said 16 whatever the data: a wrong statement for fewer rows."""
    result = DG.checkup(_mlp(), _SCE(), _X[:5], _y[:5], tiny_steps=2)
    assert "loss on 5 examples after 2 steps" in str(result)
    assert "loss on 16 examples" in str(
        DG.checkup(_mlp(), _SCE(), _X, _y, tiny_steps=2)
    )


# --- results that were wrong but finite: float rounding, float16 sums, nesting, BCE


@pytest.mark.parametrize("train", [0.02, 0.05, 0.10, 0.12, 0.30, 0.57])
def test_a_gap_of_exactly_the_tolerance_is_never_high_whatever_the_rounding(train):
    # 0.07 - 0.05 is 0.020000000000000004 and 0.04 - 0.02 is 0.02: the same verdict
    gap = DG.bias_variance(train, round(train + 0.02, 2))
    assert not gap.high_variance
    bias = DG.bias_variance(round(train + 0.02, 2), 0.9, bayes_error=train)
    assert not bias.high_bias
    assert DG.bias_variance(train, round(train + 0.021, 3)).high_variance


def test_a_gap_just_above_rounding_still_counts_as_high():
    assert DG.bias_variance(0.05, 0.07 + 1e-8).high_variance
    assert not DG.bias_variance(0.05, 0.07 + 1e-10).high_variance


def test_gradient_norms_of_float16_gradients_are_computed_in_float64():
    layer = hb.Dense(100, 10, dtype=np.float16, rng=0)
    layer.W.grad = np.full(
        (100, 10), 10.0, np.float16
    )  # squares sum to 1e5 > 65504
    layer.b.grad = np.zeros(10, np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [(name, norm)] = DG.gradient_norms(hb.Sequential(layer))
    assert name == "0.W" and norm == pytest.approx(np.sqrt(1000) * 10)


def test_gradient_norms_of_a_nested_model_name_every_matrix_as_gradient_check_does():
    inner = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 4, rng=1))
    model = hb.Sequential(inner, hb.Tanh(), hb.Dense(4, 3, rng=2))
    loss = _SCE()
    loss.forward(model.forward(_X[:5]), _y[:5])
    model.backward(loss.backward())
    norms = DG.gradient_norms(model)
    assert [name for name, _ in norms] == ["0.W", "2.W", "4.W"]
    checked = hb.gradient_check(model, _SCE(), _X[:5], _y[:5]).per_parameter
    assert [n for n, _ in norms] == [n for n, _ in checked if n.endswith(".W")]
    assert norms[1][1] == pytest.approx(np.linalg.norm(inner[2].W.grad))


@pytest.mark.parametrize("outputs", [1, 3, 5])
def test_the_expected_initial_loss_of_a_binary_cross_entropy_is_log_2(outputs):
    model = hb.Sequential(hb.Dense(3, outputs, init="zeros"))
    y = np.random.default_rng(0).integers(0, 2, (40, outputs))
    value, expected = DG.initial_loss(model, hb.BinaryCrossEntropy(), _X, y)
    assert value == pytest.approx(np.log(2)) and expected == pytest.approx(
        np.log(2)
    )
    softmax = DG.initial_loss(model, _SCE(), _X, np.arange(40) % outputs)
    assert softmax[1] == pytest.approx(np.log(2 if outputs == 1 else outputs))


def _bce_model():
    return hb.Sequential(
        hb.Dense(3, 8, rng=0),
        hb.ReLU(),
        hb.Dense(8, 1, rng=1, init=hb.init.normal(0.01)),
    )


def test_checkup_treats_bool_labels_as_the_classes_0_and_1():
    labels = _y % 2
    runs = [
        DG.checkup(_bce_model(), hb.BinaryCrossEntropy(), _X, y, tiny_steps=5)
        for y in (labels, labels.astype(bool))
    ]
    names = [[c.name for c in run.checks] for run in runs]
    assert names[0] == names[1] and "label balance" in names[1]
    assert "initial loss" in names[1]
    assert [c.finding for c in runs[0].checks] == [
        c.finding for c in runs[1].checks
    ]
    initial = next(c for c in runs[1].checks if c.name == "initial loss")
    assert initial.finding.endswith("against log 2 = 0.693")


def test_shuffled_label_check_takes_bool_labels_for_both_sets():
    labels = np.arange(40) % 2 == 1
    scores = DG.shuffled_label_check(
        lambda: _mlp(2), _SCE(), _X, labels, _X, labels, epochs=1, rng=0
    )
    assert set(scores) == {"labels", "shuffled labels", "chance"}
    assert scores["chance"] == 0.5


# --- models with residual blocks: the reports see what the model computes


def _residual_model():
    """Dense, ReLU, then a block whose ReLU gets what the skip-less chain would not."""
    block = hb.Residual(
        hb.Sequential(hb.Dense(4, 4, rng=1), hb.ReLU(), hb.Dense(4, 4, rng=2))
    )
    return hb.Sequential(
        hb.Dense(3, 4, rng=0), hb.ReLU(), block, hb.ReLU(), hb.Dense(4, 3, rng=3)
    )


def test_activation_statistics_of_a_residual_model_are_those_it_computes():
    model = _residual_model()
    stats = DG.activation_stats(model, _X)
    assert [s["layer"] for s in stats] == [
        "0: Dense(3 -> 4)",
        "1: ReLU()",
        "2: Dense(4 -> 4)",
        "3: ReLU()",
        "4: Dense(4 -> 4)",
        "2-4: Residual",
        "5: ReLU()",
        "6: Dense(4 -> 3)",
    ]
    a1 = np.maximum(model[0].forward(_X, training=False), 0)
    block = model[2].forward(a1, training=False)
    a5 = np.maximum(block, 0)
    assert stats[5]["mean"] == pytest.approx(block.mean())
    assert stats[5]["std"] == pytest.approx(block.std())
    assert stats[6]["zeros"] == pytest.approx(np.mean(a5 == 0))
    output = model.predict(_X)
    assert stats[-1]["mean"] == pytest.approx(output.mean())
    # applied one after the other without the skip, the last layers would differ
    chain = _X
    from handbook.layers import layers_of

    for layer in layers_of(model):
        chain = layer.forward(chain, training=False)
    assert not np.allclose(chain, output)


def test_dead_relus_inside_a_block_are_counted_on_their_real_input():
    model = _residual_model()
    model[2].f[0].W.value[:] = -1.0  # the block's ReLU gets negative sums: dead
    model[2].f[0].b.value[:] = -1.0
    dead = dict(DG.dead_relu_fraction(model, _X))
    assert list(dead) == ["1: ReLU()", "3: ReLU()", "5: ReLU()"]
    assert dead["3: ReLU()"] == 1.0
    assert dead["5: ReLU()"] < 1.0  # after the skip, the input comes through


def test_the_first_nonfinite_output_may_be_a_blocks_sum():
    # each of x and f(x) is finite, their sum is not
    block = hb.Residual(
        hb.Sequential(hb.Dense(2, 2, init=hb.init.constant(0.6)), hb.ReLU())
    )
    model = hb.Sequential(block, hb.Dense(2, 1, rng=0))
    assert DG.first_nonfinite_layer(model, np.full((1, 2), 1e308)) == "0-1: Residual"
    assert DG.first_nonfinite_layer(model, np.ones((1, 2))) is None
    with pytest.raises(
        ValueError, match=r"^Residual: f\(x\) must be of x's shape \(40, 3\)"
    ):
        DG.first_nonfinite_layer(
            hb.Sequential(hb.Residual(hb.Dense(3, 2, rng=0))), _X
        )


def test_gradient_norms_and_the_checkup_take_a_residual_model():
    model = _residual_model()
    loss = _SCE()
    loss.forward(model.forward(_X), _y)
    model.backward(loss.backward())
    norms = DG.gradient_norms(model)
    assert [name for name, _ in norms] == ["0.W", "2.W", "4.W", "6.W"]
    assert norms[2][1] == pytest.approx(np.linalg.norm(model[2].f[2].W.grad))
    checked = hb.gradient_check(model, _SCE(), _X[:5], _y[:5]).per_parameter
    assert [n for n, _ in norms] == [n for n, _ in checked if n.endswith(".W")]
    report = DG.checkup(_residual_model(), _SCE(), _X, _y, tiny_steps=200)
    assert [c.name for c in report.checks][-3:] == [
        "dead ReLU units",
        "examples kept apart",
        "overfit a tiny batch",
    ]
    assert "examples kept apart" not in report.failed()


# ------------------------------------------------------------------ error analysis

_TRUE = np.array([0, 0, 1, 1, 2, 2, 2])
_PRED = np.array([0, 1, 1, 1, 0, 2, 1])
_CM = np.array([[1, 1, 0], [0, 2, 0], [1, 1, 1]])


def test_the_confusion_matrix_counts_true_classes_in_rows_and_predictions_in_columns():
    cm = DG.confusion_matrix(_TRUE, _PRED, 3)
    np.testing.assert_array_equal(cm, _CM)
    assert cm.dtype == np.int64 and cm.sum() == len(_TRUE)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(_TRUE))
    np.testing.assert_array_equal(cm.sum(axis=0), np.bincount(_PRED))
    wider = DG.confusion_matrix(_TRUE.tolist(), _PRED.tolist(), 4)  # a class never seen
    np.testing.assert_array_equal(wider[:3, :3], _CM)
    assert wider[3].sum() == wider[:, 3].sum() == 0
    np.testing.assert_array_equal(
        DG.confusion_matrix(np.array([True, False, True]), np.array([1, 1, 0]), 2),
        [[0, 1], [1, 1]])
    np.testing.assert_array_equal(DG.confusion_matrix(_TRUE.astype(np.uint8), _PRED, 3), _CM)


def test_the_confusion_matrix_agrees_with_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y, y_pred = rng.integers(0, 6, 500), rng.integers(0, 6, 500)
    np.testing.assert_array_equal(DG.confusion_matrix(y, y_pred, 6),
                                  metrics.confusion_matrix(y, y_pred, labels=range(6)))
    precision, recall = DG.precision_recall(DG.confusion_matrix(y, y_pred, 6))
    np.testing.assert_allclose(precision, metrics.precision_score(y, y_pred, average=None))
    np.testing.assert_allclose(recall, metrics.recall_score(y, y_pred, average=None))


def test_per_class_error_precision_and_recall_by_hand():
    np.testing.assert_allclose(DG.per_class_error(_CM), [1 / 2, 0, 2 / 3])
    precision, recall = DG.precision_recall(_CM)
    np.testing.assert_allclose(precision, [1 / 2, 2 / 4, 1 / 1])
    np.testing.assert_allclose(recall, [1 / 2, 2 / 2, 1 / 3])
    np.testing.assert_allclose(DG.per_class_error(_CM), 1 - recall)
    wider = DG.confusion_matrix(_TRUE, _PRED, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0 / 0 is NaN, without a warning
        error = DG.per_class_error(wider)
        precision, recall = DG.precision_recall(wider)
    assert np.isnan(error[3]) and np.isnan(precision[3]) and np.isnan(recall[3])
    assert error.dtype == precision.dtype == np.float64
    np.testing.assert_allclose(error[:3], [1 / 2, 0, 2 / 3])


def test_most_confused_lists_the_largest_mistakes_with_ties_in_row_order():
    assert DG.most_confused(_CM) == [(0, 1, 1), (2, 0, 1), (2, 1, 1)]
    cm = np.array([[9, 4, 0, 2],
                   [4, 8, 1, 0],
                   [0, 7, 5, 2],
                   [2, 0, 0, 6]])
    assert DG.most_confused(cm, k=3) == [(2, 1, 7), (0, 1, 4), (1, 0, 4)]
    assert DG.most_confused(cm, k=100) == [(2, 1, 7), (0, 1, 4), (1, 0, 4), (0, 3, 2),
                                           (2, 3, 2), (3, 0, 2), (1, 2, 1)]
    assert DG.most_confused(cm.T, k=2) == [(1, 2, 7), (0, 1, 4)]
    assert DG.most_confused(np.diag([3, 4]), k=5) == []  # never wrong: nothing to list
    found = DG.most_confused(cm.tolist(), k=1)
    assert found == [(2, 1, 7)] and all(type(v) is int for v in found[0])
    assert DG.most_confused(cm, k=4) == DG.most_confused(cm.copy(), k=4)


@pytest.mark.parametrize("y, y_pred, K, error, expected", [
    (_TRUE, _PRED, 1, ValueError, "K must be >= 2, got 1"),
    (_TRUE, _PRED, 3.0, TypeError, "K must be a whole number >= 2, got 3.0"),
    (_TRUE, _PRED, 2, ValueError, "y must be class labels below K = 2, got labels up to 2"),
    (_TRUE, _PRED + 2, 3, ValueError,
     "y_pred must be class labels below K = 3, got labels up to 4"),
    (_TRUE, _PRED - 1, 3, ValueError, "y_pred must be class labels >= 0, got labels from -1"),
    (_TRUE, _PRED.astype(float), 3, ValueError,
     r"y_pred must be class labels: one integer per row, got dtype float64, shape \(7,\)"),
    (_TRUE, np.eye(3)[_PRED], 3, ValueError,
     r"y_pred must be one predicted class per example \(the argmax of the outputs: "
     r"model.predict\(X\).argmax\(axis=1\)\), got an array of shape \(7, 3\)"),
    (_TRUE, _PRED[:5], 3, ValueError,
     r"y and y_pred must be of the same length \(one label per row\), got 7 rows and "
     r"shape \(5,\)"),
    (np.array([], int), np.array([], int), 3, ValueError,
     "y must be labels of at least one example, got none"),
    (_TRUE.astype(str), _PRED, 3, TypeError, r"y must be an array of real numbers, got dtype <U\d+"),
    (None, _PRED, 3, TypeError, "y must be an array with one row per example, got None"),
])
def test_the_confusion_matrix_refuses_bad_labels_naming_them(y, y_pred, K, error, expected):
    with pytest.raises(error, match=f"^confusion_matrix: {expected}$"):
        DG.confusion_matrix(y, y_pred, K)


@pytest.mark.parametrize("cm, error, expected", [
    (np.ones((2, 3), int), ValueError,
     r"cm must be a square \(K, K\) array of counts, such as confusion_matrix returns, "
     r"got shape \(2, 3\)"),
    (np.ones(3, int), ValueError, r"cm must be a square .* got shape \(3,\)"),
    (np.ones((0, 0), int), ValueError, r"cm must be a square .* got shape \(0, 0\)"),
    (np.eye(3), TypeError, "cm must be counts: integers >= 0, got dtype float64"),
    (np.eye(3, dtype=bool), TypeError, "cm must be counts: integers >= 0, got dtype bool"),
    (-np.eye(3, dtype=int), ValueError, "cm must be counts >= 0, got a count of -1"),
    (np.full((2, 2), "1"), TypeError, "cm must be an array of real numbers, got dtype <U1"),
])
def test_the_error_analysis_refuses_what_is_not_a_confusion_matrix(cm, error, expected):
    for who in ("per_class_error", "precision_recall", "most_confused"):
        with pytest.raises(error, match=f"^{who}: {expected}$"):
            getattr(DG, who)(cm)


@pytest.mark.parametrize("k, error, expected", [
    (0, ValueError, "k must be >= 1, got 0"),
    (2.0, TypeError, "k must be a whole number >= 1, got 2.0"),
    (None, TypeError, "k must be a whole number >= 1, got None"),
])
def test_most_confused_refuses_a_k_that_is_no_count(k, error, expected):
    with pytest.raises(error, match=f"^most_confused: {expected}$"):
        DG.most_confused(_CM, k=k)


class _Center(hb.Layer):
    """Subtract the mean over ``axis``: axis 1 keeps examples apart, axis 0 mixes them."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x, training=True):
        return x - np.mean(x, axis=self.axis, keepdims=True)

    def backward(self, dy, input_grad=True):
        return dy - np.mean(dy, axis=self.axis, keepdims=True)


def _centered(axis):
    return hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), _Center(axis),
                         hb.Dense(4, 3, rng=1))


def test_mixing_is_zero_for_a_model_that_keeps_examples_apart_and_not_otherwise():
    assert DG.mixing(_mlp(), _X) == 0.0
    assert DG.mixing(_centered(1), _X, i=7) == 0.0
    assert DG.mixing(_centered(0), _X) > 0.01
    batch_norm = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 3, rng=1))
    assert DG.mixing(batch_norm, _X) > 0.01


def test_mixing_counts_outputs_that_sum_to_a_constant():
    """Probabilities sum to 1 whatever the input: an unweighted sum of row i's outputs
    would have no gradient at all, and hide the mixing."""

    class Softmax(hb.Layer):
        def forward(self, z, training=True):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            self.p = e / e.sum(axis=1, keepdims=True)
            return self.p

        def backward(self, dp, input_grad=True):
            return self.p * (dp - np.sum(dp * self.p, axis=1, keepdims=True))

    model = hb.Sequential(*_centered(0).layers, Softmax())
    assert DG.mixing(model, _X) > 0.001


def test_mixing_leaves_the_model_as_it_was():
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 3, rng=1))
    before = {k: v.copy() for k, v in model.layers[1].buffers().items()}
    DG.mixing(model, _X)
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())
    after = model.layers[1].buffers()
    assert all(np.array_equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize(
    "X, i, error, expected",
    [
        (_X[:1], 0, ValueError, r"^mixing: X must be a batch of 2 rows or more, got 1 row$"),
        (_X[:4], 4, ValueError, r"^mixing: i must be a row of X, below 4, got 4$"),
        (_X[:4], -1, ValueError, r"^mixing: i must be >= 0, got -1$"),
        (_X[:4], 1.0, TypeError, r"^mixing: i must be a whole number >= 0, got 1.0$"),
    ],
)
def test_mixing_refuses_a_batch_of_one_and_a_row_outside_it(X, i, error, expected):
    with pytest.raises(error, match=expected):
        DG.mixing(_mlp(), X, i=i)


def test_the_checkup_finds_a_layer_that_mixes_examples_and_names_the_fix():
    result = DG.checkup(_centered(0), _SCE(), _X, _y, tiny_steps=2)
    assert "examples kept apart" in result.failed()
    assert "axis 0" in str(result)
    assert "examples kept apart" not in DG.checkup(
        _centered(1), _SCE(), _X, _y, tiny_steps=2).failed()
    batch_norm = hb.Sequential(hb.Dense(3, 4, rng=0), hb.BatchNorm(4), hb.Dense(4, 3, rng=1))
    kept = DG.kept_apart(batch_norm, _X)
    assert kept.passed and "not measured" in kept.finding


def test_baselines_score_the_model_a_linear_model_zeroed_inputs_and_the_majority():
    X, y = hb.datasets.digits()
    X, y = hb.data.Standardizer().fit_transform(X[:600]), y[:600]
    scores = DG.baselines(lambda: hb.Sequential(hb.Dense(64, 32, rng=0), hb.ReLU(),
                                                hb.Dense(32, 10, rng=1)),
                          _SCE(), X[:400], y[:400], X[400:], y[400:], epochs=5)
    assert list(scores) == ["model", "linear", "zeroed inputs", "majority class"]
    assert scores["model"] > 0.8 and scores["linear"] > 0.8
    assert scores["zeroed inputs"] < 0.2
    assert scores["majority class"] == np.mean(y[400:] == np.bincount(y[:400]).argmax())
    shifted = DG.baselines(lambda: hb.Sequential(hb.Dense(64, 10, rng=0)), _SCE(),
                           X[:400], np.roll(y[:400], 1), X[400:], y[400:], epochs=5)
    assert shifted["model"] < 0.25


def test_baselines_refuse_before_training():
    with pytest.raises(ValueError, match="^baselines: make_model must be a function "
                       "that builds a new model at every call"):
        model = _mlp()
        DG.baselines(lambda: model, _SCE(), _X, _y, _X, _y, epochs=1)
    with pytest.raises(TypeError, match="^baselines: loss must be a loss that classifies"):
        DG.baselines(_mlp, hb.MeanSquaredError(), _X, _y, _X, _y, epochs=1)
    with pytest.raises(ValueError, match="^baselines: X_dev must be of 3 features like X"):
        DG.baselines(_mlp, _SCE(), _X, _y, _X[:, :2], _y, epochs=1)



# ------------------------------------------------------------------ watching a run


def _watched(lr=0.1, every=1, epochs=2, dtype=np.float64):
    model = hb.Sequential(hb.Dense(3, 8, rng=0, dtype=dtype), hb.ReLU(),
                          hb.Dense(8, 3, rng=1, dtype=dtype))
    monitor = DG.Monitor(every=every)
    optimizer = hb.optim.SGD(model.parameters(), lr=lr)
    hb.fit(model, _SCE(), optimizer, _X.astype(dtype), _y, epochs=epochs,
           batch_size=8, rng=0, monitor=monitor)
    return model, monitor


def test_the_monitor_records_every_step_of_every_weight():
    model, monitor = _watched()
    assert monitor.names == ["0.W", "2.W"]
    assert monitor.steps == list(range(1, 11))  # 40 rows in batches of 8, 2 epochs
    assert monitor.recorded("grad_norms").shape == (10, 2)
    assert monitor.recorded("update_ratios").shape == (10, 2)
    assert monitor.recorded("global_norms").shape == (10,)
    assert np.all(monitor.recorded("global_norms") >= monitor.recorded("grad_norms").max(1))


def test_an_sgd_update_ratio_is_the_rate_times_the_gradient_over_the_weight():
    model = hb.Sequential(hb.Dense(3, 3, rng=0))
    before = model.layers[0].W.value.copy()
    monitor = DG.Monitor()
    hb.fit(model, _SCE(), hb.optim.SGD(model.parameters(), lr=0.5), _X[:8], _y[:8],
           epochs=1, batch_size=8, shuffle=False, monitor=monitor)
    grad = monitor.recorded("grad_norms")[0, 0]
    expected = 0.5 * grad / np.linalg.norm(before)
    assert monitor.recorded("update_ratios")[0, 0] == pytest.approx(expected, rel=1e-12)


def test_every_records_one_step_in_every_and_float32_runs_are_recorded_in_float64():
    model, monitor = _watched(every=3, dtype=np.float32)
    assert monitor.steps == [1, 4, 7, 10]
    assert monitor.recorded("update_ratios").dtype == np.float64


def test_the_clip_threshold_is_a_percentile_of_the_unclipped_norms():
    model, monitor = _watched()
    norms = monitor.recorded("global_norms")
    assert monitor.clip_threshold(90) == pytest.approx(np.percentile(norms, 90))
    assert monitor.clip_threshold(100) == norms.max()
    assert monitor.clipped_share(monitor.clip_threshold(50)) == pytest.approx(0.5)


def test_the_report_flags_stopped_weights_small_updates_and_spikes():
    model, healthy = _watched(lr=0.1)
    assert healthy.report().failed() == []
    model, slow = _watched(lr=1e-6)
    assert slow.report().failed() == ["update ratios"]
    stopped = DG.Monitor()
    stopped.steps, stopped.names = list(range(1, 21)), ["0.W"]
    stopped.update_ratios = [[1e-3]] * 10 + [[0.0]] * 10
    stopped.global_norms = [1.0] * 19 + [50.0]
    assert stopped.report().failed() == ["updates moving", "gradient spikes"]
    assert "clip_threshold(90)" in str(stopped.report())


def test_the_monitor_keeps_what_it_recorded_when_training_stops():
    model = hb.Sequential(hb.Dense(3, 3, rng=0))
    monitor = DG.Monitor()
    X = _X.copy()
    X[20:] *= 1e300  # the loss overflows in a later batch
    with pytest.raises(hb.training.TrainingStopped):
        hb.fit(model, _SCE(), hb.optim.SGD(model.parameters(), lr=0.1), X, _y,
               epochs=1, batch_size=8, shuffle=False, monitor=monitor)
    assert monitor.steps == [1, 2, 3]


@pytest.mark.parametrize(
    "make, error, expected",
    [
        (lambda: DG.Monitor(every=0), ValueError, r"^Monitor: every must be >= 1, got 0$"),
        (lambda: DG.Monitor(every=2.0), TypeError, r"^Monitor: every must be a whole"),
        (lambda: DG.Monitor().recorded("grad_norms"), RuntimeError,
         r"^Monitor: nothing recorded yet"),
        (lambda: _watched()[1].recorded("losses"), ValueError,
         r"^Monitor.recorded: what must be one of"),
        (lambda: _watched()[1].clip_threshold(101), ValueError,
         r"^Monitor.clip_threshold: percentile must be"),
        (lambda: _watched()[1].clipped_share(0), ValueError,
         r"^Monitor.clipped_share: threshold must be > 0"),
    ],
)
def test_the_monitor_refuses_bad_settings_with_a_clear_message(make, error, expected):
    with pytest.raises(error, match=expected):
        make()


@pytest.mark.parametrize("monitor", [DG.Monitor, "a monitor", object()])
def test_fit_refuses_a_monitor_that_is_not_one(monitor):
    model = _mlp()
    with pytest.raises(TypeError, match="^hb.fit: monitor must be"):
        hb.fit(model, _SCE(), hb.optim.SGD(model.parameters(), lr=0.1), _X, _y, epochs=1,
               batch_size=8, monitor=monitor)


def test_example_losses_are_each_rows_own_loss_for_any_loss():
    model = _mlp()
    for loss in (_SCE(), _SCE(label_smoothing=0.1)):
        losses = DG.example_losses(model, loss, _X, _y)
        assert losses.shape == (40,) and losses.dtype == np.float64
        z = model.forward(_X, training=False)
        assert losses[5] == pytest.approx(loss.forward(z[5:6], _y[5:6]))
        assert losses.mean() == pytest.approx(loss.forward(z, _y))
    regression = hb.Sequential(hb.Dense(3, 1, rng=0))
    targets = np.ones((40, 1))
    mse = DG.example_losses(regression, hb.MeanSquaredError(), _X, targets)
    out = regression.forward(_X, training=False)
    assert mse[3] == pytest.approx(hb.MeanSquaredError().forward(out[3:4], targets[3:4]))
    with pytest.raises(ValueError, match="^example_losses: X and y must be of the same length"):
        DG.example_losses(model, _SCE(), _X, _y[:5])


def test_example_losses_of_a_cross_entropy_subclass_are_its_own():
    class Doubled(_SCE):
        """A subclass that computes another loss: twice the cross-entropy."""

        def forward(self, z, y):
            return 2 * super().forward(z, y)

    model = _mlp()
    plain = DG.example_losses(model, _SCE(), _X, _y)
    np.testing.assert_allclose(DG.example_losses(model, Doubled(), _X, _y), 2 * plain)
