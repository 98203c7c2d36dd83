"""Every optimizer's first steps against its formula, computed by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import handbook as hb
import handbook.optim as optim

G = [np.array([0.5, -2.0]), np.array([1.0, 1.0]), np.array([-0.2, 0.4])]


def run(make, dtype=np.float64):
    p = hb.Parameter(np.array([1.0, 2.0], dtype))
    opt = make([p])
    values = []
    for g in G:
        p.grad = g.astype(dtype)
        opt.step()
        values.append(p.value.copy())
    return values, opt


def test_sgd():
    values, _ = run(lambda ps: optim.SGD(ps, lr=0.1))
    np.testing.assert_allclose(values[0], [1 - 0.05, 2 + 0.2])
    np.testing.assert_allclose(values[-1], np.array([1.0, 2.0]) - 0.1 * sum(G))


def test_momentum_and_its_other_convention():
    values, _ = run(lambda ps: optim.Momentum(ps, lr=0.1, beta=0.9))
    w, v = np.array([1.0, 2.0]), np.zeros(2)
    for g, got in zip(G, values):
        v = 0.9 * v + 0.1 * g
        w = w - 0.1 * v
        np.testing.assert_allclose(got, w)
    # v' = beta v' - alpha_B g, w += v' is the same algorithm when alpha_B = alpha_A (1 - beta)
    w_b, v_b = np.array([1.0, 2.0]), np.zeros(2)
    for g in G:
        v_b = 0.9 * v_b - (0.1 * (1 - 0.9)) * g
        w_b = w_b + v_b
    np.testing.assert_allclose(w_b, values[-1])


def test_nesterov_equals_an_explicit_look_ahead_on_a_quadratic():
    # f(w) = 0.5 * a * w^2, so grad(w) = a w. Explicit Nesterov in the (1 - beta) convention:
    # u = beta u + (1 - beta) grad(w - lr beta u);  w -= lr u. With phi = w - lr beta u, it is
    # phi -= lr (beta u_new + (1 - beta) grad(phi)), which is what the optimizer does on phi.
    a, lr, beta = 3.0, 0.1, 0.9
    w, u = 1.0, 0.0
    p = hb.Parameter(np.array([1.0]))
    opt = optim.Nesterov([p], lr=lr, beta=beta)
    for _ in range(5):
        look = w - lr * beta * u
        u = beta * u + (1 - beta) * a * look
        w = w - lr * u
        p.grad = a * p.value
        opt.step()
        np.testing.assert_allclose(p.value, [w - lr * beta * u])


def test_adagrad_steps_shrink():
    p = hb.Parameter(np.array([0.0]))
    opt = optim.AdaGrad([p], lr=1.0, eps=1e-12)
    steps = []
    for _ in range(4):
        p.grad = np.array([1.0])
        before = p.value.copy()
        opt.step()
        steps.append(float((before - p.value)[0]))
    np.testing.assert_allclose(steps, 1 / np.sqrt([1, 2, 3, 4]), rtol=1e-9)


def test_rmsprop():
    values, _ = run(lambda ps: optim.RMSprop(ps, lr=0.01, beta=0.9, eps=1e-8))
    w, s = np.array([1.0, 2.0]), np.zeros(2)
    for g, got in zip(G, values):
        s = 0.9 * s + 0.1 * g * g
        w = w - 0.01 * g / (np.sqrt(s) + 1e-8)
        np.testing.assert_allclose(got, w)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_and_adamw_follow_the_bias_corrected_formula(dtype):
    for decay in (0.0, 0.1):
        make = (lambda ps: optim.AdamW(ps, lr=0.01, weight_decay=decay)) if decay else \
            (lambda ps: optim.Adam(ps, lr=0.01))
        values, opt = run(make, dtype)
        w, v, s = np.array([1.0, 2.0]), np.zeros(2), np.zeros(2)
        for t, (g, got) in enumerate(zip(G, values), start=1):
            w = w - 0.01 * decay * w
            v = 0.9 * v + 0.1 * g
            s = 0.999 * s + 0.001 * g * g
            w = w - 0.01 * (v / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
            np.testing.assert_allclose(got, w, rtol=1e-6 if dtype == np.float32 else 1e-12)
            assert got.dtype == dtype
        assert all(a.dtype == dtype for a in opt.state_of("v") + opt.state_of("s"))


def test_adam_first_step_is_lr_times_the_sign_of_the_gradient():
    p = hb.Parameter(np.array([0.0, 0.0]))
    p.grad = np.array([3.0, -1e-3])
    optim.Adam([p], lr=0.01).step()
    np.testing.assert_allclose(p.value, [-0.01, 0.01], rtol=1e-4)


def test_parallel_updates_give_the_same_numbers_as_serial_ones(monkeypatch):
    rng = np.random.default_rng(0)
    shapes = [(300, 400), (400,), (400, 300)]
    results = []
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(optim, "PARALLEL_SIZE", threshold)
        ps = [hb.Parameter(np.random.default_rng(1).normal(size=s)) for s in shapes]
        opt = optim.Adam(ps)
        for _ in range(3):
            for p in ps:
                p.grad = rng.normal(size=p.shape)
            opt.step()
        results.append([p.value for p in ps])
        rng = np.random.default_rng(0)
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_clipping_returns_the_norm_before_clipping():
    a, b = hb.Parameter(np.zeros(2)), hb.Parameter(np.zeros(1))
    a.grad, b.grad = np.array([3.0, -10.0]), np.array([0.5])
    assert optim.clip_by_value([a, b], 1.0) == pytest.approx(np.sqrt(9 + 100 + 0.25))
    np.testing.assert_array_equal(a.grad, [1.0, -1.0])
    a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])
    assert optim.clip_by_norm([a, b], 1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(np.concatenate([a.grad, b.grad]), [0.6, 0.0, 0.8])


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e6, 1e6)),
       st.floats(1e-3, 1e3))
def test_clip_by_norm_never_exceeds_the_limit_and_keeps_the_direction(g, max_norm):
    p = hb.Parameter(np.zeros_like(g))
    p.grad = g.copy()
    norm = optim.clip_by_norm([p], max_norm)
    assert np.linalg.norm(p.grad) <= max_norm * (1 + 1e-9)
    if norm > 0:
        np.testing.assert_allclose(p.grad * norm, g * min(norm, max_norm), rtol=1e-9, atol=1e-9)


def test_invalid_hyperparameters_name_the_argument():
    ps = [hb.Parameter(np.zeros(1))]
    with pytest.raises(ValueError, match=r"^SGD: lr must be >= 0, got -0.1$"):
        optim.SGD(ps, lr=-0.1)
    with pytest.raises(ValueError, match=r"^SGD: lr must be finite, got inf$"):
        optim.SGD(ps, lr=float("inf"))
    with pytest.raises(TypeError, match=r"^SGD: lr must be a real number, got '0.1'$"):
        optim.SGD(ps, lr="0.1")
    with pytest.raises(ValueError, match=r"^Momentum\(lr=0.1\): beta must be in \[0, 1\), got 1.0$"):
        optim.Momentum(ps, lr=0.1, beta=1.0)
    with pytest.raises(ValueError, match=r"^Adam\(lr=0.001\): beta2 must be in"):
        optim.Adam(ps, beta2=1.5)
    for cls in (optim.AdaGrad, optim.RMSprop, optim.Adam):
        with pytest.raises(ValueError, match=f"^{cls.__name__}.*: eps must be > 0, got 0.0$"):
            cls(ps, lr=0.1, eps=0.0)
    with pytest.raises(ValueError, match="^clip_by_norm: max_norm must be > 0, got -1$"):
        optim.clip_by_norm(ps, -1)
    with pytest.raises(ValueError, match="^Adam: params must be a non-empty list of Parameters, got \\[\\]$"):
        optim.Adam([])


def test_ewma_window_and_bias_correction():
    step = np.ones(100)
    for beta, t in ((0.9, 10), (0.98, 50)):
        v = optim.ewma(step, beta)
        assert int(np.argmax(v >= 1 - 1 / np.e)) + 1 == t  # about 1/(1 - beta) steps to 63 %
    constant = np.full(30, 10.0)
    np.testing.assert_allclose(optim.ewma(constant, 0.98, bias_correction=True), 10.0, rtol=1e-12)
    assert optim.ewma(constant, 0.98)[0] == pytest.approx(0.2)
    theta = np.array([3.0, 5.0])
    assert optim.ewma(theta, 0.98)[1] == pytest.approx(0.0196 * 3 + 0.02 * 5)


def test_an_eps_that_is_zero_in_the_parameters_dtype_is_refused():
    """1e-8 is 0 in float16: Adam would divide by zero where a gradient is tiny."""
    p = hb.Parameter(np.ones(3, np.float16))
    for cls in (hb.optim.Adam, hb.optim.RMSprop, hb.optim.AdaGrad):
        with pytest.raises(ValueError, match=rf"^{cls.__name__}: eps must be at least "
                                             r"6.0e-08 for float16 values"):
            cls([p], lr=1e-3, eps=1e-8)
    p.grad = np.full(3, 1e-4, np.float16)
    opt = hb.optim.Adam([p], lr=1e-3, eps=1e-4)
    opt.step()
    assert np.isfinite(p.value).all() and p.value.dtype == np.float16


def test_an_optimizer_refuses_what_is_not_a_parameter_and_a_gradient_that_would_broadcast():
    model = hb.Sequential(hb.Dense(3, 2, rng=0))
    with pytest.raises(TypeError, match=r"^SGD: params must be a list of Parameters "
                                        r"\(model.parameters\(\)\), got Sequential"):
        hb.optim.SGD(model, 0.1)  # the model, not its parameters
    with pytest.raises(TypeError, match="^Adam: params must be a list of Parameters"):
        hb.optim.Adam(model.parameters, 0.1)  # the method, not called
    opt = hb.optim.SGD(model.parameters(), 0.1)
    W = model[0].W
    W.grad = np.ones((1, 2))
    with pytest.raises(ValueError, match=r"SGD\(lr=0.1\): the gradient of Parameter"
                                         r".* must be of shape \(3, 2\), got shape \(1, 2\)"):
        opt.step()
    W.grad = np.ones((3, 2))
    opt.lr = float("nan")
    with pytest.raises(ValueError, match="lr must be"):
        opt.step()
