"""The shared argument checks: one message format, the culprit named, the value returned."""

from __future__ import annotations

import numpy as np
import pytest

import handbook as hb
from handbook import validation as check


def test_a_good_value_is_returned_unchanged() -> None:
    assert check.positive("Adam", "lr", 0.01) == 0.01
    assert check.non_negative("L2", "lam", 0) == 0
    assert check.fraction("Momentum", "beta", 0.9) == 0.9
    assert check.whole("Dense", "n_in", np.int64(3)) == 3
    rng = np.random.default_rng(0)
    assert check.generator("Dense", rng) is rng
    assert isinstance(check.generator("Dense", 3), np.random.Generator)
    assert check.generator("fit", [3, 1]).random() == np.random.default_rng([3, 1]).random()


@pytest.mark.parametrize("call, message", [
    (lambda: check.positive("Adam", "lr", -1.0), "Adam: lr must be > 0, got -1.0"),
    (lambda: check.positive("Adam", "lr", 0.0), "Adam: lr must be > 0, got 0.0"),
    (lambda: check.positive("Adam", "eps", float("inf")), "Adam: eps must be finite, got inf"),
    (lambda: check.positive("Adam", "eps", float("nan")), "Adam: eps must be finite, got nan"),
    (lambda: check.non_negative("L1", "lam", -1), "L1: lam must be >= 0, got -1"),
    (lambda: check.fraction("Momentum", "beta", 1.0), "Momentum: beta must be in [0, 1), got 1.0"),
    (lambda: check.fraction("Dropout", "keep_prob", 0.0, zero=False, one=True),
     "Dropout: keep_prob must be in (0, 1], got 0.0"),
    (lambda: check.number("clip", "max_norm", 2.0, high=1), "clip: max_norm must be <= 1, got 2.0"),
    (lambda: check.whole("Dense", "n_in", 0), "Dense: n_in must be >= 1, got 0"),
    (lambda: check.finite("hb.fit", "X", np.array([1.0, np.nan])),
     "hb.fit: X must be finite everywhere, got 1 NaN or infinite values"),
    (lambda: check.real_array("hb.fit", "X", np.zeros((2, 2)), ndim=1),
     "hb.fit: X must be 1-dimensional, got shape (2, 2)"),
])
def test_a_bad_value_is_refused_with_the_culprit_named(call, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        call()
    assert str(caught.value) == message


@pytest.mark.parametrize("call, culprit", [
    (lambda: check.positive("Adam", "lr", "0.01"), "Adam: lr must be a real number"),
    (lambda: check.positive("Adam", "lr", True), "Adam: lr must be a real number"),
    (lambda: check.whole("Dense", "n_in", 3.5), "Dense: n_in must be a whole number"),
    (lambda: check.whole("Dense", "n_in", True), "Dense: n_in must be a whole number"),
    (lambda: check.generator("Dense", "seed"), "Dense: rng must be a seed"),
    (lambda: check.generator("Dense", -1), "Dense: rng must be a seed"),
    (lambda: check.generator("Dense", 1.5), "Dense: rng must be a seed"),
    (lambda: check.generator("Dense", True), "Dense: rng must be a seed"),
    (lambda: check.real_array("hb.fit", "X", np.array([1j])), "hb.fit: X must be an array of real"),
    (lambda: check.real_array("hb.fit", "X", np.array(["a"])), "hb.fit: X must be an array of real"),
])
def test_a_wrong_kind_of_object_is_a_type_error(call, culprit: str) -> None:
    with pytest.raises(TypeError, match="^" + culprit.replace("(", r"\(")):
        call()


def test_arrays_of_integers_become_float_and_floats_keep_their_dtype() -> None:
    assert check.real_array("f", "x", [1, 2]).dtype == np.float64
    assert check.real_array("f", "x", np.zeros(2, np.float32)).dtype == np.float32


def test_the_caller_is_named_by_name_class_or_repr() -> None:
    class Thing:
        def __repr__(self) -> str:
            return "Thing(3)"

    assert check.name_of("hb.fit") == "hb.fit"
    assert check.name_of(Thing) == "Thing"
    assert check.name_of(Thing()) == "Thing(3)"
    with pytest.raises(ValueError, match=r"^f: x must be small, got an array of shape \(100,\)$"):
        check.fail("f", "x", "small", np.zeros(100))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: hb.optim.AdamW([hb.Parameter(np.ones(2))], lr=10, weight_decay=1),
     ValueError, r"lr \* weight_decay must be < 1"),
    (lambda: hb.optim.Adam([hb.Parameter(np.ones(2))]).step(), RuntimeError,
     "step called before any backward"),
    (lambda: hb.tuning.grid_search(lambda lr: lr, {"lr": "0.1"}), ValueError,
     r"^grid_search: grid\['lr'\] must be a non-empty list of values, got '0.1'$"),
    (lambda: hb.tuning.grid_search(lambda lr: lr, {"lr": []}), ValueError,
     "must be a non-empty list"),
    (lambda: hb.tuning.random_search(lambda lr: lr, {}, trials=0), ValueError,
     "^random_search: trials must be >= 1"),
    (lambda: hb.tuning.integers(1.5, 3), TypeError, "^integers: low must be a whole"),
    (lambda: hb.L2(0.1).penalty(hb.Sequential(hb.Dense(2, 2, rng=0)), 2.5), TypeError,
     r"m \(the batch size\) must be a whole number"),
    (lambda: hb.diagnose.dead_relu_fraction(hb.Sequential(hb.Dense(3, 2, rng=0),
                                                          hb.ReLU()), np.zeros((0, 3))),
     ValueError, "^dead_relu_fraction: X must be a .* with at least one row"),
    (lambda: hb.schedules.step(0.1, 0.5, 2)(float("nan")), ValueError,
     "the epoch or step number t must be finite, got nan"),
])
def test_a_hurried_users_mistakes_are_named(call, error, message):
    """Cases of the second hostile round that once gave a silent or meaningless
    result; each now says what is wrong."""
    with pytest.raises(error, match=message):
        call()


def test_fit_takes_flags_as_booleans_and_a_positive_clip_norm():
    X, y = np.random.default_rng(0).normal(size=(8, 3)), np.arange(8) % 2
    model = hb.Sequential(hb.Dense(3, 2, rng=0))
    opt = hb.optim.SGD(model.parameters(), 0.1)
    for extra, message in ((dict(shuffle="no"), "shuffle must be True or False"),
                           (dict(progress="no"), "progress must be True or False"),
                           (dict(clip_norm=0), "clip_norm must be > 0")):
        with pytest.raises((TypeError, ValueError), match=f"^hb.fit: {message}"):
            hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X, y, epochs=1, batch_size=4,
                   **extra)
