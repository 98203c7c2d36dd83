"""Gradient checking: compare backpropagation with two-sided finite differences."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from handbook import validation as check
from handbook.language import tr
from handbook.layers import Layer, layers_of

if TYPE_CHECKING:
    from handbook.losses import Loss
    from handbook.regularization import L2

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

    Args:
        relative_error: the error over all parameters at once, >= 0 or NaN.
        per_parameter: (name, error) pairs, one per parameter, in the model's order.

    Raises:
        TypeError: if an error is not a real number, or per_parameter is not a
            list of (name, error) pairs.
        ValueError: if an error is negative.
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
        largest (that parameter's gradient is broken).

        Raises:
            ValueError: if per_parameter is empty.
        """
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


def error_value(argument: str, value: Any) -> float:
    """A relative error for a report: a real number >= 0, or NaN (the error of a
    gradient that is not finite).

    Args:
        argument: what the value is, for messages.
        value: the error.

    Returns:
        The error, as a float.

    Raises:
        TypeError: if value is not a real number.
        ValueError: if value is negative.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        check.fail(
            "GradientCheckReport", argument, "a real number", value, TypeError
        )
    if value < 0:
        check.fail("GradientCheckReport", argument, ">= 0 (or NaN)", value)
    return float(value)


def error_pair(pair: Any) -> tuple[str, float]:
    """One row of a report's ``per_parameter``: (parameter name, relative error).

    Args:
        pair: the row as given.

    Returns:
        (name, error), the error as a float.

    Raises:
        TypeError: if pair is not a (str, real number) pair.
        ValueError: if the error is negative.
    """
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
    r"""$\lVert a - b \rVert / (\lVert a \rVert + \lVert b \rVert)$, 0 when both
    are 0, NaN when either is not finite (a NaN never counts as agreement).

    The norm is the 2-norm of all entries. Broadcasting one array against the
    other would compare different entries, so their shapes must be equal.

    Args:
        a: an array of real numbers (a list is converted).
        b: an array of a's shape.

    Returns:
        The relative error, a float in [0, 1], or NaN.

    Raises:
        ValueError: if the shapes differ.
        TypeError: if a or b does not hold real numbers.
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
    loss: "Loss",
    X: np.ndarray,
    y: np.ndarray,
    eps: float = 1e-7,
    regularizer: "L2 | None" = None,
    fix_dropout_mask: bool = False,
) -> GradientCheckReport:
    r"""Compare the backward pass with numerical gradients, for every parameter.

    Each numerical derivative is
    $(J(\theta + \varepsilon) - J(\theta - \varepsilon)) / (2 \varepsilon)$.

    Args:
        model: the model, with float64 parameters.
        loss: the loss J is computed with.
        X: inputs, a float64 (batch, features) array.
        y: labels, one row per row of X.
        eps: the step of the differences, in [1e-10, 1e-3].
        regularizer: a penalty added to J (hb.L2, hb.L1), or None.
        fix_dropout_mask: whether dropout keeps one mask through the check.

    Returns:
        The report: the overall error, the error of each parameter, a verdict.

    Raises:
        TypeError: if an argument is of a wrong kind, or model or X not float64.
        ValueError: if eps, X or y is unfit, the model has no parameters, or a
            dropout layer would draw a new mask at every forward.
        FloatingPointError: if the cost is not finite at the start.
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

    Args:
        model: a layer or a Sequential.

    Returns:
        One name per parameter, in the order of ``model.parameters()``.

    Raises:
        TypeError: if model is a class, or has no parameters method.
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
    loss: Loss,
    X: np.ndarray,
    y: np.ndarray,
    eps: float,
    regularizer: L2 | None,
    fix_dropout_mask: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Refuse what ``gradient_check`` cannot take or cannot judge.

    It cannot take a class where an instance is due, an object without the
    methods the check calls, or inputs that are not a (batch, features) array of
    finite real numbers with one label per row. It cannot judge float32
    parameters or inputs, or dropout that redraws its mask.

    Args:
        model: the model, an instance with forward, backward and parameters.
        loss: the loss, an instance with forward and backward.
        X: the inputs.
        y: the labels.
        eps: the step of the differences.
        regularizer: a penalty with penalty and add_gradient, or None.
        fix_dropout_mask: whether dropout masks are to be kept.

    Returns:
        X and y as arrays (lists are converted).

    Raises:
        TypeError: if an argument is of a wrong kind, or model or X not float64.
        ValueError: if eps is not in [1e-10, 1e-3], the model has no parameters,
            X or y is unfit, or a dropout layer would redraw its mask.
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


def checkable_data(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X as a (batch, features) float64 array of finite numbers with at least one
    row (lists and integers are converted; float32 is refused, too coarse for
    eps), and y as an array of finite real numbers with one row per row of X.

    Args:
        X: the inputs.
        y: the labels.

    Returns:
        (X, y) as arrays.

    Raises:
        TypeError: if X or y does not hold real numbers, or X is not float64.
        ValueError: if X is not (batch, features) with a row, X or y is not
            finite, or their lengths differ.
    """
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

    Args:
        model: the model under check.
        fix_dropout_mask: whether each dropout layer keeps the mask it draws first.

    Raises:
        TypeError: if model has no parameters method, or fix_dropout_mask is not
            True or False.
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
