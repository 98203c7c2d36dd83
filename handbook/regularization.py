"""Norm penalties, added to the cost J and to the gradients of the weights.

The biases are not penalized (unless ``include_bias``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from handbook import validation as check
from handbook.parameter import Parameter

if TYPE_CHECKING:
    from handbook.layers import Layer


def parameters_of(
    model_or_params: Layer | list[Parameter],
    who: Any = "parameters_of",
    gradients: bool = False,
) -> list[Parameter]:
    """A model's parameters (anything with ``parameters()``), or the list given.

    With ``gradients``, those that hold a gradient, and at least one must: a
    penalty's gradient is added to backpropagation's, so backward comes first (the
    optimizer, too, skips a parameter without one).

    Args:
        model_or_params: a model, or a list or tuple of Parameters.
        who: the caller, named in messages (a penalty, shown by its repr).
        gradients: whether to keep only the parameters that hold a gradient.

    Returns:
        The parameters, as a list.

    Raises:
        TypeError: if model_or_params is neither a model nor a list of Parameters.
        RuntimeError: with gradients, if no parameter holds one.
    """
    if callable(getattr(model_or_params, "parameters", None)):
        params = model_or_params.parameters()
    elif isinstance(model_or_params, (list, tuple)):
        params = list(model_or_params)
    else:
        params = None
    if params is None or not all(isinstance(p, Parameter) for p in params):
        check.fail(
            who,
            "model",
            "a model (with parameters()) or a list of Parameters",
            described_object(model_or_params),
            TypeError,
            described=True,
        )
    if gradients:
        params = [p for p in params if p.grad is not None]
        if not params:
            check.fail(
                who,
                "model",
                "backpropagated first (add_gradient adds to its gradients)",
                "no gradient",
                RuntimeError,
                described=True,
            )
    return params


def described_object(value: Any) -> str:
    """What was given instead of a model, in a few words.

    Args:
        value: what was given.

    Returns:
        Its kind, with its repr if short (an array by its shape, a function by
        its name).
    """
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if callable(value):
        name = getattr(value, "__qualname__", type(value).__name__)
        return f"{name}, a function (pass the model, or call it)"
    shown = repr(value)
    return type(value).__name__ + (f" {shown}" if len(shown) <= 60 else "")


# --8<-- [start:l2]
class L2:
    r"""$J \leftarrow J + \frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2$, so
    $dW \leftarrow dW + \frac{\lambda}{m} W$.

    Args:
        lambd: the penalty's strength, >= 0 (``lambda`` is a Python keyword).
        include_bias: whether to penalize biases and batch norm's gamma, beta.

    Raises:
        TypeError: if lambd is not a real number, or include_bias not a bool.
        ValueError: if lambd is negative or not finite.
    """

    def __init__(self, lambd: float, include_bias: bool = False):
        check.non_negative(type(self).__name__, "lambd", lambd)
        check.flag(type(self).__name__, "include_bias", include_bias)
        self.lambd, self.include_bias = lambd, include_bias

    def penalized(
        self, model: "Layer | list[Parameter]", gradients: bool = False
    ) -> list[Parameter]:
        """The parameters the penalty covers.

        Args:
            model: a model, or a list of Parameters.
            gradients: whether to keep only those that hold a gradient.

        Returns:
            The parameters, those with ``regularize`` False left out unless
            include_bias.

        Raises:
            TypeError: if model is neither a model nor a list of Parameters.
            RuntimeError: with gradients, if no parameter holds one.
        """
        params = parameters_of(model, self, gradients)
        return [p for p in params if p.regularize or self.include_bias]

    def penalty(self, model: "Layer | list[Parameter]", m: int) -> float:
        """The term the penalty adds to the cost J.

        Args:
            model: a model, or a list of Parameters.
            m: the batch size.

        Returns:
            The term, a float (summed in float64).

        Raises:
            TypeError: if model is not a model or a list of Parameters, or m is
                not a whole number.
            ValueError: if m is below 1.
        """
        check.whole(self, "m (the batch size)", m)
        penalized = self.penalized(model)
        # in float64: float16 squares, and their sum, overflow above 65504
        squared_norms = sum(
            float(np.sum(np.square(p.value, dtype=np.float64))) for p in penalized
        )
        return self.lambd / (2 * m) * squared_norms

    def add_gradient(self, model: "Layer | list[Parameter]", m: int) -> None:
        """Add the penalty's gradient to each ``.grad``, after backward.

        Args:
            model: a model, or a list of Parameters.
            m: the batch size.

        Raises:
            TypeError: if model is not a model or a list of Parameters, or m is
                not a whole number.
            ValueError: if m is below 1.
            RuntimeError: if no parameter holds a gradient (no backward yet).
        """
        check.whole(self, "m (the batch size)", m)
        for p in self.penalized(model, gradients=True):
            p.grad += (self.lambd / m) * p.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lambd={self.lambd})"


# --8<-- [end:l2]


# --8<-- [start:l1]
class L1(L2):
    r"""$J \leftarrow J + \frac{\lambda}{m} \sum_l \sum_{i,j} |W^{[l]}_{ij}|$, so
    $dW \leftarrow dW + \frac{\lambda}{m} \operatorname{sign}(W)$.

    The penalty's minimum has weights at exactly 0, but gradient steps along
    $\operatorname{sign}(W)$ only make them jitter around 0; ``soft_threshold``
    after each step is what sets them to 0.
    """

    def penalty(self, model: "Layer | list[Parameter]", m: int) -> float:
        check.whole(self, "m (the batch size)", m)
        penalized = self.penalized(model)
        # in float64: a float16 sum overflows above 65504
        norms = sum(
            float(np.sum(np.abs(p.value), dtype=np.float64)) for p in penalized
        )
        return self.lambd / m * norms

    def add_gradient(self, model: "Layer | list[Parameter]", m: int) -> None:
        check.whole(self, "m (the batch size)", m)
        for p in self.penalized(model, gradients=True):
            p.grad += (self.lambd / m) * np.sign(p.value)


# --8<-- [end:l1]


# --8<-- [start:soft-threshold]
def soft_threshold(w: np.ndarray, threshold: float) -> np.ndarray:
    r"""The proximal step of L1: shrink every weight toward 0 by `threshold`.

    Weights within `threshold` of 0 become exactly 0. After a gradient step with
    rate $\alpha$, use $\alpha \lambda / m$.

    Args:
        w: the weights, of any shape.
        threshold: how far each moves toward 0, >= 0.

    Returns:
        The shrunk weights, of w's shape.

    Raises:
        TypeError: if w does not hold real numbers, or threshold is not a number.
        ValueError: if threshold is negative or not finite.
    """
    w = check.real_array("soft_threshold", "w", w)
    check.non_negative("soft_threshold", "threshold", threshold)
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0)


# --8<-- [end:soft-threshold]
