"""Diagnosis: what the errors say about bias and variance, and what to try next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RECIPE = {
    "bias": ["a bigger network (more units or layers)", "train longer or with a better optimizer",
             "another architecture"],
    "variance": ["more training data", "regularization (L2, dropout, data augmentation)",
                 "another architecture"],
}


# --8<-- [start:bias-variance]
@dataclass
class Diagnosis:
    """Avoidable bias (training error - Bayes error), variance (dev error - training error) and what to do."""

    avoidable_bias: float
    variance: float
    high_bias: bool
    high_variance: bool

    @property
    def verdict(self) -> str:
        if self.high_bias and self.high_variance:
            return "high bias and high variance"
        if self.high_bias:
            return "high bias"
        if self.high_variance:
            return "high variance"
        return "low bias and low variance"

    @property
    def next_steps(self) -> list[str]:
        return (RECIPE["bias"] if self.high_bias else []) + (RECIPE["variance"] if self.high_variance else [])

    def __str__(self) -> str:
        steps = "".join(f"\n  - {s}" for s in self.next_steps) or "\n  - nothing to fix: move on"
        return (f"{self.verdict} (avoidable bias {self.avoidable_bias:.1%}, variance {self.variance:.1%})"
                f"\nnext:{steps}")


def bias_variance(train_error: float, dev_error: float, bayes_error: float = 0.0,
                  tolerance: float = 0.02) -> Diagnosis:
    """The basic recipe's diagnosis: a gap larger than ``tolerance`` counts as high."""
    for name, value in (("train_error", train_error), ("dev_error", dev_error), ("bayes_error", bayes_error)):
        if not 0 <= value <= 1:
            raise ValueError(f"bias_variance: {name} must be a fraction in [0, 1], got {value!r}")
    avoidable_bias, variance = train_error - bayes_error, dev_error - train_error
    return Diagnosis(avoidable_bias, variance, avoidable_bias > tolerance, variance > tolerance)
# --8<-- [end:bias-variance]


# --8<-- [start:gradient-norms]
def gradient_norms(model) -> list[tuple[str, float]]:
    """||dW|| of every weight matrix, input side first: shrinking norms mean vanishing gradients,
    growing ones exploding gradients. Call after a backward pass."""
    norms = []
    for i, layer in enumerate(getattr(model, "layers", [model])):
        for p in layer.parameters():
            if p.regularize and p.grad is not None:
                norms.append((f"{i}.{p.name}", float(np.linalg.norm(p.grad))))
    return norms
# --8<-- [end:gradient-norms]
