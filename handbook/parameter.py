"""The trainable array shared by layers and optimizers."""

from __future__ import annotations

import numpy as np

from handbook import validation as check


# --8<-- [start:parameter]
class Parameter:
    """A trainable array and the gradient of the cost with respect to it.

    Args:
        value: the array (a list is converted; integers become float64).
        name: its name in gradient-check reports, such as "W".
        regularize: whether L1 and L2 penalize it; False for biases.

    Raises:
        TypeError: if value does not hold real numbers.
        ValueError: if value is a ragged list.
    """

    def __init__(self, value: np.ndarray, name: str = "", regularize: bool = True):
        self.value = check.real_array("Parameter", "value", value)
        if not self.value.flags.writeable:  # an optimizer updates it in place
            self.value = self.value.copy()
        self.grad: np.ndarray | None = None
        self.name = name
        self.regularize = regularize

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(shape={self.value.shape}, dtype={self.value.dtype})"


# --8<-- [end:parameter]
