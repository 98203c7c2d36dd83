"""Losses: ``forward(output, y) -> J``, the mean over the batch, and
``backward() -> dJ/d(output)`` for the last forward."""

from __future__ import annotations

import numpy as np

from handbook import validation as check


# --8<-- [start:softmax]
def log_softmax(z: np.ndarray) -> np.ndarray:
    r"""$\log \operatorname{softmax}(z)$ along the last axis, without overflow:
    shift by the largest logit first.

    Args:
        z: logits, of any shape; lists are converted.

    Returns:
        An array of z's shape.

    Raises:
        ValueError: if z has no axis, or nothing along its last one.
        TypeError: if z does not hold real numbers.
    """
    z = scores("log_softmax", z)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    r"""$e^{z_k} / \sum_j e^{z_j}$ along the last axis; every row sums to 1.

    Args:
        z: logits, of any shape; lists are converted.

    Returns:
        An array of z's shape.

    Raises:
        ValueError: if z has no axis, or nothing along its last one.
        TypeError: if z does not hold real numbers.
    """
    return np.exp(log_softmax(scores("softmax", z)))


# --8<-- [end:softmax]


def scores(who: str, z: np.ndarray) -> np.ndarray:
    """Logits for a softmax: real numbers (lists are converted), at least one per
    row (the softmax of nothing is undefined).

    Args:
        who: the function, named in messages.
        z: the logits.

    Returns:
        z as an array of real numbers (integers become float64).

    Raises:
        ValueError: if z has no axis, or nothing along its last one.
        TypeError: if z does not hold real numbers.
    """
    z = check.real_array(who, "z", z)
    if z.ndim == 0 or z.shape[-1] == 0:
        check.fail(
            who,
            "z",
            "an array with at least one entry along its last axis",
            f"shape {z.shape}",
            described=True,
        )
    return z


class Loss:
    """What every loss shares: the arrays its backward needs, and an accuracy.

    ``forward`` saves what ``backward`` needs with ``save_for_backward``; a loss
    that classifies overrides ``accuracy``, which ``hb.fit`` records. Labels must
    be finite; a NaN or infinite output gives a NaN or infinite loss, as IEEE
    arithmetic does, and ``hb.fit`` stops at it with the epoch and batch named.
    """

    def forward(self, output: np.ndarray, y: np.ndarray) -> float:
        """The loss J of a batch, averaged over its examples; saves what
        ``backward`` needs.

        Args:
            output: the model's output (logits, for a loss that takes them), of
                shape (batch, n_out).
            y: the labels, of the output's shape, or (batch,) for one output
                column (SoftmaxCrossEntropy: class indices).

        Returns:
            J, a float (summed in float64).

        Raises:
            NotImplementedError: if the subclass does not define forward.
            ValueError: if y does not fit the output (its shape, its range) or is
                not finite, or the batch is empty.
            TypeError: if output or y does not hold real numbers.
        """
        raise NotImplementedError(f"{type(self).__name__}: a loss defines forward")

    def backward(self) -> np.ndarray:
        r"""$\partial J / \partial \text{output}$ for the last forward: what the
        model's backward takes.

        Returns:
            The gradient, of the output's shape and dtype.

        Raises:
            NotImplementedError: if the subclass does not define backward.
            RuntimeError: if no forward came before.
        """
        raise NotImplementedError(f"{type(self).__name__}: a loss defines backward")

    def save_for_backward(self, **arrays: np.ndarray) -> None:
        """Keep ``arrays`` for the next backward (read with ``saved``).

        Args:
            arrays: what backward needs, by name (``diff=diff``).
        """
        self.saved_arrays = arrays

    def saved(self) -> dict[str, np.ndarray]:
        """What the last forward saved.

        Returns:
            The arrays given to ``save_for_backward``, by name.

        Raises:
            RuntimeError: if no forward came before.
        """
        arrays = getattr(self, "saved_arrays", None)
        if arrays is None:
            raise RuntimeError(
                f"{type(self).__name__}: backward called before forward"
            )
        return arrays

    def accuracy(self, output: np.ndarray, y: np.ndarray) -> float | None:
        """The share of correct predictions, for a loss that classifies.

        Args:
            output: the model's output, as forward takes it.
            y: the labels, as forward takes them.

        Returns:
            The share, in [0, 1]; None here: this loss does not classify.
        """
        return None


def targets_like(
    who: str, output: np.ndarray, y: np.ndarray, unit_interval: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``output`` as an array of real numbers, and ``y`` as an array of its shape
    and dtype.

    ``y`` has the output's shape, or one value per row for an output of one column.
    Anything else (a transposed array, a wrong length, an empty batch) is refused
    rather than reshaped, and with ``unit_interval`` so are labels outside [0, 1].

    Args:
        who: the loss, named in messages.
        output: the model's output, with at least one row.
        y: the labels.
        unit_interval: whether labels must lie in [0, 1].

    Returns:
        (output, y), y reshaped to the output's shape and cast to its dtype.

    Raises:
        ValueError: if the batch is empty, y does not fit the output's shape, is
            not finite (also after the cast) or, with unit_interval, not in [0, 1].
        TypeError: if output or y does not hold real numbers.
    """
    output, y = (
        check.real_array(who, "output", output),
        check.real_array(who, "y", y),
    )
    check.finite(who, "y", y)
    if output.ndim == 0 or len(output) == 0:
        check.fail(
            who,
            "output",
            "a batch of at least one row",
            f"shape {output.shape}",
            described=True,
        )
    column = (
        output.ndim == 2 and output.shape[1] == 1 and y.shape == output.shape[:1]
    )
    if y.shape != output.shape and not column:
        check.fail(
            who,
            "y",
            f"of shape {output.shape} like the output",
            f"shape {y.shape}",
            described=True,
        )
    with np.errstate(over="ignore"):  # an overflow is refused just below
        y = y.astype(output.dtype).reshape(output.shape)
    if not np.isfinite(y).all():  # finite labels that overflow the output's dtype
        check.fail(
            who,
            "y",
            f"labels that fit in {output.dtype}, the output's dtype",
            f"values beyond {np.finfo(output.dtype).max:.3g}",
            described=True,
        )
    if unit_interval and not ((y >= 0) & (y <= 1)).all():
        check.fail(
            who,
            "y",
            "labels in [0, 1]",
            f"values from {y.min():g} to {y.max():g}",
            described=True,
        )
    return output, y


def class_probabilities(
    who: str, y: np.ndarray, K: int, dtype: np.typing.DTypeLike
) -> np.ndarray:
    """Labels as rows of K class probabilities: integers in [0, K) become one-hot
    rows; rows given already must be non-negative and sum to 1.

    Args:
        who: the loss, named in messages.
        y: (batch,) class indices, or (batch, K) rows of probabilities.
        K: the number of classes.
        dtype: the float dtype of the rows.

    Returns:
        The rows, of shape (batch, K), in dtype.

    Raises:
        ValueError: if indices are not integers in [0, K), rows are not
            probabilities, or y is a ragged list.
        TypeError: if rows do not hold real numbers, or y is a masked array.
    """
    y = check.as_array(who, "labels", y)
    if y.ndim == 1:
        y = class_labels(who, y, K)
        t = np.zeros((len(y), K), dtype)
        t[np.arange(len(y)), y] = 1
        return t
    t = check.real_array(who, "label rows", y).astype(dtype)
    sums = t.sum(axis=1)
    if not (t >= 0).all() or not np.allclose(sums, 1, atol=1e-6):
        check.fail(
            who,
            "label rows",
            "probabilities (>= 0, each row summing to 1)",
            f"entries from {t.min():g} to {t.max():g} and row sums from "
            f"{sums.min():g} to {sums.max():g}",
            described=True,
        )
    return t


def class_labels(who: str, y: np.ndarray, K: int) -> np.ndarray:
    """Class labels: a 1-D array of integers in [0, K).

    Args:
        who: the loss, named in messages.
        y: the labels.
        K: the number of classes.

    Returns:
        y as an array.

    Raises:
        ValueError: if y is not 1-D, not integers, or not in [0, K).
    """
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":  # signed or unsigned integers
        shown = f"dtype {y.dtype}, shape {y.shape}"
        check.fail(who, "labels", f"integers in [0, {K})", shown, described=True)
    if ((y < 0) | (y >= K)).any():
        shown = f"values from {y.min()} to {y.max()}"
        check.fail(who, "labels", f"integers in [0, {K})", shown, described=True)
    return y


def check_logits(who: str, z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logits of shape (batch, K), batch >= 1, returned as real numbers (integers
    become float64), and labels for each row: (batch,) integers or (batch, K).

    Args:
        who: the loss, named in messages.
        z: the logits.
        y: the labels; only their shape is checked here.

    Returns:
        z as an array of real numbers.

    Raises:
        ValueError: if z is not of shape (batch, K) with batch >= 1, or y's shape
            is neither (batch,) nor z's.
        TypeError: if z does not hold real numbers.
    """
    z = check.real_array(who, "logits", z)
    if z.ndim != 2 or len(z) == 0:
        check.fail(
            who,
            "logits",
            "of shape (batch, K), batch >= 1",
            f"shape {z.shape}",
            described=True,
        )
    if np.ndim(y) not in (1, 2) or np.shape(y) not in ((len(z),), z.shape):
        check.fail(
            who,
            "labels",
            f"of shape ({len(z)},) or {z.shape}",
            f"shape {np.shape(y)}",
            described=True,
        )
    return z


# --8<-- [start:cross-entropy]
class SoftmaxCrossEntropy(Loss):
    r"""$J = -\frac{1}{m} \sum_i \sum_k t_{ik} \log \operatorname{softmax}(z_i)_k$,
    from logits $z$ and labels: integers, or rows $t$ of class probabilities
    (one-hot or soft).

    Args:
        label_smoothing: the share $\epsilon$ taken off the true class, in [0, 1).

    Raises:
        TypeError: if label_smoothing is not a real number.
        ValueError: if label_smoothing is not in [0, 1).
    """

    def __init__(self, label_smoothing: float = 0.0):
        self.label_smoothing = check.fraction(
            "SoftmaxCrossEntropy", "label_smoothing", label_smoothing
        )

    def targets(
        self, y: np.ndarray, K: int, dtype: np.typing.DTypeLike
    ) -> np.ndarray:
        r"""Rows of class probabilities, smoothed: $1 - \epsilon$ on the true class
        and $\epsilon / (K - 1)$ on each of the others.

        Args:
            y: (batch,) class indices, or (batch, K) probability rows.
            K: the number of classes.
            dtype: the float dtype of the rows.

        Returns:
            The targets t, of shape (batch, K).

        Raises:
            ValueError: if y holds no labels of K classes, or eps > 0 and K < 2.
            TypeError: if probability rows do not hold real numbers.
        """
        t = class_probabilities("SoftmaxCrossEntropy", y, K, dtype)
        eps = self.label_smoothing
        if eps:
            if K < 2:
                check.fail(
                    "SoftmaxCrossEntropy",
                    "label_smoothing",
                    "used with at least 2 classes",
                    f"{K} class",
                    described=True,
                )
            t = t * (1 - eps - eps / (K - 1)) + eps / (K - 1)
        return t

    def forward(self, z: np.ndarray, y: np.ndarray) -> float:
        """J for the logits z; saves softmax(z) and the targets t for backward.

        Args:
            z: logits, of shape (batch, K).
            y: (batch,) class indices, or (batch, K) probability rows.

        Returns:
            J, a float.

        Raises:
            ValueError: if y does not fit z (its shape, its values).
            TypeError: if z does not hold real numbers.
        """
        z = check_logits("SoftmaxCrossEntropy", z, y)
        t = self.targets(y, z.shape[1], z.dtype)
        log_p = log_softmax(z)
        self.save_for_backward(p=np.exp(log_p), t=t)
        return float(-(t * log_p).sum(dtype=np.float64) / len(z))

    def backward(self) -> np.ndarray:
        p, t = self.saved()["p"], self.saved()["t"]
        return (p - t) / p.dtype.type(len(p))  # dJ/dz = (y_hat - y) / m

    def accuracy(self, z: np.ndarray, y: np.ndarray) -> float:
        """The share of rows whose largest logit is the true (most likely) class.

        Args:
            z: logits, of shape (batch, K).
            y: (batch,) class indices, or (batch, K) probability rows.

        Returns:
            The share, in [0, 1]; NaN if a logit is not finite.

        Raises:
            ValueError: if y does not fit z (its shape, its values).
            TypeError: if z does not hold real numbers.
        """
        who = "SoftmaxCrossEntropy.accuracy"
        z = check_logits(who, z, y)
        if np.ndim(y) == 1:
            labels = class_labels(who, y, z.shape[1])
        else:
            labels = class_probabilities(who, y, z.shape[1], z.dtype).argmax(axis=1)
        if not np.isfinite(z).all():
            return float("nan")  # a NaN logit predicts no class
        return float(np.count_nonzero(z.argmax(axis=1) == labels) / len(z))


# --8<-- [end:cross-entropy]


# --8<-- [start:weighted-cross-entropy]
class WeightedSoftmaxCrossEntropy(SoftmaxCrossEntropy):
    r"""The softmax cross-entropy with a weight $c_k$ per class, a weighted mean:
    $J = -\sum_i w_i \sum_k t_{ik} \log \hat y_{ik} / \sum_i w_i$, where
    $w_i = c_{y_i}$ is the weight of example $i$'s class.

    Weights above 1 on a rare class make its errors count as if the class were
    more frequent. With every $c_k = 1$ it is ``SoftmaxCrossEntropy``.

    Args:
        class_weights: one weight per class, > 0 (see ``balanced_weights``).
        label_smoothing: as ``SoftmaxCrossEntropy``'s.

    Raises:
        TypeError: if class_weights holds no real numbers.
        ValueError: if class_weights is not a 1-D array of positive, finite
            weights, or label_smoothing is not in [0, 1).
    """

    def __init__(self, class_weights: np.ndarray, label_smoothing: float = 0.0):
        super().__init__(label_smoothing)
        who = "WeightedSoftmaxCrossEntropy"
        c = check.real_array(who, "class_weights", class_weights, ndim=1)
        if len(c) == 0 or not np.all(np.isfinite(c) & (c > 0)):
            check.fail(
                who, "class_weights", "positive, finite weights, one per class", c
            )
        self.class_weights = c.astype(np.float64)

    def forward(self, z: np.ndarray, y: np.ndarray) -> float:
        """J for the logits z; saves softmax(z), the targets and the weights.

        Args:
            z: logits, of shape (batch, K), K the number of class weights.
            y: (batch,) class indices, or (batch, K) probability rows (an
                example's weight is then its rows' mean of the class weights).

        Returns:
            J, a float.

        Raises:
            ValueError: if y does not fit z, or z has not one column per weight.
            TypeError: if z does not hold real numbers.
        """
        who = "WeightedSoftmaxCrossEntropy"
        z = check_logits(who, z, y)
        if z.shape[1] != len(self.class_weights):
            check.fail(
                who,
                "z",
                f"{len(self.class_weights)} columns, one per class weight",
                f"{z.shape[1]}",
                described=True,
            )
        t = self.targets(y, z.shape[1], z.dtype)
        c = self.class_weights.astype(z.dtype)
        w = (class_probabilities(who, y, z.shape[1], z.dtype) @ c)[:, None]
        log_p = log_softmax(z)
        self.save_for_backward(p=np.exp(log_p), t=t, w=w)
        return float(
            -(w * t * log_p).sum(dtype=np.float64) / w.sum(dtype=np.float64)
        )

    def backward(self) -> np.ndarray:
        p, t, w = self.saved()["p"], self.saved()["t"], self.saved()["w"]
        return w * (p - t) / w.sum()  # dJ/dz_i = w_i (y_hat_i - y_i) / sum(w)


def balanced_weights(y: np.ndarray, K: int | None = None) -> np.ndarray:
    r"""Class weights $c_k = m / (K m_k)$ for $m$ labels, $m_k$ of class $k$: each
    class then weighs as much in the loss as it would in a balanced set
    (scikit-learn's ``class_weight="balanced"``).

    Args:
        y: the training labels, integers in [0, K).
        K: the number of classes; None: one more than the largest label.

    Returns:
        The K weights, float64.

    Raises:
        ValueError: if y is not a 1-D array of integer labels, or a class in
            [0, K) has no example (its weight would be infinite).
    """
    who = "balanced_weights"
    y = check.as_array(who, "y", y)
    if y.ndim != 1 or y.dtype.kind not in "iub" or len(y) == 0:
        check.fail(
            who,
            "y",
            "a 1-D array of integer labels",
            f"dtype {y.dtype}, shape {y.shape}",
            described=True,
        )
    K = int(y.max()) + 1 if K is None else check.whole(who, "K", K)
    counts = np.bincount(class_labels(who, y.astype(np.int64), K), minlength=K)
    if (counts == 0).any():
        empty = int(np.flatnonzero(counts == 0)[0])
        check.fail(
            who,
            "y",
            f"an example of every class below K = {K}",
            f"none of class {empty}",
            described=True,
        )
    return len(y) / (K * counts.astype(np.float64))


# --8<-- [end:weighted-cross-entropy]


# --8<-- [start:binary-cross-entropy]
class BinaryCrossEntropy(Loss):
    r"""Logistic loss from logits, exact and overflow-free:
    $J = \operatorname{mean}(\max(z, 0) - z y + \log(1 + e^{-|z|}))$, for labels
    $y$ in [0, 1]."""

    def forward(self, z: np.ndarray, y: np.ndarray) -> float:
        """The mean over every entry of z; saves z and y for backward.

        Args:
            z: logits, of shape (batch, n_out).
            y: labels in [0, 1], of z's shape, or (batch,) for one column.

        Returns:
            J, a float.

        Raises:
            ValueError: if y does not have z's shape, or is not in [0, 1].
            TypeError: if z or y does not hold real numbers.
        """
        z, y = targets_like("BinaryCrossEntropy", z, y, unit_interval=True)
        self.save_for_backward(z=z, y=y)
        return float(
            np.mean(
                np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))),
                dtype=np.float64,
            )
        )

    def backward(self) -> np.ndarray:
        z, y = self.saved()["z"], self.saved()["y"]
        e = np.exp(-np.abs(z))
        sigma = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
        return (sigma - y) / z.dtype.type(z.size)

    def accuracy(self, z: np.ndarray, y: np.ndarray) -> float:
        """The share of outputs on the side of 0 of their label ($z > 0$ means 1).

        Args:
            z: logits, of shape (batch, n_out).
            y: labels in [0, 1], of z's shape, or (batch,) for one column.

        Returns:
            The share, in [0, 1].

        Raises:
            ValueError: if y does not have z's shape, or is not in [0, 1].
            TypeError: if z or y does not hold real numbers.
        """
        z, y = targets_like("BinaryCrossEntropy", z, y, unit_interval=True)
        return float(np.mean((z > 0) == (y > 0.5)))


# --8<-- [end:binary-cross-entropy]


# --8<-- [start:mse]
class MeanSquaredError(Loss):
    r"""$J = \frac{1}{2m} \sum_i \lVert \hat y_i - y_i \rVert^2$: half the squared
    error, summed over the outputs, averaged over the examples."""

    def forward(self, output: np.ndarray, y: np.ndarray) -> float:
        output, y = targets_like("MeanSquaredError", output, y)
        diff = output - y
        self.save_for_backward(diff=diff)
        return float(0.5 * np.sum(diff * diff, dtype=np.float64) / len(output))

    def backward(self) -> np.ndarray:
        diff = self.saved()["diff"]
        return diff / diff.dtype.type(len(diff))


# --8<-- [end:mse]


def distributions(
    p: np.ndarray, q: np.ndarray, enforce: bool
) -> tuple[np.ndarray, np.ndarray]:
    """p and q for ``kl_divergence``: real arrays of one shape, in their common
    float dtype; with ``enforce``, non-negative and summing to 1 along the last
    axis.

    Args:
        p: the first distribution.
        q: the second.
        enforce: whether to refuse arrays that are not distributions.

    Returns:
        (p, q) as arrays of their common dtype.

    Raises:
        ValueError: if their shapes differ or have no axis, or, with enforce,
            either is not a distribution.
        TypeError: if either does not hold real numbers, or enforce is not a bool.
    """
    enforce = check.flag("kl_divergence", "check", enforce)
    p = check.real_array("kl_divergence", "p", p)
    q = check.real_array("kl_divergence", "q", q)
    if p.shape != q.shape or p.ndim == 0:
        check.fail(
            "kl_divergence",
            "p and q",
            "arrays of one shape, with at least one axis",
            f"shapes {p.shape} and {q.shape}",
            described=True,
        )
    dtype = np.result_type(p, q)
    p, q = p.astype(dtype, copy=False), q.astype(dtype, copy=False)
    for name, d in (("p", p), ("q", q)) if enforce else ():
        sums = d.sum(axis=-1)
        if not (d >= 0).all() or not np.allclose(sums, 1, atol=1e-6):
            check.fail(
                "kl_divergence",
                name,
                "a probability distribution (entries >= 0, summing to 1 along "
                "the last axis)",
                f"entries from {d.min():g} to {d.max():g}, sums from "
                f"{sums.min():g} to {sums.max():g}",
                described=True,
            )
    return p, q


# --8<-- [start:kl]
def kl_divergence(p: np.ndarray, q: np.ndarray, check: bool = True) -> np.ndarray:
    r"""$\operatorname{KL}(p \parallel q) = \sum_k p_k \log(p_k / q_k)$ along the
    last axis, with $0 \log 0 = 0$.

    Never negative when p and q are distributions, which ``check`` enforces. Float
    input keeps its dtype; integers give float64.

    Args:
        p: distributions along the last axis.
        q: distributions of p's shape.
        check: whether to refuse p or q if they are not distributions.

    Returns:
        KL for each distribution: p's shape without its last axis; inf where q is
        0 and p is not.

    Raises:
        ValueError: if the shapes differ, or with check, p or q is no distribution.
        TypeError: if p or q does not hold real numbers, or check is not a bool.
    """
    p, q = distributions(p, q, check)
    with np.errstate(divide="ignore", invalid="ignore"):  # where drops 0 log 0
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / q), 0)
    return terms.sum(axis=-1)


# --8<-- [end:kl]
