"""Gradient checking: compare backpropagation with two-sided finite differences."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from handbook import validation as check
from handbook.language import tr
from handbook.layers import Layer, layers_of

THRESHOLDS = (
    (
        1e-7,
        "correct: backpropagation agrees with the numerical gradient",
        "正确：反向传播与数值梯度一致",
    ),
    (
        1e-5,
        "probably correct, but look at the parameters with the largest errors",
        "大概正确，但要看一看误差最大的那几个参数",
    ),
    (
        1e-3,
        "suspicious: there is probably a bug, unless a ReLU or max input lies "
        "within eps of its kink (or two max inputs tie): check at another point",
        "可疑：多半有错误，除非某个 ReLU 或 max 的输入离折点不到 eps"
        "（或 max 的两个输入相等），换一个点再检验",
    ),
    (
        np.inf,
        "wrong: backpropagation almost certainly has a bug",
        "错误：反向传播几乎肯定有错误",
    ),
)
NOT_FINITE = (
    "not finite: a gradient is NaN or inf, so nothing can be compared",
    "非有限值：某个梯度是 NaN 或 inf，无法比较",
)
# what the check calls on each argument, and an example for the message
MODEL = (("forward", "backward", "parameters"), "hb.Sequential(...)")
LOSS = (("forward", "backward"), "hb.SoftmaxCrossEntropy()")
REGULARIZER = (("penalty", "add_gradient"), "hb.L2(1e-4)")


@dataclass
class GradientCheckReport:
    """The overall relative error, one error per parameter and the verdict.

    The errors per parameter locate a bug.
    """

    relative_error: float
    per_parameter: list[tuple[str, float]] = field(default_factory=list)

    def __post_init__(self):
        self.relative_error = error_value("relative_error", self.relative_error)
        pairs = self.per_parameter
        if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
            check.fail(
                "GradientCheckReport",
                "per_parameter",
                "a list of (name, error) pairs",
                pairs,
                TypeError,
            )
        self.per_parameter = [error_pair(pair) for pair in pairs]

    @property
    def verdict(self) -> str:
        """What the error says, in the language of the page (``hb.tr``)."""
        if not np.isfinite(self.relative_error):
            return tr(*NOT_FINITE)
        return next(
            tr(en, zh)
            for limit, en, zh in THRESHOLDS
            if self.relative_error < limit
        )

    @property
    def worst(self) -> str:
        """The parameter with the largest error; a NaN error counts as the
        largest (that parameter's gradient is broken)."""
        if not self.per_parameter:
            check.fail(
                "GradientCheckReport",
                "per_parameter",
                "a non-empty list of (name, error) pairs to find the worst",
                [],
            )
        return max(self.per_parameter, key=lambda p: (np.isnan(p[1]), p[1]))[0]

    def __str__(self) -> str:
        rows = [f"  {name:<12} {error:.2e}" for name, error in self.per_parameter]
        return "\n".join(
            [
                tr("relative error", "相对误差")
                + f" {self.relative_error:.2e}: {self.verdict}",
                *rows,
            ]
        )


def error_value(argument: str, value) -> float:
    """A relative error for a report: a real number >= 0, or NaN (the error of a
    gradient that is not finite)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        check.fail(
            "GradientCheckReport", argument, "a real number", value, TypeError
        )
    if value < 0:
        check.fail("GradientCheckReport", argument, ">= 0 (or NaN)", value)
    return float(value)


def error_pair(pair) -> tuple[str, float]:
    """One row of a report's ``per_parameter``: (parameter name, relative error)."""
    if not (
        isinstance(pair, (tuple, list))
        and len(pair) == 2
        and isinstance(pair[0], str)
    ):
        check.fail(
            "GradientCheckReport",
            "per_parameter",
            "a list of (name, error) pairs",
            f"the item {pair!r}",
            TypeError,
            described=True,
        )
    return pair[0], error_value(
        f"the error of {pair[0]!r} in per_parameter", pair[1]
    )


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||), 0 when both are 0, NaN when either is not
    finite (a NaN never counts as agreement).

    ``a`` and ``b`` are arrays of real numbers (lists are converted) of one shape:
    broadcasting one against the other would compare different entries.
    """
    a = check.real_array("relative_error", "a", a)
    b = check.real_array("relative_error", "b", b)
    if a.shape != b.shape:
        check.fail(
            "relative_error",
            "a and b",
            "arrays of the same shape",
            f"shapes {a.shape} and {b.shape}",
            described=True,
        )
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
    X, y = refuse_uncheckable(**locals())
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

    "0.W" is the first layer's W; the layers of an inner Sequential are counted
    one by one, as ``layers_of`` lists them.
    """
    check.instance("parameter_names", "model", model, ["parameters"], MODEL[1])
    if getattr(model, "layers", None) is None:
        return [p.name for p in model.parameters()]
    return [
        f"{i}.{p.name}"
        for i, layer in enumerate(layers_of(model))
        for p in layer.parameters()
    ]


def refuse_uncheckable(
    model: Layer,
    loss,
    X,
    y,
    eps: float,
    regularizer,
    fix_dropout_mask: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Refuse what ``gradient_check`` cannot take or cannot judge.

    It cannot take a class where an instance is due, an object without the
    methods the check calls, or inputs that are not a (batch, features) array of
    finite real numbers with one label per row. It cannot judge float32
    parameters or inputs, or dropout that redraws its mask. Returns X and y as
    arrays (lists are converted).
    """
    who = "gradient_check"
    check.instance(who, "model", model, *MODEL)
    check.instance(who, "loss", loss, *LOSS)
    if regularizer is not None:
        check.instance(who, "regularizer", regularizer, *REGULARIZER)
    check.flag(who, "fix_dropout_mask", fix_dropout_mask)
    # a smaller eps drowns in rounding, a larger one measures the curvature too
    check.number(who, "eps", eps, low=1e-10, high=1e-3)
    if not model.parameters():
        check.fail(
            who,
            "model",
            "a model with parameters to check",
            f"{model!r}, which has none",
            described=True,
        )
    for p in model.parameters():
        if p.value.dtype != np.float64:
            check.fail(
                who,
                "model",
                "a model of float64 parameters (differences of eps = 1e-7 drown "
                "in float32 rounding; use model.astype(np.float64))",
                f"{p.value.dtype} parameters",
                TypeError,
                described=True,
            )
    X, y = checkable_data(X, y)
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
    return X, y


def checkable_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    """X as a (batch, features) float64 array of finite numbers with at least one
    row (lists and integers are converted; float32 is refused, too coarse for
    eps), and y as an array of finite real numbers with one row per row of X."""
    who = "gradient_check"
    X = check.batch(who, "X", X, finite_only=False)
    if X.dtype != np.float64:
        check.fail(
            who,
            "X",
            "float64 inputs like the parameters (eps = 1e-7 drowns in "
            f"{X.dtype} rounding; use X.astype(np.float64))",
            f"dtype {X.dtype}",
            TypeError,
            described=True,
        )
    check.finite(who, "X", X)
    return X, check.labels_of(who, X, y)


class frozen:
    """Keeps a model steady during a gradient check.

    Dropout masks are fixed if asked; batch-norm running statistics are restored
    afterwards. Every layer ``layers_of`` lists counts, inner Sequentials' too.
    """

    def __init__(self, model: Layer, fix_dropout_mask: bool):
        check.instance("frozen", "model", model, ["parameters"], MODEL[1])
        self.layers = layers_of(model)
        self.fix = check.flag("frozen", "fix_dropout_mask", fix_dropout_mask)

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
