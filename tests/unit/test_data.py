"""Splits, mini-batches, scalers, whitening and one-hot labels."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import handbook as hb


def test_split_sizes_disjointness_and_stratification(rng):
    X = np.arange(1000).reshape(-1, 1)
    y = np.repeat([0, 1, 2, 3], [400, 300, 200, 100])
    (Xa, ya), (Xb, yb), (Xc, yc) = hb.data.split(
        X, y, (0.6, 0.2, 0.2), stratify=True, rng=0
    )
    assert (len(Xa), len(Xb), len(Xc)) == (600, 200, 200)
    all_rows = np.concatenate([Xa, Xb, Xc]).ravel()
    assert len(np.unique(all_rows)) == 1000
    for part in (ya, yb, yc):
        np.testing.assert_allclose(
            np.bincount(part) / len(part), [0.4, 0.3, 0.2, 0.1]
        )
    np.testing.assert_array_equal(y[Xb.ravel()], yb)
    again = hb.data.split(X, y, (0.6, 0.2, 0.2), stratify=True, rng=0)
    np.testing.assert_array_equal(again[1][0], Xb)
    (_, _), (X2, _) = hb.data.split(X, y, (0.98, 0.02), rng=1)
    assert len(X2) == 20
    with pytest.raises(ValueError, match="summing to 1"):
        hb.data.split(X, y, (0.5, 0.2))


def test_split_sizes_rule_of_thumb():
    sizes = hb.data.split_sizes
    assert sizes(10_000) == (6000, 2000, 2000)
    assert sizes(15_000) == (9000, 3000, 3000)  # once (-5000, 10000, 10000)
    assert sizes(20_000) == (12_000, 4000, 4000)  # once (0, 10000, 10000)
    assert sizes(50_000) == (30_000, 10_000, 10_000)
    assert sizes(1_000_000) == (980_000, 10_000, 10_000)
    assert sizes(1_000_001) == (980_001, 10_000, 10_000)  # once a dev set of 2,500
    assert sizes(4_000_000) == (3_980_000, 10_000, 10_000)
    assert sizes(10_000_000) == (9_950_000, 25_000, 25_000)
    assert sizes(5) == (
        3,
        1,
        1,
    )  # the fewest examples with a dev and a test example
    for m in (1, 2, 3, 4):
        with pytest.raises(
            ValueError,
            match=rf"^split_sizes: m must be >= 5 for a dev and a test "
            rf"example at share=0.2, got {m}$",
        ):
            sizes(m)
    assert (
        sizes(np.int64(100)) == (60, 20, 20)
        and type(sizes(np.int64(100))[0]) is int
    )
    assert sizes(1000, share=0.1, enough=50, large_share=0.0) == (900, 50, 50)
    for bad, error in (
        (0, ValueError),
        (-5, ValueError),
        (2.5, TypeError),
        (True, TypeError),
    ):
        with pytest.raises(error, match="^split_sizes: m must be"):
            sizes(bad)
    with pytest.raises(
        ValueError, match=r"^split_sizes: share must be in \(0, 0.5\)"
    ):
        sizes(100, share=0.5)


def test_split_refuses_an_empty_set_and_a_class_missing_from_a_set():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(
        ValueError,
        match="^split: ratios must be a split with no empty set, got 3/0 rows of 3",
    ):
        hb.data.split(X[:3], np.zeros(3, int), ratios=(0.9, 0.1), rng=0)
    with pytest.raises(
        ValueError,
        match="^split: stratify must be used with every class "
        "in every set, got class 1 with 1 rows",
    ):
        hb.data.split(
            X, np.array([0] * 9 + [1]), ratios=(0.8, 0.2), stratify=True, rng=0
        )
    with pytest.raises(ValueError, match="^split: ratios must be 2 or 3 positive"):
        hb.data.split(X, np.zeros(10, int), ratios=(0.5, 0.6))


def test_a_search_puts_runs_that_broke_last():
    scores = {1e-3: 0.9, 1e-2: float("nan"), 1e-1: 0.5}
    trials = hb.tuning.grid_search(lambda lr: scores[lr], {"lr": list(scores)})
    assert [t.hyperparameters["lr"] for t in trials] == [1e-3, 1e-1, 1e-2]


def test_split_sizes_grow_by_one_example_at_a_time():
    previous = hb.data.split_sizes(5)
    for m in range(6, 60_001):  # through the change from 20 % to 10,000 at 50,000
        current = hb.data.split_sizes(m)
        steps = np.subtract(current, previous)
        assert steps.min() >= 0 and steps.sum() == 1, (m, previous, current)
        previous = current


@settings(max_examples=300, deadline=None)
@given(
    m=st.integers(1, 10**12),
    more=st.integers(0, 10**12),
    share=st.floats(0.01, 0.49),
    enough=st.integers(1, 10**6),
    large_share=st.floats(0.0, 0.49),
    default=st.booleans(),
)
def test_split_sizes_are_sensible_and_monotone(
    m, more, share, enough, large_share, default
):
    options = (
        {} if default else dict(share=share, enough=enough, large_share=large_share)
    )
    assume(
        m * options.get("share", 0.2) >= 1
    )  # fewer examples are refused (tested below)
    small, large = (hb.data.split_sizes(n, **options) for n in (m, m + more))
    for n, sizes in ((m, small), (m + more, large)):
        train, dev, test = sizes
        assert train + dev + test == n and train >= 1 and dev >= 1 and test >= 1
        assert 0 <= dev - test <= 1  # the dev set gets an odd example
        assert train >= n * (1 - 2 * options.get("share", 0.2)) - 1e-6 * n
    assert all(b >= a for a, b in zip(small, large)), (
        small,
        large,
    )  # no set shrinks


def test_minibatches_cover_every_row_once_per_epoch():
    X, y = np.arange(10).reshape(-1, 1), np.arange(10)
    batches = list(hb.data.minibatches(X, y, 4, rng=0))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    rows = np.concatenate([b[0].ravel() for b in batches])
    assert sorted(rows) == list(range(10)) and list(rows) != list(range(10))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), rows)
    ordered = np.concatenate(
        [b[0].ravel() for b in hb.data.minibatches(X, y, 4, shuffle=False)]
    )
    np.testing.assert_array_equal(ordered, np.arange(10))
    with pytest.raises(
        ValueError, match="^minibatches: batch_size must be >= 1, got 0$"
    ):
        next(hb.data.minibatches(X, y, 0))
    with pytest.raises(
        TypeError, match="^minibatches: batch_size must be a whole number"
    ):
        next(hb.data.minibatches(X, y, 2.0))


def test_standardizer_uses_training_statistics_only(rng):
    X_train = rng.normal(5, 3, size=(500, 2))
    X_dev = rng.normal(5, 3, size=(50, 2)) + 10
    scaler = hb.data.Standardizer()
    Z = scaler.fit_transform(X_train)
    np.testing.assert_allclose(Z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(0), 1, atol=1e-6)
    np.testing.assert_allclose(
        scaler.transform(X_dev),
        (X_dev - X_train.mean(0)) / X_train.std(0),
        rtol=1e-6,
    )
    np.testing.assert_allclose(scaler.inverse_transform(Z), X_train)
    with pytest.raises(
        RuntimeError, match="Standardizer: call fit\\(X_train\\) before transform"
    ):
        hb.data.Standardizer().transform(X_dev)


def test_min_max_scaler(rng):
    X = rng.uniform(-3, 7, size=(100, 3))
    Z = hb.data.MinMaxScaler().fit_transform(X)
    np.testing.assert_allclose(Z.min(0), 0)
    np.testing.assert_allclose(Z.max(0), 1)
    assert hb.data.MinMaxScaler((-1, 1)).fit(X).transform(X).min() == pytest.approx(
        -1
    )
    assert (
        hb.data.Standardizer().fit_transform(X.astype(np.float32)).dtype
        == np.float32
    )


@pytest.mark.parametrize("method", ["pca", "zca"])
def test_whitening_makes_the_covariance_the_identity(rng, method):
    A = np.array([[2.0, 0.0, 0.0], [1.5, 0.5, 0.0], [0.3, -0.2, 0.1]])
    X = rng.normal(size=(2000, 3)) @ A + 4
    Z = hb.data.Whitener(method, eps=0.0).fit_transform(X)
    np.testing.assert_allclose(
        np.cov(Z, rowvar=False, bias=True), np.eye(3), atol=1e-8
    )


def test_zca_stays_closer_to_the_data_than_pca(rng):
    X = rng.normal(size=(1000, 2)) @ np.array([[3.0, 1.0], [0.0, 0.5]])
    Xc = X - X.mean(0)
    pca = hb.data.Whitener("pca").fit_transform(X)
    zca = hb.data.Whitener("zca").fit_transform(X)
    scale = Xc.std()
    assert np.linalg.norm(zca - Xc / scale) < np.linalg.norm(pca - Xc / scale)


def test_one_hot_round_trip_and_errors():
    y = np.array([2, 0, 1, 2])
    Y = hb.data.one_hot(y)
    assert Y.shape == (4, 3) and (Y.argmax(1) == y).all() and (Y.sum(1) == 1).all()
    with pytest.raises(
        ValueError,
        match="^one_hot: K must be more than the largest label 2, got 2$",
    ):
        hb.data.one_hot(y, 2)
    with pytest.raises(
        ValueError, match="^one_hot: y must be a 1-D array of integer labels >= 0"
    ):
        hb.data.one_hot(np.array([0.5, 1.0]))


def test_augmentations_keep_shapes_and_undo_exactly_where_they_should():
    X, _ = hb.datasets.digits()
    x = X[:5]
    np.testing.assert_array_equal(hb.data.flip(hb.data.flip(x)), x)
    np.testing.assert_allclose(hb.data.affine(x, degrees=0.0, scale=1.0), x)
    quarter = hb.data.affine(x, degrees=90.0).reshape(5, 8, 8)
    assert any(
        np.allclose(quarter, np.rot90(x.reshape(5, 8, 8), k, axes=(1, 2)))
        for k in (1, -1)
    )
    moved = hb.data.shift(x, 1, 0).reshape(5, 8, 8)
    np.testing.assert_array_equal(moved[:, :, 1:], x.reshape(5, 8, 8)[:, :, :-1])
    np.testing.assert_array_equal(moved[:, :, 0], 0)
    for out in (
        hb.data.elastic(x, rng=0),
        hb.data.augment(x, rng=0),
        hb.data.add_noise(x, 0.1, rng=0),
    ):
        assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1 + 1e-12
        assert not np.array_equal(out, x)
    np.testing.assert_array_equal(
        hb.data.augment(x, rng=3), hb.data.augment(x, rng=3)
    )
    assert hb.data.affine(x.astype(np.float32), 10, 1.1).dtype == np.float32
    with pytest.raises(ValueError, match=r"^flip: X must be rows of square images"):
        hb.data.flip(np.ones((2, 10)))
    with pytest.raises(
        ValueError, match="^affine: scale must be > 0 for every image, got 0"
    ):
        hb.data.affine(x, scale=0)
    with pytest.raises(ValueError, match="^elastic: sigma must be > 0, got 0"):
        hb.data.elastic(x, sigma=0)
    with pytest.raises(ValueError, match="^add_noise: std must be >= 0"):
        hb.data.add_noise(x, -0.1)


def test_overfitting_digits_is_small_stratified_and_disjoint():
    (X_train, y_train), (X_dev, y_dev) = hb.datasets.overfitting_digits(200)
    assert len(X_train) in range(195, 206) and len(X_train) + len(X_dev) == 1797
    assert np.bincount(y_train).min() >= 18


def test_split_rounding_and_bad_arguments():
    X, y = np.arange(10).reshape(-1, 1), np.arange(10) % 2
    (Xa, _), (Xb, _) = hb.data.split(X, y, (0.55, 0.45), rng=0)
    assert (len(Xa), len(Xb)) == (
        6,
        4,
    )  # floor(4.5) = 4 for the dev set, the rest to training
    with pytest.raises(ValueError, match="2 or 3 positive numbers"):
        hb.data.split(X, y, (0.25, 0.25, 0.25, 0.25))
    with pytest.raises(
        ValueError,
        match=r"^split: X and y must be of the same length \(one label per row\), got 10 and 9 rows$",
    ):
        hb.data.split(X, y[:9])


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 60),
    batch_size=st.integers(1, 70),
    seed=st.integers(0, 2**32 - 1),
)
def test_minibatches_partition_the_rows(n, batch_size, seed):
    X, y = np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n)
    batches = list(hb.data.minibatches(X, y, batch_size, rng=seed))
    sizes = [len(b) for b, _ in batches]
    assert sizes == [batch_size] * (n // batch_size) + (
        [n % batch_size] if n % batch_size else []
    )
    order = np.concatenate([yb for _, yb in batches])
    assert sorted(order) == list(range(n))
    np.testing.assert_array_equal(
        np.concatenate([xb for xb, _ in batches]), X[order]
    )
    again = np.concatenate(
        [
            yb
            for _, yb in hb.data.minibatches(
                X, y, batch_size, rng=np.random.default_rng(seed)
            )
        ]
    )
    np.testing.assert_array_equal(
        again, order
    )  # an int seed and a Generator from it agree
    assert batches[0][0].dtype == np.float32


def test_minibatches_seeds_and_errors():
    X, y = np.arange(100).reshape(-1, 1), np.arange(100)
    first = [b for _, b in hb.data.minibatches(X, y, 10, rng=1)]
    assert all(
        np.array_equal(a, b)
        for a, b in zip(first, [b for _, b in hb.data.minibatches(X, y, 10, rng=1)])
    )
    assert not np.array_equal(
        first[0], next(hb.data.minibatches(X, y, 10, rng=2))[1]
    )
    with pytest.raises(
        ValueError, match="^minibatches: X and y must be of the same length"
    ):
        next(hb.data.minibatches(X, y[:50], 10))
    with pytest.raises(
        TypeError,
        match="^minibatches: batch_size must be a whole number >= 1, got 2.5$",
    ):
        next(hb.data.minibatches(X, y, 2.5))
    with pytest.raises(TypeError, match="^minibatches: rng must be a seed"):
        next(hb.data.minibatches(X, y, 10, rng="0"))


@pytest.mark.parametrize(
    "make",
    [
        hb.data.Standardizer,
        hb.data.MinMaxScaler,
        hb.data.Whitener,
        lambda: hb.data.Whitener("zca"),
    ],
)
def test_scalers_check_their_input_and_keep_float32(make, rng):
    X = rng.normal(size=(200, 3)).astype(np.float32)
    scaler = make()
    with pytest.raises(
        RuntimeError, match="call fit\\(X_train\\) before transform"
    ):
        scaler.transform(X)
    assert scaler.fit_transform(X).dtype == np.float32
    name = type(scaler).__name__
    with pytest.raises(
        ValueError,
        match=rf"^{name}: X must be of shape \(batch, 3\), "
        r"got shape \(5, 4\)$",
    ):
        scaler.transform(np.ones((5, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=rf"^{name}: X must be a non-empty"):
        make().fit(np.ones(5))
    with pytest.raises(
        TypeError, match=rf"^{name}: X must be an array of real numbers"
    ):
        make().fit(X + 1j)
    integers = np.arange(600).reshape(200, 3) % 7
    assert make().fit(integers).transform(integers).dtype == np.float64


def test_min_max_inverse_constant_features_and_range(rng):
    X = np.column_stack([rng.uniform(-3, 7, 50), np.full(50, 2.0)])
    scaler = hb.data.MinMaxScaler((-1, 1)).fit(X)
    Z = scaler.transform(X)
    np.testing.assert_allclose(
        Z[:, 1], -1
    )  # a constant feature maps to the low end, no division by zero
    np.testing.assert_allclose(scaler.inverse_transform(Z), X)
    Z = hb.data.Standardizer().fit_transform(X)
    assert np.isfinite(Z).all() and np.allclose(Z[:, 1], 0)
    with pytest.raises(ValueError, match="low < high"):
        hb.data.MinMaxScaler((1, 0))


def test_one_hot_dtype_and_empty_labels():
    assert (
        hb.data.one_hot(np.array([1, 0]), 3, dtype=np.float32).dtype == np.float32
    )
    assert hb.data.one_hot(np.array([], dtype=int), 4).shape == (0, 4)
    with pytest.raises(
        ValueError, match="^one_hot: K must be given for an empty label array"
    ):
        hb.data.one_hot(np.array([], dtype=int))
    with pytest.raises(ValueError, match="integer labels >= 0"):
        hb.data.one_hot(np.array([0, -1]))


# ---------------------------------------------------------------- issue 15: clear errors
IMAGES = np.random.default_rng(0).uniform(0, 1, (4, 64))
X40 = np.random.default_rng(0).normal(size=(40, 3))
Y40 = np.arange(40) % 3


def test_lists_of_rows_are_converted_like_arrays():
    split_lists = hb.data.split(X40.tolist(), Y40.tolist(), stratify=True, rng=0)
    split_arrays = hb.data.split(X40, Y40, stratify=True, rng=0)
    for (Xa, ya), (Xb, yb) in zip(split_lists, split_arrays):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)
        assert ya.dtype.kind == "i"  # integer labels stay labels
    from_lists = list(hb.data.minibatches(X40.tolist(), Y40.tolist(), 8, rng=0))
    from_arrays = list(hb.data.minibatches(X40, Y40, 8, rng=0))
    assert all(
        np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        for a, b in zip(from_lists, from_arrays, strict=True)
    )
    np.testing.assert_array_equal(
        hb.data.Standardizer().fit_transform(X40.tolist()),
        hb.data.Standardizer().fit_transform(X40),
    )
    for augmentation in (
        hb.data.flip,
        lambda X: hb.data.shift(X, 1, -1),
        lambda X: hb.data.add_noise(X, 0.1, rng=0),
        hb.data.affine,
        lambda X: hb.data.elastic(X, rng=0),
        lambda X: hb.data.augment(X, rng=0),
    ):
        np.testing.assert_array_equal(
            augmentation(IMAGES.tolist()), augmentation(IMAGES)
        )


@pytest.mark.parametrize(
    "call, who, argument",
    [
        (lambda: hb.data.split(X40, None), "split", "y"),
        (lambda: hb.data.split(None, Y40), "split", "X"),
        (lambda: hb.data.split(X40, np.array(["a"] * 40)), "split", "y"),
        (lambda: hb.data.split(X40 + 1j, Y40), "split", "X"),
        (lambda: hb.data.split(X40, Y40, ratios=None), "split", "ratios"),
        (lambda: hb.data.split(X40, Y40, ratios=0.8), "split", "ratios"),
        (lambda: hb.data.split(X40, Y40, ratios=("a", "b")), "split", "ratios"),
        (lambda: hb.data.split(X40, Y40, stratify="yes"), "split", "stratify"),
        (lambda: next(hb.data.minibatches(X40, None, 8)), "minibatches", "y"),
        (
            lambda: next(hb.data.minibatches([["a", "b"], ["c", "d"]], [0, 1], 8)),
            "minibatches",
            "X",
        ),
        (
            lambda: next(hb.data.minibatches(X40, Y40, 8, shuffle="no")),
            "minibatches",
            "shuffle",
        ),
        (lambda: hb.data.split_sizes(100, share="0.2"), "split_sizes", "share"),
        (lambda: hb.data.split_sizes(100, enough=2.5), "split_sizes", "enough"),
        (lambda: hb.data.Standardizer().fit(None), "Standardizer", "X"),
        (lambda: hb.data.MinMaxScaler(5), "MinMaxScaler", "feature_range"),
        (lambda: hb.data.MinMaxScaler((0, "1")), "MinMaxScaler", "feature_range"),
        (lambda: hb.data.one_hot([0, 1], dtype="banana"), "one_hot", "dtype"),
        (lambda: hb.data.one_hot([0, 1], dtype=complex), "one_hot", "dtype"),
        (lambda: hb.data.flip(IMAGES, horizontal="no"), "flip", "horizontal"),
        (lambda: hb.data.shift(IMAGES, 1.5, 0), "shift", "dx"),
        (lambda: hb.data.shift(IMAGES, 0, True), "shift", "dy"),
        (lambda: hb.data.add_noise(IMAGES, 0.1, low="0"), "add_noise", "low"),
        (lambda: hb.data.affine(IMAGES, degrees="a"), "affine", "degrees"),
        (lambda: hb.data.affine(IMAGES, scale=None), "affine", "scale"),
        (lambda: hb.data.elastic(IMAGES, alpha="1"), "elastic", "alpha"),
        (lambda: hb.data.warp(IMAGES, "a", np.zeros((4, 8, 8))), "warp", "rows"),
        (
            lambda: hb.data.augment(IMAGES, rng=0, max_shift=2.5),
            "augment",
            "max_shift",
        ),
        (
            lambda: hb.data.augment(IMAGES, rng=0, scale_range=5),
            "augment",
            "scale_range",
        ),
        (lambda: hb.data.augment(IMAGES, rng=0, noise="a"), "augment", "noise"),
    ],
)
def test_a_wrong_kind_of_object_is_a_type_error_naming_who_and_argument(
    call, who, argument
):
    with pytest.raises(TypeError, match=rf"^{who}: {argument} must be "):
        call()


@pytest.mark.parametrize(
    "call, who, argument, expectation",
    [
        (
            lambda: hb.data.split([[1, 2], [3]], [0, 1]),
            "split",
            "X",
            r"an array \(nested lists with rows of one length\)",
        ),
        (
            lambda: hb.data.split(3.0, Y40),
            "split",
            "X",
            "an array with one row per example",
        ),
        (
            lambda: hb.data.split(X40, Y40, [[0.5, 0.5], [0.5, 0.5]]),
            "split",
            "ratios",
            "2 or 3",
        ),
        (
            lambda: hb.data.split(
                X40, np.where(np.arange(40) == 0, np.nan, Y40 * 1.0), stratify=True
            ),
            "split",
            "y",
            "class labels without NaN",
        ),
        (
            lambda: hb.data.split_sizes(100, enough=0),
            "split_sizes",
            "enough",
            ">= 1",
        ),
        (
            lambda: hb.data.split_sizes(100, share=1.5),
            "split_sizes",
            "share",
            r"in \(0, 0.5\)",
        ),
        (
            lambda: hb.data.split_sizes(10**6, large_share=2),
            "split_sizes",
            "large_share",
            r"in \[0, 0.5\)",
        ),
        (
            lambda: hb.data.split_sizes(10**6, large_share=-0.1),
            "split_sizes",
            "large_share",
            "in",
        ),
        (lambda: hb.data.split_sizes(99, share=0.01), "split_sizes", "m", ">= 100"),
        (
            lambda: hb.data.MinMaxScaler((0, np.inf)),
            "MinMaxScaler",
            "feature_range",
            "finite",
        ),
        (
            lambda: hb.data.MinMaxScaler((0, 1, 2)),
            "MinMaxScaler",
            "feature_range",
            r"a pair",
        ),
        (
            lambda: hb.data.Whitener("PCA"),
            "Whitener",
            "method",
            r"one of \['pca', 'zca'\]",
        ),
        (
            lambda: (
                hb.data.Standardizer().fit(X40).transform(np.full((2, 3), np.nan))
            ),
            "Standardizer",
            "X",
            "finite everywhere",
        ),
        (
            lambda: hb.data.one_hot([[0], 1]),
            "one_hot",
            "y",
            "a 1-D array of integer labels",
        ),
        (
            lambda: hb.data.flip(np.ones((3, 0))),
            "flip",
            "X",
            "rows of square images",
        ),
        (
            lambda: hb.data.flip(np.full((1, 64), np.nan)),
            "flip",
            "X",
            "finite everywhere",
        ),
        (
            lambda: hb.data.shift(IMAGES, 8, 0),
            "shift",
            "dx",
            "<= 7 for images of side 8",
        ),
        (lambda: hb.data.shift(IMAGES, 0, -8), "shift", "dy", ">= -7"),
        (
            lambda: hb.data.add_noise(np.full((1, 64), np.nan), 0.1),
            "add_noise",
            "X",
            "finite",
        ),
        (
            lambda: hb.data.add_noise(IMAGES, 0.1, low=1, high=0),
            "add_noise",
            "high",
            "> 1",
        ),
        (
            lambda: hb.data.affine(IMAGES, degrees=[10, 20]),
            "affine",
            "degrees",
            r"a number or one per image \(4\), got shape \(2,\)",
        ),
        (
            lambda: hb.data.affine(IMAGES, scale=[1, 1, 0, 1]),
            "affine",
            "scale",
            "> 0 for every image",
        ),
        (
            lambda: hb.data.affine(IMAGES, scale=1e-300),
            "affine",
            "scale",
            "at least 1e-100",
        ),
        (lambda: hb.data.affine(IMAGES, scale=np.inf), "affine", "scale", "finite"),
        (
            lambda: hb.data.elastic(IMAGES, alpha=np.nan),
            "elastic",
            "alpha",
            "finite",
        ),
        (lambda: hb.data.elastic(IMAGES, alpha=-1), "elastic", "alpha", ">= 0"),
        (lambda: hb.data.elastic(IMAGES, sigma=1e-200), "elastic", "sigma", "in"),
        (
            lambda: hb.data.warp(IMAGES, np.zeros((8, 8)), np.zeros((4, 8, 8))),
            "warp",
            "rows",
            r"of the images' shape \(4, 8, 8\)",
        ),
        (
            lambda: hb.data.warp(
                IMAGES, np.zeros((4, 8, 8)), np.full((4, 8, 8), np.nan)
            ),
            "warp",
            "cols",
            "without NaN",
        ),
    ],
)
def test_a_wrong_value_is_a_value_error_naming_who_and_argument(
    call, who, argument, expectation
):
    with pytest.raises(
        ValueError, match=rf"^{who}: {argument} must be {expectation}"
    ):
        call()


@pytest.mark.parametrize(
    "arguments, argument, expectation",
    [
        (dict(scale_range=(-1, 1)), "scale_range", r"a pair of zooms > 0"),
        (dict(scale_range=(0, 1)), "scale_range", r"a pair of zooms > 0"),
        (dict(scale_range=(1, 0.5)), "scale_range", "a pair"),
        (dict(noise=-0.1), "noise", ">= 0"),
        (dict(max_shift=-1), "max_shift", ">= 0"),
        (dict(max_shift=8), "max_shift", "<= 7 for images of side 8"),
        (dict(max_degrees=181), "max_degrees", r"in \[0, 180\]"),
        (dict(max_degrees=np.inf), "max_degrees", "finite"),
        (dict(rng="0"), "rng", "a seed"),
    ],
)
def test_augment_names_itself_and_its_argument_not_the_augmentation_it_calls(
    arguments, argument, expectation
):
    error = TypeError if argument == "rng" else ValueError
    with pytest.raises(error, match=rf"^augment: {argument} must be {expectation}"):
        hb.data.augment(IMAGES, **{"rng": 0, **arguments})
    with pytest.raises(
        ValueError, match=r"^augment: X must be rows of square images"
    ):
        hb.data.augment(IMAGES[0], rng=0)


@settings(max_examples=200, deadline=None)
@given(
    share=st.floats(0.001, 0.4999),
    enough=st.integers(1, 100),
    large_share=st.floats(0.0, 0.4999),
)
def test_split_sizes_names_exactly_the_fewest_examples_that_give_dev_and_test_sets(
    share, enough, large_share
):
    options = dict(share=share, enough=enough, large_share=large_share)
    with pytest.raises(
        ValueError, match=r"^split_sizes: m must be >= (\d+) "
    ) as refused:
        hb.data.split_sizes(1, **options)
    needed = int(re.search(r">= (\d+) ", str(refused.value)).group(1))
    assert min(hb.data.split_sizes(needed, **options)) >= 1
    if needed > 1:
        with pytest.raises(
            ValueError,
            match=rf"^split_sizes: m must be >= {needed} .*, "
            rf"got {needed - 1}$",
        ):
            hb.data.split_sizes(needed - 1, **options)


def test_float16_statistics_neither_overflow_nor_lose_eps():
    far = (X40 * 300 + 1000).astype(np.float16)  # squared deviations pass 65,504
    Z = hb.data.Standardizer().fit_transform(far)
    assert Z.dtype == np.float16 and np.isfinite(Z).all()
    np.testing.assert_allclose(Z.astype(float).std(axis=0), 1, atol=0.01)
    constant = np.column_stack([X40[:, 0], np.ones(40)]).astype(
        np.float16
    )  # eps 1e-8 is 0
    Z = hb.data.Standardizer().fit_transform(constant)
    assert np.isfinite(Z).all() and (Z[:, 1] == 0).all()
    wide = np.array(
        [[-60000.0], [60000.0]], np.float16
    )  # max - min overflows float16
    np.testing.assert_array_equal(
        hb.data.MinMaxScaler().fit_transform(wide), [[0], [1]]
    )
    assert hb.data.Whitener().fit_transform(far).dtype == np.float16
    narrow = hb.data.Standardizer().fit(
        (X40 * 0.01).astype(np.float16)
    )  # sigma about 0.01
    with pytest.raises(
        ValueError,
        match=r"^Standardizer: X must be within the range of float16 "
        r"once transformed \(up to 65504\), got 6 values",
    ):
        narrow.transform(np.full((2, 3), 1000, np.float16))
    with pytest.raises(
        ValueError, match=r"^MinMaxScaler: X must be within the range of float16"
    ):
        hb.data.MinMaxScaler((0, 1e6)).fit_transform(X40.astype(np.float16))


@settings(max_examples=50, deadline=None)
@given(
    scale=st.floats(1e-2, 1e4), offset=st.floats(-3e4, 3e4), seed=st.integers(0, 10)
)
def test_standardized_float16_data_have_unit_variance(scale, offset, seed):
    X = (
        np.random.default_rng(seed)
        .normal(offset, scale, (50, 2))
        .astype(np.float16)
    )
    assume(np.isfinite(X).all() and (X.astype(float).std(axis=0) > 0).all())
    Z = hb.data.Standardizer().fit_transform(X).astype(float)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=0.01)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=0.01)


def test_no_numpy_warning_escapes_extreme_but_legal_arguments():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(hb.data.affine(IMAGES, scale=1e-90)).all()
        assert np.isfinite(hb.data.affine(IMAGES, scale=1e300)).all()
        assert np.isfinite(hb.data.elastic(IMAGES, sigma=1e-100, rng=0)).all()
        assert np.isfinite(hb.data.elastic(IMAGES, sigma=1e100, rng=0)).all()
        np.testing.assert_array_equal(
            hb.data.elastic(IMAGES, alpha=1e300, rng=0), 0
        )  # all gone
        noisy = hb.data.add_noise(IMAGES.astype(np.float32), 1e300, rng=0)
        assert noisy.dtype == np.float32 and set(np.unique(noisy)) <= {0.0, 1.0}
        far = np.full((4, 8, 8), np.inf)
        np.testing.assert_array_equal(
            hb.data.warp(IMAGES, far, -far), 0
        )  # outside is 0
        assert (
            hb.data.augment(
                IMAGES,
                rng=0,
                max_shift=7,
                max_degrees=180,
                scale_range=(1e-90, 1e300),
            ).shape
            == IMAGES.shape
        )


def test_warp_keeps_coordinates_inside_the_border_ring_exactly():
    rng = np.random.default_rng(3)
    rows, cols = rng.uniform(-1, 8, (2, 4, 8, 8))
    far = np.where(
        rng.uniform(size=(4, 8, 8)) < 0.3, 1e9, rows
    )  # far outside: 0 either way
    expected = np.where(
        (far == 1e9).reshape(4, 64), 0, hb.data.warp(IMAGES, rows, cols)
    )
    np.testing.assert_array_equal(hb.data.warp(IMAGES, far, cols), expected)


# --- a fit that fails on the way leaves the scaler unfitted, not half fitted; training
# data refused up front change nothing


GOOD = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 3.0]])
RANK_1 = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])


@pytest.mark.parametrize("refit", [False, True])
def test_a_fit_that_fails_on_the_way_leaves_the_scaler_unfitted(refit):
    whitener = hb.data.Whitener(eps=0)
    if refit:
        whitener.fit(GOOD)
    with pytest.raises(
        ValueError, match=r"^Whitener: eps must be > 0 for data of lower rank"
    ):
        whitener.fit(RANK_1)  # mu is already the new data's when the rank is found
    assert whitener.fitted is False
    with pytest.raises(
        RuntimeError, match=r"^Whitener: call fit\(X_train\) before transform$"
    ):
        whitener.transform(GOOD)


@pytest.mark.parametrize(
    "make, bad_X, match",
    [
        (
            hb.data.Standardizer,
            np.array([[np.nan, 1.0], [1.0, 2.0]]),
            r"^Standardizer: X must be finite",
        ),
        (
            hb.data.MinMaxScaler,
            np.ones((0, 2)),
            r"^MinMaxScaler: X must be a non-empty",
        ),
        (
            hb.data.Whitener,
            np.array([[1e200, 1.0], [0.0, 2.0]]),
            r"^Whitener: X must be within",
        ),
        (
            hb.data.Standardizer,
            np.ones((3, 5)),
            None,
        ),  # another width: a new fit, accepted
    ],
)
def test_training_data_refused_up_front_leave_an_earlier_fit_in_place(
    make, bad_X, match
):
    scaler = make().fit(GOOD)
    expected = scaler.transform(GOOD)
    if match is None:
        scaler.fit(bad_X)
        assert scaler.fitted and scaler.n_features == 5
        return
    with pytest.raises(ValueError, match=match):
        scaler.fit(bad_X)
    assert scaler.fitted
    np.testing.assert_array_equal(scaler.transform(GOOD), expected)


# --- arguments whose derived values overflow: refused by name, no NumPy warning


@pytest.mark.parametrize(
    "feature_range",
    [(-1e308, 1e308), (np.float64(-1e308), np.float64(1e308)), (-1.7e308, 1e308)],
)
def test_a_feature_range_whose_width_overflows_is_refused(feature_range):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            ValueError,
            match=r"^MinMaxScaler: feature_range's high - low must be finite, got inf$",
        ):
            hb.data.MinMaxScaler(feature_range)


def test_the_widest_feature_range_a_float_holds_scales_the_training_data():
    scaler = hb.data.MinMaxScaler((-8e307, 8e307))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = scaler.fit_transform(np.array([[0.0], [0.5], [1.0]]))
    np.testing.assert_allclose(Z.ravel(), [-8e307, 0, 8e307])


@pytest.mark.parametrize(
    "make", [hb.data.Standardizer, hb.data.MinMaxScaler, hb.data.Whitener]
)
@pytest.mark.parametrize("value", [1e151, -1.7e308])
def test_training_data_whose_statistics_overflow_is_refused(make, value):
    X = np.array([[value, 1.0], [0.0, 2.0], [1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            ValueError,
            match=rf"^{make.__name__}: X must be within \+-1e\+150 .*got a value of "
            rf"magnitude {re.escape(f'{abs(value):g}')}$",
        ):
            make().fit(X)


@settings(max_examples=40, deadline=None)
@given(scale=st.floats(1e-150, 1e150), seed=st.integers(0, 100))
def test_any_scale_up_to_1e150_gives_finite_statistics_without_warnings(
    scale, seed
):
    X = np.random.default_rng(seed).uniform(-1, 1, size=(20, 3)) * scale
    X[0] = scale  # values of the very magnitude
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scaler in (
            hb.data.Standardizer(),
            hb.data.MinMaxScaler(),
            hb.data.Whitener(),
        ):
            Z = scaler.fit_transform(X)
            assert np.isfinite(Z).all()


def test_elastic_with_the_largest_alpha_and_a_tiny_sigma_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = hb.data.elastic(
            IMAGES, alpha=np.finfo(np.float64).max, sigma=1e-150, rng=0
        )
    np.testing.assert_array_equal(out, 0)  # every pixel displaced out of the image


# --- sizes whose product is a float a hair below a whole number (0.29 * 100 is
# 28.999999999999996): the rows meant, not one fewer


@settings(max_examples=100, deadline=None)
@given(
    dev=st.integers(1, 49),
    test=st.integers(1, 49),
    k=st.integers(1, 5),
    stratify=st.booleans(),
)
def test_split_gives_exactly_the_percentages_of_a_hundred_rows(
    dev, test, k, stratify
):
    ratios = (1 - dev / 100 - test / 100, dev / 100, test / 100)
    n = (
        100 * k * (2 if stratify else 1)
    )  # with stratify, two classes of 100 * k rows
    y = np.arange(n) % 2 if stratify else np.zeros(n, int)
    parts = hb.data.split(np.zeros((n, 1)), y, ratios, stratify=stratify, rng=0)
    per = 2 if stratify else 1
    assert [len(X) for X, _ in parts] == [
        n - per * k * (dev + test),
        per * k * dev,
        per * k * test,
    ]


def test_split_of_the_reported_ratios():
    parts = hb.data.split(
        np.zeros((100, 1)), np.arange(100), (0.42, 0.29, 0.29), rng=0
    )
    assert [len(X) for X, _ in parts] == [42, 29, 29]


@settings(max_examples=100, deadline=None)
@given(percent=st.integers(1, 49), k=st.integers(1, 100))
def test_split_sizes_gives_exactly_the_share_of_a_whole_hundred(percent, k):
    m = 100 * k  # share * m <= 4,900, below enough=10,000
    share = percent / 100
    assert hb.data.split_sizes(m, share=share) == (
        m - 2 * percent * k,
        percent * k,
        percent * k,
    )


@pytest.mark.parametrize("share", [1e-300, 5e-324])
def test_a_share_too_small_for_any_array_is_refused_by_name(share):
    # 1 / 5e-324 is inf; 1e-300 once counted up from 1e300 one example at a time
    with pytest.raises(
        ValueError,
        match=r"^split_sizes: share must be large enough for a dev and a test "
        r"example from at most 9.22e\+18 examples, got ",
    ):
        hb.data.split_sizes(10**6, share=share)


def test_the_smallest_share_with_room_in_an_array_names_the_examples_needed():
    with pytest.raises(
        ValueError, match=r"^split_sizes: m must be >= \d{18} "
    ) as e:
        hb.data.split_sizes(10, share=1e-18)
    needed = int(re.search(r">= (\d+) ", str(e.value)).group(1))
    assert min(hb.data.split_sizes(needed, share=1e-18)) == 1


# --- noise clipped into [low, high] on images of another range would destroy them


def test_add_noise_refuses_images_outside_low_high_naming_x_and_the_range():
    scaled = np.round(IMAGES * 255)
    with pytest.raises(
        ValueError,
        match=r"^add_noise: X must be within \[low, high\] = \[0, 1\], the range the "
        r"noisy pixels are clipped to \(pass the images' own range as low and "
        r"high\), got values from \d to 25\d$",
    ):
        hb.data.add_noise(scaled, 5.0, rng=0)
    noisy = hb.data.add_noise(scaled, 5.0, rng=0, high=255)
    assert noisy.max() > 200 and noisy.min() >= 0 and noisy.max() <= 255
    with pytest.raises(
        ValueError,
        match=r"^add_noise: X must be within \[low, high\] "
        r"= \[-1, 1\].*, got values from -1.5 to 0.5$",
    ):
        hb.data.add_noise([[-1.5, 0.5, 0.0, 0.0]], 0.1, rng=0, low=-1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_add_noise_lets_through_what_rounding_leaves_beyond_an_end(dtype):
    eps = np.finfo(dtype).eps
    X = np.array([[1 + eps, -eps, 0.5, 1.0]], dtype)  # as a warp leaves them
    assert hb.data.add_noise(X, 0.0, rng=0).tolist() == [[1.0, 0.0, 0.5, 1.0]]
    with pytest.raises(
        ValueError, match=r"^add_noise: X must be within \[low, high\]"
    ):
        hb.data.add_noise(X + 8 * eps, 0.0, rng=0)


def test_augment_with_noise_refuses_pixels_outside_0_1_and_without_noise_keeps_them():
    raw = hb.datasets.digits()[0][:5] * 16
    with pytest.raises(
        ValueError,
        match=r"^augment: X must be pixels in \[0, 1\], the range the noise step "
        r"clips to \(scale the images to \[0, 1\], or pass noise=0\), got values "
        r"from 0 to 16$",
    ):
        hb.data.augment(raw, rng=0)
    assert hb.data.augment(raw, rng=0, noise=0).max() > 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_augment_of_white_images_passes_its_own_warped_pixels_to_the_noise(dtype):
    # rotating and zooming pixels of 1 gives some of 1 + eps: still in range
    white = np.ones((64, 64), dtype)
    for seed in range(5):
        out = hb.data.augment(
            white, rng=seed, max_degrees=180, scale_range=(0.3, 3)
        )
        assert out.dtype == dtype and out.min() >= 0 and out.max() <= 1


# ------------------------------------------------------------------ duplicates


def test_duplicates_finds_exact_and_near_copies_across_and_within_sets():
    import numpy as np

    import handbook as hb

    rng = np.random.default_rng(0)
    A = rng.normal(size=(50, 6))
    B = np.vstack([rng.normal(size=(20, 6)), A[[3, 7]], A[11] + 1e-3])
    pairs = hb.data.duplicates(B, A)
    assert pairs.tolist() == [[20, 3], [21, 7]]
    assert hb.data.duplicates(B, A, tolerance=0.01).tolist() == [[20, 3], [21, 7], [22, 11]]
    within = hb.data.duplicates(np.vstack([A, A[:2]]))
    assert within.tolist() == [[0, 50], [1, 51]]
    assert hb.data.duplicates(A).shape == (0, 2)


def test_duplicates_agrees_with_the_direct_distances_over_several_blocks():
    import numpy as np

    import handbook as hb

    rng = np.random.default_rng(1)
    A = rng.integers(0, 3, size=(1500, 3)).astype(np.float32)  # many exact ties
    B = rng.integers(0, 3, size=(40, 3)).astype(np.float32)
    pairs = hb.data.duplicates(A, B, tolerance=1.0)
    d = np.linalg.norm(A[:, None, :].astype(np.float64) - B[None, :, :], axis=2)
    assert pairs.tolist() == np.argwhere(d <= 1.0).tolist()


@pytest.mark.parametrize(
    "call, error, expected",
    [
        (lambda hb, np: hb.data.duplicates(np.ones((3, 2)), np.ones((3, 4))), ValueError,
         r"^duplicates: B must be of 2 features like A, got 4 features$"),
        (lambda hb, np: hb.data.duplicates(np.ones((3, 2)), tolerance=-1), ValueError,
         r"^duplicates: tolerance must be >= 0"),
        (lambda hb, np: hb.data.duplicates(np.ones(3)), ValueError,
         r"^duplicates: A must be a \(batch, features\) array"),
        (lambda hb, np: hb.data.duplicates(np.array([[np.nan, 1.0]])), ValueError,
         r"^duplicates: A must be finite"),
    ],
)
def test_duplicates_refuses_what_it_cannot_compare(call, error, expected):
    import numpy as np

    import handbook as hb

    with pytest.raises(error, match=expected):
        call(hb, np)
