"""Gradient checking: compare backpropagation with two-sided finite differences."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from handbook import validation as check
from handbook.layers import Layer, layers_of

THRESHOLDS = (
    (1e-7, "correct: backpropagation agrees with the numerical gradient"),
    (1e-5, "probably correct, but look at the parameters with the largest errors"),
    (
        1e-3,
        "suspicious: there is probably a bug, unless a ReLU or max input lies "
        "within eps of its kink (or two max inputs tie): check at another point",
    ),
    (np.inf, "wrong: backpropagation almost certainly has a bug"),
)
NOT_FINITE = "not finite: a gradient is NaN or inf, so nothing can be compared"


@dataclass
class GradientCheckReport:
    """The overall relative error, one error per parameter and the verdict.

    The errors per parameter locate a bug.
    """

    relative_error: float
    per_parameter: list[tuple[str, float]] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if not np.isfinite(self.relative_error):
            return NOT_FINITE
        return next(
            text for limit, text in THRESHOLDS if self.relative_error < limit
        )

    @property
    def worst(self) -> str:
        return max(self.per_parameter, key=lambda item: item[1])[0]

    def __str__(self) -> str:
        rows = [f"  {name:<12} {error:.2e}" for name, error in self.per_parameter]
        return "\n".join(
            [f"relative error {self.relative_error:.2e}: {self.verdict}", *rows]
        )


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||), 0 when both are 0, NaN when either is not
    finite (a NaN never counts as agreement)."""
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("nan")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denominator) if denominator > 0 else 0.0


# --8<-- [start:gradient-check]
def gradient_check(
    model: Layer,
    loss,
    X: np.ndarray,
    y: np.ndarray,
    eps: float = 1e-7,
    regularizer=None,
    fix_dropout_mask: bool = False,
) -> GradientCheckReport:
    """Compare the backward pass with numerical gradients, for every parameter.

    Each numerical derivative is (J(theta + eps) - J(theta - eps)) / (2 eps).
    """
    refuse_uncheckable(model, X, eps, fix_dropout_mask)
    m = len(X)

    def cost() -> float:
        J = loss.forward(model.forward(X, training=True), y)
        return J + (regularizer.penalty(model, m) if regularizer else 0.0)

    with frozen(model, fix_dropout_mask):
        start = cost()
        if not np.isfinite(start):
            raise FloatingPointError(
                f"gradient_check: the cost is {start} at the starting point; look "
                "for NaN or inf in X, y or the parameters"
            )
        model.backward(loss.backward())
        if regularizer:
            regularizer.add_gradient(model, m)
        analytic = [p.grad.copy() for p in model.parameters()]
        numeric = []
        for p in model.parameters():
            g = np.zeros_like(p.value)
            for i in np.ndindex(p.value.shape):
                saved = p.value[i]
                p.value[i] = saved + eps
                J_plus = cost()
                p.value[i] = saved - eps
                J_minus = cost()
                p.value[i] = saved
                g[i] = (J_plus - J_minus) / (2 * eps)
            numeric.append(g)

    def flat(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate([a.ravel() for a in arrays])

    overall = relative_error(flat(numeric), flat(analytic))
    names = parameter_names(model)
    per_parameter = [
        (n, relative_error(g, a))
        for n, g, a in zip(names, numeric, analytic, strict=True)
    ]
    return GradientCheckReport(overall, per_parameter)


# --8<-- [end:gradient-check]


def parameter_names(model: Layer) -> list[str]:
    """Names of the model's parameters as a report lists them.

    "0.W" is the first layer's W.
    """
    if getattr(model, "layers", None) is None:
        return [p.name for p in model.parameters()]
    return [
        f"{i}.{p.name}"
        for i, layer in enumerate(layers_of(model))
        for p in layer.parameters()
    ]


def refuse_uncheckable(
    model: Layer, X: np.ndarray, eps: float, fix_dropout_mask: bool
) -> None:
    """Refuse what a finite-difference check cannot judge.

    That is float32 parameters or inputs, and dropout that redraws its mask.
    """
    # a smaller eps drowns in rounding, a larger one measures the curvature too
    check.number("gradient_check", "eps", eps, low=1e-10, high=1e-3)
    if not model.parameters():
        check.fail(
            "gradient_check",
            "model",
            "a model with parameters to check",
            f"{model!r}, which has none",
            described=True,
        )
    for p in model.parameters():
        if p.value.dtype != np.float64:
            raise TypeError(
                f"gradient_check needs float64 parameters (got {p.value.dtype}): "
                "differences of eps = 1e-7 drown in float32 rounding; "
                "use model.astype(np.float64)"
            )
    if np.asarray(X).dtype != np.float64:
        raise TypeError(
            f"gradient_check needs float64 inputs, got {np.asarray(X).dtype}"
        )
    dropouts = [
        layer
        for layer in layers_of(model)
        # a dropout layer, the package's or a copy: one with a mask to freeze
        if hasattr(layer, "freeze_mask") and layer.keep_prob < 1
    ]
    if dropouts and not fix_dropout_mask:
        raise ValueError(
            f"gradient_check: {dropouts[0]!r} draws a new mask at every forward "
            "pass, so the cost is not a fixed function of the parameters; "
            "set keep_prob=1 for the check, or pass fix_dropout_mask=True"
        )


class frozen:
    """Keeps a model steady during a gradient check.

    Dropout masks are fixed if asked; batch-norm running statistics are restored
    afterwards.
    """

    def __init__(self, model: Layer, fix_dropout_mask: bool):
        self.layers = layers_of(model)
        self.fix = fix_dropout_mask

    def __enter__(self):
        self.saved = [
            {k: v.copy() for k, v in layer.buffers().items()}
            for layer in self.layers
        ]
        self.dropouts = [
            layer for layer in self.layers if hasattr(layer, "freeze_mask")
        ]
        self.was_frozen = [d.freeze_mask for d in self.dropouts]
        if self.fix:
            for d in self.dropouts:
                d.freeze_mask = True
                # the first forward pass of the check draws the mask it keeps
                d.mask = None
        return self

    def __exit__(self, *exc):
        for layer, buffers in zip(self.layers, self.saved, strict=True):
            for name, value in buffers.items():
                setattr(layer, name, value)
        for d, was in zip(self.dropouts, self.was_frozen, strict=True):
            d.freeze_mask = was
        return False
