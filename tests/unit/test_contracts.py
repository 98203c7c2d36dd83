"""Every layer, loss and optimizer of the package keeps the contract of its base class.

The classes are found at run time (every subclass of Layer, Loss and Optimizer), so a
new one is tested from its first commit; one whose constructor asks for something
these tests cannot guess fails here, with the argument named, until it is handled.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import handbook as hb
from handbook.layers import Layer
from handbook.losses import Loss
from handbook.optim import Optimizer

WIDTH = 5  # the width of the input given to a layer under test


def subclasses(base: type) -> list[type]:
    found, todo = [], [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls.__module__.startswith("handbook.") and cls not in found:
                found.append(cls)
                todo.append(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def make_layer(cls: type, dtype=np.float64) -> Layer:
    """An instance taking WIDTH inputs, built from what its constructor asks for."""
    if cls is hb.Sequential:
        return hb.Sequential(hb.Dense(WIDTH, 4, rng=0, dtype=dtype))
    if cls is hb.Residual:  # a block of two layers, as wide as its input
        return hb.Residual(hb.Sequential(hb.Dense(WIDTH, WIDTH, rng=0, dtype=dtype), hb.Tanh()))
    arguments = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        if name in ("n_in", "n"):
            arguments[name] = WIDTH
        elif name == "n_out":
            arguments[name] = 4
        elif name == "keep_prob":
            arguments[name] = 0.8
        elif name == "rng":
            arguments[name] = 0
        elif name == "dtype":
            arguments[name] = dtype
        elif parameter.default is inspect.Parameter.empty:
            pytest.fail(f"{cls.__name__}: the contract tests do not know how to set {name!r}")
    return cls(**arguments).astype(dtype)


def output_width(layer: Layer) -> int:
    return layer.layers[-1].n_out if isinstance(layer, hb.Sequential) else getattr(layer, "n_out", WIDTH)


LAYERS = subclasses(Layer)
LOSSES = subclasses(Loss)
OPTIMIZERS = subclasses(Optimizer)


def test_the_subclasses_are_found() -> None:
    names = {cls.__name__ for cls in LAYERS + LOSSES + OPTIMIZERS}
    assert {"Dense", "BatchNorm", "Dropout", "SoftmaxCrossEntropy", "Adam", "SGD",
            "LayerNorm", "Residual"} <= names


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_every_layer_passes_a_gradient_check_between_two_dense_layers(cls: type) -> None:
    layer = make_layer(cls)
    model = hb.Sequential(hb.Dense(3, WIDTH, rng=1), layer, hb.Dense(output_width(layer), 2, rng=2))
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    report = hb.gradient_check(model, hb.MeanSquaredError(), X, y,
                               fix_dropout_mask=isinstance(layer, hb.Dropout))
    assert report.relative_error < 1e-6, f"{cls.__name__}:\n{report}"


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_every_layer_keeps_float32(cls: type) -> None:
    layer = make_layer(cls, np.float32)
    x = np.random.default_rng(0).normal(size=(6, WIDTH)).astype(np.float32)
    y = layer.forward(x)
    dx = layer.backward(np.ones_like(y))
    assert y.dtype == np.float32 and dx.dtype == np.float32, cls.__name__
    for p in layer.parameters():
        assert p.grad is not None and p.grad.dtype == np.float32, (cls.__name__, p.name)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_every_layer_refuses_backward_before_forward(cls: type) -> None:
    layer = make_layer(cls)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((6, output_width(layer))))


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_every_layer_skips_dx_when_asked_and_writes_the_same_gradients(cls: type) -> None:
    """backward(dy, input_grad=False) returns None, sets the same gradients, and every
    backward writes them into the arrays .grad already holds (one rule for all)."""
    layer = make_layer(cls)
    x = np.random.default_rng(0).normal(size=(6, WIDTH))
    dy = np.random.default_rng(1).normal(size=(6, output_width(layer)))
    layer.forward(x)
    assert layer.backward(dy) is not None, cls.__name__
    first = [p.grad for p in layer.parameters()]
    expected = [g.copy() for g in first]
    layer.forward(x)
    assert layer.backward(dy, input_grad=False) is None, cls.__name__
    for p, array, value in zip(layer.parameters(), first, expected, strict=True):
        assert p.grad is array, f"{cls.__name__}.{p.name}: a new gradient array"
        np.testing.assert_allclose(p.grad, value, rtol=1e-12, err_msg=cls.__name__)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_every_layer_refuses_a_gradient_of_another_shape_naming_itself(cls: type) -> None:
    """A (1, n) row would broadcast over the batch and a transposed array might
    too: backward says so instead of computing something."""
    layer = make_layer(cls)
    if isinstance(layer, hb.Dropout):
        layer.keep_prob = 0.5
    y = layer.forward(np.random.default_rng(0).normal(size=(6, WIDTH)))
    named = layer.layers[-1] if isinstance(layer, hb.Sequential) else layer
    # a Residual names itself by its class: its repr spans the lines of its block
    name = "Residual" if isinstance(layer, hb.Residual) else repr(named)
    for wrong in (y[:1], np.ones((y.shape[1], y.shape[0]))):
        with pytest.raises(ValueError, match=f"^{re.escape(name)}: dy must be"):
            layer.backward(wrong)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_an_evaluation_forward_leaves_what_backward_needs(cls: type) -> None:
    layer = make_layer(cls)
    rng = np.random.default_rng(0)
    x, other = rng.normal(size=(6, WIDTH)), rng.normal(size=(6, WIDTH))
    dy = rng.normal(size=(6, output_width(layer)))
    if isinstance(layer, hb.Dropout):
        layer.freeze_mask = True
    layer.forward(x)
    before = layer.backward(dy)
    layer.forward(x)
    layer.forward(other, training=False)
    np.testing.assert_allclose(layer.backward(dy), before, err_msg=cls.__name__)


@pytest.mark.parametrize("cls", [cls for cls in LAYERS if "n_in" in inspect.signature(cls).parameters
                                 or "n" in inspect.signature(cls).parameters],
                         ids=lambda cls: cls.__name__)
def test_a_layer_with_a_width_names_itself_when_the_input_is_too_wide(cls: type) -> None:
    layer = make_layer(cls)
    with pytest.raises(ValueError, match=f"^{cls.__name__}"):
        layer.forward(np.ones((6, WIDTH + 1)))


def make_loss_case(cls: type, dtype=np.float64):
    """A loss instance, logits and targets it accepts."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=(6, 3)).astype(dtype)
    targets = {
        "SoftmaxCrossEntropy": rng.integers(0, 3, 6),
        "BinaryCrossEntropy": rng.integers(0, 2, (6, 3)).astype(dtype),
        "MeanSquaredError": rng.normal(size=(6, 3)).astype(dtype),
    }
    targets["WeightedSoftmaxCrossEntropy"] = targets["SoftmaxCrossEntropy"]
    arguments = {"WeightedSoftmaxCrossEntropy": (np.array([1.0, 3.0, 0.5]),)}
    if cls.__name__ not in targets:
        pytest.fail(f"{cls.__name__}: the contract tests need the targets it takes")
    return cls(*arguments.get(cls.__name__, ())), z, targets[cls.__name__]


@pytest.mark.parametrize("cls", LOSSES, ids=lambda cls: cls.__name__)
def test_every_loss_gradient_matches_its_numerical_derivative(cls: type) -> None:
    loss, z, y = make_loss_case(cls)
    loss.forward(z, y)
    analytic = loss.backward()
    numeric = np.zeros_like(z)
    eps = 1e-6
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (loss.forward(up, y) - loss.forward(down, y)) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("cls", LOSSES, ids=lambda cls: cls.__name__)
def test_every_loss_keeps_float32_and_refuses_backward_first(cls: type) -> None:
    loss, z, y = make_loss_case(cls, np.float32)
    with pytest.raises(RuntimeError, match=f"^{cls.__name__}: backward called before forward"):
        loss.backward()
    loss.forward(z, y)
    assert loss.backward().dtype == np.float32


# Optimizers built on another optimizer rather than on parameters.
WRAPPERS = (hb.optim.Averaged,)


def make_optimizer(cls: type, params, lr: float = 0.1) -> Optimizer:
    if cls is hb.optim.Averaged:  # averages the steps of another optimizer
        return hb.optim.Averaged(hb.optim.Adam(params, lr=lr), beta=0.9)
    arguments = {}
    for name, parameter in list(inspect.signature(cls).parameters.items())[1:]:
        if name == "lr":
            arguments[name] = lr
        elif parameter.default is inspect.Parameter.empty:
            pytest.fail(f"{cls.__name__}: the contract tests do not know how to set {name!r}")
    return cls(params, **arguments)


def broken_update(cls: type, dtype) -> str | None:
    """What is wrong with three steps of ``cls`` on two parameters, or None."""
    params = [hb.Parameter(np.ones((3, 2), dtype), name="W"), hb.Parameter(np.ones(2, dtype), name="b")]
    arrays = [p.value for p in params]
    optimizer = make_optimizer(cls, params)
    for _ in range(3):
        for p in params:
            p.grad = np.full_like(p.value, 0.5)
        optimizer.step()
    for p, array in zip(params, arrays):
        if p.value is not array:
            return f"{cls.__name__} replaced the array of {p.name} instead of updating it"
        if not np.all(p.value < 1):
            return f"{cls.__name__} did not move {p.name}: {p.value}"
        if p.value.dtype != dtype:
            return f"{cls.__name__} changed {p.name} to {p.value.dtype}"
    return None


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_optimizer_moves_every_parameter_in_place_and_keeps_its_dtype(cls: type, dtype) -> None:
    """An update that rebinds (w = w - lr * g) instead of writing into w would move nothing."""
    assert broken_update(cls, dtype) is None


@pytest.mark.parametrize("cls", [cls for cls in OPTIMIZERS if cls not in WRAPPERS],
                         ids=lambda cls: cls.__name__)
def test_every_optimizer_names_itself_for_a_bad_learning_rate(cls: type) -> None:
    params = [hb.Parameter(np.ones(2))]
    with pytest.raises(ValueError, match=f"^{cls.__name__}: lr must be"):
        cls(params, lr=-1.0)


def test_a_rebinding_update_is_caught() -> None:
    class Rebinding(hb.optim.SGD):
        def update(self, w, g):
            w = w - self.lr * g  # noqa: F841  (the mistake under test)

    assert broken_update(Rebinding, np.float64) == (
        "Rebinding did not move W: [[1. 1.]\n [1. 1.]\n [1. 1.]]")


@pytest.mark.parametrize("cls", [cls for cls in OPTIMIZERS if cls.elementwise],
                         ids=lambda cls: cls.__name__)
def test_an_elementwise_optimizer_gives_the_same_steps_slice_by_slice(cls: type) -> None:
    """Its update treats each entry alone, so updating a large parameter in slices
    (what step does for speed) changes nothing: the flag tells the truth."""
    rng = np.random.default_rng(0)
    start = rng.normal(size=(300, 250))
    assert start.size > hb.optim.SLICE
    sliced, whole = hb.Parameter(start.copy()), hb.Parameter(start.copy())
    fast, slow = cls([sliced], lr=0.01), cls([whole], lr=0.01)
    slow.elementwise = False
    for _ in range(3):
        g = rng.normal(size=start.shape)
        sliced.grad, whole.grad = g.copy(), g.copy()
        fast.step()
        slow.step()
    np.testing.assert_array_equal(sliced.value, whole.value)
    assert not np.array_equal(sliced.value, start)
