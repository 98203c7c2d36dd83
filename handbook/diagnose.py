"""Diagnosis: what the errors say about bias and variance, and what to try next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handbook import validation as check
from handbook.layers import layers_of

RECIPE = {
    "bias": [
        "a bigger network (more units or layers)",
        "train longer or with a better optimizer",
        "another architecture",
    ],
    "variance": [
        "more training data",
        "regularization (L2, dropout, data augmentation)",
        "another architecture",
    ],
}


# --8<-- [start:bias-variance]
@dataclass
class Diagnosis:
    """Avoidable bias and variance, whether each is high, and what to do next.

    Avoidable bias is the training error minus the Bayes error; variance is the dev
    error minus the training error.
    """

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
        for_bias = RECIPE["bias"] if self.high_bias else []
        for_variance = RECIPE["variance"] if self.high_variance else []
        # "another architecture" is on both lists: say it once
        return list(dict.fromkeys(for_bias + for_variance))

    def __str__(self) -> str:
        steps = (
            "".join(f"\n  - {s}" for s in self.next_steps)
            or "\n  - nothing to fix: move on"
        )
        return (
            f"{self.verdict} (avoidable bias {self.avoidable_bias:.1%}, "
            f"variance {self.variance:.1%})"
            f"\nnext:{steps}"
        )


def bias_variance(
    train_error: float,
    dev_error: float,
    bayes_error: float = 0.0,
    tolerance: float = 0.02,
) -> Diagnosis:
    """The basic recipe's diagnosis: a gap above ``tolerance`` counts as high."""
    for name, value in (
        ("train_error", train_error),
        ("dev_error", dev_error),
        ("bayes_error", bayes_error),
        ("tolerance", tolerance),
    ):
        if not 0 <= value <= 1:
            raise ValueError(
                f"bias_variance: {name} must be a fraction in [0, 1], got {value!r}"
            )
    avoidable_bias, variance = train_error - bayes_error, dev_error - train_error
    return Diagnosis(
        avoidable_bias, variance, avoidable_bias > tolerance, variance > tolerance
    )


# --8<-- [end:bias-variance]


# --8<-- [start:gradient-norms]
def gradient_norms(model) -> list[tuple[str, float]]:
    """||dW|| of every weight matrix, input side first. Call after a backward pass.

    Shrinking norms mean vanishing gradients, growing ones exploding gradients.
    """
    norms = []
    for i, layer in enumerate(getattr(model, "layers", [model])):
        for p in layer.parameters():
            if p.regularize and p.grad is not None:
                norms.append((f"{i}.{p.name}", float(np.linalg.norm(p.grad))))
    return norms


# --8<-- [end:gradient-norms]


# --- checks for a network that will not train -------------------------------------


def examples(who: str, X: np.ndarray) -> np.ndarray:
    """X as finite real numbers with at least one row: statistics of no example
    (or of NaN) would say nothing."""
    X = check.real_array(who, "X", X)
    if X.ndim != 2 or len(X) == 0:
        check.fail(
            who,
            "X",
            "a (batch, features) array with at least one row",
            f"shape {X.shape}",
            described=True,
        )
    return check.finite(who, "X", X)


# --8<-- [start:activation-stats]
def activation_stats(model, X: np.ndarray) -> list[dict]:
    """Statistics of every layer's output, in evaluation mode.

    Mean, standard deviation, share of zeros and share of saturated values:
    within 0.01 of 0 or 1 for a sigmoid, |a| > 0.99 for tanh. Activations are
    known by their class name, so a page's own copy of a class counts too.
    """
    stats, a = [], examples("activation_stats", X)
    for i, layer in enumerate(layers_of(model)):
        a = layer.forward(a, training=False)
        if type(layer).__name__ == "Sigmoid":
            saturated = np.mean(np.minimum(a, 1 - a) < 0.01)
        elif type(layer).__name__ == "Tanh":
            saturated = np.mean(np.abs(a) > 0.99)
        else:
            saturated = 0.0
        stats.append(
            {
                "layer": f"{i}: {layer!r}",
                "mean": float(a.mean()),
                "std": float(a.std()),
                "zeros": float(np.mean(a == 0)),
                "saturated": float(saturated),
            }
        )
    return stats


def dead_relu_fraction(model, X: np.ndarray) -> list[tuple[str, float]]:
    """For every ReLU layer, the share of its units that output 0 for all of X."""
    out, a = [], examples("dead_relu_fraction", X)
    for i, layer in enumerate(layers_of(model)):
        a = layer.forward(a, training=False)
        if type(layer).__name__ == "ReLU":
            out.append((f"{i}: {layer!r}", float(np.mean(np.all(a <= 0, axis=0)))))
    return out


# --8<-- [end:activation-stats]


# --8<-- [start:first-nonfinite]
def first_nonfinite_layer(model, X: np.ndarray) -> str | None:
    """The first layer whose output holds a NaN or infinity; None if all are finite.

    A forward pass is cheap: this checks every layer in order rather than bisecting.
    """
    if not np.all(np.isfinite(X)):
        return "the input data"
    a = X
    with np.errstate(all="ignore"):
        for i, layer in enumerate(layers_of(model)):
            a = layer.forward(a, training=False)
            if not np.all(np.isfinite(a)):
                return f"{i}: {layer!r}"
    return None


# --8<-- [end:first-nonfinite]


# --8<-- [start:quick-checks]
def initial_loss(model, loss, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The loss of the untrained model, and what it should be.

    That is log K for K balanced classes, log 2 for a single logistic output.
    """
    output = model.forward(X, training=False)
    K = output.shape[1]
    return float(loss.forward(output, y)), float(np.log(2 if K == 1 else K))


def overfit_tiny_batch(
    model,
    loss,
    X: np.ndarray,
    y: np.ndarray,
    steps: int = 300,
    lr: float = 1e-2,
    size: int = 16,
) -> float:
    """Train a copy of the model on `size` examples only; return its final loss.

    A sound pipeline drives that loss near 0.
    """
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


def largest_logit(model, X: np.ndarray) -> float:
    """The largest absolute output: logits in the hundreds saturate the softmax."""
    return float(np.abs(model.forward(X, training=False)).max())


# --8<-- [end:quick-checks]


@dataclass
class Check:
    name: str
    passed: bool
    finding: str
    fix: str


@dataclass
class Checkup:
    """The result of `checkup`: one row per check; prints as a table."""

    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]

    def __str__(self) -> str:
        rows = [
            f"{'ok' if c.passed else 'FAIL':4}  {c.name:<22} {c.finding}"
            + ("" if c.passed else f"\n{'':28}fix: {c.fix}")
            for c in self.checks
        ]
        return "\n".join(rows)


# --8<-- [start:checkup]
def checkup(
    model, loss, X: np.ndarray, y: np.ndarray, tiny_steps: int = 300
) -> Checkup:
    """A careful practitioner's quick checks of an untrained model and its data."""
    finite = bool(np.all(np.isfinite(X)))
    checks = [
        Check(
            "finite inputs",
            finite,
            "all finite" if finite else "NaN or inf in X",
            "clean the data: drop or impute missing values; "
            "the other checks need finite inputs",
        )
    ]
    if not finite:
        return Checkup(checks)
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
            f"feature ranges differ by a factor of {ratio:.3g}",
            "standardize the inputs with training-set statistics",
        )
    )
    from handbook.training import accuracy

    y = np.asarray(y)
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
        counts = np.bincount(y)
        fewest, most = counts.min(), counts.max()
        checks.append(
            Check(
                "label balance",
                fewest > 0 and most / fewest < 10,
                f"{len(counts)} classes, {fewest} to {most} examples each",
                "check the labels; rebalance or reweight rare classes",
            )
        )
        value, expected = initial_loss(model, loss, X, y)
        checks.append(
            Check(
                "initial loss",
                abs(value - expected) < 0.5 * expected,
                f"{value:.3f} against {'log 2' if one.shape[1] == 1 else 'log K'}"
                f" = {expected:.3f}",
                "shrink the output layer's initial weights "
                "(the logits start too large)",
            )
        )
    logit = largest_logit(model, X)
    checks.append(
        Check(
            "initial outputs",
            logit < 50,
            f"largest |output| {logit:.3g}",
            "use a variance-scaling initialization (He, Xavier) "
            "and standardized inputs",
        )
    )
    dead = dead_relu_fraction(model, X)
    worst = max((share for _, share in dead), default=0.0)
    checks.append(
        Check(
            "dead ReLU units",
            worst < 0.5,
            f"up to {worst:.0%} of a layer's units never active",
            "smaller learning rate, He initialization, or leaky ReLU",
        )
    )
    final = overfit_tiny_batch(model, loss, X, y, steps=tiny_steps)
    checks.append(
        Check(
            "overfit a tiny batch",
            final < 0.05,
            f"loss on 16 examples after {tiny_steps} steps: {final:.4f}",
            "a bug in the model, the loss or the labels: "
            "the network cannot even memorize",
        )
    )
    return Checkup(checks)


# --8<-- [end:checkup]


# --8<-- [start:label-sanity]
def shuffled_label_check(
    make_model, loss, X, y, X_dev, y_dev, epochs: int = 30, rng=0
) -> dict:
    """Train one model on the labels and one on shuffled labels, and score both.

    On the dev set, the first must beat chance clearly and the second must not.
    A real model at chance level means broken labels.
    """
    from handbook.optim import Adam
    from handbook.training import fit

    rng = np.random.default_rng(rng)
    scores = {}
    for name, labels in (("labels", y), ("shuffled labels", rng.permutation(y))):
        model = make_model()
        adam = Adam(model.parameters(), lr=1e-2)
        fit(model, loss, adam, X, labels, epochs=epochs, batch_size=32, rng=rng)
        scores[name] = float(np.mean(model.predict(X_dev).argmax(axis=1) == y_dev))
    scores["chance"] = float(np.max(np.bincount(y_dev)) / len(y_dev))
    return scores


# --8<-- [end:label-sanity]
