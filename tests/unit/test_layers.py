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
    lambda: hb.LayerNorm(5),
    lambda: hb.Residual(hb.Sequential(hb.Dense(5, 5, rng=0), hb.Tanh(), hb.Dense(5, 5, rng=1))),
], ids=["dense", "dense-no-bias", "sigmoid", "tanh", "relu", "leaky-relu", "maxout", "batchnorm",
        "layernorm", "residual"])
def test_gradients_match_numerical_differences(make, rng):
    x = rng.normal(size=(6, 5))
    x[np.abs(x) < 0.05] = 0.5  # keep ReLU kinks away from the perturbations
    layer = make()
    if isinstance(layer, (hb.BatchNorm, hb.LayerNorm)):
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


# ---------------------------------------------------------------- layer normalization


def test_layernorm_normalizes_each_row_over_its_features_then_scales_and_shifts(rng):
    ln = hb.LayerNorm(4)
    x = rng.normal(loc=3, scale=5, size=(6, 4))
    y = ln.forward(x)
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=1), x.var(axis=1) / (x.var(axis=1) + 1e-5))
    ln.gamma.value[:] = rng.normal(size=4)
    ln.beta.value[:] = rng.normal(size=4)
    x_hat = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(ln.forward(x), ln.gamma.value * x_hat + ln.beta.value, rtol=1e-12)


def test_layernorm_is_the_same_in_training_and_evaluation_and_mixes_no_rows(rng):
    """No running statistics: evaluation computes what training does, a row's output
    depends on that row alone, and one row is a batch like any other."""
    ln = hb.LayerNorm(5)
    x = rng.normal(size=(8, 5))
    np.testing.assert_array_equal(ln.forward(x, training=False), ln.forward(x))
    np.testing.assert_allclose(ln.forward(x[2:3]), ln.forward(x)[2:3], rtol=1e-14)
    assert ln.buffers() == {} and [p.name for p in ln.parameters()] == ["gamma", "beta"]
    assert not any(p.regularize for p in ln.parameters())
    assert repr(ln) == "LayerNorm(5)"


def test_layernorm_compact_backward_equals_the_staged_one(rng):
    ln = hb.LayerNorm(6)
    ln.gamma.value[:] = rng.normal(size=6)
    x, dy = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    ln.forward(x)
    dx = ln.backward(dy)
    # Staged: through x_hat, each row's variance and its mean, one step at a time.
    n, eps, gamma = x.shape[1], 1e-5, ln.gamma.value
    mu = x.mean(1, keepdims=True); xc = x - mu; var = (xc**2).mean(1, keepdims=True)
    std = np.sqrt(var + eps); x_hat = xc / std
    dx_hat = dy * gamma
    dvar = np.sum(dx_hat * xc, 1, keepdims=True) * -0.5 * std**-3
    dmu = -np.sum(dx_hat / std, 1, keepdims=True) + dvar * np.mean(-2 * xc, 1, keepdims=True)
    staged = dx_hat / std + dvar * 2 * xc / n + dmu / n
    np.testing.assert_allclose(dx, staged, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ln.gamma.grad, np.sum(dy * x_hat, 0))
    np.testing.assert_allclose(ln.beta.grad, np.sum(dy, 0))


def test_a_network_with_layer_norm_passes_the_gradient_check(rng):
    model = hb.Sequential(hb.Dense(4, 6, rng=0), hb.LayerNorm(6), hb.Tanh(), hb.Dense(6, 3, rng=1))
    model[1].gamma.value[:] = rng.normal(size=6)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    assert report.relative_error < 1e-7, str(report)


def test_layernorm_matches_pytorch_in_float64(rng):
    torch = pytest.importorskip("torch")
    n, eps = 7, 1e-5
    ln = hb.LayerNorm(n, eps=eps)
    ln.gamma.value[:] = rng.normal(size=n)
    ln.beta.value[:] = rng.normal(size=n)
    x, dy = rng.normal(loc=2, scale=3, size=(5, n)), rng.normal(size=(5, n))
    reference = torch.nn.LayerNorm(n, eps=eps, dtype=torch.float64)
    with torch.no_grad():
        reference.weight.copy_(torch.from_numpy(ln.gamma.value))
        reference.bias.copy_(torch.from_numpy(ln.beta.value))
    x_t = torch.tensor(x, requires_grad=True)
    y_t = reference(x_t)
    y_t.backward(torch.from_numpy(dy))
    y = ln.forward(x)
    dx = ln.backward(dy)
    for ours, theirs in ((y, y_t), (dx, x_t.grad), (ln.gamma.grad, reference.weight.grad),
                         (ln.beta.grad, reference.bias.grad)):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_layernorm_refuses_bad_arguments_naming_itself():
    with pytest.raises(ValueError, match=r"^LayerNorm: n must be >= 2, got 1$"):
        hb.LayerNorm(1)
    with pytest.raises(TypeError, match=r"^LayerNorm: n must be a whole number >= 2, got 4.0$"):
        hb.LayerNorm(4.0)
    with pytest.raises(ValueError, match=r"^LayerNorm: eps must be > 0, got 0$"):
        hb.LayerNorm(4, eps=0)
    with pytest.raises(ValueError, match=r"^LayerNorm: eps must be at least 6.0e-08 for float16 values"):
        hb.LayerNorm(4, eps=1e-10, dtype=np.float16)
    with pytest.raises(ValueError, match=r"^LayerNorm\(4\): eps must be at least 6.0e-08 for float16"):
        hb.LayerNorm(4, eps=1e-8).astype(np.float16)
    with pytest.raises(TypeError, match=r"^LayerNorm: dtype must be a float dtype"):
        hb.LayerNorm(4, dtype=np.int64)
    with pytest.raises(ValueError, match=r"^LayerNorm\(4\): x must be of shape \(batch, 4\), got shape \(2, 3\)$"):
        hb.LayerNorm(4).forward(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"^LayerNorm\(4\): x must be float64 like the parameters"):
        hb.LayerNorm(4).forward(np.ones((2, 4), np.float32))
    with pytest.raises(TypeError, match=r"^LayerNorm\(4\): training must be True or False, got 'no'$"):
        hb.LayerNorm(4).forward(np.ones((2, 4)), training="no")
    assert hb.LayerNorm(4).forward(np.arange(8).reshape(2, 4)).dtype == np.float64


# ---------------------------------------------------------------- residual blocks


def residual_block(width=4, rng=0):
    return hb.Residual(hb.Sequential(hb.Dense(width, width, rng=rng), hb.ReLU(),
                                     hb.Dense(width, width, rng=rng + 1)))


def test_residual_adds_its_input_and_backward_adds_the_skips_gradient(rng):
    block = residual_block()
    f = block.f
    x, dy = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    np.testing.assert_array_equal(block.forward(x), x + f.forward(x))
    block.forward(x)
    dx = block.backward(dy)
    grads = [p.grad.copy() for p in block.parameters()]
    f.forward(x)
    np.testing.assert_allclose(dx, dy + f.backward(dy), rtol=1e-14)
    for p, g in zip(f.parameters(), grads, strict=True):
        np.testing.assert_array_equal(p.grad, g)
    assert all(a is b for a, b in zip(block.parameters(), f.parameters(), strict=True))
    block.forward(x)
    assert block.backward(dy, input_grad=False) is None


def test_residual_passes_the_training_flag_to_its_block(rng):
    block = hb.Residual(hb.Sequential(hb.BatchNorm(3), hb.Dropout(0.5, rng=0)))
    x = rng.normal(loc=2, size=(6, 3))
    bn = block.f[0]
    block.forward(x, training=False)
    np.testing.assert_array_equal(bn.running_mean, 0)
    # in evaluation: no dropout, the running statistics (still 0 and 1)
    np.testing.assert_allclose(block.forward(x, training=False), x + x / np.sqrt(1 + 1e-5))
    y = block.forward(x)
    assert np.any(y == x)  # dropout zeroed some of f(x)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    with pytest.raises(TypeError, match=r"^Residual: training must be True or False, got 1$"):
        block.forward(x, training=1)


def test_a_network_of_residual_blocks_passes_the_gradient_check_with_dropout_and_batch_norm(rng):
    model = hb.Sequential(
        hb.Dense(3, 6, rng=0), hb.Tanh(),
        hb.Residual(hb.Sequential(hb.Dense(6, 6, rng=1), hb.BatchNorm(6), hb.Tanh(),
                                  hb.Dropout(0.8, rng=2), hb.Dense(6, 6, rng=3))),
        hb.Residual(hb.Sequential(hb.LayerNorm(6), hb.Residual(hb.Tanh()))),
        hb.Dense(6, 2, rng=4))
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, 8)
    with pytest.raises(ValueError, match=r"^gradient_check: Dropout\(keep_prob=0.8\) draws a new mask"):
        hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y)
    report = hb.gradient_check(model, hb.SoftmaxCrossEntropy(), X, y, fix_dropout_mask=True)
    assert report.relative_error < 1e-7, str(report)
    assert [name for name, _ in report.per_parameter] == [
        "0.W", "0.b", "2.W", "2.b", "3.gamma", "3.beta", "6.W", "6.b", "7.gamma", "7.beta",
        "9.W", "9.b"]
    np.testing.assert_array_equal(model[2].f[1].running_mean, 0)  # restored after the check


def test_residual_converts_its_block_and_keeps_float32(rng):
    block = hb.Residual(hb.Sequential(hb.Dense(3, 3, rng=0), hb.BatchNorm(3)))
    assert block.astype(np.float32) is block
    assert block.f[0].W.value.dtype == np.float32 and block.f[1].running_var.dtype == np.float32
    x = rng.normal(size=(4, 3)).astype(np.float32)
    y = block.forward(x)
    assert y.dtype == np.float32 and block.backward(np.ones_like(y)).dtype == np.float32
    assert hb.Residual(hb.Dense(3, 3, rng=0)).forward([[1, 2, 3]]).dtype == np.float64


def test_residual_refuses_a_block_that_changes_the_shape_and_what_is_no_layer():
    block = hb.Residual(hb.Sequential(hb.Dense(4, 3, rng=0), hb.ReLU()))
    with pytest.raises(ValueError, match=r"^Residual: f\(x\) must be of x's shape \(2, 4\), since the "
                                         r"skip adds x to it \(end f with a layer as wide as its "
                                         r"input\), got shape \(2, 3\)$"):
        block.forward(np.ones((2, 4)))
    with pytest.raises(TypeError, match=r"^Residual: f must be an instance, such as "
                                        r"hb.Sequential\(hb.Dense\(16, 16\), hb.ReLU\(\)\), "
                                        r"got the class Dense$"):
        hb.Residual(hb.Dense)
    with pytest.raises(TypeError, match=r"^Residual: f must be an object with forward, backward, "
                                        r"parameters"):
        hb.Residual(np.tanh)
    ok = residual_block()
    with pytest.raises(RuntimeError, match="backward called before forward"):
        ok.backward(np.ones((2, 4)))
    ok.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"^Residual: dy must be of shape \(2, 4\) like the output, "
                                         r"got shape \(1, 4\)$"):
        ok.backward(np.ones((1, 4)))


def test_a_layer_inside_a_residual_block_is_still_used_once():
    dense = hb.Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match=r"^Sequential: layers must be each a separate instance, "
                                         r"got Dense\(3 -> 3\) at positions 0 and 1$"):
        hb.Sequential(dense, hb.Residual(dense))
    block = residual_block(3)
    with pytest.raises(ValueError, match="^Sequential: layers must be each a separate instance"):
        hb.Sequential(block, hb.Tanh(), block)


def test_residual_shows_its_block_and_sits_in_a_sequential_repr():
    assert repr(hb.Residual(hb.Tanh())) == "Residual(Tanh())"
    model = hb.Sequential(hb.Dense(2, 4, rng=0), residual_block(), hb.Dense(4, 1, rng=1))
    assert repr(model) == """Sequential(
  (0) Dense(2 -> 4)
  (1) Residual(
    Sequential(
      (0) Dense(4 -> 4)
      (1) ReLU()
      (2) Dense(4 -> 4)
    )
  )
  (2) Dense(4 -> 1)
)"""


def test_residual_trains_with_fit_and_every_optimizer(rng):
    from handbook.optim import Optimizer
    from tests.unit.test_contracts import OPTIMIZERS, make_optimizer

    X = rng.normal(size=(64, 4))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    assert {cls.__name__ for cls in OPTIMIZERS} >= {"SGD", "Adam", "AdamW"}
    for cls in OPTIMIZERS:
        assert issubclass(cls, Optimizer)
        model = hb.Sequential(hb.Dense(4, 8, rng=0), hb.Residual(hb.Sequential(
            hb.Dense(8, 8, rng=1), hb.BatchNorm(8), hb.ReLU(), hb.Dropout(0.9, rng=2),
            hb.Dense(8, 8, rng=3))), hb.Dense(8, 2, rng=4))
        before = [p.value.copy() for p in model.parameters()]
        optimizer = make_optimizer(cls, model.parameters(), lr=0.01)
        history = hb.fit(model, hb.SoftmaxCrossEntropy(), optimizer, X, y,
                         epochs=5, batch_size=16, rng=0, validation=(X, y),
                         early_stopping=hb.EarlyStopping(patience=10))
        assert np.all(np.isfinite(history.train_loss)), cls.__name__
        assert all(not np.array_equal(p.value, b) for p, b in zip(model.parameters(), before)), cls
    with pytest.raises(ValueError, match="^hb.fit: batch_size must be one that leaves no last"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.1), X[:17],
               y[:17], epochs=1, batch_size=8)


def test_early_stopping_restores_the_statistics_of_a_batch_norm_inside_a_block(rng):
    X = rng.normal(size=(64, 3))
    y = (X[:, 0] > 0).astype(int)
    model = hb.Sequential(hb.Dense(3, 8, rng=0), hb.Residual(hb.Sequential(
        hb.BatchNorm(8), hb.ReLU(), hb.Dense(8, 8, rng=1))), hb.Dense(8, 2, rng=2))
    bn = model[1].f[0]
    seen = {}

    class Watch(hb.EarlyStopping):
        def should_stop(self, epoch, value, model):
            seen[epoch] = bn.running_mean.copy()
            return super().should_stop(epoch, value, model)

    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.5), X, y,
                     epochs=40, batch_size=16, validation=(X[:32], y[:32]),
                     early_stopping=Watch(patience=3), rng=0, divergence=None)
    assert history.best_epoch < history.epochs_run
    np.testing.assert_array_equal(bn.running_mean, seen[history.best_epoch])


def test_layers_of_lists_a_blocks_layers_and_layer_outputs_computes_them_as_the_model_does(rng):
    from handbook.layers import layer_outputs, layers_of

    inner = hb.Residual(hb.Sequential(hb.Dense(4, 4, rng=2), hb.Tanh()))
    model = hb.Sequential(hb.Dense(3, 4, rng=0), hb.Residual(hb.Sequential(
        hb.Dense(4, 4, rng=1), inner, hb.ReLU())), hb.Residual(hb.Sigmoid()), hb.Dense(4, 2, rng=3))
    assert [type(layer).__name__ for layer in layers_of(model)] == [
        "Dense", "Dense", "Dense", "Tanh", "ReLU", "Sigmoid", "Dense"]
    x = rng.normal(size=(5, 3))
    rows = list(layer_outputs(model, x))
    assert [name for name, _, _ in rows] == [
        "0: Dense(3 -> 4)", "1: Dense(4 -> 4)", "2: Dense(4 -> 4)", "3: Tanh()", "2-3: Residual",
        "4: ReLU()", "1-4: Residual", "5: Sigmoid()", "5: Residual", "6: Dense(4 -> 2)"]
    assert rows[4][1] is inner and rows[6][1] is model[1]
    # what the model computes, layer by layer: the skips included
    a0 = model[0].forward(x, training=False)
    a1 = model[1].f[0].forward(a0, training=False)
    d2 = model[1].f[1].f[0].forward(a1, training=False)
    a2 = a1 + np.tanh(d2)
    a3 = a0 + np.maximum(a2, 0)
    expected = [a0, a1, d2, np.tanh(d2), a2, np.maximum(a2, 0), a3]
    for (_, _, output), value in zip(rows, expected, strict=False):
        np.testing.assert_allclose(output, value, rtol=1e-14)
    np.testing.assert_array_equal(rows[-1][2], model.predict(x))
    assert [name for name, _, _ in layer_outputs(hb.Dense(3, 2, rng=0), x)] == ["0: Dense(3 -> 2)"]
