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


# ------------------------------------------------------------------ weight averaging


def averaged_run(beta, start=1, steps=6, dtype=np.float64, make=None):
    """Six SGD steps on one parameter through Averaged: the raw values after each
    step and the optimizer."""
    p = hb.Parameter(np.array([1.0, -2.0, 0.5], dtype))
    inner = (make or (lambda ps: optim.SGD(ps, lr=0.1)))([p])
    averaged = optim.Averaged(inner, beta=beta, start=start)
    grads = np.random.default_rng(0).normal(size=(steps, 3))
    raw = []
    for g in grads:
        p.grad = g.astype(dtype)
        averaged.step()
        raw.append(p.value.copy())
    return np.array(raw), averaged, p


def test_averaged_is_the_bias_corrected_ewma_of_the_weights():
    raw, averaged, _ = averaged_run(beta=0.9)
    expected = np.array([optim.ewma(raw[:, j], 0.9, bias_correction=True)[-1]
                         for j in range(3)])
    np.testing.assert_allclose(averaged.averages[0], expected, rtol=1e-12)
    v = np.zeros(3)  # by hand: v_n = beta v_{n-1} + (1 - beta) W_n, divided by 1 - beta^n
    for n, w in enumerate(raw, start=1):
        v = 0.9 * v + 0.1 * w
    np.testing.assert_allclose(averaged.averages[0], v / (1 - 0.9**len(raw)), rtol=1e-12)
    assert averaged.t == 6 and averaged.optimizer.t == 6


def test_averaged_starts_at_start_and_its_limit_beta_1_is_the_plain_mean():
    raw, averaged, _ = averaged_run(beta=0.9, start=4)
    expected = [optim.ewma(raw[3:, j], 0.9, bias_correction=True)[-1] for j in range(3)]
    np.testing.assert_allclose(averaged.averages[0], expected, rtol=1e-12)
    raw, mean, _ = averaged_run(beta=1, start=3)
    np.testing.assert_allclose(mean.averages[0], raw[2:].mean(axis=0), rtol=1e-12)
    for beta in (0.999, 1):  # before start, and at the first averaged step: the weights
        for steps in (1, 2):
            raw, early, _ = averaged_run(beta=beta, start=2, steps=steps)
            np.testing.assert_array_equal(early.averages[0], raw[-1])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_averaged_weights_that_do_not_move_are_their_own_average_exactly(dtype):
    p = hb.Parameter(np.array([0.1, -3.0, 7.0], dtype))
    start = p.value.copy()
    averaged = optim.Averaged(optim.Momentum([p], lr=0.1), beta=0.99)
    for _ in range(50):
        p.grad = np.zeros(3, dtype)
        averaged.step()
        np.testing.assert_array_equal(averaged.averages[0], start)
    assert averaged.averages[0].dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_averaged_moves_the_raw_weights_as_the_optimizer_alone_and_keeps_the_dtype(dtype):
    for make in (lambda ps: optim.SGD(ps, lr=0.1), lambda ps: optim.Adam(ps, lr=0.01)):
        raw, averaged, p = averaged_run(beta=0.9, dtype=dtype, make=make)
        q = hb.Parameter(np.array([1.0, -2.0, 0.5], dtype))
        alone = make([q])
        for g in np.random.default_rng(0).normal(size=(6, 3)):
            q.grad = g.astype(dtype)
            alone.step()
        np.testing.assert_array_equal(p.value, q.value)
        assert averaged.averages[0].dtype == dtype and p.value.dtype == dtype
        assert not np.array_equal(averaged.averages[0], p.value)


def bn_model():
    return hb.Sequential(hb.Dense(4, 6, rng=0), hb.BatchNorm(6), hb.ReLU(),
                         hb.Dense(6, 3, rng=1))


def trained_average(model, steps=5):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(32, 4)), rng.integers(0, 3, 32)
    averaged = optim.Averaged(optim.SGD(model.parameters(), lr=0.5), beta=0.5)
    loss = hb.SoftmaxCrossEntropy()
    for _ in range(steps):
        loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        averaged.step()
    return averaged, X


def test_swapped_puts_the_averages_in_place_and_the_raw_weights_back_exactly():
    model = bn_model()
    averaged, X = trained_average(model)
    arrays = [p.value for p in model.parameters()]
    raw = [a.copy() for a in arrays]
    raw_output = model.predict(X)
    with averaged.swapped():
        for p, array, average in zip(model.parameters(), arrays, averaged.averages):
            assert p.value is array  # in place: the layers see the averages
            np.testing.assert_array_equal(p.value, average)
        assert not np.allclose(model.predict(X), raw_output)
    for p, array, value in zip(model.parameters(), arrays, raw):
        assert p.value is array
        np.testing.assert_array_equal(p.value, value)
    np.testing.assert_array_equal(model.predict(X), raw_output)


def test_swapped_restores_after_an_error_and_puts_the_model_buffers_back():
    model = bn_model()
    averaged, X = trained_average(model)
    raw = [p.value.copy() for p in model.parameters()]
    bn = model[1]
    statistics = bn.running_mean.copy(), bn.running_var.copy()
    with pytest.raises(KeyError), averaged.swapped(model):
        bn.momentum = 0.0
        model.forward(X, training=True)  # statistics recomputed for the averages
        assert not np.array_equal(bn.running_mean, statistics[0])
        raise KeyError("inside")
    np.testing.assert_array_equal(bn.running_mean, statistics[0])
    np.testing.assert_array_equal(bn.running_var, statistics[1])
    for p, value in zip(model.parameters(), raw):
        np.testing.assert_array_equal(p.value, value)
    with averaged.swapped():  # without the model, buffers stay as they become
        model.forward(X, training=True)
    assert not np.array_equal(bn.running_mean, statistics[0])


def test_swapped_refuses_a_step_a_second_swap_and_another_model():
    model = bn_model()
    averaged, _ = trained_average(model)
    with averaged.swapped():
        with pytest.raises(RuntimeError, match=r"^Averaged\(SGD\(lr=0.5\), beta=0.5, start=1\): "
                                               r"step called inside swapped\(\), where the "
                                               r"parameters hold the averages$"):
            averaged.step()
        with pytest.raises(RuntimeError, match="swapped called inside swapped"), \
                averaged.swapped():
            pass
    averaged.step()  # outside again
    with pytest.raises(ValueError, match=r"^Averaged\(.*\): model must be the model whose "
                                         "parameters the optimizer trains, got a model with "
                                         "other parameters$"), averaged.swapped(bn_model()):
        pass


def test_copy_to_keeps_the_averages_for_good_or_fills_another_model():
    model, other = bn_model(), bn_model()
    averaged, X = trained_average(model)
    averaged.copy_to(other)
    for p, average in zip(other.parameters(), averaged.averages):
        np.testing.assert_array_equal(p.value, average)
    assert not np.array_equal(other[1].running_mean, model[1].running_mean)
    for name, array in model[1].buffers().items():  # buffers are not copied
        setattr(other[1], name, array.copy())
    with averaged.swapped():
        expected = model.predict(X)
    np.testing.assert_array_equal(other.predict(X), expected)
    averaged.copy_to(model)
    np.testing.assert_array_equal(model.predict(X), expected)
    with pytest.raises(ValueError, match=r"^Averaged\(.*\): model must be a model of 6 "
                                         r"parameters, as the averages, got 2 parameters$"):
        averaged.copy_to(hb.Sequential(hb.Dense(4, 3, rng=0)))
    with pytest.raises(ValueError, match=r"model must be a model with parameters of the "
                                         r"averages' shapes, got parameter 0 of shape \(5, 6\)"):
        averaged.copy_to(hb.Sequential(hb.Dense(5, 6), hb.BatchNorm(6), hb.Dense(6, 3)))
    with pytest.raises(TypeError, match=r"model must be a model or a list of Parameters, "
                                        "got the class Sequential$"):
        averaged.copy_to(hb.Sequential)
    with pytest.raises(TypeError, match="model must be a model or a list of Parameters, "
                                        "got str 'model'$"):
        averaged.copy_to("model")


def test_averaged_trains_under_fit_with_a_schedule_as_its_optimizer_would():
    X, y = hb.datasets.digits()
    X, y = X[:400], y[:400]
    for make, lr0 in ((lambda ps: optim.SGD(ps, lr=0.1), 0.2),
                      (lambda ps: optim.Adam(ps), 0.01)):
        schedule = hb.schedules.step(lr0, 0.5, 2)
        runs = []
        for wrap in (False, True):
            model = hb.Sequential(hb.Dense(64, 16, rng=0), hb.ReLU(), hb.Dense(16, 10, rng=1))
            inner = make(model.parameters())
            opt = optim.Averaged(inner, beta=0.9) if wrap else inner
            history = hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X, y, epochs=4,
                             batch_size=32, rng=0, schedule=schedule)
            runs.append((model, history, inner, opt))
        (alone, h_alone, _, _), (model, history, inner, averaged) = runs
        assert history.lr == [lr0, lr0, lr0 / 2, lr0 / 2] == h_alone.lr
        assert inner.lr == averaged.lr == lr0 / 2
        for p, q in zip(model.parameters(), alone.parameters()):
            np.testing.assert_array_equal(p.value, q.value)
        assert averaged.t == inner.t == 4 * 13
        with averaged.swapped():
            accuracy = np.mean(model.predict(X).argmax(axis=1) == y)
        assert accuracy > 0.7  # chance is 0.1; the averages lag a model still learning


def test_averaged_works_in_the_lr_range_test_and_passes_a_bad_rate_to_its_optimizer():
    X, y = hb.datasets.digits()
    model = hb.Sequential(hb.Dense(64, 10, rng=0))
    averaged = optim.Averaged(optim.SGD(model.parameters(), 0.1))
    result = hb.tuning.lr_range_test(model, hb.SoftmaxCrossEntropy(), X, y, averaged, steps=5)
    assert averaged.optimizer.lr == averaged.lr == result.lrs[-1] and averaged.t == 5
    averaged.lr = -1.0
    for p in model.parameters():
        p.grad = np.zeros_like(p.value)
    with pytest.raises(ValueError, match=r"^SGD\(lr=-1.0\): lr must be >= 0, got -1.0$"):
        averaged.step()
    assert averaged.t == 5  # a refused step is not counted


@pytest.mark.parametrize("changes, error, message", [
    ({"optimizer": optim.SGD}, TypeError,
     r"^Averaged: optimizer must be an instance, such as hb.optim.Adam\(model.parameters\(\)\), "
     "got the class SGD$"),
    ({"optimizer": [hb.Parameter(np.ones(2))]}, TypeError,
     r"^Averaged: optimizer must be an object with step"),
    ({"beta": 1.5}, ValueError, r"^Averaged: beta must be in \[0, 1\], got 1.5$"),
    ({"beta": -0.1}, ValueError, r"^Averaged: beta must be in \[0, 1\], got -0.1$"),
    ({"beta": "0.9"}, TypeError, "^Averaged: beta must be a real number, got '0.9'$"),
    ({"start": 0}, ValueError, "^Averaged: start must be >= 1, got 0$"),
    ({"start": 2.0}, TypeError, "^Averaged: start must be a whole number >= 1, got 2.0$"),
])
def test_averaged_refuses_bad_arguments_naming_them(changes, error, message):
    arguments = {"optimizer": optim.SGD([hb.Parameter(np.ones(2))], 0.1), **changes}
    with pytest.raises(error, match=message):
        optim.Averaged(**arguments)


def test_averaged_refuses_an_object_that_is_no_optimizer_and_shows_what_it_wraps():
    class Stepper:
        def step(self):
            pass

    with pytest.raises(TypeError, match=r"^Averaged: optimizer must be an optimizer with "
                                        r"params and lr, such as hb.optim.Adam"):
        optim.Averaged(Stepper())
    averaged = optim.Averaged(optim.Adam([hb.Parameter(np.ones(2))]), beta=0.99, start=10)
    assert repr(averaged) == "Averaged(Adam(lr=0.001), beta=0.99, start=10)"
    assert isinstance(averaged, optim.Optimizer)
    p = averaged.params[0]
    with pytest.raises(RuntimeError, match="step called before any backward"):
        averaged.step()
    assert averaged.t == 0 and averaged.params is averaged.optimizer.params
    assert p.value.dtype == averaged.averages[0].dtype
