"""Initializers: statistics, shapes, seeds and the orthogonal property."""

import numpy as np
import pytest

import handbook as hb


@pytest.mark.parametrize("name, std", [
    ("he_normal", lambda n_in, n_out: np.sqrt(2 / n_in)),
    ("he_uniform", lambda n_in, n_out: np.sqrt(2 / n_in)),
    ("xavier_normal", lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
    ("xavier_uniform", lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
    ("lecun_normal", lambda n_in, n_out: np.sqrt(1 / n_in)),
])
def test_variance_scaling_standard_deviations(name, std):
    W = hb.init.get(name)((400, 300), np.random.default_rng(0))
    assert W.shape == (400, 300)
    assert abs(W.mean()) < 0.01 * std(400, 300) * 10
    assert W.std() == pytest.approx(std(400, 300), rel=0.02)


def test_fixed_initializers():
    rng = np.random.default_rng(0)
    assert (hb.init.zeros((3, 2), rng) == 0).all()
    assert (hb.init.constant(0.3)((3, 2), rng) == 0.3).all()
    assert hb.init.normal(0.01)((500, 500), rng).std() == pytest.approx(0.01, rel=0.02)
    W = hb.init.uniform(0.5)((500, 500), rng)
    assert -0.5 <= W.min() and W.max() <= 0.5 and W.std() == pytest.approx(0.5 / np.sqrt(3), rel=0.02)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5)])
def test_orthogonal_preserves_norms(shape):
    W = hb.init.orthogonal(shape, np.random.default_rng(0))
    small = min(shape)
    gram = W.T @ W if shape[0] >= shape[1] else W @ W.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-12)
    if shape[0] >= shape[1] and shape[0] == shape[1]:
        x = np.random.default_rng(1).normal(size=(3, shape[0]))
        np.testing.assert_allclose(np.linalg.norm(x @ W, axis=1), np.linalg.norm(x, axis=1))


def test_sparse_gives_exactly_k_nonzero_weights_per_unit():
    W = hb.init.sparse(5)((30, 8), np.random.default_rng(0))
    np.testing.assert_array_equal((W != 0).sum(axis=0), 5)
    with pytest.raises(ValueError, match="k must be at most n_in = 30"):
        hb.init.sparse(31)((30, 8), np.random.default_rng(0))


def test_same_seed_same_weights_and_bad_names():
    a = hb.Dense(5, 3, rng=42).W.value
    b = hb.Dense(5, 3, rng=42).W.value
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="unknown initializer 'glorot'.*he_normal"):
        hb.init.get("glorot")
    with pytest.raises(ValueError, match="^normal: std must be > 0"):
        hb.init.normal(0)


def test_zero_initialization_keeps_hidden_units_identical(rng):
    model = hb.Sequential(hb.Dense(4, 3, init="zeros"), hb.Sigmoid(), hb.Dense(3, 2, init="zeros"))
    X, y = rng.normal(size=(20, 4)), rng.integers(0, 2, 20)
    hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), lr=0.5), X, y,
           epochs=20, batch_size=20, rng=0)
    W = model[0].W.value
    assert np.abs(W).sum() > 0  # sigmoid units do move ...
    np.testing.assert_allclose(W, W[:, :1].repeat(3, axis=1))  # ... but stay copies of each other
