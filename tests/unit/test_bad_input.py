"""Bad input to layers, losses and optimizers, by kind of mistake: each is refused
with an error naming the class or function and the argument (issue 15), or, where
the input is legitimate (a list of numbers), taken as an array."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import handbook as hb
from handbook.layers import layers_of

ACTIVATIONS = [hb.Sigmoid, hb.Tanh, hb.ReLU, hb.LeakyReLU]
NOT_REAL = {
    "complex": np.array([[1 + 1j, 2.0]]),
    "strings": np.array([["a", "b"]]),
    "objects": np.array([[1, None]], dtype=object),
}


# ---------------------------------------------------------------- not real numbers


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.__name__)
@pytest.mark.parametrize("kind", NOT_REAL)
def test_activations_refuse_what_is_not_real(activation, kind):
    with pytest.raises(TypeError, match=rf"^{activation.__name__}\(.*\): z must be an array of real"):
        activation().forward(NOT_REAL[kind])


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.__name__)
def test_activations_take_a_list_as_an_array(activation):
    layer = activation()
    np.testing.assert_array_equal(layer.forward([[0.5, -1.0]]), layer.forward(np.array([[0.5, -1.0]])))


@pytest.mark.parametrize("kind", NOT_REAL)
def test_a_gradient_that_is_not_real_is_refused_by_backward_and_step(kind):
    dense = hb.Dense(2, 2, rng=0)
    dense.forward(np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"^Dense\(2 -> 2\): dy must be an array of real numbers"):
        dense.backward(NOT_REAL[kind])
    p = hb.Parameter(np.zeros(2))
    p.grad = NOT_REAL[kind][0]
    with pytest.raises(TypeError, match=r"^SGD\(lr=0.1\): the gradient of Parameter.* must be an array of floats"):
        hb.optim.SGD([p], 0.1).step()


@pytest.mark.parametrize("kind", NOT_REAL)
def test_parameters_and_labels_must_be_real(kind):
    with pytest.raises(TypeError, match="^Parameter: value must be an array of real numbers"):
        hb.Parameter(NOT_REAL[kind])
    output = np.zeros((1, 2))
    for loss in (hb.MeanSquaredError(), hb.BinaryCrossEntropy()):
        with pytest.raises(TypeError, match=rf"^{type(loss).__name__}: y must be an array of real"):
            loss.forward(output, NOT_REAL[kind])
    with pytest.raises(TypeError, match="^kl_divergence: p must be an array of real"):
        hb.kl_divergence(NOT_REAL[kind][0], [0.5, 0.5])


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["U3", "S2", "O", "c8", "c16", "M8[s]"]))
def test_softmax_refuses_every_dtype_that_is_not_real(dtype):
    z = np.zeros((2, 3)).astype(dtype) if dtype != "M8[s]" else np.zeros((2, 3), dtype)
    with pytest.raises(TypeError, match="^softmax: z must be an array of real numbers"):
        hb.softmax(z)


# ---------------------------------------------------------------- shapes


def test_dropout_checks_dy_even_when_it_keeps_everything():
    for keep_prob, training in ((1.0, True), (0.5, True), (0.5, False)):
        layer = hb.Dropout(keep_prob, rng=0)
        layer.forward(np.ones((4, 3)), training=True)
        layer.forward(np.ones((4, 3)), training=training)
        with pytest.raises(ValueError, match=r"^Dropout\(keep_prob=.*\): dy must be of shape \(4, 3\)"):
            layer.backward(np.ones((1, 3)))


def test_accuracy_refuses_labels_it_would_broadcast_or_never_match():
    z = np.eye(4, 3)
    who = r"^SoftmaxCrossEntropy.accuracy: "
    cases = [
        (np.array([0]), rf"{who}labels must be of shape \(4,\) or \(4, 3\), got shape \(1,\)"),
        (np.array([[0, 1, 2, 0]]), rf"{who}labels must be of shape \(4,\) or \(4, 3\), got shape \(1, 4\)"),
        (np.array([0.0, 1, 2, 0.5]), rf"{who}labels must be integers in \[0, 3\), got dtype float64"),
    ]
    loss = hb.SoftmaxCrossEntropy()
    for y, message in cases:
        with pytest.raises(ValueError, match=message):
            loss.accuracy(z, y)
    with pytest.raises(ValueError, match=rf"{who}logits must be of shape \(batch, K\)"):
        loss.accuracy(np.ones(4), np.zeros(4, int))
    assert loss.accuracy(z, np.array([0, 1, 2, 0])) == 1.0


def test_kl_divergence_refuses_shapes_that_would_broadcast():
    with pytest.raises(ValueError, match=r"^kl_divergence: p and q must be arrays of one shape.*\(3,\) and \(4,\)"):
        hb.kl_divergence(np.full(3, 1 / 3), np.full(4, 0.25))
    assert hb.kl_divergence(np.full(3, 1 / 3, np.float32), np.full(3, 1 / 3, np.float32)).dtype == np.float32


def test_softmax_of_an_empty_row_is_refused():
    with pytest.raises(ValueError, match=r"^softmax: z must be an array with at least one entry"):
        hb.softmax(np.ones((3, 0)))
    np.testing.assert_allclose(hb.softmax([[0.0, 0.0]]), [[0.5, 0.5]])


# ---------------------------------------------------------------- values


def test_labels_must_be_finite_and_soft_rows_show_the_negative_entry():
    for loss in (hb.MeanSquaredError(), hb.BinaryCrossEntropy()):
        with pytest.raises(ValueError, match=rf"^{type(loss).__name__}: y must be finite everywhere, got 1 NaN"):
            loss.forward(np.zeros((2, 1)), np.array([np.nan, 0.0]))
    with pytest.raises(ValueError, match="got entries from -0.5 to 1.5 and row sums from 1 to 1$"):
        hb.SoftmaxCrossEntropy().forward(np.zeros((1, 3)), np.array([[1.5, -0.5, 0.0]]))


def test_a_nan_output_gives_a_nan_loss_as_ieee_arithmetic_does():
    loss = hb.SoftmaxCrossEntropy().forward(np.array([[np.nan, 1.0]]), np.array([0]))
    assert np.isnan(loss)


def test_an_eps_that_vanishes_in_the_dtype_is_refused_for_batch_norm():
    with pytest.raises(ValueError, match=r"^BatchNorm: eps must be at least 6.0e-08 for float16 values, got 1e-10$"):
        hb.BatchNorm(2, eps=1e-10, dtype=np.float16)
    assert hb.BatchNorm(2, dtype=np.float16).eps == 1e-5


def test_a_flag_must_be_true_or_false():
    with pytest.raises(TypeError, match="^Dense: bias must be True or False, got 'no'$"):
        hb.Dense(3, 2, bias="no")


def test_an_unknown_initializer_names_the_layer():
    with pytest.raises(ValueError, match="^Dense: init must be an initializer, got 'he': "):
        hb.Dense(3, 2, init="he")


# ---------------------------------------------------------------- helpers of the optimizers


def test_ewma_takes_a_1_d_sequence_of_finite_numbers():
    np.testing.assert_allclose(hb.optim.ewma([1.0, 1.0], 0.5, bias_correction=True), [1.0, 1.0])
    cases = [
        ([[1.0, 2.0]], ValueError, "^ewma: values must be 1-dimensional, got shape"),
        (["a", "b"], TypeError, "^ewma: values must be an array of real numbers"),
        ([1.0, np.nan], ValueError, "^ewma: values must be finite everywhere, got 1 NaN"),
    ]
    for values, error, message in cases:
        with pytest.raises(error, match=message):
            hb.optim.ewma(values, 0.9)


def test_clipping_needs_finite_gradients_and_a_backward_first():
    model = hb.Sequential(hb.Dense(2, 2, rng=0))
    for clip in (hb.optim.clip_by_norm, hb.optim.clip_by_value):
        name = clip.__name__
        with pytest.raises(RuntimeError, match=rf"^{name}: params must be parameters with gradients"):
            clip(model.parameters(), 1.0)
        with pytest.raises(TypeError, match=rf"^{name}: params must be a list of Parameters"):
            clip(model, 1.0)
    model.forward(np.ones((1, 2)))
    model.backward(np.ones((1, 2)))
    model[0].W.grad[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^clip_by_norm: the gradient of Parameter.* must be finite everywhere"):
        hb.optim.clip_by_norm(model.parameters(), 1.0)


# ---------------------------------------------------------------- the second round


def test_nested_models_are_checked_through_every_level():
    dense = hb.Dense(2, 2, rng=0)
    with pytest.raises(ValueError, match=r"^Sequential: layers must be each a separate instance"):
        hb.Sequential(dense, hb.Sequential(hb.Tanh(), dense))
    inner = hb.Sequential(hb.Dense(2, 2, rng=1), hb.BatchNorm(2))
    assert [type(layer).__name__ for layer in layers_of(hb.Sequential(dense, inner))] == [
        "Dense", "Dense", "BatchNorm"]


def test_a_slice_of_a_model_is_a_model_and_an_index_is_checked():
    model = hb.Sequential(hb.Dense(2, 3, rng=0), hb.ReLU(), hb.Dense(3, 1, rng=1))
    head = model[0:2]
    assert isinstance(head, hb.Sequential) and head.forward(np.ones((1, 2))).shape == (1, 3)
    assert model[-1] is model.layers[-1] and list(model) == model.layers
    with pytest.raises(IndexError, match=r"^Sequential: index must be < 3 \(the layers\), got 3$"):
        model[3]
    with pytest.raises(TypeError, match=r"^Sequential: index must be a whole number"):
        model["0"]


def test_training_is_a_flag_and_a_bare_layer_says_what_it_lacks():
    model = hb.Sequential(hb.Dropout(0.5, rng=0))
    with pytest.raises(TypeError, match=r"^Sequential: training must be True or False, got 'no'$"):
        model.forward(np.ones((2, 2)), training="no")
    with pytest.raises(NotImplementedError, match="^Layer: a layer defines forward$"):
        hb.Layer().forward(np.ones((1, 1)))


def test_masked_arrays_are_refused_and_big_endian_arrays_converted():
    masked = np.ma.masked_equal(np.array([[1.0, -999.0]]), -999.0)
    with pytest.raises(TypeError, match=r"^Dense\(2 -> 1\): x must be a plain array \(fill or drop"):
        hb.Dense(2, 1, rng=0).forward(masked)
    with pytest.raises(TypeError, match="^Standardizer: X must be a plain array"):
        hb.data.Standardizer().fit(masked)
    big = np.array([[1.0, 2.0]], dtype=">f8")
    dense = hb.Dense(2, 1, rng=0)
    np.testing.assert_array_equal(dense.forward(big), dense.forward(big.astype(np.float64)))
    assert hb.Dense(2, 1, rng=0).astype(">f8").W.value.dtype.isnative


def test_values_that_fit_one_dtype_but_not_another_are_refused():
    with pytest.raises(ValueError, match=r"^BatchNorm\(2, .*\): eps must be at least 6.0e-08 for float16"):
        hb.BatchNorm(2, eps=1e-8).astype(np.float16)
    with pytest.raises(ValueError, match=r"^Dropout\(keep_prob=1e-10\): keep_prob for float16 input must be >="):
        hb.Dropout(1e-10, rng=0).forward(np.ones((2, 2), np.float16))
    with pytest.raises(ValueError, match="^Dense: init must be a function giving weights that fit in float32"):
        hb.Dense(3, 2, init=hb.init.constant(1e300), dtype=np.float32)
    with pytest.raises(ValueError, match="^MeanSquaredError: y must be labels that fit in float16"):
        hb.MeanSquaredError().forward(np.zeros((2, 1), np.float16), np.full(2, 1e5))
    with pytest.raises(ValueError, match=r"^BatchNorm\(2, .*\): x must be finite, with a finite variance"):
        hb.BatchNorm(2).forward(np.array([[1e200, 0.0], [-1e200, 1.0]]))


def test_accuracy_of_nan_logits_is_nan_not_a_share():
    assert np.isnan(hb.SoftmaxCrossEntropy().accuracy(np.full((3, 2), np.nan), np.array([0, 1, 0])))


def test_flags_of_the_helpers_are_true_or_false():
    cases = [
        (lambda: hb.kl_divergence([0.5, 0.5], [0.5, 0.5], check="no"), "^kl_divergence: check must be True"),
        (lambda: hb.optim.ewma([1.0], 0.9, bias_correction="no"), "^ewma: bias_correction must be True"),
        (lambda: hb.EarlyStopping(restore_best="no"), "^EarlyStopping: restore_best must be True"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError, match=message):
            call()


def test_clipping_a_generator_of_parameters_clips_them():
    model = hb.Sequential(hb.Dense(2, 2, rng=0))
    model.forward(np.ones((1, 2)))
    model.backward(np.full((1, 2), 100.0))
    norm = hb.optim.clip_by_norm((p for p in model.parameters()), 1.0)
    assert norm > 1 and hb.optim.global_norm(model.parameters()) == pytest.approx(1.0)


def test_a_read_only_array_becomes_a_parameter_the_optimizer_can_update():
    p = hb.Parameter(np.broadcast_to(0.0, (3,)))
    p.grad = np.ones(3)
    hb.optim.SGD([p], 0.1).step()
    np.testing.assert_allclose(p.value, -0.1)


def test_fit_refuses_missing_labels_by_name():
    model = hb.Sequential(hb.Dense(2, 2, rng=0))
    opt, X, y = hb.optim.SGD(model.parameters(), 0.1), np.ones((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match="^hb.fit: y must be an array with one row per example, got None$"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X, None, epochs=1, batch_size=2)
    with pytest.raises(TypeError, match="^hb.fit: y_dev must be an array with one row per example, got None$"):
        hb.fit(model, hb.SoftmaxCrossEntropy(), opt, X, y, epochs=1, batch_size=2, validation=(X, None))


# ---------------------------------------------------------------- the third round


def test_float16_losses_and_norms_are_summed_in_float64():
    z = np.zeros((70_000, 3), np.float16)
    y = np.arange(70_000) % 3
    assert hb.SoftmaxCrossEntropy().forward(z, y) == pytest.approx(np.log(3), rel=1e-3)
    assert hb.MeanSquaredError().forward(np.ones((70_000, 1), np.float16), np.zeros(70_000)) == 0.5
    p = hb.Parameter(np.zeros(1000, np.float32))
    p.grad = np.full(1000, 1e20, np.float32)
    norm = hb.optim.clip_by_norm([p], 1.0)
    assert norm == pytest.approx(np.sqrt(1000) * 1e20, rel=1e-6)
    assert np.linalg.norm(p.grad.astype(np.float64)) == pytest.approx(1.0, rel=1e-5)
    from handbook.training import gradient_sum

    q = hb.Parameter(np.zeros(100, np.float16))
    q.grad = np.full(100, -1200, np.float16)
    assert gradient_sum([q]) == -120_000


def test_a_refused_step_does_not_count_and_adamw_checks_its_rate_at_every_step():
    p = hb.Parameter(np.ones(2))
    adam = hb.optim.Adam([p], lr=0.1)
    with pytest.raises(RuntimeError, match="step called before any backward"):
        adam.step()
    assert adam.t == 0
    adamw = hb.optim.AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = np.ones(2)
    adamw.lr = 3.0  # as a schedule might
    with pytest.raises(ValueError, match=r"^AdamW\(lr=3.0\): lr \* weight_decay must be < 1, got 1.5$"):
        adamw.step()
    np.testing.assert_array_equal(p.value, [1.0, 1.0])


def test_tied_weights_are_refused():
    a, b = hb.Dense(2, 2, rng=0), hb.Dense(2, 2, rng=1)
    b.W = a.W
    with pytest.raises(ValueError, match=r"^Sequential: layers must be layers with parameters of their own"):
        hb.Sequential(a, hb.Tanh(), b)


def test_numbers_at_the_boundaries_of_the_checks():
    from fractions import Fraction

    from handbook import validation as check

    assert check.number("f", "x", np.float16(0.1)) == float(np.float16(0.1))
    assert type(check.number("f", "x", np.float32(0.5))) is float
    assert check.fraction("Dropout", "keep_prob", Fraction(1, 2)) == 0.5
    assert hb.Dropout(Fraction(1, 2)).keep_prob == 0.5
    with pytest.raises(ValueError, match=r"^SGD: lr must be finite, got np.longdouble"):
        hb.optim.SGD([hb.Parameter(np.ones(1))], lr=np.longdouble("1e400"))
    with pytest.raises(ValueError, match=r"^Dense: n_in must be at most 9.22e\+18 \(2\*\*63 - 1\), got 100000000000000000000$"):
        hb.Dense(10**20, 2)
    with pytest.raises(TypeError, match=r"^MinMaxScaler: feature_range must be a pair \(low, high\)"):
        hb.data.MinMaxScaler(np.array(5.0))


def test_early_stopping_restores_batch_norm_statistics_with_the_weights():
    X = np.random.default_rng(0).normal(size=(64, 3))
    y = (X[:, 0] > 0).astype(int)
    model = hb.Sequential(hb.Dense(3, 8, rng=0), hb.BatchNorm(8), hb.ReLU(), hb.Dense(8, 2, rng=1))
    stopper = hb.EarlyStopping(patience=2)
    seen = {}

    class Watch(hb.EarlyStopping):
        def should_stop(self, epoch, value, model):
            seen[epoch] = (value, model[1].running_mean.copy())
            return super().should_stop(epoch, value, model)

    stopper = Watch(patience=3)
    history = hb.fit(model, hb.SoftmaxCrossEntropy(), hb.optim.SGD(model.parameters(), 0.5), X, y,
                     epochs=60, batch_size=16, validation=(X[:32], y[:32]), early_stopping=stopper,
                     rng=0, divergence=None)
    best = history.best_epoch
    np.testing.assert_array_equal(model[1].running_mean, seen[best][1])
    dev_loss = hb.SoftmaxCrossEntropy().forward(model.predict(X[:32]), y[:32])
    assert dev_loss == pytest.approx(seen[best][0])
