"""Data sets: shapes, ranges, labels and seeds."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import handbook as hb


def test_digits_and_breast_cancer():
    X, y = hb.datasets.digits()
    assert (
        X.shape == (1797, 64)
        and X.min() == 0
        and X.max() == 1
        and set(y) == set(range(10))
    )
    assert hb.datasets.digits(np.float32)[0].dtype == np.float32
    X, y = hb.datasets.breast_cancer()
    assert X.shape == (569, 30) and set(y) == {0, 1}
    assert (
        X.max(0).max() / X.max(0).min() > 1000
    )  # features of very different scales


def test_the_real_sets_are_scikit_learns_read_without_importing_it():
    import subprocess
    import sys

    script = (
        "import sys, handbook as hb; "
        "hb.datasets.digits(); hb.datasets.breast_cancer(); "
        "print('sklearn' in sys.modules)"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert fresh.stdout.strip() == "False"
    from sklearn.datasets import load_breast_cancer, load_digits

    X, y = load_digits(return_X_y=True)
    ours_X, ours_y = hb.datasets.digits()
    assert np.array_equal(ours_X, X / 16.0) and np.array_equal(ours_y, y)
    X, y = load_breast_cancer(return_X_y=True)
    ours_X, ours_y = hb.datasets.breast_cancer()
    assert np.array_equal(ours_X, X) and np.array_equal(ours_y, y)
    assert ours_y.dtype == np.int64


@pytest.mark.parametrize(
    "make, classes",
    [
        (hb.datasets.two_moons, 2),
        (hb.datasets.circles, 2),
        (hb.datasets.flower, 2),
        (lambda n, rng: hb.datasets.spirals(n, classes=3, rng=rng), 3),
        (hb.datasets.different_scales, 2),
    ],
)
def test_synthetic_sets_are_seeded_and_balanced(make, classes):
    X, y = make(300, rng=5)
    X2, y2 = make(300, rng=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X.shape == (300, 2) and X.dtype == np.float64
    assert set(y) == set(range(classes))
    assert not np.array_equal(make(300, rng=6)[0], X)


def test_different_scales_really_differ():
    X, _ = hb.datasets.different_scales(1000, rng=0)
    assert X[:, 1].std() / X[:, 0].std() > 500


def test_synthetic_sets_keep_the_dtype_and_refuse_bad_sizes():
    X, y = hb.datasets.flower(40, rng=0, dtype=np.float32)
    assert X.dtype == np.float32 and np.issubdtype(y.dtype, np.integer)
    assert np.bincount(hb.datasets.spirals(301, classes=4, rng=0)[1]).tolist() == [
        76,
        75,
        75,
        75,
    ]
    with pytest.raises(ValueError, match="^spirals: n must be >= 5, got 3$"):
        hb.datasets.spirals(3, classes=5)
    with pytest.raises(ValueError, match="two_moons: noise must be >= 0"):
        hb.datasets.two_moons(10, noise=-1)


def test_synthetic_sets_refuse_settings_that_give_meaningless_data():
    for call, error, message in (
        (
            lambda: hb.datasets.two_moons(noise=float("nan")),
            ValueError,
            "noise must be",
        ),
        (
            lambda: hb.datasets.two_moons(dtype=np.int64),
            TypeError,
            "two_moons: dtype must be a float dtype",
        ),
        (
            lambda: hb.datasets.spirals(classes=1),
            ValueError,
            "spirals: classes must be >= 2",
        ),
        (
            lambda: hb.datasets.spirals(classes=1.5),
            TypeError,
            "spirals: classes must be",
        ),
        (
            lambda: hb.datasets.circles(factor=2),
            ValueError,
            r"circles: factor must be in \(0, 1\)",
        ),
        (
            lambda: hb.datasets.overfitting_moons(n_train=0),
            ValueError,
            "overfitting_moons: n_train must be >= 2",
        ),
        (
            lambda: hb.datasets.overfitting_digits(200.5),
            TypeError,
            "overfitting_digits: n_train must be a whole number",
        ),
    ):
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize(
    "call, error, who, argument",
    [
        (
            lambda: hb.datasets.breast_cancer(np.int64),
            TypeError,
            "breast_cancer",
            "dtype",
        ),
        (
            lambda: hb.datasets.overfitting_digits(dtype=np.int64),
            TypeError,
            "overfitting_digits",
            "dtype",
        ),
        (
            lambda: hb.datasets.overfitting_digits(rng="a"),
            TypeError,
            "overfitting_digits",
            "rng",
        ),
        (
            lambda: hb.datasets.overfitting_moons(noise=-1),
            ValueError,
            "overfitting_moons",
            "noise",
        ),
        (
            lambda: hb.datasets.overfitting_moons(rng=0.5),
            TypeError,
            "overfitting_moons",
            "rng",
        ),
    ],
)
def test_the_chapter_settings_name_themselves_not_the_function_they_call(
    call, error, who, argument
):
    with pytest.raises(error, match=rf"^{who}: {argument} must be "):
        call()


def test_overfitting_digits_refuses_a_training_set_missing_a_class():
    # the smallest digit class has 174 of 1,797 rows: 11 training digits give it one
    (X_train, y_train), _ = hb.datasets.overfitting_digits(11)
    assert set(y_train) == set(range(10)) and len(X_train) >= 10
    with pytest.raises(
        ValueError, match="^overfitting_digits: n_train must be >= 11, got 10$"
    ):
        hb.datasets.overfitting_digits(10)
    assert (
        hb.datasets.overfitting_digits(rng=np.random.default_rng(0))[0][1].tolist()
        == hb.datasets.overfitting_digits(rng=0)[0][1].tolist()
    )  # a seed and its Generator agree


# --- noise and petals whose points would overflow: refused by name, up front


@pytest.mark.parametrize(
    "call, who, limit",
    [
        (lambda: hb.datasets.two_moons(noise=1e308), "two_moons", "1.8e+306"),
        (lambda: hb.datasets.circles(noise=1e307), "circles", "1.8e+306"),
        (lambda: hb.datasets.spirals(noise=1e307), "spirals", "1.8e+306"),
        (lambda: hb.datasets.flower(noise=1e308), "flower", "1.8e+306"),
        (
            lambda: hb.datasets.two_moons(noise=1000, dtype=np.float16),
            "two_moons",
            "655",
        ),
        (
            lambda: hb.datasets.circles(noise=1e37, dtype=np.float32),
            "circles",
            "3.4e+36",
        ),
        (
            lambda: hb.datasets.overfitting_moons(noise=1e308),
            "overfitting_moons",
            "1.8e+306",
        ),
    ],
)
def test_a_noise_whose_points_overflow_is_refused(call, who, limit):
    with pytest.raises(
        ValueError, match=rf"^{who}: noise must be <= {re.escape(limit)} "
    ):
        call()


@pytest.mark.parametrize(
    "petals, noise, shown",
    [
        (
            lambda: 10**400,
            0.2,
            "petals must be at most 9.22e+18 (2**63 - 1), got about 10**400",
        ),
        (
            lambda: 10**5000,
            0.2,
            "petals must be at most 9.22e+18",
        ),  # no str() for ids
        (
            lambda: 10**307,
            0.2,
            "petals must be at most 9.22e+18 (2**63 - 1), got about 10**307",
        ),
        (
            lambda: 1000,
            1e306,
            "noise must be <= 1.8e+303 for 1000 petals (petals "
            "times an angle must be a float), got 1e+306",
        ),
        (lambda: 4, 1e306, "noise must be <= 4.49e+305 for 4 petals"),
    ],
)
def test_flower_refuses_petals_and_noise_whose_angles_overflow(
    petals, noise, shown
):
    with pytest.raises(ValueError, match=rf"^flower: {re.escape(shown)}"):
        hb.datasets.flower(petals=petals(), noise=noise)


@settings(max_examples=30, deadline=None)
@given(
    make=st.sampled_from(
        [
            hb.datasets.two_moons,
            hb.datasets.circles,
            hb.datasets.spirals,
            hb.datasets.flower,
        ]
    ),
    dtype=st.sampled_from([np.float16, np.float32, np.float64]),
    share=st.floats(0, 1),
)
def test_every_noise_accepted_gives_finite_points_without_warnings(
    make, dtype, share
):
    noise = share * float(np.finfo(dtype).max) / 100  # up to the largest accepted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            X, _ = make(20, noise=noise, rng=0, dtype=dtype)
        except ValueError as error:  # the flower's angles times petals overflow
            assert make is hb.datasets.flower
            assert str(error).startswith("flower: noise must be <= ")
            return
    assert X.dtype == dtype and np.isfinite(X).all()
