"""The training loop: mini-batches, a schedule, early stopping, and a clear stop on NaN or inf."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from handbook.data import minibatches
from handbook.losses import BinaryCrossEntropy, SoftmaxCrossEntropy
from handbook.optim import clip_by_norm


@dataclass
class History:
    """Per-epoch records of one training run."""

    train_loss: list[float] = field(default_factory=list)
    dev_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    dev_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None

    @property
    def epochs_run(self) -> int:
        return len(self.train_loss)

    def __repr__(self) -> str:
        last = lambda values: f"{values[-1]:.4f}" if values else "-"
        return (f"History(epochs={self.epochs_run}, train_loss={last(self.train_loss)}, "
                f"dev_loss={last(self.dev_loss)}, train_acc={last(self.train_acc)}, "
                f"dev_acc={last(self.dev_acc)}, best_epoch={self.best_epoch})")


# --8<-- [start:early-stopping]
class EarlyStopping:
    """Stop when the monitored dev metric has not improved by more than min_delta for
    ``patience`` epochs, and (by default) restore the weights of its best epoch."""

    def __init__(self, patience: int = 5, min_delta: float = 0.0, restore_best: bool = True,
                 monitor: str = "dev_loss"):
        if patience < 1:
            raise ValueError(f"EarlyStopping: patience must be at least 1, got {patience!r}")
        if monitor not in ("dev_loss", "dev_acc"):
            raise ValueError(f"EarlyStopping: monitor must be 'dev_loss' or 'dev_acc', got {monitor!r}")
        self.patience, self.min_delta, self.restore_best, self.monitor = patience, min_delta, restore_best, monitor
        self.sign = 1.0 if monitor == "dev_loss" else -1.0  # lower is better for a loss, higher for accuracy
        self.best, self.best_epoch, self.best_values, self.waited = np.inf, None, None, 0

    def should_stop(self, epoch: int, value: float, params) -> bool:
        if self.sign * value < self.best - self.min_delta:
            self.best, self.best_epoch, self.waited = self.sign * value, epoch, 0
            self.best_values = [p.value.copy() for p in params]
            return False
        self.waited += 1
        return self.waited >= self.patience

    def restore(self, params) -> None:
        if self.restore_best and self.best_values is not None:
            for p, value in zip(params, self.best_values):
                p.value[...] = value
# --8<-- [end:early-stopping]


CLASSIFICATION = (SoftmaxCrossEntropy, BinaryCrossEntropy)


def accuracy(loss, output: np.ndarray, y: np.ndarray) -> float | None:
    """The fraction of correct predictions for a classification loss, else None."""
    if isinstance(loss, SoftmaxCrossEntropy):
        labels = y if np.ndim(y) == 1 else np.argmax(y, axis=1)
        return float(np.mean(output.argmax(axis=1) == labels))
    if isinstance(loss, BinaryCrossEntropy):
        return float(np.mean((output.reshape(np.shape(y)) > 0) == (np.asarray(y) > 0.5)))
    return None


def evaluate(model, loss, X: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
    """Loss and accuracy on a whole set, in evaluation mode."""
    output = model.predict(X)
    return loss.forward(output, y), accuracy(loss, output, y)


def _stop_on_nonfinite(value: float, what: str, epoch: int, batch: int) -> None:
    if not np.isfinite(value):
        raise FloatingPointError(
            f"the {what} became {value} in epoch {epoch}, batch {batch} (both counted from 1). Usual causes: "
            "a learning rate too large, log(0) or a division by zero, unnormalized inputs, exploding "
            "gradients. Try a smaller learning rate, standardized inputs or gradient clipping (clip_norm=...)."
        )


# --8<-- [start:fit]
def fit(model, loss, optimizer, X, y, *, epochs: int, batch_size: int, validation=None, schedule=None,
        early_stopping: EarlyStopping | None = None, shuffle: bool = True, rng=None, progress: bool = False,
        regularizer=None, clip_norm: float | None = None) -> History:
    """Mini-batch training: forward, loss, backward, (penalty, clipping), step; records every epoch.

    The training loss and accuracy of an epoch are the means over its mini-batches, as
    computed during training (so with dropout active); the dev set is evaluated after
    each epoch, in evaluation mode.
    """
    _check_arguments(X, y, epochs, batch_size, validation, early_stopping)
    _check_model(model, loss, optimizer)
    rng = np.random.default_rng(rng)
    history, params = History(), model.parameters()
    for epoch in _epochs(epochs, progress):
        if schedule is not None:
            optimizer.lr = schedule(epoch)
        total_loss, total_correct = 0.0, 0.0
        for batch, (X_t, y_t) in enumerate(minibatches(X, y, batch_size, shuffle, rng), start=1):
            m = len(X_t)
            output = model.forward(X_t, training=True)
            J = loss.forward(output, y_t)
            model.backward(loss.backward(), input_grad=False)
            if regularizer is not None:
                J += regularizer.penalty(model, m)
                regularizer.add_gradient(model, m)
            size = clip_by_norm(params, clip_norm) if clip_norm else _gradient_size(params)
            _stop_on_nonfinite(J, "loss", epoch, batch)
            _stop_on_nonfinite(size, "sum of the gradients", epoch, batch)
            optimizer.step()
            total_loss += J * m
            total_correct += (accuracy(loss, output, y_t) or 0.0) * m
        _record(history, model, loss, validation, total_loss / len(X), total_correct / len(X), optimizer.lr)
        if early_stopping and early_stopping.should_stop(epoch, getattr(history, early_stopping.monitor)[-1], params):
            break
    if early_stopping:
        early_stopping.restore(params)
        history.best_epoch = early_stopping.best_epoch
    return history
# --8<-- [end:fit]


def _record(history: History, model, loss, validation, train_loss: float, train_acc: float, lr: float) -> None:
    history.train_loss.append(train_loss)
    history.lr.append(float(lr))
    if isinstance(loss, CLASSIFICATION):
        history.train_acc.append(train_acc)
    if validation is not None:
        dev_loss, dev_acc = evaluate(model, loss, *validation)
        if not np.isfinite(dev_loss):
            raise FloatingPointError(
                f"fit: the dev loss became {dev_loss} after epoch {len(history.train_loss)} (counted "
                "from 1) while the training loss is finite: look for NaN or inf in X_dev, or an "
                "output that overflows on the dev set")
        history.dev_loss.append(dev_loss)
        if dev_acc is not None:
            history.dev_acc.append(dev_acc)


def _gradient_size(params) -> float:
    """The sum of all gradient entries: one cheap reduction, NaN or inf as soon as any entry is."""
    return float(sum(p.grad.sum() for p in params if p.grad is not None))


def _epochs(epochs: int, progress: bool):
    if not progress:
        return range(1, epochs + 1)
    try:
        from tqdm.auto import tqdm
    except ImportError as error:
        raise ImportError("progress=True needs tqdm: pip install tqdm") from error
    return tqdm(range(1, epochs + 1), desc="epochs")


def _check_model(model, loss, optimizer) -> None:
    """The loss and optimizer are instances, and the optimizer steps exactly the model's parameters."""
    from handbook import validation as check

    for argument, value in (("model", model), ("loss", loss), ("optimizer", optimizer)):
        if isinstance(value, type):
            check.fail("hb.fit", argument, f"an instance ({value.__name__}(...))",
                       f"the class {value.__name__}", TypeError, described=True)
    stepped = getattr(optimizer, "params", None)
    if not isinstance(stepped, list):
        check.fail("hb.fit", "optimizer", "an optimizer built on model.parameters()", optimizer, TypeError)
    if len({id(p) for p in stepped}) != len(stepped):
        check.fail("hb.fit", "optimizer", "built on each parameter once",
                   "a parameter listed twice", described=True)
    if {id(p) for p in stepped} != {id(p) for p in model.parameters()}:
        check.fail("hb.fit", "optimizer", "built on this model's parameters (model.parameters())",
                   "an optimizer of other parameters", described=True)


def _check_arguments(X, y, epochs, batch_size, validation, early_stopping) -> None:
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer, got {batch_size!r}")
    if len(X) != len(y):
        raise ValueError(f"fit: X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if early_stopping is not None and validation is None:
        raise ValueError("fit: early_stopping watches the dev loss, so it needs validation=(X_dev, y_dev)")
