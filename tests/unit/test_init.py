"""Initializers: statistics, shapes, seeds and the orthogonal property."""

import inspect
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    with pytest.raises(ValueError, match=r"^sparse\(31\): k must be at most n_in = 30, got 31$"):
        hb.init.sparse(31)((30, 8), np.random.default_rng(0))


def test_same_seed_same_weights_and_bad_names():
    a = hb.Dense(5, 3, rng=42).W.value
    b = hb.Dense(5, 3, rng=42).W.value
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"^hb.init.get: init must be one of \['he_normal'.*or a function f\(shape, rng\), "
                                         r"got the unknown initializer 'glorot'$"):
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


# --------------------------------------------------------------------- bad input

INITIALIZERS = {
    **hb.init.NAMED,
    "constant(0.1)": hb.init.constant(0.1),
    "normal(0.1)": hb.init.normal(0.1),
    "uniform(0.1)": hb.init.uniform(0.1),
    "sparse(1)": hb.init.sparse(1),
}


@pytest.mark.parametrize("name", INITIALIZERS)
@pytest.mark.parametrize("shape, error, message", [
    (3, TypeError, r"shape must be a pair \(n_in, n_out\), got 3$"),
    ("32", TypeError, r"shape must be a pair \(n_in, n_out\), got '32'$"),
    ((3, 2, 1), ValueError, r"shape must be a pair \(n_in, n_out\), got \(3, 2, 1\)$"),
    ((0, 3), ValueError, r"shape's n_in must be >= 1, got 0$"),
    ((3, -2), ValueError, r"shape's n_out must be >= 1, got -2$"),
    ((3.0, 2), TypeError, r"shape's n_in must be a whole number >= 1, got 3.0$"),
])
def test_every_initializer_takes_a_shape_of_two_whole_numbers_of_at_least_1(name, shape, error, message):
    init = INITIALIZERS[name]
    with pytest.raises(error, match=rf"^{re.escape(init.name)}: {message}"):
        init(shape, np.random.default_rng(0))


@pytest.mark.parametrize("name", INITIALIZERS)
def test_every_initializer_takes_a_generator_or_a_seed(name):
    init = INITIALIZERS[name]
    np.testing.assert_array_equal(init((4, 3), 5), init((4, 3), np.random.default_rng(5)))
    assert init([4, 3], None).shape == (4, 3)  # None: fresh entropy, as numpy.random.default_rng
    with pytest.raises(TypeError, match=rf"^{re.escape(init.name)}: rng must be a seed .* numpy.random.Generator, got 'a'$"):
        init((4, 3), "a")


@given(st.integers(1, 40), st.integers(1, 40), st.sampled_from(sorted(INITIALIZERS)))
def test_every_initializer_gives_finite_weights_of_any_valid_shape(n_in, n_out, name):
    W = INITIALIZERS[name]((n_in, n_out), np.random.default_rng(0))
    assert W.shape == (n_in, n_out) and W.dtype == np.float64 and np.all(np.isfinite(W))


@pytest.mark.parametrize("make, error, message", [
    (lambda: hb.init.constant("a"), TypeError, r"^constant: c must be a real number, got 'a'$"),
    (lambda: hb.init.constant(np.nan), ValueError, r"^constant: c must be finite, got nan$"),
    (lambda: hb.init.constant(None), TypeError, r"^constant: c must be a real number, got None$"),
    (lambda: hb.init.normal(-1), ValueError, r"^normal: std must be > 0, got -1$"),
    (lambda: hb.init.uniform(np.inf), ValueError, r"^uniform: r must be finite, got inf$"),
    (lambda: hb.init.sparse(0), ValueError, r"^sparse: k must be >= 1, got 0$"),
    (lambda: hb.init.sparse(2.0), TypeError, r"^sparse: k must be a whole number >= 1, got 2.0$"),
    (lambda: hb.init.sparse(3, std=-1), ValueError, r"^sparse: std must be > 0, got -1$"),
    (lambda: hb.init.sparse(3, std=np.nan), ValueError, r"^sparse: std must be finite, got nan$"),
    (lambda: hb.init.orthogonal((3, 2), 0, gain=np.nan), ValueError, r"^orthogonal: gain must be finite, got nan$"),
    (lambda: hb.init.orthogonal((3, 2), 0, gain=-1.0), ValueError, r"^orthogonal: gain must be > 0, got -1.0$"),
    (lambda: hb.init.orthogonal((3, 2), 0, gain="2"), TypeError, r"^orthogonal: gain must be a real number, got '2'$"),
])
def test_the_parameters_of_an_initializer_are_checked_where_they_are_given(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("init, error", [
    (["he_normal"], TypeError), (None, TypeError), (3, TypeError), ("he", ValueError), ("He_Normal", ValueError),
])
def test_get_takes_a_name_or_a_function(init, error):
    with pytest.raises(error, match=r"^hb.init.get: init must be one of \[.*\] or a function f\(shape, rng\), got "):
        hb.init.get(init)
    draw = lambda shape, rng: np.ones(shape)  # noqa: E731
    assert hb.init.get(draw) is draw and hb.init.get("he_normal") is hb.init.he_normal


def test_a_checked_initializer_keeps_its_name_docstring_and_signature():
    assert hb.init.he_normal.__name__ == "he_normal" and "He et al." in hb.init.he_normal.__doc__
    assert list(inspect.signature(hb.init.orthogonal).parameters) == ["shape", "rng", "gain"]
    assert repr(hb.init.normal(0.01)) == "hb.init.normal(0.01)"
    assert repr(hb.init.Initializer(lambda shape, rng: np.ones(shape), "ones")) == "ones"  # not the package's
    assert hb.init.orthogonal((4, 4), 0, gain=2.0) == pytest.approx(2 * hb.init.orthogonal((4, 4), 0))
    with pytest.raises(TypeError, match=r"^Initializer: draw must be a function"):
        hb.init.Initializer(0.1)
