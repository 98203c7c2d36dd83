"""Diagnosis: what the errors say about bias and variance, and what to try next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from handbook import validation as check
from handbook.language import pad, tr
from handbook.layers import Layer
from handbook.losses import Loss

# The basic recipe's next steps, in English and Chinese (hb.tr picks one).
RECIPE = {
    "bias": [
        (
            "a bigger network (more units or layers)",
            "更大的网络（更多单元或更多层）",
        ),
        ("train longer or with a better optimizer", "训练更久，或者换更好的优化器"),
        ("another architecture", "换一种网络结构"),
    ],
    "variance": [
        ("more training data", "更多训练数据"),
        (
            "regularization (L2, dropout, data augmentation)",
            "正则化（L2、随机失活、数据增强）",
        ),
        ("another architecture", "换一种网络结构"),
    ],
}


# --8<-- [start:bias-variance]
@dataclass
class Diagnosis:
    """Avoidable bias and variance, whether each is high, and what to do next.

    Args:
        avoidable_bias: the training error minus the Bayes error.
        variance: the dev error minus the training error.
        high_bias: whether avoidable_bias is above the tolerance.
        high_variance: whether variance is above the tolerance.
    """

    avoidable_bias: float
    variance: float
    high_bias: bool
    high_variance: bool

    @property
    def verdict(self) -> str:
        """The diagnosis in words, in the page's language."""
        if self.high_bias and self.high_variance:
            return tr("high bias and high variance", "高偏差，高方差")
        if self.high_bias:
            return tr("high bias", "高偏差")
        if self.high_variance:
            return tr("high variance", "高方差")
        return tr("low bias and low variance", "低偏差，低方差")

    @property
    def next_steps(self) -> list[str]:
        """The basic recipe's steps for what is high, in the page's language."""
        for_bias = RECIPE["bias"] if self.high_bias else []
        for_variance = RECIPE["variance"] if self.high_variance else []
        # "another architecture" is on both lists: say it once
        return [tr(*step) for step in dict.fromkeys(for_bias + for_variance)]

    def __str__(self) -> str:
        steps = "".join(f"\n  - {s}" for s in self.next_steps) or tr(
            "\n  - nothing to fix: move on", "\n  - 没有要修的，继续往下做"
        )
        bias, variance = f"{self.avoidable_bias:.1%}", f"{self.variance:.1%}"
        numbers = tr(
            f" (avoidable bias {bias}, variance {variance})\nnext:",
            f"（可避免偏差 {bias}，方差 {variance}）\n下一步：",
        )
        return self.verdict + numbers + steps


def bias_variance(
    train_error: float,
    dev_error: float,
    bayes_error: float = 0.0,
    tolerance: float = 0.02,
) -> Diagnosis:
    """The basic recipe's diagnosis: a gap above ``tolerance`` counts as high.

    Every argument is a fraction in [0, 1]: 0.15 for 15 %. Gaps are compared to
    9 decimals, so that a gap of exactly the tolerance never counts as high.

    Args:
        train_error: the error on the training set.
        dev_error: the error on the dev set.
        bayes_error: the lowest error reachable (human-level error as a proxy).
        tolerance: the largest gap that is not high.

    Returns:
        The Diagnosis; it prints as the verdict and the next steps.

    Raises:
        TypeError: if an argument is not a real number.
        ValueError: if an argument is not in [0, 1].
    """
    from handbook.validation import fraction

    for name, value in (
        ("train_error", train_error),
        ("dev_error", dev_error),
        ("bayes_error", bayes_error),
        ("tolerance", tolerance),
    ):
        fraction("bias_variance", name, value, one=True)
    avoidable_bias, variance = train_error - bayes_error, dev_error - train_error
    # to 9 decimals: 0.07 - 0.05 is 0.020000000000000004, which is not above 0.02
    high = [round(gap - tolerance, 9) > 0 for gap in (avoidable_bias, variance)]
    return Diagnosis(avoidable_bias, variance, *high)


# --8<-- [end:bias-variance]


# --8<-- [start:gradient-norms]
def gradient_norms(model: "Layer") -> list[tuple[str, float]]:
    r"""$\lVert dW \rVert$ of every weight matrix, input side first. Call after a
    backward pass.

    Shrinking norms mean vanishing gradients, growing ones exploding gradients.

    Args:
        model: the model, after a backward pass.

    Returns:
        ``(name, norm)`` of every weight, named ``"<layer index>.<parameter>"``,
        the layers counted as ``layers_of`` lists them (inside Residual blocks
        too).

    Raises:
        TypeError: if model has no parameters method (or is a class).
        RuntimeError: if no weight has a gradient (no backward pass yet).
    """
    from handbook.layers import layers_of
    from handbook.validation import instance

    instance("gradient_norms", "model", model, ["parameters"], "hb.Sequential(...)")
    norms = []
    for i, layer in enumerate(layers_of(model)):  # nested Sequentials too
        for p in layer.parameters():
            if p.regularize and p.grad is not None:
                # in float64: a float16 sum of squares overflows above 65504
                grad = p.grad.astype(np.float64)
                norms.append((f"{i}.{p.name}", float(np.linalg.norm(grad))))
    if not norms:
        raise RuntimeError(
            "gradient_norms: model must have weight gradients (call backward "
            "first), got none"
        )
    return norms


# --8<-- [end:gradient-norms]


# --8<-- [start:monitor]
class Monitor:
    r"""What ``hb.fit(..., monitor=Monitor())`` records at every step.

    For each weight matrix (named ``"<layer index>.<parameter>"`` as
    ``gradient_norms`` names them), its gradient norm $\lVert dW \rVert$ and
    its update-to-weight ratio $\lVert \Delta W \rVert / \lVert W \rVert$,
    the size of the step against the size of the weights; for the whole
    network, the global gradient norm before any clipping, which the clipping
    threshold is chosen from. Arrays have one row per recorded step.

    Args:
        every: record one step in this many, counted from the first.

    Raises:
        TypeError: if every is not a whole number.
        ValueError: if every is below 1.
    """

    def __init__(self, every: int = 1):
        self.every = check.whole("Monitor", "every", every)
        self.steps, self.names = [], []
        self.grad_norms, self.update_ratios, self.global_norms = [], [], []
        self.step, self.before = 0, None

    def before_step(self, model: "Layer") -> None:
        """Record the gradients: hb.fit calls it after backward, before clipping.

        Args:
            model: the model being trained.
        """
        self.step += 1
        if (self.step - 1) % self.every:
            return
        from handbook.optim import global_norm, norm_of

        weights = self.weights(model)
        self.steps.append(self.step)
        self.grad_norms.append([norm_of([p.grad]) for p in weights])
        self.global_norms.append(global_norm(model.parameters()))
        self.before = [(p, p.value.copy()) for p in weights]

    def after_step(self, model: "Layer") -> None:
        """Record each weight's update: hb.fit calls it after the step.

        Args:
            model: the model being trained.
        """
        from handbook.optim import norm_of

        if self.before is None:
            return
        self.update_ratios.append(
            [norm_of([p.value - old]) / norm_of([old]) for p, old in self.before]
        )
        self.before = None

    def weights(self, model: "Layer") -> list:
        """The weight matrices, input side first; their names go to ``names``.

        Args:
            model: the model.

        Returns:
            The weight Parameters.
        """
        from handbook.layers import layers_of

        named = [
            (f"{i}.{p.name}", p)
            for i, layer in enumerate(layers_of(model))
            for p in layer.parameters()
            if p.regularize
        ]
        self.names = [name for name, _ in named]
        return [p for _, p in named]

    def clip_threshold(self, percentile: float = 90.0) -> float:
        """The global gradient norm below which ``percentile`` % of the recorded
        steps fall: a clipping threshold that leaves most steps alone.

        Args:
            percentile: in [0, 100]; the playbook starts at 90.

        Returns:
            The threshold, a float, for ``hb.fit(..., clip_norm=...)``.

        Raises:
            TypeError: if percentile is not a real number.
            ValueError: if it is outside [0, 100].
            RuntimeError: if nothing is recorded yet.
        """
        check.number(
            "Monitor.clip_threshold", "percentile", percentile, low=0, high=100
        )
        return float(np.percentile(self.recorded("global_norms"), percentile))

    def clipped_share(self, threshold: float) -> float:
        """The share of the recorded steps whose global gradient norm is above
        threshold: the steps clipping at it would change.

        Args:
            threshold: a clipping threshold, > 0.

        Returns:
            A fraction in [0, 1]; above 0.5, clipping mostly lowers the rate.

        Raises:
            TypeError: if threshold is not a real number.
            ValueError: if it is not positive.
            RuntimeError: if nothing is recorded yet.
        """
        check.positive("Monitor.clipped_share", "threshold", threshold)
        return float(np.mean(self.recorded("global_norms") > threshold))

    def report(self) -> "Checkup":
        """The run's checks, as the checkup prints them: every weight still
        moving over the last tenth of the recorded steps; every weight's median
        update-to-weight ratio between 1e-4 and 3e-2 (the rule of thumb is about
        1e-3); no global gradient norm above 10 times the median one.

        Returns:
            The Checkup, one Check per check; it prints as a table.

        Raises:
            RuntimeError: if nothing is recorded yet.
        """
        recorded = self.recorded("update_ratios")
        last = recorded[-max(1, len(recorded) // 10) :]
        stopped = int(np.sum(np.all(last == 0, axis=0)))
        ratios = np.median(recorded, axis=0)
        norms = self.recorded("global_norms")
        spike = float(norms.max() / np.median(norms))
        low, high = float(ratios.min()), float(ratios.max())
        return Checkup(
            [
                Check(
                    "updates moving",
                    stopped == 0,
                    tr(
                        f"{stopped} of {len(self.names)} weights unchanged "
                        "in the last tenth of the steps",
                        f"最后十分之一的步数里，{len(self.names)} 个权重中有 "
                        f"{stopped} 个没有变化",
                    ),
                ),
                Check(
                    "update ratios",
                    low >= 1e-4 and high <= 3e-2,
                    tr(
                        f"median per weight from {low:.1e} to {high:.1e}",
                        f"各权重的中位数从 {low:.1e} 到 {high:.1e}",
                    ),
                ),
                Check(
                    "gradient spikes",
                    spike <= 10,
                    tr(
                        f"largest global norm {spike:.3g} times the median",
                        f"最大的全局范数是中位数的 {spike:.3g} 倍",
                    ),
                ),
            ]
        )

    def recorded(self, what: str) -> np.ndarray:
        """One of the records as a float64 array.

        Args:
            what: "grad_norms" or "update_ratios" (one row per recorded step,
                one column per weight, in the order of ``names``), or
                "global_norms" (one per recorded step).

        Returns:
            The array.

        Raises:
            ValueError: if what is none of the three.
            RuntimeError: if nothing is recorded yet (the monitor was not
                passed to hb.fit, or training stopped before the first step).
        """
        check.choice(
            "Monitor.recorded",
            "what",
            what,
            ["grad_norms", "update_ratios", "global_norms"],
        )
        if not self.steps:
            raise RuntimeError(
                "Monitor: nothing recorded yet: pass it to hb.fit as monitor=..."
            )
        return np.array(getattr(self, what), dtype=np.float64)


# --8<-- [end:monitor]


# --- checks for a network that will not train -------------------------------------


MODEL = (("forward", "backward", "parameters"), "hb.Sequential(...)")
LOSS = (("forward", "backward"), "hb.SoftmaxCrossEntropy()")
NO_LABELS = object()  # examples() called without y, as opposed to y=None


def examples(
    who: str,
    X: np.typing.ArrayLike,
    y: np.typing.ArrayLike = NO_LABELS,
    *,
    model: Layer | None = None,
    loss: Loss | None = None,
    finite: bool = True,
    classifier: bool = False,
    **settings: int | float,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""The arguments of a diagnosis, checked before it runs anything.

    X becomes a (batch, features) array of real numbers with at least one row,
    finite unless ``finite`` is False (``checkup`` reports NaN and inf itself):
    statistics of no example, or of NaN, would say nothing. y becomes an array of
    real numbers with one row per row of X, boolean labels as integers 0 and 1
    (the class labels they are). ``model`` and ``loss`` must be
    instances with the methods a diagnosis calls; with ``classifier`` the loss
    must classify ($\log K$ is the initial loss of a classifier only). ``settings``
    are checked by name: ``lr`` > 0, and counts (``steps``, ``tiny_steps``,
    ``size``, ``epochs``) whole numbers >= 1; a model to train (``steps`` or
    ``tiny_steps`` given) must have parameters.

    Args:
        who: the diagnosis, for messages.
        X: the inputs, (batch, features).
        y: the labels, one row per row of X; left out when there are none.
        model: the model, if the diagnosis takes one.
        loss: the loss, if the diagnosis takes one.
        finite: whether X must be finite.
        classifier: whether the loss must classify.
        settings: the diagnosis's other arguments: ``lr`` and counts, by name.

    Returns:
        X, or ``(X, y)`` when y is given.

    Raises:
        TypeError: if model or loss lacks the methods a diagnosis calls (or is a
            class), the loss does not classify when it must, X or y holds no
            real numbers, or a count is not a whole number.
        ValueError: if X is not a (batch, features) array with a row, or not
            finite when it must be, y has not one row per row of X or holds NaN,
            lr is not positive, a count is below 1, or a model to train has no
            parameters.
    """
    if model is not None:
        check.instance(who, "model", model, *MODEL)
    if loss is not None:
        check.instance(who, "loss", loss, *LOSS)
        if classifier and not classifies(loss):
            check.fail(
                who,
                "loss",
                "a loss that classifies, such as hb.SoftmaxCrossEntropy()",
                f"{type(loss).__name__}, which does not",
                TypeError,
                described=True,
            )
    X = check.batch(who, "X", X, finite_only=finite)
    if y is not NO_LABELS:
        y = yes_no(check.labels_of(who, X, y))
    for name, value in settings.items():
        if name == "lr":
            check.positive(who, name, value)
        else:
            check.whole(who, name, value)
    trains = "steps" in settings or "tiny_steps" in settings
    if trains and model is not None and not model.parameters():
        check.fail(
            who,
            "model",
            "a model with parameters to train",
            f"{model!r}, which has none",
            described=True,
        )
    return X if y is NO_LABELS else (X, y)


def classifies(loss: Loss) -> bool:
    """Whether a loss scores its outputs as classes: it has an ``accuracy`` of its
    own (the base ``Loss.accuracy`` returns None, as for mean squared error).

    Args:
        loss: a loss, such as ``hb.SoftmaxCrossEntropy()``.

    Returns:
        True if its class defines an accuracy of its own.
    """
    method = getattr(type(loss), "accuracy", None)
    return callable(method) and method is not Loss.accuracy


def yes_no(y: np.ndarray) -> np.ndarray:
    """Boolean labels as integers 0 and 1, other labels as they are: False and True
    are the classes 0 and 1, and get the same checks.

    Args:
        y: the labels.

    Returns:
        y as int64 if it is boolean, else y itself.
    """
    return y.astype(np.int64) if y.dtype == bool else y


def class_labels(
    who: str, argument: str, y: np.ndarray, K: int | None = None
) -> np.ndarray:
    """y as one class label per row: integers >= 0 (booleans as 0 and 1), and
    below K when K is given.

    Args:
        who: the caller, for messages.
        argument: the name of y, for messages (``"y_dev"``).
        y: the labels, an array.
        K: the number of classes, or None for no upper bound.

    Returns:
        y as a 1-D integer array.

    Raises:
        ValueError: if y is not 1-D integers (or booleans), has a label below 0,
            or one of K or more.
    """
    y = yes_no(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        check.fail(
            who,
            argument,
            "class labels: one integer per row",
            f"dtype {y.dtype}, shape {y.shape}",
            described=True,
        )
    if (y < 0).any():
        check.fail(
            who,
            argument,
            "class labels >= 0",
            f"labels from {y.min()}",
            described=True,
        )
    if K is not None and (y >= K).any():
        check.fail(
            who,
            argument,
            f"class labels below K = {K}",
            f"labels up to {y.max()}",
            described=True,
        )
    return y


# --8<-- [start:activation-stats]
def activation_stats(model: "Layer", X: np.ndarray) -> list[dict]:
    """Statistics of every layer's output, in evaluation mode.

    Mean, standard deviation, share of zeros and share of saturated values:
    within 0.01 of 0 or 1 for a sigmoid, $|a| > 0.99$ for tanh. Activations are
    known by their class name, so a page's own copy of a class counts too.

    Args:
        model: the model; its layers are run one by one, as the model runs
            them (``hb.layers.layer_outputs``: inside a Residual block too).
        X: the inputs, (batch, features).

    Returns:
        One dict per layer: ``layer``, ``mean``, ``std``, ``zeros``, ``saturated``;
        a Residual block adds one for its sum $x + f(x)$ after its layers',
        ``"2-4: Residual"``.

    Raises:
        TypeError: if model lacks a model's methods, or X holds no real numbers.
        ValueError: if X is not a (batch, features) array with a row, or not finite.
    """
    from handbook.layers import layer_outputs

    stats, X = [], examples("activation_stats", X, model=model)
    for name, layer, a in layer_outputs(model, X):
        if type(layer).__name__ == "Sigmoid":
            saturated = np.mean(np.minimum(a, 1 - a) < 0.01)
        elif type(layer).__name__ == "Tanh":
            saturated = np.mean(np.abs(a) > 0.99)
        else:
            saturated = 0.0
        stats.append(
            {
                "layer": name,
                "mean": float(a.mean()),
                "std": float(a.std()),
                "zeros": float(np.mean(a == 0)),
                "saturated": float(saturated),
            }
        )
    return stats


def dead_relu_fraction(model: "Layer", X: np.ndarray) -> list[tuple[str, float]]:
    """For every ReLU layer, the share of its units that output 0 for all of X.

    Args:
        model: the model; ReLU layers inside Residual blocks count too.
        X: the inputs, (batch, features).

    Returns:
        ``(layer, share)`` for every ReLU layer, the share in [0, 1].

    Raises:
        TypeError: if model lacks a model's methods, or X holds no real numbers.
        ValueError: if X is not a (batch, features) array with a row, or not finite.
    """
    from handbook.layers import layer_outputs

    out, X = [], examples("dead_relu_fraction", X, model=model)
    for name, layer, a in layer_outputs(model, X):
        if type(layer).__name__ == "ReLU":
            out.append((name, float(np.mean(np.all(a <= 0, axis=0)))))
    return out


# --8<-- [end:activation-stats]


# --8<-- [start:first-nonfinite]
def first_nonfinite_layer(model: "Layer", X: np.ndarray) -> str | None:
    """The first layer whose output holds a NaN or infinity; None if all are finite.

    A forward pass is cheap: this checks every layer in order rather than bisecting.

    Args:
        model: the model; inside a Residual block, its layers and then its sum
            $x + f(x)$ are checked.
        X: the inputs, (batch, features); they may hold NaN or inf.

    Returns:
        ``"<index>: <layer>"`` (a block's sum as ``"2-4: Residual"``, see
        ``hb.layers.layer_outputs``), ``"the input data"`` if X is not finite,
        or None.

    Raises:
        TypeError: if model lacks a model's methods, or X holds no real numbers.
        ValueError: if X is not a (batch, features) array with a row.
    """
    from handbook.layers import layer_outputs

    X = examples("first_nonfinite_layer", X, model=model, finite=False)
    if not np.all(np.isfinite(X)):
        return "the input data"
    with np.errstate(all="ignore"):
        for name, _, a in layer_outputs(model, X):
            if not np.all(np.isfinite(a)):
                return name
    return None


# --8<-- [end:first-nonfinite]


# --8<-- [start:quick-checks]
def initial_loss(
    model: "Layer", loss: "Loss", X: np.ndarray, y: np.ndarray
) -> tuple[float, float]:
    r"""The loss of the untrained model, and what it should be.

    That is $\log K$ for $K$ balanced classes, $\log 2$ for a single logistic
    output and per output of a binary cross-entropy; a loss that does not classify
    (mean squared error) has no such value: refused.

    Args:
        model: the untrained model.
        loss: a loss that classifies.
        X: the inputs, (batch, features).
        y: the labels, one row per row of X.

    Returns:
        ``(loss, expected)``: the loss, and $\log K$ or $\log 2$.

    Raises:
        TypeError: if model or loss lacks its methods, the loss does not
            classify, or X or y holds no real numbers.
        ValueError: if X is not a finite (batch, features) array with a row, or y
            has not one row per row of X.
    """
    X, y = examples("initial_loss", X, y, model=model, loss=loss, classifier=True)
    output = model.forward(X, training=False)
    K = output.shape[1]
    binary = K == 1 or type(loss).__name__ == "BinaryCrossEntropy"
    return float(loss.forward(output, y)), float(np.log(2 if binary else K))


def overfit_tiny_batch(
    model: "Layer",
    loss: "Loss",
    X: np.ndarray,
    y: np.ndarray,
    steps: int = 300,
    lr: float = 1e-2,
    size: int = 16,
) -> float:
    """Train a copy of the model on `size` examples only; return its final loss.

    A sound pipeline drives that loss near 0.

    Args:
        model: the model; it stays as it is, a copy trains.
        loss: the loss.
        X: the inputs, (batch, features); the first size rows are used.
        y: the labels, one row per row of X.
        steps: the number of Adam steps.
        lr: Adam's learning rate.
        size: the number of examples.

    Returns:
        The loss on those examples after training, a float.

    Raises:
        TypeError: if model or loss lacks its methods, X or y holds no real
            numbers, or steps or size is not a whole number.
        ValueError: if X or y is malformed, lr is not positive, steps or size is
            below 1, or model has no parameters.
    """
    X, y = examples("overfit_tiny_batch", **locals())

    import copy

    from handbook.optim import Adam

    tiny = copy.deepcopy(model)
    X_t, y_t = X[:size], y[:size]
    optimizer = Adam(tiny.parameters(), lr=lr)
    for _ in range(steps):
        loss.forward(tiny.forward(X_t), y_t)
        tiny.backward(loss.backward())
        optimizer.step()
    return float(loss.forward(tiny.forward(X_t, training=False), y_t))


def largest_logit(model: "Layer", X: np.ndarray) -> float:
    """The largest absolute output: logits in the hundreds saturate the softmax.

    Args:
        model: the model.
        X: the inputs, (batch, features).

    Returns:
        The largest |output| over X, a float.

    Raises:
        TypeError: if model lacks a model's methods, or X holds no real numbers.
        ValueError: if X is not a (batch, features) array with a row, or not finite.
    """
    X = examples("largest_logit", X, model=model)
    return float(np.abs(model.forward(X, training=False)).max())


# --8<-- [end:quick-checks]


# --8<-- [start:mixing]
def mixing(model: "Layer", X: np.ndarray, i: int = 0) -> float:
    r"""How much the output of example i depends on the other examples of its batch.

    Each row of the output should be a function of its own row of X alone, so
    $\partial \hat y_i / \partial x_j = 0$ for every other row $j$. One backward
    pass of $\sum_k w_k \hat y_{ik}$ gives that derivative for every row at once
    (weights $w_k$ from 1 to 2, so that outputs summing to a constant, such as
    probabilities, still count). A copy of the model runs it, in training mode:
    the real one keeps its gradients and running statistics. BatchNorm mixes a
    batch by design (its statistics are the batch's); a bug that sums or averages
    over axis 0 mixes it by accident.

    Args:
        model: the model.
        X: a batch of inputs, (batch, features), at least two rows.
        i: the row whose output is differentiated.

    Returns:
        The largest $|\partial \hat y_i / \partial x_j|$ over the other rows,
        relative to the largest over row i's own inputs: 0 for a model that keeps
        examples apart (inf if only other rows move row i's output).

    Raises:
        TypeError: if model lacks a model's methods, X holds no real numbers, or
            i is not a whole number.
        ValueError: if X is not a finite (batch, features) array of two rows or
            more, or i is not one of its rows.
    """
    X = examples("mixing", X, model=model)
    if len(X) < 2:
        check.fail(
            "mixing", "X", "a batch of 2 rows or more", "1 row", described=True
        )
    i = check.whole("mixing", "i", i, low=0)
    if i >= len(X):
        check.fail("mixing", "i", f"a row of X, below {len(X)}", i)

    import copy

    probe = copy.deepcopy(model)
    output = probe.forward(X, training=True)
    dy = np.zeros_like(output)
    dy[i] = np.linspace(1.0, 2.0, output.shape[1])
    dX = np.abs(probe.backward(dy))
    own, others = dX[i].max(), np.delete(dX, i, axis=0).max()
    if own == 0:
        return 0.0 if others == 0 else float("inf")
    return float(others / own)


# --8<-- [end:mixing]


@dataclass
class Check:
    """One check of `checkup`: its name (a key of ``CHECKS``), whether it passed,
    what it found and, in the page's language, what to do if it failed.

    Args:
        name: the check, a key of ``CHECKS`` (in English).
        passed: whether the check passed.
        finding: what it found, in the page's language.
    """

    name: str
    passed: bool
    finding: str

    @property
    def fix(self) -> str:
        """What to do if the check failed, in the page's language."""
        return tr(*CHECKS[self.name][1])

    @property
    def title(self) -> str:
        """The name in the page's language."""
        return tr(self.name, CHECKS[self.name][0])


# Each check's Chinese name, and its fix in English and Chinese.
CHECKS = {
    "finite inputs": (
        "输入全是有限值",
        (
            "clean the data: drop or impute missing values; "
            "the other checks need finite inputs",
            "清洗数据（删掉或填补缺失值），其余检查才能进行",
        ),
    ),
    "input scales": (
        "输入的尺度",
        (
            "standardize the inputs with training-set statistics",
            "用训练集的统计量把输入标准化",
        ),
    ),
    "label balance": (
        "类别是否均衡",
        (
            "check the labels; rebalance or reweight rare classes",
            "检查标签，对稀少的类别重新采样或加权",
        ),
    ),
    "initial loss": (
        "初始损失",
        (
            "shrink the output layer's initial weights "
            "(the logits start too large)",
            "缩小输出层的初始权重（logit 一开始就太大）",
        ),
    ),
    "initial outputs": (
        "初始输出",
        (
            "use a variance-scaling initialization (He, Xavier) "
            "and standardized inputs",
            "用按方差缩放的初始化（He、Xavier），并把输入标准化",
        ),
    ),
    "finite outputs": (
        "各层输出有限",
        (
            "the layer named is the first to produce NaN or inf: look there for "
            "an exp, a log or a division, or for weights that are not finite",
            "这一层最先产生 NaN 或 inf：检查其中的 exp、log 或除法，"
            "以及权重是否有限",
        ),
    ),
    "dead ReLU units": (
        "死亡的 ReLU 单元",
        (
            "smaller learning rate, He initialization, or leaky ReLU",
            "减小学习率，改用 He 初始化或带泄露的 ReLU",
        ),
    ),
    "saturated units": (
        "饱和的单元",
        (
            "inputs or weights too large for tanh or sigmoid: standardize the "
            "inputs and use Xavier initialization",
            "对 tanh 或 sigmoid 来说输入或权重太大："
            "把输入标准化，改用 Xavier 初始化",
        ),
    ),
    "examples kept apart": (
        "样本互不影响",
        (
            "a layer mixes the rows of a batch: look for a sum, mean or softmax "
            "over axis 0 (the examples) that belongs over axis 1 (the features)",
            "某一层把批次中的各行混在了一起：找出沿第 0 轴（样本）求和、求均值"
            "或做 softmax 的地方，它本该沿第 1 轴（特征）",
        ),
    ),
    "updates moving": (
        "权重仍在更新",
        (
            "the weights stopped: after a step too large, units died; lower the "
            "learning rate, clip the gradients or use leaky ReLU",
            "权重不再变化：步长过大之后，单元死亡了。"
            "调小学习率、裁剪梯度或改用带泄露的 ReLU",
        ),
    ),
    "update ratios": (
        "更新与权重之比",
        (
            "below 1e-4: raise the learning rate; above 3e-2: lower it or warm it "
            "up (see recipe/learning-rate)",
            "低于 1e-4 调大学习率，高于 3e-2 调小或加预热",
        ),
    ),
    "gradient spikes": (
        "梯度尖峰",
        (
            "clip the gradients at a high percentile of their norms: "
            "clip_norm=monitor.clip_threshold(90)",
            "在梯度范数的高百分位处裁剪：clip_norm=monitor.clip_threshold(90)",
        ),
    ),
    "gradient norms": (
        "梯度范数",
        (
            "no gradient: look for a detached tensor, a frozen layer or weights "
            "initialized to zero; norms far apart: vanishing or exploding "
            "gradients (initialization, normalization, residual connections)",
            "没有梯度：找找被 detach 的张量、冻结的层或初始化为零的权重；"
            "各层范数相差悬殊：梯度消失或爆炸（初始化、归一化、残差连接）",
        ),
    ),
    "overfit a tiny batch": (
        "能否记住一小批数据",
        (
            "a bug in the model, the loss or the labels: "
            "the network cannot even memorize",
            "模型、损失或标签有错误：网络连记住这几个样本都做不到",
        ),
    ),
    "labels carry signal": (
        "标签是否带有信息",
        (
            "the model learns as much from shuffled labels: the labels do not "
            "match the inputs (a misaligned join, a shuffle of one array only)",
            "打乱标签后模型学到的一样多：标签与输入对不上"
            "（合并时错位，或只打乱了其中一个数组）",
        ),
    ),
}


@dataclass
class Checkup:
    """The result of `checkup`: one row per check; prints as a table.

    Args:
        checks: the checks, in the order they ran.
    """

    checks: list[Check]

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(c.passed for c in self.checks)

    def failed(self) -> list[str]:
        """The checks that failed.

        Returns:
            Their names (keys of ``CHECKS``), in order.
        """
        return [c.name for c in self.checks if not c.passed]

    def __str__(self) -> str:
        ok, fail, fix = tr("ok", "通过"), tr("FAIL", "失败"), tr("fix: ", "修正：")
        rows = [
            f"{pad(ok if c.passed else fail, 4)}  {pad(c.title, 22)} {c.finding}"
            + ("" if c.passed else f"\n{'':28}{fix}{c.fix}")
            for c in self.checks
        ]
        return "\n".join(rows)


# --8<-- [start:checkup]
def input_checks(X: np.ndarray) -> list[Check]:
    """The checks of the inputs alone: are they finite, and are the features on
    scales within a factor of 100 of each other? Both checkups start with them.

    Args:
        X: the inputs, (batch, features), as a float array.

    Returns:
        "finite inputs", then "input scales" when every value is finite.
    """
    finite = bool(np.all(np.isfinite(X)))
    checks = [
        Check(
            "finite inputs",
            finite,
            tr("all finite", "全部有限")
            if finite
            else tr("NaN or inf in X", "X 中有 NaN 或 inf"),
        )
    ]
    if not finite:
        return checks
    spread = np.ptp(X, axis=0)
    ratio = (
        float(spread.max() / spread[spread > 0].min())
        if np.any(spread > 0)
        else 1.0
    )
    checks.append(
        Check(
            "input scales",
            ratio < 100,
            tr(
                f"feature ranges differ by a factor of {ratio:.3g}",
                f"各特征的取值范围相差 {ratio:.3g} 倍",
            ),
        )
    )
    return checks


def label_balance(counts: np.ndarray) -> Check:
    """The "label balance" check: every class present, and the largest no more than
    10 times the smallest, since a rare class is learned slowly or not at all.

    Args:
        counts: the number of examples of each class, one entry per class.

    Returns:
        The Check, its finding the number of classes and the range of counts.
    """
    fewest, most = counts.min(), counts.max()
    return Check(
        "label balance",
        fewest > 0 and most / fewest < 10,
        tr(
            f"{len(counts)} classes, {fewest} to {most} examples each",
            f"{len(counts)} 个类别，每类 {fewest} 到 {most} 个样本",
        ),
    )


def checkup(
    model: "Layer",
    loss: "Loss",
    X: np.ndarray,
    y: np.ndarray,
    tiny_steps: int = 300,
) -> Checkup:
    """A careful practitioner's quick checks of an untrained model and its data.

    Args:
        model: the untrained model; it stays untrained, a copy trains.
        loss: the loss.
        X: the inputs, (batch, features); with NaN or inf, only that is reported.
        y: the labels, one row per row of X.
        tiny_steps: Adam steps on the tiny batch.

    Returns:
        The Checkup, one Check per check; it prints as a table.

    Raises:
        TypeError: if model or loss lacks its methods, X or y holds no real
            numbers, or tiny_steps is not a whole number.
        ValueError: if X or y is malformed, tiny_steps is below 1, model has no
            parameters, or a classifier's labels go below 0.
    """
    X, y = examples("checkup", **locals(), finite=False)
    checks = input_checks(X)
    if not checks[0].passed:
        return Checkup(checks)
    from handbook.training import accuracy

    one = model.forward(X[:1], training=False)
    classifier = accuracy(loss, one, y[:1]) is not None
    if classifier and y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
        if (y < 0).any():
            check.fail(
                "checkup",
                "y",
                "class labels >= 0",
                f"labels from {y.min()}",
                described=True,
            )
        checks.append(label_balance(np.bincount(y)))
        value, expected = initial_loss(model, loss, X, y)
        log = "log 2" if expected == np.log(2) else "log K"
        checks.append(
            Check(
                "initial loss",
                abs(value - expected) < 0.5 * expected,
                tr(
                    f"{value:.3f} against {log} = {expected:.3f}",
                    f"{value:.3f}，应接近 {log} = {expected:.3f}",
                ),
            )
        )
    logit = largest_logit(model, X)
    checks.append(
        Check(
            "initial outputs",
            logit < 50,
            tr(f"largest |output| {logit:.3g}", f"最大的 |输出| 为 {logit:.3g}"),
        )
    )
    dead = dead_relu_fraction(model, X)
    worst = max((share for _, share in dead), default=0.0)
    checks.append(
        Check(
            "dead ReLU units",
            worst < 0.5,
            tr(
                f"up to {worst:.0%} of a layer's units never active",
                f"某一层最多有 {worst:.0%} 的单元从不激活",
            ),
        )
    )
    checks.append(kept_apart(model, X[:16]))
    final = overfit_tiny_batch(model, loss, X, y, steps=tiny_steps)
    n = len(X[:16])
    checks.append(
        Check(
            "overfit a tiny batch",
            final < 0.05,
            tr(
                f"loss on {n} examples after {tiny_steps} steps: {final:.4f}",
                f"{n} 个样本训练 {tiny_steps} 步后，损失为 {final:.4f}",
            ),
        )
    )
    return Checkup(checks)


# --8<-- [end:checkup]


def kept_apart(model: "Layer", X: np.ndarray) -> Check:
    """The checkup's "examples kept apart": ``mixing`` of the first row of X, which
    must be 0; not measured for a model with BatchNorm (which mixes a batch in
    training by design) or for a batch of one row.

    Args:
        model: the model.
        X: the checkup's batch, (batch, features), finite.

    Returns:
        The Check.
    """
    from handbook.layers import BatchNorm, layers_of

    if any(isinstance(layer, BatchNorm) for layer in layers_of(model)):
        return Check(
            "examples kept apart",
            True,
            tr(
                "not measured: BatchNorm mixes its batch by design",
                "未测量：BatchNorm 本来就混合整个批次",
            ),
        )
    if len(X) < 2:
        return Check(
            "examples kept apart",
            True,
            tr("not measured: a batch of one row", "未测量：批次只有一行"),
        )
    share = mixing(model, X)
    if share == 0:
        finding = tr(
            "row 0's output depends on no other row",
            "第 0 行的输出与其他行无关",
        )
    else:
        finding = tr(
            f"other rows move row 0's output: gradient {share:.2g} of its own",
            f"其他行会改变第 0 行的输出：梯度是自身的 {share:.2g} 倍",
        )
    return Check("examples kept apart", share == 0, finding)


# --8<-- [start:label-sanity]
def shuffled_label_check(
    make_model: "Callable[[], Layer]",
    loss: "Loss",
    X: np.ndarray,
    y: np.ndarray,
    X_dev: np.ndarray,
    y_dev: np.ndarray,
    epochs: int = 30,
    rng: int | np.random.Generator | None = 0,
) -> dict:
    """Train one model on the labels and one on shuffled labels, and score both.

    On the dev set, the first must beat chance clearly and the second must not.
    A real model at chance level means broken labels.

    Args:
        make_model: builds a new, untrained model at every call.
        loss: a loss that classifies.
        X: the training inputs, (batch, features).
        y: the training class labels, integers >= 0.
        X_dev: the dev inputs, with X's features.
        y_dev: the dev class labels.
        epochs: the training epochs of each model.
        rng: a seed or Generator for the shuffle and the mini-batches.

    Returns:
        Dev accuracies by name: ``labels``, ``shuffled labels`` and ``chance``.

    Raises:
        TypeError: if make_model is not a function or builds no model, the loss
            does not classify, an array holds no real numbers, or epochs is not
            a whole number.
        ValueError: if the arrays are malformed or not finite, a label is no
            integer >= 0, epochs is below 1, or make_model's two models share
            parameters.
    """
    X, y, X_dev, y_dev, rng, models = check_label_sanity(
        "shuffled_label_check", **locals()
    )

    from handbook.optim import Adam
    from handbook.training import accuracy, fit

    scores = {}
    runs = (("labels", y), ("shuffled labels", rng.permutation(y)))
    for (name, labels), model in zip(runs, models, strict=True):
        adam = Adam(model.parameters(), lr=1e-2)
        fit(model, loss, adam, X, labels, epochs=epochs, batch_size=32, rng=rng)
        scores[name] = accuracy(loss, model.forward(X_dev, training=False), y_dev)
    scores["chance"] = float(np.max(np.bincount(y_dev)) / len(y_dev))
    return scores


# --8<-- [end:label-sanity]


# --8<-- [start:baselines]
def baselines(
    make_model: "Callable[[], Layer]",
    loss: "Loss",
    X: np.ndarray,
    y: np.ndarray,
    X_dev: np.ndarray,
    y_dev: np.ndarray,
    epochs: int = 30,
    rng: int | np.random.Generator | None = 0,
) -> dict:
    """The dev accuracy of the model and of three baselines it must beat.

    The most frequent training class, predicted for every example; the same
    network trained on zeroed inputs, which can learn only the class prior; a
    linear softmax classifier (one Dense layer), trained like the model. A model
    no better than the zeroed inputs does not use its inputs; one no better than
    the linear classifier does not yet earn its hidden layers.

    Args:
        make_model: builds a new, untrained model at every call.
        loss: a loss that classifies, used for all three trained models.
        X: the training inputs, (batch, features).
        y: the training class labels, integers >= 0.
        X_dev: the dev inputs, with X's features.
        y_dev: the dev class labels.
        epochs: the training epochs of each model.
        rng: a seed or Generator for the linear model's weights and the
            mini-batches.

    Returns:
        Dev accuracies by name: ``model``, ``linear``, ``zeroed inputs`` and
        ``majority class``.

    Raises:
        TypeError: if make_model is not a function or builds no model, the loss
            does not classify, an array holds no real numbers, or epochs is not
            a whole number.
        ValueError: if the arrays are malformed or not finite, a label is no
            integer >= 0, epochs is below 1, or make_model's two models share
            parameters.
    """
    X, y, X_dev, y_dev, rng, (model, blind) = check_label_sanity(
        "baselines", **locals()
    )

    from handbook.layers import Dense, Sequential
    from handbook.optim import Adam
    from handbook.training import accuracy, fit

    output = model.forward(X[:1], training=False)
    linear = Sequential(
        Dense(X.shape[1], output.shape[1], dtype=output.dtype, rng=rng)
    )
    scores = {}
    runs = (
        ("model", model, X, X_dev),
        ("linear", linear, X, X_dev),
        ("zeroed inputs", blind, np.zeros_like(X), np.zeros_like(X_dev)),
    )
    for name, network, inputs, dev_inputs in runs:
        adam = Adam(network.parameters(), lr=1e-2)
        fit(network, loss, adam, inputs, y, epochs=epochs, batch_size=32, rng=rng)
        output = network.forward(dev_inputs, training=False)
        scores[name] = accuracy(loss, output, y_dev)
    scores["majority class"] = float(np.mean(y_dev == np.bincount(y).argmax()))
    return scores


# --8<-- [end:baselines]


def check_label_sanity(
    who: str,
    make_model: Callable[[], Layer],
    loss: Loss,
    X: np.typing.ArrayLike,
    y: np.typing.ArrayLike,
    X_dev: np.typing.ArrayLike,
    y_dev: np.typing.ArrayLike,
    epochs: int,
    rng: int | np.random.Generator | None,
    count: int = 2,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.random.Generator, list
]:
    """The arguments of ``shuffled_label_check`` and ``baselines``, checked before
    the first model trains: a function that builds a model (not a model), a loss
    that classifies, finite inputs with class labels (integers >= 0) for both
    sets, dev inputs with the training inputs' features, epochs >= 1 and a seed
    or Generator.

    Args:
        who: the caller, for messages.
        make_model: builds a new model at every call.
        loss: the loss.
        X: the training inputs.
        y: the training labels.
        X_dev: the dev inputs.
        y_dev: the dev labels.
        epochs: the training epochs.
        rng: a seed or Generator.
        count: the number of models to build.

    Returns:
        X, y, X_dev, y_dev as arrays, the Generator and ``count`` models that
        ``make_model`` built (see ``fresh_models``).

    Raises:
        TypeError: if make_model is not a function or builds no model, the loss
            does not classify, an array holds no real numbers, or epochs is not
            a whole number.
        ValueError: if X or X_dev is not a finite (batch, features) array with
            a row, X_dev has other features than X, y or y_dev is not one class
            label (an integer >= 0) per row, epochs is below 1, or make_model's
            two models share parameters.
    """
    check.function(
        who,
        "make_model",
        make_model,
        "one that builds a new model, such as lambda: hb.Sequential(...)",
    )
    X, y = examples(who, X, y, loss=loss, classifier=True, epochs=epochs)
    y = class_labels(who, "y", y)
    X_dev = check.batch(who, "X_dev", X_dev)
    y_dev = class_labels(
        who, "y_dev", check.labels_of(who, X_dev, y_dev, ("X_dev", "y_dev"))
    )
    if X_dev.shape[1] != X.shape[1]:
        check.fail(
            who,
            "X_dev",
            f"of {X.shape[1]} features like X",
            f"{X_dev.shape[1]} features",
            described=True,
        )
    rng = check.generator(who, rng)
    return X, y, X_dev, y_dev, rng, fresh_models(who, make_model, count)


def fresh_models(who: str, make_model: Callable[[], Layer], count: int) -> list:
    """``count`` models from ``make_model()``, each with the methods training
    calls, and no two sharing a parameter: a function that returns one model it
    holds (``lambda: model``), or new models around the same layers, would train
    the second run on from where the first stopped.

    Args:
        who: the caller, for messages.
        make_model: builds a new model at every call.
        count: the number of models.

    Returns:
        The count models.

    Raises:
        TypeError: if make_model() returns no model (an object without forward,
            backward and parameters).
        ValueError: if it returns the same model twice, or models that share a
            parameter.
    """
    models = []
    for _ in range(count):
        model = make_model()
        check.instance(who, "make_model()", model, *MODEL)
        taken = {id(p) for m in models for p in m.parameters()}
        taken |= {id(p.value) for m in models for p in m.parameters()}
        if any(model is m for m in models):
            problem = "the same model twice"
        elif any(
            id(p) in taken or id(p.value) in taken for p in model.parameters()
        ):
            problem = "models that share parameters"
        else:
            problem = None
        if problem:
            check.fail(
                who,
                "make_model",
                "a function that builds a new model at every call, such as "
                "lambda: hb.Sequential(hb.Dense(64, 10), ...)",
                f"one that gives {problem}",
                described=True,
            )
        models.append(model)
    return models


# --8<-- [start:example-losses]
def example_losses(
    model: "Layer", loss: "Loss", X: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """The loss of every example on its own, in evaluation mode.

    The examples a trained model finds hardest are the first to read when
    looking for wrong labels: a mislabeled example keeps a high loss long after
    the others have fallen. For ``hb.SoftmaxCrossEntropy`` itself (label
    smoothing included) in one vectorized pass; for any other loss, a subclass
    too (it may compute another loss), one row at a time.

    Args:
        model: the model.
        loss: the loss, such as hb.SoftmaxCrossEntropy().
        X: the inputs, (batch, features).
        y: the labels, one row per row of X.

    Returns:
        A float64 array of len(X) losses.

    Raises:
        TypeError: if model or loss lacks its methods, or X or y holds no real
            numbers.
        ValueError: if X is not a finite (batch, features) array with a row, or
            y has not one row per row of X or does not fit the outputs.
    """
    X, y = examples("example_losses", X, y, model=model, loss=loss)
    from handbook.losses import SoftmaxCrossEntropy, check_logits, log_softmax

    z = model.forward(X, training=False)
    if type(loss) is SoftmaxCrossEntropy:
        z = check_logits("example_losses", z, y)
        t = loss.targets(y, z.shape[1], z.dtype)
        return -(t * log_softmax(z)).sum(axis=1, dtype=np.float64)
    return np.array(
        [loss.forward(z[i : i + 1], y[i : i + 1]) for i in range(len(z))]
    )


# --8<-- [end:example-losses]


# --8<-- [start:error-analysis]
def confusion_matrix(
    y: np.typing.ArrayLike, y_pred: np.typing.ArrayLike, K: int
) -> np.ndarray:
    r"""Which class is taken for which: $C_{ij}$, in row $i$ and column $j$,
    counts the examples of true class $i$ predicted as class $j$.

    The diagonal holds the correct predictions; row $i$ sums to the examples of
    class $i$, column $j$ to the predictions of class $j$.

    Args:
        y: the true class labels, integers in [0, K), one per example.
        y_pred: the predicted labels, one per example, such as
            ``model.predict(X).argmax(axis=1)``.
        K: the number of classes, >= 2.

    Returns:
        The (K, K) counts, int64: rows are true classes, columns predicted ones.

    Raises:
        TypeError: if K is not a whole number, or y or y_pred holds no integers
            (floats, strings).
        ValueError: if K < 2, y or y_pred is not one label in [0, K) per
            example (y_pred as scores of shape (batch, K) too), they differ in
            length, or there is no example.
    """
    y, y_pred = check_predictions("confusion_matrix", y, y_pred, K)
    counts = np.zeros((K, K), np.int64)
    np.add.at(counts, (y, y_pred), 1)  # one for each example at (true, predicted)
    return counts


def per_class_error(cm: np.ndarray) -> np.ndarray:
    r"""The error rate of each true class: the share of its examples predicted
    as another class, $1 - C_{kk} / \sum_j C_{kj}$ (one minus its recall).

    Args:
        cm: a confusion matrix, as ``confusion_matrix`` returns it.

    Returns:
        The K rates, float64; NaN for a class without examples.

    Raises:
        TypeError: if cm does not hold integers.
        ValueError: if cm is not a square array of counts >= 0.
    """
    cm = check_counts("per_class_error", cm)
    with np.errstate(invalid="ignore"):  # 0 / 0 for a class without examples
        return 1 - np.diag(cm) / cm.sum(axis=1)


def precision_recall(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Each class's precision $C_{kk} / \sum_i C_{ik}$, the share of its
    predictions that are right, and recall $C_{kk} / \sum_j C_{kj}$, the share
    of its examples that are found.

    Args:
        cm: a confusion matrix, as ``confusion_matrix`` returns it.

    Returns:
        (precision, recall), K values each, float64; NaN for a class never
        predicted (precision) or without examples (recall).

    Raises:
        TypeError: if cm does not hold integers.
        ValueError: if cm is not a square array of counts >= 0.
    """
    cm = check_counts("precision_recall", cm)
    right = np.diag(cm)
    with np.errstate(invalid="ignore"):  # 0 / 0 for a class never seen
        return right / cm.sum(axis=0), right / cm.sum(axis=1)


def most_confused(cm: np.ndarray, k: int = 5) -> list[tuple[int, int, int]]:
    """The k largest counts off the diagonal: the mistakes made most often.

    Args:
        cm: a confusion matrix, as ``confusion_matrix`` returns it.
        k: how many pairs to return at most, >= 1.

    Returns:
        ``(true, predicted, count)`` triples, the largest count first; equal
        counts in the order of (true, predicted). Pairs never confused are left
        out, so there may be fewer than k.

    Raises:
        TypeError: if cm does not hold integers, or k is not a whole number.
        ValueError: if cm is not a square array of counts >= 0, or k < 1.
    """
    cm = check_counts("most_confused", cm)
    k = check.whole("most_confused", "k", k)
    pairs = [
        (int(i), int(j), int(cm[i, j])) for i, j in np.argwhere(cm > 0) if i != j
    ]
    pairs.sort(key=lambda pair: -pair[2])  # a stable sort: ties keep their order
    return pairs[:k]


# --8<-- [end:error-analysis]


def check_predictions(
    who: str, y: np.typing.ArrayLike, y_pred: np.typing.ArrayLike, K: int
) -> tuple[np.ndarray, np.ndarray]:
    """True and predicted labels for a confusion matrix: K >= 2 classes, and one
    class label in [0, K) per example in each (checked by ``class_labels``),
    with at least one example. Scores or one-hot rows of shape (batch, K) given
    as y_pred are refused with the argmax that turns them into labels.

    Args:
        who: the caller, for messages.
        y: the true labels.
        y_pred: the predicted labels.
        K: the number of classes.

    Returns:
        y and y_pred as 1-D integer arrays.

    Raises:
        TypeError: if K is not a whole number, or y or y_pred holds other than
            real numbers.
        ValueError: if K < 2, y or y_pred is no label in [0, K) per example (or
            y_pred holds scores), their lengths differ, or there is no example.
    """
    K = check.whole(who, "K", K, low=2)
    y = check.values(who, "y", y)
    y_pred = check.labels_of(who, y, y_pred, ("y", "y_pred"))
    if y_pred.ndim == 2:
        check.fail(
            who,
            "y_pred",
            "one predicted class per example (the argmax of the outputs: "
            "model.predict(X).argmax(axis=1))",
            f"an array of shape {y_pred.shape}",
            described=True,
        )
    if len(y) == 0:
        check.fail(
            who, "y", "labels of at least one example", "none", described=True
        )
    return class_labels(who, "y", y, K), class_labels(who, "y_pred", y_pred, K)


def check_counts(who: str, cm: np.typing.ArrayLike) -> np.ndarray:
    """A confusion matrix: a square (K, K) array of counts, integers >= 0.

    Args:
        who: the caller, for messages.
        cm: the matrix (a list of rows is converted).

    Returns:
        cm as an integer array.

    Raises:
        TypeError: if cm holds other than integers (floats, booleans).
        ValueError: if cm is not square and 2-D with a row, or has a count
            below 0.
    """
    cm = check.real_numbers(who, "cm", cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
        check.fail(
            who,
            "cm",
            "a square (K, K) array of counts, such as confusion_matrix returns",
            f"shape {cm.shape}",
            described=True,
        )
    if cm.dtype.kind not in "iu":
        check.fail(
            who,
            "cm",
            "counts: integers >= 0",
            f"dtype {cm.dtype}",
            TypeError,
            described=True,
        )
    if (cm < 0).any():
        check.fail(
            who, "cm", "counts >= 0", f"a count of {cm.min()}", described=True
        )
    return cm
