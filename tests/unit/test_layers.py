"""Every layer against numerical gradients, its formula and its error messages."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import handbook as hb
from tests.unit.conftest import numerical_gradient, rel_error


def check_layer(layer, x, rng, tol=1e-7):
    """d(sum(y * r))/dx and /dparams by backprop against two-sided differences."""
    r = rng.normal(size=layer.forward(x).shape)
    cost = lambda: float(np.sum(layer.forward(x) * r))
    cost()
    dx = layer.backward(r)
    analytic = [p.grad.copy() for p in layer.parameters()]
    assert rel_error(numerical_gradient(cost, x), dx) < tol
    for p, g in zip(layer.parameters(), analytic):
        assert rel_error(numerical_gradient(cost, p.value), g) < tol, p.name


@pytest.mark.parametrize("make", [
    lambda: hb.Dense(5, 4, rng=0),
    lambda: hb.Dense(5, 4, bias=False, rng=0),
    lambda: hb.Sigmoid(),
    lambda: hb.Tanh(),
    lambda: hb.ReLU(),
    lambda: hb.LeakyReLU(0.1),
    lambda: hb.Maxout(5, 3, pieces=3, rng=0),
    lambda: hb.BatchNorm(5),
], ids=["dense", "dense-no-bias", "sigmoid", "tanh", "relu", "leaky-relu", "maxout", "batchnorm"])
def test_gradients_match_numerical_differences(make, rng):
    x = rng.normal(size=(6, 5))
    x[np.abs(x) < 0.05] = 0.5  # keep ReLU kinks away from the perturbations
    layer = make()
    if isinstance(layer, hb.BatchNorm):
        layer.gamma.value[:] = rng.normal(size=5)
        layer.beta.value[:] = rng.normal(size=5)
    check_layer(layer, x, rng)


def test_whole_network_with_batch_norm_passes_the_gradient_check(rng):
    model = hb.Sequential(hb.Dense(4, 6, rng=0), hb.BatchNorm(6), hb.Tanh(), hb.Dense(6, 3, rng=1))
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    assert report.relative_error < 1e-7


def test_dense_computes_x_w_plus_b_with_the_documented_shapes():
    layer = hb.Dense(3, 2, init=hb.init.constant(0.5))
    layer.b.value[:] = [1.0, -1.0]
    assert layer.W.shape == (3, 2) and layer.b.shape == (2,)
    np.testing.assert_allclose(layer.forward(np.array([[1.0, 2.0, 3.0]])), [[4.0, 2.0]])
    assert [p.name for p in layer.parameters()] == ["W", "b"]
    assert hb.Dense(3, 2, bias=False).b is None


def test_sigmoid_is_stable_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = hb.Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
    np.testing.assert_allclose(a, [[0.0, 0.5, 1.0]])


def test_sigmoid_derivative_is_at_most_a_quarter(rng):
    layer = hb.Sigmoid()
    layer.forward(rng.normal(scale=5, size=(100, 10)))
    assert layer.backward(np.ones((100, 10))).max() <= 0.25


def test_maxout_takes_the_largest_piece():
    layer = hb.Maxout(1, 1, pieces=2, init=hb.init.zeros)
    layer.W.value[:] = [[1.0, -1.0]]  # pieces x and -x: Maxout computes |x|
    np.testing.assert_allclose(layer.forward(np.array([[-2.0], [3.0]])), [[2.0], [3.0]])


def test_inverted_dropout_keeps_the_expected_activation_and_is_identity_at_test_time():
    layer = hb.Dropout(0.8, rng=0)
    x = np.ones((2000, 50))
    y = layer.forward(x)
    kept = y != 0
    assert abs(kept.mean() - 0.8) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.8)
    assert abs(y.mean() - 1.0) < 0.01
    assert layer.forward(x, training=False) is x
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), y)


def test_dropout_is_seeded_and_validates_keep_prob():
    a = hb.Dropout(0.5, rng=7).forward(np.ones((4, 4)))
    b = hb.Dropout(0.5, rng=7).forward(np.ones((4, 4)))
    np.testing.assert_array_equal(a, b)
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ValueError, match="keep_prob must be in \\(0, 1\\]"):
            hb.Dropout(bad)
    np.testing.assert_array_equal(hb.Dropout(1.0).forward(np.ones((2, 2))), np.ones((2, 2)))


def test_batchnorm_training_and_evaluation_modes(rng):
    bn = hb.BatchNorm(3, momentum=0.9)
    x = rng.normal(loc=5, scale=2, size=(64, 3))
    y = bn.forward(x)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0))
    x2 = rng.normal(size=(5, 3))
    expected = (x2 - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    np.testing.assert_allclose(bn.forward(x2, training=False), expected)


def test_batchnorm_compact_backward_equals_the_staged_one(rng):
    bn = hb.BatchNorm(4)
    bn.gamma.value[:] = rng.normal(size=4)
    x, dy = rng.normal(size=(10, 4)), rng.normal(size=(10, 4))
    bn.forward(x)
    dx = bn.backward(dy)
    # Staged: through x_hat, the variance and the mean, one step at a time.
    B, eps, gamma = len(x), 1e-5, bn.gamma.value
    mu = x.mean(0); xc = x - mu; var = (xc**2).mean(0); std = np.sqrt(var + eps); x_hat = xc / std
    dx_hat = dy * gamma
    dvar = np.sum(dx_hat * xc, 0) * -0.5 * std**-3
    dmu = -np.sum(dx_hat / std, 0) + dvar * np.mean(-2 * xc, 0)
    staged = dx_hat / std + dvar * 2 * xc / B + dmu / B
    np.testing.assert_allclose(dx, staged, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(bn.gamma.grad, np.sum(dy * x_hat, 0))


def test_sequential_predict_keeps_the_training_caches(rng):
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 2, rng=1))
    x = rng.normal(size=(5, 3))
    model.forward(x)
    model.backward(np.ones((5, 2)))
    expected = model[0].W.grad.copy()
    model.forward(x)
    model.predict(rng.normal(size=(7, 3)))
    model.backward(np.ones((5, 2)))
    np.testing.assert_array_equal(model[0].W.grad, expected)
    assert len(model) == 3 and "Dense(3 -> 4)" in repr(model)


def test_input_grad_false_skips_only_the_first_layers_dx(rng):
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.ReLU(), hb.Dense(4, 2, rng=1))
    x = rng.normal(size=(5, 3))
    model.forward(x)
    assert model.backward(np.ones((5, 2)), input_grad=False) is None
    grads = [p.grad.copy() for p in model.parameters()]
    model.forward(x)
    assert model.backward(np.ones((5, 2))).shape == x.shape
    for p, g in zip(model.parameters(), grads):
        np.testing.assert_array_equal(p.grad, g)


def test_float32_stays_float32_end_to_end(rng):
    model = hb.Sequential(hb.Dense(6, 5, rng=0), hb.BatchNorm(5), hb.ReLU(), hb.Dropout(0.9, rng=0),
                          hb.Dense(5, 5, rng=1), hb.Sigmoid(), hb.Maxout(5, 4, rng=2), hb.Tanh(),
                          hb.LeakyReLU(), hb.Dense(4, 3, rng=3)).astype(np.float32)
    loss = hb.SoftmaxCrossEntropy(label_smoothing=0.1)
    x = rng.normal(size=(8, 6)).astype(np.float32)
    out = model.forward(x)
    assert out.dtype == np.float32
    loss.forward(out, rng.integers(0, 3, 8))
    assert model.backward(loss.backward()).dtype == np.float32
    assert all(p.value.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 6), n_in=st.integers(1, 5), n_out=st.integers(1, 5),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_shapes_and_dtypes_are_preserved(batch, n_in, n_out, dtype):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, n_in)).astype(dtype)
    for layer in (hb.Dense(n_in, n_out, rng=0, dtype=dtype), hb.ReLU(), hb.Tanh(), hb.Sigmoid(),
                  hb.LeakyReLU(), hb.Maxout(n_in, n_out, rng=0, dtype=dtype)):
        y = layer.forward(x)
        assert y.dtype == dtype and y.shape[0] == batch
        dx = layer.backward(np.ones_like(y))
        assert dx.shape == x.shape and dx.dtype == dtype


def test_errors_name_the_layer_and_what_was_expected():
    with pytest.raises(ValueError, match=r"^Dense\(4 -> 2\): x must be of shape \(batch, 4\), got shape \(3, 5\)$"):
        hb.Dense(4, 2).forward(np.ones((3, 5)))
    with pytest.raises(TypeError, match=r"^Dense\(4 -> 2\): x must be float64 like the parameters .*, got float32$"):
        hb.Dense(4, 2).forward(np.ones((3, 4), np.float32))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        hb.Dense(4, 2).backward(np.ones((3, 2)))
    with pytest.raises(RuntimeError, match="ReLU.*backward called before forward"):
        hb.ReLU().backward(np.ones((3, 2)))
    with pytest.raises(ValueError, match="momentum must be in \\[0, 1\\)"):
        hb.BatchNorm(3, momentum=1.0)
    with pytest.raises(ValueError, match="at least 2 rows"):
        hb.BatchNorm(3).forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match="unknown initializer 'he'"):
        hb.Dense(3, 2, init="he")
    assert hb.Dense(4, 2).forward(np.ones((3, 4), dtype=int)).dtype == np.float64


def test_sequential_refuses_a_layer_used_twice_and_what_is_not_a_layer():
    """One instance twice would overwrite what its first use saved for backward:
    wrong gradients, without a word. Classes, lists and functions are not layers."""
    relu = hb.ReLU()
    with pytest.raises(ValueError, match=r"^Sequential: layers must be each a separate "
                                         r"instance, got ReLU\(\) at positions 1 and 3$"):
        hb.Sequential(hb.Dense(3, 4, rng=0), relu, hb.Dense(4, 4, rng=1), relu)
    for bad, shown in ((hb.Dense, "the class Dense"), ([hb.ReLU()], "list"),
                       (np.tanh, "ufunc")):
        with pytest.raises(TypeError, match=f"^Sequential: layers must be layer "
                                            f"instances.*got {shown}"):
            hb.Sequential(bad)
    with pytest.raises(ValueError, match="^Sequential: layers must be at least one"):
        hb.Sequential()


def test_weights_are_checked_when_they_are_drawn():
    with pytest.raises(TypeError, match="^Dense: dtype must be a float dtype"):
        hb.Dense(3, 2, dtype=np.int64)
    with pytest.raises(TypeError, match="^BatchNorm: dtype must be a float dtype"):
        hb.BatchNorm(3, dtype=np.int64)
    with pytest.raises(ValueError, match=r"^Dense: init must be a function giving finite "
                                         r"weights of shape \(3, 2\), got shape \(2, 3\)"):
        hb.Dense(3, 2, init=lambda shape, rng: np.ones((2, 3)))
    with pytest.raises(ValueError, match="got NaN or inf"):
        hb.Dense(3, 2, init=lambda shape, rng: np.full(shape, np.nan))
    with pytest.raises(TypeError, match="^Dense: init must be an initializer"):
        hb.Dense(3, 2, init=hb.init.normal)  # the factory, not called
    bn = hb.BatchNorm(2)
    with pytest.raises(ValueError, match="running statistics would keep a NaN or inf"):
        bn.forward(np.array([[1.0, np.nan], [2.0, 3.0]]))
    assert np.isfinite(bn.running_mean).all()
