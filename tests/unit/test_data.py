"""Splits, mini-batches, scalers, whitening and one-hot labels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import handbook as hb


def test_split_sizes_disjointness_and_stratification(rng):
    X = np.arange(1000).reshape(-1, 1)
    y = np.repeat([0, 1, 2, 3], [400, 300, 200, 100])
    (Xa, ya), (Xb, yb), (Xc, yc) = hb.data.split(X, y, (0.6, 0.2, 0.2), stratify=True, rng=0)
    assert (len(Xa), len(Xb), len(Xc)) == (600, 200, 200)
    all_rows = np.concatenate([Xa, Xb, Xc]).ravel()
    assert len(np.unique(all_rows)) == 1000
    for part in (ya, yb, yc):
        np.testing.assert_allclose(np.bincount(part) / len(part), [0.4, 0.3, 0.2, 0.1])
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
    assert [sizes(m) for m in (1, 2, 3, 5)] == [(1, 0, 0), (2, 0, 0), (2, 1, 0), (3, 1, 1)]
    assert sizes(np.int64(100)) == (60, 20, 20) and type(sizes(np.int64(100))[0]) is int
    assert sizes(1000, share=0.1, enough=50, large_share=0.0) == (900, 50, 50)
    for bad, error in ((0, ValueError), (-5, ValueError), (2.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="^split_sizes: m must be"):
            sizes(bad)
    with pytest.raises(ValueError, match=r"^split_sizes: share must be in \(0, 0.5\)"):
        sizes(100, share=0.5)


def test_split_refuses_an_empty_set_and_a_class_missing_from_a_set():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(ValueError, match="^split: ratios must be a split with no empty "
                                         "set, got 3/0 rows of 3"):
        hb.data.split(X[:3], np.zeros(3, int), ratios=(0.9, 0.1), rng=0)
    with pytest.raises(ValueError, match="^split: stratify must be used with every class "
                                         "in every set, got class 1 with 1 rows"):
        hb.data.split(X, np.array([0] * 9 + [1]), ratios=(0.8, 0.2), stratify=True, rng=0)
    with pytest.raises(ValueError, match="^split: ratios must be 2 or 3 positive"):
        hb.data.split(X, np.zeros(10, int), ratios=(0.5, 0.6))


def test_a_search_puts_runs_that_broke_last():
    scores = {1e-3: 0.9, 1e-2: float("nan"), 1e-1: 0.5}
    trials = hb.tuning.grid_search(lambda lr: scores[lr], {"lr": list(scores)})
    assert [t.hyperparameters["lr"] for t in trials] == [1e-3, 1e-1, 1e-2]


def test_split_sizes_grow_by_one_example_at_a_time():
    previous = hb.data.split_sizes(1)
    for m in range(2, 60_001):  # through the change from 20 % to 10,000 at 50,000
        current = hb.data.split_sizes(m)
        steps = np.subtract(current, previous)
        assert steps.min() >= 0 and steps.sum() == 1, (m, previous, current)
        previous = current


@settings(max_examples=300, deadline=None)
@given(m=st.integers(1, 10**12), more=st.integers(0, 10**12),
       share=st.floats(0.01, 0.49), enough=st.integers(0, 10**6),
       large_share=st.floats(0.0, 0.49), default=st.booleans())
def test_split_sizes_are_sensible_and_monotone(m, more, share, enough, large_share, default):
    options = {} if default else dict(share=share, enough=enough, large_share=large_share)
    small, large = (hb.data.split_sizes(n, **options) for n in (m, m + more))
    for n, sizes in ((m, small), (m + more, large)):
        train, dev, test = sizes
        assert train + dev + test == n and train >= 1 and dev >= 0 and test >= 0
        assert 0 <= dev - test <= 1  # the dev set gets an odd example
        assert train >= n * (1 - 2 * options.get("share", 0.2)) - 1e-6 * n
    assert all(b >= a for a, b in zip(small, large)), (small, large)  # no set shrinks


def test_minibatches_cover_every_row_once_per_epoch():
    X, y = np.arange(10).reshape(-1, 1), np.arange(10)
    batches = list(hb.data.minibatches(X, y, 4, rng=0))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    rows = np.concatenate([b[0].ravel() for b in batches])
    assert sorted(rows) == list(range(10)) and list(rows) != list(range(10))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), rows)
    ordered = np.concatenate([b[0].ravel() for b in hb.data.minibatches(X, y, 4, shuffle=False)])
    np.testing.assert_array_equal(ordered, np.arange(10))
    with pytest.raises(ValueError, match="^minibatches: batch_size must be >= 1, got 0$"):
        next(hb.data.minibatches(X, y, 0))
    with pytest.raises(TypeError, match="^minibatches: batch_size must be a whole number"):
        next(hb.data.minibatches(X, y, 2.0))


def test_standardizer_uses_training_statistics_only(rng):
    X_train = rng.normal(5, 3, size=(500, 2))
    X_dev = rng.normal(5, 3, size=(50, 2)) + 10
    scaler = hb.data.Standardizer()
    Z = scaler.fit_transform(X_train)
    np.testing.assert_allclose(Z.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(0), 1, atol=1e-6)
    np.testing.assert_allclose(scaler.transform(X_dev), (X_dev - X_train.mean(0)) / X_train.std(0), rtol=1e-6)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X_train)
    with pytest.raises(RuntimeError, match="Standardizer: call fit\\(X_train\\) before transform"):
        hb.data.Standardizer().transform(X_dev)


def test_min_max_scaler(rng):
    X = rng.uniform(-3, 7, size=(100, 3))
    Z = hb.data.MinMaxScaler().fit_transform(X)
    np.testing.assert_allclose(Z.min(0), 0)
    np.testing.assert_allclose(Z.max(0), 1)
    assert hb.data.MinMaxScaler((-1, 1)).fit(X).transform(X).min() == pytest.approx(-1)
    assert hb.data.Standardizer().fit_transform(X.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("method", ["pca", "zca"])
def test_whitening_makes_the_covariance_the_identity(rng, method):
    A = np.array([[2.0, 0.0, 0.0], [1.5, 0.5, 0.0], [0.3, -0.2, 0.1]])
    X = rng.normal(size=(2000, 3)) @ A + 4
    Z = hb.data.Whitener(method, eps=0.0).fit_transform(X)
    np.testing.assert_allclose(np.cov(Z, rowvar=False, bias=True), np.eye(3), atol=1e-8)


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
    with pytest.raises(ValueError, match="^one_hot: K must be more than the largest label 2, got 2$"):
        hb.data.one_hot(y, 2)
    with pytest.raises(ValueError, match="^one_hot: y must be a 1-D array of integer labels >= 0"):
        hb.data.one_hot(np.array([0.5, 1.0]))


def test_augmentations_keep_shapes_and_undo_exactly_where_they_should():
    X, _ = hb.datasets.digits()
    x = X[:5]
    np.testing.assert_array_equal(hb.data.flip(hb.data.flip(x)), x)
    np.testing.assert_allclose(hb.data.affine(x, degrees=0.0, scale=1.0), x)
    quarter = hb.data.affine(x, degrees=90.0).reshape(5, 8, 8)
    assert any(np.allclose(quarter, np.rot90(x.reshape(5, 8, 8), k, axes=(1, 2))) for k in (1, -1))
    moved = hb.data.shift(x, 1, 0).reshape(5, 8, 8)
    np.testing.assert_array_equal(moved[:, :, 1:], x.reshape(5, 8, 8)[:, :, :-1])
    np.testing.assert_array_equal(moved[:, :, 0], 0)
    for out in (hb.data.elastic(x, rng=0), hb.data.augment(x, rng=0), hb.data.add_noise(x, 0.1, rng=0)):
        assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1 + 1e-12
        assert not np.array_equal(out, x)
    np.testing.assert_array_equal(hb.data.augment(x, rng=3), hb.data.augment(x, rng=3))
    assert hb.data.affine(x.astype(np.float32), 10, 1.1).dtype == np.float32
    with pytest.raises(ValueError, match=r"^augmentation: X must be rows of square images"):
        hb.data.flip(np.ones((2, 10)))
    with pytest.raises(ValueError, match="^affine: scale must be > 0 for every image, got 0"):
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
    assert (len(Xa), len(Xb)) == (6, 4)  # floor(4.5) = 4 for the dev set, the rest to training
    with pytest.raises(ValueError, match="2 or 3 positive numbers"):
        hb.data.split(X, y, (0.25, 0.25, 0.25, 0.25))
    with pytest.raises(ValueError, match=r"^split: X and y must be of the same length \(one label per row\), got 10 and 9 rows$"):
        hb.data.split(X, y[:9])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), seed=st.integers(0, 2**32 - 1))
def test_minibatches_partition_the_rows(n, batch_size, seed):
    X, y = np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n)
    batches = list(hb.data.minibatches(X, y, batch_size, rng=seed))
    sizes = [len(b) for b, _ in batches]
    assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    order = np.concatenate([yb for _, yb in batches])
    assert sorted(order) == list(range(n))
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X[order])
    again = np.concatenate([yb for _, yb in hb.data.minibatches(X, y, batch_size, rng=np.random.default_rng(seed))])
    np.testing.assert_array_equal(again, order)  # an int seed and a Generator from it agree
    assert batches[0][0].dtype == np.float32


def test_minibatches_seeds_and_errors():
    X, y = np.arange(100).reshape(-1, 1), np.arange(100)
    first = [b for _, b in hb.data.minibatches(X, y, 10, rng=1)]
    assert all(np.array_equal(a, b) for a, b in zip(first, [b for _, b in hb.data.minibatches(X, y, 10, rng=1)]))
    assert not np.array_equal(first[0], next(hb.data.minibatches(X, y, 10, rng=2))[1])
    with pytest.raises(ValueError, match="^minibatches: X and y must be of the same length"):
        next(hb.data.minibatches(X, y[:50], 10))
    with pytest.raises(TypeError, match="^minibatches: batch_size must be a whole number >= 1, got 2.5$"):
        next(hb.data.minibatches(X, y, 2.5))
    with pytest.raises(TypeError, match="^minibatches: rng must be a seed"):
        next(hb.data.minibatches(X, y, 10, rng="0"))


@pytest.mark.parametrize("make", [hb.data.Standardizer, hb.data.MinMaxScaler, hb.data.Whitener,
                                  lambda: hb.data.Whitener("zca")])
def test_scalers_check_their_input_and_keep_float32(make, rng):
    X = rng.normal(size=(200, 3)).astype(np.float32)
    scaler = make()
    with pytest.raises(RuntimeError, match="call fit\\(X_train\\) before transform"):
        scaler.transform(X)
    assert scaler.fit_transform(X).dtype == np.float32
    name = type(scaler).__name__
    with pytest.raises(ValueError, match=rf"^{name}: X must be of shape \(batch, 3\), "
                                         r"got shape \(5, 4\)$"):
        scaler.transform(np.ones((5, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=rf"^{name}: X must be a non-empty"):
        make().fit(np.ones(5))
    with pytest.raises(TypeError, match=rf"^{name}: X must be an array of real numbers"):
        make().fit(X + 1j)
    integers = np.arange(600).reshape(200, 3) % 7
    assert make().fit(integers).transform(integers).dtype == np.float64


def test_min_max_inverse_constant_features_and_range(rng):
    X = np.column_stack([rng.uniform(-3, 7, 50), np.full(50, 2.0)])
    scaler = hb.data.MinMaxScaler((-1, 1)).fit(X)
    Z = scaler.transform(X)
    np.testing.assert_allclose(Z[:, 1], -1)  # a constant feature maps to the low end, no division by zero
    np.testing.assert_allclose(scaler.inverse_transform(Z), X)
    Z = hb.data.Standardizer().fit_transform(X)
    assert np.isfinite(Z).all() and np.allclose(Z[:, 1], 0)
    with pytest.raises(ValueError, match="low < high"):
        hb.data.MinMaxScaler((1, 0))


def test_one_hot_dtype_and_empty_labels():
    assert hb.data.one_hot(np.array([1, 0]), 3, dtype=np.float32).dtype == np.float32
    assert hb.data.one_hot(np.array([], dtype=int), 4).shape == (0, 4)
    with pytest.raises(ValueError, match="^one_hot: K must be given for an empty label array"):
        hb.data.one_hot(np.array([], dtype=int))
    with pytest.raises(ValueError, match="integer labels >= 0"):
        hb.data.one_hot(np.array([0, -1]))
