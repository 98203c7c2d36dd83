"""The training loop: mini-batches, a schedule, early stopping, and a clear stop
when training breaks (a NaN or infinity, or a loss that runs away)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from handbook import validation as check
from handbook.data import minibatches
from handbook.layers import BatchNorm, layers_of
from handbook.optim import clip_by_norm

if TYPE_CHECKING:  # names for the annotations only
    from handbook.layers import Layer
    from handbook.losses import Loss
    from handbook.optim import Optimizer
    from handbook.parameter import Parameter
    from handbook.regularization import L1, L2


class TrainingStopped(FloatingPointError):
    """What ``fit`` raises when a loss or the gradients stop being finite, or the
    run diverges: a FloatingPointError that says where, for code that reacts.

    Args:
        message: what happened and where, the error's text.

    Attributes:
        epoch: The epoch it happened in, counted from 1.
        batch: The mini-batch of that epoch, counted from 1; None when a whole
            epoch was judged (the dev loss, a divergence).
        value: The loss (or the sum of the gradients) that stopped training.
    """

    def __init__(self, message: str, epoch: int, batch: int | None, value: float):
        super().__init__(message)
        self.epoch, self.batch, self.value = epoch, batch, value


@dataclass
class History:
    """Per-epoch records of one training run.

    Attributes:
        train_loss: each epoch's mean mini-batch loss, as measured during training.
        dev_loss: each epoch's loss on the dev set (empty without one).
        train_acc: each epoch's training accuracy (empty for a loss that does not
            classify).
        dev_acc: each epoch's dev accuracy (empty without a dev set, or for a loss
            that does not classify).
        lr: each epoch's learning rate.
        best_epoch: the best epoch early stopping found, counted from 1; None
            without early stopping.
    """

    train_loss: list[float] = field(default_factory=list)
    dev_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    dev_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None

    @property
    def epochs_run(self) -> int:
        """The number of epochs recorded."""
        return len(self.train_loss)

    def record(self, train_loss: float, train_acc: float | None, lr: float) -> None:
        """One epoch's training loss, accuracy and learning rate.

        Args:
            train_loss: the epoch's mean mini-batch loss.
            train_acc: the epoch's accuracy; None (not recorded) for a loss that
                does not classify.
            lr: the rate the epoch trained with.
        """
        self.train_loss.append(train_loss)
        if train_acc is not None:
            self.train_acc.append(train_acc)
        self.lr.append(float(lr))

    def record_dev(self, dev_loss: float, dev_acc: float | None) -> None:
        """The dev set's loss and accuracy after the epoch just recorded; a
        non-finite dev loss stops training with the epoch named.

        Args:
            dev_loss: the loss on the dev set.
            dev_acc: the accuracy on it; None (not recorded) for a loss that does
                not classify.

        Raises:
            TrainingStopped: if dev_loss is NaN or infinite.
        """
        if not np.isfinite(dev_loss):
            raise TrainingStopped(
                f"hb.fit: the dev loss became {dev_loss} after epoch "
                f"{self.epochs_run} (counted from 1) while the training "
                "loss is finite: look for NaN or inf in X_dev, or an output that "
                "overflows on the dev set",
                self.epochs_run,
                None,
                float(dev_loss),
            )
        self.dev_loss.append(dev_loss)
        if dev_acc is not None:
            self.dev_acc.append(dev_acc)

    def __repr__(self) -> str:
        def last(values: list[float]) -> str:
            return f"{values[-1]:.4f}" if values else "-"

        return (
            f"History(epochs={self.epochs_run}, "
            f"train_loss={last(self.train_loss)}, dev_loss={last(self.dev_loss)}, "
            f"train_acc={last(self.train_acc)}, dev_acc={last(self.dev_acc)}, "
            f"best_epoch={self.best_epoch})"
        )


# --8<-- [start:early-stopping]
class EarlyStopping:
    """Stop when the monitored dev metric has not improved by more than min_delta
    for ``patience`` epochs, and (by default) restore the weights of its best epoch.

    ``fit`` calls ``reset`` when it starts, so one instance can serve several runs.

    Args:
        patience: the epochs without improvement to wait, a whole number >= 1.
        min_delta: the smallest change that counts as an improvement, >= 0.
        restore_best: put the best epoch's weights back at the end.
        monitor: ``"dev_loss"`` (lower is better) or ``"dev_acc"`` (higher is).

    Raises:
        TypeError: if patience is not a whole number, min_delta not a real number,
            or restore_best not a bool.
        ValueError: if patience < 1, min_delta < 0, or monitor is another name.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        restore_best: bool = True,
        monitor: str = "dev_loss",
    ):
        self.patience = check.whole("EarlyStopping", "patience", patience)
        self.min_delta = check.non_negative("EarlyStopping", "min_delta", min_delta)
        if monitor not in ("dev_loss", "dev_acc"):
            check.fail(
                "EarlyStopping", "monitor", "'dev_loss' or 'dev_acc'", monitor
            )
        self.restore_best = check.flag(
            "EarlyStopping", "restore_best", restore_best
        )
        self.monitor = monitor
        self.sign = 1.0 if monitor == "dev_loss" else -1.0  # lower loss is better
        self.reset()

    def reset(self) -> None:
        """Forget the best epoch and its weights: a new run starts."""
        self.best, self.best_epoch, self.best_values, self.waited = (
            np.inf,
            None,
            None,
            0,
        )

    def should_stop(self, epoch: int, value: float, model) -> bool:
        """Record an epoch's metric, copying the model's state if it is the best.

        Args:
            epoch: the epoch just trained, counted from 1.
            value: its monitored dev metric.
            model (Layer): the model trained, whose state a best epoch keeps.

        Returns:
            True once ``patience`` epochs in a row have not improved on the best.
        """
        if self.sign * value < self.best - self.min_delta:
            self.best, self.best_epoch, self.waited = self.sign * value, epoch, 0
            self.best_values = state_of(model)
            return False
        self.waited += 1
        return self.waited >= self.patience

    def restore(self, model) -> None:
        """The best epoch's weights and running statistics (batch norm).

        Nothing changes with ``restore_best=False`` or before any epoch.

        Args:
            model (Layer): the model ``should_stop`` saw, changed in place.
        """
        if self.restore_best and self.best_values is not None:
            restore_state(model, self.best_values)


# --8<-- [end:early-stopping]


def state_of(model: Layer | list[Parameter]) -> dict[str, list]:
    """Copies of a model's parameters and of each layer's buffers (batch norm's
    running statistics), what evaluation mode uses besides the weights. A list of
    parameters instead of a model: their values only.

    Args:
        model: a model, or a list of parameters.

    Returns:
        ``{"values": [arrays], "buffers": [{name: array} per buffered layer]}``,
        copies in the order of the parameters and layers.
    """
    return {
        "values": [p.value.copy() for p in parameters_of(model)],
        "buffers": [
            {name: array.copy() for name, array in layer.buffers().items()}
            for layer in buffered_layers(model)
        ],
    }


def restore_state(model: Layer | list[Parameter], state: dict[str, list]) -> None:
    """Put back what ``state_of`` copied.

    Args:
        model: the model (or list of parameters) that state was copied from,
            changed in place.
        state: what ``state_of(model)`` returned.

    Raises:
        ValueError: if state holds more or fewer arrays than the model has
            parameters, or buffered layers (it was copied from another model).
    """
    for p, value in zip(parameters_of(model), state["values"], strict=True):
        p.value[...] = value
    layers = buffered_layers(model)
    for layer, buffers in zip(layers, state["buffers"], strict=True):
        for name, array in buffers.items():
            setattr(layer, name, array.copy())


def parameters_of(model: Layer | Iterable[Parameter]) -> list[Parameter]:
    """A model's parameters, or the list of parameters given instead of a model.

    Args:
        model: a model (anything with ``parameters()``) or parameters.

    Returns:
        The parameters, as a list.
    """
    return model.parameters() if hasattr(model, "parameters") else list(model)


def buffered_layers(model: Layer | list[Parameter]) -> list[Layer]:
    """The layers of a model that have buffers; none for a list of parameters.

    Args:
        model: a model, or a list of parameters.

    Returns:
        The layers with a ``buffers`` method (BatchNorm), in order.
    """
    if not hasattr(model, "parameters"):
        return []
    return [layer for layer in layers_of(model) if hasattr(layer, "buffers")]


def accuracy(loss: Loss, output: np.ndarray, y: np.ndarray) -> float | None:
    """The loss's share of correct predictions (its ``accuracy`` method), or None
    for a loss that does not classify.

    Args:
        loss: the loss, with or without an ``accuracy`` method.
        output: the model's output, of shape (batch, outputs).
        y: the labels, one per row of output.

    Returns:
        The accuracy, a float in [0, 1], or None.
    """
    method = getattr(loss, "accuracy", None)
    return None if method is None else method(output, y)


def evaluate(
    model: Layer, loss: Loss, X: np.ndarray, y: np.ndarray
) -> tuple[float, float | None]:
    """Loss and accuracy on a whole set, in evaluation mode.

    Args:
        model: the model.
        loss: the loss to measure.
        X: the inputs, of shape (batch, features).
        y: their labels or targets.

    Returns:
        (loss, accuracy), the accuracy None for a loss that does not classify.
    """
    output = model.forward(X, training=False)
    return loss.forward(output, y), accuracy(loss, output, y)


def quiet_overflow(fit: Callable[..., History]) -> Callable[..., History]:
    """``fit`` without NumPy's overflow warnings: it finds the first NaN or inf
    itself and stops there with the epoch and batch named, which says more than a
    warning from inside a matrix product.

    Args:
        fit: the training function to wrap.

    Returns:
        ``fit`` run under ``np.errstate`` ignoring overflow, invalid values and
        division by zero, with fit's name, docstring and signature.
    """

    @functools.wraps(fit)
    def quietly(*arguments, **keywords):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return fit(*arguments, **keywords)

    return quietly


# --8<-- [start:fit]
@quiet_overflow
def fit(
    model: Layer,
    loss: Loss,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    schedule=None,
    early_stopping=None,
    shuffle: bool = True,
    rng: int | np.random.Generator | None = None,
    progress: bool = False,
    regularizer=None,
    clip_norm: float | None = None,
    divergence: float | None = 10.0,
    monitor=None,
) -> History:
    """Mini-batch training: forward, loss, backward, (penalty, clipping), step.

    The training loss and accuracy of an epoch are the means over its mini-batches,
    as computed during training (so with dropout active); the dev set is evaluated
    after each epoch, in evaluation mode. Training stops with an error naming the
    epoch (and batch) when a loss or gradient is not finite, and when the training
    loss stays above ``divergence`` times its first value for three epochs.

    Args:
        model: the network, trained in place.
        loss: the loss of its output, such as hb.SoftmaxCrossEntropy().
        optimizer: an optimizer built on model.parameters().
        X: the training inputs, one row per example (a list is converted).
        y: their labels or targets, one row per row of X.
        epochs: the passes over the training set, a whole number >= 1.
        batch_size: the rows per mini-batch, >= 1 (the last one may hold fewer).
        validation: the dev set (X_dev, y_dev), evaluated after each epoch.
        schedule (Callable[[int], float] | None): ``lr = schedule(epoch)``
            each epoch.
        early_stopping (EarlyStopping | None): watches the dev set (validation).
        shuffle: a new order of the rows every epoch.
        rng: the seed or Generator of the shuffles.
        progress: show a progress bar over the epochs (needs tqdm).
        regularizer (L1 | L2 | None): a penalty added to the loss and gradients.
        clip_norm: the global norm to clip the gradients to; None: no clipping.
        divergence: the factor of the watch described above, > 1; None: no watch.
        monitor (Monitor | None): records gradient norms and update-to-weight
            ratios at every step (``hb.diagnose.Monitor``).

    Returns:
        The run's History; with early stopping, its best_epoch is set.

    Raises:
        TypeError: for an argument of the wrong kind (a class, not an instance).
        ValueError: for an argument of a wrong value (no rows, unequal lengths).
        TrainingStopped: when a loss or gradient is not finite, or on divergence.
        ImportError: if progress is True and tqdm is not installed.
    """
    X, y = check_fit(**locals())  # every argument, before the first epoch
    rng = check.generator("hb.fit", rng)
    history, params = History(), model.parameters()
    watch = DivergenceWatch(divergence)
    if early_stopping:
        early_stopping.reset()
    for epoch in epoch_range(epochs, progress):
        if schedule is not None:
            optimizer.lr = check.non_negative(
                "hb.fit", "schedule(epoch)", schedule(epoch)
            )
        total_loss, total_correct = 0.0, 0.0
        batches = minibatches(X, y, batch_size, shuffle, rng)
        for batch, (X_t, y_t) in enumerate(batches, start=1):
            output = model.forward(X_t, training=True)
            J = loss.forward(output, y_t)
            model.backward(loss.backward(), input_grad=False)
            if regularizer is not None:
                J += regularizer.penalty(model, len(X_t))
                regularizer.add_gradient(model, len(X_t))
            stop_if_not_finite(J, gradient_sum(params), epoch, batch, X_t, y_t)
            if monitor is not None:
                monitor.before_step(model)
            if clip_norm:
                clip_by_norm(params, clip_norm)
            if epoch == batch == 1:
                watch.start = J
            optimizer.step()
            if monitor is not None:
                monitor.after_step(model)
            correct = accuracy(loss, output, y_t)
            total_loss += J * len(X_t)
            total_correct += (correct or 0.0) * len(X_t)
        train_acc = None if correct is None else total_correct / len(X)
        history.record(total_loss / len(X), train_acc, optimizer.lr)
        if validation is not None:
            history.record_dev(*evaluate(model, loss, *validation))
        watch.check(history.train_loss[-1], epoch)
        if early_stopping and early_stopping.should_stop(
            epoch, getattr(history, early_stopping.monitor)[-1], model
        ):
            break
    if early_stopping:
        early_stopping.restore(model)
        history.best_epoch = early_stopping.best_epoch
    return history


# --8<-- [end:fit]


def gradient_sum(params: list[Parameter]) -> float:
    """The sum of all gradient entries: one cheap reduction, and NaN or inf as soon
    as any entry is. Summed in float64, so that finite float16 gradients do not
    add up to a false inf.

    Args:
        params: the parameters; those without a gradient are left out.

    Returns:
        The sum, a float (0.0 when no parameter has a gradient).
    """
    return float(
        sum(p.grad.sum(dtype=np.float64) for p in params if p.grad is not None)
    )


def stop_if_not_finite(
    J: float,
    gradient_sum: float,
    epoch: int,
    batch: int,
    X_t: np.ndarray,
    y_t: np.ndarray,
) -> None:
    """Raise TrainingStopped, naming the epoch and batch, for a NaN or infinite
    loss or gradient; when the batch itself holds NaN or inf, say so.

    Args:
        J: the mini-batch's loss.
        gradient_sum: the sum of all gradient entries (``gradient_sum(params)``).
        epoch: the epoch, counted from 1.
        batch: the mini-batch of that epoch, counted from 1.
        X_t: the mini-batch's inputs.
        y_t: its labels or targets.

    Raises:
        TrainingStopped: if J or gradient_sum is NaN or infinite.
    """
    for what, value in (("loss", J), ("sum of the gradients", gradient_sum)):
        if np.isfinite(value):
            continue
        where = f"in epoch {epoch}, batch {batch} (both counted from 1)"
        data = [
            name
            for name, a in (("X", X_t), ("y", y_t))
            if np.issubdtype(np.asarray(a).dtype, np.number)
            and not np.isfinite(a).all()
        ]
        if data:
            raise TrainingStopped(
                f"hb.fit: the {what} became {value} {where}: that batch's "
                f"{' and '.join(data)} hold NaN or inf; clean the data first",
                epoch,
                batch,
                float(value),
            )
        raise TrainingStopped(
            f"hb.fit: the {what} became {value} {where}. Usual causes: a learning "
            "rate too large, log(0) or a division by zero, unnormalized inputs, "
            "exploding gradients. Try a smaller learning rate, standardized inputs "
            "or gradient clipping (clip_norm=...).",
            epoch,
            batch,
            float(value),
        )


class DivergenceWatch:
    """Stops a run whose training loss stays far above where it started.

    A loss that grows without ever reaching inf (SGD at a huge learning rate ends
    at chance with a loss of 50) is as broken as a NaN, but nothing else would say
    so. Above ``factor`` times the first mini-batch's loss for ``patience``
    epochs in a row counts as diverged; ``factor=None`` turns the watch off.

    Args:
        factor: how many times the first loss counts as diverged, > 1; or None.
        patience: the epochs in a row above it that stop the run.

    Raises:
        TypeError: if factor is neither None nor a real number.
        ValueError: if factor is not above 1 (or not finite).
    """

    def __init__(self, factor: float | None, patience: int = 3):
        if factor is not None:
            check.number("hb.fit", "divergence", factor, low=1, low_open=True)
        self.factor, self.patience = factor, patience
        self.start: float | None = None  # the loss of the first mini-batch
        self.above = 0

    def check(self, train_loss: float, epoch: int) -> None:
        """Count an epoch above the limit, or start counting again below it.

        Nothing is watched with ``factor=None``, before ``start`` (the first
        mini-batch's loss) is set, or when it is <= 0.

        Args:
            train_loss: the epoch's training loss.
            epoch: the epoch, counted from 1.

        Raises:
            TrainingStopped: at the ``patience``-th epoch in a row above the limit.
        """
        if self.factor is None or self.start is None or self.start <= 0:
            return
        self.above = self.above + 1 if train_loss > self.factor * self.start else 0
        if self.above >= self.patience:
            raise TrainingStopped(
                "hb.fit: training diverged: the training loss was "
                f"{train_loss:.4g} in epoch {epoch} (counted from 1), above "
                f"{self.factor:g} times the first mini-batch's {self.start:.4g} "
                f"for {self.patience} epochs. Try a smaller learning rate; pass "
                "divergence=None to train on anyway.",
                epoch,
                None,
                float(train_loss),
            )


def epoch_range(epochs: int, progress: bool) -> Iterable[int]:
    """The epochs 1 to ``epochs``, with a tqdm progress bar if ``progress``.

    Args:
        epochs: the number of epochs.
        progress: show a progress bar.

    Returns:
        A range, or a tqdm bar over it.

    Raises:
        ImportError: if progress is True and tqdm is not installed.
    """
    if not progress:
        return range(1, epochs + 1)
    try:
        from tqdm.auto import tqdm
    except ImportError as error:
        raise ImportError("progress=True needs tqdm: pip install tqdm") from error
    return tqdm(range(1, epochs + 1), desc="epochs")


def check_fit(
    model: Layer,
    loss: Loss,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    validation: tuple[np.ndarray, np.ndarray] | None,
    early_stopping: EarlyStopping | None,
    regularizer: L1 | L2 | None = None,
    shuffle: bool = True,
    progress: bool = False,
    clip_norm: float | None = None,
    schedule: Callable[[int], float] | None = None,
    monitor: Any = None,
    **others: Any,
) -> tuple[np.ndarray, np.ndarray]:
    """What ``fit`` refuses, with the argument named: classes instead of
    instances, objects without the methods fit calls, an optimizer of other
    parameters, empty or mismatched data, a dev set the model cannot take.

    It takes fit's arguments by name (``check_fit(**locals())``).

    Args:
        model: as fit's, with forward, backward and parameters.
        loss: as fit's, with forward and backward.
        optimizer: as fit's, with step and a list ``params``.
        X: as fit's.
        y: as fit's.
        epochs: as fit's.
        batch_size: as fit's.
        validation: as fit's; one dev row is tried through the model and loss.
        early_stopping: as fit's.
        regularizer: as fit's, with penalty and add_gradient.
        shuffle: as fit's.
        progress: as fit's.
        clip_norm: as fit's.
        schedule: as fit's, tried on every epoch (see ``check_rate``).
        monitor: as fit's, with before_step and after_step.
        others: fit's other arguments, checked where they are used (rng,
            divergence).

    Returns:
        (X, y) as arrays (lists are converted).

    Raises:
        TypeError: for an argument of the wrong kind: a class instead of an
            instance, an object without the methods fit calls, X or y not of
            real numbers.
        ValueError: for a wrong value: an optimizer of other parameters, no rows,
            X and y of different lengths, a non-finite X, early stopping without
            a dev set, a dev set the model or loss refuses (with their error's
            class, which may be TypeError).
    """
    needs = (
        (
            "model",
            model,
            ("forward", "backward", "parameters"),
            "hb.Sequential(...)",
        ),
        ("loss", loss, ("forward", "backward"), "hb.SoftmaxCrossEntropy()"),
        ("optimizer", optimizer, ("step",), "hb.optim.Adam(model.parameters())"),
        ("regularizer", regularizer, ("penalty", "add_gradient"), "hb.L2(1e-4)"),
        (
            "monitor",
            monitor,
            ("before_step", "after_step"),
            "hb.diagnose.Monitor()",
        ),
        (
            "early_stopping",
            early_stopping,
            ("should_stop", "restore"),
            "hb.EarlyStopping(patience=5)",
        ),
    )
    for argument, value, methods, example in needs:
        if value is None and argument in (
            "regularizer",
            "early_stopping",
            "monitor",
        ):
            continue
        check.instance("hb.fit", argument, value, methods, example)
    stepped = getattr(optimizer, "params", None)
    if not isinstance(stepped, list):
        check.fail(
            "hb.fit",
            "optimizer",
            "an optimizer built on model.parameters()",
            optimizer,
            TypeError,
        )
    if len({id(p) for p in stepped}) != len(stepped):
        check.fail(
            "hb.fit",
            "optimizer",
            "built on each parameter once",
            "a parameter listed twice",
            described=True,
        )
    if {id(p) for p in stepped} != {id(p) for p in model.parameters()}:
        check.fail(
            "hb.fit",
            "optimizer",
            "built on this model's parameters (model.parameters())",
            "an optimizer of other parameters",
            described=True,
        )
    check.whole("hb.fit", "epochs", epochs)
    check.flag("hb.fit", "shuffle", shuffle)
    check.flag("hb.fit", "progress", progress)
    if clip_norm is not None:
        check.positive("hb.fit", "clip_norm", clip_norm)
    check.whole("hb.fit", "batch_size", batch_size)
    check_rate(optimizer, schedule, epochs)
    X = check.real_array("hb.fit", "X", X)
    y = check.labels_of("hb.fit", X, y)
    check.finite("hb.fit", "X", X)
    if len(X) == 0:
        check.fail(
            "hb.fit", "X", "a set of at least one row", "0 rows", described=True
        )
    check_last_batch(model, len(X), batch_size)
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            check.fail(
                "hb.fit",
                "validation",
                "a pair (X_dev, y_dev)",
                type(validation).__name__,
                TypeError,
                described=True,
            )
        X_dev = check.real_array("hb.fit", "validation's X_dev", validation[0])
        y_dev = check.labels_of(
            "hb.fit", X_dev, validation[1], ("validation's X_dev", "y_dev")
        )
        if len(X_dev) == 0:
            check.fail(
                "hb.fit",
                "validation",
                "a dev set of at least one row",
                "0 rows",
                described=True,
            )
        try:  # one dev row through the model and the loss, in evaluation mode
            output = model.forward(np.asarray(X_dev[:1]), training=False)
            loss.forward(output, np.asarray(y_dev[:1]))
        except (ValueError, TypeError) as error:
            check.fail(
                "hb.fit",
                "validation",
                "a dev set like the training set",
                f"one the model or loss refuses: {error}",
                type(error),
                described=True,
            )
        if (
            early_stopping is not None
            and early_stopping.monitor == "dev_acc"
            and (accuracy(loss, output, np.asarray(y_dev[:1])) is None)
        ):
            check.fail(
                "hb.fit",
                "early_stopping",
                "monitor='dev_loss' for a loss without accuracy",
                f"monitor='dev_acc' with {type(loss).__name__}",
                described=True,
            )
    elif early_stopping is not None:
        check.fail(
            "hb.fit",
            "early_stopping",
            "used with validation=(X_dev, y_dev), the set it watches",
            "no validation",
            described=True,
        )
    return X, y


def check_rate(
    optimizer: Optimizer, schedule: Callable[[int], float] | None, epochs: int
) -> None:
    """A learning rate that trains: without a schedule, the optimizer's own rate
    must be above 0 (a rate of 0 trains for nothing); a schedule must be a function
    of the epoch giving rates >= 0, and not 0 for every epoch.

    Args:
        optimizer: the optimizer; its ``lr``, if it has one, is checked.
        schedule: the schedule, called on every epoch; or None.
        epochs: the number of epochs it will be called for.

    Raises:
        TypeError: if schedule is not callable, raises TypeError, or gives a
            function (a factory not called) or no real number.
        ValueError: if a rate is negative or not finite, the schedule gives 0 for
            every epoch, or (without one) optimizer.lr is not above 0.
    """
    if schedule is None:
        lr = getattr(optimizer, "lr", None)
        if lr is not None:
            check.positive("hb.fit", "optimizer.lr (with no schedule)", lr)
        return
    check.function(
        "hb.fit", "schedule", schedule, "hb.schedules.step(0.1, 0.5, 10)"
    )
    rates = []
    for epoch in range(1, epochs + 1):
        try:
            rate = schedule(epoch)
        except TypeError as error:
            check.fail(
                "hb.fit",
                "schedule",
                "a function of the epoch, such as hb.schedules.step(0.1, 0.5, 10)",
                f"{check.shown_value(schedule)}, which raised: {error}",
                TypeError,
                described=True,
            )
        if callable(rate):
            check.fail(
                "hb.fit",
                "schedule",
                "a function of the epoch giving a rate (call a factory such as "
                "hb.schedules.step first: hb.schedules.step(0.1, 0.5, 10))",
                f"{check.shown_value(schedule)}, "
                f"which gave {check.shown_value(rate)}",
                TypeError,
                described=True,
            )
        rates.append(check.non_negative("hb.fit", f"schedule({epoch})", rate))
    if max(rates) == 0:
        check.fail(
            "hb.fit",
            "schedule",
            "above 0 for some epoch",
            "0 for every epoch",
            described=True,
        )


def check_last_batch(model: Layer, m: int, batch_size: int) -> None:
    """Batch normalization needs two rows to compute a variance: refuse a
    training set whose last mini-batch would hold one row.

    Args:
        model: the model to train.
        m: the number of training rows.
        batch_size: the rows per mini-batch.

    Raises:
        ValueError: if the model has a BatchNorm layer and the last mini-batch
            would hold one row.
    """
    last = m % batch_size == 1 and m > 1
    if last and any(isinstance(layer, BatchNorm) for layer in layers_of(model)):
        check.fail(
            "hb.fit",
            "batch_size",
            "one that leaves no last mini-batch of 1 row, which BatchNorm "
            "cannot normalize",
            f"batch_size={batch_size} for {m} rows",
            described=True,
        )
