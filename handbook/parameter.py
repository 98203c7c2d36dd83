"""The trainable array shared by layers and optimizers."""

from __future__ import annotations

import numpy as np

from handbook import validation as check


# --8<-- [start:parameter]
class Parameter:
    """A trainable array and the gradient of the cost with respect to it."""

    def __init__(self, value: np.ndarray, name: str = "", regularize: bool = True):
        self.value = check.real_array("Parameter", "value", value)
        if not self.value.flags.writeable:  # an optimizer updates it in place
            self.value = self.value.copy()
        self.grad: np.ndarray | None = None
        self.name = name
        self.regularize = regularize  # False for biases: L1/L2 leave them alone

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(shape={self.value.shape}, dtype={self.value.dtype})"


# --8<-- [end:parameter]
