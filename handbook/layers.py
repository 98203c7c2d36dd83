"""Layers with explicit forward and backward passes. Rows are samples.

The contract every layer keeps (``tests/unit/test_contracts.py`` checks it for every
subclass of ``Layer``):

- ``forward(x, training=True) -> y``. A training forward saves what its backward
  needs (``save_for_backward``); an evaluation forward (``training=False``) saves
  nothing, so evaluating a model between a training forward and its backward
  changes nothing.
- ``backward(dy, input_grad=True) -> dx``: the gradient with respect to the input,
  or None when ``input_grad`` is False (nobody needs dX of a network's first
  layer, and for a ``Dense`` layer it is a third of the backward pass). It sets
  ``.grad`` of every parameter.
- Gradient arrays are reused: ``backward`` writes each gradient into the array
  that ``.grad`` already holds (``grad_buffer``). Copy a gradient to keep it past
  the next backward pass.
- A layer with parameters computes in their dtype (float64 unless asked otherwise;
  ``astype`` converts a layer or a model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from handbook import init as initializers
from handbook import validation as check
from handbook.parameter import Parameter


class Layer:
    """What every layer shares: parameters, buffers, dtype, saved arrays.

    A subclass defines ``forward`` and ``backward``, and ``parameters`` (and
    ``buffers``) if it has any; the docstrings here are the contract all of them
    keep.
    """

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        """The layer's output for a batch.

        A training forward saves what ``backward`` needs (``save_for_backward``);
        an evaluation forward saves nothing, so evaluating a model between a
        training forward and its backward changes nothing.

        Args:
            x: the input, of shape (batch, n_in) for a layer with parameters, of any
                shape for one without (an activation, Dropout); lists are
                converted, and integers to the parameters' dtype.
            training: True in training; False to evaluate (no dropout, batch norm
                with its running statistics).

        Returns:
            The output: of shape (batch, n_out), in the parameters' dtype, for a
            layer with parameters; of x's shape for one without.

        Raises:
            NotImplementedError: if the subclass does not define forward.
            ValueError: if x has a shape the layer cannot take or is a ragged list;
                for BatchNorm in training, if x has one row or values whose
                variance is not finite.
            TypeError: if x does not hold real numbers or holds floats of a dtype
                other than the parameters'; for Dropout, BatchNorm, LayerNorm,
                Sequential and Residual, if training is not True or False.
        """
        raise NotImplementedError(f"{type(self).__name__}: a layer defines forward")

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""The gradients for the last training forward.

        Sets ``.grad`` of every parameter, writing into the array it already holds
        (``grad_buffer``): copy a gradient to keep it past the next backward.

        Args:
            dy: $\partial J / \partial y$, the gradient of the cost with respect to
                the output, of the output's shape.
            input_grad: whether to compute $\partial J / \partial x$; False for a
                network's first layer, whose dX nobody needs (a third of a Dense
                layer's backward).

        Returns:
            $\partial J / \partial x$, of the input's shape, or None when
            input_grad is False.

        Raises:
            NotImplementedError: if the subclass does not define backward.
            RuntimeError: if no training forward came before.
            ValueError: if dy does not have the output's shape.
            TypeError: if dy does not hold real numbers.
        """
        raise NotImplementedError(
            f"{type(self).__name__}: a layer defines backward"
        )

    def parameters(self) -> list[Parameter]:
        """The layer's trainable parameters, which an optimizer updates.

        Returns:
            The Parameters, in a fixed order (W before b); empty for a layer
            without any.
        """
        return []

    def buffers(self) -> dict[str, np.ndarray]:
        """Non-trainable state that a training forward changes (batch norm's
        running statistics).

        Returns:
            The arrays by attribute name; empty for most layers.
        """
        return {}

    def astype(self, dtype: np.typing.DTypeLike) -> "Layer":
        """Convert parameters and buffers to ``dtype``, in place; gradients are
        dropped (the next backward makes them anew).

        Args:
            dtype: a float dtype, such as ``np.float32``.

        Returns:
            The layer itself.

        Raises:
            TypeError: if dtype is not a float dtype.
            ValueError: if the layer's eps would be 0 in dtype.
        """
        dtype = check.float_dtype(self, dtype)
        if hasattr(
            self, "eps"
        ):  # a constant that must stay above 0 in the new dtype
            check.epsilon(self, self.eps, [dtype])
        for p in self.parameters():
            p.value = p.value.astype(dtype)
            p.grad = None
        for name, array in self.buffers().items():
            setattr(self, name, array.astype(dtype))
        return self

    def save_for_backward(self, training: bool, **arrays: np.ndarray) -> None:
        """Keep ``arrays`` for the next backward, in a training forward only.

        An evaluation forward leaves what the last training forward saved, so a
        model can be evaluated between a training forward and its backward.

        Args:
            training: the forward's own flag: nothing is kept when it is False.
            arrays: what backward needs, by name (``x=x``), read with ``saved``.
        """
        if training:
            self.saved_arrays = arrays

    def saved(self) -> dict[str, np.ndarray]:
        """What the last training forward saved.

        Returns:
            The arrays given to ``save_for_backward``, by name.

        Raises:
            RuntimeError: if no training forward came before.
        """
        arrays = getattr(self, "saved_arrays", None)
        if arrays is None:
            raise RuntimeError(
                f"{self!r}: backward called before forward(x, training=True)"
            )
        return arrays

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def check_input(
    layer: Layer, x: np.ndarray, n_in: int, dtype: np.dtype | None = None
) -> np.ndarray:
    """The layer's input as an array of shape (batch, n_in), parameters' dtype.

    A wrong shape, complex numbers or a float of another dtype are refused with an
    error naming the layer; integer or boolean input is converted to the
    parameters' dtype.

    Args:
        layer: the layer, named in messages.
        x: the input (a list is converted).
        n_in: the number of features the layer takes.
        dtype: the parameters' dtype; None accepts any real dtype.

    Returns:
        x as an array of shape (batch, n_in), in dtype if given.

    Raises:
        ValueError: if x is not of shape (batch, n_in), or is a ragged list.
        TypeError: if x does not hold real numbers, or holds floats of another
            dtype than ``dtype``.
    """
    given = check.as_array(layer, "x", x)
    x = check.real_array(layer, "x", given)
    if x.ndim != 2 or x.shape[1] != n_in:
        check.fail(
            layer,
            "x",
            f"of shape (batch, {n_in})",
            f"shape {x.shape}",
            described=True,
        )
    if dtype is not None and x.dtype != dtype:
        if given.dtype.kind in "biu":  # integers or booleans
            return given.astype(dtype)
        check.fail(
            layer,
            "x",
            f"{dtype} like the parameters (convert the data, x.astype(np.{dtype}), "
            f"or the model, model.astype(np.{x.dtype}))",
            f"{x.dtype}",
            TypeError,
            described=True,
        )
    return x


def initial_weights(
    who: str,
    init: str | Callable,
    shape: tuple[int, int],
    rng: int | np.random.Generator | None,
    dtype: np.typing.DTypeLike,
) -> np.ndarray:
    """Weights drawn by the initializer ``init``, checked: of the asked shape,
    finite, in a float ``dtype``.

    Args:
        who: the layer's class name, for messages (``"Dense"``).
        init: a name from ``hb.init`` (``"he_normal"``) or a function f(shape, rng).
        shape: (n_in, n_out).
        rng: a seed or a Generator, passed to ``init`` as a Generator.
        dtype: the float dtype of the weights.

    Returns:
        The weights, of shape ``shape``, in ``dtype``.

    Raises:
        TypeError: if dtype is not a float dtype, rng is not a seed or Generator,
            or init is neither a name nor a function f(shape, rng).
        ValueError: if init is an unknown name, or gives weights of another
            shape, not finite, or beyond the range of dtype.
    """
    dtype = check.float_dtype(who, dtype)
    rng = check.generator(who, rng)
    try:
        draw = initializers.get(init)
    except (ValueError, TypeError) as error:
        check.fail(
            who,
            "init",
            "an initializer",
            f"{init!r}: {error}",
            type(error),
            described=True,
        )
    try:
        W = np.asarray(draw(shape, rng))
    except TypeError as error:
        check.fail(
            who,
            "init",
            "an initializer f(shape, rng), such as "
            "hb.init.normal(0.01) (a factory must be called)",
            f"{check.shown_value(init)}, which raised: {error}",
            TypeError,
            described=True,
        )
    if W.shape != shape or not np.all(np.isfinite(W)):
        check.fail(
            who,
            "init",
            f"a function giving finite weights of shape {shape}",
            f"shape {W.shape}" if W.shape != shape else "NaN or inf",
            described=True,
        )
    with np.errstate(over="ignore"):  # an overflow is refused just below
        W = W.astype(dtype)
    if not np.all(np.isfinite(W)):
        check.fail(
            who,
            "init",
            f"a function giving weights that fit in {dtype}",
            f"weights beyond {np.finfo(dtype).max:.3g}",
            described=True,
        )
    return W


def check_layers(layers: Sequence[Layer]) -> list[Layer]:
    """The layers of a Sequential: instances with forward and backward, each used
    once (a layer used twice would overwrite what its first use saved for
    backward, and its gradients, without a word).

    Args:
        layers: the layers given to Sequential, inner Sequentials included.

    Returns:
        The layers, as a list.

    Raises:
        TypeError: if an item is a class, or an object without forward and
            backward.
        ValueError: if there is no layer, a layer appears twice, or two layers
            share a Parameter (tied weights).
    """
    for layer in layers:
        if isinstance(layer, type) or not (
            hasattr(layer, "forward") and hasattr(layer, "backward")
        ):
            shown = (
                f"the class {layer.__name__}"
                if isinstance(layer, type)
                else (f"{type(layer).__name__} {layer!r}")
            )
            check.fail(
                "Sequential",
                "layers",
                "layer instances, such as Dense(4, 3) or ReLU()",
                shown,
                TypeError,
                described=True,
            )
    seen: dict[int, int] = {}
    leaves = [leaf for layer in layers for leaf in layers_of(layer)]
    for i, layer in enumerate(leaves):
        if id(layer) in seen:
            check.fail(
                "Sequential",
                "layers",
                "each a separate instance",
                f"{layer!r} at positions {seen[id(layer)]} and {i}",
                described=True,
            )
        seen[id(layer)] = i
    if not layers:
        check.fail(
            "Sequential", "layers", "at least one layer", "none", described=True
        )
    owners: dict[int, Layer] = {}
    for layer in leaves:  # a tied weight would get the last layer's gradient only
        for p in layer.parameters():
            if id(p) in owners:
                check.fail(
                    "Sequential",
                    "layers",
                    "layers with parameters of their own (tied weights are not "
                    "supported: backward would keep one layer's gradient)",
                    f"{p!r} in {owners[id(p)]!r} and {layer!r}",
                    described=True,
                )
            owners[id(p)] = layer
    return list(layers)


def check_gradient(
    layer: Layer, dy: np.ndarray, shape: tuple[int, ...]
) -> np.ndarray:
    """``dy``, the gradient of the cost with respect to the layer's output, which
    must have the output's shape: a (1, n) row or a transposed array would
    otherwise broadcast silently.

    Args:
        layer: the layer, named in messages.
        dy: the gradient given to its backward (a list is converted).
        shape: the shape of the layer's last output.

    Returns:
        dy as an array of real numbers.

    Raises:
        ValueError: if dy's shape is not ``shape``, or dy is a ragged list.
        TypeError: if dy does not hold real numbers.
    """
    dy = check.real_array(layer, "dy", dy)
    if dy.shape != tuple(shape):
        check.fail(
            layer,
            "dy",
            f"of shape {tuple(shape)} like the output",
            f"shape {dy.shape}",
            described=True,
        )
    return dy


# --8<-- [start:dense]
class Dense(Layer):
    """Fully connected layer: $Z = XW + b$, with $W$ of shape (n_in, n_out).

    Args:
        n_in: inputs per example.
        n_out: units, the outputs per example.
        init: W's initializer: a name in hb.init or a function f(shape, rng).
        bias: whether to add b (no need before a batch norm, which shifts).
        rng: seed or Generator for the initial W.
        dtype: the parameters' float dtype.

    Raises:
        TypeError: if n_in, n_out, init, bias, rng or dtype is of a wrong kind.
        ValueError: if n_in or n_out is below 1, or init is unknown or unfit.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        init: "str | Callable" = "he_normal",
        bias: bool = True,
        rng: int | np.random.Generator | None = None,
        dtype: np.typing.DTypeLike = np.float64,
    ):
        super().__init__()
        self.n_in = check.whole("Dense", "n_in", n_in)
        self.n_out = check.whole("Dense", "n_out", n_out)
        bias = check.flag("Dense", "bias", bias)
        W = initial_weights("Dense", init, (n_in, n_out), rng, dtype)
        self.W = Parameter(W, name="W")
        self.b = (
            Parameter(np.zeros(n_out, dtype), name="b", regularize=False)
            if bias
            else None
        )

    def parameters(self) -> list[Parameter]:
        return [self.W] if self.b is None else [self.W, self.b]

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        x = check_input(self, x, self.n_in, self.W.value.dtype)
        z = x @ self.W.value
        if self.b is not None:
            z += self.b.value
        self.save_for_backward(training, x=x)
        return z

    def backward(
        self, dz: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""Sets W.grad and b.grad.

        Args:
            dz: $\partial J / \partial Z$, of shape (batch, n_out).
            input_grad: whether to compute dX.

        Returns:
            dX, of shape (batch, n_in), or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if dz is not of shape (batch, n_out).
        """
        x = self.saved()["x"]
        dz = check_gradient(self, dz, (len(x), self.n_out))
        self.W.grad = np.matmul(x.T, dz, out=grad_buffer(self.W))  # dW = X^T dZ
        if self.b is not None:
            # db = the sum of dZ over the batch
            self.b.grad = np.sum(dz, axis=0, out=grad_buffer(self.b))
        return dz @ self.W.value.T if input_grad else None  # dX = dZ W^T

    def __repr__(self) -> str:
        return f"Dense({self.n_in} -> {self.n_out})"


# --8<-- [end:dense]


def grad_buffer(p: Parameter) -> np.ndarray:
    """The parameter's gradient array, reused from step to step to save allocations.

    A layer's backward writes the gradient into it (``out=grad_buffer(p)``); a new
    array is made only when there is none yet or its shape or dtype changed.

    Args:
        p: the parameter whose gradient the caller is about to compute.

    Returns:
        ``p.grad``, of p's shape and dtype (its values are to be overwritten).
    """
    if (
        p.grad is None
        or p.grad.shape != p.value.shape
        or p.grad.dtype != p.value.dtype
    ):
        p.grad = np.empty_like(p.value)
    return p.grad


# --8<-- [start:activations]
class Sigmoid(Layer):
    r"""$\sigma(z) = 1 / (1 + e^{-z})$, computed without overflow for large
    $|z|$."""

    def forward(self, z: np.ndarray, training: bool = True) -> np.ndarray:
        r"""$\sigma(z)$, entry by entry.

        Args:
            z: the pre-activations, of any shape.
            training: whether to save what backward needs.

        Returns:
            $a = \sigma(z)$, of z's shape.

        Raises:
            TypeError: if z does not hold real numbers.
        """
        z = check.real_array(self, "z", z)
        e = np.exp(-np.abs(z))  # never overflows: e is in (0, 1]
        a = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
        self.save_for_backward(training, a=a)
        return a

    def backward(
        self, da: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""$dz = da\, \sigma'$ with $\sigma' = \sigma (1 - \sigma)$, at most $1/4$.

        Args:
            da: $\partial J / \partial a$, of the output's shape.
            input_grad: whether to compute dz.

        Returns:
            dz, of da's shape, or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if da does not have the output's shape.
        """
        a = self.saved()["a"]
        da = check_gradient(self, da, a.shape)
        return da * a * (1 - a) if input_grad else None


class Tanh(Layer):
    r"""$\tanh(z)$, zero-centred, with derivative $1 - \tanh^2$."""

    def forward(self, z: np.ndarray, training: bool = True) -> np.ndarray:
        r"""$\tanh(z)$, entry by entry.

        Args:
            z: the pre-activations, of any shape.
            training: whether to save what backward needs.

        Returns:
            $a = \tanh(z)$, of z's shape.

        Raises:
            TypeError: if z does not hold real numbers.
        """
        a = np.tanh(check.real_array(self, "z", z))
        self.save_for_backward(training, a=a)
        return a

    def backward(
        self, da: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""$dz = da\,(1 - a^2)$.

        Args:
            da: $\partial J / \partial a$, of the output's shape.
            input_grad: whether to compute dz.

        Returns:
            dz, of da's shape, or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if da does not have the output's shape.
        """
        a = self.saved()["a"]
        da = check_gradient(self, da, a.shape)
        return da * (1 - a * a) if input_grad else None


class ReLU(Layer):
    r"""$\max(0, z)$: gradient 1 where the unit is active, 0 where it is not."""

    def forward(self, z: np.ndarray, training: bool = True) -> np.ndarray:
        r"""$\max(0, z)$, entry by entry.

        Args:
            z: the pre-activations, of any shape.
            training: whether to save what backward needs.

        Returns:
            $a = \max(0, z)$, of z's shape.

        Raises:
            TypeError: if z does not hold real numbers.
        """
        a = np.maximum(check.real_array(self, "z", z), 0)
        self.save_for_backward(training, a=a)
        return a

    def backward(
        self, da: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""$dz = da$ where $z > 0$, else 0 (also at $z = 0$).

        Args:
            da: $\partial J / \partial a$, of the output's shape.
            input_grad: whether to compute dz.

        Returns:
            dz, of da's shape, or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if da does not have the output's shape.
        """
        a = self.saved()["a"]
        da = check_gradient(self, da, a.shape)
        return da * (a > 0) if input_grad else None


class LeakyReLU(Layer):
    r"""$z$ where $z > 0$, $\alpha z$ elsewhere: no unit's gradient is ever
    exactly zero.

    Args:
        alpha: the slope for $z \le 0$, in [0, 1).

    Raises:
        TypeError: if alpha is not a real number.
        ValueError: if alpha is not in [0, 1).
    """

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check.number(
            "LeakyReLU", "alpha", alpha, low=0, high=1, high_open=True
        )

    def forward(self, z: np.ndarray, training: bool = True) -> np.ndarray:
        r"""$z$ where $z > 0$, $\alpha z$ elsewhere.

        Args:
            z: the pre-activations, of any shape.
            training: whether to save what backward needs.

        Returns:
            a, of z's shape.

        Raises:
            TypeError: if z does not hold real numbers.
        """
        z = check.real_array(self, "z", z)
        positive = z > 0
        self.save_for_backward(training, positive=positive)
        return np.where(positive, z, self.alpha * z)

    def backward(
        self, da: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""$dz = da$ where $z > 0$, $\alpha\, da$ elsewhere.

        Args:
            da: $\partial J / \partial a$, of the output's shape.
            input_grad: whether to compute dz.

        Returns:
            dz, of da's shape, or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if da does not have the output's shape.
        """
        positive = self.saved()["positive"]
        da = check_gradient(self, da, positive.shape)
        return np.where(positive, da, self.alpha * da) if input_grad else None

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


# --8<-- [end:activations]


# --8<-- [start:maxout]
class Maxout(Layer):
    """Goodfellow et al. (2013): each output is the largest of ``pieces`` linear
    functions of x.

    Args:
        n_in: inputs per example.
        n_out: units, the outputs per example.
        pieces: linear functions per unit.
        init: W's initializer: a name in hb.init or a function f(shape, rng).
        rng: seed or Generator for the initial W.
        dtype: the parameters' float dtype.

    Raises:
        TypeError: if n_in, n_out, pieces, init, rng or dtype is of a wrong kind.
        ValueError: if n_in, n_out or pieces is below 1, or init is unknown or
            unfit.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        pieces: int = 2,
        init: "str | Callable" = "he_normal",
        rng: int | np.random.Generator | None = None,
        dtype: np.typing.DTypeLike = np.float64,
    ):
        super().__init__()
        self.n_in = check.whole("Maxout", "n_in", n_in)
        self.n_out = check.whole("Maxout", "n_out", n_out)
        self.pieces = check.whole("Maxout", "pieces", pieces)
        shape = (n_in, n_out * pieces)
        self.W = Parameter(
            initial_weights("Maxout", init, shape, rng, dtype), name="W"
        )
        self.b = Parameter(
            np.zeros(n_out * pieces, dtype), name="b", regularize=False
        )

    def parameters(self) -> list[Parameter]:
        return [self.W, self.b]

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        x = check_input(self, x, self.n_in, self.W.value.dtype)
        z = x @ self.W.value + self.b.value
        z = z.reshape(len(x), self.n_out, self.pieces)
        best = z.argmax(axis=2)[..., None]  # which piece wins, per sample and unit
        self.save_for_backward(training, x=x, best=best)
        return np.take_along_axis(z, best, axis=2)[..., 0]

    def backward(
        self, da: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""Only the winning piece of each unit gets gradient; sets W.grad, b.grad.

        Args:
            da: $\partial J / \partial a$, of shape (batch, n_out).
            input_grad: whether to compute dX.

        Returns:
            dX, of shape (batch, n_in), or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if da is not of shape (batch, n_out).
        """
        saved = self.saved()
        x, best = saved["x"], saved["best"]
        da = check_gradient(self, da, (len(x), self.n_out))
        dz = np.zeros((len(x), self.n_out, self.pieces), da.dtype)
        np.put_along_axis(dz, best, da[..., None], axis=2)
        dz = dz.reshape(len(x), -1)
        self.W.grad = np.matmul(x.T, dz, out=grad_buffer(self.W))
        self.b.grad = np.sum(dz, axis=0, out=grad_buffer(self.b))
        return dz @ self.W.value.T if input_grad else None

    def __repr__(self) -> str:
        return f"Maxout({self.n_in} -> {self.n_out}, pieces={self.pieces})"


# --8<-- [end:maxout]


# --8<-- [start:dropout]
class Dropout(Layer):
    r"""Inverted dropout: keep each unit with probability keep_prob, then scale it
    by $1 / \text{keep\_prob}$ so that its expected value does not change.

    Args:
        keep_prob: the probability of keeping a unit, in (0, 1]; 1 drops none.
        rng: seed or Generator for the masks.

    Raises:
        TypeError: if keep_prob is not a real number, or rng not a seed.
        ValueError: if keep_prob is not in (0, 1].
    """

    def __init__(
        self, keep_prob: float, rng: int | np.random.Generator | None = None
    ):
        super().__init__()
        self.keep_prob = check.fraction(
            "Dropout", "keep_prob", keep_prob, zero=False, one=True
        )
        self.rng = check.generator("Dropout", rng)
        self.freeze_mask = False  # reuse the last mask (for gradient checking)
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        x = check.real_array(self, "x", x)
        if not check.flag(self, "training", training) or self.keep_prob == 1:
            self.save_for_backward(training, mask=None, shape=x.shape)
            return x  # nothing to undo at test time
        reuse = self.freeze_mask and self.mask is not None
        if not (reuse and self.mask.shape == x.shape):
            check.number(
                self,
                f"keep_prob for {x.dtype} input",
                self.keep_prob,
                low=1 / np.finfo(x.dtype).max,
            )  # 1 / keep_prob must fit
            keep = self.rng.random(x.shape) < self.keep_prob
            self.mask = keep.astype(x.dtype) / x.dtype.type(self.keep_prob)
        self.save_for_backward(training, mask=self.mask, shape=x.shape)
        return x * self.mask

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        mask, shape = self.saved()["mask"], self.saved()["shape"]
        dy = check_gradient(self, dy, shape)
        if not input_grad:
            return None
        return dy if mask is None else dy * mask

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


# --8<-- [end:dropout]


# --8<-- [start:batchnorm]
class BatchNorm(Layer):
    """Ioffe and Szegedy (2015): normalize each feature over the batch, then scale
    and shift.

    Args:
        n: features of the input, each normalized on its own.
        momentum: the running statistics' decay, in [0, 1).
        eps: added to the variance before its square root.
        dtype: the parameters' float dtype.

    Raises:
        TypeError: if n, momentum, eps or dtype is of a wrong kind.
        ValueError: if n is below 1, momentum not in [0, 1), or eps not positive
            (in dtype).
    """

    def __init__(
        self,
        n: int,
        momentum: float = 0.9,
        eps: float = 1e-5,
        dtype: np.typing.DTypeLike = np.float64,
    ):
        super().__init__()
        self.n = check.whole("BatchNorm", "n", n)
        dtype = check.float_dtype("BatchNorm", dtype)
        self.momentum = check.fraction("BatchNorm", "momentum", momentum)
        self.eps = check.epsilon("BatchNorm", eps, [dtype])
        self.gamma = Parameter(np.ones(n, dtype), name="gamma", regularize=False)
        self.beta = Parameter(np.zeros(n, dtype), name="beta", regularize=False)
        self.running_mean = np.zeros(n, dtype)
        self.running_var = np.ones(n, dtype)

    def parameters(self) -> list[Parameter]:
        return [self.gamma, self.beta]

    def buffers(self) -> dict[str, np.ndarray]:
        return {"running_mean": self.running_mean, "running_var": self.running_var}

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        x = check_input(self, x, self.n, self.gamma.value.dtype)
        if check.flag(self, "training", training):
            if len(x) < 2:
                check.fail(
                    self,
                    "x",
                    "a batch of at least 2 rows in training",
                    f"{len(x)} row",
                    described=True,
                )
            with np.errstate(over="ignore"):  # refused below if it overflows
                mu = x.mean(axis=0)
                var = x.var(axis=0)  # the biased variance, as in the paper
            if not (np.isfinite(mu).all() and np.isfinite(var).all()):
                check.fail(
                    self,
                    "x",
                    "finite, with a finite variance (the running statistics would "
                    "keep a NaN or inf)",
                    "NaN, inf or values whose variance overflows",
                    described=True,
                )
            rho = self.momentum
            self.running_mean = rho * self.running_mean + (1 - rho) * mu
            self.running_var = rho * self.running_var + (1 - rho) * var
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = 1 / np.sqrt(var + self.eps)
        x_hat = (x - mu) * inv_std
        self.save_for_backward(training, x_hat=x_hat, inv_std=inv_std)
        return self.gamma.value * x_hat + self.beta.value

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        saved = self.saved()
        x_hat, inv_std = saved["x_hat"], saved["inv_std"]
        dy = check_gradient(self, dy, x_hat.shape)
        self.beta.grad = np.sum(dy, axis=0, out=grad_buffer(self.beta))
        self.gamma.grad = np.sum(dy * x_hat, axis=0, out=grad_buffer(self.gamma))
        if not input_grad:
            return None
        # the compact form of the chain rule through the batch mean and variance
        B = len(dy)
        scale = self.gamma.value * inv_std / B
        return scale * (B * dy - self.beta.grad - x_hat * self.gamma.grad)

    def __repr__(self) -> str:
        return f"BatchNorm({self.n}, momentum={self.momentum})"


# --8<-- [end:batchnorm]


# --8<-- [start:layernorm]
class LayerNorm(Layer):
    r"""Ba, Kiros and Hinton (2016): normalize each example over its own features,
    then scale and shift, $y = \gamma \hat x + \beta$.

    For a row $x$ of $n$ features with mean $\mu$ and variance $\sigma^2$,
    $\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$. No statistic mixes the
    rows, so training and evaluation compute the same, at any batch size, and there
    are no running statistics to keep.

    Args:
        n: features of the input, normalized together; at least 2 (a single
            feature always normalizes to 0).
        eps: added to the variance before its square root.
        dtype: the parameters' float dtype.

    Raises:
        TypeError: if n, eps or dtype is of a wrong kind.
        ValueError: if n is below 2, or eps not positive (in dtype).
    """

    def __init__(
        self, n: int, eps: float = 1e-5, dtype: np.typing.DTypeLike = np.float64
    ):
        super().__init__()
        self.n = check.whole("LayerNorm", "n", n, low=2)
        dtype = check.float_dtype("LayerNorm", dtype)
        self.eps = check.epsilon("LayerNorm", eps, [dtype])
        self.gamma = Parameter(np.ones(n, dtype), name="gamma", regularize=False)
        self.beta = Parameter(np.zeros(n, dtype), name="beta", regularize=False)

    def parameters(self) -> list[Parameter]:
        return [self.gamma, self.beta]

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        x = check_input(self, x, self.n, self.gamma.value.dtype)
        training = check.flag(self, "training", training)
        mu = x.mean(axis=1, keepdims=True)  # one mean and variance per row
        var = x.var(axis=1, keepdims=True)  # the biased variance, as in the paper
        inv_std = 1 / np.sqrt(var + self.eps)
        x_hat = (x - mu) * inv_std
        self.save_for_backward(training, x_hat=x_hat, inv_std=inv_std)
        return self.gamma.value * x_hat + self.beta.value

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        saved = self.saved()
        x_hat, inv_std = saved["x_hat"], saved["inv_std"]
        dy = check_gradient(self, dy, x_hat.shape)
        self.beta.grad = np.sum(dy, axis=0, out=grad_buffer(self.beta))
        self.gamma.grad = np.sum(dy * x_hat, axis=0, out=grad_buffer(self.gamma))
        if not input_grad:
            return None
        # batch norm's compact chain rule, over a row's features instead of a batch
        g, n = dy * self.gamma.value, self.n
        g_sum = g.sum(axis=1, keepdims=True)
        gx_sum = (g * x_hat).sum(axis=1, keepdims=True)
        return inv_std / n * (n * g - g_sum - x_hat * gx_sum)

    def __repr__(self) -> str:
        return f"LayerNorm({self.n})"


# --8<-- [end:layernorm]


def layers_of(model: Layer) -> list[Layer]:
    """The layers a model applies, in order: the layers of a Sequential, and of
    each Sequential inside it, or the model alone in a list.

    The layers of a Residual block's f are listed in their place, the block
    itself is not: f's layers are what holds parameters, buffers and dropout
    masks. Applied one after the other they miss the block's skip; to see what
    each layer outputs in the model, use ``layer_outputs``.

    Args:
        model: a layer, a Sequential or a Residual, nested in any way.

    Returns:
        The layers that are neither Sequentials nor Residuals, first to last.
    """
    if is_residual(model):
        return layers_of(model.f)
    layers = getattr(model, "layers", None)
    if not isinstance(layers, list):
        return [model]
    return [leaf for layer in layers for leaf in layers_of(layer)]


def is_residual(layer: Layer) -> bool:
    """Whether a layer is a skip connection: a Residual, known by its class name
    (or a base class's), so that a page's own copy of the class counts too.

    Args:
        layer: any layer.

    Returns:
        True for a Residual block.
    """
    return any(cls.__name__ == "Residual" for cls in type(layer).__mro__)


def layer_outputs(
    model: Layer, x: np.ndarray
) -> Iterator[tuple[str, Layer, np.ndarray]]:
    """Every layer's output for x as the model computes it, in evaluation mode:
    what a diagnosis looks at, layer by layer.

    Each layer is named ``"<index>: <layer>"`` (``"2: Dense(16 -> 16)"``), the
    index counting the layers as ``layers_of`` lists them, as gradient_check and
    gradient_norms count them ("2.W"). Inside a Residual block each layer sees
    what it sees in the model; the block's own output, $x + f(x)$, follows its
    last layer's as ``"<first>-<last>: Residual"``, the indices of the block's
    first and last layer (``"<index>: Residual"`` for a block of one layer).

    Args:
        model: a layer, a Sequential or a Residual, nested in any way.
        x: the input, (batch, features).

    Yields:
        ``(name, layer, output)``, the block itself as the layer of its sum; the
        last output is the model's.

    Raises:
        ValueError: if a layer cannot take the shape of its input, or a
            Residual's f changes the shape.
        TypeError: if x holds no real numbers, or floats of another dtype than
            the parameters'.
    """
    yield from outputs_of(model, x, [0])


def outputs_of(
    model: Layer, x: np.ndarray, count: list[int]
) -> Iterator[tuple[str, Layer, np.ndarray]]:
    """``layer_outputs`` of a part of a model, whose first layer has the index
    ``count[0]``; the count moves on by the part's layers.

    Args:
        model: the part: a layer, a Sequential or a Residual.
        x: the part's input.
        count: a one-item list, the index of the part's first layer; the walk
            adds one for each layer.

    Yields:
        ``(name, layer, output)``, as ``layer_outputs``.
    """
    if is_residual(model):
        first = count[0]
        for name, layer, fx in outputs_of(model.f, x, count):
            yield name, layer, fx
        last = count[0] - 1
        span = f"{first}-{last}" if last > first else f"{first}"
        yield f"{span}: Residual", model, model.add(x, fx)
        return
    layers = getattr(model, "layers", None)
    if isinstance(layers, list):  # a Sequential: each part takes the last output
        for part in layers:
            for name, layer, output in outputs_of(part, x, count):
                yield name, layer, output
            x = output
        return
    index, count[0] = count[0], count[0] + 1
    yield f"{index}: {model!r}", model, model.forward(x, training=False)


# --8<-- [start:sequential]
class Sequential(Layer):
    """Layers applied one after the other; backward runs them in reverse.

    Args:
        layers: the layers, first to last, each instance used once.

    Raises:
        TypeError: if a layer is a class, or lacks forward or backward.
        ValueError: if there is none, or a layer (or a Parameter) is used twice.
    """

    def __init__(self, *layers: Layer):
        super().__init__()
        self.layers = check_layers(layers)

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        training = check.flag("Sequential", "training", training)
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        for layer in reversed(self.layers[1:]):
            dy = layer.backward(dy)
        return self.layers[0].backward(dy, input_grad)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The output in evaluation mode (no dropout, running statistics);
        saves nothing for backward.

        Args:
            x: the input, of shape (batch, n_in) of the first layer.

        Returns:
            The last layer's output.

        Raises:
            ValueError: if a layer cannot take the shape of its input.
            TypeError: if x holds no real numbers, or floats of another dtype.
        """
        return self.forward(x, training=False)

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def astype(self, dtype: np.typing.DTypeLike) -> "Sequential":
        for layer in self.layers:
            layer.astype(dtype)
        return self

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i: int | slice) -> Layer:
        """A layer, or a Sequential of the layers a slice selects."""
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        index = check.whole("Sequential", "index", i, low=-len(self.layers))
        if index >= len(self.layers):
            check.fail(
                "Sequential", "index", f"< {len(self)} (the layers)", i, IndexError
            )
        return self.layers[index]

    def __repr__(self) -> str:
        # an inner model's lines (a Residual's) indented under its row
        rows = [f"({i}) {layer!r}" for i, layer in enumerate(self.layers)]
        return (
            "Sequential(\n"
            + "".join("  " + row.replace("\n", "\n  ") + "\n" for row in rows)
            + ")"
        )


# --8<-- [end:sequential]


# --8<-- [start:residual]
class Residual(Layer):
    r"""He et al. (2016): the skip connection $y = x + f(x)$ around a block $f$.

    The block learns a change to its input instead of a new representation, and
    the gradient reaches $x$ through the skip unchanged: backward returns $dy$
    plus what f's backward returns for $dy$. In a deep stack of blocks, the
    gradient thus has a path from the output to every block that no layer
    shrinks.

    Args:
        f: the block: a layer, usually a Sequential, whose output has its
            input's shape (a Dense(16, 16) keeps it, a Dense(16, 10) does not).

    Raises:
        TypeError: if f is a class, or lacks forward, backward or parameters.
    """

    def __init__(self, f: Layer):
        super().__init__()
        self.f = check.instance(
            "Residual",
            "f",
            f,
            ("forward", "backward", "parameters"),
            "hb.Sequential(hb.Dense(16, 16), hb.ReLU())",
        )

    def parameters(self) -> list[Parameter]:
        return self.f.parameters()

    def astype(self, dtype: np.typing.DTypeLike) -> "Residual":
        self.f.astype(dtype)
        return self

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        training = check.flag("Residual", "training", training)
        y = self.add(x, self.f.forward(x, training))
        self.save_for_backward(training, shape=y.shape)
        return y

    def add(self, x: np.ndarray, fx: np.ndarray) -> np.ndarray:
        """The skip: $x + f(x)$, in f's dtype, for an f(x) of x's shape (an f(x)
        of another width would broadcast, or fail inside NumPy).

        Args:
            x: the block's input, (batch, features).
            fx: f's output for x.

        Returns:
            $x + f(x)$, of x's shape.

        Raises:
            ValueError: if fx does not have x's shape.
        """
        x, fx = check.as_array("Residual", "x", x), np.asarray(fx)
        if fx.shape != x.shape:
            check.fail(
                "Residual",
                "f(x)",
                f"of x's shape {x.shape}, since the skip adds x to it (end f "
                "with a layer as wide as its input)",
                f"shape {fx.shape}",
                described=True,
            )
        return x.astype(fx.dtype, copy=False) + fx

    def backward(
        self, dy: np.ndarray, input_grad: bool = True
    ) -> np.ndarray | None:
        r"""$dy$ through the skip plus f's $dx$ for $dy$; sets f's gradients.

        Args:
            dy: $\partial J / \partial y$, of the output's shape.
            input_grad: whether to compute dx (f's parameters get their
                gradients either way).

        Returns:
            dx, of x's shape, or None when input_grad is False.

        Raises:
            RuntimeError: if no training forward came before.
            ValueError: if dy does not have the output's shape.
        """
        dy = check_gradient("Residual", dy, self.saved()["shape"])
        dx = self.f.backward(dy, input_grad)
        return dy + dx if input_grad else None

    def __repr__(self) -> str:
        inner = repr(self.f)
        if "\n" not in inner:
            return f"Residual({inner})"
        return "Residual(\n  " + inner.replace("\n", "\n  ") + "\n)"


# --8<-- [end:residual]
