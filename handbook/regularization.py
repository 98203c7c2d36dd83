"""Norm penalties, added to the cost J and to the gradients of the weights.

The biases are not penalized (unless ``include_bias``).
"""

from __future__ import annotations

import numpy as np

from handbook import validation as check
from handbook.parameter import Parameter


def parameters_of(model_or_params) -> list[Parameter]:
    """A model's parameters (anything with ``parameters()``), or the list given."""
    if hasattr(model_or_params, "parameters"):
        return model_or_params.parameters()
    return list(model_or_params)


# --8<-- [start:l2]
class L2:
    """J += lambd / (2m) * sum_l ||W^[l]||_F^2, so dW += lambd / m * W."""

    def __init__(self, lambd: float, include_bias: bool = False):
        check.non_negative(type(self).__name__, "lambd", lambd)
        self.lambd, self.include_bias = lambd, include_bias

    def penalized(self, model) -> list[Parameter]:
        return [
            p for p in parameters_of(model) if p.regularize or self.include_bias
        ]

    def penalty(self, model, m: int) -> float:
        check.whole(self, "m (the batch size)", m)
        penalized = self.penalized(model)
        squared_norms = sum(float(np.sum(p.value * p.value)) for p in penalized)
        return self.lambd / (2 * m) * squared_norms

    def add_gradient(self, model, m: int) -> None:
        for p in self.penalized(model):
            p.grad += (self.lambd / m) * p.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lambd={self.lambd})"


# --8<-- [end:l2]


# --8<-- [start:l1]
class L1(L2):
    """J += lambd / m * sum_l sum |W^[l]|, so dW += lambd / m * sign(W).

    It pushes weights to exactly 0.
    """

    def penalty(self, model, m: int) -> float:
        check.whole(self, "m (the batch size)", m)
        penalized = self.penalized(model)
        norms = sum(float(np.sum(np.abs(p.value))) for p in penalized)
        return self.lambd / m * norms

    def add_gradient(self, model, m: int) -> None:
        for p in self.penalized(model):
            p.grad += (self.lambd / m) * np.sign(p.value)


# --8<-- [end:l1]


# --8<-- [start:soft-threshold]
def soft_threshold(w: np.ndarray, threshold: float) -> np.ndarray:
    """The proximal step of L1: shrink every weight toward 0 by `threshold`.

    Weights within `threshold` of 0 become exactly 0. After a gradient step with
    rate alpha, use alpha * lambd / m.
    """
    check.non_negative("soft_threshold", "threshold", threshold)
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0)


# --8<-- [end:soft-threshold]
